"""How the approvals check judged each sign-off, role by role: what report.html and summary.md
show under Approvals, carried as data so no format has to parse a finding's message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from govgate.location import Location
from govgate.record import Record

ApprovalStatus = Literal["valid", "void", "rejected"]


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class JudgedApproval(Record):
    """One sign-off as it counted for a role: `reason` says why a void one does not count.

    `role` is the role the approval names (None for a review of the change, which names none).
    """

    by: str
    source: str
    status: ApprovalStatus
    role: str | None = None
    on: str | None = None
    evidence_digest: str | None = None
    artifacts: list[str] = field(default_factory=list)
    ref: str | None = None
    reason: str | None = None
    location: Location | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class RoleApprovals(Record):
    """One role a rule requires at this tier: how many sign-offs it needs, and every one seen."""

    rule_id: str
    role: str
    required: int
    valid: int
    satisfied: bool
    approvals: list[JudgedApproval] = field(default_factory=list)
