"""Reading a point in time from a fact, a git date or a rule: timezone-aware, in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime


def to_datetime(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from a date, datetime or ISO string; None if not one."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
