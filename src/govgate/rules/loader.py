"""Find, read and validate rule packs: builtin packs, single files and folders of them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from govgate.artifacts.vocabulary import Vocabulary, builtin_vocabulary
from govgate.config import Topics
from govgate.errors import RuleError
from govgate.location import Location
from govgate.rules.paths import parse_path
from govgate.rules.schema import (
    AllCheck,
    AnyCheck,
    Check,
    DocumentCheck,
    FactCheck,
    NotCheck,
    Rule,
    RulePack,
)
from govgate.yamlio import DEFAULT_MAX_BYTES, LoadedYaml, load_yaml_file, validate

if TYPE_CHECKING:
    from govgate.rules.rego_source import RegoModule, RegoRule

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "packs"
BUILTIN_PREFIX = "builtin:"
PACK_SUFFIXES = (".yaml", ".yml", ".rego")
# Other govgate documents may share a rules folder; they are not packs and are skipped.
NON_PACK_KINDS = frozenset({"RuleTests", "Config", "ExceptionList", "ApprovalList"})


@dataclass(frozen=True)
class LoadedRule:
    """A rule as loaded: its model, the pack it came from and where it is written."""

    rule: Rule | RegoRule
    pack: str
    location: Location


def native_rules(rules: Sequence[LoadedRule]) -> list[tuple[LoadedRule, Rule]]:
    return [(r, r.rule) for r in rules if isinstance(r.rule, Rule)]


@dataclass(frozen=True)
class LoadedPack:
    """One pack file (YAML pack or Rego policy) with its digest and rules."""

    pack: RulePack
    display: str
    sha256: str
    size: int
    rules: tuple[LoadedRule, ...]
    module: RegoModule | None = None  # set for a .rego policy


def topic_vocabulary(
    packs: Sequence[LoadedPack], config_topics: Topics | None = None
) -> Vocabulary:
    """The shipped topic vocabulary with every pack's changes, then govgate.yaml's, applied."""
    vocabulary = builtin_vocabulary()
    for loaded in packs:
        vocabulary = vocabulary.extended({k: v.change() for k, v in loaded.pack.topics.items()})
    return vocabulary.extended({k: v.change() for k, v in (config_topics or {}).items()})


def builtin_names() -> list[str]:
    return sorted(p.stem for p in BUILTIN_DIR.iterdir() if p.suffix in (".yaml", ".rego"))


def resolve_sources(source: str, base: Path) -> list[tuple[Path, str]]:
    """The pack files a `rules:` entry names, with how to show each to the user."""
    if source.startswith(BUILTIN_PREFIX):
        name = source.removeprefix(BUILTIN_PREFIX)
        path = BUILTIN_DIR / f"{name}.yaml"
        if not path.is_file():
            path = BUILTIN_DIR / f"{name}.rego"
        if not path.is_file() or "/" in name:
            raise RuleError(
                f"unknown builtin rule pack {source!r}",
                hint=f"builtin packs: {', '.join(BUILTIN_PREFIX + n for n in builtin_names())}",
            )
        return [(path, source)]
    path = Path(source) if Path(source).is_absolute() else base / source
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in PACK_SUFFIXES and p.is_file())
        return [(p, _display(p, base)) for p in files]
    if path.is_file():
        return [(path, _display(path, base))]
    raise RuleError(f"rule pack {source!r} not found (looked for {path})")


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def load_packs(
    sources: list[str], base: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[LoadedPack]:
    """Load every pack; duplicate rule ids across packs are an error, never a silent override."""
    packs: list[LoadedPack] = []
    seen: dict[str, Location] = {}
    for source in sources:
        for path, display in resolve_sources(source, base):
            pack = load_pack_file(path, display, max_bytes, explicit=not Path(source).is_dir())
            if pack is None:
                continue
            for loaded in pack.rules:
                if loaded.rule.id in seen:
                    raise RuleError(
                        f"duplicate rule id {loaded.rule.id!r} (first defined at "
                        f"{seen[loaded.rule.id]})",
                        loaded.location,
                        hint="rule ids must be unique across all packs",
                    )
                seen[loaded.rule.id] = loaded.location
            packs.append(pack)
    return packs


def load_pack_file(
    path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES, explicit: bool = True
) -> LoadedPack | None:
    if path.suffix == ".rego":
        return load_rego_pack(path, display, max_bytes)
    loaded = load_yaml_file(path, display, max_bytes)
    if not isinstance(loaded.data, dict):
        raise RuleError("expected a mapping with `kind: RulePack`", loaded.location())
    kind = loaded.data.get("kind")
    if kind in NON_PACK_KINDS and not explicit:
        return None
    if kind != "RulePack":
        raise RuleError(f"expected `kind: RulePack`, found {kind!r}", loaded.location(("kind",)))
    pack = validate(RulePack, loaded, RuleError)
    rules = tuple(
        LoadedRule(rule=rule, pack=pack.metadata.name, location=loaded.location(("rules", i)))
        for i, rule in enumerate(pack.rules)
    )
    for index, rule in enumerate(pack.rules):
        _check_paths(rule, loaded, index)
    return LoadedPack(
        pack=pack, display=display, sha256=loaded.sha256, size=loaded.size, rules=rules
    )


def load_rego_pack(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedPack:
    """A Rego policy is a pack of the rules its METADATA (or its unannotated bodies) declare."""
    from govgate.rules.rego_source import load_rego_file  # only when a policy is configured

    module = load_rego_file(path, display, max_bytes)
    pack = RulePack.model_validate(
        {
            "apiVersion": "govgate/v1",
            "kind": "RulePack",
            "metadata": {
                "name": module.package,
                "version": module.version or "0.0.0",
                "description": module.description,
            },
        }
    )
    rules = tuple(
        LoadedRule(rule=d.rule, pack=module.package, location=d.location) for d in module.declared
    )
    return LoadedPack(
        pack=pack,
        display=display,
        sha256=module.sha256,
        size=module.size,
        rules=rules,
        module=module,
    )


def _check_paths(rule: Rule, loaded: LoadedYaml, index: int) -> None:
    """Malformed fact/document paths are load errors, not surprises at evaluation time."""
    checks: list[tuple[Check, tuple[str | int, ...]]] = [(rule.check, ("rules", index, "check"))]
    if rule.when is not None:
        checks.append((rule.when, ("rules", index, "when")))
    while checks:
        check, where = checks.pop()
        if isinstance(check, AllCheck | AnyCheck):
            checks.extend((c, (*where, "checks", i)) for i, c in enumerate(check.checks))
        elif isinstance(check, NotCheck):
            checks.append((check.check, (*where, "check")))
        elif isinstance(check, FactCheck):
            _parse_or_raise(check.path, loaded, (*where, "path"))
        elif isinstance(check, DocumentCheck):
            for i, field in enumerate(check.fields):
                _parse_or_raise(field.path, loaded, (*where, "fields", i, "path"))


def _parse_or_raise(path: str, loaded: LoadedYaml, where: tuple[str | int, ...]) -> None:
    try:
        parse_path(path)
    except ValueError as exc:
        raise RuleError(str(exc), loaded.location(where)) from None


def policy_digest(packs: list[LoadedPack]) -> str:
    """One digest over every pack's bytes, in load order: what the verdict was judged against."""
    digest = hashlib.sha256()
    for pack in packs:
        digest.update(f"{pack.display}\0{pack.sha256}\n".encode())
    return digest.hexdigest()
