"""What a rule evaluation yields: an outcome per check and a finding per rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from govgate.facts import ExceptionState
from govgate.location import Location
from govgate.record import Record

Status = Literal["pass", "fail", "warn", "waived", "error", "skipped"]
OutcomeStatus = Literal["pass", "fail", "error"]


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Evidence(Record):
    """One observation behind a finding, with the place a reviewer can open."""

    message: str
    location: Location | None = None


@dataclass(frozen=True)
class Outcome:
    """The result of one check: pass, fail or error, and why."""

    status: OutcomeStatus
    message: str
    evidence: tuple[Evidence, ...] = field(default=())

    @staticmethod
    def passed(message: str, *evidence: Evidence) -> Outcome:
        return Outcome("pass", message, evidence)

    @staticmethod
    def failed(message: str, *evidence: Evidence) -> Outcome:
        return Outcome("fail", message, evidence)

    @staticmethod
    def errored(message: str, *evidence: Evidence) -> Outcome:
        return Outcome("error", message, evidence)


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class AppliedException(Record):
    """The waiver that turned a failing finding into `waived`."""

    id: str
    approved_by: str | None = None
    expires_on: str | None = None
    reason: str | None = None


# The report's view of the exceptions file, ids by what became of them in this run: here, beside
# the findings they waive, so that applying exceptions needs nothing of the Report built after it.
# (No docstring: it would become the description in report.json's published schema.)
@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class ExceptionRecord(Record):
    """One exception of this model as the run judged it: what a reviewer needs to accept it or
    refuse it (scope, reason, compensating controls, who asked and who approved, until when)."""

    id: str
    state: ExceptionState
    used: bool
    rules: list[str]
    models: list[str]
    versions: str | None = None
    reason: str = ""
    compensating_controls: list[str] = field(default_factory=list)
    requested_by: str
    approved_by: str | None = None
    approved_on: str | None = None
    expires_on: str
    days_left: int
    ticket: str | None = None
    problems: list[str] = field(default_factory=list)
    location: Location | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class ExceptionsSummary(Record):
    """Exception ids by what they did in this run, and each exception in full (`details`)."""

    applied: list[str] = field(default_factory=list)
    expiring_soon: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    details: list[ExceptionRecord] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Finding(Record):
    """The verdict of one rule on one subject."""

    rule_id: str
    title: str
    severity: Literal["blocking", "warning", "info"]
    status: Status
    message: str
    remediation: str
    controls: list[str] = field(default_factory=list)
    location: Location | None = None
    evidence: list[Evidence] = field(default_factory=list)
    exception: AppliedException | None = None
    help_uri: str | None = None
