"""The Rego input: Facts plus the evaluation time, UTC timestamps Rego can parse, exclusions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from govgate.engines.rego_input import rego_input

DOC = {
    "artifacts": {
        "model_card": {
            "last_commit": "2026-10-01T09:00:00Z",
            "markdown": {"sections": [{"key": "uses", "text": "long"}, {"key": "data"}]},
        },
        "datasheet": {"markdown": {"sections": [{"key": "motivation", "text": "x"}]}},
    },
    "approvals": [{"on": "2026-11-18T00:00:00.250Z", "by": "Zed"}],
    "subject": {"name": "Z"},
}


def test_time_is_an_input_in_rfc3339_and_nanoseconds() -> None:
    at = datetime(2026, 11, 26, 13, 30, tzinfo=timezone(timedelta(hours=1)))
    document = rego_input(DOC, at)
    assert document["at"] == "2026-11-26T12:30:00+00:00"
    assert document["at_ns"] == int(datetime(2026, 11, 26, 12, 30, tzinfo=UTC).timestamp()) * 10**9


def test_zulu_timestamps_are_rewritten_everywhere_and_nothing_else_changes() -> None:
    document = rego_input(DOC, datetime(2026, 11, 26, tzinfo=UTC))
    assert document["artifacts"]["model_card"]["last_commit"] == "2026-10-01T09:00:00+00:00"
    assert document["approvals"][0]["on"] == "2026-11-18T00:00:00.250+00:00"
    assert document["approvals"][0]["by"] == "Zed" and document["subject"]["name"] == "Z"
    assert DOC["artifacts"]["model_card"]["last_commit"].endswith("Z")  # the Facts are untouched


def test_exclusions_drop_what_they_match_and_leave_the_facts_alone() -> None:
    document = rego_input(
        DOC, datetime(2026, 11, 26, tzinfo=UTC), ["artifacts.*.markdown.sections.*.text", "ci"]
    )
    card = document["artifacts"]["model_card"]["markdown"]["sections"]
    assert card == [{"key": "uses"}, {"key": "data"}]
    assert document["artifacts"]["datasheet"]["markdown"]["sections"] == [{"key": "motivation"}]
    assert DOC["artifacts"]["model_card"]["markdown"]["sections"][0]["text"] == "long"
    assert (
        rego_input(DOC, datetime(2026, 11, 26, tzinfo=UTC), ["approvals"]).get("approvals") is None
    )
