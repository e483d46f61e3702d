"""Approvals through the CLI: the repo's file, bound to the evidence it approved."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import EXAMPLES

AT = "2026-11-26T12:00:00Z"


def appr(out: Path) -> dict:
    report = json.loads((out / "report.json").read_text())
    return next(f for f in report["findings"] if f["rule_id"] == "APPR-001")


def test_an_approval_bound_to_the_card_stops_counting_when_the_card_changes(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    card = repo / "docs" / "model_card.md"
    digest = hashlib.sha256(card.read_bytes()).hexdigest()
    approvals = repo / "governance" / "approvals.yaml"
    approvals.write_text(
        approvals.read_text().replace(
            '    covers: {model: credit-risk, version: "7"}\n    ref: MRC-2026-11 minutes, item 4',
            '    covers:\n      model: credit-risk\n      version: "7"\n'
            f"      artifacts: {{model_card: {digest}}}\n    ref: MRC-2026-11 minutes, item 4",
        )
    )
    out = tmp_path / "out"
    before = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    assert before.code == 0, before.stdout
    assert appr(out)["status"] == "pass"

    card.write_text(card.read_text() + "\nA late edit after the committee met.\n")
    after = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    assert after.code == 1
    finding = appr(out)
    assert finding["status"] == "fail"
    void = [e for e in finding["evidence"] if "changed after it was given" in e["message"]]
    assert void and "model_card" in void[0]["message"]
    assert void[0]["location"]["path"] == "governance/approvals.yaml"
    assert void[0]["location"]["line"] == 5


def test_a_whole_evidence_digest_from_facts_binds_every_artifact(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    facts = json.loads(govgate("facts", "--repo", str(repo)).stdout)
    approvals = repo / "governance" / "approvals.yaml"
    approvals.write_text(
        approvals.read_text().replace(
            'covers: {model: credit-risk, version: "7"}\n    ref: DPIA-0042',
            'covers: {model: credit-risk, version: "7", '
            f"evidence_digest: {facts['evidence_digest']}}}\n    ref: DPIA-0042",
        )
    )
    out = tmp_path / "out"
    assert govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT).code == 0
    monitoring = repo / "monitoring" / "monitoring.yaml"
    monitoring.write_text(monitoring.read_text().replace("window: 30d", "window: 60d"))
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    assert run.code == 1
    assert "evidence changed after it was given" in json.dumps(appr(out)["evidence"])


def test_an_approvals_file_with_a_bad_date_is_exit_2(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    approvals = repo / "governance" / "approvals.yaml"
    approvals.write_text(approvals.read_text().replace("on: 2026-11-19", "on: last tuesday", 1))
    run = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"))
    assert run.code == 2
    assert "governance/approvals.yaml:12:" in run.stdout
