"""The gate itself: load config and rules, gather facts once, evaluate, and build the Report."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govgate.approvals.model import Approval, ChangeFacts
from govgate.config import DEFAULT_CONFIG_NAME, Config, load_config
from govgate.engines.evaluate import evaluate, policy_engine
from govgate.engines.native import approval_roles
from govgate.errors import ConfigError, GovgateError, InputError, RuleError
from govgate.exceptions.apply import applies_to, apply_exceptions, assess
from govgate.exceptions.model import ExceptionWaiver, load_exceptions
from govgate.facts import ExceptionFacts, Facts, Subject, evidence_digest
from govgate.report import Report, ReportError, ReportSubject
from govgate.rules.loader import (
    LoadedPack,
    LoadedRule,
    load_packs,
    policy_digest,
    topic_vocabulary,
)
from govgate.sources import ci, git, repo
from govgate.sources.approvals_file import file_approvals, mlflow_approvals
from govgate.sources.base import Input
from govgate.sources.repo import resolve_inside
from govgate.sources.reviews import review_approvals
from govgate.wiring import unwired_files

if TYPE_CHECKING:  # the MLflow modules stay off the import path until a registry is used
    from govgate.sources.mlflow.base import RegistryBackend
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
    registry: RegistryBackend | None = None
    fetched: Fetched | None = None
    waivers: list[ExceptionWaiver] = field(default_factory=list)


@dataclass
class GateResult:
    report: Report
    gathered: Gathered | None = None
    rules: tuple[LoadedRule, ...] = ()  # what judged it: --publish derives govgate.monitoring


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
    options: GateOptions, config: Config, packs: Sequence[LoadedPack], inputs: list[Input]
) -> Gathered:
    """Read every source once; raises GovgateError on a fault that stops it."""
    rules = [r for p in packs for r in p.rules]
    subject = _subject(config, options)
    artifacts = repo.read_artifacts(
        options.repo,
        config.artifact_specs(),
        config.limits.max_file_bytes,
        topic_vocabulary(packs, config.topics),
    )
    repo_facts = git.repo_facts(options.repo)
    if repo_facts.is_git:
        # Dated by the file git stores the content in: a symlink's own commits are the link's.
        stored = {
            name: resolve_inside(options.repo, a.path)
            .relative_to(options.repo.resolve())
            .as_posix()
            for name, a in artifacts.items()
            if a.exists
        }
        history = git.last_commit_dates(options.repo, stored.values())
        artifacts = {
            name: replace(a, last_commit=history.dates.get(stored.get(name, a.path)))
            if stored.get(name, a.path) not in history.cut
            else replace(a, last_commit_unknown=git.SHALLOW)
            for name, a in artifacts.items()
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
    approvals, change, approval_inputs = _approvals(options, config, fetched)
    waivers, exceptions, exception_inputs = _exceptions(options, config, subject)
    facts = Facts(
        subject=subject,
        repo=repo_facts,
        artifacts=artifacts,
        evidence_digest=evidence_digest(artifacts),
        ci=ci.ci_facts(options.env),
        mlflow=fetched.facts if fetched else None,
        roles={role: list(members) for role, members in config.roles.items()},
        approvals=approvals,
        change=change,
        exceptions=exceptions,
    )
    return Gathered(
        config=config,
        facts=facts,
        inputs=inputs + approval_inputs + exception_inputs,
        registry=registry,
        fetched=fetched,
        waivers=waivers,
    )


def _approvals(
    options: GateOptions, config: Config, fetched: Fetched | None
) -> tuple[list[Approval], ChangeFacts | None, list[Input]]:
    """Approvals from the repo's file, the model version's tags, and the change's review."""
    approvals: list[Approval] = []
    inputs: list[Input] = []
    roster = {role: list(members) for role, members in config.roles.items()}
    if config.approvals and (options.repo / config.approvals).exists():
        signers = _signers(options.repo, config.approval_signers)
        found, record = file_approvals(
            options.repo, config.approvals, roster, config.limits.max_file_bytes, signers
        )
        approvals += found
        inputs.append(record)
    if fetched is not None:
        approvals += mlflow_approvals(fetched.facts, roster)
    reviews, change = review_approvals(options.env, roster, config.mlflow.retries)
    return approvals + reviews, change, inputs


def _signers(repo: Path, relative: str | None) -> Path | None:
    """govgate.yaml `approval_signers`: a file in the repo, or the gate cannot check signatures."""
    if relative is None:
        return None
    path = resolve_inside(repo, relative)
    if not path.is_file():
        raise InputError(
            f"approval_signers {relative!r} (govgate.yaml) is not a file in the repository",
            hint="commit the SSH allowed-signers file there (one `EMAIL KEYTYPE KEY` per line)",
        )
    return path


def _exceptions(
    options: GateOptions, config: Config, subject: Subject
) -> tuple[list[ExceptionWaiver], list[ExceptionFacts], list[Input]]:
    """This model's exceptions, each judged once at the evaluation time."""
    if not config.exceptions or not (options.repo / config.exceptions).exists():
        return [], [], []
    path = resolve_inside(options.repo, config.exceptions)
    listed, loaded = load_exceptions(path, config.exceptions, config.limits.max_file_bytes)
    at = options.evaluation_time()
    waivers: list[ExceptionWaiver] = []
    assessed: list[ExceptionFacts] = []
    for index, waiver in enumerate(listed.exceptions):
        if applies_to(waiver, subject):
            waivers.append(waiver)
            location = loaded.location(("exceptions", index))
            assessed.append(assess(waiver, config.exception_policy, subject, at, location))
    record = Input(
        kind="exceptions", location=config.exceptions, sha256=loaded.sha256, size=loaded.size
    )
    return waivers, assessed, [record]


def tracking_uri(options: GateOptions, config: Config) -> str | None:
    return (
        options.tracking_uri or config.mlflow.tracking_uri or options.env.get("MLFLOW_TRACKING_URI")
    )


def _mlflow(
    options: GateOptions, config: Config, subject: Subject, rules: Sequence[LoadedRule]
) -> tuple[RegistryBackend | None, Fetched | None]:
    """Consult the registry when a tracking URI and a model URI are both known."""
    uri = tracking_uri(options, config)
    if not uri or not subject.uri:
        return None, None
    from govgate.needs import mlflow_needs
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
    return gather(options, config, packs, inputs).facts


def run_check(options: GateOptions) -> GateResult:
    """The whole gate. A fault never escapes as a pass: it becomes verdict `error`."""
    started = time.perf_counter()
    at = options.evaluation_time()
    base: dict[str, Any] = {
        "evaluated_at": at.isoformat(),
        "advisory": options.advisory,
        "ci": ci.ci_facts(options.env),  # known even when a source fails later
    }
    try:
        config, inputs, packs = load(options)
    except GovgateError as exc:
        return GateResult(_error_report(exc, base, started))
    rules = [r for p in packs for r in p.rules]
    base |= {"inputs": inputs, "policy_digest": policy_digest(packs)}
    try:
        engine = policy_engine(packs, config.rego)
        gathered = gather(options, config, packs, inputs)
    except GovgateError as exc:
        return GateResult(_error_report(exc, base, started))
    facts = gathered.facts
    base |= {
        "subject": ReportSubject(**asdict(facts.subject), git_commit=facts.repo.commit),
        "inputs": gathered.inputs,
    }
    try:
        findings = evaluate(facts, rules, at, engine, config.rego.input_exclude)
    except GovgateError as exc:
        return GateResult(_error_report(exc, base, started))
    waived = apply_exceptions(
        findings,
        {r.rule.id: r.rule for r in rules},
        gathered.waivers,
        facts.exceptions,
    )
    errors = [
        ReportError(message=f"artifact {a.name!r}: {a.error}", location=a.error_location)
        for a in facts.artifacts.values()
        if a.error
    ]
    if all(f.status == "skipped" for f in findings):
        errors.append(ReportError(message=_nothing_in_scope(facts.subject)))
    report = Report(
        **base,
        findings=waived.findings + unwired_files(options.repo, config),
        exceptions=waived.summary,
        approvals=approval_roles(
            facts, rules, at, {f.rule_id for f in findings if f.status != "skipped"}
        ),
        evidence_digest=facts.evidence_digest,
        errors=errors,
        duration_ms=_elapsed_ms(started),
    )
    return GateResult(report, gathered, tuple(rules))


def _nothing_in_scope(subject: Subject) -> str:
    """Why a run whose every rule was out of scope cannot pass: it checked nothing."""
    return (
        f"no rule applies to tier {subject.risk_tier}, stage {subject.stage or '(none)'}: "
        "nothing was checked, and a gate that checks nothing would always pass; load rules "
        "for this tier and stage, or check model.risk_tier and model.stage"
    )


def _error_report(exc: GovgateError, base: dict[str, Any], started: float) -> Report:
    return Report(
        **base,
        errors=[ReportError(message=exc.described(), location=exc.location)],
        duration_ms=_elapsed_ms(started),
    )


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
