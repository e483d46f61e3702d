"""OpaEngine against a stand-in speaking OPA's REST API, through the CLI, and against a real OPA.

The stand-in cannot evaluate Rego: it proves what govgate sends (paths, bodies, token) and how it
reads each documented answer. The real-OPA tests run only where an `opa` binary is available
(GOVGATE_OPA_BIN, `opa` on PATH, or ../shared/tools/opa/opa beside the checkout).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from govgate.config import OpaSettings
from govgate.engines.opa import OpaEngine
from govgate.errors import ConfigError, RuleError, SourceError
from govgate.location import Location
from govgate.rules.rego_source import RegoModule, parse_rego
from tests.acceptance.test_check import AT, assert_no_traceback, read_report
from tests.conftest import EXAMPLES, ROOT
from tests.integration.conftest import free_port
from tests.integration.opa_standin import (
    INTERNAL_ERROR,
    PROXY_BAD_GATEWAY,
    evaluation_error,
    opa_standin,
    parse_error,
)

CARD_POLICY = """\
package govgate.example

# METADATA
# title: Model card exists
# custom:
#   id: POL-001
#   severity: blocking
#   remediation: Add the card.
deny contains {"id": "POL-001", "msg": msg} if {
	not input.artifacts.model_card.exists
	msg := "model card missing"
}

# A raw string OPA keeps as written; opa-python-client's v0->v1 rewrite would turn the line
# below into `card if {` (it matches `name {` at the start of any line).
template := `
card {
`
"""
OWNER_POLICY = """\
package govgate.example

warn contains "no owner" if not input.model.owner
"""
TIER_POLICY = """\
package govgate.tiers

deny contains "tier unknown" if not input.model.risk_tier
"""
DOCUMENT = {"model": {"name": "credit-risk", "risk_tier": "high"}, "artifacts": {}}
TOKEN = "s3cret-Token-value"


def modules() -> list[RegoModule]:
    return [
        parse_rego(CARD_POLICY, "policy/card.rego"),
        parse_rego(OWNER_POLICY, "policy/owner.rego"),
        parse_rego(TIER_POLICY, "policy/tiers.rego"),
    ]


def settings(url: str, **overrides: Any) -> OpaSettings:
    return OpaSettings(url=url, **overrides)


@pytest.fixture(autouse=True)
def no_ambient_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVGATE_OPA_TOKEN", raising=False)


def all_text(exc: BaseException) -> str:
    """Everything a user or a log could see of an error."""
    return " ".join(str(part) for part in (exc, getattr(exc, "hint", ""), exc.__cause__ or ""))


# --- push and query -------------------------------------------------------------------------


def test_push_puts_every_file_unchanged_then_posts_the_input_once_per_package() -> None:
    results = {"govgate/example": {"deny": [{"id": "POL-001", "msg": "x"}], "warn": []}}
    with opa_standin(results=results | {"govgate/tiers": {"deny": []}}) as opa:
        engine = OpaEngine(modules(), settings(opa.url))
        puts = opa.sent("PUT")
        assert [p.path for p in puts] == [
            "/v1/policies/govgate/policy/card.rego",
            "/v1/policies/govgate/policy/owner.rego",
            "/v1/policies/govgate/policy/tiers.rego",
        ]
        assert puts[0].body == CARD_POLICY.encode()  # byte-identical: `card {` not rewritten
        assert puts[0].headers["content-type"] == "text/plain"
        assert not opa.sent("POST")  # nothing is queried before evaluate

        got = engine.evaluate(DOCUMENT)

    posts = opa.sent("POST")
    assert [p.path for p in posts] == ["/v1/data/govgate/example", "/v1/data/govgate/tiers"]
    assert all(p.json() == {"input": DOCUMENT} for p in posts)
    assert all("strict-builtin-errors=true" in p.query for p in posts)
    assert got["govgate.example"].values == results["govgate/example"]
    assert got["govgate.example"].error is None
    assert got["govgate.tiers"].values == {"deny": []}
    assert "authorization" not in opa.requests[0].headers  # no token configured, none sent


def test_a_rejected_policy_is_never_rewritten_and_sent_again() -> None:
    """opa-python-client retries a policy OPA calls v0 with a rewritten text unless
    rego_compat=False: OPA must evaluate the file govgate hashed, or nothing."""
    v0_complaint = parse_error(
        "govgate/policy/card.rego", 9, 1, "`if` keyword is required before rule body"
    )
    with opa_standin(reject_policies=v0_complaint) as opa, pytest.raises(RuleError) as caught:
        OpaEngine(modules(), settings(opa.url))
    assert len(opa.sent("PUT")) == 1
    assert opa.sent("PUT")[0].body == CARD_POLICY.encode()
    assert "`if` keyword is required" in caught.value.message


def test_query_mode_never_pushes() -> None:
    results = {"govgate/example": {"deny": []}, "govgate/tiers": {"deny": ["tier unknown"]}}
    with opa_standin(results=results) as opa:
        got = OpaEngine(modules(), settings(opa.url, mode="query")).evaluate(DOCUMENT)
    assert not opa.sent("PUT")
    # one look at what OPA serves (to hold it to the local files), then one query per package
    assert (opa.requests[0].method, opa.requests[0].path) == ("GET", "/v1/policies")
    assert [r.method for r in opa.requests[1:]] == ["POST", "POST"]
    assert got["govgate.tiers"].values == {"deny": ["tier unknown"]}


def test_a_path_prefix_in_the_url_is_kept() -> None:
    """opa-python-client builds its base URL from host and port; OPA behind /opa must work."""
    with opa_standin(prefix="/opa", results={"govgate/example": {"deny": []}}) as opa:
        engine = OpaEngine(modules()[:1], settings(f"{opa.url}/opa/"))
        got = engine.evaluate(DOCUMENT)
    assert [r.path for r in opa.requests] == [
        "/opa/v1/policies/govgate/policy/card.rego",
        "/opa/v1/data/govgate/example",
    ]
    assert got["govgate.example"].values == {"deny": []}


def test_query_mode_refuses_a_package_served_from_another_revision() -> None:
    """The local file is the policy of record: OPA answering from an older (or newer) source of
    the same package fails that package, naming both digests; the others still run."""
    older = TIER_POLICY.replace('"tier unknown"', '"no tier"')
    results = {"govgate/example": {"deny": []}, "govgate/tiers": {"deny": []}}
    served = {
        "bundle/policy/tiers.rego": older,
        "bundle/policy/card.rego": CARD_POLICY,
        "bundle/policy/owner.rego": OWNER_POLICY,
    }
    with opa_standin(results=results, served=served) as opa:
        got = OpaEngine(modules(), settings(opa.url, mode="query")).evaluate(DOCUMENT)
    tiers = got["govgate.tiers"]
    assert tiers.error is not None and tiers.error.startswith(
        "OPA serves package govgate.tiers from bundle/policy/tiers.rego (sha256 "
    )
    assert "not the local policy/tiers.rego (sha256 " in tiers.error
    assert tiers.location == Location(path="policy/tiers.rego")
    assert got["govgate.example"].error is None  # served byte for byte: queried as usual
    assert [r.path for r in opa.sent("POST")] == ["/v1/data/govgate/example"]
    # A package OPA serves from fewer files than the local policy has is another revision too.
    del served["bundle/policy/owner.rego"]
    with opa_standin(results=results, served=served) as opa:
        got = OpaEngine(modules(), settings(opa.url, mode="query")).evaluate(DOCUMENT)
    example = got["govgate.example"].error
    assert example is not None and "not the local policy/owner.rego" in example


# --- answers that are not a package ---------------------------------------------------------


def test_an_undefined_package_is_an_error_never_a_pass() -> None:
    with opa_standin(results={"govgate/tiers": {"deny": []}}) as opa:
        got = OpaEngine(modules(), settings(opa.url, mode="query")).evaluate(DOCUMENT)
    assert got["govgate.example"].error == "OPA has no policy at data.govgate.example (undefined)"
    assert got["govgate.example"].values == {}
    assert got["govgate.example"].location == Location(path="policy/card.rego")
    assert got["govgate.tiers"].error is None  # one undefined package does not stop the others


def test_a_result_that_is_not_an_object_is_an_error() -> None:
    with opa_standin(results={"govgate/example": ["x"], "govgate/tiers": True}) as opa:
        got = OpaEngine(modules(), settings(opa.url, mode="query")).evaluate(DOCUMENT)
    assert got["govgate.example"].error == "data.govgate.example is a list, not a package"
    assert got["govgate.tiers"].error == "data.govgate.tiers is a bool, not a package"


def test_an_evaluation_error_is_that_package_s_error_at_its_line() -> None:
    failing = {"govgate/example": evaluation_error("govgate/policy/owner.rego", 3, 30)}
    with opa_standin(results={"govgate/tiers": {"deny": []}}, evaluation_errors=failing) as opa:
        got = OpaEngine(modules(), settings(opa.url)).evaluate(DOCUMENT)
    example = got["govgate.example"]
    assert example.error is not None and example.error.startswith("eval_builtin_error: to_number")
    assert example.location == Location(path="policy/owner.rego", line=3, column=30)
    assert got["govgate.tiers"].values == {"deny": []}


# --- rejected policies ----------------------------------------------------------------------


def test_a_policy_opa_cannot_parse_is_a_rule_error_at_file_line_column() -> None:
    body = parse_error("govgate/policy/owner.rego", 3, 5, "unexpected assign token")
    with opa_standin(reject_policies=body) as opa, pytest.raises(RuleError) as caught:
        OpaEngine(modules()[1:], settings(opa.url))
    error = caught.value
    assert error.location == Location(path="policy/owner.rego", line=3, column=5)
    assert error.message == "OPA rejected the policy: rego_parse_error: unexpected assign token"
    assert str(error).startswith("policy/owner.rego:3:5: ")


# --- token ----------------------------------------------------------------------------------


def test_the_token_is_sent_as_a_bearer_header_on_every_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPA_CI_TOKEN", TOKEN)
    with opa_standin(token=TOKEN, results={"govgate/example": {}, "govgate/tiers": {}}) as opa:
        OpaEngine(modules(), settings(opa.url, token_env="OPA_CI_TOKEN")).evaluate(DOCUMENT)
    assert len(opa.requests) == 5
    assert {r.headers.get("authorization") for r in opa.requests} == {f"Bearer {TOKEN}"}


def test_a_refused_token_is_a_source_error_that_never_shows_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GOVGATE_OPA_TOKEN", "wrong-token-123")
    with opa_standin(token=TOKEN) as opa, pytest.raises(SourceError) as caught:
        OpaEngine(modules(), settings(opa.url))
    text = all_text(caught.value)
    assert "HTTP 401" in text and "request rejected by administrative policy" in text
    assert opa.url in text
    assert caught.value.hint == "OPA refused the bearer token in $GOVGATE_OPA_TOKEN"
    assert "wrong-token-123" not in text


def test_a_missing_token_says_which_variable_to_set() -> None:
    with opa_standin(token=TOKEN) as opa, pytest.raises(SourceError) as caught:
        OpaEngine(modules(), settings(opa.url, mode="query")).evaluate(DOCUMENT)
    assert "HTTP 401" in caught.value.message
    assert caught.value.hint == "set $GOVGATE_OPA_TOKEN to a token OPA accepts"


def test_a_token_echoed_by_the_server_is_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVGATE_OPA_TOKEN", TOKEN)
    echo = json.dumps({"code": "internal_error", "message": f"bad header Bearer {TOKEN}"})
    with opa_standin(fail=(500, "application/json", echo.encode())) as opa:
        with pytest.raises(SourceError) as on_put:
            OpaEngine(modules(), settings(opa.url))
        with pytest.raises(SourceError) as on_post:
            OpaEngine(modules(), settings(opa.url, mode="query")).evaluate(DOCUMENT)
    for caught in (on_put, on_post):
        assert TOKEN not in all_text(caught.value)
        assert "bad header Bearer ***" in caught.value.message


# --- OPA down, slow or failing --------------------------------------------------------------


def test_an_unreachable_opa_is_one_line_naming_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(SourceError) as caught:
        OpaEngine(modules(), settings(url, timeout_seconds=2))
    line = caught.value.one_line()
    assert line.startswith(f"OPA at {url} is unreachable (PUT /v1/policies/govgate/policy/card")
    assert "\n" not in line


@pytest.mark.parametrize("mode", ["query", "push"])
def test_a_slow_opa_is_a_timeout_naming_the_url(mode: str) -> None:
    """A POST is not retried; a PUT is, and its last timeout arrives wrapped in a
    ConnectionError, which must still read as a timeout."""
    with opa_standin(delay=5.0) as opa, pytest.raises(SourceError) as caught:
        started = time.monotonic()
        OpaEngine(modules(), settings(opa.url, mode=mode, timeout_seconds=0.5)).evaluate(DOCUMENT)
    elapsed = time.monotonic() - started
    assert caught.value.message.startswith(f"OPA at {opa.url} did not answer ")
    assert caught.value.message.endswith(" within 0.5 s")
    assert elapsed < 4.0  # the client gave up; the stand-in would have answered after 5 s


@pytest.mark.parametrize("answer", [INTERNAL_ERROR, PROXY_BAD_GATEWAY], ids=["opa", "proxy"])
def test_a_server_error_on_push_is_a_source_error_with_its_status(answer: Any) -> None:
    """opa-python-client would read a 5xx PUT answer as a Rego parse error, or crash on a
    non-JSON body: it is a source failure with its status."""
    with opa_standin(fail=answer) as opa, pytest.raises(SourceError) as caught:
        OpaEngine(modules(), settings(opa.url))
    assert caught.value.message.startswith(
        f"OPA at {opa.url} answered PUT /v1/policies/govgate/policy/card.rego with HTTP {answer[0]}"
    )
    if answer is INTERNAL_ERROR:
        assert caught.value.message.endswith(": internal_error: storage: transaction aborted")


def test_a_server_error_on_query_is_a_source_error() -> None:
    with opa_standin(fail=INTERNAL_ERROR) as opa, pytest.raises(SourceError) as caught:
        OpaEngine(modules(), settings(opa.url, mode="query"))
    assert caught.value.message == (
        f"OPA at {opa.url} answered GET /v1/policies with HTTP 500: "
        "internal_error: storage: transaction aborted"
    )
    with opa_standin() as opa, pytest.raises(SourceError) as caught:
        engine = OpaEngine(modules(), settings(opa.url, mode="query"))
        opa.fail = INTERNAL_ERROR
        engine.evaluate(DOCUMENT)
    assert caught.value.message == (
        f"OPA at {opa.url} answered POST /v1/data/govgate/example with HTTP 500: "
        "internal_error: storage: transaction aborted"
    )


# --- TLS ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (certificate, key)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl to make a test certificate")
    root = tmp_path_factory.mktemp("tls")
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_an_untrusted_certificate_is_refused_with_the_ca_cert_hint(
    certificate: tuple[Path, Path],
) -> None:
    with opa_standin(tls=certificate) as opa, pytest.raises(SourceError) as caught:
        OpaEngine(modules(), settings(opa.url, mode="query")).evaluate(DOCUMENT)
    assert opa.url.startswith("https://")
    assert caught.value.message.startswith(f"OPA at {opa.url}: TLS verification failed for GET")
    assert caught.value.hint is not None and "rego.opa.ca_cert" in caught.value.hint


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
@pytest.mark.parametrize("trust", ["ca_cert", "insecure_tls"])
def test_tls_is_verified_with_ca_cert_or_skipped_with_insecure_tls(
    certificate: tuple[Path, Path], trust: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even where CI sets REQUESTS_CA_BUNDLE, which requests would let win over the setting."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())
    extra: dict[str, Any] = (
        {"ca_cert": str(certificate[0])} if trust == "ca_cert" else {"insecure_tls": True}
    )
    results = {"govgate/example": {"deny": []}, "govgate/tiers": {"deny": []}}
    with opa_standin(tls=certificate, results=results) as opa:
        got = OpaEngine(modules(), settings(opa.url, **extra)).evaluate(DOCUMENT)
    assert got["govgate.tiers"].values == {"deny": []}
    assert len(opa.sent("PUT")) == 3


def test_a_ca_cert_that_is_not_a_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"rego\.opa\.ca_cert"):
        OpaEngine(modules(), settings("https://127.0.0.1:1", ca_cert=str(tmp_path / "no.pem")))


# --- configuration --------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["opa.example.com:8181", "ftp://opa", "http://opa:port"])
def test_a_url_that_is_not_http_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError, match="is not an http"):
        OpaEngine(modules(), settings(url))


def test_without_opa_python_client_the_hint_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "opa_client", None)  # `import opa_client` raises
    with pytest.raises(RuleError) as caught:
        OpaEngine(modules(), settings("http://127.0.0.1:1"))
    assert caught.value.hint == "pip install 'govgate[opa]'"


# --- through the CLI ------------------------------------------------------------------------


def opa_repo(make_repo: Callable[..., Path], url: str) -> Path:
    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
    config = config.replace("rules: [builtin:baseline]", "rules: [policy/]")
    config += f"rego:\n  engine: opa\n  opa:\n    url: {url}\n    timeout_seconds: 2\n"
    return make_repo(
        {"govgate.yaml": config, "policy/card.rego": CARD_POLICY}, base=EXAMPLES / "credit-risk"
    )


def check(govgate: Callable[..., Any], repo: Path, out: Path) -> Any:
    return govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)


def test_cli_a_deny_from_opa_fails_the_gate(
    govgate: Callable[..., Any], make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    answer = {"deny": [{"id": "POL-001", "msg": "model card missing"}]}
    with opa_standin(results={"govgate/example": answer}) as opa:
        run = check(govgate, opa_repo(make_repo, opa.url), tmp_path / "out")
    assert run.code == 1, run.stdout + run.stderr
    assert_no_traceback(run)
    found = {f["rule_id"]: f for f in read_report(tmp_path / "out")["findings"]}
    assert found["POL-001"]["status"] == "fail"
    assert found["POL-001"]["message"] == "model card missing"
    assert found["POL-001"]["title"] == "Model card exists"  # METADATA read by govgate
    assert opa.policies == {"govgate/policy/card.rego": CARD_POLICY.encode()}
    sent = opa.sent("POST")[0].json()["input"]
    assert sent["at"] == "2026-11-26T12:00:00+00:00"
    assert sent["artifacts"]["model_card"]["exists"] is True  # the Facts, as OPA's input


def test_cli_no_deny_from_opa_passes(
    govgate: Callable[..., Any], make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    with opa_standin(results={"govgate/example": {"deny": []}}) as opa:
        run = check(govgate, opa_repo(make_repo, opa.url), tmp_path / "out")
    assert run.code == 0, run.stdout + run.stderr
    found = {f["rule_id"]: f for f in read_report(tmp_path / "out")["findings"]}
    assert found["POL-001"]["status"] == "pass"


def test_cli_opa_down_is_exit_2_with_one_line_naming_the_url(
    govgate: Callable[..., Any], make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    run = check(govgate, opa_repo(make_repo, url), tmp_path / "out")
    assert run.code == 2, run.stdout + run.stderr
    assert_no_traceback(run)
    naming = [line for line in (run.stdout + run.stderr).splitlines() if url in line]
    assert len(naming) == 1, run.stdout + run.stderr
    assert f"OPA at {url} is unreachable (PUT /v1/policies/govgate/policy/card.rego)" in naming[0]
    report = read_report(tmp_path / "out")
    assert report["verdict"] == "error"
    assert [e["message"] for e in report["errors"]] == [
        naming[0].strip().removeprefix("ERROR").strip()
    ]


# --- a real OPA -----------------------------------------------------------------------------


def opa_binary() -> str | None:
    """GOVGATE_OPA_BIN, `opa` on PATH, or the OPA the workplace lays beside the checkout."""
    shared = ROOT.parent / "shared" / "tools" / "opa" / "opa"
    found = os.environ.get("GOVGATE_OPA_BIN") or shutil.which("opa")
    return found or (str(shared) if os.access(shared, os.X_OK) else None)


AUTHZ_POLICY = f"""\
package system.authz

default allow := false

allow if input.identity == "{TOKEN}"
"""


@pytest.fixture(scope="module")
def real_opa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`opa run --server` requiring TOKEN as a bearer token (authentication token, authz basic)."""
    binary = opa_binary()
    if binary is None:
        pytest.skip("no opa binary: set GOVGATE_OPA_BIN or put `opa` on PATH to run these tests")
    root = tmp_path_factory.mktemp("opa")
    (root / "authz.rego").write_text(AUTHZ_POLICY)
    port = free_port()
    log = (root / "opa.log").open("wb")
    process = subprocess.Popen(
        [
            binary,
            "run",
            "--server",
            "--addr",
            f"127.0.0.1:{port}",
            "--authentication=token",
            "--authorization=basic",
            "--disable-telemetry",
            str(root / "authz.rego"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"opa exited: {(root / 'opa.log').read_text()[-2000:]}")
            try:
                headers = {"Authorization": f"Bearer {TOKEN}"}
                if requests.get(f"{url}/health", headers=headers, timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail("opa did not become healthy within 30 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def opa_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVGATE_OPA_TOKEN", TOKEN)


def test_real_opa_push_then_evaluate(real_opa: str, opa_token: None) -> None:
    card = parse_rego(CARD_POLICY.replace("govgate.example", "real.push"), "policy/card.rego")
    engine = OpaEngine([card], settings(real_opa, policy_prefix="push"))
    missing = engine.evaluate({"artifacts": {}})["real.push"]
    present = engine.evaluate({"artifacts": {"model_card": {"exists": True}}})["real.push"]
    assert missing.error is None, missing.error
    assert missing.values["deny"] == [{"id": "POL-001", "msg": "model card missing"}]
    assert present.values["deny"] == []
    stored = requests.get(
        f"{real_opa}/v1/policies/push/policy/card.rego",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    ).json()
    assert stored["result"]["raw"] == card.source  # uploaded as written, `card {` and all


def test_real_opa_query_mode_reads_what_it_serves_and_fails_closed_on_the_rest(
    real_opa: str, opa_token: None
) -> None:
    served = parse_rego(TIER_POLICY.replace("govgate.tiers", "real.query"), "policy/tiers.rego")
    OpaEngine([served], settings(real_opa, policy_prefix="query"))  # push it once
    unknown = parse_rego(TIER_POLICY.replace("govgate.tiers", "real.nowhere"), "policy/x.rego")
    engine = OpaEngine([served, unknown], settings(real_opa, mode="query"))
    got = engine.evaluate({"model": {}})
    assert got["real.query"].values["deny"] == ["tier unknown"]
    assert got["real.nowhere"].error == "OPA has no policy at data.real.nowhere (undefined)"


def test_real_opa_query_mode_refuses_an_older_served_revision(
    real_opa: str, opa_token: None
) -> None:
    """A broken or edited local file is never judged by the good revision OPA still serves."""
    served = parse_rego(TIER_POLICY.replace("govgate.tiers", "real.drift"), "policy/drift.rego")
    OpaEngine([served], settings(real_opa, policy_prefix="drift"))  # OPA serves this revision
    edited = parse_rego(
        served.source.replace('"tier unknown"', '"tier missing"'), "policy/drift.rego"
    )
    got = OpaEngine([edited], settings(real_opa, mode="query")).evaluate({"model": {}})
    error = got["real.drift"].error
    assert error is not None and error.startswith(
        "OPA serves package real.drift from drift/policy/drift.rego (sha256 "
    )
    assert got["real.drift"].values == {}  # the served revision's answer is never used
    same = OpaEngine([served], settings(real_opa, mode="query")).evaluate({"model": {}})
    assert same["real.drift"].values["deny"] == ["tier unknown"]


def test_real_opa_parse_error_is_at_the_policy_line(real_opa: str, opa_token: None) -> None:
    broken = CARD_POLICY.replace("govgate.example", "real.broken").replace(
        'msg := "model', 'msg := := "model'
    )
    with pytest.raises(RuleError) as caught:
        OpaEngine([parse_rego(broken, "policy/broken.rego")], settings(real_opa))
    location = caught.value.location
    assert location is not None and location.path == "policy/broken.rego"
    assert location.line == 11
    assert "rego_parse_error" in caught.value.message


def test_real_opa_strict_builtin_errors_are_package_errors(real_opa: str, opa_token: None) -> None:
    failing = 'package real.builtin\n\ndeny contains msg if {\n\tmsg := to_number("abc")\n}\n'
    engine = OpaEngine([parse_rego(failing, "policy/builtin.rego")], settings(real_opa))
    got = engine.evaluate({})["real.builtin"]
    assert got.error is not None and "to_number" in got.error, got
    assert got.location is not None and got.location.path == "policy/builtin.rego"
    assert got.location.line == 4


def test_real_opa_refuses_a_wrong_token(real_opa: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVGATE_OPA_TOKEN", "not-the-token")
    with pytest.raises(SourceError) as caught:
        OpaEngine([parse_rego(TIER_POLICY, "policy/tiers.rego")], settings(real_opa))
    assert "HTTP 401" in caught.value.message
    assert "not-the-token" not in all_text(caught.value)
