"""The compact terminal summary: one line per finding that needs attention, then the verdict.

It is also what a CI log shows (GitHub step, GitLab job), so every piece of text that came from a
rule pack, an exceptions file or a document goes through `safe_text`: shown, never acted on.
"""

from __future__ import annotations

from govgate.findings import Finding
from govgate.formats.safe_text import inert, inert_lines
from govgate.report import Report

_MAX_NOTES = 5
_MARKS = {
    "pass": "ok",
    "fail": "FAIL",
    "warn": "warn",
    "waived": "waived",
    "error": "ERROR",
    "skipped": "skip",
}


def _block(first: str, text: str, indent: str) -> list[str]:
    """`first` followed by `text`; the text's own line breaks kept, each line under the first."""
    head, *rest = inert_lines(text)
    return [first + head, *(indent + line for line in rest)]


def _notes(finding: Finding, indent: str) -> list[str]:
    """What the finding's evidence adds to its message (why an approval is void, say), a few
    lines at most: report.json has all of it."""
    extra = [e for e in finding.evidence if e.message not in finding.message]
    lines: list[str] = []
    for evidence in extra[:_MAX_NOTES]:
        where = f"{inert(str(evidence.location))}: " if evidence.location else ""
        lines += _block(f"{indent}- {where}", evidence.message, indent + "  ")
    if len(extra) > _MAX_NOTES:
        lines.append(f"{indent}- and {len(extra) - _MAX_NOTES} more in report.json")
    return lines


def render_terminal(report: Report, verbose: bool = False) -> str:
    lines: list[str] = []
    subject = report.subject
    if subject.name:
        version = f" v{inert(subject.version)}" if subject.version else ""
        lines.append(
            f"govgate: {inert(subject.name)}{version} (tier {inert(str(subject.risk_tier))}, "
            f"stage {inert(subject.stage or '-')}) at {inert(report.evaluated_at)}"
        )
    for error in report.errors:
        where = f"{inert(str(error.location))}: " if error.location else ""
        lines += _block(f"  ERROR  {where}", error.message, " " * 9)
    shown = [f for f in report.findings if verbose or f.status not in ("pass", "skipped")]
    rule_ids = [inert(f.rule_id) for f in shown]
    width = max((len(rule_id) for rule_id in rule_ids), default=0)
    for finding, rule_id in zip(shown, rule_ids, strict=True):
        mark = _MARKS[finding.status]
        where = f"{inert(str(finding.location))}: " if finding.location else ""
        indent = f"  {'':<6} {'':<{width}}  "
        lines += _block(f"  {mark:<6} {rule_id:<{width}}  {where}", finding.message, indent)
        if finding.status in ("fail", "warn", "error"):
            lines += _notes(finding, indent)
            lines += _block(f"{indent}fix: ", finding.remediation, indent + " " * 5)
    s = report.summary
    lines.append(
        f"verdict: {report.verdict.upper()}  ({s.passed} passed, {s.fail} failed, "
        f"{s.warn} warnings, "
        f"{s.waived} waived, {s.error} errors, {s.skipped} skipped; {report.duration_ms:.0f} ms)"
    )
    if report.advisory and report.verdict == "fail":
        lines.append("advisory mode: failures do not block (exit 0)")
    return "\n".join(lines) + "\n"
