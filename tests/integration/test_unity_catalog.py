"""Unity Catalog models (`databricks-uc`) against a stand-in speaking Databricks' documented
UC model API (RegisteredModelInfo, ModelVersionInfo) and the workspace MLflow runs API."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, approve_any_version
from tests.integration.review_standin import Reply, StandIn, review_standin

TOKEN = "dapi-uc-secret-2718"
FULL = "main.lending.credit_risk"
MODEL = {
    "name": "credit_risk",
    "catalog_name": "main",
    "schema_name": "lending",
    "full_name": FULL,
    "comment": "12-month default risk",
    "owner": "lending-ml",
    "created_at": 1795716480820,
    "updated_at": 1795716481143,
    "aliases": [
        {"alias_name": "champion", "version_num": 6},
        {"alias_name": "candidate", "version_num": 7},
    ],
}


def version(number: int, run_id: str) -> dict[str, object]:
    return {
        "model_name": "credit_risk",
        "catalog_name": "main",
        "schema_name": "lending",
        "version": number,
        "source": f"dbfs:/databricks/mlflow-tracking/1/{run_id}/artifacts/model",
        "run_id": run_id,
        "status": "READY",
        "comment": "",
        "created_by": "ci-bot@example.com",
        "created_at": 1795716481143,
        "updated_at": 1795716481143,
        "aliases": [a for a in MODEL["aliases"] if a["version_num"] == number],  # type: ignore[index]
    }


def run(run_id: str, auc: float) -> dict[str, object]:
    return {
        "run": {
            "info": {
                "run_id": run_id,
                "experiment_id": "1",
                "status": "FINISHED",
                "artifact_uri": f"dbfs:/databricks/mlflow-tracking/1/{run_id}/artifacts",
            },
            "data": {"metrics": [{"key": "auc", "value": auc, "timestamp": 1, "step": 0}]},
        }
    }


def serve(state: StandIn) -> None:
    base = f"/api/2.1/unity-catalog/models/{FULL}"
    state.answer(base, Reply(body=MODEL))
    state.answer(f"{base}/versions/7", Reply(body=version(7, "r7")))
    state.answer(f"{base}/versions/6", Reply(body=version(6, "r6")))
    state.answer(
        "/api/2.0/mlflow/runs/get",
        lambda seen: Reply(
            body=run(seen.query["run_id"], 0.87 if seen.query["run_id"] == "r7" else 0.86)
        ),
    )
    state.answer("/api/2.0/mlflow/artifacts/list", Reply(body={"root_uri": "dbfs:/x"}))


PACK = """apiVersion: govgate/v1
kind: RulePack
metadata: {name: uc}
rules:
  - id: UC-001
    title: No worse than the champion
    severity: blocking
    remediation: Beat the champion.
    check: {kind: metric, name: auc, relative_to: champion, max_regression: 0.01}
"""


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    return approve_any_version(make_repo({"uc.yaml": PACK}, base=EXAMPLES / "credit-risk"))


def gate(govgate, repo: Path, url: str, *args: str, model: str = f"models:/{FULL}@candidate"):
    return govgate(
        "check",
        "--repo",
        str(repo),
        "--output-dir",
        str(repo / "out"),
        "--model",
        model,
        "--tracking-uri",
        "databricks-uc",
        "--rules",
        str(repo / "uc.yaml"),
        "--at",
        "2026-11-26T12:00:00Z",
        *args,
        env={"DATABRICKS_HOST": url, "DATABRICKS_TOKEN": TOKEN},
    )


def test_a_uc_alias_resolves_and_the_relative_metric_rule_runs(govgate, repo: Path) -> None:
    with review_standin() as state:
        serve(state)
        result = gate(govgate, repo, state.url)
    assert result.code == 0, result.stdout + result.stderr
    report = json.loads((repo / "out" / "report.json").read_text())
    assert report["subject"]["version"] == "7"
    uc = next(f for f in report["findings"] if f["rule_id"] == "UC-001")
    assert "@champion (version 6) 0.86" in uc["message"]
    assert all(s.headers["authorization"] == f"Bearer {TOKEN}" for s in state.seen)
    assert any(s.path == f"/api/2.1/unity-catalog/models/{FULL}/versions/7" for s in state.seen)
    assert TOKEN not in result.stdout + (repo / "out" / "report.json").read_text()


def test_an_unknown_uc_version_is_exit_2(govgate, repo: Path) -> None:
    with review_standin() as state:
        serve(state)
        result = gate(govgate, repo, state.url, model=f"models:/{FULL}/9")
    assert result.code == 2
    assert "unity-catalog/model-versions/get main.lending.credit_risk/9: HTTP 404" in result.stdout


def test_a_two_part_name_is_refused_with_the_expected_shape(govgate, repo: Path) -> None:
    with review_standin() as state:
        serve(state)
        result = gate(govgate, repo, state.url, model="models:/credit_risk@candidate")
    assert result.code == 2 and "catalog.schema.model" in result.stdout
    assert state.seen == []


def test_publish_to_uc_is_refused_before_anything_is_written(govgate, repo: Path) -> None:
    with review_standin() as state:
        serve(state)
        result = gate(govgate, repo, state.url, "--publish")
    assert result.code == 2
    assert "publishing to UC is not supported yet" in result.stderr
    assert all(s.method == "GET" for s in state.seen)
