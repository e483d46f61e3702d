"""The value predicates shared by `fact` and `document` checks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from govgate.rules.patterns import compile_pattern
from govgate.rules.schema import Predicates
from govgate.rules.timeexpr import parse_time_bound
from govgate.utc import to_datetime


def failed_predicates(predicates: Predicates, found: bool, value: Any, at: datetime) -> list[str]:
    """Why the value fails, one reason per predicate; empty when every predicate holds."""
    given = predicates.given()
    reasons: list[str] = []
    if "exists" in given and given["exists"] is not None:
        if given["exists"] and not found:
            return ["is missing"]
        if not given["exists"] and found:
            return [f"is present ({_show(value)}) but must be absent"]
    checks = {k: v for k, v in given.items() if k != "exists"}
    if not checks:
        return reasons
    if not found:
        return ["is missing"]
    for name, bound in checks.items():
        reason = _check_one(name, bound, value, at)
        if reason:
            reasons.append(reason)
    return reasons


def _check_one(name: str, bound: Any, value: Any, at: datetime) -> str | None:
    if name == "equals":
        return None if value == bound else f"is {_show(value)}, expected {_show(bound)}"
    if name == "in_":
        return None if value in bound else f"is {_show(value)}, expected one of {_show(bound)}"
    if name == "not_in":
        return f"is {_show(value)}, which is not allowed" if value in bound else None
    if name == "matches":  # text, or a number as written; a list's repr is no match for /^…$/
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return f"is {_show(value)}, expected text"
        if compile_pattern(bound).search(str(value)):
            return None
        return f"is {_show(value)}, which does not match /{bound}/"
    if name in ("min", "max"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"is {_show(value)}, expected a number"
        if name == "min" and value < bound:
            return f"is {value}, below the minimum {_num(bound)}"
        if name == "max" and value > bound:
            return f"is {value}, above the maximum {_num(bound)}"
        return None
    if name == "min_items":
        if not isinstance(value, list | dict):
            return f"is {_show(value)}, expected a list"
        if len(value) < bound:
            return f"has {len(value)} item(s), expected at least {bound}"
        return None
    if name in ("before", "after"):
        when = to_datetime(value)
        if when is None:
            return f"is {_show(value)}, expected a date"
        limit = parse_time_bound(str(bound), at)
        if name == "before" and not when < limit:
            return f"is {when.date().isoformat()}, not before {limit.date().isoformat()}"
        if name == "after" and not when > limit:
            return f"is {when.date().isoformat()}, not after {limit.date().isoformat()}"
        return None
    raise ValueError(f"unknown predicate {name}")  # pragma: no cover - schema forbids it


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
