"""`codequality.json`: GitLab Code Quality issues for the merge request widget and diff view."""

from __future__ import annotations

import json
from typing import Any, Literal

from govgate.config import DEFAULT_CONFIG_NAME
from govgate.findings import Finding
from govgate.formats.base import Format
from govgate.formats.paths import digest, file_path, is_absolute
from govgate.location import Location
from govgate.report import Report, ReportError

Severity = Literal["info", "minor", "major", "critical", "blocker"]
SEVERITIES: dict[str, Severity] = {"blocking": "critical", "warning": "minor", "info": "info"}
REPORTED = ("fail", "warn", "error")  # a waived finding is no issue; its exception is tracked
ERROR_CHECK = "govgate-error"


class CodeQualityFormat(Format):
    name = "codequality"
    filename = "codequality.json"

    def render(self, report: Report) -> bytes:
        issues: list[dict[str, Any]] = []
        seen: set[str] = set()
        config = _config_path(report)
        for finding in report.findings:
            if finding.status in REPORTED:
                issues.append(_finding_issue(finding, config, seen))
        for error in report.errors:
            issues.append(_error_issue(error, config, seen))
        # no byte order mark: GitLab's parser rejects one
        return (json.dumps(issues, indent=2, ensure_ascii=False) + "\n").encode()


def _config_path(report: Report) -> str:
    """Where an issue without a file of its own is shown: the config the run read, as the report
    names it (relative to `--source-root` when one was given), else `govgate.yaml`."""
    for entry in report.inputs:
        if entry.kind == "config":
            path = file_path(Location(path=entry.location))
            if path is not None and not is_absolute(path):
                return path
    return DEFAULT_CONFIG_NAME


def _finding_issue(finding: Finding, config: str, seen: set[str]) -> dict[str, Any]:
    severity: Severity = "blocker" if finding.status == "error" else SEVERITIES[finding.severity]
    description = f"{finding.rule_id} {finding.title}: {finding.message}"
    return _issue(
        description, finding.message, finding.rule_id, severity, finding.location, config, seen
    )


def _error_issue(error: ReportError, config: str, seen: set[str]) -> dict[str, Any]:
    description = f"govgate could not evaluate: {error.message}"
    return _issue(description, error.message, ERROR_CHECK, "blocker", error.location, config, seen)


def _issue(
    description: str,
    message: str,
    check_name: str,
    severity: Severity,
    location: Location | None,
    config: str,
    seen: set[str],
) -> dict[str, Any]:
    path, line = _place(location, config)
    fingerprint = digest(check_name, path, str(line), message)
    occurrence = 1
    while fingerprint in seen:  # GitLab collapses equal fingerprints into one issue
        occurrence += 1
        fingerprint = digest(check_name, path, str(line), message, str(occurrence))
    seen.add(fingerprint)
    return {
        "description": description,
        "check_name": check_name,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": path, "lines": {"begin": line}},
    }


def _place(location: Location | None, config: str) -> tuple[str, int]:
    """A relative file and a line >= 1; the config stands in for what is not a file."""
    path = file_path(location)
    if location is None or path is None or is_absolute(path):
        return config, 1
    line = location.line if location.line is not None and location.line >= 1 else 1
    return path, line
