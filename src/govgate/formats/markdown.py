"""`summary.md`: the reviewer's view for a GitHub step summary or a merge-request note.

Layout: a heading with the verdict (emoji and word), the model and commit, a counts line, report
errors, then tables of blocking failures and errors, warnings and waived findings, the exceptions
summary, and a collapsed list of passed and skipped rules.

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

from govgate.findings import Evidence, Finding
from govgate.formats.base import Format
from govgate.location import Location
from govgate.report import Report

BUDGET = 1_000_000
"""Bytes; GitHub caps a step summary at 1 MiB and GitLab a note at 1,000,000 characters."""

MAX_EVIDENCE = 10
MAX_CELL_CHARS = 2_000
MAX_LIST_ITEMS = 50
MAX_ERRORS = 20

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
    about = f"Evaluated {escape_inline(report.evaluated_at)} by govgate {report.govgate_version}"
    if report.policy_digest:
        about += f" · policy sha256 {escape_inline(report.policy_digest[:12])}"
    lines += [f"{about} · exit code {report.exit_code}", ""]
    lines += _errors(report)
    s = report.summary
    lines += [
        f"**{s.total} rule(s):** {s.passed} passed · {s.fail} failed · {s.warn} warning(s) · "
        f"{s.waived} waived · {s.error} error(s) · {s.skipped} skipped",
        "",
    ]
    return lines


def _errors(report: Report) -> list[str]:
    if not report.errors:
        return []
    count = len(report.errors)
    lines = [
        f"### ⚠️ {count} error(s): the gate could not finish, so this is not a pass",
        "",
    ]
    for error in report.errors[:MAX_ERRORS]:
        where = f"**{escape_inline(str(error.location))}**: " if error.location else ""
        lines.append(f"- {where}{escape_inline(error.message, 1_000)}")
    if count > MAX_ERRORS:
        lines.append(f"- … and {count - MAX_ERRORS} more in report.json")
    return [*lines, ""]


_COLUMNS = ["Rule", "Title", "Where", "What is wrong", "How to fix"]


def _table_head(columns: list[str]) -> list[str]:
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _where(location: Location | None) -> str:
    return escape_inline(str(location)) if location else "—"


def _wrong(finding: Finding) -> str:
    """The message, then the evidence a reviewer can open, cut to MAX_EVIDENCE with a count."""
    parts = [escape_inline(finding.message)]
    evidence = [e for e in finding.evidence if not _repeats(e, finding)]
    for item in evidence[:MAX_EVIDENCE]:
        where = f"{escape_inline(str(item.location))}: " if item.location else ""
        parts.append(f"• {where}{escape_inline(item.message, limit=500)}")
    if len(evidence) > MAX_EVIDENCE:
        parts.append(f"• … and {len(evidence) - MAX_EVIDENCE} more in report.json")
    return "<br>".join(parts)


def _repeats(evidence: Evidence, finding: Finding) -> bool:
    return evidence.message == finding.message and evidence.location in (None, finding.location)


def _cells(finding: Finding) -> list[str]:
    return [
        f"**{escape_inline(finding.rule_id)}**",
        escape_inline(finding.title),
        _where(finding.location),
        _wrong(finding),
        escape_inline(finding.remediation),
    ]


def _sections(report: Report) -> list[_Section]:
    blocking = [f for f in report.findings if f.status in ("fail", "error")]
    warnings = [f for f in report.findings if f.status == "warn"]
    waived = [f for f in report.findings if f.status == "waived"]
    settled = [f for f in report.findings if f.status in ("pass", "skipped")]
    sections: list[_Section] = []
    if blocking:
        sections.append(
            _Section(
                f"### Blocking failures and errors ({len(blocking)})",
                _table_head(["Status", *_COLUMNS]),
                blocking,
                lambda f: _row([_STATUS[f.status], *_cells(f)]),
            )
        )
    elif report.findings:
        sections.append(_Section("### No blocking failures or errors", []))
    if warnings:
        sections.append(
            _Section(
                f"### Warnings ({len(warnings)})",
                _table_head(_COLUMNS),
                warnings,
                lambda f: _row(_cells(f)),
            )
        )
    if waived:
        sections.append(
            _Section(
                f"### Waived ({len(waived)})",
                _table_head(
                    [*_COLUMNS[:4], "Exception", "Approved by", "Expires", "Reason"],
                ),
                waived,
                lambda f: _row(_waived_cells(f)),
            )
        )
    exceptions = _exceptions(report)
    if exceptions:
        sections.append(_Section("### Exceptions", exceptions))
    if settled:
        passed = sum(f.status == "pass" for f in settled)
        sections.append(
            _Section(
                "<details>",
                [
                    f"<summary>Passed ({passed}) and skipped ({len(settled) - passed}) "
                    "rules</summary>",
                    "",
                ],
                settled,
                _settled,
                foot=["</details>", ""],
            )
        )
    return sections


def _waived_cells(finding: Finding) -> list[str]:
    waiver = finding.exception
    values = (
        [waiver.id, waiver.approved_by, waiver.expires_on, waiver.reason] if waiver else [None] * 4
    )
    return [*_cells(finding)[:4], *(escape_inline(v) if v else "—" for v in values)]


def _settled(finding: Finding) -> str:
    line = f"- {'✅ passed' if finding.status == 'pass' else '⏭️ skipped'}: "
    line += f"**{escape_inline(finding.rule_id)}** {escape_inline(finding.title)}"
    if finding.status == "skipped":
        line += f" ({escape_inline(finding.message, limit=300)})"
    return line


def _exceptions(report: Report) -> list[str]:
    summary = report.exceptions
    groups = [
        ("Applied", summary.applied),
        ("⏳ Expiring soon", summary.expiring_soon),
        ("⛔ Expired", summary.expired),
        ("Unused", summary.unused),
    ]
    if not any(ids for _, ids in groups):
        return []
    lines: list[str] = []
    for label, ids in groups:
        listed = ", ".join(escape_inline(i, limit=100) for i in ids[:MAX_LIST_ITEMS]) or "none"
        if len(ids) > MAX_LIST_ITEMS:
            listed += f", … and {len(ids) - MAX_LIST_ITEMS} more"
        lines.append(f"- **{label}:** {listed}")
    return lines


def _footer(report: Report) -> list[str]:
    return [f"<sub>Full evidence: report.json ({report.schema}).</sub>"]
