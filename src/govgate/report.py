"""The Report: verdict and exit code are computed here, never by a formatter."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from govgate import __version__
from govgate.approvals.review import RoleApprovals
from govgate.facts import CiFacts
from govgate.findings import ExceptionsSummary, Finding
from govgate.jsonable import alias, to_jsonable
from govgate.location import Location
from govgate.record import Record
from govgate.sources.base import Input

REPORT_SCHEMA = "govgate/report/v1"
Verdict = Literal["pass", "fail", "error"]
EXIT_CODES: dict[Verdict, int] = {"pass": 0, "fail": 1, "error": 2}


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class ReportSubject(Record):
    name: str | None = None
    version: str | None = None
    uri: str | None = None
    risk_tier: str | None = None
    stage: str | None = None
    git_commit: str | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class ReportError(Record):
    """A fault that stopped part of the evaluation; any one makes the verdict `error`."""

    message: str
    location: Location | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Summary(Record):
    """Findings counted by status."""

    total: int = 0
    passed: int = field(default=0, metadata=alias("pass"))
    fail: int = 0
    warn: int = 0
    waived: int = 0
    error: int = 0
    skipped: int = 0


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Report(Record):
    """Everything a reviewer or auditor needs to trust (or reject) one gate run.

    `verdict`, `exit_code` and `summary` are derived from the findings and errors when the
    report is made, so no formatter can disagree with them.
    """

    evaluated_at: str
    schema: str = REPORT_SCHEMA
    govgate_version: str = __version__
    subject: ReportSubject = field(default_factory=ReportSubject)
    advisory: bool = False
    policy_digest: str | None = None
    inputs: list[Input] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    exceptions: ExceptionsSummary = field(default_factory=ExceptionsSummary)
    approvals: list[RoleApprovals] = field(default_factory=list)
    evidence_digest: str | None = None
    errors: list[ReportError] = field(default_factory=list)
    ci: CiFacts = field(default_factory=CiFacts)
    duration_ms: float = 0.0
    verdict: Verdict = field(init=False)
    exit_code: int = field(init=False)
    summary: Summary = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdict", _verdict(self.findings, self.errors))
        code = 0 if self.verdict == "fail" and self.advisory else EXIT_CODES[self.verdict]
        object.__setattr__(self, "exit_code", code)
        object.__setattr__(self, "summary", _summary(self.findings))

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = to_jsonable(self)
        return document


def _verdict(findings: list[Finding], errors: list[ReportError]) -> Verdict:
    """Error beats fail beats pass: a fault anywhere can never read as a pass."""
    if errors or any(f.status == "error" for f in findings):
        return "error"
    if any(f.status == "fail" for f in findings):
        return "fail"
    return "pass"


def _summary(findings: list[Finding]) -> Summary:
    counts = Counter(f.status for f in findings)
    return Summary(
        total=len(findings),
        passed=counts["pass"],
        fail=counts["fail"],
        warn=counts["warn"],
        waived=counts["waived"],
        error=counts["error"],
        skipped=counts["skipped"],
    )
