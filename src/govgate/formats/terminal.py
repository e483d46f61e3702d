"""The compact terminal summary: one line per finding that needs attention, then the verdict."""

from __future__ import annotations

from govgate.report import Report

_MARKS = {
    "pass": "ok",
    "fail": "FAIL",
    "warn": "warn",
    "waived": "waived",
    "error": "ERROR",
    "skipped": "skip",
}


def render_terminal(report: Report, verbose: bool = False) -> str:
    lines: list[str] = []
    subject = report.subject
    if subject.name:
        version = f" v{subject.version}" if subject.version else ""
        lines.append(
            f"govgate: {subject.name}{version} (tier {subject.risk_tier}, "
            f"stage {subject.stage or '-'}) at {report.evaluated_at}"
        )
    for error in report.errors:
        where = f"{error.location}: " if error.location else ""
        lines.append(f"  ERROR  {where}{error.message}")
    shown = [f for f in report.findings if verbose or f.status not in ("pass", "skipped")]
    width = max((len(f.rule_id) for f in shown), default=0)
    for finding in shown:
        mark = _MARKS[finding.status]
        where = f"{finding.location}: " if finding.location else ""
        lines.append(f"  {mark:<6} {finding.rule_id:<{width}}  {where}{finding.message}")
        if finding.status in ("fail", "warn", "error"):
            lines.append(f"  {'':<6} {'':<{width}}  fix: {finding.remediation}")
    s = report.summary
    lines.append(
        f"verdict: {report.verdict.upper()}  ({s.passed} passed, {s.fail} failed, "
        f"{s.warn} warnings, "
        f"{s.waived} waived, {s.error} errors, {s.skipped} skipped; {report.duration_ms:.0f} ms)"
    )
    if report.advisory and report.verdict == "fail":
        lines.append("advisory mode: failures do not block (exit 0)")
    return "\n".join(lines) + "\n"
