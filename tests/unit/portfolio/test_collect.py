"""Reading search results: what MLflow omits, what an older govgate did not write, bad shapes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from govgate.portfolio.collect import GovernedVersion, governed_version, version_order
from govgate.sources.mlflow.base import MlflowError


def test_a_search_result_without_tags_is_an_ungated_version() -> None:
    # search results omit empty fields: no "tags", no "aliases" (search never returns them)
    item = {"name": "m", "version": "3", "creation_timestamp": 1795716481143}
    assert governed_version(item, "here") == GovernedVersion(
        model="m", version="3", created_at=datetime.fromtimestamp(1795716481.143, tz=UTC)
    )


def test_govgate_tags_are_parsed_and_unreadable_ones_read_as_unknown() -> None:
    item = {
        "name": "m",
        "version": 7,
        "tags": [
            {"key": "govgate.verdict", "value": "pass"},
            {"key": "govgate.evaluated_at", "value": "2026-11-26T12:00:00"},
            {"key": "govgate.waived", "value": "three"},
            {"key": "govgate.report_uri", "value": ""},
            {"key": "govgate.monitoring"},
            {"key": "owner", "value": "lee@example.com"},
        ],
    }
    got = governed_version(item, "here")
    assert got.verdict == "pass" and got.gated and got.version == "7"
    assert got.evaluated_at == datetime(2026, 11, 26, 12, tzinfo=UTC)  # naive: taken as UTC
    assert got.waived is None and got.report_uri is None and got.monitoring is None


@pytest.mark.parametrize("item", [{"version": "1"}, {"name": "m"}, {"name": "", "version": "1"}])
def test_a_version_without_name_or_number_is_a_malformed_response(item: dict[str, str]) -> None:
    with pytest.raises(MlflowError, match="here: malformed response"):
        governed_version(item, "here")


def test_versions_sort_by_model_then_version_number() -> None:
    names = [("b", "1"), ("a", "10"), ("a", "9"), ("a", "2")]
    ordered = sorted((GovernedVersion(model=m, version=v) for m, v in names), key=version_order)
    assert [(v.model, v.version) for v in ordered] == [
        ("a", "2"),
        ("a", "9"),
        ("a", "10"),
        ("b", "1"),
    ]
