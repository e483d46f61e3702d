"""`govgate exceptions` through the CLI: the edit shows up in the gate, comments stay."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import EXAMPLES

AT = "2026-11-26T12:00:00Z"


def test_renewing_an_expired_exception_unblocks_the_gate_and_keeps_comments(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    exceptions = repo / "governance" / "exceptions.yaml"
    before = exceptions.read_text()
    listed = govgate("exceptions", "--repo", str(repo), "list", "--at", "2026-11-26")
    assert listed.code == 0
    assert "EXC-2026-014     expired" in listed.stdout
    renew = govgate(
        "exceptions",
        "--repo",
        str(repo),
        "renew",
        "EXC-2026-014",
        "--expires-on",
        "2026-12-20",
        "--approved-by",
        "lead@example.com",
        "--on",
        "2026-11-26",
    )
    assert renew.code == 0, renew.stderr
    after = exceptions.read_text()
    assert "# Expired: the monitoring plan was due by the end of October." in after
    assert after.splitlines()[:20] == before.splitlines()[:20]  # EXC-2026-021 untouched
    out = tmp_path / "out"
    govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    report = json.loads((out / "report.json").read_text())
    assert report["exceptions"]["expired"] == []
    assert "EXC-2026-014" in report["exceptions"]["applied"]


def test_renewal_cap_and_unknown_ids_are_refused_without_touching_the_file(
    govgate, make_repo: Callable[..., Path]
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    config = repo / "govgate.yaml"
    config.write_text(
        config.read_text().replace("  warn_days: 14\n", "  warn_days: 14\n  max_renewals: 0\n")
    )
    exceptions = repo / "governance" / "exceptions.yaml"
    before = exceptions.read_bytes()
    capped = govgate(
        "exceptions",
        "--repo",
        str(repo),
        "renew",
        "EXC-2026-021",
        "--expires-on",
        "2026-12-20",
        "--approved-by",
        "lead@example.com",
    )
    assert capped.code == 2 and "max_renewals" in capped.stderr
    unknown = govgate("exceptions", "--repo", str(repo), "close", "EXC-9")
    assert unknown.code == 2 and "no exception with id 'EXC-9'" in unknown.stderr
    assert exceptions.read_bytes() == before


def test_add_then_close(govgate, make_repo: Callable[..., Path]) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    add = govgate(
        "exceptions",
        "--repo",
        str(repo),
        "add",
        "--id",
        "EXC-2026-030",
        "--rule",
        "EVAL-001",
        "--reason",
        "Evaluation report in review",
        "--control",
        "Model risk reviewed the raw metrics",
        "--requested-by",
        "alex@example.com",
        "--approved-by",
        "lead@example.com",
        "--approved-on",
        "2026-11-25",
        "--expires-on",
        "2026-12-10",
    )
    assert add.code == 0, add.stderr
    close = govgate(
        "exceptions", "--repo", str(repo), "close", "EXC-2026-030", "--on", "2026-11-26"
    )
    assert close.code == 0
    listed = govgate("exceptions", "--repo", str(repo), "list", "--at", "2026-11-26")
    assert "EXC-2026-030     closed" in listed.stdout


def test_list_judges_exactly_as_the_gate_does(govgate, make_repo: Callable[..., Path]) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    exceptions = repo / "governance" / "exceptions.yaml"
    exceptions.write_text(
        exceptions.read_text().replace(
            "    approved_by: lead@example.com\n    approved_on: 2026-11-10",
            "    approved_by: alex@example.com\n    approved_on: 2026-11-10",
        )
    )
    listed = govgate("exceptions", "--repo", str(repo), "list", "--at", "2026-11-26")
    assert "EXC-2026-021     invalid" in listed.stdout
    assert "- approved by alex@example.com, who is not an exception approver" in listed.stdout
    assert "- approved by its own requester" in listed.stdout
    assert "governance/exceptions.yaml:5:5" in listed.stdout
