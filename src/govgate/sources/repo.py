"""Artifacts in the model's repository: resolved safely inside the repo, read once, parsed once."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from govgate.artifacts.markdown import parse_markdown
from govgate.artifacts.topics import card_topics, markdown_topics
from govgate.artifacts.vocabulary import Vocabulary
from govgate.config import ArtifactSpec
from govgate.errors import InputError
from govgate.facts import ArtifactFacts
from govgate.location import Location, format_key_path
from govgate.yamlio import decode_utf8, parse_yaml

Format = Literal["markdown", "yaml", "json", "text"]
_BY_SUFFIX: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
}


class PathEscapesRepo(InputError):
    """An artifact path points outside the repository (`..`, absolute, or a symlink out)."""


class SymlinkLoop(InputError):
    """A path whose symlinks lead back to themselves: it never reaches a file."""


def _loop_message(relative: str) -> str:
    return f"{relative} is a symlink loop: following its links never reaches a file"


def _in_loop(path: Path) -> bool:
    """Whether `path` cannot be reached for a symlink loop (exists() reads that as absent)."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def resolve_inside(root: Path, relative: str) -> Path:
    """The real path of `relative` under `root`; anything that leaves the repo is an error."""
    if PurePosixPath(relative).is_absolute() or Path(relative).is_absolute():
        raise PathEscapesRepo(
            f"artifact path {relative!r} is absolute", hint="use a path relative to the repo root"
        )
    real_root = root.resolve()
    try:
        candidate = (real_root / relative).resolve()
    except RuntimeError:  # a symlink loop, up to Python 3.12
        raise SymlinkLoop(_loop_message(relative)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SymlinkLoop(_loop_message(relative)) from None
        raise InputError(f"cannot resolve {relative}: {exc.strerror or exc}") from None
    if not candidate.is_relative_to(real_root):
        raise PathEscapesRepo(
            f"artifact path {relative!r} resolves to {candidate}, outside the repository",
            hint="artifacts must live inside the repository (no `..`, no symlinks out)",
        )
    return candidate


def artifact_format(spec: ArtifactSpec) -> Format:
    if spec.format != "auto":
        return spec.format
    return _BY_SUFFIX.get(PurePosixPath(spec.path).suffix.lower(), "text")


def read_artifacts(
    root: Path, specs: dict[str, ArtifactSpec], max_bytes: int, vocabulary: Vocabulary
) -> dict[str, ArtifactFacts]:
    return {
        name: read_artifact(root, name, spec, max_bytes, vocabulary) for name, spec in specs.items()
    }


def read_artifact(
    root: Path, name: str, spec: ArtifactSpec, max_bytes: int, vocabulary: Vocabulary
) -> ArtifactFacts:
    fmt = artifact_format(spec)
    base = ArtifactFacts(name=name, path=spec.path, format=fmt)
    try:
        path = resolve_inside(root, spec.path)
    except InputError as exc:  # out of the repository, a symlink loop
        return _failed(base, exc.one_line(), Location(path=spec.path))
    if not path.exists():
        if _in_loop(path):  # Python 3.13 resolves a loop without raising
            return _failed(base, _loop_message(spec.path), Location(path=spec.path))
        return base
    if not path.is_file():
        return _failed(base, f"{spec.path} is not a regular file", Location(path=spec.path))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _failed(
                base,
                f"{spec.path} is {size} bytes, over the {max_bytes}-byte limit "
                "(raise limits.max_file_bytes in govgate.yaml)",
                Location(path=spec.path),
            )
        raw = path.read_bytes()
    except OSError as exc:
        return _failed(base, f"cannot read {spec.path}: {exc.strerror}", Location(path=spec.path))
    read = replace(base, exists=True, sha256=hashlib.sha256(raw).hexdigest(), size=len(raw))
    try:
        return replace(read, **_parse(raw, spec.path, fmt, vocabulary))
    except InputError as exc:
        return _failed(read, exc.one_line(), exc.location)


def _parse(raw: bytes, display: str, fmt: Format, vocabulary: Vocabulary) -> dict[str, Any]:
    text = decode_utf8(raw, display)
    if fmt == "markdown":
        doc = parse_markdown(text, vocabulary.metric_words)
        return {"markdown": doc, "topics": markdown_topics(doc, vocabulary)}
    if fmt == "yaml":
        loaded = parse_yaml(text, display, raw)
        lines = {format_key_path(key): pos[0] for key, pos in loaded.positions.items()}
        return {"data": loaded.data, "key_lines": lines}
    if fmt == "json":
        try:
            data = json.loads(text)
            return {"data": data, "topics": card_topics(data, vocabulary)}
        except json.JSONDecodeError as exc:
            raise InputError(
                f"invalid JSON: {exc.msg}",
                Location(path=display, line=exc.lineno, column=exc.colno),
            ) from None
    return {"text": text}


def _failed(facts: ArtifactFacts, message: str, location: Location | None) -> ArtifactFacts:
    return replace(facts, error=message, error_location=location)
