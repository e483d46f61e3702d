"""`summary.md`: the reviewer's view for a GitHub step summary or a merge-request note.

Layout: the same order as report.html (formats/review.py): a heading with the verdict, the model
and commit, the evaluation time and the counts; then report errors, what blocks the release,
warnings, waivers (each exception in full, with the findings it waived), approvals role by role,
the evidence with how to check it, the controls covered, and a collapsed list of passed and
skipped rules. Each thing is said once: a waived finding appears under its exception only.

Every piece of text that comes from a user (rule packs, model cards, config, exceptions) goes
through `escape_inline`: it cannot close a table cell, start a block, open a link or emphasis,
inject HTML, or mention a user. The whole file stays under `BUDGET` bytes, below GitHub's 1 MiB
step-summary limit and GitLab's 1,000,000-character note limit: evidence lists are cut with a
count, and when the findings alone would not fit, the last rows are dropped with a count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from govgate.facts import CiFacts
from govgate.findings import Evidence, ExceptionRecord, Finding
from govgate.formats import review
from govgate.formats.base import Format
from govgate.formats.places import is_rule_position, place
from govgate.location import Location
from govgate.report import Report

BUDGET = 1_000_000
"""Bytes; GitHub caps a step summary at 1 MiB and GitLab a note at 1,000,000 characters."""

MAX_EVIDENCE = 10
MAX_CELL_CHARS = 2_000
MAX_LIST_ITEMS = 50
MAX_ERRORS = 20
_LOCAL = CiFacts()  # places as text: a step summary links nothing a pack or a card wrote

_VERDICT = {
    "pass": "✅ govgate: PASS",
    "fail": "❌ govgate: FAIL",
    "error": "⚠️ govgate: ERROR",
}
_STATUS = {"fail": "❌ fail", "error": "⚠️ error"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# HTML is shown as text; inline markup, headings, table cell delimiters and GitHub math are
# backslash-escaped; a newline becomes `<br>`, the one line break a table cell can hold.
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": "<br>"} | {c: "\\" + c for c in "\\`*[]|~$#"}
)
# `model_card`: an underscore between two letters or digits can neither open nor close emphasis.
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# A mention (`@team`) or an issue reference (`#12`) starting a word would notify or cross-link.
_REFERENCE = re.compile(r"(?<!\w)([@#])(?=\w)")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def escape_inline(text: str, limit: int = MAX_CELL_CHARS) -> str:
    """User text as one line of inert Markdown: what it says is shown, never interpreted."""
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit} more characters in report.json)"
    text = _CONTROL.sub("", text).replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    escaped = _UNDERSCORE.sub(r"\\_", text.translate(_ESCAPES))
    escaped = _REFERENCE.sub(r"\1&#8203;", escaped)
    # A leading `+`, `-`, `=` or `1.` would start a list or a rule inside a list item.
    if escaped[:1] in ("+", "-", "="):
        escaped = "\\" + escaped
    return _ORDERED.sub(r"\1\\\2", escaped)


@dataclass
class _Section:
    """A heading, lines that always show (a table header), and a row per finding that fits.

    Rows are rendered only while they fit, so a huge report costs no more than a full summary.
    """

    title: str
    head: list[str]
    findings: list[Finding] = field(default_factory=list)
    row: Callable[[Finding], str] = str
    foot: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)


class MarkdownFormat(Format):
    name = "markdown"
    filename = "summary.md"

    def render(self, report: Report) -> bytes:
        head = _head(report)
        tail = _footer(report)
        sections = _sections(report)
        _fit(sections, _size(head) + _size(tail))
        lines = list(head)
        for section in sections:
            lines += _section_lines(section)
        lines += tail
        return ("\n".join(lines).rstrip("\n") + "\n").encode()


def _size(lines: Iterable[str]) -> int:
    return sum(len(line.encode()) + 1 for line in lines)


def _omitted(count: int) -> str:
    return (
        f"_… {count} more row(s) left out to keep this summary under the step-summary size "
        "limit: see report.json._"
    )


def _fit(sections: list[_Section], fixed: int) -> None:
    """Render rows in order of importance until the budget is spent; the rest are counted."""
    reserve = sum(_size(_section_lines(s)) + _size([_omitted(10**9), ""]) for s in sections)
    left = BUDGET - fixed - reserve
    for section in sections:
        for finding in section.findings:
            row = section.row(finding)
            cost = len(row.encode()) + 1
            if cost > left:
                return
            left -= cost
            section.rows.append(row)


def _section_lines(section: _Section) -> list[str]:
    lines = [section.title, ""]
    if section.head or section.findings:
        lines += [*section.head, *section.rows, ""]
    if len(section.rows) < len(section.findings):
        lines += [_omitted(len(section.findings) - len(section.rows)), ""]
    return [*lines, *section.foot]


def _head(report: Report) -> list[str]:
    subject = report.subject
    title = _VERDICT[report.verdict]
    if report.verdict == "fail" and report.advisory:
        title += " (advisory: not blocking)"
    if subject.name:
        title += f" — {escape_inline(subject.name, 200)}"
        if subject.version:
            title += f" version {escape_inline(subject.version, 200)}"
    facts = [
        ("Model", subject.name),
        ("Version", subject.version),
        ("Risk tier", subject.risk_tier),
        ("Stage", subject.stage),
        ("Commit", subject.git_commit[:12] if subject.git_commit else None),
    ]
    lines = [f"## {title}", ""]
    shown = [f"**{label}:** {escape_inline(value, 200)}" for label, value in facts if value]
    if shown:
        lines += [" · ".join(shown), ""]
    when = escape_inline(review.readable_time(report.evaluated_at), 200)
    lines += [
        f"Evaluated {when} by govgate {report.govgate_version} · exit code {report.exit_code}",
        "",
        " · ".join(f"**{t.count}** {t.label.lower()}" for t in review.tiles(report)),
        "",
    ]
    return lines + _errors(report)


def _errors(report: Report) -> list[str]:
    if not report.errors:
        return []
    count = len(report.errors)
    lines = [
        f"### ⚠️ {review.HEADINGS['errors']} ({count}): this is not a pass",
        "",
    ]
    for error in report.errors[:MAX_ERRORS]:
        where = f"**{escape_inline(str(error.location))}**: " if error.location else ""
        lines.append(f"- {where}{escape_inline(error.message, 1_000)}")
    if count > MAX_ERRORS:
        lines.append(f"- … and {count - MAX_ERRORS} more in report.json")
    return [*lines, ""]


_COLUMNS = ["Rule", "Title", "Where", "What was found", "How to fix"]


def _table_head(columns: list[str]) -> list[str]:
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _where(finding: Finding, report: Report) -> str:
    if any(role.rule_id == finding.rule_id for role in report.approvals):
        return "see Approvals"
    if finding.rule_id.startswith("EXCEPTION-"):
        return "see Waivers" + (f": {_place(finding.location)}" if finding.location else "")
    if finding.location is None or is_rule_position(finding.location):
        return "—"
    return _place(finding.location)


def _place(location: Location) -> str:
    return escape_inline(place(location, _LOCAL).label)


def _wrong(finding: Finding) -> str:
    """The message, then the evidence a reviewer can open, cut to MAX_EVIDENCE with a count."""
    parts = [escape_inline(finding.message)]
    evidence = [e for e in finding.evidence if not _repeats(e, finding)]
    for item in evidence[:MAX_EVIDENCE]:
        where = f"{_place(item.location)}: " if item.location else ""
        parts.append(f"• {where}{escape_inline(item.message, limit=500)}")
    if len(evidence) > MAX_EVIDENCE:
        parts.append(f"• … and {len(evidence) - MAX_EVIDENCE} more in report.json")
    return "<br>".join(parts)


def _repeats(evidence: Evidence, finding: Finding) -> bool:
    return evidence.message == finding.message and evidence.location in (None, finding.location)


def _cells(finding: Finding, report: Report) -> list[str]:
    return [
        f"**{escape_inline(finding.rule_id)}**",
        escape_inline(finding.title),
        _where(finding, report),
        _wrong(finding),
        escape_inline(finding.remediation),
    ]


def _sections(report: Report) -> list[_Section]:
    blocking = review.blocking(report)
    warnings = review.warnings(report)
    settled = review.settled(report)
    heading = review.HEADINGS
    sections: list[_Section] = []
    if blocking:
        sections.append(
            _Section(
                f"### {heading['blocking']} ({len(blocking)})",
                _table_head(["Status", *_COLUMNS]),
                blocking,
                lambda f: _row([_STATUS[f.status], *_cells(f, report)]),
            )
        )
    else:
        sections.append(
            _Section(f"### {heading['blocking']}", ["Nothing: no blocking rule failed."])
        )
    if warnings:
        sections.append(
            _Section(
                f"### {heading['warnings']} ({len(warnings)})",
                _table_head(_COLUMNS),
                warnings,
                lambda f: _row(_cells(f, report)),
            )
        )
    for key, lines in (
        ("waivers", _waivers(report)),
        ("approvals", _approvals(report)),
        ("evidence", _evidence(report)),
        ("controls", _controls(report)),
    ):
        if lines:
            sections.append(_Section(f"### {heading[key]}", lines))
    if settled:
        passed = sum(f.status == "pass" for f in settled)
        sections.append(
            _Section(
                "<details>",
                [
                    f"<summary>{heading['settled']}: {passed} passed, "
                    f"{len(settled) - passed} skipped</summary>",
                    "",
                ],
                settled,
                _settled,
                foot=["</details>", ""],
            )
        )
    return sections


def _settled(finding: Finding) -> str:
    line = f"- {'✅ passed' if finding.status == 'pass' else '⏭️ skipped'}: "
    line += f"**{escape_inline(finding.rule_id)}** {escape_inline(finding.title)}"
    if finding.status == "skipped":
        line += f" ({escape_inline(finding.message, limit=300)})"
    return line


def _capped(lines: list[str], total: int, what: str) -> list[str]:
    if total > MAX_LIST_ITEMS:
        lines.append(f"- … and {total - MAX_LIST_ITEMS} more {what} in report.json")
    return lines


def _waivers(report: Report) -> list[str]:
    records = report.exceptions.details
    lines = [_waiver(r, report) for r in records[:MAX_LIST_ITEMS]]
    listed = {r.id for r in records}
    lines += [
        f"- **{escape_inline(f.rule_id)}** waived by "
        f"{escape_inline(f.exception.id if f.exception else 'an exception', 100)}: "
        f"{escape_inline(f.message, 500)}"
        for f in report.findings
        if f.status == "waived" and (f.exception is None or f.exception.id not in listed)
    ][:MAX_LIST_ITEMS]
    return _capped(lines, len(records), "exception(s)")


def _waiver(record: ExceptionRecord, report: Report) -> str:
    def e(value: str | None, limit: int = 300) -> str:
        return escape_inline(value, limit) if value else "none"

    waived = [f.rule_id for f in review.waived_by(report, record)]
    parts = [
        f"waives {e(', '.join(record.rules))}",
        f"waived in this run: {e(', '.join(waived)) if waived else 'nothing'}",
        f"scope {e(', '.join(record.models))}"
        + (f" versions {e(record.versions)}" if record.versions else ", every version"),
        f"reason: {e(record.reason, 500)}",
        f"compensating controls: {e('; '.join(record.compensating_controls), 500)}",
        f"requested by {e(record.requested_by)}",
        f"approved by {e(record.approved_by)} on {e(record.approved_on)}",
        f"ticket {e(record.ticket)}",
        f"expires {e(record.expires_on)} ({review.days_left(record)})",
    ]
    if record.problems:
        parts.append(f"**why it waives nothing:** {e('; '.join(record.problems), 500)}")
    mark = "⛔ " if record.state in ("expired", "invalid") else ""
    state = review.exception_state(record)
    return f"- {mark}**{e(record.id, 100)}** ({state}): " + "; ".join(parts)


def _approvals(report: Report) -> list[str]:
    if not report.approvals:
        return [review.NO_APPROVALS]
    current = report.evidence_digest
    lines = []
    if current:
        lines += [f"Evidence checked now: sha256 `{review.short_digest(current)}`", ""]
    lines += _table_head(["Role", "Needs", "Approver", "When", "Source", "Evidence", "Status"])
    rows = 0
    for role in report.approvals:
        needs = f"{role.valid} of {role.required} valid" + ("" if role.satisfied else " ❌")
        name = escape_inline(role.role, 100)
        if not role.approvals:
            lines.append(_row([name, needs, "none found", "—", "—", "—", "—"]))
        for a in role.approvals:
            rows += 1
            if rows > MAX_LIST_ITEMS:
                break
            digest = review.short_digest(a.evidence_digest) or "none recorded"
            if a.evidence_digest and current:
                digest += " (current)" if a.evidence_digest == current else " (other)"
            status = a.status + (f": {escape_inline(a.reason, 300)}" if a.reason else "")
            when = escape_inline(review.readable_time(a.on)) if a.on else "undated"
            source = a.source + (f", {a.ref}" if a.ref else "")
            lines.append(
                _row(
                    [
                        name,
                        needs,
                        escape_inline(a.by, 200),
                        when,
                        escape_inline(source, 200),
                        escape_inline(digest, 100),
                        status,
                    ]
                )
            )
    return lines


def _evidence(report: Report) -> list[str]:
    lines = []
    if report.policy_digest:
        lines.append(f"- Policy digest: `{escape_inline(report.policy_digest, 100)}`")
    if report.evidence_digest:
        lines.append(f"- Evidence digest: `{escape_inline(report.evidence_digest, 100)}`")
    lines.append("- Check this folder: `govgate verify govgate-report/`")
    if report.inputs:
        lines += ["", *_table_head(["Kind", "Input", "sha256", "Bytes"])]
        lines += [
            _row(
                [
                    i.kind,
                    escape_inline(i.location, 300),
                    escape_inline(i.sha256 or "none", 100),
                    "—" if i.size is None else str(i.size),
                ]
            )
            for i in report.inputs[:MAX_LIST_ITEMS]
        ]
        if len(report.inputs) > MAX_LIST_ITEMS:
            lines.append(f"_… {len(report.inputs) - MAX_LIST_ITEMS} more in report.json_")
    return lines


def _controls(report: Report) -> list[str]:
    covered = review.controls(report)
    if not covered:
        return []
    lines = _table_head(["Control", "Rules", "Result"])
    lines += [
        _row([escape_inline(c.control, 200), escape_inline(", ".join(c.rules), 500), c.outcome])
        for c in covered[: MAX_LIST_ITEMS * 2]
    ]
    return lines


def _footer(report: Report) -> list[str]:
    return [f"<sub>Full evidence: report.json ({report.schema}).</sub>"]
