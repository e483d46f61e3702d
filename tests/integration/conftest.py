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


def start_server(root: Path) -> MlflowServer:
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
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((root / "server.log").read_text()[-2000:])
        try:
            if requests.get(f"{url}/health", timeout=1).ok:
                return MlflowServer(url, process, root)
        except requests.RequestException:
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


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MlflowServer]:
    server = start_server(tmp_path_factory.mktemp("mlflow"))
    try:
        seed(server.url)
        yield server
    finally:
        server.stop()
