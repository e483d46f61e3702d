"""Rule pack models (`kind: RulePack`): rule metadata and the check kinds, validated at load."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from govgate.config import Topics
from govgate.rules.patterns import compile_pattern
from govgate.rules.timeexpr import parse_time_bound
from govgate.strict import StrictModel

Severity = Literal["blocking", "warning", "info"]


def _absolute_http(value: str) -> str:
    """An absolute http(s) link. (pydantic's AnyHttpUrl would import importlib.metadata, ~20 ms
    of every cold check, through pydantic.networks.)"""
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() for c in value)
    ):
        raise ValueError("expected an absolute http(s) URL, e.g. https://example.com/rules/R-1")
    return value


HttpUri = Annotated[str, AfterValidator(_absolute_http), Field(json_schema_extra={"format": "uri"})]
RULE_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*$"


class Predicates(StrictModel):
    """Tests applied to one value; every one given must hold."""

    exists: bool | None = Field(default=None, description="The value is present (not null).")
    equals: Any = Field(default=None, description="The value equals this.")
    in_: list[Any] | None = Field(
        default=None, alias="in", description="The value is one of these."
    )
    not_in: list[Any] | None = Field(default=None, description="The value is none of these.")
    matches: str | None = Field(
        default=None,
        description="Regular expression searched in the value, which must be text (or a number).",
    )
    min: float | None = Field(default=None, description="The value is a number >= this.")
    max: float | None = Field(default=None, description="The value is a number <= this.")
    min_items: int | None = Field(
        default=None,
        ge=0,
        description="The value is a list (or mapping) with at least this many entries: "
        "`hazards: []` is present but empty.",
    )
    before: str | None = Field(
        default=None, description="The value is a date/time before this (ISO 8601 or now-30d)."
    )
    after: str | None = Field(
        default=None, description="The value is a date/time after this (ISO 8601 or now-30d)."
    )

    @field_validator("matches")
    @classmethod
    def _regex_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            compile_pattern(value)  # RE2: refused here, with the pack's line, not at run time
        return value

    @field_validator("before", "after", mode="before")
    @classmethod
    def _time_bound_parses(cls, value: Any) -> Any:
        if isinstance(value, datetime | date):
            value = value.isoformat()
        if value is not None:
            parse_time_bound(str(value), datetime(2000, 1, 1))
        return value

    def given(self) -> dict[str, Any]:
        """The predicates the author wrote (equals: null counts when written)."""
        return {
            name: getattr(self, name)
            for name in self.model_fields_set
            if name in Predicates.model_fields
        }


class AnyOf(StrictModel):
    """A required section that may be spelled several ways."""

    any_of: list[str] = Field(min_length=1)


class ArtifactCheck(StrictModel):
    """The artifact exists, is fresh enough, and names the model it documents."""

    kind: Literal["artifact"]
    artifact: str = Field(description="Artifact name from govgate.yaml `artifacts`.")
    exists: bool = True
    max_age_days: int | None = Field(
        default=None, gt=0, description="Last git commit touching it is at most this old."
    )
    must_reference: list[Literal["name", "version"]] = Field(
        default_factory=list, description="The text mentions the model name and/or version."
    )


class MarkdownSectionsCheck(StrictModel):
    """Required sections are present, filled in, and free of placeholders."""

    kind: Literal["markdown_sections"]
    artifact: str = Field(description="Artifact name (a Markdown file).")
    required: list[str | AnyOf] = Field(
        default_factory=list, description="Section titles; {any_of: [...]} accepts spellings."
    )
    min_words: int = Field(default=0, ge=0, description="Words each required section needs.")
    forbid: list[str] = Field(
        default_factory=list, description="Words or phrases that must not appear (e.g. TODO)."
    )
    forbid_placeholders: bool = Field(
        default=True,
        description="Fail on template placeholders: [More Information Needed], {{ }}, TODO, TBD.",
    )


TopicId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class TopicRequirement(StrictModel):
    """A required topic with its own content minimums."""

    topic: TopicId = Field(description="Topic id, e.g. evaluation (docs/markdown-artifacts.md).")
    min_words: int | None = Field(
        default=None, ge=1, description="Content words the topic needs (default: the check's)."
    )
    min_metrics: int = Field(
        default=0, ge=0, description="Metric values the topic must state (numbers, not prose)."
    )


class TopicsCheck(StrictModel):
    """Required topics are covered, under any heading that names them, and filled in.

    Works on Markdown documents and on structured cards (Model Card Toolkit JSON); template
    text, placeholders and bare links never count toward a topic's content.
    """

    kind: Literal["topics"]
    artifact: str = Field(description="Artifact name (Markdown, or a JSON model card).")
    required: list[TopicId | TopicRequirement] = Field(
        min_length=1, description="Topic ids, or {topic, min_words, min_metrics}."
    )
    min_words: int = Field(
        default=10, ge=1, description="Content words each topic needs (never zero)."
    )
    forbid: list[str] = Field(
        default_factory=list, description="Words or phrases that must not appear (e.g. TODO)."
    )
    forbid_placeholders: bool = Field(
        default=True,
        description="Fail on placeholders left in the required topics ([...], {{ }}, X.XX, ?).",
    )

    def requirements(self) -> list[TopicRequirement]:
        return [
            TopicRequirement(topic=r, min_words=self.min_words)
            if isinstance(r, str)
            else r.model_copy(update={"min_words": r.min_words or self.min_words})
            for r in self.required
        ]


class FieldCheck(Predicates):
    """One field of a structured document, addressed by a dotted path."""

    path: str = Field(min_length=1, description="Dotted path, e.g. owners[0].email.")


class DocumentCheck(StrictModel):
    """Fields of a YAML or JSON artifact satisfy predicates."""

    kind: Literal["document"]
    artifact: str = Field(description="Artifact name (a YAML or JSON file).")
    fields: list[FieldCheck] = Field(min_length=1, description="Fields and their predicates.")


class FactCheck(Predicates):
    """A value in the Facts document satisfies predicates."""

    kind: Literal["fact"]
    path: str = Field(min_length=1, description="Dotted path into Facts, e.g. subject.risk_tier.")


class MetricCheck(StrictModel):
    """A run metric of the version under review meets a bound, absolute or against an alias."""

    kind: Literal["metric"]
    name: str = Field(min_length=1, description="Metric key as logged to MLflow, e.g. auc.")
    min: float | None = Field(default=None, description="The metric is >= this.")
    max: float | None = Field(default=None, description="The metric is <= this.")
    relative_to: str | None = Field(
        default=None, description="Alias of the baseline version, e.g. champion."
    )
    max_regression: float = Field(
        default=0.0, ge=0, description="How much worse than the baseline it may be."
    )
    higher_is_better: bool = Field(default=True, description="False for losses and error rates.")

    @model_validator(mode="after")
    def _has_a_bound(self) -> MetricCheck:
        if self.min is None and self.max is None and self.relative_to is None:
            raise ValueError("a metric check needs min, max or relative_to")
        return self


class CardMetricsCheck(StrictModel):
    """Values a document states for a metric agree with the metric of the version's MLflow run."""

    kind: Literal["card_metrics"]
    artifact: str = Field(description="Artifact name (Markdown or a JSON model card).")
    tolerance: float = Field(
        default=0.005, ge=0, description="Largest difference that still agrees (absolute)."
    )
    names: dict[str, str] = Field(
        default_factory=dict,
        description="Card metric name -> run metric key, where they are spelled differently.",
    )
    min_compared: int = Field(
        default=0, ge=0, description="Metrics that must be stated in both places and compared."
    )


class RunArtifactCheck(StrictModel):
    """The run behind the model version logged an artifact at this path."""

    kind: Literal["run_artifact"]
    path: str = Field(min_length=1, description="Artifact path in the run, e.g. reports/eval.md.")


class ModelArtifactCheck(StrictModel):
    """The model version's own files include this path: an MLflow 3 logged model's files, or
    the model folder of the version's run for versions registered from a run path."""

    kind: Literal["model_artifact"]
    path: str = Field(min_length=1, description="Path relative to the model's root, e.g. MLmodel.")


class RoleRequirement(StrictModel):
    role: str = Field(min_length=1, description="A role of the `roles:` roster.")
    count: int = Field(default=1, ge=1, description="Distinct approvers needed in that role.")


class ApprovalsCheck(StrictModel):
    """Enough valid approvals per role for the subject's tier."""

    kind: Literal["approvals"]
    required: dict[str, list[RoleRequirement]] = Field(
        description="Risk tier (or `*` for any tier) to the roles it needs."
    )
    max_age_days: int | None = Field(
        default=None, gt=0, description="Approvals older than this do not count."
    )
    separation_of_duties: bool = Field(
        default=True,
        description="The approver is not the change author, the version creator, or an "
        "exception requester.",
    )
    bind_to_evidence: bool = Field(
        default=True,
        description="An approval that recorded evidence digests is void once they change.",
    )
    require_evidence: list[str] = Field(
        default_factory=list,
        description="Risk tiers at which an approval must record the evidence digest or artifact "
        "digests (`govgate approve` writes them), else it is void. Reviews of the pull/merge "
        "request are bound to the change by the code host and are exempt.",
    )

    verify_authors: bool = Field(
        default=True,
        description="An approvals-file entry counts only if every commit that wrote its lines "
        "was authored by its approver (from git history); uncommitted entries and shallow "
        "clones cannot be traced and do not count.",
    )
    require_signed: list[str] = Field(
        default_factory=list,
        description="Risk tiers at which those commits must also carry a good signature by the "
        "approver (SSH signers from govgate.yaml `approval_signers`, or GnuPG).",
    )

    @model_validator(mode="after")
    def _evidence_is_compared(self) -> ApprovalsCheck:
        if self.require_evidence and not self.bind_to_evidence:
            raise ValueError(
                "require_evidence needs bind_to_evidence: a recorded digest that is never "
                "compared binds nothing"
            )
        return self


class MonitorBound(StrictModel):
    min: float | None = Field(default=None, description="Alert threshold must be >= this.")
    max: float | None = Field(default=None, description="Alert threshold must be <= this.")


class MonitoringCheck(StrictModel):
    """The monitoring plan has the monitors the tier needs, each complete and strict enough."""

    kind: Literal["monitoring"]
    artifact: str = Field(default="monitoring", description="The monitoring config (YAML).")
    required: list[str] = Field(
        default_factory=list,
        description="Monitor types needed, e.g. data_drift, prediction_drift, performance.",
    )
    bounds: dict[str, MonitorBound] = Field(
        default_factory=dict,
        description="Per metric, the policy bound an alert threshold must be within.",
    )
    fields: list[str] = Field(
        default_factory=lambda: ["metric", "threshold", "window", "alert_route", "runbook"],
        description="Keys every monitor must fill in.",
    )
    incident_contact: bool = Field(default=True, description="An incident contact is named.")


class AllCheck(StrictModel):
    """Every sub-check holds."""

    kind: Literal["all"]
    checks: list[Check] = Field(min_length=1, description="Sub-checks; all must pass.")


class AnyCheck(StrictModel):
    """At least one sub-check holds."""

    kind: Literal["any"]
    checks: list[Check] = Field(min_length=1, description="Sub-checks; one must pass.")


class NotCheck(StrictModel):
    """The sub-check fails (an error inside stays an error)."""

    kind: Literal["not"]
    check: Check = Field(description="The sub-check that must not pass.")


Check = Annotated[
    ArtifactCheck
    | TopicsCheck
    | MarkdownSectionsCheck
    | DocumentCheck
    | FactCheck
    | MetricCheck
    | CardMetricsCheck
    | RunArtifactCheck
    | ModelArtifactCheck
    | ApprovalsCheck
    | MonitoringCheck
    | AllCheck
    | AnyCheck
    | NotCheck,
    Field(discriminator="kind"),
]


class RuleMeta(StrictModel):
    """What every rule carries, native or Rego: identity, severity, remedy, scope, controls."""

    id: str = Field(pattern=RULE_ID_PATTERN, description="Stable id, e.g. ART-001.")
    title: str = Field(min_length=1)
    severity: Severity
    remediation: str = Field(min_length=1, description="How to fix a failure.")
    description: str | None = Field(default=None, description="Why the rule exists.")
    tiers: list[str] | None = Field(default=None, description="Risk tiers it applies to.")
    stages: list[str] | None = Field(default=None, description="Stages it applies to.")
    controls: list[str] = Field(default_factory=list, description="Framework controls served.")
    waivable: bool = Field(default=True, description="Whether an exception may waive it.")
    help_uri: HttpUri | None = Field(
        default=None, description="Absolute link to the rule's documentation (SARIF helpUri)."
    )


class Rule(RuleMeta):
    """One rule: what it checks, how bad a failure is, how to fix it, which controls it serves."""

    when: Check | None = Field(default=None, description="Apply the rule only if this holds.")
    check: Check = Field(description="What the rule tests; one of the check kinds.")


class PackMetadata(StrictModel):
    """Who the pack is and which version of it judged a release (recorded in reports)."""

    name: str = Field(min_length=1, description="Pack name, shown with each rule.")
    version: str = Field(default="0.0.0", description="Pack version.")
    description: str | None = None


class RulePack(StrictModel):
    """A rule pack file (`kind: RulePack`)."""

    api_version: Literal["govgate/v1"] = Field(alias="apiVersion")
    kind: Literal["RulePack"]
    metadata: PackMetadata
    topics: Topics = Field(
        default_factory=dict,
        description="Extend or narrow the topic vocabulary for every rule (as in govgate.yaml).",
    )
    rules: list[Rule] = Field(default_factory=list, description="The rules, in report order.")


AllCheck.model_rebuild()
AnyCheck.model_rebuild()
NotCheck.model_rebuild()
Rule.model_rebuild()
RulePack.model_rebuild()
