"""The Report: verdict and exit code are computed here, never by a formatter."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from govgate import __version__
from govgate.facts import CiFacts
from govgate.findings import Finding
from govgate.location import Location
from govgate.sources.base import Input

REPORT_SCHEMA = "govgate/report/v1"
Verdict = Literal["pass", "fail", "error"]
EXIT_CODES: dict[Verdict, int] = {"pass": 0, "fail": 1, "error": 2}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReportSubject(_Model):
    name: str | None = None
    version: str | None = None
    uri: str | None = None
    risk_tier: str | None = None
    stage: str | None = None
    git_commit: str | None = None


class ReportError(_Model):
    """A fault that stopped part of the evaluation; any one makes the verdict `error`."""

    message: str
    location: Location | None = None


class Summary(_Model):
    total: int = 0
    passed: int = Field(default=0, alias="pass")
    fail: int = 0
    warn: int = 0
    waived: int = 0
    error: int = 0
    skipped: int = 0

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ExceptionsSummary(_Model):
    applied: list[str] = []
    expiring_soon: list[str] = []
    expired: list[str] = []
    unused: list[str] = []


class Report(_Model):
    """Everything a reviewer or auditor needs to trust (or reject) one gate run."""

    schema_: str = Field(default=REPORT_SCHEMA, alias="schema")
    govgate_version: str = __version__
    subject: ReportSubject = Field(default_factory=ReportSubject)
    evaluated_at: str
    advisory: bool = False
    policy_digest: str | None = None
    inputs: list[Input] = []
    findings: list[Finding] = []
    exceptions: ExceptionsSummary = Field(default_factory=ExceptionsSummary)
    errors: list[ReportError] = []
    ci: CiFacts = Field(default_factory=CiFacts)
    duration_ms: float = 0.0

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def verdict(self) -> Verdict:
        """Error beats fail beats pass: a fault anywhere can never read as a pass."""
        if self.errors or any(f.status == "error" for f in self.findings):
            return "error"
        if any(f.status == "fail" for f in self.findings):
            return "fail"
        return "pass"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exit_code(self) -> int:
        """0 pass, 1 fail, 2 error; --advisory turns only a fail into 0."""
        if self.verdict == "fail" and self.advisory:
            return 0
        return EXIT_CODES[self.verdict]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> Summary:
        counts = Counter(f.status for f in self.findings)
        return Summary(
            total=len(self.findings),
            passed=counts["pass"],
            fail=counts["fail"],
            warn=counts["warn"],
            waived=counts["waived"],
            error=counts["error"],
            skipped=counts["skipped"],
        )

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)
