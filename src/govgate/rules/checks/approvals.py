"""`approvals`: the right people signed off on this release, and their sign-off still holds.

An approval counts for a role only if its author is in that role's roster, it approves (not
rejects), it covers this model and version, it is recent enough, nothing it was bound to has
changed since (at the tiers `require_evidence` names it must have recorded what it approved),
and its author did not also write the change, create the model version, or request an exception
for it.
"""

from __future__ import annotations

from datetime import timedelta

from govgate.approvals.model import Approval
from govgate.approvals.review import ApprovalStatus, JudgedApproval, RoleApprovals
from govgate.findings import Evidence, Outcome
from govgate.identity import identity, same_person
from govgate.rules.checks.base import CheckContext
from govgate.rules.schema import ApprovalsCheck, RoleRequirement

REVIEW_SOURCES = frozenset({"github", "gitlab"})


def check_approvals(check: ApprovalsCheck, ctx: CheckContext) -> Outcome:
    tier = ctx.facts.subject.risk_tier
    roles = review_roles(check, ctx, rule_id="")
    if not roles:
        return Outcome.passed(f"no approvals required for tier {tier}")
    notes = [_void(a) for role in roles for a in role.approvals if a.status == "void"]
    missing = [_shortfall(role) for role in roles if not role.satisfied]
    if missing:
        return Outcome.failed("; ".join(missing), *(Evidence(message=m) for m in missing), *notes)
    granted = [f"{role.role} x{role.required}" for role in roles]
    return Outcome.passed(f"approved by {', '.join(granted)}", *notes)


def review_roles(check: ApprovalsCheck, ctx: CheckContext, rule_id: str) -> list[RoleApprovals]:
    """Each role the subject's tier requires, with every approval judged for it: the one
    judgement both the check's outcome and the report's Approvals section are made from."""
    tier = ctx.facts.subject.risk_tier
    requirements = check.required.get(tier, check.required.get("*", []))
    return [_role(requirement, check, ctx, rule_id) for requirement in requirements]


def _shortfall(role: RoleApprovals) -> str:
    rejected_by = [a.by for a in role.approvals if a.status == "rejected"]
    if rejected_by:
        return f"{role.role} needs approval but {', '.join(rejected_by)} rejected it"
    return f"{role.role} needs {role.required} approval(s), has {role.valid} valid"


def _role(
    requirement: RoleRequirement, check: ApprovalsCheck, ctx: CheckContext, rule_id: str
) -> RoleApprovals:
    roster = {identity(m) for m in ctx.facts.roles.get(requirement.role, [])}
    judged: list[JudgedApproval] = []
    approvers: set[str] = set()
    for approval in ctx.facts.approvals:
        if approval.role not in (None, requirement.role):
            continue
        if identity(approval.by) not in roster:
            if approval.role == requirement.role:
                outside = f"{approval.by} is not in the {requirement.role} roster"
                judged.append(_judged(approval, "void", outside))
            continue
        reason = _void_reason(approval, check, ctx)
        if reason:
            judged.append(_judged(approval, "void", reason))
        elif approval.decision == "rejected":
            judged.append(_judged(approval, "rejected"))
        elif identity(approval.by) in approvers:
            duplicate = f"is a duplicate: {approval.by} already approved as {requirement.role}"
            judged.append(_judged(approval, "void", duplicate))
        else:
            approvers.add(identity(approval.by))
            judged.append(_judged(approval, "valid"))
    rejected = any(a.status == "rejected" for a in judged)
    return RoleApprovals(
        rule_id=rule_id,
        role=requirement.role,
        required=requirement.count,
        valid=len(approvers),
        satisfied=not rejected and len(approvers) >= requirement.count,
        approvals=judged,
    )


def _judged(
    approval: Approval, status: ApprovalStatus, reason: str | None = None
) -> JudgedApproval:
    return JudgedApproval(
        by=approval.by,
        source=approval.source,
        status=status,
        role=approval.role,
        on=approval.on.isoformat() if approval.on is not None else None,
        evidence_digest=approval.evidence_digest,
        artifacts=sorted(approval.artifacts),
        ref=approval.ref,
        reason=reason,
        location=approval.location,
    )


def _void_reason(approval: Approval, check: ApprovalsCheck, ctx: CheckContext) -> str | None:
    facts = ctx.facts
    subject = facts.subject
    if approval.model and identity(approval.model) != identity(subject.name):
        return f"covers model {approval.model}, not {subject.name}"
    if approval.version and subject.version is None:
        return (
            f"covers version {approval.version}, but the version under review is unknown "
            "(resolve the model URI in the registry, or set model.version)"
        )
    if approval.version and approval.version != subject.version:
        return f"covers version {approval.version}, not {subject.version}"
    if approval.on is not None and approval.on > ctx.at:
        return (
            f"is dated {approval.on.date().isoformat()}, after the evaluation time "
            f"({ctx.at.date().isoformat()}): a future approval proves nothing yet"
        )
    if check.max_age_days is not None:
        if approval.on is None:
            return "has no date, so its age cannot be checked"
        if ctx.at - approval.on > timedelta(days=check.max_age_days):
            return f"is from {approval.on.date().isoformat()}, older than {check.max_age_days} days"
    if check.bind_to_evidence:
        changed = [
            name
            for name, digest in approval.artifacts.items()
            if name not in facts.artifacts or facts.artifacts[name].sha256 != digest
        ]
        if changed:
            return (
                f"is void: the evidence changed after it was given ({', '.join(sorted(changed))} "
                "changed)"
            )
        if approval.evidence_digest and approval.evidence_digest != facts.evidence_digest:
            return "is void: the evidence changed after it was given (evidence digest differs)"
        if _must_record_evidence(approval, check, subject.risk_tier) and not (
            approval.evidence_digest or approval.artifacts
        ):
            return "records no evidence digest: approve with `govgate approve`"
    authorship = _authorship(approval, check, subject.risk_tier)
    if authorship:
        return authorship
    if check.separation_of_duties:
        conflict = _conflict(approval.by, ctx)
        if conflict:
            return f"is void: {approval.by} is also {conflict}"
    return None


def _authorship(approval: Approval, check: ApprovalsCheck, tier: str) -> str | None:
    """An entry anyone with write access could have typed counts only as its approver's own
    commit (and, at the tiers `require_signed` names, their signed commit)."""
    trace = approval.provenance
    if approval.source != "file" or not check.verify_authors:
        return None
    if trace is None:
        return f"cannot be traced to {approval.by}: no record of who committed it"
    if trace.unattributed:
        return f"cannot be traced to {approval.by}: {trace.unattributed}"
    if trace.others:
        return (
            f"was committed by {', '.join(trace.others)}, not by {approval.by}: an approvals "
            "entry counts only when its approver commits it"
        )
    if tier in check.require_signed and trace.unsigned:
        return f"is not signed by {approval.by}: {', '.join(trace.unsigned)}"
    return None


def _must_record_evidence(approval: Approval, check: ApprovalsCheck, tier: str) -> bool:
    """At the tiers the check names, an approval that records no digest approves nothing in
    particular: the evidence could be swapped after it and it would still count. A review of the
    pull/merge request is exempt: the code host binds it to the change that holds the evidence."""
    return tier in check.require_evidence and approval.source not in REVIEW_SOURCES


def _conflict(who: str, ctx: CheckContext) -> str | None:
    facts = ctx.facts
    if facts.change and same_person(facts.change.author, who):
        return "the author of the change"
    if facts.mlflow and same_person(facts.mlflow.version.creator, who):
        return "the creator of the model version"
    if any(same_person(e.requested_by, who) for e in facts.exceptions):
        return "the requester of an exception"
    return None


def _void(approval: JudgedApproval) -> Evidence:
    return Evidence(
        message=f"{approval.source} approval by {approval.by} ({approval.role or 'review'}) "
        f"{approval.reason}",
        location=approval.location,
    )
