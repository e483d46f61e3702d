"""Model repositories for the end-to-end CI tests: a pass, a fail and an error, each set up and
committed, then given its CI by `govgate init --ci SYSTEM` exactly as a user would."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from tests.conftest import APPROVALS, EXAMPLES, commit_approvals, git, reapprove

SCENARIOS = {"pass": "credit-risk", "fail": "credit-risk-incomplete", "error": "credit-risk"}
EXPECTED = {"pass": ("pass", 0), "fail": ("fail", 1), "error": ("error", 2)}
# The error repository reads its model from a registry nobody serves.
UNREACHABLE = (
    "mlflow:\n"
    '  tracking_uri: "http://127.0.0.1:9"  # nothing listens here\n'
    "  timeout_seconds: 2\n"
    "  retries: 0\n"
)


def snapshot(repo: Path) -> dict[str, str]:
    return {
        p.relative_to(repo).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(repo).parts
    }


def generated_repo(folder: Path, scenario: str, system: str, ci_file: str) -> Path:
    """The scenario's repository, committed, with the CI file `govgate init --ci` adds to it.

    init runs on a repository that is already set up: it must add the CI file and touch nothing
    else (no card, config or pack rewritten), which is checked here too.
    """
    repo = folder / scenario
    shutil.copytree(EXAMPLES / SCENARIOS[scenario], repo)
    if scenario == "pass":
        _risk_reviewed_recently(repo)
    if scenario == "error":
        with (repo / "govgate.yaml").open("a", encoding="utf-8") as handle:
            handle.write(UNREACHABLE)
    before = snapshot(repo)
    proc = subprocess.run(
        [sys.executable, "-m", "govgate", "init", "--repo", str(repo), "--ci", system],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = snapshot(repo)
    assert set(after) - set(before) == {ci_file}
    assert {name: after[name] for name in before} == before  # nothing else touched
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the model, and its CI from govgate init")
    if scenario == "pass":
        reapprove(repo, on=date.today() - timedelta(days=1))
    elif (repo / APPROVALS).is_file():
        commit_approvals(repo)
    return repo


def _risk_reviewed_recently(repo: Path) -> None:
    """The generated workflow judges at the real time (it passes no --at), so the pass repo's
    dated evidence is made current: the risk review a month ago, the sign-offs yesterday
    (`reapprove`). Otherwise the example's fixed dates would age out and the pass turn to fail."""
    risk = repo / "governance" / "risk_assessment.yaml"
    reviewed = date.today() - timedelta(days=30)
    risk.write_text(
        re.sub(r"(?m)^reviewed_on: .*$", f"reviewed_on: {reviewed.isoformat()}", risk.read_text())
    )


def verify(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govgate", "verify", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
