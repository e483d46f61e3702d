"""`fact`: a value in the Facts document satisfies predicates."""

from __future__ import annotations

from govgate.findings import Outcome
from govgate.rules.checks.base import CheckContext
from govgate.rules.checks.predicates import failed_predicates
from govgate.rules.paths import lookup
from govgate.rules.schema import FactCheck


def check_fact(check: FactCheck, ctx: CheckContext) -> Outcome:
    found, value = lookup(ctx.document, check.path)
    reasons = failed_predicates(check, found, value, ctx.at)
    if reasons:
        return Outcome.failed(f"{check.path} " + "; ".join(reasons))
    return Outcome.passed(f"{check.path} holds")
