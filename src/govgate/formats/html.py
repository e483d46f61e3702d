"""`report.html`: one self-contained page for release approvers and auditors, opened from a CI
artifact in a browser.

Every value is HTML-escaped (text and attributes alike) and the page shell (formats/page.py) loads
and runs nothing, so text from a rule pack, a model card or a registry cannot become markup or
script. Links are rules' `help_uri` (the schema accepts only absolute http(s) URLs) and the CI run.
"""

from __future__ import annotations

from collections.abc import Iterable

from govgate.findings import Evidence, Finding
from govgate.formats.base import Format
from govgate.formats.page import link, page
from govgate.formats.page import text as _text
from govgate.location import Location
from govgate.report import Report

# Findings a reviewer must act on first: the order of the table.
_ORDER = {"error": 0, "fail": 1, "warn": 2, "waived": 3, "pass": 4, "skipped": 5}
_VERDICT = {"pass": "PASS", "fail": "FAIL", "error": "ERROR"}


class HtmlFormat(Format):
    name = "html"
    filename = "report.html"

    def render(self, report: Report) -> bytes:
        title = f"govgate: {_VERDICT[report.verdict]} · {_subject_line(report)}"
        parts = [
            _header(report),
            _errors(report),
            _findings(report),
            _exceptions(report),
            _inputs(report),
            _footer(report),
        ]
        return page(title, "".join(parts))


def _subject_line(report: Report) -> str:
    subject = report.subject
    name = subject.name or "unnamed model"
    text = f"{name} version {subject.version}" if subject.version else name
    scope = [
        f"tier {subject.risk_tier}" if subject.risk_tier else "",
        f"stage {subject.stage}" if subject.stage else "",
    ]
    scope_text = ", ".join(s for s in scope if s)
    return text + (f" ({scope_text})" if scope_text else "")


def _header(report: Report) -> str:
    verdict = report.verdict
    advisory = " (advisory: exit 0)" if report.advisory and verdict == "fail" else ""
    subject = report.subject
    facts = [
        f"evaluated at {_text(report.evaluated_at)}",
        f"govgate {_text(report.govgate_version)}",
    ]
    if subject.git_commit:
        facts.insert(0, f"commit <code>{_text(subject.git_commit)}</code>")
    if subject.uri:
        facts.insert(0, f"<code>{_text(subject.uri)}</code>")
    s = report.summary
    counts = (
        f"{s.total} rule(s): {s.passed} passed, {s.fail} failed, {s.warn} warning(s), "
        f"{s.waived} waived, {s.error} error(s), {s.skipped} skipped"
    )
    return (
        f'<header>\n<h1 class="verdict-{verdict}">govgate: {_VERDICT[verdict]}{advisory}</h1>\n'
        f"<p><strong>{_text(_subject_line(report))}</strong></p>\n"
        f'<p class="meta">{" · ".join(facts)}</p>\n'
        f'<p id="counts">{counts}; exit code {report.exit_code}</p>\n</header>\n'
    )


def _errors(report: Report) -> str:
    if not report.errors:
        return ""
    items = "".join(f"<li>{_where(e.location)}{_text(e.message)}</li>\n" for e in report.errors)
    return (
        '<section id="errors">\n<h2>Errors: the gate could not evaluate</h2>\n'
        f"<ul>\n{items}</ul>\n</section>\n"
    )


def _where(location: Location | None) -> str:
    return f"<code>{_text(location)}</code>: " if location is not None else ""


def _findings(report: Report) -> str:
    if not report.findings:
        return (
            '<section id="findings">\n<h2>Findings</h2>\n<p>No rule was evaluated.</p>\n'
            "</section>\n"
        )
    ordered = sorted(report.findings, key=lambda f: _ORDER[f.status])  # stable: rule order kept
    rows = "".join(_row(n, f) for n, f in enumerate(ordered, 1))
    return (
        '<section id="findings">\n<h2>Findings</h2>\n<table>\n<thead><tr><th>Status</th>'
        "<th>Rule</th><th>Where</th><th>What was found</th><th>How to fix</th></tr></thead>\n"
        f"<tbody>\n{rows}</tbody>\n</table>\n</section>\n"
    )


def _row(number: int, finding: Finding) -> str:
    rule = f"<strong>{_text(finding.rule_id)}</strong>"
    rule = link(finding.help_uri, rule)
    rule += f'<br>{_text(finding.title)}<br><span class="meta">{_text(finding.severity)}'
    if finding.controls:
        rule += " · " + _text(", ".join(dict.fromkeys(finding.controls)))
    rule += "</span>"
    what = _text(finding.message) + _evidence(finding.evidence)
    if finding.exception is not None:
        waiver = finding.exception
        what += (
            f'<p class="meta">waived by {_text(waiver.id)}'
            + (f", approved by {_text(waiver.approved_by)}" if waiver.approved_by else "")
            + (f", until {_text(waiver.expires_on)}" if waiver.expires_on else "")
            + (f": {_text(waiver.reason)}" if waiver.reason else "")
            + "</p>"
        )
    where = f"<code>{_text(finding.location)}</code>" if finding.location is not None else ""
    fix = _text(finding.remediation) if finding.status not in ("pass", "skipped") else ""
    return (
        f'<tr id="finding-{number}" data-rule="{_text(finding.rule_id)}">'
        f'<td class="status status-{finding.status}">'
        f"{finding.status}</td><td>{rule}</td><td>{where}</td><td>{what}</td><td>{fix}</td></tr>\n"
    )


def _evidence(evidence: Iterable[Evidence]) -> str:
    items = [
        f"<li>{_where(e.location)}{_text(e.message)}</li>"
        for e in evidence
        if e.location is not None or e.message
    ]
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _exceptions(report: Report) -> str:
    summary = report.exceptions
    groups = [
        ("Applied", summary.applied),
        ("Expiring soon", summary.expiring_soon),
        ("Expired", summary.expired),
        ("Unused", summary.unused),
    ]
    rows = "".join(
        f"<tr><th>{label}</th><td>{_text(', '.join(ids))}</td></tr>\n"
        for label, ids in groups
        if ids
    )
    if not rows:
        return ""
    return (
        '<section id="exceptions">\n<h2>Exceptions</h2>\n'
        f"<table>\n<tbody>\n{rows}</tbody>\n</table>\n</section>\n"
    )


def _inputs(report: Report) -> str:
    if not report.inputs:
        return ""
    rows = "".join(
        f"<tr><td>{_text(i.kind)}</td><td><code>{_text(i.location)}</code></td>"
        f'<td class="digest">{_text(i.sha256 or "")}</td>'
        f"<td>{'' if i.size is None else i.size}</td>"
        f"<td>{_text(i.identity or '')}</td></tr>\n"
        for i in report.inputs
    )
    return (
        '<section id="inputs">\n<h2>Evidence read (inputs)</h2>\n<table>\n<thead><tr>'
        "<th>Kind</th><th>Location</th><th>sha256</th><th>Bytes</th><th>Identity</th></tr>"
        f"</thead>\n<tbody>\n{rows}</tbody>\n</table>\n</section>\n"
    )


def _footer(report: Report) -> str:
    lines = [f"report schema {_text(report.schema)}"]
    if report.policy_digest:
        lines.append(f"policy digest <code>{_text(report.policy_digest)}</code>")
    ci = report.ci
    if ci.provider != "local":
        lines.append(link(ci.run_url, f"CI {_text(ci.provider)} run"))
    lines.append(f"{report.duration_ms:.0f} ms")
    return f'<footer class="meta">\n<p>{" · ".join(lines)}</p>\n</footer>\n'
