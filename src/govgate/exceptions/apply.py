"""Which exceptions may waive what, decided once and used by every code path.

An exception waives a failing finding only if it names the rule and the model (and version
range), is approved by an authorised approver who is not its requester, has a reason and a
compensating control, lasts no longer than the tier allows, has not been renewed past the cap,
targets a waivable rule, and the evaluation time is before `expires_on`. Everything else about
it becomes a finding of its own: nothing silently disappears.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from govgate.config import ExceptionPolicy
from govgate.exceptions.model import ExceptionWaiver
from govgate.facts import ExceptionFacts, ExceptionState, Subject
from govgate.findings import (
    AppliedException,
    Evidence,
    ExceptionRecord,
    ExceptionsSummary,
    Finding,
)
from govgate.identity import identity, same_person
from govgate.location import Location
from govgate.rules.schema import RuleMeta
from govgate.utc import aware

INVALID_RULE = "EXCEPTION-INVALID"
EXPIRING_RULE = "EXCEPTION-EXPIRING"
_REMEDIATION_INVALID = (
    "Fix the exception (approver from exception_policy.approvers who is not the requester, a "
    "reason, a compensating control, a duration within the tier's limit), renew it with "
    "`govgate exceptions renew`, or close it and fix the finding it waived."
)
_REMEDIATION_EXPIRING = "Fix the waived finding, or renew the exception before it expires."


def assess(
    waiver: ExceptionWaiver,
    policy: ExceptionPolicy | None,
    subject: Subject,
    at: datetime,
    location: Location | None = None,
) -> ExceptionFacts:
    """The state of one exception at `at`, with every reason it cannot waive anything."""
    expires = aware(waiver.expires_on)
    days_left = (waiver.expires_on - at.date()).days
    problems = _problems(waiver, policy, subject)
    problems += _date_problems(waiver, at)
    state: ExceptionState
    if waiver.status == "closed":
        state = "closed"
    elif at >= expires:
        state = "expired"
        problems.insert(0, f"expired on {waiver.expires_on.isoformat()}")
    elif problems:
        state = "invalid"
    elif policy is not None and days_left <= policy.warn_days:
        state = "expiring"
    else:
        state = "active"
    return ExceptionFacts(
        id=waiver.id,
        rules=list(waiver.rules),
        state=state,
        expires_on=waiver.expires_on.isoformat(),
        days_left=days_left,
        requested_by=waiver.requested_by,
        approved_by=waiver.approved_by,
        reason=waiver.reason,
        problems=problems,
        location=location,
    )


def _problems(
    waiver: ExceptionWaiver, policy: ExceptionPolicy | None, subject: Subject
) -> list[str]:
    problems: list[str] = []
    if not waiver.reason.strip():
        problems.append("has no reason")
    if not any(c.strip() for c in waiver.compensating_controls):
        problems.append("has no compensating control")
    if not waiver.approved_by:
        problems.append("is not approved")
    elif policy is None:
        problems.append("cannot be approved: govgate.yaml has no exception_policy")
    elif identity(waiver.approved_by) not in {identity(a) for a in policy.approvers}:
        problems.append(f"approved by {waiver.approved_by}, who is not an exception approver")
    if same_person(waiver.approved_by, waiver.requested_by):
        problems.append("approved by its own requester")
    if waiver.approved_by and waiver.approved_on is None:
        problems.append("has no approved_on date")
    if policy is not None:
        problems += _duration_problems(waiver, policy, subject.risk_tier)
        if policy.max_renewals is not None and len(waiver.history) > policy.max_renewals:
            problems.append(
                f"renewed {len(waiver.history)} times; the cap is {policy.max_renewals}"
            )
    return problems


def _date_problems(waiver: ExceptionWaiver, at: datetime) -> list[str]:
    """An approval cannot come after the evaluation it waives for, nor after its own expiry:
    either would let a waiver outlast what the tier allows, or apply again under --at."""
    approved = waiver.approved_on
    if approved is None:
        return []
    problems = []
    if approved > at.date():
        problems.append(
            f"approved on {approved.isoformat()}, after the evaluation time "
            f"({at.date().isoformat()}): a future approval waives nothing"
        )
    if approved > waiver.expires_on:
        problems.append(
            f"approved on {approved.isoformat()}, after it expires on "
            f"{waiver.expires_on.isoformat()}"
        )
    return problems


def _duration_problems(waiver: ExceptionWaiver, policy: ExceptionPolicy, tier: str) -> list[str]:
    limit = policy.max_days.get(tier)
    if limit is None:
        return [f"exception_policy.max_days sets no limit for tier {tier!r}"]
    start: date | None = waiver.approved_on
    if start is None:
        return []
    days = (waiver.expires_on - start).days
    if days > limit:
        return [f"lasts {days} days from approval; tier {tier} allows at most {limit}"]
    return []


def applies_to(waiver: ExceptionWaiver, subject: Subject) -> bool:
    names = {identity(m) for m in waiver.models}
    return identity(subject.name) in names and waiver.covers_version(subject.version)


@dataclass(frozen=True)
class Waived:
    findings: list[Finding]
    summary: ExceptionsSummary


def apply_exceptions(
    findings: list[Finding],
    rules: Mapping[str, RuleMeta],
    waivers: list[ExceptionWaiver],
    assessed: list[ExceptionFacts],
) -> Waived:
    """Waive what valid exceptions cover; add a finding for every exception that is not valid."""
    by_id = {w.id: w for w in waivers}
    usable = {a.id: a for a in assessed if a.state in ("active", "expiring")}
    used: set[str] = set()
    extra: list[Finding] = []
    result: list[Finding] = []
    for finding in findings:
        if finding.status not in ("fail", "warn"):
            result.append(finding)
            continue
        match = next((usable[i] for i in usable if finding.rule_id in usable[i].rules), None)
        rule = rules.get(finding.rule_id)
        if match is None:
            result.append(finding)
        elif rule is not None and not rule.waivable:
            result.append(finding)
            extra.append(_not_waivable(match, finding))
            used.add(match.id)
        else:
            used.add(match.id)
            waiver = by_id[match.id]
            result.append(
                replace(
                    finding,
                    status="waived",
                    message=f"{finding.message} (waived by {match.id} until {match.expires_on})",
                    exception=AppliedException(
                        id=match.id,
                        approved_by=waiver.approved_by,
                        expires_on=match.expires_on,
                        reason=waiver.reason,
                    ),
                )
            )
    for item in assessed:
        if item.state in ("expired", "invalid"):
            extra.append(_hygiene(item, INVALID_RULE, "fail", "; ".join(item.problems)))
        elif item.state == "expiring":
            extra.append(
                _hygiene(
                    item,
                    EXPIRING_RULE,
                    "warn",
                    f"expires in {item.days_left} day(s), on {item.expires_on}",
                )
            )
    summary = ExceptionsSummary(
        applied=sorted(used & set(usable)),
        expiring_soon=sorted(a.id for a in assessed if a.state == "expiring"),
        expired=sorted(a.id for a in assessed if a.state == "expired"),
        unused=sorted(set(usable) - used),
        details=[_record(by_id[a.id], a, a.id in used) for a in assessed if a.id in by_id],
    )
    return Waived(findings=result + extra, summary=summary)


def _record(waiver: ExceptionWaiver, item: ExceptionFacts, used: bool) -> ExceptionRecord:
    return ExceptionRecord(
        id=waiver.id,
        state=item.state,
        used=used,
        rules=list(waiver.rules),
        models=list(waiver.models),
        versions=waiver.versions,
        reason=waiver.reason,
        compensating_controls=list(waiver.compensating_controls),
        requested_by=waiver.requested_by,
        approved_by=waiver.approved_by,
        approved_on=waiver.approved_on.isoformat() if waiver.approved_on else None,
        expires_on=item.expires_on,
        days_left=item.days_left,
        ticket=waiver.ticket,
        problems=list(item.problems),
        location=item.location,
    )


def _hygiene(item: ExceptionFacts, rule_id: str, status: str, detail: str) -> Finding:
    blocking = status == "fail"
    return Finding(
        rule_id=rule_id,
        title="Exception is valid" if blocking else "Exception expires soon",
        severity="blocking" if blocking else "warning",
        status="fail" if blocking else "warn",
        message=f"exception {item.id}: {detail}",
        remediation=_REMEDIATION_INVALID if blocking else _REMEDIATION_EXPIRING,
        location=item.location,
        evidence=[Evidence(message=f"exception {item.id}: {detail}", location=item.location)],
    )


def _not_waivable(item: ExceptionFacts, finding: Finding) -> Finding:
    detail = f"tries to waive {finding.rule_id}, which is not waivable"
    return Finding(
        rule_id=INVALID_RULE,
        title="Exception is valid",
        severity="blocking",
        status="fail",
        message=f"exception {item.id}: {detail}",
        remediation="Remove the rule from the exception: only fixing the finding clears it.",
        location=item.location,
        evidence=[Evidence(message=detail, location=item.location)],
    )
