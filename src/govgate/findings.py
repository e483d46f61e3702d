"""What a rule evaluation yields: an outcome per check and a finding per rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from govgate.location import Location

Status = Literal["pass", "fail", "warn", "waived", "error", "skipped"]
OutcomeStatus = Literal["pass", "fail", "error"]


class Evidence(BaseModel):
    """One observation behind a finding, with the place a reviewer can open."""

    model_config = ConfigDict(extra="forbid", frozen=True)

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


class AppliedException(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    approved_by: str | None = None
    expires_on: str | None = None
    reason: str | None = None


class Finding(BaseModel):
    """The verdict of one rule on one subject."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule_id: str
    title: str
    severity: Literal["blocking", "warning", "info"]
    status: Status
    message: str
    remediation: str
    controls: list[str] = []
    location: Location | None = None
    evidence: list[Evidence] = []
    exception: AppliedException | None = None
