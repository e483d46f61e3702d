"""What every engine shares: whether a rule applies to this subject, and the finding it yields."""

from __future__ import annotations

from typing import Any

from govgate.facts import Subject
from govgate.findings import Evidence, Finding, Status
from govgate.location import Location
from govgate.rules.loader import LoadedRule


def out_of_scope(loaded: LoadedRule, subject: Subject) -> str | None:
    """Why the rule does not apply (tier or stage), or None when it does."""
    rule = loaded.rule
    if rule.tiers is not None and subject.risk_tier not in rule.tiers:
        return f"applies only to {_names('tier', rule.tiers)}, not {subject.risk_tier}"
    if rule.stages is not None and subject.stage is not None and subject.stage not in rule.stages:
        return f"applies only to {_names('stage', rule.stages)}, not {subject.stage}"
    return None


def _names(kind: str, names: list[str]) -> str:
    """`tier low`, `tiers medium and high`: a sentence, not a Python list."""
    if not names:
        return f"no {kind}"
    if len(names) == 1:
        return f"{kind} {names[0]}"
    return f"{kind}s {', '.join(names[:-1])} and {names[-1]}"


def rule_finding(
    loaded: LoadedRule,
    status: Status,
    message: str,
    location: Location | None = None,
    evidence: list[Evidence] | None = None,
) -> Finding:
    rule = loaded.rule
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


def failing_status(loaded: LoadedRule) -> Any:
    """A failed check is `fail` for a blocking rule and `warn` otherwise."""
    return "fail" if loaded.rule.severity == "blocking" else "warn"
