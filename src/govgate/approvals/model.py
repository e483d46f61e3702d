"""`kind: ApprovalList` (the repo's approvals file) and the Approval fact every source yields."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from govgate.location import Location
from govgate.record import Record
from govgate.strict import StrictModel

Decision = Literal["approved", "rejected"]
ApprovalSource = Literal["file", "mlflow", "github", "gitlab"]


class Covers(StrictModel):
    """What an approval is bound to: a model, a version, and the evidence as it was then."""

    model: str | None = None
    version: str | None = None
    evidence_digest: str | None = Field(
        default=None, description="`govgate facts`' evidence digest at the time of approval."
    )
    artifacts: dict[str, str] = Field(
        default_factory=dict, description="Artifact name to its sha256 when approved."
    )


class ApprovalEntry(StrictModel):
    role: str = Field(min_length=1, description="Role in the `roles:` roster of govgate.yaml.")
    by: str = Field(min_length=1, description="Who approved (as listed in the roster).")
    on: date | datetime
    decision: Decision = "approved"
    covers: Covers = Field(default_factory=Covers)
    ref: str | None = Field(default=None, description="Ticket, minutes or review link.")


class ApprovalList(StrictModel):
    api_version: Literal["govgate/v1"] = Field(alias="apiVersion")
    kind: Literal["ApprovalList"]
    approvals: list[ApprovalEntry] = Field(default_factory=list)


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class EntryCommit(Record):
    """A commit that wrote lines of an approvals-file entry, with its author and signature."""

    sha: str
    author: str
    signature: str  # `good`, `none`, or what else git says of it
    signer: str | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Provenance(Record):
    """Who wrote an approvals-file entry, from the git history of its lines.

    `unattributed` says why some of its lines have no known author (not committed, a shallow
    clone, no git); `others` are the commits among them not authored by the approver, and
    `unsigned` those not carrying a good signature by the approver.
    """

    commits: list[EntryCommit] = field(default_factory=list)
    unattributed: str | None = None
    others: list[str] = field(default_factory=list)
    unsigned: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Approval(Record):
    """One sign-off as rules see it, whatever its source.

    `roles` are the roster roles the approver holds (a review on GitHub carries no role of its
    own); `role` is the role the approval was given in, when the source says so.
    """

    by: str
    on: datetime | None
    source: ApprovalSource
    decision: Decision = "approved"
    role: str | None = None
    roles: list[str] = field(default_factory=list)
    model: str | None = None
    version: str | None = None
    evidence_digest: str | None = None
    artifacts: dict[str, str] = field(default_factory=dict)
    ref: str | None = None
    location: Location | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class ChangeFacts(Record):
    """The change under review (pull or merge request): who wrote it, for separation of duties."""

    provider: Literal["github", "gitlab"]
    number: str
    author: str | None = None
    url: str | None = None
