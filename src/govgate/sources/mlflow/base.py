"""The registry operations govgate needs, whatever the transport; errors are SourceErrors."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from govgate.errors import SourceError

JsonObject = dict[str, Any]


class MlflowError(SourceError):
    """An MLflow call failed; the message names the server (never a credential) and the call."""


class NotFound(MlflowError):
    """The model, version, alias or run does not exist."""


class RegistryBackend(ABC):
    """Answers in the REST API's JSON shapes, so the facts builder has one input format."""

    display_uri: str
    calls: int = 0

    @abstractmethod
    def registered_model(self, name: str) -> JsonObject:
        """`registered-models/get` → the `registered_model` object."""

    @abstractmethod
    def model_version(self, name: str, version: str) -> JsonObject:
        """`model-versions/get` → the `model_version` object."""

    @abstractmethod
    def run(self, run_id: str) -> JsonObject:
        """`runs/get` → the `run` object."""

    @abstractmethod
    def list_artifacts(self, run_id: str, path: str | None) -> list[JsonObject]:
        """`artifacts/list` → its `files` (one level, not recursive)."""

    @abstractmethod
    def set_model_version_tag(self, name: str, version: str, key: str, value: str) -> None:
        """`model-versions/set-tag`: idempotent, the last write wins."""

    @abstractmethod
    def upload_run_artifact(self, run: JsonObject, local: Path, artifact_path: str) -> str:
        """Store a file among the run's artifacts; returns where it went."""
