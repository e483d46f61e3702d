"""codequality.json: golden files, a JSON Schema of GitLab's documented fields, and uniqueness.

GitLab's "Implement a custom tool" section (docs/ci/testing/code_quality.md) lists the fields
its parser needs: description, check_name, fingerprint, severity (info, minor, major, critical,
blocker), location.path (relative) and location.lines.begin or location.positions.begin.line;
the file is a JSON array, without a byte order mark. Entries with equal fingerprints collapse
into one, and an invalid entry stops the parse.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from govgate.formats.codequality import CodeQualityFormat
from govgate.formats.sarif import digest
from tests.unit.formats.conftest import SCENARIOS, Scenario, assert_golden, render_normalised

FORMAT = CodeQualityFormat()

GITLAB_CODE_QUALITY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "GitLab Code Quality report (the fields GitLab reads)",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path"],
                "properties": {
                    # relative, forward slashes: not /abs, not C:, not ./, no backslash
                    "path": {"type": "string", "pattern": r"^(?![A-Za-z]:)(?!\./)[^/\\][^\\]*$"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {
                            "begin": {"type": "integer", "minimum": 1},
                            "end": {"type": "integer", "minimum": 1},
                        },
                    },
                    "positions": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {
                            "begin": {
                                "type": "object",
                                "required": ["line"],
                                "properties": {"line": {"type": "integer", "minimum": 1}},
                            }
                        },
                    },
                },
                "anyOf": [{"required": ["lines"]}, {"required": ["positions"]}],
            },
        },
    },
}


@pytest.fixture(scope="session")
def validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(GITLAB_CODE_QUALITY_SCHEMA)
    return Draft202012Validator(GITLAB_CODE_QUALITY_SCHEMA)


def issues(scenario: Scenario) -> list[dict[str, Any]]:
    document = json.loads(FORMAT.render(scenario.report))
    assert isinstance(document, list)
    return document


@pytest.mark.parametrize("name", SCENARIOS)
def test_golden(scenarios: dict[str, Scenario], name: str) -> None:
    assert_golden(f"{name}.codequality.json", render_normalised(FORMAT, scenarios[name]))


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_entry_is_valid_and_unique(
    scenarios: dict[str, Scenario], validator: Draft202012Validator, name: str
) -> None:
    rendered = FORMAT.render(scenarios[name].report)
    assert not rendered.startswith(b"\xef\xbb\xbf")
    document = json.loads(rendered)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    fingerprints = [issue["fingerprint"] for issue in document]
    assert len(set(fingerprints)) == len(fingerprints)


def test_the_schema_can_fail(
    scenarios: dict[str, Scenario], validator: Draft202012Validator
) -> None:
    good = issues(scenarios["fail"])
    assert validator.is_valid(good)
    for path, value in (
        (("severity",), "error"),
        (("location", "lines", "begin"), 0),
        (("location", "path"), "/abs/path.md"),
        (("location", "path"), "docs\\card.md"),
        (("fingerprint",), None),
    ):
        bad = copy.deepcopy(good)
        target = bad[0]
        for key in path[:-1]:
            target = target[key]
        if value is None:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        assert not validator.is_valid(bad), (path, value)


def test_only_findings_that_need_work(scenarios: dict[str, Scenario]) -> None:
    for scenario in scenarios.values():
        report = scenario.report
        wanted = [f.rule_id for f in report.findings if f.status in ("fail", "warn", "error")]
        wanted += ["govgate-error"] * len(report.errors)
        assert [issue["check_name"] for issue in issues(scenario)] == wanted
    names = {issue["check_name"] for issue in issues(scenarios["fail"])}
    assert "DATA-001" not in names  # waived
    assert "CARD-002" not in names  # skipped
    assert issues(scenarios["pass"]) == []


def test_severity(scenarios: dict[str, Scenario]) -> None:
    def severities(name: str) -> dict[str, str]:
        return {i["check_name"]: i["severity"] for i in issues(scenarios[name])}

    assert severities("fail")["CARD-001"] == "critical"  # blocking
    assert severities("fail")["EXCEPTION-EXPIRING"] == "minor"  # warning
    assert severities("error")["HOUSE-001"] == "info"  # info
    assert severities("error")["MON-001"] == "blocker"  # status error
    assert severities("error")["govgate-error"] == "blocker"
    assert severities("synthetic")["SYN-006"] == "blocker"  # a warning rule that errored


def test_locations(scenarios: dict[str, Scenario]) -> None:
    def location(name: str, check: str) -> dict[str, Any]:
        found: dict[str, Any] = next(
            i["location"] for i in issues(scenarios[name]) if i["check_name"] == check
        )
        return found

    assert location("fail", "CARD-001") == {"path": "docs/model_card.md", "lines": {"begin": 1}}
    assert location("fail", "EVAL-001") == {"path": "reports/evaluation.md", "lines": {"begin": 1}}
    exception = {"path": "governance/exceptions.yaml", "lines": {"begin": 17}}
    assert location("fail", "EXCEPTION-INVALID") == exception
    # a builtin pack is no file: the config that chose the rules stands in
    assert location("fail", "APPR-001") == {"path": "govgate.yaml", "lines": {"begin": 1}}
    assert location("error", "HOUSE-002") == {"path": "rules/house.yaml", "lines": {"begin": 18}}
    assert location("error", "govgate-error") == {
        "path": "monitoring/monitoring.yaml",
        "lines": {"begin": 3},
    }
    assert location("synthetic", "SYN-001") == {"path": "govgate.yaml", "lines": {"begin": 1}}
    assert location("synthetic", "SYN-002")["path"] == "govgate.yaml"  # absolute path
    assert location("synthetic", "SYN-003") == {
        "path": "docs/sub dir/card.md",
        "lines": {"begin": 7},
    }
    assert location("synthetic", "SYN-006")["path"] == "govgate.yaml"  # models:/ URI
    assert location("synthetic", "SYN-009")["path"] == "ab:c.yaml"
    assert location("synthetic", "SYN-010")["path"] == "govgate.yaml"  # C:\ path
    assert location("noconfig", "govgate-error") == {"path": "govgate.yaml", "lines": {"begin": 1}}


def test_fingerprint_is_rule_path_line_message(scenarios: dict[str, Scenario]) -> None:
    report = scenarios["fail"].report
    finding = next(f for f in report.findings if f.rule_id == "EXCEPTION-INVALID")
    [issue] = [i for i in issues(scenarios["fail"]) if i["check_name"] == "EXCEPTION-INVALID"]
    expected = digest("EXCEPTION-INVALID", "governance/exceptions.yaml", "17", finding.message)
    assert issue["fingerprint"] == expected
    assert finding.message in issue["description"] and finding.title in issue["description"]


def test_identical_findings_still_get_distinct_fingerprints(scenarios: dict[str, Scenario]) -> None:
    twins = [i for i in issues(scenarios["synthetic"]) if i["check_name"] == "SYN-004"]
    assert len(twins) == 2
    assert twins[0]["fingerprint"] != twins[1]["fingerprint"]
    assert issues(scenarios["synthetic"]) == issues(scenarios["synthetic"])  # and stable
