"""`govgate approve`: record a sign-off bound to the evidence as it is now.

Nobody should compute digests by hand: the entry records the same evidence digest and artifact
digests that `govgate facts` shows and `govgate check` compares, the model name, and the version
under review as the check would resolve it, so the approval stops counting the moment any of
that evidence changes.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from govgate.approvals.edit import Appended, append_approval
from govgate.approvals.model import ApprovalEntry, Covers, Decision
from govgate.config import DEFAULT_CONFIG_NAME, Config, load_config
from govgate.errors import ConfigError, InputError
from govgate.facts import ArtifactFacts, evidence_digest
from govgate.identity import identity
from govgate.location import Location
from govgate.sources.repo import PathEscapesRepo, read_artifacts, resolve_inside
from govgate.yamlio import LoadedYaml, load_yaml_file

_GIT_TIMEOUT_S = 10


@dataclass(frozen=True)
class ApproveOptions:
    """Everything `govgate approve` takes, already parsed."""

    role: str
    by: str | None = None
    on: date | None = None
    ref: str | None = None
    decision: Decision = "approved"
    repo: Path = Path(".")
    config: Path | None = None
    model_uri: str | None = None
    tracking_uri: str | None = None
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


@dataclass(frozen=True)
class Approved:
    """The entry written, where, and what the user should know about it."""

    entry: ApprovalEntry
    file: str
    appended: Appended
    notes: list[str]


def approve(options: ApproveOptions) -> Approved:
    """Check the approver against the roster, gather the evidence, append the entry."""
    config_path = options.config or options.repo / DEFAULT_CONFIG_NAME
    display = str(config_path)
    config, _ = load_config(config_path, display)
    located = load_yaml_file(config_path, display)
    by = _approver(options, config, located)
    on = _date(options.on)
    if not config.approvals:
        raise ConfigError(
            f"{display} names no approvals file",
            located.location(),
            hint="add `approvals: governance/approvals.yaml` to govgate.yaml",
        )
    try:
        target = resolve_inside(options.repo, config.approvals)
    except PathEscapesRepo as exc:
        raise PathEscapesRepo(
            exc.message, located.location(("approvals",)), hint=exc.hint
        ) from None
    notes: list[str] = []
    artifacts = _evidence(options.repo, config, notes)
    version = _version(options, config, notes)
    entry = ApprovalEntry(
        role=options.role,
        by=by,
        on=on,
        decision=options.decision,
        covers=Covers(
            model=config.model.name,
            version=version,
            evidence_digest=evidence_digest(artifacts),
            artifacts={name: a.sha256 for name, a in artifacts.items() if a.sha256},
        ),
        ref=options.ref if options.ref and options.ref.strip() else None,
    )
    appended = append_approval(
        target, entry, display=config.approvals, max_bytes=config.limits.max_file_bytes
    )
    return Approved(entry=entry, file=config.approvals, appended=appended, notes=notes)


def _approver(options: ApproveOptions, config: Config, located: LoadedYaml) -> str:
    """`--by` (else git's user.email), who must hold the role in the roster."""
    roles = config.roles
    if options.role not in roles:
        known = ", ".join(sorted(roles)) or "none"
        raise ConfigError(
            f"role {options.role!r} is not in the `roles:` of govgate.yaml (its roles: {known})",
            located.location(("roles",)),
        )
    by = options.by.strip() if options.by else _git_email(options.repo)
    if not by:
        raise InputError(
            "say who approves: pass --by EMAIL (git has no user.email here to default to)"
        )
    roster = list(roles[options.role])
    if identity(by) not in {identity(member) for member in roster}:
        raise ConfigError(
            f"{by} is not in the {options.role} roster ({', '.join(roster) or 'empty'}), so "
            "their approval would not count",
            located.location(("roles", options.role)),
            hint="pass --by one of them, or add them to the roster in govgate.yaml",
        )
    return by


def _git_email(repo: Path) -> str | None:
    try:
        run = subprocess.run(
            ["git", "config", "user.email"],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if run.returncode != 0:
        return None
    return run.stdout.strip() or None


def _date(on: date | None) -> date:
    today = datetime.now(UTC).date()
    if on is None:
        return today
    if on > today:
        raise InputError(
            f"--on {on.isoformat()} is after today ({today.isoformat()}): a future approval "
            "proves nothing yet, and `govgate check` would not count it"
        )
    return on


def _evidence(repo: Path, config: Config, notes: list[str]) -> dict[str, ArtifactFacts]:
    """Every declared artifact read exactly as `govgate check` reads it (same digests)."""
    from govgate.rules.loader import topic_vocabulary

    artifacts = read_artifacts(
        repo,
        config.artifact_specs(),
        config.limits.max_file_bytes,
        topic_vocabulary([], config.topics),
    )
    for name, artifact in artifacts.items():
        if artifact.exists and artifact.sha256:
            continue
        if artifact.error:
            raise InputError(
                f"cannot bind the approval to artifact {name!r}: {artifact.error}",
                artifact.error_location or Location(path=artifact.path),
                hint="an approval must record what was approved; nothing was written",
            )
        notes.append(
            f"artifact {name} ({artifact.path}) does not exist: the evidence digest records "
            "its absence, so adding it later voids this approval"
        )
    return artifacts


def _version(options: ApproveOptions, config: Config, notes: list[str]) -> str | None:
    """The version `govgate check` would review: model.version, the URI's number, else the
    registry's answer for the alias (only when a tracking URI is known, as for the check)."""
    from govgate.gate import GateOptions, _mlflow, _subject, tracking_uri

    gate = GateOptions(
        repo=options.repo,
        config=options.config,
        model_uri=options.model_uri,
        tracking_uri=options.tracking_uri,
        env=options.env,
    )
    subject = _subject(config, gate)
    if subject.version is None and subject.uri and tracking_uri(gate, config):
        _, fetched = _mlflow(gate, config, subject, ())
        if fetched is not None:
            return fetched.facts.version.version
    if subject.version is None:
        notes.append(
            f"version unknown: the approval names no version, so it covers every version of "
            f"{config.model.name} (set model.version in govgate.yaml, use a models:/NAME/N URI, "
            "or give --tracking-uri to resolve the alias)"
        )
    return subject.version
