"""The Facts document: everything rules may look at, gathered once before any rule runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from govgate.artifacts.markdown import MarkdownDocument
from govgate.location import Location

FACTS_SCHEMA = "govgate/facts/v1"


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Subject(_Facts):
    name: str
    version: str | None = None
    uri: str | None = None
    risk_tier: str
    stage: str | None = None


class RepoFacts(_Facts):
    root: str
    is_git: bool = False
    commit: str | None = None
    branch: str | None = None
    dirty: bool | None = None


class ArtifactFacts(_Facts):
    """One configured artifact: where it is, whether it exists, its digest and parsed content."""

    name: str
    path: str
    format: Literal["markdown", "yaml", "json", "text"]
    exists: bool = False
    sha256: str | None = None
    size: int | None = None
    last_commit: datetime | None = Field(
        default=None, description="Date of the last git commit that touched the file."
    )
    error: str | None = Field(default=None, description="Why the artifact could not be read.")
    error_location: Location | None = Field(default=None, exclude=True)
    markdown: MarkdownDocument | None = None
    data: Any = Field(default=None, description="Parsed content of a YAML or JSON artifact.")
    text: str | None = Field(default=None, description="Content of a plain-text artifact.")
    key_lines: dict[str, int] = Field(default_factory=dict, exclude=True)


class CiFacts(_Facts):
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


class MlflowModelFacts(_Facts):
    name: str
    description: str = ""
    tags: dict[str, str] = Field(default_factory=dict)
    aliases: dict[str, str] = Field(default_factory=dict, description="Alias to version.")


class MlflowVersionFacts(_Facts):
    version: str
    aliases: list[str] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)
    description: str = ""
    source: str = ""
    status: str = ""
    run_id: str | None = None
    creator: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class DatasetFacts(_Facts):
    name: str = ""
    digest: str = ""
    source_type: str = ""
    context: str | None = None


class MlflowRunFacts(_Facts):
    run_id: str
    experiment_id: str = ""
    name: str = ""
    status: str = ""
    user: str = ""
    start_time: datetime | None = None
    end_time: datetime | None = None
    artifact_uri: str = ""
    metrics: dict[str, float] = Field(
        default_factory=dict, description="Latest value of each metric (as runs/get reports it)."
    )
    params: dict[str, str] = Field(default_factory=dict)
    tags: dict[str, str] = Field(default_factory=dict)
    artifacts: list[str] = Field(
        default_factory=list,
        description="Artifact paths in the folders run_artifact rules name (else the root).",
    )
    datasets: list[DatasetFacts] = Field(default_factory=list)


class BaselineFacts(_Facts):
    """The version an alias (e.g. champion) points to, for relative metric rules."""

    alias: str
    version: str | None = None
    run_id: str | None = None
    metrics: dict[str, float] = Field(default_factory=dict)


class MlflowFacts(_Facts):
    tracking_uri: str
    model: MlflowModelFacts
    version: MlflowVersionFacts
    run: MlflowRunFacts | None = None
    baselines: dict[str, BaselineFacts] = Field(default_factory=dict)


class Facts(_Facts):
    """The single input of every engine."""

    schema_: str = Field(default=FACTS_SCHEMA, alias="schema")
    subject: Subject
    repo: RepoFacts
    artifacts: dict[str, ArtifactFacts] = Field(default_factory=dict)
    ci: CiFacts = Field(default_factory=CiFacts)
    mlflow: MlflowFacts | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def as_document(self) -> dict[str, Any]:
        """The JSON-able form rules address with `path` (what `govgate facts` prints)."""
        return self.model_dump(mode="json", by_alias=True)
