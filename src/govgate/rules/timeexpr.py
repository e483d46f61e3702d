"""Time bounds in rules: an ISO 8601 date or datetime, or `now-30d`-style offsets from --at."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from govgate.utc import to_datetime

_RELATIVE = re.compile(r"^now(?:\s*([+-])\s*(\d+)\s*([dwh]))?$")
_UNITS = {"d": "days", "w": "weeks", "h": "hours"}


def parse_time_bound(text: str, at: datetime) -> datetime:
    """Resolve a bound against the evaluation time; raises ValueError with what was expected."""
    match = _RELATIVE.match(text.strip())
    if match:
        sign, amount, unit = match.groups()
        if not sign:
            return at
        delta = timedelta(**{_UNITS[unit]: int(amount)})
        return at + delta if sign == "+" else at - delta
    parsed = to_datetime(text)
    if parsed is None:
        raise ValueError(
            f"{text!r} is not a date: use ISO 8601 (2026-12-31, 2026-12-31T12:00:00Z) or now-30d"
        )
    return parsed
