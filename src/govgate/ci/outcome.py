"""The outcome of one `govgate check` as a CI wrapper hands it on: the verdict and exit code,
decided from the exit code check returned and the report folder it wrote, failing closed.

A report counts only when the folder's manifest pins it and its bytes still match: a report.json
left by an earlier run, planted, or edited after the run is no evidence. Never a pass or a fail
without its report; an exit code govgate never gives, or one the report disagrees with, is an
error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from govgate.publish.manifest import MANIFEST, parse_line, safe_name, sha256_file
from govgate.report import EXIT_CODES, Verdict

REPORT = "report.json"


class _View(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class LocationView(_View):
    path: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None


class FindingView(_View):
    rule_id: str
    status: Literal["pass", "fail", "warn", "waived", "error", "skipped"]
    severity: str = "blocking"
    message: str = ""
    remediation: str = ""
    location: LocationView | None = None


class ErrorView(_View):
    message: str
    location: LocationView | None = None


class SubjectView(_View):
    name: str | None = None
    version: str | None = None


class ReportView(_View):
    """What a CI wrapper reads of report.json (docs/schemas/report.schema.json has it all)."""

    verdict: Verdict
    exit_code: int
    advisory: bool = False
    subject: SubjectView = SubjectView()
    summary: dict[str, int] = {}
    findings: list[FindingView] = []
    errors: list[ErrorView] = []


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    exit_code: int
    output_dir: Path
    report: ReportView | None
    # files of the folder this run wrote: pinned by its manifest, bytes unchanged
    written: frozenset[str]
    # why the verdict is an error although check gave none (no report, odd exit code, ...)
    problem: str | None = None

    def wrote(self, name: str) -> bool:
        return name in self.written


def read_outcome(output_dir: Path, exit_code: int) -> Outcome:
    """The run's outcome from `govgate check`'s exit code and its report folder."""
    written = _written(output_dir)
    report, problem = _report(output_dir, written)
    if exit_code not in (0, 1, 2):
        problem = f"govgate check exited with code {exit_code}, which it never gives"
    elif report is None and exit_code != 2:
        problem = problem or f"govgate check exited with code {exit_code} and wrote no {REPORT}"
    elif report is not None and exit_code != 2 and report.exit_code != exit_code:
        problem = (
            f"{REPORT} says exit code {report.exit_code} but govgate check exited with "
            f"{exit_code}: it is not this run's report"
        )
    if problem is not None or exit_code == 2 or report is None:
        return Outcome("error", 2, output_dir, report, written, problem)
    return Outcome(report.verdict, exit_code, output_dir, report, written)


def _written(output_dir: Path) -> frozenset[str]:
    """Names the manifest pins whose bytes match; nothing when there is no manifest."""
    try:
        content = (output_dir / MANIFEST).read_bytes()
    except OSError:
        return frozenset()
    names: set[str] = set()
    for line in content.splitlines():
        parsed = parse_line(line)
        if parsed is None or not safe_name(parsed[1]):
            return frozenset()  # a manifest govgate did not write vouches for nothing
        digest, name = parsed
        try:
            if sha256_file(output_dir / name) == digest:
                names.add(name)
        except OSError:
            continue
    return frozenset(names)


def _report(output_dir: Path, written: frozenset[str]) -> tuple[ReportView | None, str | None]:
    path = output_dir / REPORT
    if REPORT not in written:
        if path.exists():
            return None, f"{path} is not pinned by {MANIFEST}: it is not this run's report"
        return None, None
    try:
        report = ReportView.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        return None, f"{path} is not a govgate report: {str(exc).splitlines()[0]}"
    expected = 0 if report.verdict == "fail" and report.advisory else EXIT_CODES[report.verdict]
    if report.exit_code != expected:
        return (
            None,
            f"{path} is inconsistent: verdict {report.verdict}, exit code {report.exit_code}",
        )
    return report, None
