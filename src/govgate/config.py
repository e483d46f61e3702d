"""govgate.yaml: the model under review, where its artifacts live, and which rule packs apply."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from govgate.artifacts.vocabulary import TopicChange
from govgate.errors import ConfigError
from govgate.strict import StrictModel
from govgate.yamlio import DEFAULT_MAX_BYTES, load_yaml_file, validate

ArtifactFormat = Literal["auto", "markdown", "yaml", "json", "text"]
DEFAULT_CONFIG_NAME = "govgate.yaml"


class ModelRef(StrictModel):
    """The model release the gate decides on."""

    name: str = Field(min_length=1, description="Registered model name, e.g. credit-risk.")
    uri: str | None = Field(
        default=None, description="MLflow model URI: models:/name/3 or models:/name@alias."
    )
    version: str | None = Field(default=None, description="Model version, when known up front.")
    risk_tier: str = Field(description="Risk tier of the model; one of `risk_tiers`.")
    stage: str | None = Field(
        default=None, description="Lifecycle stage being entered (e.g. release)."
    )


class ArtifactSpec(StrictModel):
    """An artifact with an explicit format; a bare string is the same with format `auto`."""

    path: str = Field(min_length=1, description="Path relative to the repository root.")
    format: ArtifactFormat = Field(
        default="auto", description="How to parse it; `auto` goes by the file extension."
    )


class TopicSpec(StrictModel):
    """Changes to one topic's vocabulary, or a new topic (docs/markdown-artifacts.md)."""

    title: str | None = Field(default=None, description="How messages name the topic.")
    add: list[str] = Field(
        default_factory=list, description="Heading phrases that also name the topic."
    )
    remove: list[str] = Field(
        default_factory=list, description="Shipped phrases that no longer name it."
    )
    exclude: list[str] = Field(
        default_factory=list, description="Headings with these words never name it."
    )
    only: list[str] | None = Field(
        default=None, description="Exactly these phrases name it (narrows the shipped list)."
    )

    def change(self) -> TopicChange:
        return TopicChange(
            title=self.title,
            add=tuple(self.add),
            remove=tuple(self.remove),
            exclude=tuple(self.exclude),
            only=tuple(self.only) if self.only is not None else None,
        )


Topics = dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], TopicSpec]


class ExceptionPolicy(StrictModel):
    """How long waivers may last per tier, and who may approve them."""

    max_days: dict[str, int] = Field(default_factory=dict)
    warn_days: int = 14
    max_renewals: int | None = None
    approvers: list[str] = Field(default_factory=list)


class Limits(StrictModel):
    max_file_bytes: int = Field(
        default=DEFAULT_MAX_BYTES, gt=0, description="Largest artifact or rule file read."
    )


class MlflowSettings(StrictModel):
    """Where the model registry is and how patiently to talk to it."""

    tracking_uri: str | None = Field(
        default=None,
        description="Tracking server or store; --tracking-uri overrides it, MLFLOW_TRACKING_URI "
        "applies when it is unset.",
    )
    timeout_seconds: float = Field(default=30.0, gt=0, description="Read timeout per request.")
    retries: int = Field(
        default=3, ge=0, le=10, description="Retries on 429/5xx/connection errors."
    )


class OpaSettings(StrictModel):
    """A remote OPA that evaluates the Rego policies (`rego.engine: opa`)."""

    url: str = Field(description="OPA's base URL, e.g. https://opa.example.com:8181.")
    mode: Literal["push", "query"] = Field(
        default="push",
        description=(
            "push: upload the pack's .rego files (PUT /v1/policies) before querying; query: the "
            "OPA already serves the same packages (bundles) and is only queried."
        ),
    )
    policy_prefix: str = Field(
        default="govgate", min_length=1, description="Policy ids used when pushing: PREFIX/FILE."
    )
    token_env: str = Field(
        default="GOVGATE_OPA_TOKEN",
        description="Environment variable holding a bearer token (never written anywhere).",
    )
    ca_cert: str | None = Field(default=None, description="CA bundle to verify OPA's TLS with.")
    insecure_tls: bool = Field(default=False, description="Skip TLS verification (never in prod).")
    timeout_seconds: float = Field(default=10.0, gt=0, description="Per-request timeout.")


class RegoSettings(StrictModel):
    """Which engine evaluates the Rego policies among the rule packs."""

    engine: Literal["regopy", "opa"] = Field(
        default="regopy", description="regopy: in-process (govgate[rego]); opa: a remote OPA."
    )
    opa: OpaSettings | None = Field(default=None, description="Required when engine is opa.")
    input_exclude: list[str] = Field(
        default_factory=list,
        description=(
            "Parts of the Facts document left out of the Rego input, as dotted paths with `*` "
            "for any key or list item, e.g. artifacts.*.markdown.sections.*.text."
        ),
    )

    @model_validator(mode="after")
    def _opa_configured(self) -> RegoSettings:
        if self.engine == "opa" and self.opa is None:
            raise ValueError("rego.engine is opa but rego.opa (url, ...) is not set")
        return self


class Config(StrictModel):
    """The whole govgate.yaml document (`kind: Config`)."""

    api_version: Literal["govgate/v1"] = Field(alias="apiVersion")
    kind: Literal["Config"]
    model: ModelRef
    artifacts: dict[str, str | ArtifactSpec] = Field(
        default_factory=dict, description="Artifact names that rules refer to, mapped to paths."
    )
    approvals: str | None = Field(default=None, description="Path of the approvals file.")
    approval_signers: str | None = Field(
        default=None,
        description="SSH allowed-signers file (git's gpg.ssh.allowedSignersFile) that signed "
        "approval commits are checked against; GnuPG signatures use the machine's keyring.",
    )
    exceptions: str | None = Field(default=None, description="Path of the exceptions file.")
    rules: list[str] = Field(
        default_factory=lambda: ["builtin:baseline"],
        description="Rule packs: `builtin:NAME`, a .yaml or .rego file, or a folder of them.",
    )
    roles: dict[str, list[str]] = Field(default_factory=dict)
    exception_policy: ExceptionPolicy | None = None
    risk_tiers: list[str] = Field(
        default_factory=lambda: ["low", "medium", "high"],
        min_length=1,
        description="Allowed risk tiers, lowest to highest.",
    )
    stages: list[str] | None = Field(
        default=None, description="Allowed lifecycle stages; unset means any."
    )
    topics: Topics = Field(
        default_factory=dict,
        description="Extend or narrow the topic vocabulary (topic id: add/remove/exclude/only).",
    )
    limits: Limits = Field(default_factory=Limits)
    mlflow: MlflowSettings = Field(default_factory=MlflowSettings)
    rego: RegoSettings = Field(default_factory=RegoSettings)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _tier_is_known(self) -> Config:
        if self.model.risk_tier not in self.risk_tiers:
            raise ValueError(
                f"model.risk_tier {self.model.risk_tier!r} is not one of risk_tiers "
                f"{self.risk_tiers}"
            )
        return self

    def artifact_specs(self) -> dict[str, ArtifactSpec]:
        return {
            name: spec if isinstance(spec, ArtifactSpec) else ArtifactSpec(path=spec)
            for name, spec in self.artifacts.items()
        }


def load_config(path: Path, display: str) -> tuple[Config, str]:
    """Load and validate govgate.yaml; returns the config and the sha256 of its bytes."""
    if not path.is_file():
        raise ConfigError(
            f"no config file at {display}",
            hint="run `govgate init` to create one, or pass --config FILE",
        )
    loaded = load_yaml_file(path, display, DEFAULT_MAX_BYTES)
    if not isinstance(loaded.data, dict):
        raise ConfigError(
            "expected a mapping with `apiVersion: govgate/v1` and `kind: Config`", loaded.location()
        )
    kind = loaded.data.get("kind")
    if kind != "Config":
        raise ConfigError(
            f"expected `kind: Config`, found {kind!r}",
            loaded.location(("kind",)),
            hint="govgate.yaml must start with apiVersion: govgate/v1 and kind: Config",
        )
    return validate(Config, loaded, ConfigError), loaded.sha256
