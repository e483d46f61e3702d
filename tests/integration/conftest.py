"""A real `mlflow server` (sqlite backend) started by the tests, seeded with MlflowClient."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MlflowServer:
    url: str
    process: subprocess.Popen[bytes]
    root: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(root: Path, attempts: int = 3) -> MlflowServer:
    """A server on a free port. Another process on the machine (another test run) can take the
    port between our finding it free and the server binding it: the server then exits with
    "address already in use", and starts again on another port."""
    for _ in range(attempts - 1):
        server = _start_on_free_port(root)
        if server is not None:
            return server
    server = _start_on_free_port(root)
    if server is None:
        raise RuntimeError((root / "server.log").read_text()[-2000:])
    return server


def _start_on_free_port(root: Path) -> MlflowServer | None:
    """The server, or None when its port was taken; ready only once its own log says it listens
    (a /health answer alone could come from whatever took the port)."""
    port = free_port()
    env = {**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
    log = (root / "server.log").open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "mlflow"),
            "server",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--backend-store-uri",
            f"sqlite:///{root / 'mlflow.db'}",
            "--artifacts-destination",
            str(root / "artifacts"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    listening = f"running on {url}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        text = (root / "server.log").read_text(errors="replace")
        if process.poll() is not None:
            if "address already in use" in text:
                return None
            raise RuntimeError(text[-2000:])
        try:
            if listening in text and requests.get(f"{url}/health", timeout=1).ok:
                return MlflowServer(url, process, root)
        except requests.RequestException:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError("mlflow server did not start within 90 s")


def seed(tracking_uri: str) -> dict[str, str]:
    """credit-risk: @champion v1 (auc 0.85), @candidate v2 (auc 0.87, tagged, with an
    evaluation report), @weak v3 (auc 0.80)."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    experiment = client.create_experiment("credit-risk")
    client.create_registered_model("credit-risk", tags={"owner": "lee@example.com"})
    runs: dict[str, str] = {}
    for alias, auc, tags in [
        ("champion", 0.85, {}),
        ("candidate", 0.87, {"data_classification": "confidential"}),
        ("weak", 0.80, {}),
    ]:
        run = client.create_run(experiment, tags={"team": "lending"})
        run_id = run.info.run_id
        client.log_metric(run_id, "auc", auc - 0.05, step=0)
        client.log_metric(run_id, "auc", auc, step=1)
        client.log_param(run_id, "max_depth", "6")
        if alias == "candidate":
            with tempfile.TemporaryDirectory() as tmp:
                report = Path(tmp) / "evaluation.md"
                report.write_text("# Evaluation\n")
                client.log_artifact(run_id, str(report), "reports")
        client.set_terminated(run_id)
        version = client.create_model_version(
            "credit-risk", f"{run.info.artifact_uri}/model", run_id=run_id, tags=tags
        )
        client.set_registered_model_alias("credit-risk", alias, version.version)
        runs[alias] = run_id
    return runs


def seed_model_files(tracking_uri: str) -> dict[str, str]:
    """fraud-detector, one version per place a version's files can be: @logged (MLflow 3
    logged model: MLmodel, requirements.txt, code/score.py; the run logged reports/eval.md),
    @runpath (MLflow 2: files under the run's `model/` folder, source = that artifact URI),
    @runsuri (the same, source = runs:/<run_id>/model), @external (source outside both)."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    experiment = client.create_experiment("fraud-detector")
    client.create_registered_model("fraud-detector")
    with tempfile.TemporaryDirectory() as tmp:
        files = Path(tmp) / "model"
        (files / "code").mkdir(parents=True)
        (files / "MLmodel").write_text("artifact_path: model\nflavors:\n  sklearn: {}\n")
        (files / "requirements.txt").write_text("scikit-learn==1.5.2\n")
        (files / "code" / "score.py").write_text("def score(x):\n    return x\n")
        report = Path(tmp) / "eval.md"
        report.write_text("# Evaluation\n")
        ids: dict[str, str] = {}
        for alias in ("logged", "runpath", "runsuri", "external"):
            run = client.create_run(experiment)
            run_id = run.info.run_id
            client.log_metric(run_id, "auc", 0.9)
            client.log_artifact(run_id, str(report), "reports")
            model_id = None
            if alias == "logged":
                logged = client.create_logged_model(experiment, name="model", source_run_id=run_id)
                client.log_model_artifacts(logged.model_id, str(files))
                client.finalize_logged_model(logged.model_id, "READY")
                model_id = logged.model_id
                source = f"models:/{model_id}"
            else:
                client.log_artifacts(run_id, str(files), "model")
                source = {
                    "runpath": f"{run.info.artifact_uri}/model",
                    "runsuri": f"runs:/{run_id}/model",
                    "external": "s3://models-bucket/fraud-detector/4",
                }[alias]
            client.set_terminated(run_id)
            version = client.create_model_version(
                "fraud-detector", source, run_id=run_id, model_id=model_id
            )
            client.set_registered_model_alias("fraud-detector", alias, version.version)
            ids[alias] = model_id or run_id
    return ids


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MlflowServer]:
    server = start_server(tmp_path_factory.mktemp("mlflow"))
    try:
        seed(server.url)
        seed_model_files(server.url)
        yield server
    finally:
        server.stop()
