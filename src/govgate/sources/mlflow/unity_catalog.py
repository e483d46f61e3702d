"""Models in Databricks Unity Catalog (`databricks-uc`): three-part names, UC registry endpoints.

The registry lives under `/api/2.1/unity-catalog/models/...` (RegisteredModelInfo,
ModelVersionInfo, aliases as `{alias_name, version_num}`); runs and artifacts stay on the
workspace's MLflow API. Answers are reshaped into the MLflow REST shapes the facts builder reads.
UC keeps tags in a separate governed-tags API, so version and model tags read as empty here, and
`--publish` (which writes tags) is refused rather than half done.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from govgate.sources.mlflow.base import JsonObject, MlflowError
from govgate.sources.mlflow.rest import RestBackend

UC_API = "/api/2.1/unity-catalog/models"


class UnityCatalogBackend(RestBackend):
    def registered_model(self, name: str) -> JsonObject:
        _require_three_parts(name)
        body = self._uc(quote(name), "models/get", name)
        return {
            "name": str(body.get("full_name") or name),
            "description": str(body.get("comment") or ""),
            "tags": [],
            "aliases": _aliases(body),
            "last_updated_timestamp": body.get("updated_at"),
        }

    def model_version(self, name: str, version: str) -> JsonObject:
        _require_three_parts(name)
        body = self._uc(
            f"{quote(name)}/versions/{quote(version)}", "model-versions/get", f"{name}/{version}"
        )
        return {
            "name": name,
            "version": str(body.get("version", version)),
            "source": str(body.get("source") or ""),
            "run_id": str(body.get("run_id") or ""),
            "status": str(body.get("status") or ""),
            "description": str(body.get("comment") or ""),
            "user_id": str(body.get("created_by") or ""),
            "creation_timestamp": body.get("created_at"),
            "last_updated_timestamp": body.get("updated_at"),
            "tags": [],
            "aliases": [a["alias"] for a in _aliases(body)],
        }

    def set_model_version_tag(self, name: str, version: str, key: str, value: str) -> None:
        raise self._no_publish()

    def upload_run_artifact(self, run: JsonObject, local: Path, artifact_path: str) -> str:
        raise self._no_publish()  # refused before anything is uploaded

    def _no_publish(self) -> MlflowError:
        return MlflowError(
            f"MLflow {self.display_uri}: --publish writes model-version tags, which Unity "
            "Catalog keeps in its governed-tags API; publishing to UC is not supported yet"
        )

    def _uc(self, path: str, endpoint: str, subject: str) -> JsonObject:
        label = self._what(f"unity-catalog/{endpoint}", subject)
        url = f"{self.base_url}{UC_API}/{path}"
        return self._get_object("GET", url, label, params={"include_aliases": "true"})


def _aliases(body: JsonObject) -> list[JsonObject]:
    aliases = body.get("aliases") or []
    if not isinstance(aliases, list):
        raise MlflowError("malformed Unity Catalog response: aliases is not a list")
    return [
        {"alias": str(a["alias_name"]), "version": str(a["version_num"])}
        for a in aliases
        if isinstance(a, dict) and "alias_name" in a and "version_num" in a
    ]


def _require_three_parts(name: str) -> None:
    if name.count(".") != 2:
        raise MlflowError(
            f"Unity Catalog models are named catalog.schema.model; {name!r} is not",
            hint="use --model models:/CATALOG.SCHEMA.MODEL@ALIAS",
        )
