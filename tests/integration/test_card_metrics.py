"""card_metrics against a real MLflow server: what the card states agrees with the run, or fails
showing both values and where each came from."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.integration.conftest import MlflowServer
from tests.integration.test_mlflow_gate import AT, registry_repo

PACK = """apiVersion: govgate/v1
kind: RulePack
metadata: {name: card-metrics, version: 1.0.0}
rules:
  - id: CM-001
    title: The card's metrics agree with the registered run
    severity: blocking
    remediation: Update the card from the run of the version being released.
    check: {kind: card_metrics, artifact: model_card, tolerance: 0.005, min_compared: 1}
"""


def _check(govgate, repo: Path, out: Path, alias: str, url: str):
    return govgate(
        "check", "--repo", str(repo), "--output-dir", str(out), "--at", AT,
        "--model", f"models:/credit-risk@{alias}", "--tracking-uri", url,
    )  # fmt: skip


def _finding(out: Path) -> dict[str, object]:
    report = json.loads((out / "report.json").read_text())
    return next(f for f in report["findings"] if f["rule_id"] == "CM-001")


def test_the_cards_auc_agrees_with_the_candidates_run(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    # The example card states "an AUC of 0.87"; @candidate's run logged auc 0.87 (last step).
    repo = registry_repo(make_repo, {"cm.yaml": PACK}, "[rules/]")
    run = _check(govgate, repo, tmp_path / "out", "candidate", mlflow_server.url)
    finding = _finding(tmp_path / "out")
    assert finding["status"] == "pass", run.stdout + run.stderr
    assert "auc 0.87" in str(finding["message"])


def test_a_card_written_for_another_version_fails_with_both_values(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    repo = registry_repo(make_repo, {"cm.yaml": PACK}, "[rules/]")
    run = _check(govgate, repo, tmp_path / "out", "weak", mlflow_server.url)  # run auc 0.80
    assert run.code == 1, run.stdout + run.stderr
    finding = _finding(tmp_path / "out")
    assert finding["status"] == "fail"
    (evidence,) = finding["evidence"]
    assert "auc: the card states 0.87 (line " in evidence["message"]
    assert "logged 0.8 (tolerance 0.005)" in evidence["message"]
    assert evidence["location"]["path"] == "docs/model_card.md"
    assert evidence["location"]["line"] == 36  # "AUC of 0.87" in the Evaluation section


def test_card_metrics_without_a_registry_is_an_error_not_a_pass(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = registry_repo(make_repo, {"cm.yaml": PACK}, "[rules/]")
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    assert run.code == 2, run.stdout + run.stderr
    assert _finding(out)["status"] == "error"
