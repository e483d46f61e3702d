"""Every exception rule, each on both sides of its boundary, through the real gate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from govgate.gate import GateOptions, run_check
from govgate.rules.timeexpr import to_datetime
from tests.conftest import EXAMPLES, reapprove

BASE_WAIVER = {
    "id": "EXC-1",
    "rules": ["DATA-001"],
    "models": ["credit-risk"],
    "reason": "Datasheet rewrite for the 2026 refresh",
    "compensating_controls": ["Lineage reviewed by the data steward"],
    "requested_by": "alex@example.com",
    "approved_by": "lead@example.com",
    "approved_on": "2026-11-10",
    "expires_on": "2026-12-05",
}


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    """The complete example without its datasheet: DATA-001 fails unless waived."""
    root = make_repo({}, base=EXAMPLES / "credit-risk")
    (root / "docs" / "datasheet.md").unlink()
    return reapprove(root)  # the approvals are bound to the evidence as it now is


def gate(repo: Path, waivers: list[dict], at: str, **policy: object) -> dict:
    document = {"apiVersion": "govgate/v1", "kind": "ExceptionList", "exceptions": waivers}
    (repo / "governance" / "exceptions.yaml").write_text(yaml.safe_dump(document))
    if policy:
        config = yaml.safe_load((repo / "govgate.yaml").read_text())
        config["exception_policy"].update(policy)
        (repo / "govgate.yaml").write_text(yaml.safe_dump(config))
    when = to_datetime(at)
    assert when is not None
    report = run_check(GateOptions(repo=repo, at=when, env={})).report
    return json.loads(json.dumps(report.to_document()))


def status(report: dict, rule: str) -> list[str]:
    return [f["status"] for f in report["findings"] if f["rule_id"] == rule]


def messages(report: dict, rule: str) -> str:
    return " ".join(f["message"] for f in report["findings"] if f["rule_id"] == rule)


@pytest.mark.parametrize(
    ("at", "data_status", "invalid", "verdict"),
    [
        ("2026-12-04T23:59:59Z", ["waived"], [], "pass"),  # the day before expiry
        ("2026-12-05T00:00:00Z", ["fail"], ["fail"], "fail"),  # the day of expiry
        ("2026-12-06T12:00:00Z", ["fail"], ["fail"], "fail"),  # the day after
    ],
)
def test_expiry_boundary(repo: Path, at: str, data_status, invalid, verdict) -> None:
    report = gate(repo, [BASE_WAIVER], at)
    assert status(report, "DATA-001") == data_status
    assert status(report, "EXCEPTION-INVALID") == invalid
    assert report["verdict"] == verdict
    if invalid:
        assert "exception EXC-1: expired on 2026-12-05" in messages(report, "EXCEPTION-INVALID")
        assert report["exceptions"]["expired"] == ["EXC-1"]


@pytest.mark.parametrize(
    ("at", "expiring"),
    [("2026-11-20T12:00:00Z", []), ("2026-11-21T12:00:00Z", ["warn"])],  # warn_days = 14
)
def test_expiring_soon_warns_with_days_left(repo: Path, at: str, expiring) -> None:
    report = gate(repo, [BASE_WAIVER], at)
    assert status(report, "EXCEPTION-EXPIRING") == expiring
    assert status(report, "DATA-001") == ["waived"]
    if expiring:
        assert "expires in 14 day(s), on 2026-12-05" in messages(report, "EXCEPTION-EXPIRING")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"approved_by": "alex@example.com"}, "alex@example.com, who is not an exception approver"),
        ({"approved_by": None}, "is not approved"),
        ({"reason": "  "}, "has no reason"),
        ({"compensating_controls": []}, "has no compensating control"),
        ({"approved_on": "2026-11-04"}, "lasts 31 days from approval; tier high allows at most 30"),
        ({"approved_on": None}, "has no approved_on date"),
    ],
)
def test_each_validity_rule_blocks_and_names_the_exception(
    repo: Path, change: dict, problem: str
) -> None:
    report = gate(repo, [{**BASE_WAIVER, **change}], "2026-11-26T12:00:00Z")
    assert status(report, "DATA-001") == ["fail"]
    assert status(report, "EXCEPTION-INVALID") == ["fail"]
    assert problem in messages(report, "EXCEPTION-INVALID")
    assert "EXC-1" in messages(report, "EXCEPTION-INVALID")


def test_thirty_days_exactly_is_within_the_high_tier_limit(repo: Path) -> None:
    report = gate(repo, [{**BASE_WAIVER, "approved_on": "2026-11-05"}], "2026-11-26T12:00:00Z")
    assert status(report, "DATA-001") == ["waived"]


def test_self_approval_is_refused_even_by_an_approver(repo: Path) -> None:
    waiver = {**BASE_WAIVER, "requested_by": "lead@example.com"}
    report = gate(repo, [waiver], "2026-11-26T12:00:00Z")
    assert "approved by its own requester" in messages(report, "EXCEPTION-INVALID")
    assert status(report, "DATA-001") == ["fail"]


def test_renewal_cap_counts_the_history(repo: Path) -> None:
    renewal = {
        "renewed_on": "2026-11-10",
        "previous_expires_on": "2026-11-09",
        "approved_by": "lead@example.com",
    }
    within = gate(repo, [{**BASE_WAIVER, "history": [renewal, renewal]}], "2026-11-26T12:00:00Z")
    assert status(within, "DATA-001") == ["waived"]
    over = gate(repo, [{**BASE_WAIVER, "history": [renewal] * 3}], "2026-11-26T12:00:00Z")
    assert "renewed 3 times; the cap is 2" in messages(over, "EXCEPTION-INVALID")


def test_other_models_and_version_ranges_do_not_match(repo: Path) -> None:
    other = gate(repo, [{**BASE_WAIVER, "models": ["fraud"]}], "2026-11-26T12:00:00Z")
    assert status(other, "DATA-001") == ["fail"] and status(other, "EXCEPTION-INVALID") == []
    older = gate(repo, [{**BASE_WAIVER, "versions": "<7"}], "2026-11-26T12:00:00Z")
    assert status(older, "DATA-001") == ["fail"]
    ranged = gate(repo, [{**BASE_WAIVER, "versions": ">=7,<9"}], "2026-11-26T12:00:00Z")
    assert status(ranged, "DATA-001") == ["waived"]


def test_unused_exception_is_listed(repo: Path) -> None:
    report = gate(
        repo,
        [BASE_WAIVER, {**BASE_WAIVER, "id": "EXC-2", "rules": ["CARD-001"]}],
        "2026-11-26T12:00:00Z",
    )
    assert report["exceptions"]["applied"] == ["EXC-1"]
    assert report["exceptions"]["unused"] == ["EXC-2"]


def test_a_rule_marked_not_waivable_cannot_be_waived(repo: Path, tmp_path: Path) -> None:
    pack = (EXAMPLES.parent / "src" / "govgate" / "packs" / "baseline.yaml").read_text()
    pack = pack.replace("metadata:\n  name: baseline", "metadata:\n  name: strict")
    pack = pack.replace(
        "  - id: DATA-001\n    title: Datasheet documents the training data\n",
        "  - id: DATA-001\n    title: Datasheet documents the training data\n    waivable: false\n",
    )
    (repo / "strict.yaml").write_text(pack)
    config = yaml.safe_load((repo / "govgate.yaml").read_text())
    config["rules"] = ["strict.yaml"]
    (repo / "govgate.yaml").write_text(yaml.safe_dump(config))
    report = gate(repo, [BASE_WAIVER], "2026-11-26T12:00:00Z")
    assert status(report, "DATA-001") == ["fail"]
    assert "tries to waive DATA-001, which is not waivable" in messages(report, "EXCEPTION-INVALID")


def test_waived_findings_keep_their_exception_in_the_report(repo: Path) -> None:
    report = gate(repo, [BASE_WAIVER], "2026-11-26T12:00:00Z")
    finding = next(f for f in report["findings"] if f["rule_id"] == "DATA-001")
    assert finding["status"] == "waived"
    assert finding["exception"] == {
        "id": "EXC-1",
        "approved_by": "lead@example.com",
        "expires_on": "2026-12-05",
        "reason": "Datasheet rewrite for the 2026 refresh",
    }
    assert report["summary"]["waived"] == 1


def test_facts_show_the_same_exception_states(govgate, repo: Path) -> None:
    gate(
        repo,
        [
            BASE_WAIVER,
            {**BASE_WAIVER, "id": "EXC-2", "expires_on": "2026-11-01", "approved_on": "2026-10-20"},
        ],
        "2026-11-26T12:00:00Z",
    )
    run = govgate("facts", "--repo", str(repo), "--at", "2026-11-26T12:00:00Z")
    states = {e["id"]: e["state"] for e in json.loads(run.stdout)["exceptions"]}
    assert states == {"EXC-1": "expiring", "EXC-2": "expired"}


def test_a_malformed_exceptions_file_is_exit_2_with_its_line(govgate, repo: Path) -> None:
    (repo / "governance" / "exceptions.yaml").write_text(
        "apiVersion: govgate/v1\nkind: ExceptionList\nexceptions:\n  - id: EXC-1\n"
        "    rules: [DATA-001]\n    expires_on: someday\n"
    )
    run = govgate("check", "--repo", str(repo), "--output-dir", str(repo / "out"))
    assert run.code == 2
    assert "governance/exceptions.yaml:4:" in run.stdout
