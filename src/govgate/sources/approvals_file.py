"""Approvals recorded in the repository (`kind: ApprovalList`) and on the MLflow model version."""

from __future__ import annotations

from pathlib import Path

from govgate.approvals.model import Approval, ApprovalList
from govgate.errors import InputError
from govgate.facts import MlflowFacts
from govgate.identity import identity
from govgate.sources.base import Input
from govgate.sources.repo import resolve_inside
from govgate.utc import aware, parse_iso
from govgate.yamlio import load_yaml_file, validate

MLFLOW_TAG_PREFIX = "approval."


def file_approvals(
    root: Path, relative: str, roster: dict[str, list[str]], max_bytes: int
) -> tuple[list[Approval], Input]:
    """Every entry of the approvals file, with the line it sits on."""
    path = resolve_inside(root, relative)
    loaded = load_yaml_file(path, relative, max_bytes)
    if not isinstance(loaded.data, dict) or loaded.data.get("kind") != "ApprovalList":
        raise InputError(
            "expected `apiVersion: govgate/v1` and `kind: ApprovalList`",
            loaded.location(("kind",)),
        )
    approvals = validate(ApprovalList, loaded)
    result = [
        Approval(
            by=entry.by,
            on=aware(entry.on),
            source="file",
            decision=entry.decision,
            role=entry.role,
            roles=roles_of(entry.by, roster),
            model=entry.covers.model,
            version=entry.covers.version,
            evidence_digest=entry.covers.evidence_digest,
            artifacts=dict(entry.covers.artifacts),
            ref=entry.ref,
            location=loaded.location(("approvals", index)),
        )
        for index, entry in enumerate(approvals.approvals)
    ]
    record = Input(kind="approvals", location=relative, sha256=loaded.sha256, size=loaded.size)
    return result, record


def mlflow_approvals(mlflow: MlflowFacts, roster: dict[str, list[str]]) -> list[Approval]:
    """Model-version tags `approval.<role>` = `<who>` or `<who> <ISO date>`."""
    approvals = []
    for key, value in sorted(mlflow.version.tags.items()):
        if not key.startswith(MLFLOW_TAG_PREFIX) or not value.strip():
            continue
        who, _, when = value.strip().partition(" ")
        on = parse_iso(when) or mlflow.version.updated_at
        approvals.append(
            Approval(
                by=who,
                on=on,
                source="mlflow",
                role=key.removeprefix(MLFLOW_TAG_PREFIX),
                roles=roles_of(who, roster),
                model=mlflow.model.name,
                version=mlflow.version.version,
                ref=f"model-version tag {key}",
            )
        )
    return approvals


def roles_of(who: str, roster: dict[str, list[str]]) -> list[str]:
    """The roster roles an identity holds (compared in govgate's one normal form)."""
    wanted = identity(who)
    return sorted(
        role for role, members in roster.items() if wanted in {identity(m) for m in members}
    )
