"""The native engine: YAML rules evaluated in-process, `(facts, rules, at) -> findings`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from govgate.approvals.review import RoleApprovals
from govgate.engines.scope import failing_status, out_of_scope, rule_finding
from govgate.facts import Facts
from govgate.findings import Finding, Outcome, Status
from govgate.location import Location
from govgate.rules.checks import REGISTRY, CheckContext
from govgate.rules.checks.approvals import review_roles
from govgate.rules.loader import LoadedRule, native_rules
from govgate.rules.schema import ApprovalsCheck, Rule


def evaluate(facts: Facts, rules: Sequence[LoadedRule], at: datetime) -> list[Finding]:
    """Findings for the native rules among `rules` (Rego rules are another engine's)."""
    ctx = CheckContext(facts=facts, at=at, evaluate=_dispatch)
    return [evaluate_rule(loaded, rule, ctx) for loaded, rule in native_rules(rules)]


def approval_roles(
    facts: Facts, rules: Sequence[LoadedRule], at: datetime, applied: set[str]
) -> list[RoleApprovals]:
    """Every sign-off judged role by role, for each top-level approvals rule in `applied`: the
    report's Approvals section, from the same judgement as those rules' findings."""
    ctx = CheckContext(facts=facts, at=at, evaluate=_dispatch)
    return [
        role
        for loaded, rule in native_rules(rules)
        if isinstance(rule.check, ApprovalsCheck) and rule.id in applied
        for role in review_roles(rule.check, ctx, loaded.rule.id)
    ]


def _dispatch(check: Any, ctx: CheckContext) -> Outcome:
    return REGISTRY[check.kind](check, ctx)


def evaluate_rule(loaded: LoadedRule, rule: Rule, ctx: CheckContext) -> Finding:
    skipped = out_of_scope(loaded, ctx.facts.subject)
    if skipped is not None:
        return rule_finding(loaded, "skipped", skipped)
    try:
        if rule.when is not None:
            condition = _dispatch(rule.when, ctx)
            if condition.status == "error":
                return _from_outcome(loaded, rule, condition, ctx)
            if condition.status == "fail":
                return rule_finding(loaded, "skipped", f"condition not met: {condition.message}")
        outcome = _dispatch(rule.check, ctx)
    except Exception as exc:  # a bug in a check must fail closed, with the rule named
        outcome = Outcome.errored(f"internal error while evaluating: {type(exc).__name__}: {exc}")
    return _from_outcome(loaded, rule, outcome, ctx)


def _from_outcome(loaded: LoadedRule, rule: Rule, outcome: Outcome, ctx: CheckContext) -> Finding:
    status: Status
    if outcome.status == "pass":
        status = "pass"
    elif outcome.status == "error":
        status = "error"
    else:
        status = failing_status(loaded)
    location = next((e.location for e in outcome.evidence if e.location), None)
    if location is None and status != "pass":
        location = _artifact_location(rule, ctx)
    return rule_finding(loaded, status, outcome.message, location, list(outcome.evidence))


def _artifact_location(rule: Rule, ctx: CheckContext) -> Location | None:
    """A failure about an artifact points at the artifact, not at the rule that asked for it."""
    name = getattr(rule.check, "artifact", None)
    artifact = ctx.facts.artifacts.get(name) if isinstance(name, str) else None
    if artifact is None:
        return None
    return artifact.error_location or Location(path=artifact.path)
