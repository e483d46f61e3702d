"""`report.sarif`: SARIF 2.1.0 for code-scanning views (GitHub, Azure DevOps, IDE viewers)."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, Literal
from urllib.parse import quote

from govgate.config import DEFAULT_CONFIG_NAME
from govgate.findings import Finding
from govgate.formats.base import Format
from govgate.formats.paths import DRIVE, digest, file_path
from govgate.formats.safe_markdown import inert_markdown
from govgate.location import Location
from govgate.report import Report, ReportError

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "govgate/v1"

Level = Literal["error", "warning", "note"]
LEVELS: dict[str, Level] = {"blocking": "error", "warning": "warning", "info": "note"}
REPORTED = ("fail", "warn", "waived", "error")  # a pass or a skip is no result

_WORD = re.compile(r"[A-Za-z0-9]+")


class SarifFormat(Format):
    name = "sarif"
    filename = "report.sarif"

    def render(self, report: Report) -> bytes:
        document = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [_run(report)]}
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def _run(report: Report) -> dict[str, Any]:
    rule_ids = list(dict.fromkeys(f.rule_id for f in report.findings))
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    rules = [
        _rule(rule_id, [f for f in report.findings if f.rule_id == rule_id]) for rule_id in rule_ids
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "govgate",
                "version": report.govgate_version,
                "semanticVersion": report.govgate_version,
                "rules": rules,
            }
        },
        "invocations": [_invocation(report)],
    }
    if report.subject.name:
        # lets several models' gates upload to one repository without replacing each other
        run["automationDetails"] = {"id": f"govgate/{report.subject.name}/"}
    run["columnKind"] = "unicodeCodePoints"
    run["results"] = [_result(f, index[f.rule_id]) for f in report.findings if f.status in REPORTED]
    run["properties"] = _run_properties(report)
    return run


def _rule(rule_id: str, findings: list[Finding]) -> dict[str, Any]:
    first = findings[0]
    remediations = list(dict.fromkeys(f.remediation for f in findings if f.remediation))
    controls = list(dict.fromkeys(c for f in findings for c in f.controls))
    text = "\n\n".join(remediations)
    # a viewer renders this: a pack's HTML and script links are dropped, its Markdown is kept
    markdown = "\n\n".join(inert_markdown(r) for r in remediations)
    if controls:
        text += "\n\nControls: " + "; ".join(controls)
        markdown += "\n\n**Controls**\n\n" + "\n".join(f"- {_md_escape(c)}" for c in controls)
    full = f"{_sentence(first.title)} Severity: {first.severity}."
    if remediations:
        full += f" {_sentence(remediations[0])}"
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": _pascal(first.title) or rule_id,
        "shortDescription": {"text": first.title},
        "fullDescription": {"text": full},
        "help": {
            "text": text.strip() or first.title,
            "markdown": markdown.strip() or inert_markdown(first.title),
        },
        "defaultConfiguration": {"level": LEVELS[first.severity]},
        "properties": {"tags": controls, "severity": first.severity},
    }
    if first.help_uri:
        descriptor["helpUri"] = first.help_uri
    return descriptor


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    level: Level = "error" if finding.status == "error" else LEVELS[finding.severity]
    path = file_path(finding.location)
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": finding.message},
    }
    if path is not None and finding.location is not None:
        result["locations"] = [_location(path, finding.location)]
    else:
        # GitHub drops a result without a location: a finding that is not about a file (a rule
        # of a builtin pack, a registry fact) points at the config that chose the rules
        path = DEFAULT_CONFIG_NAME
        result["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(path)}}]
    result["partialFingerprints"] = {
        FINGERPRINT_KEY: digest(finding.rule_id, path, finding.message)
    }
    if finding.status == "waived" and finding.exception is not None:
        waiver = finding.exception
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if waiver.reason:
            suppression["justification"] = waiver.reason
        suppression["properties"] = _drop_none(
            {
                "exception_id": waiver.id,
                "expires_on": waiver.expires_on,
                "approved_by": waiver.approved_by,
            }
        )
        result["suppressions"] = [suppression]
    result["properties"] = {"status": finding.status, "severity": finding.severity}
    if finding.location is not None and file_path(finding.location) is None:
        result["properties"]["location"] = _where(finding.location)
    return result


def _location(path: str, location: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(path)}
    if location.line is not None and location.line >= 1:
        region: dict[str, Any] = {"startLine": location.line}
        if location.column is not None and location.column >= 1:
            region["startColumn"] = location.column
        if location.end_line is not None and location.end_line >= location.line:
            region["endLine"] = location.end_line
        physical["region"] = region
    return {"physicalLocation": physical}


def _artifact(path: str) -> dict[str, str]:
    """Repo-relative paths resolve against %SRCROOT%; an absolute one becomes a file: URI."""
    if DRIVE.match(path):
        return {"uri": PureWindowsPath(path).as_uri()}
    if path.startswith("/"):
        return {"uri": PurePosixPath(path).as_uri()}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _invocation(report: Report) -> dict[str, Any]:
    return {
        "executionSuccessful": report.verdict != "error",
        "toolExecutionNotifications": [_notification(e) for e in report.errors],
    }


def _notification(error: ReportError) -> dict[str, Any]:
    notification: dict[str, Any] = {"level": "error", "message": {"text": error.message}}
    path = file_path(error.location)
    if path is not None and error.location is not None:
        notification["locations"] = [_location(path, error.location)]
    return notification


def _run_properties(report: Report) -> dict[str, Any]:
    subject = report.subject
    summary = report.summary
    return _drop_none(
        {
            "verdict": report.verdict,
            "exit_code": report.exit_code,
            "advisory": report.advisory,
            "evaluated_at": report.evaluated_at,
            "duration_ms": report.duration_ms,
            "policy_digest": report.policy_digest,
            "subject": _drop_none(
                {
                    "name": subject.name,
                    "version": subject.version,
                    "uri": subject.uri,
                    "risk_tier": subject.risk_tier,
                    "stage": subject.stage,
                    "git_commit": subject.git_commit,
                }
            ),
            "summary": {
                "total": summary.total,
                "pass": summary.passed,
                "fail": summary.fail,
                "warn": summary.warn,
                "waived": summary.waived,
                "error": summary.error,
                "skipped": summary.skipped,
            },
        }
    )


def _where(location: Location) -> str:
    """`builtin:baseline:197:5 rules[11]`: a place that is no file, kept for a reader."""
    text = str(location)
    return f"{text} {location.key_path}" if location.key_path else text


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _pascal(title: str) -> str:
    """`Model card exists` -> `ModelCardExists`: SARIF's rule `name` is an identifier."""
    return "".join(w[:1].upper() + w[1:] for w in _WORD.findall(title))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>()#+!|])", r"\\\1", text)
