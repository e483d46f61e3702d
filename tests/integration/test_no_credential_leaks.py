"""No credential in any output: servers that echo what govgate sent them, on every error path.

Each stand-in answers an error whose body repeats the Authorization header (or PRIVATE-TOKEN)
it received, and the user:password it decodes from a Basic header. Nothing of the password,
its base64 form, the header or a token may reach stdout, stderr or any file govgate writes.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from govgate.errors import SourceError
from govgate.formats import FORMATS
from govgate.sources.github import github_approvals
from govgate.sources.gitlab import gitlab_approvals
from tests.conftest import EXAMPLES, approve_any_version
from tests.integration.conftest import MlflowServer
from tests.integration.review_standin import (
    REPO,
    Reply,
    Seen,
    github_error,
    github_pull,
    review_standin,
)
from tests.integration.standin import error_body, standin

AT = "2026-11-26T12:00:00Z"
USER = "alice"
PASSWORD = "pw-7Qx!secret-9f3"  # `!` so its percent-encoded form differs in the URI
TOKEN = "tok-c41f5e-echoed-back"
ALL_FORMATS = ",".join(FORMATS)
PULL = f"/repos/{REPO}/pulls/17"
MR = "/api/v4/projects/4242/merge_requests/5"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def forbidden(user: str = USER, password: str = PASSWORD) -> list[str]:
    """Every form of a Basic credential that must never be written anywhere."""
    encoded = b64(f"{user}:{password}")
    return [password, encoded, encoded.rstrip("="), f"Basic {encoded}", f"{user}:{password}"]


def echo(headers: dict[str, str]) -> str:
    """What a careless server says back: the header, and the user:password inside it."""
    sent = headers.get("authorization") or headers.get("private-token") or ""
    said = f"bad credentials in Authorization: {sent}"
    if sent.startswith("Basic "):
        said += f" (user:password {base64.b64decode(sent[6:]).decode()})"
    return said


def echo_on(*suffixes: str) -> Callable[[str, int, dict[str, str]], object]:
    """A stand-in behaviour: 401 with the echo on paths ending in any of `suffixes`."""

    def behaviour(path: str, attempt: int, headers: dict[str, str]):
        if path.endswith(suffixes):
            return 401, error_body("UNAUTHENTICATED", echo(headers)), {}, 0.0
        return None

    return behaviour


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
    config += "mlflow: {retries: 1, timeout_seconds: 2}\n"
    return approve_any_version(make_repo({"govgate.yaml": config}, base=EXAMPLES / "credit-risk"))


def check(govgate, repo: Path, out: Path, uri: str, *args: str, env: dict[str, str]):
    return govgate(
        "check",
        "--repo",
        str(repo),
        "--output-dir",
        str(out),
        "--model",
        "models:/credit-risk@candidate",
        "--tracking-uri",
        uri,
        "--format",
        ALL_FORMATS,
        "--at",
        AT,
        *args,
        env=env,
    )


def everything(out: Path, *runs) -> str:
    """stdout and stderr of every run, and every file written."""
    files = [p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()]
    return "\n".join([*files, *(r.stdout + r.stderr for r in runs)])


def assert_absent(text: str, secrets: list[str]) -> None:
    leaked = [s for s in secrets if s in text]
    assert not leaked, f"leaked {leaked}"


def test_basic_credentials_echoed_by_the_server_reach_no_output(
    govgate, repo: Path, tmp_path: Path
) -> None:
    env = {"MLFLOW_TRACKING_USERNAME": USER, "MLFLOW_TRACKING_PASSWORD": PASSWORD}
    out = tmp_path / "out"
    with standin(echo_on("registered-models/get")) as (url, state):
        run = check(govgate, repo, out, url, env=env)
    sent = state.requests[0][2]["authorization"]
    assert sent == f"Basic {b64(f'{USER}:{PASSWORD}')}"  # the test exercises a real Basic header
    assert run.code == 2
    assert "HTTP 401 UNAUTHENTICATED" in run.stdout  # the error is still reported, masked
    assert {p.name for p in out.iterdir()} >= {f.filename for f in FORMATS.values()}
    assert_absent(everything(out, run), forbidden())


def test_a_password_in_the_tracking_uri_never_appears_in_check(
    govgate, repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with standin(echo_on("model-versions/get")) as (url, state):
        uri = url.replace("http://", f"http://{USER}:{PASSWORD.replace('!', '%21')}@")
        run = check(govgate, repo, out, uri, env={})
    assert state.requests[-1][2]["authorization"] == f"Basic {b64(f'{USER}:{PASSWORD}')}"
    assert run.code == 2 and "HTTP 401" in run.stdout
    text = everything(out, run)
    assert_absent(text, [*forbidden(), PASSWORD.replace("!", "%21")])
    assert url in run.stdout  # the registry is named...
    assert text.count("@127.0.0.1") == text.count("***@127.0.0.1")  # ...without, or masked


def test_a_password_in_the_tracking_uri_never_appears_when_publishing(
    govgate, repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    # Reads succeed; the report upload is refused with the echo.
    with standin(echo_on(".json")) as (url, state):
        uri = url.replace("http://", f"http://{USER}:{PASSWORD}@")
        run = check(govgate, repo, out, uri, "--publish", env={})
    assert any(method == "PUT" for method, _, _ in state.requests)
    assert run.code == 2 and "HTTP 401" in run.stderr
    assert_absent(everything(out, run), forbidden())


def test_a_password_in_the_tracking_uri_never_appears_in_the_portfolio_report(
    govgate, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with standin(echo_on("model-versions/search")) as (url, _state):
        uri = url.replace("http://", f"http://{USER}:{PASSWORD}@")
        args = ("report", "--tracking-uri", uri, "--output-dir", str(out))
        failed = govgate(*args, "--format", "json,markdown,html,csv", env={})
    assert failed.code == 2 and "HTTP 401" in failed.stderr
    assert_absent(everything(out, failed) if out.exists() else failed.stderr, forbidden())


def test_a_password_in_the_tracking_uri_of_a_real_server_is_not_in_the_report(
    govgate, tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    out = tmp_path / "out"
    uri = mlflow_server.url.replace("http://", f"http://{USER}:{PASSWORD}@")
    run = govgate(
        "report",
        "--tracking-uri",
        uri,
        "--output-dir",
        str(out),
        "--format",
        "json,markdown,html,csv",
        env={},
    )
    assert run.code == 0, run.stderr
    portfolio = json.loads((out / "portfolio.json").read_text())
    assert portfolio["tracking_uri"] == mlflow_server.url  # shown without its userinfo
    assert_absent(everything(out, run), forbidden())


@pytest.mark.parametrize("variable", ["MLFLOW_TRACKING_TOKEN", "DATABRICKS_TOKEN"])
def test_a_bearer_token_echoed_by_the_registry_reaches_no_output(
    govgate, repo: Path, tmp_path: Path, variable: str
) -> None:
    out = tmp_path / "out"
    with standin(echo_on("runs/get")) as (url, state):
        if variable == "DATABRICKS_TOKEN":
            uri, env = "databricks", {"DATABRICKS_HOST": url, variable: TOKEN}
        else:
            uri, env = url, {variable: TOKEN}
        run = check(govgate, repo, out, uri, env=env)
    assert state.requests[-1][2]["authorization"] == f"Bearer {TOKEN}"
    assert run.code == 2 and "HTTP 401" in run.stdout and "Bearer ***" in run.stdout
    assert_absent(everything(out, run), [TOKEN, TOKEN[:12]])


def github_env(url: str, token: str) -> dict[str, str]:
    return {
        "GITHUB_API_URL": url,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_REF": "refs/pull/17/merge",
        "GITHUB_TOKEN": token,
    }


def gitlab_env(url: str, token: str) -> dict[str, str]:
    return {
        "CI_API_V4_URL": f"{url}/api/v4",
        "CI_PROJECT_ID": "4242",
        "CI_PROJECT_PATH": "acme/credit-risk",
        "CI_MERGE_REQUEST_IID": "5",
        "GITLAB_TOKEN": token,
    }


def straddling(token: str) -> Callable[[Seen], Reply]:
    """A 401 echoing the credential header so that the token starts at character 194 of the
    one-line detail: a cut at 200 before scrubbing would leave its first six characters."""

    def route(seen: Seen) -> Reply:
        sent = seen.headers.get("private-token") or seen.headers["authorization"]
        padding = "x" * (194 - 1 - sent.index(token))
        return Reply(401, github_error(f"{padding} {sent} was refused"))

    return route


@pytest.mark.parametrize("cut", [True, False], ids=["across-the-cut", "whole"])
def test_a_github_token_across_the_200_character_cut_leaks_no_prefix(cut: bool) -> None:
    token = "ghs_Z9straddleTokenValue0001"
    with review_standin() as state:
        whole = Reply(401, github_error(f"Bad credentials: Bearer {token}"))
        state.answer(PULL, straddling(token) if cut else whole)
        with pytest.raises(SourceError) as raised:
            github_approvals(github_env(state.url, token), {})
    text = str(raised.value)
    assert "HTTP 401" in text and "***" in text
    assert token[:5] not in text


@pytest.mark.parametrize("cut", [True, False], ids=["across-the-cut", "whole"])
def test_a_gitlab_token_across_the_200_character_cut_leaks_no_prefix(cut: bool) -> None:
    token = "glpat-Z9straddleTokenValue0002"
    with review_standin() as state:
        reply = straddling(token) if cut else Reply(401, {"message": f"401 Unauthorized {token}"})
        state.answer(MR, reply)
        with pytest.raises(SourceError) as raised:
            gitlab_approvals(gitlab_env(state.url, token), {})
    text = str(raised.value)
    assert "HTTP 401" in text and "***" in text
    assert token[:6] not in text


def test_a_github_token_echoed_in_a_pull_request_run_reaches_no_output(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    token = "ghs_Z9pullRequestRunToken0003"
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    out = tmp_path / "out"
    with review_standin() as state:
        state.answer(PULL, Reply(body=github_pull(17, "alice")))
        state.answer(f"{PULL}/reviews", straddling(token))
        env = github_env(state.url, token) | {"GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "42"}
        run = govgate(
            "check",
            "--repo",
            str(repo),
            "--output-dir",
            str(out),
            "--format",
            ALL_FORMATS,
            "--at",
            AT,
            env=env,
        )
    assert run.code == 2 and "HTTP 401" in run.stdout
    assert_absent(everything(out, run), [token, token[:5]])


def test_an_unexpected_error_is_printed_without_credentials(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The last net: even an internal error quoting a credential is masked on stderr."""
    import govgate.gate
    from govgate.cli import main

    def boom(options: object) -> None:
        raise RuntimeError(f"connection to http://{USER}:{PASSWORD}@db failed, token {TOKEN}")

    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", TOKEN)
    monkeypatch.setattr(govgate.gate, "run_check", boom)
    uri = f"http://{USER}:{PASSWORD}@127.0.0.1:1"
    code = main(["check", "--repo", str(tmp_path), "--tracking-uri", uri])
    captured = capsys.readouterr()
    assert code == 2 and "internal error: RuntimeError" in captured.err
    assert_absent(captured.out + captured.err, [*forbidden(), TOKEN])


def test_the_standin_really_echoes(govgate, repo: Path, tmp_path: Path) -> None:
    """Guard for the tests above: with nothing to mask, the echo does reach the output."""
    with standin(echo_on("registered-models/get")) as (url, _state):
        run = check(govgate, repo, tmp_path / "out", url, env={})
    assert run.code == 2 and "bad credentials in Authorization:" in run.stdout


def test_an_opa_url_with_userinfo_is_shown_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    from govgate.config import OpaSettings
    from govgate.engines.opa import OpaEngine
    from govgate.rules.rego_source import parse_rego
    from tests.integration.conftest import free_port

    monkeypatch.setenv("GOVGATE_OPA_TOKEN", TOKEN)
    url = f"http://{USER}:{PASSWORD}@127.0.0.1:{free_port()}"
    module = parse_rego('package govgate.p\n\ndeny contains "x" if false\n', "policy/p.rego")
    with pytest.raises(SourceError) as raised:
        OpaEngine([module], OpaSettings(url=url, timeout_seconds=2))
    text = f"{raised.value} {raised.value.hint}"
    assert f"OPA at http://{USER}:***@127.0.0.1:" in text
    assert_absent(text, [*forbidden(), TOKEN])
