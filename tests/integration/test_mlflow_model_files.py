"""A model version's own files on a real server: MLflow 3 logged models and MLflow 2 run folders."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from govgate.gate import GateOptions, run_check
from tests.integration.conftest import MlflowServer
from tests.integration.test_mlflow_gate import AT_TIME, check, registry_repo, statuses

FILES_PACK = """apiVersion: govgate/v1
kind: RulePack
metadata: {name: model-files, version: 1.0.0}
rules:
  - id: FILES-001
    title: The model ships its MLmodel
    severity: blocking
    remediation: Register a version logged with mlflow.<flavor>.log_model.
    check: {kind: model_artifact, path: MLmodel}
  - id: FILES-002
    title: The model pins its requirements
    severity: blocking
    remediation: log_model(..., pip_requirements=...)
    check: {kind: model_artifact, path: requirements.txt}
  - id: FILES-003
    title: The scoring code travels with the model
    severity: blocking
    remediation: log_model(..., code_paths=["code/score.py"])
    check: {kind: model_artifact, path: code/score.py}
  - id: FILES-004
    title: The model carries an input example
    severity: warning
    remediation: log_model(..., input_example=...)
    check: {kind: model_artifact, path: input_example.json}
  - id: FILES-005
    title: The run logged its evaluation report
    severity: blocking
    remediation: mlflow.log_artifact("eval.md", "reports")
    check: {kind: run_artifact, path: reports/eval.md}
"""


@pytest.fixture
def files_repo(make_repo: Callable[..., Path]) -> Path:
    return registry_repo(make_repo, {"files.yaml": FILES_PACK}, "[rules/]")


def gate(govgate, repo: Path, out: Path, alias: str, server: MlflowServer):
    return check(
        govgate,
        repo,
        out,
        "--model",
        f"models:/fraud-detector@{alias}",
        "--tracking-uri",
        server.url,
    )


def finding(out: Path, rule_id: str) -> dict[str, object]:
    report = json.loads((out / "report.json").read_text())
    return next(f for f in report["findings"] if f["rule_id"] == rule_id)


def test_mlflow3_logged_model_files_are_checked_where_they_live(
    govgate, files_repo: Path, tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    out = tmp_path / "out"
    run = gate(govgate, files_repo, out, "logged", mlflow_server)
    assert run.code == 0, run.stdout + run.stderr  # FILES-004 is a warning
    assert statuses(out) == {
        "FILES-001": "pass",
        "FILES-002": "pass",
        "FILES-003": "pass",  # in a sub-folder of the logged model
        "FILES-004": "warn",
        "FILES-005": "pass",  # the run still holds what log_artifact wrote
    }
    missing = str(finding(out, "FILES-004")["message"])
    assert "has no file 'input_example.json' at models:/m-" in missing
    # every listing is evidence too: recorded as an input with the digest of what it answered
    report = json.loads((out / "report.json").read_text())
    listings = [
        i["location"].removeprefix(f"{mlflow_server.url} ")
        for i in report["inputs"]
        if "artifacts/" in i["location"]
    ]
    model_id = missing.split("models:/")[1].split()[0]
    assert sorted(x for x in listings if x.startswith("logged-models/")) == [
        f"logged-models/{model_id}/artifacts/directories",
        f"logged-models/{model_id}/artifacts/directories code",
    ]
    run_listings = [x for x in listings if x.startswith("artifacts/list ")]
    assert len(run_listings) == 1 and run_listings[0].endswith(" reports")
    assert all(len(i["sha256"]) == 64 for i in report["inputs"])


def test_run_artifact_on_an_mlflow3_version_points_to_the_logged_model(
    govgate, files_repo: Path, tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    (files_repo / "rules" / "files.yaml").write_text(
        FILES_PACK.replace(
            "{kind: run_artifact, path: reports/eval.md}",
            "{kind: run_artifact, path: model/MLmodel}",
        )
    )
    out = tmp_path / "out"
    run = gate(govgate, files_repo, out, "logged", mlflow_server)
    assert run.code == 1, run.stdout + run.stderr
    message = str(finding(out, "FILES-005")["message"])
    assert "logged no artifact 'model/MLmodel'" in message
    assert "model files are under the logged model m-" in message
    assert "model_artifact" in message


@pytest.mark.parametrize("alias", ["runpath", "runsuri"])
def test_mlflow2_versions_find_their_files_in_the_run_folder(
    govgate, files_repo: Path, tmp_path: Path, mlflow_server: MlflowServer, alias: str
) -> None:
    out = tmp_path / "out"
    run = gate(govgate, files_repo, out, alias, mlflow_server)
    assert run.code == 0, run.stdout + run.stderr
    got = statuses(out)
    assert [got[f"FILES-00{n}"] for n in (1, 2, 3, 5)] == ["pass"] * 4
    assert got["FILES-004"] == "warn"


def test_a_source_outside_run_and_logged_models_is_an_error_not_a_pass(
    govgate, files_repo: Path, tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    out = tmp_path / "out"
    run = gate(govgate, files_repo, out, "external", mlflow_server)
    assert run.code == 2, run.stdout + run.stderr
    assert finding(out, "FILES-001")["status"] == "error"
    message = str(finding(out, "FILES-001")["message"])
    assert "s3://models-bucket/fraud-detector/4 is neither an MLflow 3 logged model" in message
    assert "Traceback" not in run.stderr


def test_facts_name_the_logged_model_and_its_files(
    govgate, files_repo: Path, mlflow_server: MlflowServer
) -> None:
    run = govgate(
        "facts",
        "--repo",
        str(files_repo),
        "--model",
        "models:/fraud-detector@logged",
        "--tracking-uri",
        mlflow_server.url,
    )
    assert run.code == 0, run.stderr
    version = json.loads(run.stdout)["mlflow"]["version"]
    assert version["model_id"].startswith("m-")
    assert version["model_uri"] == f"models:/{version['model_id']}"
    assert version["source"] == version["model_uri"]
    # the folders the rules name: the root and code/, nothing deeper
    assert version["artifacts"] == ["MLmodel", "code", "code/score.py", "requirements.txt"]


def test_model_files_cost_one_request_per_folder_and_none_when_no_rule_asks(
    files_repo: Path, mlflow_server: MlflowServer
) -> None:
    def calls(pack: str) -> int:
        (files_repo / "rules" / "files.yaml").write_text(pack)
        result = run_check(
            GateOptions(
                repo=files_repo,
                model_uri="models:/fraud-detector@logged",
                tracking_uri=mlflow_server.url,
                at=AT_TIME,
            )
        )
        assert result.report.verdict in ("pass", "fail"), result.report.errors
        assert result.gathered is not None
        return result.gathered.registry.calls

    root_only = FILES_PACK.split("  - id: FILES-003")[0]
    no_model_rule = (
        FILES_PACK[: FILES_PACK.index("  - id: FILES-001")]
        + FILES_PACK[FILES_PACK.index("  - id: FILES-005") :]
    )
    # registered model, version, run, run listing (+ one listing per model folder)
    assert calls(no_model_rule) == 4
    assert calls(root_only) == 5
    assert calls(FILES_PACK) == 6


def test_a_deleted_logged_model_is_exit_2_naming_the_call(
    govgate, files_repo: Path, tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=mlflow_server.url, registry_uri=mlflow_server.url)
    experiment = client.get_experiment_by_name("fraud-detector")
    assert experiment is not None
    run = client.create_run(experiment.experiment_id)
    logged = client.create_logged_model(
        experiment.experiment_id, name="model", source_run_id=run.info.run_id
    )
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "MLmodel").write_text("flavors: {}\n")
        client.log_model_artifacts(logged.model_id, tmp)
    client.finalize_logged_model(logged.model_id, "READY")
    version = client.create_model_version(
        "fraud-detector",
        f"models:/{logged.model_id}",
        run_id=run.info.run_id,
        model_id=logged.model_id,
    )
    client.set_registered_model_alias("fraud-detector", "deleted", version.version)
    client.delete_logged_model(logged.model_id)
    out = tmp_path / "out"
    result = gate(govgate, files_repo, out, "deleted", mlflow_server)
    assert result.code == 2, result.stdout + result.stderr
    assert f"logged-models artifacts {logged.model_id}" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
