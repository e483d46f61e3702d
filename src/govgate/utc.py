"""Points in time as govgate compares them: always timezone-aware, a missing zone taken as UTC.

Dates and timestamps reach govgate from YAML files, MLflow tags, GitHub and GitLab answers and
the command line; a naive one compared with an aware one raises, so every source makes its
values aware here, one way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def aware(value: date | datetime) -> datetime:
    """A naive datetime taken as UTC, a date as its midnight UTC; an aware one kept as it is."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def parse_iso(value: object) -> datetime | None:
    """An ISO 8601 string (`2026-11-20`, `2026-11-20T10:00:00Z`, `...00.720+02:00`) as an aware
    datetime; None for anything else, an empty string included."""
    if not isinstance(value, str):
        return None
    try:
        return aware(datetime.fromisoformat(value.strip()))
    except ValueError:
        return None


def to_datetime(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from a date, datetime or ISO string; None if not one."""
    parsed = aware(value) if isinstance(value, date) else parse_iso(value)
    return parsed.astimezone(UTC) if parsed is not None else None
