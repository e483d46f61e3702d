"""Governance edge cases that must never pass (issue 12, items 1-6): dates in the future or out of
order, bounds escaped by spelling or by NaN, nothing in scope, an unknown version, identities
that differ only in case or spaces."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, git, reapprove

AT = "2026-11-26T12:00:00Z"
EXCEPTIONS = """apiVersion: govgate/v1
kind: ExceptionList
exceptions:
  - id: EXC-1
    rules: [MON-002]
    models: [credit-risk]
    reason: Drift monitor for the new feature store lands in sprint 48
    compensating_controls: [Weekly manual drift review]
    requested_by: {requested_by}
    approved_by: lead@example.com
    approved_on: {approved_on}
    expires_on: {expires_on}
"""


def _check(govgate, repo: Path, out: Path, *args: str) -> tuple[int, dict[str, dict]]:
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT, *args)
    report = json.loads((out / "report.json").read_text())
    return run.code, {f["rule_id"]: f for f in report["findings"]} | {"_report": report}


def _waiver_repo(make_repo: Callable[..., Path], **values: str) -> Path:
    """The example with MON-002 failing (a missing monitor) and one exception for it."""
    monitoring = (EXAMPLES / "credit-risk" / "monitoring" / "monitoring.yaml").read_text()
    broken = monitoring.replace("type: data_quality", "type: data_quality_v2")
    fields = {"requested_by": "alex@example.com", **values}
    return reapprove_committed(
        make_repo(
            {
                "monitoring/monitoring.yaml": broken,
                "governance/exceptions.yaml": EXCEPTIONS.format(**fields),
            },
            base=EXAMPLES / "credit-risk",
            commit_date="2026-11-20T10:00:00+00:00",
        )
    )


def reapprove_committed(repo: Path) -> Path:
    """The edited evidence committed, then approved again, each approver committing their entry."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "evidence", date="2026-11-20T10:00:00+00:00")
    return reapprove(repo)


def test_a_valid_exception_waives_the_finding(govgate, make_repo, tmp_path: Path) -> None:
    repo = _waiver_repo(make_repo, approved_on="2026-11-20", expires_on="2026-12-10")
    code, findings = _check(govgate, repo, tmp_path / "o")
    assert findings["MON-002"]["status"] == "waived" and code == 0


def test_an_exception_approved_after_the_evaluation_time_waives_nothing(
    govgate, make_repo, tmp_path: Path
) -> None:
    repo = _waiver_repo(make_repo, approved_on="2026-12-01", expires_on="2026-12-20")
    code, findings = _check(govgate, repo, tmp_path / "o")
    assert code == 1
    assert findings["MON-002"]["status"] == "fail"
    assert (
        "approved on 2026-12-01, after the evaluation time"
        in (findings["EXCEPTION-INVALID"]["message"])
    )


def test_an_exception_approved_after_it_expires_waives_nothing(
    govgate, make_repo, tmp_path: Path
) -> None:
    # A 400-day waiver written backwards: approved after its own expiry.
    repo = _waiver_repo(make_repo, approved_on="2027-12-31", expires_on="2026-12-01")
    code, findings = _check(govgate, repo, tmp_path / "o", "--at", "2026-11-26T12:00:00Z")
    assert code == 1 and findings["MON-002"]["status"] == "fail"
    assert (
        "approved on 2027-12-31, after it expires on 2026-12-01"
        in (findings["EXCEPTION-INVALID"]["message"])
    )


def test_an_expired_exception_does_not_apply_again_before_its_approval(
    govgate, make_repo, tmp_path: Path
) -> None:
    repo = _waiver_repo(make_repo, approved_on="2026-11-20", expires_on="2026-12-10")
    code, findings = _check(govgate, repo, tmp_path / "o", "--at", "2026-11-01T00:00:00Z")
    assert code == 1 and findings["MON-002"]["status"] == "fail"


def test_self_approval_is_caught_whatever_the_case_and_spaces(
    govgate, make_repo, tmp_path: Path
) -> None:
    repo = _waiver_repo(
        make_repo,
        approved_on="2026-11-20",
        expires_on="2026-12-10",
        requested_by='" Lead@Example.com "',
    )
    code, findings = _check(govgate, repo, tmp_path / "o")
    assert code == 1 and findings["MON-002"]["status"] == "fail"
    assert "approved by its own requester" in findings["EXCEPTION-INVALID"]["message"]


def test_an_approval_dated_in_the_future_is_void(govgate, make_repo, tmp_path: Path) -> None:
    approvals = (EXAMPLES / "credit-risk" / "governance" / "approvals.yaml").read_text()
    repo = make_repo(
        {"governance/approvals.yaml": approvals.replace("on: 2026-11-19", "on: 2027-11-19", 1)},
        base=EXAMPLES / "credit-risk",
        commit_date="2026-11-20T10:00:00+00:00",
    )
    code, findings = _check(govgate, repo, tmp_path / "o")
    assert code == 1
    appr = findings["APPR-001"]
    assert appr["status"] == "fail"
    assert any(
        "is dated 2027-11-19, after the evaluation time" in e["message"] for e in appr["evidence"]
    )


def test_approvals_for_a_version_do_not_count_when_the_version_is_unknown(
    govgate, make_repo, tmp_path: Path
) -> None:
    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
    repo = make_repo(
        {"govgate.yaml": config.replace("models:/credit-risk/7", "models:/credit-risk@champion")},
        base=EXAMPLES / "credit-risk",
        commit_date="2026-11-20T10:00:00+00:00",
    )
    code, findings = _check(govgate, repo, tmp_path / "o")
    assert code == 1
    assert findings["_report"]["subject"]["version"] is None
    assert any(
        "covers version 7, but the version under review is unknown" in e["message"]
        for e in findings["APPR-001"]["evidence"]
    )


def test_a_bound_applies_to_the_metric_whatever_its_case(
    govgate, make_repo, tmp_path: Path
) -> None:
    monitoring = (EXAMPLES / "credit-risk" / "monitoring" / "monitoring.yaml").read_text()
    loose = monitoring.replace("metric: psi\n    threshold: 0.2", "metric: PSI\n    threshold: 0.5")
    repo = make_repo(
        {"monitoring/monitoring.yaml": loose},
        base=EXAMPLES / "credit-risk",
        commit_date="2026-11-20T10:00:00+00:00",
    )
    code, findings = _check(govgate, repo, tmp_path / "o")
    assert code == 1
    assert "looser than the policy bound 0.2" in findings["MON-002"]["message"]


@pytest.mark.parametrize(("value", "shown"), [(".nan", "nan"), (".inf", "inf"), ("-.inf", "-inf")])
def test_a_threshold_that_is_not_a_finite_number_meets_no_bound(
    govgate, make_repo, tmp_path: Path, value: str, shown: str
) -> None:
    monitoring = (EXAMPLES / "credit-risk" / "monitoring" / "monitoring.yaml").read_text()
    broken = monitoring.replace("threshold: 0.2", f"threshold: {value}")
    repo = make_repo(
        {"monitoring/monitoring.yaml": broken},
        base=EXAMPLES / "credit-risk",
        commit_date="2026-11-20T10:00:00+00:00",
    )
    code, findings = _check(govgate, repo, tmp_path / "o")
    assert code == 1
    assert f"threshold is not a finite number ({shown})" in findings["MON-002"]["message"]


def test_a_gate_where_no_rule_is_in_scope_is_an_error(govgate, make_repo, tmp_path: Path) -> None:
    pack = """apiVersion: govgate/v1
kind: RulePack
metadata: {name: low-only}
rules:
  - id: LOW-001
    title: Low tier only
    severity: blocking
    tiers: [low]
    remediation: n/a
    check: {kind: artifact, artifact: model_card}
"""
    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
    repo = make_repo(
        {"govgate.yaml": config.replace("[builtin:baseline]", "[rules/]"), "rules/low.yaml": pack},
        base=EXAMPLES / "credit-risk",
    )
    run = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"), "--at", AT)
    assert run.code == 2, run.stdout
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    assert report["verdict"] == "error"
    assert "no rule applies to tier high, stage release" in report["errors"][0]["message"]
