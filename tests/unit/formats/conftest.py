"""Reports for the format tests: real gate runs on the examples, plus one hand-made report that
reaches the corners (no location, absolute and Windows paths, control characters, duplicates).

Golden files live in `golden/`; `GOVGATE_UPDATE_GOLDEN=1` rewrites them from the current output.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from govgate.findings import AppliedException, Evidence, Finding
from govgate.formats.base import Format
from govgate.gate import GateOptions, run_check
from govgate.location import Location
from govgate.report import Report, ReportError, ReportSubject
from tests.conftest import APPROVALS, EXAMPLES, commit_approvals, git

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SCHEMAS = HERE / "schemas"
AT = datetime(2026, 11, 26, 12, tzinfo=UTC)
UPDATE_GOLDEN = os.environ.get("GOVGATE_UPDATE_GOLDEN") == "1"

# what a real run varies, and what it is replaced with before comparing to a golden file (no
# character that JSON or XML would escape: the temp path is replaced in the rendered text)
TMP_MARK = "{tmp}"
COMMIT_MARK = "{git-commit}"
DIGEST_MARK = "{policy-digest}"
VERSION_MARK = "0.0.0+golden"

SCENARIOS = ("pass", "fail", "error", "noconfig", "synthetic")

HOUSE_PACK = """\
apiVersion: govgate/v1
kind: RulePack
metadata:
  name: house
  version: 0.1.0
  description: House rules on top of the baseline.
rules:
  - id: HOUSE-001
    title: Gate runs in CI
    severity: info
    controls: ["Internal SDLC 4.2"]
    description: A release gate run on a laptop leaves no audit trail.
    remediation: Run `govgate check` in the CI pipeline, not locally.
    check:
      kind: fact
      path: ci.provider
      in: [github, gitlab]
  - id: HOUSE-002
    title: Release stage is production
    severity: warning
    remediation: Set `model.stage` to production once the release is approved.
    check:
      kind: fact
      path: subject.stage
      equals: production
"""


@dataclass(frozen=True)
class Scenario:
    name: str
    report: Report
    tmp: Path | None = None  # the temp folder whose path shows up in the output


def _repo(root: Path, name: str, example: str) -> Path:
    repo = root / name
    shutil.copytree(EXAMPLES / example, repo)
    return repo


def _commit(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial", date="2026-11-20T10:00:00+00:00")
    return commit_approvals(repo) if (repo / APPROVALS).is_file() else repo


def _check(repo: Path) -> Report:
    return run_check(GateOptions(repo=repo, at=AT, env={})).report


@pytest.fixture(scope="session")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scenario]:
    root = tmp_path_factory.mktemp("formats")
    passing = _commit(_repo(root, "pass", "credit-risk"))
    failing = _commit(_repo(root, "fail", "credit-risk-incomplete"))
    broken = _repo(root, "error", "credit-risk")
    (broken / "monitoring" / "monitoring.yaml").write_text(
        "owner: lending-ml@example.com\nmonitors: [unclosed\n", encoding="utf-8"
    )
    (broken / "rules").mkdir()
    (broken / "rules" / "house.yaml").write_text(HOUSE_PACK, encoding="utf-8")
    config = broken / "govgate.yaml"
    config.write_text(
        config.read_text().replace(
            "rules: [builtin:baseline]", "rules: [builtin:baseline, rules/house.yaml]"
        )
    )
    _commit(broken)
    noconfig = root / "noconfig"
    noconfig.mkdir()
    found = {
        "pass": Scenario("pass", _check(passing), root),
        "fail": Scenario("fail", _check(failing), root),
        "error": Scenario("error", _check(broken), root),
        "noconfig": Scenario("noconfig", _check(noconfig), root),
        "synthetic": Scenario("synthetic", synthetic_report()),
    }
    # the scenarios are only worth their golden files if they reach what they are meant to
    assert found["pass"].report.verdict == "pass"
    assert found["fail"].report.verdict == "fail"
    assert found["fail"].report.summary.waived == 1
    assert found["fail"].report.exceptions.expired == ["EXC-2026-014"]
    assert found["error"].report.verdict == "error" and found["error"].report.errors
    assert found["error"].report.summary.error >= 1
    assert found["noconfig"].report.errors and not found["noconfig"].report.findings
    return found


def synthetic_report() -> Report:
    """Findings no example produces, each aimed at one way a format could go wrong."""

    def finding(rule_id: str, **fields: object) -> Finding:
        base: dict[str, object] = {
            "title": f"Synthetic rule {rule_id}",
            "severity": "blocking",
            "status": "fail",
            "message": f"{rule_id} failed",
            "remediation": f"Fix {rule_id}.",
        }
        return Finding(rule_id=rule_id, **(base | fields))  # type: ignore[arg-type]

    return Report(
        evaluated_at=AT.isoformat(),
        subject=ReportSubject(name="synthetic", version="3", risk_tier="medium"),
        findings=[
            finding("SYN-001", controls=["C-1", "C-1", "C-2"], message="nothing to point at"),
            finding(
                "SYN-002",
                severity="warning",
                status="warn",
                location=Location(path="/srv/data/model card.md", line=3, column=2),
            ),
            finding(
                "SYN-003",
                title="Windows path & <markup>",
                severity="info",
                status="warn",
                message='a \x1b[31mcoloured\x1b[0m <b>message</b> & "quotes"\x00 é',
                remediation="",
                location=Location(path="docs\\sub dir\\card.md", line=7, end_line=9),
            ),
            finding("SYN-004", message="same", location=Location(path="a.md", line=1)),
            finding("SYN-004", message="same", location=Location(path="a.md", line=1)),
            finding(
                "SYN-005",
                status="waived",
                location=Location(path="https://mlflow.example.com/#/models/m/versions/3"),
                exception=AppliedException(id="EXC-1"),
            ),
            finding(
                "SYN-006",
                severity="warning",
                status="error",
                message="internal error while evaluating: KeyError: 'owner'",
                location=Location(path="models:/m/3", key_path="tags.owner"),
            ),
            finding("SYN-007", status="pass", message="all good"),
            finding("SYN-008", status="skipped", message="applies only to tier high, not medium"),
            finding("SYN-009", location=Location(path="./ab:c.yaml", line=2, column=1)),
            finding(
                "SYN-010",
                location=Location(path="C:\\work\\card.md", line=4),
                evidence=[Evidence(message="seen here", location=Location(path="x.md", line=1))],
            ),
        ],
        errors=[
            ReportError(
                message="cannot read x.yaml: Permission denied",
                location=Location(path="x.yaml", line=2, column=3),
            ),
            ReportError(message="registry unreachable after 3 tries"),
        ],
        duration_ms=1234.5678,
    )


def normalised(report: Report) -> Report:
    """The report without what changes from run to run or release to release."""
    subject = report.subject
    if subject.git_commit is not None:
        subject = replace(subject, git_commit=COMMIT_MARK)
    return replace(
        report,
        duration_ms=0.0,
        govgate_version=VERSION_MARK,
        policy_digest=DIGEST_MARK if report.policy_digest else None,
        subject=subject,
    )


def without_tmp(value: Any, roots: set[str]) -> Any:
    """`value` with the temp folder's path replaced in every string, before rendering, so
    fingerprints hashed from a message do not change with the folder pytest picked."""
    if isinstance(value, str):
        for root in roots:
            value = value.replace(root, TMP_MARK)
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: without_tmp(getattr(value, f.name), roots)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, list | tuple):
        return type(value)(without_tmp(v, roots) for v in value)
    if isinstance(value, dict):
        return {k: without_tmp(v, roots) for k, v in value.items()}
    return value


def render_normalised(fmt: Format, scenario: Scenario) -> str:
    report = normalised(scenario.report)
    if scenario.tmp is not None:
        roots = {str(scenario.tmp), str(scenario.tmp.resolve())}
        report = without_tmp(report, roots)
    text = fmt.render(report).decode("utf-8")
    assert scenario.tmp is None or str(scenario.tmp) not in text
    return text


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"no golden file {path}: run with GOVGATE_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"{name} differs from its golden file; if the change is intended, rerun with "
        "GOVGATE_UPDATE_GOLDEN=1 and review the diff"
    )
