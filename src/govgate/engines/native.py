"""The native engine: YAML rules evaluated in-process, `(facts, rules, at) -> findings`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from govgate.facts import Facts
from govgate.findings import Finding, Outcome
from govgate.location import Location
from govgate.rules.checks import REGISTRY, CheckContext
from govgate.rules.loader import LoadedRule
from govgate.rules.schema import Rule


def evaluate(facts: Facts, rules: Sequence[LoadedRule], at: datetime) -> list[Finding]:
    ctx = CheckContext(facts=facts, document=facts.as_document(), at=at, evaluate=_dispatch)
    return [evaluate_rule(loaded, ctx) for loaded in rules]


def _dispatch(check: Any, ctx: CheckContext) -> Outcome:
    return REGISTRY[check.kind](check, ctx)


def evaluate_rule(loaded: LoadedRule, ctx: CheckContext) -> Finding:
    rule = loaded.rule
    subject = ctx.facts.subject
    if rule.tiers is not None and subject.risk_tier not in rule.tiers:
        return _finding(
            loaded, "skipped", f"applies to tiers {rule.tiers}, not {subject.risk_tier}"
        )
    if rule.stages is not None and subject.stage is not None and subject.stage not in rule.stages:
        return _finding(loaded, "skipped", f"applies to stages {rule.stages}, not {subject.stage}")
    try:
        if rule.when is not None:
            condition = _dispatch(rule.when, ctx)
            if condition.status == "error":
                return _from_outcome(loaded, condition, ctx)
            if condition.status == "fail":
                return _finding(loaded, "skipped", f"condition not met: {condition.message}")
        outcome = _dispatch(rule.check, ctx)
    except Exception as exc:  # a bug in a check must fail closed, with the rule named
        outcome = Outcome.errored(f"internal error while evaluating: {type(exc).__name__}: {exc}")
    return _from_outcome(loaded, outcome, ctx)


def _from_outcome(loaded: LoadedRule, outcome: Outcome, ctx: CheckContext) -> Finding:
    if outcome.status == "pass":
        status = "pass"
    elif outcome.status == "error":
        status = "error"
    else:
        status = "fail" if loaded.rule.severity == "blocking" else "warn"
    location = next((e.location for e in outcome.evidence if e.location), None)
    if location is None and status != "pass":
        location = _artifact_location(loaded.rule, ctx)
    return _finding(loaded, status, outcome.message, location, list(outcome.evidence))


def _finding(
    loaded: LoadedRule,
    status: Any,
    message: str,
    location: Location | None = None,
    evidence: list[Any] | None = None,
) -> Finding:
    rule: Rule = loaded.rule
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        severity=rule.severity,
        status=status,
        message=message,
        remediation=rule.remediation,
        controls=list(rule.controls),
        location=location or loaded.location,
        evidence=evidence or [],
        help_uri=str(rule.help_uri) if rule.help_uri else None,
    )


def _artifact_location(rule: Rule, ctx: CheckContext) -> Location | None:
    """A failure about an artifact points at the artifact, not at the rule that asked for it."""
    name = getattr(rule.check, "artifact", None)
    artifact = ctx.facts.artifacts.get(name) if isinstance(name, str) else None
    if artifact is None:
        return None
    return artifact.error_location or Location(path=artifact.path)
