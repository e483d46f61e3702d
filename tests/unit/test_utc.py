"""govgate.utc: one way to make a date or timestamp comparable, whatever its source."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from govgate.utc import aware, parse_iso

PARIS = timezone(timedelta(hours=1))


def test_a_naive_time_is_utc_a_date_is_its_midnight_and_an_offset_is_kept() -> None:
    assert aware(datetime(2026, 11, 20, 9, 30)) == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert aware(date(2026, 11, 20)) == datetime(2026, 11, 20, tzinfo=UTC)
    kept = aware(datetime(2026, 11, 20, 9, 30, tzinfo=PARIS))
    assert kept.utcoffset() == timedelta(hours=1)


def test_iso_strings_parse_and_anything_else_is_none() -> None:
    assert parse_iso(" 2026-11-20T10:00:00Z ") == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert parse_iso("2026-11-20") == datetime(2026, 11, 20, tzinfo=UTC)
    assert parse_iso("2026-11-20T11:00:00+01:00") == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert [parse_iso(v) for v in ("", "soon", None, 1_700_000_000)] == [None] * 4
