"""Rule-pack unit tests (`kind: RuleTests`): Facts fixtures, a time, and the expected statuses.

A case file names the packs it tests and a base subject and artifacts (files next to the case
file, read and parsed exactly as the gate reads them); each case patches that base and states the
status every listed rule must end in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, TypeAdapter, ValidationError

from govgate.artifacts.vocabulary import Vocabulary
from govgate.config import ArtifactSpec, RegoSettings
from govgate.engines.evaluate import evaluate, policy_engine
from govgate.errors import RuleError
from govgate.facts import ArtifactFacts, Facts, RepoFacts, Subject, evidence_digest
from govgate.findings import Finding, Status
from govgate.location import Location
from govgate.rules.loader import load_packs, topic_vocabulary
from govgate.sources.repo import read_artifact
from govgate.strict import StrictModel
from govgate.utc import aware
from govgate.yamlio import DEFAULT_MAX_BYTES, load_yaml_file, validate


class CaseBase(StrictModel):
    subject: dict[str, Any]
    artifacts: dict[str, str] = Field(
        default_factory=dict, description="Artifact name to a file, relative to the case file."
    )


class Case(StrictModel):
    name: str
    at: datetime | date = Field(description="Evaluation time: cases are reproducible.")
    subject: dict[str, Any] = Field(default_factory=dict, description="Patch on the subject.")
    artifacts: dict[str, str | None] = Field(
        default_factory=dict, description="Replace an artifact's file; null makes it absent."
    )
    patch: dict[str, Any] = Field(
        default_factory=dict, description="Deep merge onto the Facts document."
    )
    expect: dict[str, Status] = Field(min_length=1)


class RuleTests(StrictModel):
    api_version: Literal["govgate/v1"] = Field(alias="apiVersion")
    kind: Literal["RuleTests"]
    packs: list[str] = Field(min_length=1, description="Packs under test, as in govgate.yaml.")
    variants: list[list[str]] = Field(
        default_factory=list,
        description=(
            "Other pack lists that must meet every expectation too, e.g. the same rules in Rego: "
            "each case runs once per variant."
        ),
    )
    base: CaseBase
    cases: list[Case] = Field(min_length=1)


@dataclass(frozen=True)
class CaseResult:
    file: str
    case: str
    expected: dict[str, Status]
    actual: dict[str, Status]
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        return all(self.actual.get(rule) == status for rule, status in self.expected.items())

    def mismatches(self) -> list[str]:
        return [
            f"{rule}: expected {status}, got {self.actual.get(rule, 'no finding')}"
            for rule, status in self.expected.items()
            if self.actual.get(rule) != status
        ]


@dataclass(frozen=True)
class CaseFile:
    """One case file's results, and the rules its packs declare (for coverage)."""

    path: str
    rules: tuple[str, ...]
    results: tuple[CaseResult, ...]
    variant: tuple[str, ...] | None = None  # the packs a variant run replaced `packs` with


def load_case_file(path: Path, display: str) -> RuleTests:
    return validate(RuleTests, load_yaml_file(path, display), RuleError)


def run_case_file(path: Path) -> list[CaseResult]:
    return list(run_cases(path).results)


def run_all(path: Path) -> list[CaseFile]:
    """The case file on its packs, then on each of its variants."""
    variants = load_case_file(path, str(path)).variants
    return [run_cases(path)] + [run_cases(path, packs=v) for v in variants]


def run_cases(path: Path, packs: list[str] | None = None) -> CaseFile:
    """Run every case of a file; `packs` replaces the packs it names (parity runs use it)."""
    tests = load_case_file(path, str(path))
    folder = path.parent
    loaded = load_packs(packs if packs is not None else tests.packs, folder)
    rules = [r for p in loaded for r in p.rules]
    engine = policy_engine(loaded, RegoSettings())
    vocabulary = topic_vocabulary(loaded)
    results = []
    for index, case in enumerate(tests.cases):
        try:
            facts = _facts_for(tests.base, case, folder, vocabulary)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise RuleError(
                f"case {case.name!r}: its subject or patch is not a valid Facts document: "
                f"{where}: {first['msg']}",
                Location(path=str(path), key_path=f"cases[{index}]"),
                hint="`govgate facts` prints a valid document to patch",
            ) from None
        at = aware(case.at)
        findings = evaluate(facts, rules, at, engine)
        results.append(
            CaseResult(
                file=str(path),
                case=case.name,
                expected=dict(case.expect),
                actual={f.rule_id: f.status for f in findings},
                findings=tuple(findings),
            )
        )
    variant = tuple(packs) if packs is not None else None
    return CaseFile(str(path), tuple(r.rule.id for r in rules), tuple(results), variant)


def _facts_for(base: CaseBase, case: Case, folder: Path, vocabulary: Vocabulary) -> Facts:
    files: dict[str, str | None] = {**base.artifacts, **case.artifacts}
    artifacts = {
        name: _read_fixture(folder / rel, name, vocabulary)
        for name, rel in files.items()
        if rel is not None
    }
    facts = Facts(
        subject=TypeAdapter(Subject).validate_python({**base.subject, **case.subject}),
        repo=RepoFacts(root=str(folder)),
        artifacts=artifacts,
        evidence_digest=evidence_digest(artifacts),  # as the gate pins them, for approvals
    )
    if not case.patch:
        return facts
    patched = TypeAdapter(Facts).validate_python(_merge(facts.as_document(), case.patch))
    # key_lines is not part of the document; keep it so findings still carry line numbers.
    return replace(
        patched,
        artifacts={
            name: replace(a, key_lines=artifacts[name].key_lines) if name in artifacts else a
            for name, a in patched.artifacts.items()
        },
    )


def _read_fixture(path: Path, name: str, vocabulary: Vocabulary) -> ArtifactFacts:
    """Fixtures are read and parsed exactly as the gate reads artifacts."""
    if not path.is_file():
        raise RuleError(f"fixture for artifact {name!r} not found: {path}")
    spec = ArtifactSpec(path=path.name)
    return read_artifact(path.parent, name, spec, DEFAULT_MAX_BYTES, vocabulary)


def _merge(into: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = dict(into)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def find_case_files(paths: list[Path]) -> list[Path]:
    """Case files are `*.tests.yaml` (or `.yml`) files, searched recursively in folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.name.endswith((".tests.yaml", ".tests.yml"))
            )
        elif path.is_file():
            found.append(path)
        else:
            raise RuleError(f"no such file or folder: {path}")
    return found
