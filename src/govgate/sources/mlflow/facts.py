"""Build the `mlflow` part of Facts: the version under review, its model, run and baselines.

Every fact is fetched once: registered model (tags, aliases), model version, run, one artifact
listing per folder the rules need (the run's, and the version's own files: an MLflow 3 logged
model's or the model folder in the run), and for each baseline alias its version and run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from govgate.facts import (
    BaselineFacts,
    DatasetFacts,
    MlflowFacts,
    MlflowModelFacts,
    MlflowRunFacts,
    MlflowVersionFacts,
)
from govgate.sources.base import Input
from govgate.sources.mlflow.base import JsonObject, MlflowError, RegistryBackend
from govgate.sources.mlflow.model_files import ListingSink, locate
from govgate.sources.mlflow.uris import ModelUri


@dataclass(frozen=True)
class MlflowNeeds:
    """What the loaded rules will ask of MLflow beyond the version itself."""

    aliases: frozenset[str] = frozenset()
    artifact_dirs: frozenset[str] = frozenset()
    model_artifact_dirs: frozenset[str] = frozenset()  # none: the version's files go unlisted


@dataclass
class Fetched:
    facts: MlflowFacts
    inputs: list[Input] = field(default_factory=list)
    run: JsonObject | None = None


def fetch(backend: RegistryBackend, ref: ModelUri, needs: MlflowNeeds) -> Fetched:
    inputs: list[Input] = []
    api = backend.registry_api
    model = backend.registered_model(ref.name)
    inputs.append(
        _input(backend, f"{api}registered-models/get {ref.name}", model, "last_updated_timestamp")
    )
    aliases = {str(a["alias"]): str(a["version"]) for a in model.get("aliases", [])}
    version = ref.version
    if ref.alias is not None:
        version = aliases.get(ref.alias)
        if version is None:
            known = ", ".join(f"@{a}" for a in sorted(aliases)) or "none"
            raise MlflowError(
                f"MLflow {backend.display_uri}: model {ref.name!r} has no alias @{ref.alias} "
                f"(aliases: {known})"
            )
    assert version is not None
    mv = backend.model_version(ref.name, version)
    inputs.append(
        _input(
            backend, f"{api}model-versions/get {ref.name}/{version}", mv, "last_updated_timestamp"
        )
    )
    run_json: JsonObject | None = None
    run_facts: MlflowRunFacts | None = None

    def record(call: str, files: list[JsonObject]) -> None:
        inputs.append(_input(backend, call, {"files": files}, None))

    if mv.get("run_id"):
        run_json = backend.run(str(mv["run_id"]))
        inputs.append(_input(backend, f"runs/get {mv['run_id']}", run_json, None))
        artifacts = _artifact_paths(backend, str(mv["run_id"]), needs.artifact_dirs, record)
        run_facts = _run_facts(run_json, artifacts)
    files = locate(mv, run_json)
    model_paths: list[str] = []
    if files is not None and needs.model_artifact_dirs:
        model_paths = files.list_paths(backend, needs.model_artifact_dirs, record)
    baselines = {
        alias: _baseline(backend, ref.name, alias, aliases.get(alias), inputs)
        for alias in sorted(needs.aliases)
    }
    facts = MlflowFacts(
        tracking_uri=backend.display_uri,
        model=MlflowModelFacts(
            name=str(model.get("name", ref.name)),
            description=str(model.get("description", "")),
            tags=_tags(model),
            aliases=aliases,
        ),
        version=MlflowVersionFacts(
            version=str(mv.get("version", version)),
            aliases=[str(a) for a in mv.get("aliases", [])]
            or [a for a, v in aliases.items() if v == version],
            tags=_tags(mv),
            description=str(mv.get("description", "")),
            source=str(mv.get("source", "")),
            status=str(mv.get("status", "")),
            run_id=str(mv["run_id"]) if mv.get("run_id") else None,
            creator=str(mv["user_id"]) if mv.get("user_id") else None,
            created_at=_time(mv.get("creation_timestamp")),
            updated_at=_time(mv.get("last_updated_timestamp")),
            model_id=files.model_id if files else None,
            model_uri=files.uri if files else "",
            artifacts=model_paths,
        ),
        run=run_facts,
        baselines=baselines,
    )
    return Fetched(facts=facts, inputs=inputs, run=run_json)


def _baseline(
    backend: RegistryBackend, name: str, alias: str, version: str | None, inputs: list[Input]
) -> BaselineFacts:
    if version is None:
        return BaselineFacts(alias=alias)
    mv = backend.model_version(name, version)
    inputs.append(
        _input(
            backend,
            f"{backend.registry_api}model-versions/get {name}/{version}",
            mv,
            "last_updated_timestamp",
        )
    )
    run_id = str(mv["run_id"]) if mv.get("run_id") else None
    metrics: dict[str, float] = {}
    if run_id:
        run = backend.run(run_id)
        inputs.append(_input(backend, f"runs/get {run_id}", run, None))
        metrics = _metrics(run)
    return BaselineFacts(alias=alias, version=version, run_id=run_id, metrics=metrics)


def _artifact_paths(
    backend: RegistryBackend, run_id: str, dirs: frozenset[str], record: ListingSink
) -> list[str]:
    """One listing per folder the rules name (root = ""); the root alone when they name none."""
    paths: list[str] = []
    for folder in sorted(dirs) if dirs else [""]:
        listed = backend.list_artifacts(run_id, folder or None)
        record(f"artifacts/list {run_id} {folder}".strip(), listed)
        paths += [str(f["path"]) for f in listed if "path" in f]
    return sorted(set(paths))


def _run_facts(run: JsonObject, artifacts: list[str]) -> MlflowRunFacts:
    info = run.get("info", {})
    data = run.get("data", {})
    datasets = [
        DatasetFacts(
            name=str(d.get("dataset", {}).get("name", "")),
            digest=str(d.get("dataset", {}).get("digest", "")),
            source_type=str(d.get("dataset", {}).get("source_type", "")),
            context=next(
                (t["value"] for t in d.get("tags", []) if t.get("key") == "mlflow.data.context"),
                None,
            ),
        )
        for d in run.get("inputs", {}).get("dataset_inputs", [])
    ]
    return MlflowRunFacts(
        run_id=str(info.get("run_id") or info.get("run_uuid", "")),
        experiment_id=str(info.get("experiment_id", "")),
        name=str(info.get("run_name", "")),
        status=str(info.get("status", "")),
        user=str(info.get("user_id", "")),
        start_time=_time(info.get("start_time")),
        end_time=_time(info.get("end_time")),
        artifact_uri=str(info.get("artifact_uri", "")),
        metrics=_metrics(run),
        params=_tags(data, "params"),
        tags=_tags(data),
        artifacts=artifacts,
        datasets=datasets,
    )


def _metrics(run: JsonObject) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for m in run.get("data", {}).get("metrics", []):
        try:
            metrics[str(m["key"])] = float(m["value"])
        except (KeyError, TypeError, ValueError):
            raise MlflowError(f"malformed metric in run response: {m!r}") from None
    return metrics


def _tags(obj: JsonObject, key: str = "tags") -> dict[str, str]:
    return {str(t["key"]): str(t.get("value", "")) for t in obj.get(key, []) if "key" in t}


def _time(millis: Any) -> datetime | None:
    if millis in (None, "", 0):
        return None
    return datetime.fromtimestamp(int(millis) / 1000, tz=UTC)


def _input(backend: RegistryBackend, call: str, body: JsonObject, stamp: str | None) -> Input:
    raw = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    identity = f"{stamp}={body.get(stamp)}" if stamp and body.get(stamp) else None
    return Input(
        kind="mlflow",
        location=f"{backend.display_uri} {call}",
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        identity=identity,
    )
