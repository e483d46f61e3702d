"""A stand-in OPA server for answers a real OPA will not give on demand, or where none is installed.

It answers in the shapes OPA's REST API reference documents (docs/docs/rest-api.md and
v1/server/types/types.go in open-policy-agent/opa): `PUT /v1/policies/{id}` with a raw Rego body
answers 200 `{}`; `POST /v1/data/{path}` with `{"input": ...}` answers `{"result": ...}`, or `{}`
when the document is undefined; errors are `{"code", "message", "errors"?}` with `errors[].location`
as `{file, row, col}`. It cannot evaluate Rego, so each data path's result is given by the test.
Every request is recorded for assertions.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# A whole answer forced on every request: (status, content type, body).
Answer = tuple[int, str, bytes]

UNAUTHORIZED = {"code": "unauthorized", "message": "request rejected by administrative policy"}
INTERNAL_ERROR: Answer = (
    500,
    "application/json",
    json.dumps({"code": "internal_error", "message": "storage: transaction aborted"}).encode(),
)
PROXY_BAD_GATEWAY: Answer = (502, "text/html", b"<html><body>502 Bad Gateway</body></html>")


def parse_error(file: str, row: int, col: int, message: str = "unexpected assign token") -> Any:
    """OPA's 400 body for a policy it cannot parse (types.MsgCompileModuleError)."""
    return {
        "code": "invalid_parameter",
        "message": "error(s) occurred while compiling module(s)",
        "errors": [
            {
                "code": "rego_parse_error",
                "message": message,
                "location": {"file": file, "row": row, "col": col},
            }
        ],
    }


def evaluation_error(file: str, row: int, col: int) -> Any:
    """OPA's 500 body for a query whose evaluation failed (writer.ErrorAuto, topdown.Error)."""
    return {
        "code": "internal_error",
        "message": "error(s) occurred while evaluating query",
        "errors": [
            {
                "code": "eval_builtin_error",
                "message": 'to_number: strconv.ParseFloat: parsing "abc": invalid syntax',
                "location": {"file": file, "row": row, "col": col},
            }
        ],
    }


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str  # percent-decoded, without the query string
    query: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class OpaStandIn:
    """What the stand-in answers; change the fields between calls to change its behaviour."""

    url: str = ""
    prefix: str = ""  # a path OPA is served under, as behind a reverse proxy (`/opa`)
    results: dict[str, Any] = field(default_factory=dict)  # data path -> result; absent: undefined
    token: str | None = None  # when set, `Authorization: Bearer <token>` or 401
    reject_policies: Any = None  # a 400 body for every PUT, e.g. parse_error(...)
    evaluation_errors: dict[str, Any] = field(default_factory=dict)  # data path -> 500 body
    fail: Answer | None = None  # forced on every request, e.g. INTERNAL_ERROR
    delay: float = 0.0  # seconds before answering
    policies: dict[str, bytes] = field(default_factory=dict)  # what PUT stored, by policy id
    served: dict[str, str] = field(default_factory=dict)  # bundle policies: id -> raw source
    requests: list[Recorded] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def sent(self, method: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method]

    def answer(self, request: Recorded) -> tuple[int, str, bytes]:
        if self.token is not None and request.headers.get("authorization") != (
            f"Bearer {self.token}"
        ):
            return _json(401, UNAUTHORIZED)
        if self.fail is not None:
            return self.fail
        if not request.path.startswith(f"{self.prefix}/v1/"):
            return 404, "text/plain; charset=utf-8", b"404 page not found\n"
        request = replace(request, path=request.path.removeprefix(self.prefix))
        if request.method == "PUT" and request.path.startswith("/v1/policies/"):
            if self.reject_policies is not None:
                return _json(400, self.reject_policies)
            self.policies[request.path.removeprefix("/v1/policies/")] = request.body
            return _json(200, {})
        if request.method == "POST" and request.path.startswith("/v1/data/"):
            return self._data(request)
        if request.method == "GET" and request.path == "/v1/policies":
            stored = {k: v.decode() for k, v in self.policies.items()}
            return _json(
                200, {"result": [_policy(i, raw) for i, raw in (stored | self.served).items()]}
            )
        return 404, "text/plain; charset=utf-8", b"404 page not found\n"

    def _data(self, request: Recorded) -> tuple[int, str, bytes]:
        path = request.path.removeprefix("/v1/data/").strip("/")
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return _json(
                400, {"code": "invalid_parameter", "message": "body contains malformed JSON"}
            )
        if path in self.evaluation_errors:
            return _json(500, self.evaluation_errors[path])
        answer: dict[str, Any] = {}
        if "input" not in body:
            answer["warning"] = {
                "code": "api_usage_warning",
                "message": "'input' key missing from the request",
            }
        if path in self.results:
            answer["result"] = self.results[path]
        return _json(200, answer)


def _policy(policy_id: str, raw: str) -> dict[str, Any]:
    """A policy as `GET /v1/policies` lists it: id, raw text, and the AST's package path (the
    stand-in reads only the `package` line; OPA gives the whole module)."""
    line = next((x for x in raw.splitlines() if x.startswith("package ")), "package unknown")
    names = line.removeprefix("package ").strip().split(".")
    path = [{"type": "var", "value": "data"}] + [{"type": "string", "value": n} for n in names]
    return {"id": policy_id, "raw": raw, "ast": {"package": {"path": path}}}


def _json(status: int, body: Any) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(body).encode()


@contextmanager
def opa_standin(tls: tuple[Path, Path] | None = None, **settings: Any) -> Iterator[OpaStandIn]:
    state = OpaStandIn(**settings)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Recorded(
                method=self.command,
                path=unquote(parts.path),
                query=parts.query,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            state.requests.append(request)
            if state.delay:
                state.stopping.wait(state.delay)
            status, content_type, payload = state.answer(request)
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        do_GET = _handle
        do_POST = _handle
        do_PUT = _handle
        do_DELETE = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if tls is not None:  # (certificate, key) files: answer over HTTPS
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "https" if tls is not None else "http"
    state.url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        state.stopping.set()
        server.shutdown()
        server.server_close()
