"""builtin:baseline-rego is baseline.yaml in Rego: the same rules, and the same verdict per rule.

Every case of every case file that tests builtin:baseline runs twice, once on the YAML pack and
once with the Rego pack in its place; every finding must have the same status, not only the ones
a case expects. A few more cases, on values the shipped fixtures never hold (impossible dates,
wrong types, other spellings of the name), check that the Rego rules neither drift from the native
checks nor stop the whole package with a built-in error.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from govgate.casetest.cases import CaseFile, CaseResult, find_case_files, load_case_file, run_cases
from govgate.findings import Finding
from govgate.rules.loader import load_packs
from govgate.sources.git import SHALLOW
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow  # regopy evaluates every baseline case: ~30 s of CPU

YAML_PACK = "builtin:baseline"
REGO_PACK = "builtin:baseline-rego"
# A native check reports `error` when its artifact cannot be read or has the wrong format; a Rego
# message can only fail (or warn on) the rule. Any other difference is a bug in the translation.
NATIVE_ERROR_AS = frozenset({"fail", "warn"})


def _baseline_case_files() -> list[Path]:
    return [
        path
        for path in find_case_files([ROOT / "rules"])
        if YAML_PACK in load_case_file(path, str(path)).packs
    ]


CASE_FILES = _baseline_case_files()


@cache
def _runs(path: Path) -> tuple[CaseFile, CaseFile]:
    """The case file on the YAML pack and, with only that pack swapped, on the Rego pack."""
    packs = load_case_file(path, str(path)).packs
    swapped = [REGO_PACK if source == YAML_PACK else source for source in packs]
    return run_cases(path), run_cases(path, packs=swapped)


def _case_ids(path: Path) -> list[tuple[Path, int]]:
    return [(path, i) for i in range(len(load_case_file(path, str(path)).cases))]


def _differences(native: CaseResult, rego: CaseResult, *, error_may_fail: bool = False) -> str:
    """One line per rule whose status differs or that only one pack reported."""
    by_native = {f.rule_id: f for f in native.findings}
    by_rego = {f.rule_id: f for f in rego.findings}
    lines = []
    for rule_id in sorted(by_native.keys() | by_rego.keys()):
        yaml_finding, rego_finding = by_native.get(rule_id), by_rego.get(rule_id)
        if yaml_finding and rego_finding:
            if yaml_finding.status == rego_finding.status:
                continue
            if (
                error_may_fail
                and yaml_finding.status == "error"
                and rego_finding.status in NATIVE_ERROR_AS
            ):
                continue
        lines += [
            f"  {rule_id}: yaml {_show(yaml_finding)}",
            f"  {rule_id}: rego {_show(rego_finding)}",
        ]
    if not lines:
        return ""
    return f"case {native.case!r} ({native.file}):\n" + "\n".join(lines)


def _show(finding: Finding | None) -> str:
    if finding is None:
        return "(no finding)"
    return f"{finding.status}: {finding.message}"


@pytest.mark.parametrize(
    ("path", "index"),
    [case for path in CASE_FILES for case in _case_ids(path)],
    ids=lambda value: value.stem if isinstance(value, Path) else str(value),
)
def test_every_finding_has_the_same_status_on_both_packs(path: Path, index: int) -> None:
    native, rego = _runs(path)
    native_result, rego_result = native.results[index], rego.results[index]
    assert native_result.case == rego_result.case
    assert list(native_result.actual) == list(rego_result.actual), "rule ids or their order differ"
    assert not _differences(native_result, rego_result), _differences(native_result, rego_result)


def test_why_an_approval_is_void_reads_the_same_on_both_packs() -> None:
    """Where APPR-001 fails on both packs, each void approval's reason (roster, dates, evidence,
    authorship, duplicates, separation of duties) is the same text on both. (A passing Rego rule
    carries no evidence, so only failures are compared.)"""
    compared = 0
    for path in CASE_FILES:
        for native, rego in zip(*(run.results for run in _runs(path)), strict=True):
            pair = [
                next((f for f in r.findings if f.rule_id == "APPR-001"), None)
                for r in (native, rego)
            ]
            if not all(f is not None and f.status == "fail" for f in pair):
                continue
            yaml_notes, rego_notes = (
                sorted(e.message for e in f.evidence if "approval by" in e.message)
                for f in pair
                if f is not None
            )
            assert yaml_notes == rego_notes, native.case
            compared += len(yaml_notes)
    assert compared >= 15  # the void-approval cases of baseline.tests.yaml


def test_the_compared_cases_pass_and_fail_every_rule() -> None:
    """Parity is only as good as the cases: each rule is seen passing and failing on both."""
    seen: dict[str, set[str]] = {}
    for path in CASE_FILES:
        native, _ = _runs(path)
        for result in native.results:
            for rule_id, status in result.actual.items():
                seen.setdefault(rule_id, set()).add(status)
    [pack] = load_packs([YAML_PACK], ROOT)
    for loaded in pack.rules:
        statuses = seen.get(loaded.rule.id, set())
        assert "pass" in statuses, f"{loaded.rule.id} never passes in the compared cases"
        assert statuses & {"fail", "warn"}, f"{loaded.rule.id} never fails in the compared cases"


def _declared(source: str) -> dict[str, dict[str, Any]]:
    [pack] = load_packs([source], ROOT)
    return {
        loaded.rule.id: {
            "title": loaded.rule.title,
            "severity": loaded.rule.severity,
            "tiers": loaded.rule.tiers,
            "stages": loaded.rule.stages,
            "controls": loaded.rule.controls,
            "waivable": loaded.rule.waivable,
            "remediation": " ".join(loaded.rule.remediation.split()),
            "description": " ".join((loaded.rule.description or "").split()),
        }
        for loaded in pack.rules
    }


def test_the_rego_pack_declares_the_yaml_rules_with_the_same_metadata() -> None:
    native, rego = _declared(YAML_PACK), _declared(REGO_PACK)
    assert list(rego) == list(native)  # same ids, in report order
    for rule_id, metadata in native.items():
        assert rego[rule_id] == metadata, rule_id


# --- values the shipped fixtures never hold -----------------------------------------------------

_MONITOR = {"window": "7d", "alert_route": "pd", "runbook": "https://wiki/r"}
_ROLES = {
    "model_risk": ["lee@example.com"],
    "privacy": ["sam@example.com"],
    "security": ["kim@example.com"],
}


def _approval(by: str, role: str | None, **extra: Any) -> dict[str, Any]:
    return {"by": by, "on": "2026-11-18T00:00:00Z", "source": "file", "role": role, **extra}


def _risk(**data: Any) -> dict[str, Any]:
    return {"artifacts": {"risk_assessment": {"data": data}}}


def _monitors(*monitors: Any, **data: Any) -> dict[str, Any]:
    return {"artifacts": {"monitoring": {"data": {"monitors": list(monitors), **data}}}}


EDGE_CASES: list[dict[str, Any]] = [
    {"name": "the name in other spellings", "subject": {"name": "Credit_RISK"}},
    {"name": "a name with a dot", "subject": {"name": "credit.risk"}},
    {"name": "a longer name", "subject": {"name": "credit-risk-v2"}},
    {"name": "the name at the start of a line", "artifacts": {"model_card": "line-start.md"}},
    {"name": "the name split over two lines", "artifacts": {"model_card": "split.md"}},
    {"name": "the name in curly quotes", "artifacts": {"model_card": "quoted.md"}},
    {"name": "the name only in front matter", "artifacts": {"model_card": "front-matter.md"}},
    {"name": "an impossible date", "patch": _risk(reviewed_on="2026-02-30")},
    {"name": "a date-time with an offset", "patch": _risk(reviewed_on="2025-11-26T13:00+01:00")},
    {"name": "a date-time without a zone", "patch": _risk(reviewed_on="2025-11-26 12:00:01")},
    {"name": "a date that is a number", "patch": _risk(reviewed_on=20261020, owner=5)},
    {"name": "fields of other types", "patch": _risk(owner=True, residual_risk=["low"])},
    {"name": "empty hazards and mitigations", "patch": _risk(hazards=[], mitigations={})},
    {"name": "hazards that are a number or text", "patch": _risk(hazards=3, mitigations="none")},
    {"name": "an owner given as a list", "patch": _risk(owner=["lee@example.com"])},
    {"name": "an owner given as a mapping", "patch": _risk(owner={"email": "lee@example.com"})},
    {"name": "hazards as a mapping", "patch": _risk(hazards={"bias": "age"}, mitigations=[0])},
    {
        "name": "a risk assessment that is a list",
        "patch": {"artifacts": {"risk_assessment": {"data": [1]}}},
    },
    {
        "name": "monitors of every wrong kind",
        "patch": _monitors(
            7,
            {"type": "data_drift", "metric": "psi", "threshold": True, **_MONITOR, "window": ""},
            {"type": "performance", "metric": "auc", "threshold": 0, **_MONITOR, "runbook": 5},
            {"name": "", "type": "prediction_drift", "metric": "psi", "threshold": "0.1"},
            {"type": "data_quality", "metric": "psi", "threshold": 0.21, **_MONITOR},
            incident_contact="   ",
        ),
    },
    {
        "name": "a monitoring plan that is null",
        "patch": {"artifacts": {"monitoring": {"data": None}}},
    },
    {
        "name": "approvals void for model, date and evidence",
        "patch": {
            "roles": _ROLES,
            "approvals": [
                _approval("LEE@example.com", "model_risk", model="other"),
                _approval("sam@example.com", "privacy", on=None),
                _approval("kim@example.com", "security", artifacts={"model_card": "0" * 64}),
                _approval("kim@example.com", None, evidence_digest="0" * 64),
            ],
        },
    },
    {
        "name": "reviews, rejections and conflicts",
        "subject": {"version": None},
        "patch": {
            "roles": {**_ROLES, "model_risk": ["Lee@Example.com", "max@example.com"]},
            "approvals": [
                _approval("lee@example.com", None, source="github"),
                _approval("eve@example.com", None, decision="rejected"),
                _approval("max@example.com", None, decision="rejected", version="6"),
                _approval("sam@example.com", "privacy", on="2026-05-30T00:00:01Z"),
                _approval("KIM@example.com", "security"),
            ],
            "change": {"provider": "github", "number": "1", "author": None},
            "exceptions": [
                {
                    "id": "EXC-1",
                    "rules": ["DATA-001"],
                    "state": "active",
                    "days_left": 9,
                    "expires_on": "2026-12-05",
                    "requested_by": "kim@EXAMPLE.com",
                },
            ],
        },
    },
    {"name": "a model card that is YAML", "artifacts": {"model_card": "plan.yaml"}},
    {"name": "a stub section before the filled one", "artifacts": {"model_card": "stub-first.md"}},
    {"name": "two sections of equal length", "artifacts": {"model_card": "equal-stubs.md"}},
    {"name": "an unreadable model card", "patch": {"artifacts": {"model_card": {"error": "boom"}}}},
    {
        "name": "a model card dated where a shallow clone cut its history",
        "patch": {
            "artifacts": {"model_card": {"last_commit": None, "last_commit_unknown": SHALLOW}}
        },
    },
    {
        "name": "a model card that is gone",
        "patch": {"artifacts": {"model_card": {"exists": False}}},
    },
]

CARDS = {
    "line-start.md": "# Model card\n\ncredit-risk ranks loan applications.\n",
    "split.md": "# Model card\n\nThis is credit\nrisk, a ranking model.\n",
    "quoted.md": "# Model card\n\nThe \u201ccredit-risk\u201d model, na\u00efve caf\u00e9.\n",
    "front-matter.md": "---\nmodel: credit-risk\n---\n# Card\n\nA ranking model.\n",
    "plan.yaml": "owner: lending-ml@example.com\n",
    "stub-first.md": (EXAMPLES / "credit-risk" / "docs" / "model_card.md")
    .read_text()
    .replace("## Intended Use", "## Limitations\n\nSee below.\n\n## Intended Use", 1),
    "equal-stubs.md": "# Card\n\n## Limitations\n\nOne two.\n\n## Limitations\n\nThree four.\n",
}


@pytest.fixture(scope="module")
def edge_case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rego-parity")
    for name, text in CARDS.items():
        (folder / name).write_text(text, encoding="utf-8")
    example = EXAMPLES / "credit-risk"
    tests = {
        "apiVersion": "govgate/v1",
        "kind": "RuleTests",
        "packs": [YAML_PACK],
        "base": {
            "subject": {"name": "credit-risk", "version": "7", "risk_tier": "high"},
            "artifacts": {
                "model_card": str(example / "docs" / "model_card.md"),
                "risk_assessment": str(example / "governance" / "risk_assessment.yaml"),
                "datasheet": str(example / "docs" / "datasheet.md"),
                "evaluation_report": str(example / "reports" / "evaluation.md"),
                "monitoring": str(example / "monitoring" / "monitoring.yaml"),
            },
        },
        # Only parity is asserted here; every case must still name an expectation.
        "cases": [
            {"at": "2026-11-26", "expect": {"CARD-001": "pass"}, **case} for case in EDGE_CASES
        ],
    }
    path = folder / "edge.tests.yaml"
    path.write_text(yaml.safe_dump(tests, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def edge_runs(edge_case_file: Path) -> tuple[CaseFile, CaseFile]:
    return run_cases(edge_case_file), run_cases(edge_case_file, packs=[REGO_PACK])


def test_unusual_values_give_the_same_statuses_on_both_packs(
    edge_runs: tuple[CaseFile, CaseFile],
) -> None:
    native, rego = edge_runs
    differences = [
        _differences(n, r, error_may_fail=True)
        for n, r in zip(native.results, rego.results, strict=True)
    ]
    assert not any(differences), "\n".join(d for d in differences if d)
    # the Rego package never fails as a whole, whatever the values
    assert not [
        f
        for r in rego.results
        for f in r.findings
        if f.message.startswith("Rego evaluation failed")
    ]


def test_an_unreadable_artifact_is_an_error_natively_and_a_failure_in_rego(
    edge_runs: tuple[CaseFile, CaseFile],
) -> None:
    index = [case["name"] for case in EDGE_CASES].index("an unreadable model card")
    native, rego = (run.results[index].actual for run in edge_runs)
    assert (native["CARD-001"], native["CARD-004"]) == ("error", "error")
    assert (rego["CARD-001"], rego["CARD-004"]) == ("fail", "warn")


def test_a_shallow_cut_date_is_an_error_natively_and_never_a_pass_in_rego(
    edge_runs: tuple[CaseFile, CaseFile],
) -> None:
    index = [case["name"] for case in EDGE_CASES].index(
        "a model card dated where a shallow clone cut its history"
    )
    native, rego = (run.results[index] for run in edge_runs)
    assert native.actual["CARD-004"] == "error"
    assert rego.actual["CARD-004"] == "warn"  # a warning rule's failure: not a pass
    for result in (native, rego):
        [card] = [f for f in result.findings if f.rule_id == "CARD-004"]
        assert "fetch-depth: 0" in card.message
