"""HttpClient: one error mapping for every API govgate calls, checked against a real server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from govgate.errors import SourceError
from govgate.redaction import Scrubber
from govgate.sources.http import HttpClient, retrying_session
from govgate.sources.mlflow.base import MlflowError, NotFound

TOKEN = "s3cr3t-token-value"
ANSWERS: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/missing": (
        404,
        {"Content-Type": "application/json"},
        json.dumps({"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no\nsuch model"}).encode(),
    ),
    "/refused": (
        401,
        {"Content-Type": "application/json"},
        json.dumps({"message": f"bad token {TOKEN} " + "x" * 400}).encode(),
    ),
    "/storage": (403, {}, b"<Error><Code>AuthorizationFailure</Code></Error>"),
    "/array": (200, {"Content-Type": "application/json"}, b"[1, 2]"),
}


@contextmanager
def server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = ANSWERS[self.path]
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def client(**options: object) -> HttpClient:
    scrubber = Scrubber.for_credentials(tokens=[TOKEN])
    return HttpClient(retrying_session(0), (5.0, 5.0), scrubber, **options)  # type: ignore[arg-type]


def test_a_not_found_code_is_the_callers_not_found_on_one_line() -> None:
    with server() as url, pytest.raises(NotFound) as info:
        client(error=MlflowError, not_found=NotFound).send("GET", f"{url}/missing", "MLflow get x")
    assert info.value.message == "MLflow get x: HTTP 404 RESOURCE_DOES_NOT_EXIST: no such model"


def test_a_refusal_is_scrubbed_then_cut_and_carries_the_auth_hint() -> None:
    with server() as url, pytest.raises(SourceError) as info:
        client(auth_hint="check TOKEN").send("GET", f"{url}/refused", "GitHub pulls/1")
    assert TOKEN not in info.value.one_line()
    assert info.value.message.startswith("GitHub pulls/1: HTTP 401: bad token *** xxx")
    assert len(info.value.message) < 260
    assert info.value.hint == "check TOKEN"


def test_a_storage_service_code_is_read_from_its_xml() -> None:
    with server() as url, pytest.raises(MlflowError) as info:
        client(error=MlflowError).send("GET", f"{url}/storage", "upload to s3")
    assert info.value.message == "upload to s3: HTTP 403 AuthorizationFailure"


def test_an_unreachable_server_and_a_wrong_shape_are_located_errors() -> None:
    with server() as url, pytest.raises(SourceError, match=r"x: malformed response \(expected"):
        client().send_object("GET", f"{url}/array", "x")
    with pytest.raises(SourceError, match=r"^y: cannot connect \(NewConnectionError\)$"):
        client().send("GET", "http://127.0.0.1:9/", "y")
