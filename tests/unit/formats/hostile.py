"""A report whose every text field holds something that would act if it were not escaped: a
script, an image with an error handler, a `javascript:` link, control characters, bidi
overrides. Shared by the html5lib test and the browser tests of report.html."""

from __future__ import annotations

from dataclasses import replace

from govgate.approvals.review import JudgedApproval, RoleApprovals
from govgate.facts import CiFacts
from govgate.findings import AppliedException, Evidence, ExceptionRecord, ExceptionsSummary, Finding
from govgate.location import Location
from govgate.report import Report, ReportError
from govgate.sources.base import Input
from tests.unit.formats.conftest import synthetic_report

# Each sets window.__pwned if it ever runs.
SCRIPT = "<script>window.__pwned='script'</script>"
IMAGE = "<img src=x onerror=\"window.__pwned='img'\">"
JS_LINK = "javascript:window.__pwned='link'"
ANCHOR = f'<a href="{JS_LINK}">click</a>'
CONTROLS = "bell\x07 escape\x1b[31m nul\x00 del\x7f"
BIDI = "admin\u202egnp.exe\u2066isolate\u2069"
HOSTILE = f"{SCRIPT} {IMAGE} {ANCHOR} </td></tr></table></dl> \"'& {CONTROLS} {BIDI}"
LONG_WORD = "x" * 400  # one unbreakable word: must wrap, not widen the page


def hostile(label: str) -> str:
    return f"{label} {HOSTILE} {LONG_WORD}"


def hostile_report() -> Report:
    base = synthetic_report()
    where = Location(path=hostile("path"), line=3, column=4, key_path=hostile("key"))

    def finding(rule_id: str, status: str, **fields: object) -> Finding:
        return Finding(
            rule_id=f"{rule_id} {HOSTILE}",
            title=hostile("title"),
            severity="blocking",
            status=status,  # type: ignore[arg-type]
            message=hostile("message"),
            remediation=hostile("remediation"),
            controls=[hostile("control"), hostile("control 2")],
            location=where,
            evidence=[Evidence(message=hostile(f"evidence {n}"), location=where) for n in range(7)],
            help_uri=JS_LINK,
            **fields,  # type: ignore[arg-type]
        )

    exception = ExceptionRecord(
        id=hostile("exception"),
        state="expiring",
        used=True,
        rules=[hostile("rule")],
        models=[hostile("model")],
        versions=hostile("versions"),
        reason=hostile("reason"),
        compensating_controls=[hostile("compensating")],
        requested_by=hostile("requester"),
        approved_by=hostile("approver"),
        approved_on=hostile("approved on"),
        expires_on=hostile("expires"),
        days_left=3,
        ticket=hostile("ticket"),
        problems=[hostile("problem")],
        location=where,
    )
    approval = JudgedApproval(
        by=hostile("approver"),
        source=hostile("source"),
        status="void",
        role=hostile("role"),
        on=hostile("when"),
        evidence_digest=hostile("digest"),
        artifacts=[hostile("artifact")],
        ref=hostile("ref"),
        reason=hostile("void reason"),
        location=where,
    )
    return replace(
        base,
        evaluated_at=hostile("time"),
        subject=replace(
            base.subject,
            name=hostile("name"),
            version=hostile("version"),
            uri=hostile("uri"),
            risk_tier=hostile("tier"),
            stage=hostile("stage"),
            git_commit=hostile("commit"),
        ),
        policy_digest=hostile("policy"),
        evidence_digest=hostile("evidence digest"),
        inputs=[Input(kind="artifact", location=hostile("input"), sha256=hostile("sha"), size=12)],
        findings=[
            finding("EVIL-FAIL", "fail"),
            finding("EVIL-ERROR", "error"),
            finding("EVIL-WARN", "warn"),
            finding(
                "EVIL-WAIVED",
                "waived",
                exception=AppliedException(
                    id=exception.id, approved_by=hostile("approver"), reason=hostile("reason")
                ),
            ),
            finding("EVIL-PASS", "pass"),
            finding("EVIL-SKIP", "skipped"),
        ],
        exceptions=ExceptionsSummary(applied=[exception.id], details=[exception]),
        approvals=[
            RoleApprovals(
                rule_id=hostile("approvals rule"),
                role=hostile("role"),
                required=2,
                valid=0,
                satisfied=False,
                approvals=[approval],
            )
        ],
        errors=[ReportError(message=hostile("error"), location=where)],
        ci=CiFacts(
            provider="github",
            repository=hostile("repo"),
            sha=hostile("sha"),
            run_url=JS_LINK,
        ),
    )
