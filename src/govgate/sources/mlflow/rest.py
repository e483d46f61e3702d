"""MLflow over its REST API: govgate's HttpClient (timeouts, bounded retries, TLS, one error
mapping), with MLflow's auth and TLS settings read from the environment.

No `mlflow` import here: importing it costs 1.4-3 s, a REST call about 7 ms.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from govgate.redaction import Scrubber
from govgate.sources.http import HttpClient, retrying_session
from govgate.sources.mlflow.base import (
    JsonObject,
    MlflowError,
    NotFound,
    RegistryBackend,
    VersionSearch,
)
from govgate.sources.mlflow.uris import is_databricks, redact_uri

API = "/api/2.0/mlflow"
ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts"
# Search pages are offsets into a sorted list. MLflow's default order puts the most recently
# updated version first, so an update during a scan would move a version across pages (skipped
# or seen twice); name and version number do not move. Databricks names its sort keys
# differently, so it keeps its default order there (the collector drops duplicates).
STABLE_VERSION_ORDER = ("name ASC", "version_number ASC")


class RestBackend(RegistryBackend):
    def __init__(
        self,
        tracking_uri: str,
        env: Mapping[str, str] | None = None,
        timeout_s: float = 30.0,
        connect_timeout_s: float = 5.0,
        retries: int = 3,
        backoff_s: float = 0.5,
    ) -> None:
        env = os.environ if env is None else env
        self.base_url, auth_header = _endpoint(tracking_uri, env)
        self.display_uri = redact_uri(self.base_url)
        self.timeout = (connect_timeout_s, timeout_s)
        self.calls = 0
        self.search_order = () if is_databricks(tracking_uri) else STABLE_VERSION_ORDER
        self.session = retrying_session(retries, backoff_s)
        # What this backend may send: the bearer token (from the environment or a Databricks
        # config file), MLFLOW_TRACKING_USERNAME/PASSWORD as Basic, and the URI's userinfo,
        # which requests turns into a Basic header of its own.
        scrubber = Scrubber.from_environment(
            env, uris=[tracking_uri], tokens=[(auth_header or "").removeprefix("Bearer ")]
        )
        self.http = HttpClient(
            self.session,
            self.timeout,
            scrubber,
            error=MlflowError,
            auth_hint="check MLFLOW_TRACKING_TOKEN or username/password",
            not_found=NotFound,
        )
        if auth_header:
            self.session.headers["Authorization"] = auth_header
        elif env.get("MLFLOW_TRACKING_USERNAME") and env.get("MLFLOW_TRACKING_PASSWORD"):
            self.session.auth = (env["MLFLOW_TRACKING_USERNAME"], env["MLFLOW_TRACKING_PASSWORD"])
        if env.get("MLFLOW_TRACKING_INSECURE_TLS", "").lower() == "true":
            self.session.verify = False
        elif env.get("MLFLOW_TRACKING_SERVER_CERT_PATH"):
            self.session.verify = env["MLFLOW_TRACKING_SERVER_CERT_PATH"]

    # -- the registry operations -------------------------------------------------------------

    def registered_model(self, name: str) -> JsonObject:
        body = self._call("GET", "registered-models/get", params={"name": name})
        return _field(body, "registered_model", self._what("registered-models/get", name))

    def model_version(self, name: str, version: str) -> JsonObject:
        body = self._call("GET", "model-versions/get", params={"name": name, "version": version})
        return _field(body, "model_version", self._what("model-versions/get", f"{name}/{version}"))

    def run(self, run_id: str) -> JsonObject:
        body = self._call("GET", "runs/get", params={"run_id": run_id})
        return _field(body, "run", self._what("runs/get", run_id))

    def list_artifacts(self, run_id: str, path: str | None) -> list[JsonObject]:
        params = {"run_id": run_id} | ({"path": path} if path else {})
        label = self._what("artifacts/list", f"{run_id} {path or ''}".strip())
        return self._listing("artifacts/list", label, params)

    def list_model_artifacts(self, model_id: str, path: str | None) -> list[JsonObject]:
        endpoint = f"logged-models/{quote(model_id, safe='')}/artifacts/directories"
        params = {"artifact_directory_path": path} if path else {}
        label = self._what("logged-models artifacts", f"{model_id} {path or ''}".strip())
        return self._listing(endpoint, label, params)

    def _listing(self, endpoint: str, label: str, params: dict[str, str]) -> list[JsonObject]:
        """Every page of a folder listing: open-source servers answer in one, Databricks pages
        with `next_page_token` (a repeated token is an error, not an endless loop)."""
        files: list[JsonObject] = []
        seen: set[str] = set()
        token: str | None = None
        while True:
            query = params | ({"page_token": token} if token else {})
            body = self._get_object("GET", f"{self.base_url}{API}/{endpoint}", label, params=query)
            page = body.get("files", [])
            if not isinstance(page, list) or not all(isinstance(f, dict) for f in page):
                raise MlflowError(f"{label}: malformed response (files is not a list)")
            files += page
            token = body.get("next_page_token") or None
            if token is None or not page:
                return files
            if not isinstance(token, str) or token in seen:
                raise MlflowError(f"{label}: malformed response (next_page_token)")
            seen.add(token)

    def search_model_versions_page(
        self, search: VersionSearch, page_token: str | None, page: int
    ) -> JsonObject:
        params: dict[str, str | list[str]] = {"max_results": str(search.page_size)}
        if search.filter:
            params["filter"] = search.filter
        if page_token:
            params["page_token"] = page_token
        if self.search_order:
            params["order_by"] = list(self.search_order)
        label = self._what("model-versions/search", f"page {page} ({search.describe()})")
        url = f"{self.base_url}{API}/model-versions/search"
        return self._get_object("GET", url, label, params=params)

    def set_model_version_tag(self, name: str, version: str, key: str, value: str) -> None:
        self._call(
            "POST",
            "model-versions/set-tag",
            json={"name": name, "version": version, "key": key, "value": value},
        )

    def upload_run_artifact(self, run: JsonObject, local: Path, artifact_path: str) -> str:
        artifact_uri = str(run.get("info", {}).get("artifact_uri", ""))
        parts = urlsplit(artifact_uri)
        if parts.scheme != "mlflow-artifacts":
            raise MlflowError(
                f"MLflow {self.display_uri}: the run's artifacts live at {parts.scheme or '?'}://, "
                "which this server does not proxy; start the server with --serve-artifacts "
                "or install govgate[mlflow] to upload through the mlflow library"
            )
        target = f"{parts.path.strip('/')}/{artifact_path}"
        url = f"{self.base_url}{ARTIFACTS_API}/{quote(target)}"
        self._send("PUT", url, f"upload {artifact_path}", data=local.read_bytes())
        return f"{artifact_uri.rstrip('/')}/{artifact_path}"

    # -- transport ---------------------------------------------------------------------------

    def _what(self, endpoint: str, subject: str) -> str:
        return f"MLflow {self.display_uri} {endpoint} {subject}"

    def _call(self, method: str, endpoint: str, **kwargs: Any) -> JsonObject:
        subject = kwargs.get("params") or kwargs.get("json") or {}
        label = self._what(endpoint, " ".join(str(v) for v in subject.values() if v))
        return self._get_object(method, f"{self.base_url}{API}/{endpoint}", label, **kwargs)

    def _get_object(self, method: str, url: str, label: str, **kwargs: Any) -> JsonObject:
        """Send, and insist on the JSON object the API documents."""
        self.calls += 1
        return self.http.send_object(method, url, label, **kwargs)

    def _send(self, method: str, url: str, label: str, **kwargs: Any) -> None:
        self.calls += 1
        self.http.send(method, url, label, **kwargs)


def _field(body: JsonObject, key: str, label: str) -> JsonObject:
    value = body.get(key)
    if not isinstance(value, dict):
        raise MlflowError(f"{label}: malformed response (no {key!r} object)")
    return value


def _endpoint(tracking_uri: str, env: Mapping[str, str]) -> tuple[str, str | None]:
    """Base URL and Authorization header; Databricks URIs take host and token from its config."""
    if is_databricks(tracking_uri):
        host, token = _databricks(tracking_uri, env)
        return host.rstrip("/"), f"Bearer {token}"
    bearer = env.get("MLFLOW_TRACKING_TOKEN")
    return tracking_uri.rstrip("/"), (f"Bearer {bearer}" if bearer else None)


def _databricks(uri: str, env: Mapping[str, str]) -> tuple[str, str]:
    profile = uri.split("://", 1)[1].split(":", 1)[0] if "://" in uri else None
    if not profile and env.get("DATABRICKS_HOST") and env.get("DATABRICKS_TOKEN"):
        host = env["DATABRICKS_HOST"]
        return (host if host.startswith("http") else f"https://{host}"), env["DATABRICKS_TOKEN"]
    config = configparser.ConfigParser()
    path = Path(env.get("DATABRICKS_CONFIG_FILE", Path.home() / ".databrickscfg"))
    config.read(path)
    section: str = profile or env.get("DATABRICKS_CONFIG_PROFILE") or "DEFAULT"
    host = config.get(section, "host", fallback="")
    token = config.get(section, "token", fallback="")
    if not host or not token:
        raise MlflowError(
            f"Databricks tracking URI {uri!r}: no host and token "
            f"(set DATABRICKS_HOST and DATABRICKS_TOKEN, or profile [{section}] in {path})"
        )
    return (host if host.startswith("http") else f"https://{host}"), token
