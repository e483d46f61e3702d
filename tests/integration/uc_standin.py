"""A Databricks workspace with Unity Catalog models, as far as govgate calls it, on review_standin.

It answers as MLflow's `databricks-uc` client expects the workspace to:
- the UC registry under `/api/2.0/mlflow/unity-catalog/`: `registered-models/get`,
  `model-versions/get` (GET, query `name`, `version`) and `model-versions/set-tag` (POST, JSON
  `name`, `version`, `key`, `value`, answer `{}`), with `RegisteredModel` / `ModelVersion` as in
  mlflow/protos/databricks_uc_registry_messages.proto (aliases as `{alias, version}`, tags as
  `{key, value}`, int64 timestamps, status `READY`);
- MLflow 3 versions: a `model_id` field and `source` `models:/<model_id>`; their files listed by
  `logged-models/{model_id}/artifacts/directories` (GET, `artifact_directory_path`,
  `page_token`), paged with `next_page_token` as Databricks pages listings (mlflow's
  databricks_artifact_repo_resources.py follows it);
- the tracking API: `runs/get`, `artifacts/list`, and `artifacts/credentials-for-write` (POST
  `{run_id, path: [...]}` -> `credential_infos` of `ArtifactCredentialInfo`,
  mlflow/protos/databricks_artifacts.proto);
- errors as Databricks sends them: HTTP 404 / 403 / 400 with `{"error_code", "message"}`;
- the cloud storage behind a signed URL: S3 / GCS PUT (200), Azure Put Blob (201, requires
  `x-ms-blob-type`), ADLS Gen2 create + append-and-flush (201, 200). Like S3, it refuses a
  request that carries an Authorization header besides the signature.

State (tags, stored files) persists across requests, so publishing twice can be checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.integration.review_standin import Reply, Seen, StandIn

FULL = "main.lending.credit_risk"
LOGGED_MODEL = "m-7d3f0c2a9b8e4f61a2c5d0e9b7a41c38"
UC = "/api/2.0/mlflow/unity-catalog"
TRACKING = "/api/2.0/mlflow"
SIGNATURE = "sig-5f0c2e-signed-url-secret"
STORAGE_ROOT = "/storage/dbstorage-prod/ws/1234"


def error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error_code": code, "message": message})


@dataclass
class UcWorkspace:
    state: StandIn
    token: str
    aliases: dict[str, str] = field(default_factory=lambda: {"champion": "6", "candidate": "7"})
    model_tags: dict[str, str] = field(default_factory=lambda: {"owner": "lending-ml"})
    version_tags: dict[str, dict[str, str]] = field(
        default_factory=lambda: {"6": {}, "7": {"data_classification": "confidential"}}
    )
    runs: dict[str, float] = field(default_factory=lambda: {"r6": 0.86, "r7": 0.87})
    artifact_root: str = "dbfs:/databricks/mlflow-tracking/1/{run_id}/artifacts"
    credential_type: str = "AWS_PRESIGNED_URL"
    denied: set[str] = field(default_factory=set)  # endpoints answering 403 PERMISSION_DENIED
    storage_status: int | None = None  # force the storage service to answer this
    stored: dict[str, bytes] = field(default_factory=dict)  # storage path -> content
    updated_at: int = 1795716481143
    logged_versions: set[str] = field(default_factory=set)  # versions from LOGGED_MODEL
    model_files: list[list[str]] = field(  # the logged model's root listing, page by page
        default_factory=lambda: [["MLmodel", "conda.yaml"], ["python_env.yaml", "requirements.txt"]]
    )
    repeat_page_token: bool = False

    def serve(self) -> UcWorkspace:
        routes = {
            f"{UC}/registered-models/get": self.get_model,
            f"{UC}/model-versions/get": self.get_version,
            f"{UC}/model-versions/set-tag": self.set_version_tag,
            f"{TRACKING}/runs/get": self.get_run,
            f"{TRACKING}/artifacts/list": self.list_artifacts,
            f"{TRACKING}/logged-models/{LOGGED_MODEL}/artifacts/directories": self.model_files_page,
            f"{TRACKING}/artifacts/credentials-for-write": self.credentials_for_write,
        }
        for path, route in routes.items():
            self.state.answer(path, self._guard(path, route))
        return self

    # -- what a test asks --------------------------------------------------------------------

    def calls(self) -> list[str]:
        """`METHOD endpoint` for every request, the storage's included."""
        names = []
        for seen in self.state.seen:
            endpoint = seen.path.removeprefix(f"{TRACKING}/")
            if seen.path.startswith(STORAGE_ROOT):
                endpoint = "storage"
            names.append(f"{seen.method} {endpoint}")
        return names

    def set_tags(self) -> list[tuple[str, str, str, str]]:
        """(name, version, key, value) of every set-tag request, in order."""
        return [
            (b["name"], b["version"], b["key"], b["value"])
            for s in self.state.seen
            if s.path == f"{UC}/model-versions/set-tag"
            for b in [s.json()]
        ]

    # -- the UC registry ---------------------------------------------------------------------

    def get_model(self, seen: Seen) -> Reply:
        name = seen.query.get("name", "")
        if name != FULL:
            return error(404, "RESOURCE_DOES_NOT_EXIST", f"Registered model '{name}' not found.")
        model = {
            "name": FULL,
            "creation_timestamp": 1795716480820,
            "last_updated_timestamp": self.updated_at,
            "user_id": "lending-ml@example.com",
            "description": "12-month default risk",
            "aliases": [{"alias": a, "version": v} for a, v in self.aliases.items()],
            "tags": [{"key": k, "value": v} for k, v in self.model_tags.items()],
        }
        return Reply(body={"registered_model": model})

    def get_version(self, seen: Seen) -> Reply:
        name, number = seen.query.get("name", ""), seen.query.get("version", "")
        if name != FULL or number not in self.version_tags:
            return error(
                404, "RESOURCE_DOES_NOT_EXIST", f"Model version {name} version {number} not found."
            )
        run_id = f"r{number}"
        version = {
            "name": FULL,
            "version": number,
            "creation_timestamp": 1795716481143,
            "last_updated_timestamp": self.updated_at,
            "user_id": "ci-bot@example.com",
            "source": f"{self.artifact_root.format(run_id=run_id)}/model",
            "run_id": run_id,
            "run_experiment_id": "1",
            "run_tracking_server_id": "1234",
            "status": "READY",
            "storage_location": f"s3://uc-managed/models/{number}",
            "aliases": [{"alias": a, "version": v} for a, v in self.aliases.items() if v == number],
            "tags": [{"key": k, "value": v} for k, v in self.version_tags[number].items()],
        }
        if number in self.logged_versions:
            version |= {"source": f"models:/{LOGGED_MODEL}", "model_id": LOGGED_MODEL}
        return Reply(body={"model_version": version})

    def model_files_page(self, seen: Seen) -> Reply:
        if seen.query.get("artifact_directory_path"):
            return Reply(body={"files": []})
        token = seen.query.get("page_token", "")
        page = int(token.removeprefix("page-") or 0)
        body: dict[str, Any] = {
            "files": [
                {"path": path, "is_dir": False, "file_size": 100} for path in self.model_files[page]
            ]
        }
        if self.repeat_page_token:  # a broken server: the same token for ever
            body["next_page_token"] = "page-1"
        elif page + 1 < len(self.model_files):
            body["next_page_token"] = f"page-{page + 1}"
        return Reply(body=body)

    def set_version_tag(self, seen: Seen) -> Reply:
        if seen.method != "POST":
            return error(405, "ENDPOINT_NOT_FOUND", "No API found for 'GET set-tag'")
        body = seen.json() or {}
        missing = [k for k in ("name", "version", "key") if not body.get(k)]
        if missing:
            return error(400, "INVALID_PARAMETER_VALUE", f"Missing required field: {missing[0]}")
        if body["name"] != FULL or body["version"] not in self.version_tags:
            return error(
                404,
                "RESOURCE_DOES_NOT_EXIST",
                f"Model version {body['name']} version {body['version']} not found.",
            )
        self.version_tags[body["version"]][body["key"]] = str(body.get("value", ""))
        self.updated_at += 1
        return Reply(body={})

    # -- the workspace's tracking server -----------------------------------------------------

    def get_run(self, seen: Seen) -> Reply:
        run_id = seen.query.get("run_id", "")
        if run_id not in self.runs:
            return error(404, "RESOURCE_DOES_NOT_EXIST", f"Run '{run_id}' not found.")
        info = {
            "run_id": run_id,
            "run_uuid": run_id,
            "experiment_id": "1",
            "status": "FINISHED",
            "artifact_uri": self.artifact_root.format(run_id=run_id),
        }
        metrics = [{"key": "auc", "value": self.runs[run_id], "timestamp": 1, "step": 0}]
        return Reply(body={"run": {"info": info, "data": {"metrics": metrics}}})

    def list_artifacts(self, seen: Seen) -> Reply:
        root = self.artifact_root.format(run_id=seen.query.get("run_id", ""))
        return Reply(body={"root_uri": root, "files": [{"path": "model", "is_dir": True}]})

    def credentials_for_write(self, seen: Seen) -> Reply:
        if seen.method != "POST":
            return error(405, "ENDPOINT_NOT_FOUND", "No API found for 'GET credentials-for-write'")
        body = seen.json() or {}
        run_id, paths = body.get("run_id", ""), body.get("path") or []
        if run_id not in self.runs:
            return error(404, "RESOURCE_DOES_NOT_EXIST", f"Run '{run_id}' not found.")
        infos = []
        for path in paths:
            target = f"{STORAGE_ROOT}/{run_id}/artifacts/{path}"
            self.state.answer(target, self._storage(target))
            infos.append(
                {
                    "run_id": run_id,
                    "path": path,
                    "signed_uri": f"{self.state.url}{target}?{_signature(self.credential_type)}",
                    "type": self.credential_type,
                    "headers": _headers(self.credential_type),
                }
            )
        return Reply(body={"credential_infos": infos})

    # -- the storage behind the signed URL ---------------------------------------------------

    def _storage(self, target: str) -> Any:
        def route(seen: Seen) -> Reply:
            if "authorization" in seen.headers:
                return _storage_error(400, "InvalidArgument")  # S3: one auth mechanism only
            if SIGNATURE not in json.dumps(seen.query):
                return _storage_error(403, "AccessDenied")
            if self.storage_status is not None:
                return _storage_error(self.storage_status, "AuthorizationFailure")
            kind = self.credential_type
            if kind in ("AWS_PRESIGNED_URL", "GCP_SIGNED_URL") and seen.method == "PUT":
                self.stored[target] = seen.body
                return Reply(200, raw=b"")
            if kind == "AZURE_SAS_URI" and seen.method == "PUT":
                if seen.headers.get("x-ms-blob-type") != "BlockBlob":
                    return Reply(400, raw=b"", headers={"x-ms-error-code": "MissingRequiredHeader"})
                self.stored[target] = seen.body
                return Reply(201, raw=b"")
            if kind == "AZURE_ADLS_GEN2_SAS_URI":
                if seen.method == "PUT" and seen.query.get("resource") == "file":
                    self.stored[target] = b""  # Path - Create replaces the file
                    return Reply(201, raw=b"")
                query = seen.query
                if seen.method == "PATCH" and query.get("action") == "append":
                    if target not in self.stored or query.get("position") != "0":
                        return Reply(
                            400, raw=b"", headers={"x-ms-error-code": "InvalidFlushPosition"}
                        )
                    if query.get("flush") == "true":
                        self.stored[target] = seen.body
                        return Reply(200, raw=b"")
                    return Reply(202, raw=b"")
            return _storage_error(405, "MethodNotAllowed")

        return route

    def _guard(self, path: str, route: Any) -> Any:
        endpoint = path.rsplit("/", 2)[-2] + "/" + path.rsplit("/", 1)[-1]

        def guarded(seen: Seen) -> Reply:
            if seen.headers.get("authorization") != f"Bearer {self.token}":
                return error(401, "401", "Credential was not sent or was of an unsupported type")
            if endpoint in self.denied:
                return error(
                    403,
                    "PERMISSION_DENIED",
                    f"User ci-bot@example.com does not have permission for {endpoint} on {FULL}.",
                )
            return route(seen)  # type: ignore[no-any-return]

        return guarded


def _signature(kind: str) -> str:
    if kind == "AWS_PRESIGNED_URL":
        return f"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900&X-Amz-Signature={SIGNATURE}"
    if kind == "GCP_SIGNED_URL":
        return f"X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Expires=900&X-Goog-Signature={SIGNATURE}"
    return f"sv=2023-11-03&sr=b&sp=cw&se=2026-11-26T13%3A00%3A00Z&sig={SIGNATURE}"


def _headers(kind: str) -> list[dict[str, str]]:
    if kind == "AWS_PRESIGNED_URL":
        return [{"name": "x-amz-server-side-encryption", "value": "AES256"}]
    if kind.startswith("AZURE"):
        return [{"name": "x-ms-encryption-scope", "value": "ws-scope"}]
    return []


def _storage_error(status: int, code: str) -> Reply:
    body = f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code></Error>"
    return Reply(status, raw=body.encode())
