"""Retries, timeouts, auth and malformed answers, against a stand-in speaking MLflow's REST API."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, approve_any_version
from tests.integration.standin import error_body, standin

CONFIG_TAIL = "mlflow: {retries: 2, timeout_seconds: 1}\n"


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text() + CONFIG_TAIL
    return approve_any_version(make_repo({"govgate.yaml": config}, base=EXAMPLES / "credit-risk"))


def gate(govgate, repo: Path, url: str, tmp_path: Path, env: dict[str, str] | None = None):
    return govgate(
        "check",
        "--repo",
        str(repo),
        "--output-dir",
        str(tmp_path / "out"),
        "--model",
        "models:/credit-risk@candidate",
        "--tracking-uri",
        url,
        "--at",
        "2026-11-26T12:00:00Z",  # the example's evidence is dated: evaluate as of its release
        env=env,
    )


def test_the_standin_answers_like_mlflow(govgate, repo: Path, tmp_path: Path) -> None:
    with standin() as (url, state):
        run = gate(govgate, repo, url, tmp_path)
    assert run.code == 0, run.stdout + run.stderr
    assert [p.split("?")[0] for _, p, _ in state.requests] == [
        "/api/2.0/mlflow/registered-models/get",
        "/api/2.0/mlflow/model-versions/get",
        "/api/2.0/mlflow/runs/get",
        "/api/2.0/mlflow/artifacts/list",
    ]


def test_persistent_503_is_retried_then_exit_2(govgate, repo: Path, tmp_path: Path) -> None:
    def unavailable(path: str, attempt: int, headers: dict[str, str]):
        return 503, error_body("TEMPORARILY_UNAVAILABLE", "try later"), {}, 0.0

    with standin(unavailable) as (url, state):
        run = gate(govgate, repo, url, tmp_path)
    assert run.code == 2
    assert len(state.requests) == 3  # the first try and two retries, then give up
    assert "registered-models/get" in run.stdout and url in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_a_transient_500_is_retried_and_the_gate_passes(
    govgate, repo: Path, tmp_path: Path
) -> None:
    def once(path: str, attempt: int, headers: dict[str, str]):
        if path.endswith("runs/get") and attempt == 1:
            return 500, error_body("INTERNAL_ERROR", "boom"), {}, 0.0
        return None

    with standin(once) as (url, state):
        run = gate(govgate, repo, url, tmp_path)
    assert run.code == 0, run.stdout
    assert state.attempts["/api/2.0/mlflow/runs/get"] == 2


def test_429_honours_retry_after(govgate, repo: Path, tmp_path: Path) -> None:
    def throttled(path: str, attempt: int, headers: dict[str, str]):
        if attempt == 1:
            return 429, error_body("REQUEST_LIMIT_EXCEEDED", "slow down"), {"Retry-After": "1"}, 0.0
        return None

    with standin(throttled) as (url, state):
        run = gate(govgate, repo, url, tmp_path)
    assert run.code == 0, run.stdout
    assert state.attempts["/api/2.0/mlflow/registered-models/get"] == 2


def test_a_server_slower_than_the_timeout_is_exit_2(govgate, repo: Path, tmp_path: Path) -> None:
    def slow(path: str, attempt: int, headers: dict[str, str]):
        return 200, b"{}", {}, 2.5

    with standin(slow) as (url, _):
        run = gate(govgate, repo, url, tmp_path)
    assert run.code == 2
    assert "timed out" in run.stdout or "gave up after retries" in run.stdout


@pytest.mark.parametrize("status", [401, 403])
def test_unauthorised_is_exit_2_with_a_hint_and_no_token(
    govgate, repo: Path, tmp_path: Path, status: int
) -> None:
    def denied(path: str, attempt: int, headers: dict[str, str]):
        return status, error_body("UNAUTHENTICATED", "bad credentials"), {}, 0.0

    token = "secret-token-value-7731"
    with standin(denied) as (url, state):
        run = gate(govgate, repo, url, tmp_path, env={"MLFLOW_TRACKING_TOKEN": token})
    assert run.code == 2
    assert f"HTTP {status}" in run.stdout and "MLFLOW_TRACKING_TOKEN" in run.stdout
    assert state.requests[0][2]["authorization"] == f"Bearer {token}"
    assert len(state.requests) == 1  # a 401 is not retried
    report = (tmp_path / "out" / "report.json").read_text()
    assert token not in run.stdout + run.stderr + report


def test_basic_auth_from_username_and_password(govgate, repo: Path, tmp_path: Path) -> None:
    with standin() as (url, state):
        gate(
            govgate,
            repo,
            url,
            tmp_path,
            env={"MLFLOW_TRACKING_USERNAME": "ci", "MLFLOW_TRACKING_PASSWORD": "pw"},
        )
    assert state.requests[0][2]["authorization"] == "Basic Y2k6cHc="


@pytest.mark.parametrize("body", [b"<html>proxy error</html>", b"[]", b'{"registered_model": 3}'])
def test_malformed_answers_are_exit_2(govgate, repo: Path, tmp_path: Path, body: bytes) -> None:
    def broken(path: str, attempt: int, headers: dict[str, str]):
        return 200, body, {}, 0.0

    with standin(broken) as (url, _):
        run = gate(govgate, repo, url, tmp_path)
    assert run.code == 2
    assert "registered-models/get" in run.stdout
    assert json.loads((tmp_path / "out" / "report.json").read_text())["verdict"] == "error"


def test_databricks_uri_uses_host_and_token_from_the_environment(
    govgate, repo: Path, tmp_path: Path
) -> None:
    with standin() as (url, state):
        run = gate(
            govgate,
            repo,
            "databricks",
            tmp_path,
            env={"DATABRICKS_HOST": url, "DATABRICKS_TOKEN": "dapi-secret-123"},
        )
    assert run.code == 0, run.stdout + run.stderr
    assert state.requests[0][2]["authorization"] == "Bearer dapi-secret-123"
    assert "dapi-secret-123" not in run.stdout + (tmp_path / "out" / "report.json").read_text()


def test_databricks_without_credentials_is_a_clear_error(
    govgate, repo: Path, tmp_path: Path
) -> None:
    run = gate(
        govgate,
        repo,
        "databricks",
        tmp_path,
        env={"DATABRICKS_CONFIG_FILE": str(tmp_path / "none.cfg"), "HOME": str(tmp_path)},
    )
    assert run.code == 2
    assert "DATABRICKS_HOST" in run.stdout


def test_a_server_echoing_the_token_never_gets_it_printed(
    govgate, repo: Path, tmp_path: Path
) -> None:
    token = "tok-echoed-back-5150"

    def echo(path: str, attempt: int, headers: dict[str, str]):
        return (
            403,
            error_body("PERMISSION_DENIED", f"token {headers['authorization']} denied"),
            {},
            0.0,
        )

    with standin(echo) as (url, _):
        run = gate(govgate, repo, url, tmp_path, env={"MLFLOW_TRACKING_TOKEN": token})
    assert run.code == 2 and "HTTP 403 PERMISSION_DENIED" in run.stdout and "***" in run.stdout
    report = (tmp_path / "out" / "report.json").read_text()
    assert token not in run.stdout + run.stderr + report


def test_an_error_body_that_is_not_an_object_is_still_a_located_error(
    govgate, repo: Path, tmp_path: Path
) -> None:
    def listing(path: str, attempt: int, headers: dict[str, str]):
        return 400, b"[1, 2]", {}, 0.0

    with standin(listing) as (url, _):
        run = gate(govgate, repo, url, tmp_path)
    assert run.code == 2
    assert "registered-models/get credit-risk: HTTP 400" in run.stdout
    assert "internal error" not in run.stdout + run.stderr
