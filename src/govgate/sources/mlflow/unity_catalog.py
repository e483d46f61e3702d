"""Models in Databricks Unity Catalog (`databricks-uc`): three-part names, MLflow's UC registry API.

The registry is read and written through the endpoints MLflow's own client uses for
`databricks-uc` (mlflow/store/_unity_catalog/registry/rest_store.py; paths and shapes in
mlflow/protos/databricks_uc_registry_service.proto and databricks_uc_registry_messages.proto):
`GET /api/2.0/mlflow/unity-catalog/registered-models/get` and `.../model-versions/get` answer
in MLflow's shapes, tags and aliases included, and `POST .../model-versions/set-tag` sets a
tag (its path in current MLflow, 3.17; an older revision of the proto had
`model-versions/tags`). The protos mark these PUBLIC_UNDOCUMENTED: public, used by every MLflow
client on `databricks-uc`, but not in the Databricks REST reference. The documented
`/api/2.1/unity-catalog/models` API carries no tags; reading it as well would cost two more
requests and give nothing these do not. Runs and artifacts stay on the workspace's MLflow
tracking API; a report is uploaded to the version's run through a signed URL
(databricks_artifacts).
"""

from __future__ import annotations

from pathlib import Path

import requests

from govgate.sources.mlflow import databricks_artifacts
from govgate.sources.mlflow.base import JsonObject, MlflowError
from govgate.sources.mlflow.rest import API, RestBackend

UC_API = f"{API}/unity-catalog"


class UnityCatalogBackend(RestBackend):
    registry_api = "unity-catalog/"

    def registered_model(self, name: str) -> JsonObject:
        _require_three_parts(name)
        model = self._uc("GET", "registered-models/get", name, {"name": name}, "registered_model")
        return {**model, "aliases": _aliases(model)}

    def model_version(self, name: str, version: str) -> JsonObject:
        _require_three_parts(name)
        subject = f"{name}/{version}"
        fields = {"name": name, "version": version}
        mv = self._uc("GET", "model-versions/get", subject, fields, "model_version")
        # UC lists a version's aliases as {alias, version} objects, the workspace API as names.
        return {**mv, "aliases": [a["alias"] for a in _aliases(mv)]}

    def set_model_version_tag(self, name: str, version: str, key: str, value: str) -> None:
        fields = {"name": name, "version": version, "key": key, "value": value}
        self._uc("POST", "model-versions/set-tag", f"{name}/{version} {key}", fields, None)

    def upload_run_artifact(self, run: JsonObject, local: Path, artifact_path: str) -> str:
        info = run.get("info", {})
        run_id = str(info.get("run_id") or info.get("run_uuid") or "")
        artifact_uri = str(info.get("artifact_uri", "")).rstrip("/")
        if not databricks_artifacts.is_managed_location(artifact_uri):
            raise MlflowError(
                f"MLflow {self.display_uri}: run {run_id} keeps its artifacts at "
                f"{artifact_uri or '?'}, outside the workspace's managed "
                f"dbfs:{databricks_artifacts.MANAGED_ROOT} location; govgate uploads only there"
            )
        label = self._what(databricks_artifacts.CREDENTIALS_FOR_WRITE, f"{run_id} {artifact_path}")
        body = self._get_object(
            "POST",
            f"{self.base_url}{API}/{databricks_artifacts.CREDENTIALS_FOR_WRITE}",
            label,
            json={"run_id": run_id, "path": [artifact_path]},
        )
        upload = databricks_artifacts.SignedUpload.from_response(body, artifact_path, label)
        self.calls += databricks_artifacts.put(
            self._storage_session(),
            upload,
            local.read_bytes(),
            self._what("upload", f"{run_id} {artifact_path}"),
            self.timeout,
        )
        return f"{artifact_uri}/{artifact_path}"

    def _storage_session(self) -> requests.Session:
        """The same retries and pools, but no Authorization: the token stays in the workspace,
        and TLS to the storage service is always verified."""
        session = requests.Session()
        session.headers["User-Agent"] = str(self.session.headers.get("User-Agent", "govgate"))
        for prefix, adapter in self.session.adapters.items():
            session.mount(prefix, adapter)
        return session

    def _uc(
        self, method: str, endpoint: str, subject: str, fields: dict[str, str], wrapper: str | None
    ) -> JsonObject:
        """One UC registry call; `wrapper` names the object the answer must hold, if any."""
        label = self._what(f"unity-catalog/{endpoint}", subject)
        request = {"params": fields} if method == "GET" else {"json": fields}
        body = self._get_object(method, f"{self.base_url}{UC_API}/{endpoint}", label, **request)
        if wrapper is None:
            return body
        value = body.get(wrapper)
        if not isinstance(value, dict):
            raise MlflowError(f"{label}: malformed response (no {wrapper!r} object)")
        return value


def _aliases(body: JsonObject) -> list[JsonObject]:
    """UC's `RegisteredModelAlias` list ({alias, version}), checked and with string versions."""
    aliases = body.get("aliases") or []
    if not isinstance(aliases, list):
        raise MlflowError("malformed Unity Catalog response: aliases is not a list")
    return [
        {"alias": str(a["alias"]), "version": str(a["version"])}
        for a in aliases
        if isinstance(a, dict) and "alias" in a and "version" in a
    ]


def _require_three_parts(name: str) -> None:
    if name.count(".") != 2:
        raise MlflowError(
            f"Unity Catalog models are named catalog.schema.model; {name!r} is not",
            hint="use --model models:/CATALOG.SCHEMA.MODEL@ALIAS",
        )
