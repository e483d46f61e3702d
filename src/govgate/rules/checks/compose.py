"""`all`, `any`, `not`: compose checks; an error inside never turns into a pass."""

from __future__ import annotations

from govgate.findings import Outcome
from govgate.rules.checks.base import CheckContext
from govgate.rules.schema import AllCheck, AnyCheck, NotCheck


def check_all(check: AllCheck, ctx: CheckContext) -> Outcome:
    outcomes = [ctx.evaluate(sub, ctx) for sub in check.checks]
    errors = [o for o in outcomes if o.status == "error"]
    if errors:
        return _merge("error", errors)
    failures = [o for o in outcomes if o.status == "fail"]
    if failures:
        return _merge("fail", failures)
    return Outcome.passed("; ".join(o.message for o in outcomes))


def check_any(check: AnyCheck, ctx: CheckContext) -> Outcome:
    outcomes = [ctx.evaluate(sub, ctx) for sub in check.checks]
    passing = [o for o in outcomes if o.status == "pass"]
    if passing:
        return passing[0]
    errors = [o for o in outcomes if o.status == "error"]
    if errors:
        return _merge("error", errors)
    return Outcome(
        "fail",
        "none of the alternatives holds: " + "; ".join(o.message for o in outcomes),
        tuple(e for o in outcomes for e in o.evidence),
    )


def check_not(check: NotCheck, ctx: CheckContext) -> Outcome:
    inner = ctx.evaluate(check.check, ctx)
    if inner.status == "error":
        return inner
    if inner.status == "pass":
        return Outcome.failed(f"must not hold, but does: {inner.message}", *inner.evidence)
    return Outcome.passed(f"does not hold, as required: {inner.message}")


def _merge(status: str, outcomes: list[Outcome]) -> Outcome:
    message = "; ".join(o.message for o in outcomes)
    evidence = tuple(e for o in outcomes for e in o.evidence)
    return Outcome("error" if status == "error" else "fail", message, evidence)
