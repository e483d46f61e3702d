"""The registry operations govgate needs, whatever the transport; errors are SourceErrors."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govgate.errors import SourceError

JsonObject = dict[str, Any]

# `model-versions/search` page size: 10,000 is the API's documented default and Databricks'
# ceiling; open-source servers accept up to 200,000. The largest size every registry takes.
MAX_SEARCH_PAGE_SIZE = 10_000


class MlflowError(SourceError):
    """An MLflow call failed; the message names the server (never a credential) and the call."""


class NotFound(MlflowError):
    """The model, version, alias or run does not exist."""


@dataclass(frozen=True)
class VersionSearch:
    """What `model-versions/search` is asked: an optional MLflow filter and the page size."""

    filter: str | None = None
    page_size: int = MAX_SEARCH_PAGE_SIZE

    def describe(self) -> str:
        return f"filter {self.filter}" if self.filter else "all versions"


class RegistryBackend(ABC):
    """Answers in the REST API's JSON shapes, so the facts builder has one input format."""

    display_uri: str
    calls: int = 0
    registry_api: str = ""  # how report inputs name the registry calls: "unity-catalog/" for UC

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
    def list_model_artifacts(self, model_id: str, path: str | None) -> list[JsonObject]:
        """`logged-models/{model_id}/artifacts/directories` → its `files` (one level): an
        MLflow 3 logged model's files, paths relative to the model's root."""

    @abstractmethod
    def set_model_version_tag(self, name: str, version: str, key: str, value: str) -> None:
        """`model-versions/set-tag`: idempotent, the last write wins."""

    @abstractmethod
    def upload_run_artifact(self, run: JsonObject, local: Path, artifact_path: str) -> str:
        """Store a file among the run's artifacts; returns where it went."""

    @abstractmethod
    def search_model_versions_page(
        self, search: VersionSearch, page_token: str | None, page: int
    ) -> JsonObject:
        """One `model-versions/search` response: `model_versions` and `next_page_token`, either
        absent when empty. `page` (1-based) only names the call in messages."""

    def search_model_versions(self, search: VersionSearch) -> Iterator[JsonObject]:
        """Every page, one request each, lazily, following `next_page_token` to the end.

        Pages are checked here for both transports: a page that is not the documented shape,
        or a token the server already gave (paging that would never end), is an MlflowError.
        """
        token: str | None = None
        seen: set[str] = set()
        page = 1
        while True:
            body = self.search_model_versions_page(search, token, page)
            where = (
                f"MLflow {self.display_uri} model-versions/search page {page} ({search.describe()})"
            )
            versions = body.get("model_versions", [])
            if not isinstance(versions, list) or not all(isinstance(v, dict) for v in versions):
                raise MlflowError(f"{where}: malformed response (model_versions is not a list)")
            token = body.get("next_page_token") or None
            if token is not None and not isinstance(token, str):
                raise MlflowError(f"{where}: malformed response (next_page_token)")
            yield body
            if token is None:
                return
            if token in seen:
                raise MlflowError(f"{where}: the server repeated a page token; paging never ends")
            seen.add(token)
            page += 1
