"""report.html's governance sections: the waivers in force or refused, the approvals role by
role, the evidence with how to check it, and the framework controls the run covered.

Each value is escaped with `text`; ids and anchors are built from positions, never from user
text, so they stay unique and inert.
"""

from __future__ import annotations

from govgate.approvals.review import JudgedApproval, RoleApprovals
from govgate.findings import ExceptionRecord
from govgate.formats import review
from govgate.formats.page import link, text
from govgate.formats.places import place
from govgate.report import Report

_REFUSED = ("expired", "invalid")


def anchor(target: str, label: str) -> str:
    """An in-page link; `target` is an id this module or html.py made, `label` is HTML."""
    return f'<a href="#{target}">{label}</a>'


def section(key: str, content: str, intro: str = "") -> str:
    """One section of the page, under the heading both reviewer views give it."""
    lead = f"<p>{intro}</p>\n" if intro else ""
    return (
        f'<section id="{key}" aria-labelledby="{key}-title">\n'
        f'<h2 id="{key}-title">{review.HEADINGS[key]}</h2>\n{lead}{content}</section>\n'
    )


def _fields(pairs: list[tuple[str, str]]) -> str:
    rows = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in pairs if value)
    return f'<dl class="fields">{rows}</dl>\n'


def _ordered(report: Report) -> list[ExceptionRecord]:
    """Refused ones first (they block), then those running out, then the rest."""
    rank = {"expired": 0, "invalid": 0, "expiring": 1, "active": 2, "closed": 3}
    return sorted(report.exceptions.details, key=lambda r: rank[r.state])


def exception_anchors(report: Report) -> dict[str, tuple[str, str]]:
    """Exception file position -> (card id, label): where an EXCEPTION-* finding points."""
    anchors: dict[str, tuple[str, str]] = {}
    for n, record in enumerate(_ordered(report), 1):
        if record.location is not None:
            anchors[str(record.location)] = (f"exception-{n}", f"exception {record.id} (Waivers)")
    return anchors


def waivers_section(report: Report) -> str:
    records = _ordered(report)
    cards = "".join(_waiver(f"exception-{n}", r, report) for n, r in enumerate(records, 1))
    listed = {r.id for r in records}
    orphans = [
        f
        for f in report.findings
        if f.status == "waived" and (f.exception is None or f.exception.id not in listed)
    ]
    if orphans:
        items = "".join(
            f'<li data-rule="{text(f.rule_id)}"><span class="rule-id">{text(f.rule_id)}</span> '
            f"{text(f.title)}: {text(f.message)}"
            + (f" (exception {text(f.exception.id)})" if f.exception else "")
            + "</li>"
            for f in orphans
        )
        cards += f"<h3>Waived findings</h3>\n<ul>{items}</ul>\n"
    if not cards:
        return section("waivers", "", "No exception applies to this model version.")
    used = len(report.exceptions.applied)
    refused = sum(r.state in _REFUSED for r in records)
    intro = (
        f"{len(records)} exception(s) for this model: {used} used in this run, "
        f"{refused} expired or invalid."
    )
    return section("waivers", cards, intro)


def _waiver(card_id: str, record: ExceptionRecord, report: Report) -> str:
    waived = review.waived_by(report, record)
    waived_items = "".join(
        f'<li data-rule="{text(f.rule_id)}"><span class="rule-id">{text(f.rule_id)}</span> '
        f"{text(f.title)}: {text(f.message)}</li>"
        for f in waived
    )
    problems = "".join(f"<li>{text(p)}</li>" for p in record.problems)
    controls = "".join(f"<li>{text(c)}</li>" for c in record.compensating_controls)
    where = place(record.location, report.ci) if record.location is not None else None
    scope = ", ".join(record.models) + (
        f", versions {record.versions}" if record.versions else ", every version"
    )
    expires = f"{text(record.expires_on)} ({text(review.days_left(record))})"
    pairs = [
        ("Waives rules", text(", ".join(record.rules))),
        ("Waived in this run", f"<ul>{waived_items}</ul>" if waived_items else "nothing"),
        ("Scope", text(scope)),
        ("Reason", text(record.reason) or "none given"),
        ("Compensating controls", f"<ul>{controls}</ul>" if controls else "none given"),
        ("Requested by", text(record.requested_by)),
        ("Approved by", text(record.approved_by or "not approved")),
        ("Ticket", text(record.ticket or "none")),
        ("Start", text(record.approved_on or "not approved")),
        ("Expires", expires),
        ("Why it waives nothing", f"<ul>{problems}</ul>" if problems else ""),
        ("Defined in", link(where.url, text(where.label)) if where else ""),
    ]
    tone = "fail" if record.state in _REFUSED else "warn" if record.state == "expiring" else "ok"
    return (
        f'<article class="card card-{tone}" id="{card_id}" aria-labelledby="{card_id}-title">\n'
        f'<h3 id="{card_id}-title"><span class="badge badge-{record.state}">'
        f"{text(record.state)}</span>{text(record.id)}: {text(review.exception_state(record))}"
        f"</h3>\n{_fields(pairs)}</article>\n"
    )


def approvals_section(report: Report) -> str:
    if not report.approvals:
        return section("approvals", "", review.NO_APPROVALS)
    current = report.evidence_digest
    intro = (
        "Each role the risk tier requires, with every sign-off seen for it. The evidence as "
        f"checked now has digest <code>{text(current)}</code>: an approval bound to another "
        "digest approved different evidence."
        if current
        else "Each role the risk tier requires, with every sign-off seen for it."
    )
    cards = "".join(_role(f"role-{n}", role, current) for n, role in enumerate(report.approvals, 1))
    return section("approvals", cards, intro)


def _role(card_id: str, role: RoleApprovals, current: str | None) -> str:
    state = "met" if role.satisfied else "missing"
    heading = (
        f'<span class="badge badge-{state}">{"met" if role.satisfied else "not met"}</span>'
        f"{text(role.role)}: {role.valid} of {role.required} valid approval(s)"
    )
    if role.approvals:
        rows = "".join(_approval_row(a, current) for a in role.approvals)
        body = (
            '<table class="stack">\n<thead><tr><th scope="col">Approver</th>'
            '<th scope="col">When</th><th scope="col">Source</th>'
            '<th scope="col">Evidence approved</th><th scope="col">Status</th>'
            f'<th scope="col">Why</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n'
        )
    else:
        body = "<p>No approval was found for this role.</p>\n"
    return (
        f'<article class="card card-{"ok" if role.satisfied else "fail"}" id="{card_id}" '
        f'aria-labelledby="{card_id}-title">\n<h3 id="{card_id}-title">{heading}</h3>\n'
        f'<p class="meta">Required by rule <span class="rule-id">{text(role.rule_id)}</span></p>\n'
        f"{body}</article>\n"
    )


def _approval_row(approval: JudgedApproval, current: str | None) -> str:
    if approval.evidence_digest:
        digest = (
            f'<span class="digest">{text(review.short_digest(approval.evidence_digest))}</span>'
        )
        if current:
            same = approval.evidence_digest == current
            digest += " (the evidence checked now)" if same else " (not the evidence checked now)"
    elif approval.artifacts:
        digest = "artifacts " + text(", ".join(approval.artifacts))
    else:
        digest = "none recorded"
    source = approval.source + (f", {approval.ref}" if approval.ref else "")
    return (
        f'<tr><th scope="row" data-label="Approver">{text(approval.by)}</th>'
        f'<td data-label="When">{text(review.readable_time(approval.on) or "undated")}</td>'
        f'<td data-label="Source">{text(source)}</td>'
        f'<td data-label="Evidence approved">{digest}</td>'
        f'<td data-label="Status"><span class="badge badge-{approval.status}">'
        f"{approval.status}</span></td>"
        f'<td data-label="Why">{text(approval.reason or "counts")}</td></tr>\n'
    )


def evidence_section(report: Report) -> str:
    digests = [
        ("Policy digest (every rule pack)", report.policy_digest),
        ("Evidence digest (every artifact)", report.evidence_digest),
    ]
    listed = "".join(
        f'<dt>{label}</dt><dd><span class="digest">{text(value)}</span></dd>'
        for label, value in digests
        if value
    )
    rows = "".join(
        f'<tr><td data-label="Kind">{text(i.kind)}</td>'
        f'<th scope="row" data-label="Input"><code>{text(i.location)}</code>'
        + (f" ({text(i.name)})" if i.name and i.name != i.location else "")
        + "</th>"
        f'<td data-label="sha256"><span class="digest">{text(i.sha256 or "none")}</span></td>'
        f'<td data-label="Bytes">{"—" if i.size is None else i.size}</td></tr>\n'
        for i in report.inputs
    )
    table = (
        (
            '<table class="stack">\n<caption>Every input the verdict depends on</caption>\n'
            '<thead><tr><th scope="col" style="width:7rem">Kind</th>'
            '<th scope="col">Input</th><th scope="col">sha256</th>'
            f'<th scope="col" style="width:6rem">Bytes</th></tr></thead>\n<tbody>\n{rows}'
            "</tbody>\n</table>\n"
        )
        if rows
        else "<p>No input was read.</p>\n"
    )
    verify = (
        "<p>To check that this folder is the one the gate wrote (every file against "
        "<code>manifest.sha256</code>, the attestation against the files and inputs):</p>\n"
        "<pre><code>govgate verify govgate-report/</code></pre>\n"
    )
    digests_html = f'<dl class="fields">{listed}</dl>\n' if listed else ""
    return section("evidence", digests_html + table + verify)


def controls_section(report: Report) -> str:
    covered = review.controls(report)
    if not covered:
        return section("controls", "", "The rules evaluated name no framework control.")
    badge = {"met": "met", "not met": "fail", "not checked": "skipped"}
    rows = "".join(
        f'<tr><th scope="row" data-label="Control">{text(c.control)}</th>'
        f'<td data-label="Rules">{text(", ".join(c.rules))}</td>'
        f'<td data-label="Result"><span class="badge badge-{badge.get(c.outcome, "warn")}">'
        f"{text(c.outcome)}</span></td></tr>\n"
        for c in covered
    )
    met = sum(c.outcome.startswith("met") for c in covered)
    return section(
        "controls",
        '<table class="stack">\n<thead><tr><th scope="col">Control</th><th scope="col">Rules'
        '</th><th scope="col" style="width:11rem">Result</th></tr></thead>\n'
        f"<tbody>\n{rows}</tbody>\n</table>\n",
        f"{len(covered)} control(s) named by the rules; {met} met in this run.",
    )
