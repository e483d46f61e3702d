"""`govgate validate`: lint config and rule pack files without evaluating anything."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

from govgate.config import load_config
from govgate.errors import GovgateError, InputError
from govgate.rules.loader import PACK_SUFFIXES, load_pack_file, load_rego_pack
from govgate.rules.rego_source import RegoModule
from govgate.yamlio import load_yaml_file, parse_yaml, read_text, validate


def validate_paths(
    paths: list[Path], skip_foreign: bool = False
) -> tuple[list[GovgateError], int, list[Path]]:
    """Every problem in every file, each with its place; returns (problems, files checked, files
    skipped). A folder's YAML files that are not govgate documents (no `apiVersion: govgate/...`
    and no govgate `kind:`) are skipped, as are named ones with `skip_foreign` (a pre-commit hook
    hands over every YAML file it sees)."""
    problems: list[GovgateError] = []
    checked = 0
    skipped: list[Path] = []
    for path, named in _expand(paths):
        try:
            if _validate_file(path, skip=skip_foreign or not named):
                checked += 1
            else:
                skipped.append(path)
        except GovgateError as exc:
            checked += 1
            problems.append(exc)
    if not checked and not skipped:
        problems.append(InputError(f"no YAML or Rego files found in {', '.join(map(str, paths))}"))
    return problems, checked, skipped


def _expand(paths: list[Path]) -> list[tuple[Path, bool]]:
    """Each file to look at, and whether it was named (not found in a folder)."""
    found: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            found += [
                (p, False)
                for p in sorted(path.rglob("*"))
                if p.suffix in PACK_SUFFIXES and p.is_file() and not _hidden(p, path)
            ]
        else:
            found.append((path, True))
    return found


def _hidden(path: Path, root: Path) -> bool:
    """Inside a dot folder (.git, .venv, .github, .govgate) or a virtualenv: never govgate's."""
    return any(part.startswith(".") for part in path.relative_to(root).parts[:-1])


def _validate_file(path: Path, skip: bool) -> bool:
    """Validate one file; False when `skip` and it is not a govgate document (nothing checked)."""
    if path.suffix == ".rego":
        _validate_rego(path)
        return True
    text, raw = read_text(path, str(path))
    if skip and not _may_be_govgates(text):
        return False  # not parsed at all: a Helm template, say, is not even YAML
    loaded = parse_yaml(text, str(path), raw)
    data = loaded.data if isinstance(loaded.data, dict) else {}
    kind = data.get("kind")
    validator = DOCUMENT_KINDS.get(kind) if isinstance(kind, str) else None
    if validator is None:
        ours = str(data.get("apiVersion", "")).startswith("govgate/")
        if skip and not ours:
            return False
        *others, last = DOCUMENT_KINDS
        raise InputError(
            f"unknown document kind {kind!r}; expected {', '.join(others)} or {last}",
            loaded.location(("kind",)),
            hint="a govgate document starts `apiVersion: govgate/v1` and names its `kind:`",
        )
    validator(path)
    return True


def _may_be_govgates(text: str) -> bool:
    """A top-level `apiVersion: govgate/...` or a govgate `kind:` line: anything else is some
    other tool's YAML, which validate skips without reading it as YAML."""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        value = value.split("#", 1)[0].strip().strip("'\"")
        if key == "apiVersion" and value.startswith("govgate/"):
            return True
        if key == "kind" and value in DOCUMENT_KINDS:
            return True
    return False


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


def _validate_approvals(path: Path) -> None:
    from govgate.approvals.model import ApprovalList

    validate(ApprovalList, load_yaml_file(path, str(path)))


def _validate_exceptions(path: Path) -> None:
    from govgate.exceptions.model import load_exceptions

    load_exceptions(path, str(path))


# The YAML documents govgate reads, by their `kind:`; the error for any other lists these.
DOCUMENT_KINDS: dict[str, Callable[[Path], None]] = {
    "Config": _validate_config,
    "RulePack": _validate_pack,
    "RuleTests": _validate_case_file,
    "ApprovalList": _validate_approvals,
    "ExceptionList": _validate_exceptions,
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
