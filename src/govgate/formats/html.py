"""`report.html`: one self-contained page for the person who decides whether a model version is
released, laid out in the order of that decision: the verdict and counts, what blocks the
release, warnings, waivers, approvals, the evidence and how to check it, the controls covered,
and the rules that passed or did not apply, folded away at the end.

Every value is HTML-escaped (text and attributes alike; control and bidi characters shown as
escapes) and the page shell (formats/page.py) loads and runs nothing, so text from a rule pack,
a model card or a registry cannot become markup or script. Links are rules' `help_uri`, repo
files at the CI commit (formats/places.py), http(s) locations, the CI run, and in-page anchors.
"""

from __future__ import annotations

from govgate.findings import Evidence, Finding
from govgate.formats import review
from govgate.formats.base import Format
from govgate.formats.html_governance import (
    anchor,
    approvals_section,
    controls_section,
    evidence_section,
    exception_anchors,
    section,
    waivers_section,
)
from govgate.formats.html_style import STYLE
from govgate.formats.page import link, page, text
from govgate.formats.places import is_rule_position, place
from govgate.location import Location
from govgate.report import Report

_VERDICT = {"pass": "PASS", "fail": "FAIL", "error": "ERROR"}
_LEAD = {
    "pass": "Every applicable blocking rule passed: nothing blocks this release.",
    "fail": "A blocking rule failed: this release must not go ahead until it is fixed or waived.",
    "error": "The gate could not check everything, so this is not a pass: fix the errors first.",
}
_BADGE = {"fail": "Fail", "error": "Error", "warn": "Warning", "pass": "Pass", "skipped": "Skip"}
SHOWN_EVIDENCE = 5  # more are folded into a <details>


class HtmlFormat(Format):
    name = "html"
    filename = "report.html"

    def render(self, report: Report) -> bytes:
        title = f"govgate: {_VERDICT[report.verdict]} · {_subject_line(report)}"
        main = [
            _errors(report),
            _blocking(report),
            _warnings(report),
            waivers_section(report),
            approvals_section(report),
            evidence_section(report),
            controls_section(report),
            _settled(report),
        ]
        body = (
            _banner(report)
            + '<div class="wrap">\n'
            + _nav(report)
            + "<main>\n"
            + "".join(main)
            + "</main>\n"
            + _footer(report)
            + "</div>\n"
        )
        return page(title, body, STYLE)


def _subject_line(report: Report) -> str:
    subject = report.subject
    name = subject.name or "unnamed model"
    text_ = f"{name} version {subject.version}" if subject.version else name
    scope = [
        f"tier {subject.risk_tier}" if subject.risk_tier else "",
        f"stage {subject.stage}" if subject.stage else "",
    ]
    scope_text = ", ".join(s for s in scope if s)
    return text_ + (f" ({scope_text})" if scope_text else "")


def _banner(report: Report) -> str:
    verdict = report.verdict
    advisory = " (advisory: exit 0)" if report.advisory and verdict == "fail" else ""
    subject = report.subject
    facts = [
        ("Model", subject.name),
        ("Version", subject.version),
        ("Risk tier", subject.risk_tier),
        ("Stage", subject.stage),
        ("Commit", subject.git_commit[:12] if subject.git_commit else None),
        ("Evaluated", review.readable_time(report.evaluated_at)),
        ("Exit code", str(report.exit_code)),
    ]
    shown = "".join(
        f"<div><dt>{label}</dt><dd>{text(value)}</dd></div>" for label, value in facts if value
    )
    uri = f'<p class="uri">Model URI <code>{text(subject.uri)}</code></p>\n' if subject.uri else ""
    tiles = "".join(
        f'<li class="tile tile-{t.tone}"><span class="count">{t.count}</span> {t.label}</li>'
        for t in review.tiles(report)
    )
    return (
        f'<header class="banner banner-{verdict}">\n<div class="wrap">\n'
        f"<h1>govgate: {_VERDICT[verdict]}{advisory}</h1>\n"
        f'<p class="subject">{text(_subject_line(report))}</p>\n'
        f'<p class="lead">{_LEAD[verdict]}</p>\n'
        f'<dl class="facts">{shown}</dl>\n{uri}</div>\n</header>\n'
        f'<div class="wrap">\n<ul class="tiles" aria-label="Rules by outcome">{tiles}</ul>\n'
        "</div>\n"
    )


def _nav(report: Report) -> str:
    items = [
        f'<li><a href="#{key}">{heading}</a></li>'
        for key, heading in review.SECTIONS
        if key != "errors" or report.errors
    ]
    return f'<nav aria-label="Sections">\n<ul>{"".join(items)}</ul>\n</nav>\n'


def _errors(report: Report) -> str:
    if not report.errors:
        return ""
    items = "".join(
        f"<li>{_place_prefix(e.location, report)}{text(e.message)}</li>\n" for e in report.errors
    )
    return section("errors", f"<ul>\n{items}</ul>\n")


def _place_prefix(location: Location | None, report: Report) -> str:
    if location is None:
        return ""
    where = place(location, report.ci)
    return f"{link(where.url, text(where.label))}: "


def _blocking(report: Report) -> str:
    found = review.blocking(report)
    if not found:
        return section("blocking", "", "Nothing: no blocking rule failed or errored.")
    cards = "".join(_card(f"blocking-{n}", f, report) for n, f in enumerate(found, 1))
    return section("blocking", cards, f"{len(found)} rule(s), each with what to do about it.")


def _warnings(report: Report) -> str:
    found = review.warnings(report)
    if not found:
        return section("warnings", "", "None.")
    cards = "".join(_card(f"warning-{n}", f, report) for n, f in enumerate(found, 1))
    return section("warnings", cards, "These do not block the release; they will if ignored.")


def _card(card_id: str, finding: Finding, report: Report) -> str:
    status = finding.status
    fields = [
        ("What was found", _found(finding, report)),
        ("Where", _where(finding, report)),
        ("How to fix", text(finding.remediation) if finding.remediation else "—"),
        ("Controls", text(", ".join(dict.fromkeys(finding.controls))) or "none named"),
        ("Severity", text(finding.severity)),
    ]
    rows = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in fields)
    more = (
        f"<p>{link(finding.help_uri, f'About {text(finding.rule_id)}')}</p>\n"
        if finding.help_uri and finding.help_uri.startswith(("https://", "http://"))
        else ""
    )
    return (
        f'<article class="card card-{status}" id="{card_id}" data-rule="{text(finding.rule_id)}"'
        f' aria-labelledby="{card_id}-title">\n'
        f'<h3 id="{card_id}-title"><span class="badge badge-{status}">{_BADGE[status]}</span>'
        f'<span class="rule-id">{text(finding.rule_id)}</span> {text(finding.title)}</h3>\n'
        f'<dl class="fields">{rows}</dl>\n{more}</article>\n'
    )


def _found(finding: Finding, report: Report) -> str:
    evidence = [e for e in finding.evidence if not _repeats(e, finding)]
    items = [f"<li>{_place_prefix(e.location, report)}{text(e.message)}</li>" for e in evidence]
    shown = "".join(items[:SHOWN_EVIDENCE])
    folded = ""
    if len(items) > SHOWN_EVIDENCE:
        folded = (
            f"<details><summary>{len(items) - SHOWN_EVIDENCE} more</summary>"
            f"<ul>{''.join(items[SHOWN_EVIDENCE:])}</ul></details>"
        )
    listed = f"<ul>{shown}</ul>{folded}" if items else ""
    return f"<p>{text(finding.message)}</p>{listed}"


def _repeats(evidence: Evidence, finding: Finding) -> bool:
    """Evidence that only restates the message, or one part of a message joined with `; `."""
    if evidence.location not in (None, finding.location):
        return False
    return evidence.message == finding.message or (
        evidence.location is None and evidence.message in finding.message.split("; ")
    )


def _where(finding: Finding, report: Report) -> str:
    if any(role.rule_id == finding.rule_id for role in report.approvals):
        return anchor("approvals", "the approvals listed under Approvals")
    exceptions = exception_anchors(report)
    if finding.location is not None and str(finding.location) in exceptions:
        target, label = exceptions[str(finding.location)]
        return anchor(target, text(label))
    if finding.location is None:
        return "—"
    if is_rule_position(finding.location):
        return "no single file: the rule judges the facts gathered for this model"
    where = place(finding.location, report.ci)
    return link(where.url, text(where.label))


def _settled(report: Report) -> str:
    found = review.settled(report)
    if not found:
        return section("settled", "", "None.")
    passed = sum(f.status == "pass" for f in found)
    rows = "".join(
        f'<tr data-rule="{text(f.rule_id)}"><td data-label="Outcome">'
        f'<span class="badge badge-{f.status}">{_BADGE[f.status]}</span></td>'
        f'<th scope="row" data-label="Rule"><span class="rule-id">{text(f.rule_id)}</span></th>'
        f'<td data-label="Title">{text(f.title)}</td>'
        f'<td data-label="Why">{text(f.message)}</td></tr>\n'
        for f in found
    )
    table = (
        '<table class="stack">\n<thead><tr><th scope="col" style="width:7rem">Outcome</th>'
        '<th scope="col" style="width:12rem">Rule</th><th scope="col">Title</th>'
        f'<th scope="col">Why</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n'
    )
    summary = f"Show {passed} passed and {len(found) - passed} skipped rule(s)"
    return section("settled", f"<details>\n<summary>{summary}</summary>\n{table}</details>\n")


def _footer(report: Report) -> str:
    lines = [
        f"govgate {text(report.govgate_version)}",
        f"report schema {text(report.schema)}",
        f"evaluated in {report.duration_ms:.0f} ms",
    ]
    ci = report.ci
    if ci.provider != "local":
        lines.append(link(ci.run_url, f"CI {text(ci.provider)} run"))
    return f"<footer>\n<p>{' · '.join(lines)}. Full data: report.json.</p>\n</footer>\n"
