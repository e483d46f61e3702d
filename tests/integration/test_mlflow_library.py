"""`sqlite:///` tracking URIs go through the mlflow library (the `make demo` default)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, approve_any_version
from tests.integration.conftest import seed
from tests.integration.test_mlflow_gate import ML_PACK


@pytest.fixture
def sqlite_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)  # the store's default artifact root is ./mlruns
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    seed(uri)
    return uri


def test_sqlite_store_passes_and_publishes_through_the_library(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, sqlite_store: str
) -> None:
    from mlflow import MlflowClient

    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
    config = config.replace("rules: [builtin:baseline]", "rules: [builtin:baseline, rules/]")
    repo = approve_any_version(
        make_repo(
            {"govgate.yaml": config, "rules/ml.yaml": ML_PACK},
            base=EXAMPLES / "credit-risk",
            commit_date="2026-11-20T10:00:00+00:00",
        )
    )
    out = tmp_path / "out"
    run = govgate(
        "check",
        "--repo",
        str(repo),
        "--output-dir",
        str(out),
        "--publish",
        "--model",
        "models:/credit-risk@candidate",
        "--tracking-uri",
        sqlite_store,
        "--at",
        "2026-11-26T12:00:00Z",  # the example's evidence is dated: evaluate as of its release
        cwd=tmp_path,
    )
    assert run.code == 0, run.stdout + run.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["subject"]["version"] == "2"
    assert {f["status"] for f in report["findings"] if f["rule_id"].startswith("ML-")} == {"pass"}
    client = MlflowClient(tracking_uri=sqlite_store, registry_uri=sqlite_store)
    version = client.get_model_version("credit-risk", "2")
    digest = hashlib.sha256((out / "report.json").read_bytes()).hexdigest()
    assert version.tags["govgate.verdict"] == "pass"
    assert version.tags["govgate.report_sha256"] == digest
    assert [f.path for f in client.list_artifacts(version.run_id, "govgate")] == [
        "govgate/report.json"
    ]


def test_unknown_version_in_a_sqlite_store_is_exit_2(
    govgate, example_repo: Path, tmp_path: Path, sqlite_store: str
) -> None:
    run = govgate(
        "check",
        "--repo",
        str(example_repo),
        "--output-dir",
        str(tmp_path / "o"),
        "--model",
        "models:/credit-risk/42",
        "--tracking-uri",
        sqlite_store,
        cwd=tmp_path,
    )
    assert run.code == 2
    assert "get_model_version credit-risk/42" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
