"""`junit.xml`: one test case per rule, for CI test-report views (GitLab, Jenkins, Azure)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from govgate.findings import Finding
from govgate.formats.base import Format
from govgate.formats.paths import file_path
from govgate.report import Report, ReportError

SUITE = "govgate"
_PREFIX = re.compile(r"[-_.]")
# XML 1.0 forbids most control characters even as character references
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class JunitFormat(Format):
    name = "junit"
    filename = "junit.xml"

    def render(self, report: Report) -> bytes:
        summary = report.summary
        errors = summary.error + (1 if report.errors else 0)
        counts = {
            "tests": str(summary.total + (1 if report.errors else 0)),
            "failures": str(summary.fail),
            "errors": str(errors),
        }
        seconds = f"{max(report.duration_ms, 0.0) / 1000:.3f}"
        root = ET.Element("testsuites", {"name": SUITE, **counts, "time": seconds})
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": SUITE,
                **counts,
                "skipped": str(summary.waived + summary.skipped),
                "time": seconds,
                "timestamp": report.evaluated_at,
            },
        )
        _properties(suite, report)
        for finding in report.findings:
            _testcase(suite, finding)
        if report.errors:
            _errors_case(suite, report.errors)
        ET.indent(root)
        body = ET.tostring(root, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


def _properties(suite: ET.Element, report: Report) -> None:
    subject = report.subject
    values = {
        "verdict": report.verdict,
        "exit_code": str(report.exit_code),
        "govgate_version": report.govgate_version,
        "subject.name": subject.name,
        "subject.version": subject.version,
        "subject.uri": subject.uri,
        "subject.risk_tier": subject.risk_tier,
        "subject.stage": subject.stage,
        "subject.git_commit": subject.git_commit,
        "policy_digest": report.policy_digest,
    }
    properties = ET.SubElement(suite, "properties")
    for key, value in values.items():
        if value is not None:
            ET.SubElement(properties, "property", {"name": key, "value": _xml(value)})


def _testcase(suite: ET.Element, finding: Finding) -> None:
    prefix = _PREFIX.split(finding.rule_id, maxsplit=1)[0]
    attributes = {
        "classname": f"{SUITE}.{prefix}",
        "name": _xml(f"{finding.rule_id}: {finding.title}"),
    }
    path = file_path(finding.location)
    if path is not None:
        attributes["file"] = _xml(path)  # GitLab shows it; junit-10.xsd does not define it
    attributes["time"] = "0"
    case = ET.SubElement(suite, "testcase", attributes)
    status = finding.status
    if status == "fail":
        failure = ET.SubElement(
            case, "failure", {"message": _xml(finding.message), "type": finding.severity}
        )
        failure.text = _details(finding)
    elif status == "warn":
        # a warning must not fail the job: the case passes and says why it is worth a look
        out = ET.SubElement(case, "system-out")
        out.text = _details(finding, f"{finding.severity}: ")
    elif status == "waived":
        waiver = finding.exception
        message = "waived"
        if waiver is not None:
            message = f"waived by {waiver.id}"
            if waiver.expires_on:
                message += f" until {waiver.expires_on}"
        skipped = ET.SubElement(case, "skipped", {"message": _xml(message)})
        skipped.text = _waiver_text(finding)
    elif status == "error":
        error = ET.SubElement(case, "error", {"message": _xml(finding.message), "type": "error"})
        error.text = _details(finding)
    elif status == "skipped":
        ET.SubElement(case, "skipped", {"message": _xml(finding.message)})


def _errors_case(suite: ET.Element, errors: list[ReportError]) -> None:
    """Faults that stopped part of the evaluation: one case, so the job shows an error."""
    case = ET.SubElement(
        suite,
        "testcase",
        {"classname": f"{SUITE}.gate", "name": "govgate: evaluation", "time": "0"},
    )
    message = errors[0].message if len(errors) == 1 else f"{len(errors)} errors stopped the gate"
    element = ET.SubElement(case, "error", {"message": _xml(message), "type": "error"})
    element.text = _xml("\n".join(_error_line(e) for e in errors))


def _error_line(error: ReportError) -> str:
    where = str(error.location) if error.location else ""
    return error.message if not where or where in error.message else f"{where}: {error.message}"


def _details(finding: Finding, lead: str = "") -> str:
    lines = [f"{lead}{finding.message}"]
    if finding.location is not None:
        where = str(finding.location)
        if finding.location.key_path:
            where += f" ({finding.location.key_path})"
        lines.append(f"location: {where}")
    if finding.remediation:
        lines.append(f"fix: {finding.remediation}")
    if finding.controls:
        lines.append(f"controls: {'; '.join(dict.fromkeys(finding.controls))}")
    return _xml("\n".join(lines))


def _waiver_text(finding: Finding) -> str:
    lines = [finding.message]
    waiver = finding.exception
    if waiver is not None:
        if waiver.reason:
            lines.append(f"reason: {waiver.reason}")
        if waiver.approved_by:
            lines.append(f"approved by: {waiver.approved_by}")
    return _xml("\n".join(lines))


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
