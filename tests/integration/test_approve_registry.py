"""`govgate approve` with an alias: the version comes from the registry, as the check's does."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from govgate.yamlio import parse_yaml
from tests.conftest import EXAMPLES, commit_approvals
from tests.integration.conftest import seed

AT = "2026-11-26T12:00:00Z"
SIGN_OFFS = (
    ("model_risk", "lee@example.com", "2026-11-18"),
    ("privacy", "sam@example.com", "2026-11-19"),
    ("security", "kim@example.com", "2026-11-19"),
)


@pytest.fixture
def sqlite_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)  # the store's default artifact root is ./mlruns
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    seed(uri)
    return uri


def test_an_alias_is_resolved_in_the_registry_and_the_check_counts_the_approval(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, sqlite_store: str
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk", commit_date="2026-11-20T10:00:00+00:00")
    (repo / "governance" / "approvals.yaml").unlink()
    alias = ("--model", "models:/credit-risk@candidate", "--tracking-uri", sqlite_store)
    for role, by, on in SIGN_OFFS:
        run = govgate(
            "approve",
            "--repo",
            str(repo),
            "--role",
            role,
            "--by",
            by,
            "--on",
            on,
            *alias,
            cwd=tmp_path,
        )
        assert run.code == 0, run.stderr
        assert "version unknown" not in run.stdout
    path = repo / "governance" / "approvals.yaml"
    entries = parse_yaml(path.read_text(), str(path)).data["approvals"]
    assert {e["covers"]["version"] for e in entries} == {"2"}  # what @candidate names
    commit_approvals(repo)  # each approver commits their own entry
    out = tmp_path / "out"
    check = govgate(
        "check", "--repo", str(repo), "--output-dir", str(out), "--at", AT, *alias, cwd=tmp_path
    )
    assert check.code == 0, check.stdout + check.stderr
    report = json.loads((out / "report.json").read_text())
    appr = next(f for f in report["findings"] if f["rule_id"] == "APPR-001")
    assert report["subject"]["version"] == "2" and appr["status"] == "pass"
