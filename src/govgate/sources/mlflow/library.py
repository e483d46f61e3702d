"""MLflow through its own client, for URIs REST cannot reach (`sqlite:///`, `file:`, a path).

`mlflow` is imported here only, on first use: the REST path never pays for it. Answers are
reshaped into the REST API's JSON so both backends feed the same facts builder.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from govgate.redaction import Scrubber
from govgate.sources.mlflow.base import (
    JsonObject,
    MlflowError,
    NotFound,
    RegistryBackend,
    VersionSearch,
)
from govgate.sources.mlflow.uris import redact_uri

T = TypeVar("T")


class LibraryBackend(RegistryBackend):
    def __init__(self, tracking_uri: str, env: Mapping[str, str] | None = None) -> None:
        self.display_uri = redact_uri(tracking_uri)
        self.calls = 0
        # The library's errors quote what it was given: a database URI's password, say.
        self.scrubber = Scrubber.from_environment(
            os.environ if env is None else env, uris=[tracking_uri]
        )
        try:
            from mlflow import MlflowClient
        except ImportError:
            raise MlflowError(
                f"tracking URI {self.display_uri} needs the mlflow library",
                hint="pip install 'govgate[mlflow]', or use an http(s):// tracking server",
            ) from None
        self.client: Any = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)

    def _guard(self, label: str, call: Callable[[], T]) -> T:
        self.calls += 1
        try:
            return call()
        except Exception as exc:
            code = getattr(exc, "error_code", "")
            text = self.scrubber.scrub(
                f"MLflow {self.display_uri} {label}: {type(exc).__name__}: {exc}"
            )
            if code == "RESOURCE_DOES_NOT_EXIST":
                raise NotFound(text) from None
            raise MlflowError(text) from None

    def registered_model(self, name: str) -> JsonObject:
        model = self._guard(
            f"get_registered_model {name}", lambda: self.client.get_registered_model(name)
        )
        return {
            "name": model.name,
            "description": model.description or "",
            "creation_timestamp": model.creation_timestamp,
            "last_updated_timestamp": model.last_updated_timestamp,
            "tags": _pairs(model.tags),
            "aliases": [{"alias": a, "version": str(v)} for a, v in (model.aliases or {}).items()],
        }

    def model_version(self, name: str, version: str) -> JsonObject:
        mv = self._guard(
            f"get_model_version {name}/{version}",
            lambda: self.client.get_model_version(name, version),
        )
        return _version_json(mv)

    def search_model_versions_page(
        self, search: VersionSearch, page_token: str | None, page: int
    ) -> JsonObject:
        found = self._guard(
            f"search_model_versions page {page} ({search.describe()})",
            lambda: self.client.search_model_versions(
                filter_string=search.filter,
                max_results=search.page_size,
                order_by=["name ASC", "version_number ASC"],  # stable across pages, as in rest.py
                page_token=page_token,
            ),
        )
        token = found.token  # the sqlite store hands out bytes, as base64 of the next offset
        return {
            "model_versions": [_version_json(mv) for mv in found],
            "next_page_token": token.decode("ascii") if isinstance(token, bytes) else token,
        }

    def run(self, run_id: str) -> JsonObject:
        run = self._guard(f"get_run {run_id}", lambda: self.client.get_run(run_id))
        info = run.info
        datasets = [
            {
                "dataset": {
                    "name": d.dataset.name,
                    "digest": d.dataset.digest,
                    "source_type": d.dataset.source_type,
                    "source": d.dataset.source,
                },
                "tags": [{"key": t.key, "value": t.value} for t in d.tags],
            }
            for d in (run.inputs.dataset_inputs if run.inputs else [])
        ]
        return {
            "info": {
                "run_id": info.run_id,
                "experiment_id": info.experiment_id,
                "run_name": info.run_name,
                "user_id": info.user_id,
                "status": info.status,
                "start_time": info.start_time,
                "end_time": info.end_time,
                "artifact_uri": info.artifact_uri,
                "lifecycle_stage": info.lifecycle_stage,
            },
            "data": {
                "metrics": [{"key": k, "value": v} for k, v in run.data.metrics.items()],
                "params": _pairs(run.data.params),
                "tags": _pairs(run.data.tags),
            },
            "inputs": {"dataset_inputs": datasets} if datasets else {},
        }

    def list_artifacts(self, run_id: str, path: str | None) -> list[JsonObject]:
        files = self._guard(
            f"list_artifacts {run_id} {path or ''}",
            lambda: self.client.list_artifacts(run_id, path),
        )
        return [{"path": f.path, "is_dir": f.is_dir, "file_size": f.file_size} for f in files]

    def list_model_artifacts(self, model_id: str, path: str | None) -> list[JsonObject]:
        files = self._guard(
            f"list_logged_model_artifacts {model_id} {path or ''}",
            lambda: self.client.list_logged_model_artifacts(model_id, path),
        )
        return [{"path": f.path, "is_dir": f.is_dir, "file_size": f.file_size} for f in files]

    def set_model_version_tag(self, name: str, version: str, key: str, value: str) -> None:
        self._guard(
            f"set_model_version_tag {name}/{version} {key}",
            functools.partial(self.client.set_model_version_tag, name, version, key, value),
        )

    def upload_run_artifact(self, run: JsonObject, local: Path, artifact_path: str) -> str:
        run_id = str(run["info"]["run_id"])
        folder = str(PurePosixPath(artifact_path).parent)
        staged = local.with_name(PurePosixPath(artifact_path).name)
        if staged != local:
            staged.write_bytes(local.read_bytes())
        self._guard(
            f"log_artifact {run_id} {artifact_path}",
            lambda: self.client.log_artifact(
                run_id, str(staged), None if folder == "." else folder
            ),
        )
        return f"{run['info']['artifact_uri'].rstrip('/')}/{artifact_path}"


def _version_json(mv: Any) -> JsonObject:
    return {
        "name": mv.name,
        "version": str(mv.version),
        "creation_timestamp": mv.creation_timestamp,
        "last_updated_timestamp": mv.last_updated_timestamp,
        "description": mv.description or "",
        "user_id": mv.user_id or "",
        "source": mv.source or "",
        "run_id": mv.run_id or "",
        "status": str(mv.status or ""),
        "tags": _pairs(mv.tags),
        "aliases": list(mv.aliases or []),
        **({"model_id": mv.model_id} if getattr(mv, "model_id", None) else {}),
    }


def _pairs(mapping: dict[str, Any] | None) -> list[JsonObject]:
    return [{"key": k, "value": str(v)} for k, v in (mapping or {}).items()]
