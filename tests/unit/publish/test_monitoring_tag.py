"""`govgate.monitoring`: pass, fail or none from the findings of the monitoring rules."""

from __future__ import annotations

from typing import Any

import pytest

from govgate.findings import Finding, Status
from govgate.location import Location
from govgate.publish.mlflow import monitoring_status
from govgate.rules.loader import LoadedRule
from govgate.rules.schema import Rule

HERE = Location(path="pack.yaml")
MONITORING = {"kind": "monitoring", "required": ["data_drift"]}
DOCUMENT = {"kind": "document", "artifact": "monitoring", "fields": [{"path": "owner"}]}


def rule(rule_id: str, check: dict[str, Any]) -> LoadedRule:
    meta = {"id": rule_id, "title": "t", "severity": "blocking", "remediation": "r"}
    return LoadedRule(rule=Rule.model_validate({**meta, "check": check}), pack="p", location=HERE)


RULES = [
    rule("MON-002", MONITORING),
    rule("MON-009", {"kind": "all", "checks": [DOCUMENT, MONITORING]}),
    rule("MON-001", DOCUMENT),  # about monitoring, but not a `monitoring` check
]


def finding(rule_id: str, status: Status) -> Finding:
    return Finding(
        rule_id=rule_id, title="t", severity="blocking", status=status, message="", remediation=""
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ({"MON-002": "pass", "MON-009": "waived", "MON-001": "fail"}, "pass"),
        ({"MON-002": "pass", "MON-009": "fail"}, "fail"),
        ({"MON-002": "warn"}, "fail"),
        ({"MON-002": "error"}, "fail"),
        ({"MON-002": "skipped", "MON-009": "skipped", "MON-001": "pass"}, "none"),
        ({}, "none"),
    ],
)
def test_monitoring_status(statuses: dict[str, Status], expected: str) -> None:
    findings = [finding(r, s) for r, s in statuses.items()]
    assert monitoring_status(findings, RULES) == expected
