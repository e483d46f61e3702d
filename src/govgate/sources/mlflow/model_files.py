"""Where a model version's own files are (MLmodel, requirements, signature...), and their listing.

MLflow 3 registers versions from *logged models*: `mlflow.<flavor>.log_model` writes the files
under the logged model (`models:/m-<id>`), not among the run's artifacts, and the version's
`source` is `models:/m-<id>` (Unity Catalog also answers with a `model_id` field; the open-source
server's REST answer omits it). MLflow 2 versions point into their run's artifacts instead
(`runs:/<run_id>/model`, or the artifact URI itself). Both are listed one folder at a time,
like the run's artifacts, and answered with paths relative to the model's root.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from govgate.sources.mlflow.base import JsonObject, RegistryBackend

_LOGGED_MODEL_SOURCE = re.compile(r"^models:/(m-[0-9A-Za-z]+)/?$")
_RUN_SOURCE = re.compile(r"^runs:/([^/]+)/?(.*)$")

ListingSink = Callable[[str, list[JsonObject]], None]


@dataclass(frozen=True)
class ModelFiles:
    """The place a version's files live: a logged model, or a folder of the version's run."""

    uri: str
    model_id: str | None = None
    run_id: str | None = None
    prefix: str = ""  # the model's folder inside the run's artifacts ("" for their root)

    def list_paths(
        self, backend: RegistryBackend, folders: frozenset[str], record: ListingSink | None = None
    ) -> list[str]:
        """One listing per folder (relative to the model's root), files and folders alike;
        `record` sees each listing as (the call, its files)."""
        paths: set[str] = set()
        for folder in sorted(folders):
            if self.model_id is not None:
                listed = backend.list_model_artifacts(self.model_id, folder or None)
                call = f"logged-models/{self.model_id}/artifacts/directories {folder}"
                paths |= {str(f["path"]).strip("/") for f in listed if "path" in f}
            else:
                assert self.run_id is not None
                inside = str(PurePosixPath(self.prefix, folder)) if self.prefix else folder
                listed = backend.list_artifacts(self.run_id, inside or None)
                call = f"artifacts/list {self.run_id} {inside}"
                paths |= {_relative(str(f["path"]), self.prefix) for f in listed if "path" in f}
            if record is not None:
                record(call.strip(), listed)
        return sorted(p for p in paths if p)


def locate(version: JsonObject, run: JsonObject | None) -> ModelFiles | None:
    """Where the version's files are, or None when govgate cannot list them (a source outside
    both the logged models and the version's run, e.g. a bucket registered by hand)."""
    source = str(version.get("source", ""))
    model_id = version.get("model_id") or None
    match = _LOGGED_MODEL_SOURCE.match(source)
    if model_id is None and match:
        model_id = match.group(1)
    if model_id:
        return ModelFiles(uri=f"models:/{model_id}", model_id=str(model_id))
    run_id = str(version.get("run_id") or "")
    if not run_id or run is None:
        return None
    runs = _RUN_SOURCE.match(source)
    if runs:
        if runs.group(1) != run_id:
            return None
        return ModelFiles(uri=source, run_id=run_id, prefix=runs.group(2).strip("/"))
    root = str(run.get("info", {}).get("artifact_uri", "")).rstrip("/")
    if root and (source.rstrip("/") == root or source.startswith(root + "/")):
        return ModelFiles(uri=source, run_id=run_id, prefix=source[len(root) :].strip("/"))
    return None


def _relative(path: str, prefix: str) -> str:
    path = path.strip("/")
    if not prefix:
        return path
    return path[len(prefix) + 1 :] if path.startswith(prefix + "/") else ""
