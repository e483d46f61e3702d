"""The Facts document: everything rules may look at, gathered once before any rule runs.

Frozen dataclasses, not pydantic models: they are built from data govgate already validated and
sit on the hot path. `govgate schema facts` derives their JSON Schema on demand.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from govgate.approvals.model import Approval, ChangeFacts
from govgate.artifacts.markdown import MarkdownDocument
from govgate.artifacts.topics import TopicFacts
from govgate.jsonable import EXCLUDE, to_jsonable
from govgate.location import Location
from govgate.record import Record

FACTS_SCHEMA = "govgate/facts/v1"


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Subject(Record):
    """The model release under review."""

    name: str
    risk_tier: str
    version: str | None = None
    uri: str | None = None
    stage: str | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class RepoFacts(Record):
    """The repository: its folder, and its git commit, branch and dirty flag when it is in git."""

    root: str
    is_git: bool = False
    commit: str | None = None
    branch: str | None = None
    dirty: bool | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class ArtifactFacts(Record):
    """One configured artifact: where it is, whether it exists, its digest and parsed content.

    `last_commit` is the date of the last git commit that touched the file, or
    `last_commit_unknown` says why git cannot tell (a shallow clone); `error` says why it
    could not be read; `data` is the parsed content of a YAML or JSON artifact, `text` that of a
    plain-text one, `markdown` the section tree of a Markdown one; `topics` what a Markdown
    document or a JSON model card covers, topic by topic.
    """

    name: str
    path: str
    format: Literal["markdown", "yaml", "json", "text"]
    exists: bool = False
    sha256: str | None = None
    size: int | None = None
    last_commit: datetime | None = None
    last_commit_unknown: str | None = None
    error: str | None = None
    markdown: MarkdownDocument | None = None
    data: Any = None
    text: str | None = None
    topics: dict[str, TopicFacts] = field(default_factory=dict)
    # kept for findings' line numbers, not part of the document
    error_location: Location | None = field(default=None, metadata=EXCLUDE)
    key_lines: dict[str, int] = field(default_factory=dict, metadata=EXCLUDE)


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class CiFacts(Record):
    """Where the gate runs, from the CI system's standard variables (never its tokens)."""

    provider: Literal["github", "gitlab", "local"] = "local"
    repository: str | None = None
    ref: str | None = None
    sha: str | None = None
    event: str | None = None
    actor: str | None = None
    run_id: str | None = None
    run_url: str | None = None
    pull_request: str | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class MlflowModelFacts(Record):
    """The registered model: description, tags, and aliases mapped to versions."""

    name: str
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class MlflowVersionFacts(Record):
    """The model version under review.

    `model_id` is the MLflow 3 logged model the version was registered from (its files live
    there, not among the run's artifacts); `model_uri` is where the version's files are; and
    `artifacts` their paths relative to it, listed in the folders model_artifact rules name.
    """

    version: str
    aliases: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    description: str = ""
    source: str = ""
    status: str = ""
    run_id: str | None = None
    creator: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    model_id: str | None = None
    model_uri: str = ""
    artifacts: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class DatasetFacts(Record):
    """A dataset input logged to the run."""

    name: str = ""
    digest: str = ""
    source_type: str = ""
    context: str | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class MlflowRunFacts(Record):
    """The run behind the version: latest metric values (as runs/get reports them), params,
    tags, datasets, and the artifact paths listed in the folders run_artifact rules name."""

    run_id: str
    experiment_id: str = ""
    name: str = ""
    status: str = ""
    user: str = ""
    start_time: datetime | None = None
    end_time: datetime | None = None
    artifact_uri: str = ""
    metrics: dict[str, float] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    artifacts: list[str] = field(default_factory=list)
    datasets: list[DatasetFacts] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class BaselineFacts(Record):
    """The version an alias (e.g. champion) points to, for relative metric rules."""

    alias: str
    version: str | None = None
    run_id: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class MlflowFacts(Record):
    """What the registry says about the version under review."""

    tracking_uri: str
    model: MlflowModelFacts
    version: MlflowVersionFacts
    run: MlflowRunFacts | None = None
    baselines: dict[str, BaselineFacts] = field(default_factory=dict)


ExceptionState = Literal["active", "expiring", "expired", "invalid", "closed"]


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class ExceptionFacts(Record):
    """An exception of this model as the waiver stage judges it at the evaluation time.

    `state` is active, expiring (within warn_days), expired, invalid or closed; `problems` say
    why an exception cannot waive anything.
    """

    id: str
    rules: list[str]
    state: ExceptionState
    expires_on: str
    days_left: int
    requested_by: str
    approved_by: str | None = None
    reason: str = ""
    problems: list[str] = field(default_factory=list)
    location: Location | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Facts(Record):
    """The single input of every engine.

    `evidence_digest` pins every artifact at once (an approval may record it); `roles` is the
    roster from govgate.yaml; `change` is the pull or merge request under review, if any.
    """

    subject: Subject
    repo: RepoFacts
    schema: str = FACTS_SCHEMA
    artifacts: dict[str, ArtifactFacts] = field(default_factory=dict)
    evidence_digest: str | None = None
    ci: CiFacts = field(default_factory=CiFacts)
    mlflow: MlflowFacts | None = None
    roles: dict[str, list[str]] = field(default_factory=dict)
    approvals: list[Approval] = field(default_factory=list)
    change: ChangeFacts | None = None
    exceptions: list[ExceptionFacts] = field(default_factory=list)

    def as_document(self) -> dict[str, Any]:
        """The JSON-able form rules address with `path` (what `govgate facts` prints)."""
        document: dict[str, Any] = to_jsonable(self)
        return document


def evidence_digest(artifacts: dict[str, ArtifactFacts]) -> str:
    """One sha256 over every artifact's name and digest (absent ones count as absent)."""
    digest = hashlib.sha256()
    for name in sorted(artifacts):
        digest.update(f"{name}\0{artifacts[name].sha256 or '-'}\n".encode())
    return digest.hexdigest()
