"""`govgate validate`: lint config and rule pack files without evaluating anything."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

from govgate.config import load_config
from govgate.errors import GovgateError, InputError
from govgate.rules.loader import PACK_SUFFIXES, load_pack_file, load_rego_pack
from govgate.rules.rego_source import RegoModule
from govgate.yamlio import load_yaml_file


def validate_paths(paths: list[Path]) -> tuple[list[GovgateError], int]:
    """Every problem in every file, each with its place; returns (problems, files checked)."""
    problems: list[GovgateError] = []
    files = [f for p in paths for f in _expand(p)]
    for path in files:
        try:
            _validate_file(path)
        except GovgateError as exc:
            problems.append(exc)
    if not files:
        problems.append(InputError(f"no YAML or Rego files found in {', '.join(map(str, paths))}"))
    return problems, len(files)


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in PACK_SUFFIXES and p.is_file())
    return [path]


def _validate_file(path: Path) -> None:
    if path.suffix == ".rego":
        _validate_rego(path)
        return
    loaded = load_yaml_file(path, str(path))
    kind = loaded.data.get("kind") if isinstance(loaded.data, dict) else None
    validator = DOCUMENT_KINDS.get(kind) if isinstance(kind, str) else None
    if validator is None:
        *others, last = DOCUMENT_KINDS
        raise InputError(
            f"unknown document kind {kind!r}; expected {', '.join(others)} or {last}",
            loaded.location(("kind",)),
        )
    validator(path)


def _validate_config(path: Path) -> None:
    from govgate.gate import load_rules

    config, _ = load_config(path, str(path))
    for pack in load_rules(config, path.parent):
        if pack.module is not None:
            _compile([pack.module])


def _validate_pack(path: Path) -> None:
    load_pack_file(path, str(path))


def _validate_case_file(path: Path) -> None:
    from govgate.casetest.cases import load_case_file

    load_case_file(path, str(path))


# The YAML documents `govgate validate` knows, by their `kind:`; the error for any other lists
# these.
DOCUMENT_KINDS: dict[str, Callable[[Path], None]] = {
    "Config": _validate_config,
    "RulePack": _validate_pack,
    "RuleTests": _validate_case_file,
}


def _validate_rego(path: Path) -> None:
    pack = load_rego_pack(path, str(path))
    assert pack.module is not None
    _compile([pack.module])


def _compile(modules: list[RegoModule]) -> None:
    """Compile with regopy when it is installed: its parse errors come back as file:line:col."""
    if importlib.util.find_spec("regopy") is None:
        return  # govgate's own checks ran; OPA users may validate without the in-process engine
    from govgate.engines.rego import RegopyEngine

    RegopyEngine(modules)
