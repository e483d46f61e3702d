"""What the two reviewer views (report.html, summary.md) show, derived once from the Report so
both say the same thing in the same order: the tiles, which findings block, which exception
waived what, and how each framework control fared.

Nothing here decides the verdict: it only groups what the Report already decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from govgate.findings import ExceptionRecord, Finding
from govgate.report import Report

# Section order of both views, with the headings they share.
SECTIONS = (
    ("errors", "Errors: the gate could not evaluate"),
    ("blocking", "What blocks the release"),
    ("warnings", "Warnings"),
    ("waivers", "Waivers"),
    ("approvals", "Approvals"),
    ("evidence", "Evidence"),
    ("controls", "Controls covered"),
    ("settled", "Passed and skipped rules"),
)
HEADINGS = dict(SECTIONS)

# The Approvals section when no role-by-role judgement is in the report: no approvals check of a
# YAML pack applied (a Rego policy's approval rules are judged in Rego, and show as findings).
NO_APPROVALS = (
    "No approvals check of a YAML rule pack applied to this risk tier and stage; approval rules "
    "written in Rego are listed with the other findings."
)


@dataclass(frozen=True)
class Tile:
    label: str
    count: int
    tone: str  # bad, warn, neutral, good: how the tile is coloured


def tiles(report: Report) -> list[Tile]:
    """The six counts a reviewer reads first; report-level faults count as errors."""
    s = report.summary
    errors = s.error + len(report.errors)
    return [
        Tile("Blocking failures", s.fail, "bad" if s.fail else "neutral"),
        Tile("Errors", errors, "bad" if errors else "neutral"),
        Tile("Warnings", s.warn, "warn" if s.warn else "neutral"),
        Tile("Waived", s.waived, "warn" if s.waived else "neutral"),
        Tile("Passed", s.passed, "good" if s.passed else "neutral"),
        Tile("Skipped", s.skipped, "neutral"),
    ]


def blocking(report: Report) -> list[Finding]:
    """Errors first (nothing was proven), then failures, each in rule order."""
    return [f for f in report.findings if f.status == "error"] + [
        f for f in report.findings if f.status == "fail"
    ]


def warnings(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.status == "warn"]


def settled(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.status in ("pass", "skipped")]


def waived_by(report: Report, record: ExceptionRecord) -> list[Finding]:
    """The findings this exception turned into `waived` in this run."""
    return [
        f
        for f in report.findings
        if f.status == "waived" and f.exception is not None and f.exception.id == record.id
    ]


def exception_state(record: ExceptionRecord) -> str:
    """A few words a reviewer can act on: in force, running out, or refused and why."""
    if record.state == "expired":
        return "expired: waives nothing"
    if record.state == "invalid":
        return "invalid: waives nothing"
    if record.state == "closed":
        return "closed"
    used = "used in this run" if record.used else "not needed in this run"
    if record.state == "expiring":
        return f"expires soon, {used}"
    return f"in force, {used}"


def days_left(record: ExceptionRecord) -> str:
    if record.days_left < 0:
        return f"expired {-record.days_left} day(s) ago"
    if record.days_left == 0:
        return "expires today"
    return f"{record.days_left} day(s) left"


@dataclass(frozen=True)
class ControlCoverage:
    control: str
    rules: list[str]
    outcome: str  # met, not met, waived, not checked


def controls(report: Report) -> list[ControlCoverage]:
    """Each framework control the loaded rules name, with the rules that check it and whether
    this run met it: a failure or error in any rule for it means not met."""
    by_control: dict[str, list[Finding]] = {}
    for finding in report.findings:
        for control in dict.fromkeys(finding.controls):
            by_control.setdefault(control, []).append(finding)
    return [
        ControlCoverage(
            control, list(dict.fromkeys(f.rule_id for f in found)), _control_outcome(found)
        )
        for control, found in sorted(by_control.items())
    ]


def _control_outcome(found: list[Finding]) -> str:
    statuses = {f.status for f in found}
    if statuses & {"fail", "error"}:
        return "not met"
    if statuses <= {"skipped"}:
        return "not checked"
    if "waived" in statuses:
        return "met with a waiver"
    if "warn" in statuses:
        return "met, with warnings"
    return "met"


def readable_time(value: str | None) -> str:
    """An ISO timestamp to the second with its zone (`2026-11-26 12:00:00 UTC`); a date as is;
    anything unparseable as written."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if len(value) <= 10:  # a plain date
        return moment.date().isoformat()
    offset = moment.utcoffset()
    if offset is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S") + " (no zone given)"
    zone = "UTC" if not offset else moment.isoformat()[-6:]
    return moment.strftime("%Y-%m-%d %H:%M:%S ") + zone


def short_digest(digest: str | None) -> str:
    return digest[:12] if digest else ""
