"""A stand-in MLflow REST server for faults a real server will not produce on demand.

It answers in the documented shapes of MLflow's REST API (`registered_model`, `model_version`,
`run` objects; errors as `{"error_code", "message"}`), and can be told to fail, throttle or stall.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MODEL = {
    "name": "credit-risk",
    "creation_timestamp": 1795716480820,
    "last_updated_timestamp": 1795716481143,
    "aliases": [{"alias": "candidate", "version": "2"}],
}
VERSION = {
    "name": "credit-risk",
    "version": "2",
    "creation_timestamp": 1795716481143,
    "last_updated_timestamp": 1795716481143,
    "current_stage": "None",
    "source": "mlflow-artifacts:/1/abc/artifacts/model",
    "run_id": "abc",
    "status": "READY",
    "aliases": ["candidate"],
}
RUN = {
    "info": {
        "run_id": "abc",
        "experiment_id": "1",
        "status": "FINISHED",
        "artifact_uri": "mlflow-artifacts:/1/abc/artifacts",
    },
    "data": {"metrics": [{"key": "auc", "value": 0.9, "timestamp": 1, "step": 0}]},
}
ANSWERS: dict[str, tuple[int, Any]] = {
    "/api/2.0/mlflow/registered-models/get": (200, {"registered_model": MODEL}),
    "/api/2.0/mlflow/model-versions/get": (200, {"model_version": VERSION}),
    "/api/2.0/mlflow/runs/get": (200, {"run": RUN}),
    "/api/2.0/mlflow/artifacts/list": (200, {"root_uri": "mlflow-artifacts:/1/abc/artifacts"}),
}

# A behaviour sees (path, attempt number for that path, headers) and returns
# (status, body bytes, extra headers, delay seconds), or None for the normal answer.
Behaviour = Callable[[str, int, dict[str, str]], tuple[int, bytes, dict[str, str], float] | None]


class StandIn:
    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.attempts: dict[str, int] = {}


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"error_code": code, "message": message}).encode()


@contextmanager
def standin(behaviour: Behaviour | None = None) -> Iterator[tuple[str, StandIn]]:
    state = StandIn(behaviour)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            path = urlsplit(self.path).path
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.requests.append((self.command, self.path, headers))
            state.attempts[path] = state.attempts.get(path, 0) + 1
            special = (
                state.behaviour(path, state.attempts[path], headers) if state.behaviour else None
            )
            if special is None:
                status, body = ANSWERS.get(
                    path, (404, {"error_code": "ENDPOINT_NOT_FOUND", "message": "no such endpoint"})
                )
                payload, extra, delay = json.dumps(body).encode(), {}, 0.0
                if path.endswith("artifacts/list") and parse_qs(urlsplit(self.path).query).get(
                    "path"
                ):
                    payload = json.dumps({"files": []}).encode()
            else:
                status, payload, extra, delay = special
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = _answer
        do_POST = _answer
        do_PUT = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()
