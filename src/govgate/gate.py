"""The gate itself: load config and rules, gather facts once, evaluate, and build the Report."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govgate.config import DEFAULT_CONFIG_NAME, Config, load_config
from govgate.engines import native
from govgate.errors import ConfigError, GovgateError, RuleError
from govgate.facts import Facts, Subject
from govgate.report import Report, ReportError, ReportSubject
from govgate.rules.loader import LoadedPack, LoadedRule, load_packs, policy_digest
from govgate.sources import ci, git, repo
from govgate.sources.base import Input

if TYPE_CHECKING:  # the MLflow modules stay off the import path until a registry is used
    from govgate.sources.mlflow.facts import Fetched


@dataclass(frozen=True)
class GateOptions:
    """Everything `govgate check` and `govgate facts` take, already parsed."""

    repo: Path = Path(".")
    config: Path | None = None
    model_uri: str | None = None
    tracking_uri: str | None = None
    risk_tier: str | None = None
    stage: str | None = None
    rules: tuple[str, ...] = ()
    at: datetime | None = None
    advisory: bool = False
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    def config_path(self) -> Path:
        return self.config if self.config is not None else self.repo / DEFAULT_CONFIG_NAME

    def evaluation_time(self) -> datetime:
        return self.at if self.at is not None else datetime.now(UTC)


@dataclass
class Gathered:
    """The facts and what they were read from; `registry` is kept for --publish."""

    config: Config
    facts: Facts
    inputs: list[Input]
    registry: Any = None
    fetched: Fetched | None = None


@dataclass
class GateResult:
    report: Report
    gathered: Gathered | None = None


def load(options: GateOptions) -> tuple[Config, list[Input], list[LoadedPack]]:
    """Config and rule packs, or a GovgateError naming the file, line and column."""
    if not options.repo.is_dir():
        raise ConfigError(f"repository folder {options.repo} does not exist")
    config_path = options.config_path()
    config, config_sha = load_config(config_path, str(config_path))
    packs = load_rules(config, options.repo, options.rules)
    inputs = [Input(kind="config", location=str(config_path), sha256=config_sha)]
    inputs += [
        Input(
            kind="rulepack",
            name=p.pack.metadata.name,
            location=p.display,
            sha256=p.sha256,
            size=p.size,
        )
        for p in packs
    ]
    return config, inputs, packs


def gather(
    options: GateOptions, config: Config, rules: Sequence[LoadedRule], inputs: list[Input]
) -> Gathered:
    """Read every source once; raises GovgateError on a fault that stops it."""
    subject = _subject(config, options)
    artifacts = repo.read_artifacts(
        options.repo, config.artifact_specs(), config.limits.max_file_bytes
    )
    repo_facts = git.repo_facts(options.repo)
    if repo_facts.is_git:
        dates = git.last_commit_dates(
            options.repo, [a.path for a in artifacts.values() if a.exists]
        )
        artifacts = {
            name: replace(a, last_commit=dates.get(a.path)) for name, a in artifacts.items()
        }
    inputs = inputs + [
        Input(kind="artifact", name=a.name, location=a.path, sha256=a.sha256, size=a.size)
        for a in artifacts.values()
        if a.exists
    ]
    registry, fetched = _mlflow(options, config, subject, rules)
    if fetched is not None:
        inputs += fetched.inputs
        subject = replace(subject, version=fetched.facts.version.version)
    facts = Facts(
        subject=subject,
        repo=repo_facts,
        artifacts=artifacts,
        ci=ci.ci_facts(options.env),
        mlflow=fetched.facts if fetched else None,
    )
    return Gathered(config=config, facts=facts, inputs=inputs, registry=registry, fetched=fetched)


def tracking_uri(options: GateOptions, config: Config) -> str | None:
    return (
        options.tracking_uri or config.mlflow.tracking_uri or options.env.get("MLFLOW_TRACKING_URI")
    )


def _mlflow(
    options: GateOptions, config: Config, subject: Subject, rules: Sequence[LoadedRule]
) -> tuple[Any, Fetched | None]:
    """Consult the registry when a tracking URI and a model URI are both known."""
    uri = tracking_uri(options, config)
    if not uri or not subject.uri:
        return None, None
    from govgate.rules.needs import mlflow_needs
    from govgate.sources.mlflow.connect import connect
    from govgate.sources.mlflow.facts import fetch
    from govgate.sources.mlflow.uris import parse_model_uri

    ref = parse_model_uri(subject.uri)
    backend = connect(uri, options.env, config.mlflow)
    return backend, fetch(backend, ref, mlflow_needs(rules))


def _subject(config: Config, options: GateOptions) -> Subject:
    tier = options.risk_tier or config.model.risk_tier
    if tier not in config.risk_tiers:
        raise ConfigError(f"risk tier {tier!r} is not one of {config.risk_tiers}")
    stage = options.stage or config.model.stage
    if stage is not None and config.stages is not None and stage not in config.stages:
        raise ConfigError(f"stage {stage!r} is not one of {config.stages}")
    uri = options.model_uri or config.model.uri
    return Subject(
        name=config.model.name,
        version=config.model.version or _version_from_uri(uri),
        uri=uri,
        risk_tier=tier,
        stage=stage,
    )


def _version_from_uri(uri: str | None) -> str | None:
    """`models:/name/7` names version 7; an alias needs the registry to resolve."""
    if not uri or not uri.startswith("models:/"):
        return None
    tail = uri.removeprefix("models:/").rsplit("/", 1)
    return tail[1] if len(tail) == 2 and tail[1].isdigit() else None


def load_rules(config: Config, repo: Path, extra: Sequence[str] = ()) -> list[LoadedPack]:
    """The config's packs (relative to the repo) plus extra ones (relative to the cwd)."""
    packs = load_packs(list(config.rules), repo, config.limits.max_file_bytes)
    packs += load_packs(list(extra), Path("."), config.limits.max_file_bytes)
    rules = [r for p in packs for r in p.rules]
    if not rules:
        raise RuleError(
            "no rules loaded: a gate with nothing to check would always pass",
            hint="list rule packs under `rules:` in govgate.yaml or pass --rules",
        )
    _check_scopes(rules, config)
    return packs


def _check_scopes(rules: list[LoadedRule], config: Config) -> None:
    """A misspelt tier or stage would make a rule silently never apply: refuse it."""
    for loaded in rules:
        unknown = set(loaded.rule.tiers or []) - set(config.risk_tiers)
        if unknown:
            raise RuleError(
                f"rule {loaded.rule.id} names tier(s) {sorted(unknown)} not in risk_tiers "
                f"{config.risk_tiers}",
                loaded.location,
            )
        if config.stages is not None:
            unknown = set(loaded.rule.stages or []) - set(config.stages)
            if unknown:
                raise RuleError(
                    f"rule {loaded.rule.id} names stage(s) {sorted(unknown)} not in stages "
                    f"{config.stages}",
                    loaded.location,
                )


def gather_facts(options: GateOptions) -> Facts:
    """What `govgate facts` prints: the same pipeline as `check`, stopping before evaluation."""
    config, inputs, packs = load(options)
    return gather(options, config, [r for p in packs for r in p.rules], inputs).facts


def run_check(options: GateOptions) -> GateResult:
    """The whole gate. A fault never escapes as a pass: it becomes verdict `error`."""
    started = time.perf_counter()
    at = options.evaluation_time()
    base: dict[str, Any] = {"evaluated_at": at.isoformat(), "advisory": options.advisory}
    try:
        config, inputs, packs = load(options)
    except GovgateError as exc:
        return GateResult(_error_report(exc, base, started))
    rules = [r for p in packs for r in p.rules]
    base |= {"inputs": inputs, "policy_digest": policy_digest(packs)}
    try:
        gathered = gather(options, config, rules, inputs)
    except GovgateError as exc:
        return GateResult(_error_report(exc, base, started))
    facts = gathered.facts
    base |= {
        "subject": ReportSubject(**asdict(facts.subject), git_commit=facts.repo.commit),
        "ci": facts.ci,
        "inputs": gathered.inputs,
    }
    findings = native.evaluate(facts, rules, at)
    errors = [
        ReportError(message=f"artifact {a.name!r}: {a.error}", location=a.error_location)
        for a in facts.artifacts.values()
        if a.error
    ]
    report = Report(**base, findings=findings, errors=errors, duration_ms=_elapsed_ms(started))
    return GateResult(report, gathered)


def _error_report(exc: GovgateError, base: dict[str, Any], started: float) -> Report:
    return Report(
        **base,
        errors=[ReportError(message=exc.described(), location=exc.location)],
        duration_ms=_elapsed_ms(started),
    )


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
