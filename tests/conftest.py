"""Shared fixtures: the installed CLI, and real git repositories made in temp folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MODEL_CARDS = ROOT / "tests" / "data" / "model-cards"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def _govgate_bin() -> str:
    candidate = Path(sys.executable).parent / "govgate"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("govgate")
    assert found, "the govgate console script is not installed"
    return found


@pytest.fixture(scope="session")
def govgate_bin() -> str:
    return _govgate_bin()


@pytest.fixture
def govgate(govgate_bin: str, tmp_path: Path) -> Callable[..., Run]:
    """Run the installed CLI as a user would, in a clean environment (no CI variables)."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
        base = {
            k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GITLAB", "CI"))
        }
        proc = subprocess.run(
            [govgate_bin, *args],
            cwd=cwd or tmp_path,
            capture_output=True,
            text=True,
            env={**base, **(env or {})},
            timeout=120,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env=env,
    )


APPROVALS = Path("governance") / "approvals.yaml"


def commit_approvals(repo: Path, relative: Path = APPROVALS) -> Path:
    """Commit the approvals file as its approvers would: the header first, then each entry in a
    commit authored by the person it names (an entry counts only as its approver's own commit).
    Entries are the file's `  - ` items; each keeps its text byte for byte."""
    import yaml

    path = repo / relative
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("  - ")]
    if not starts:
        return repo
    header = "".join(lines[: starts[0]])
    path.write_text(header, encoding="utf-8")
    git(repo, "add", str(relative))
    git(repo, "commit", "-q", "--allow-empty", "-m", "approvals file")
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        entry = "".join(lines[start:end])
        by = str(yaml.safe_load("approvals:\n" + entry)["approvals"][0]["by"]).strip()
        with path.open("a", encoding="utf-8") as handle:
            handle.write(entry)
        git(repo, "add", str(relative))
        subprocess.run(
            [
                "git",
                "-c",
                f"user.name={by}",
                "-c",
                f"user.email={by}",
                "commit",
                "-q",
                "-m",
                f"approval by {by}",
            ],
            cwd=repo,
            check=True,
            capture_output=True,
        )
    assert path.read_text(encoding="utf-8") == text
    return repo


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """A real git repo with the given files committed (text, or a Path to copy from)."""

    def make(
        files: dict[str, str | Path],
        name: str = "repo",
        commit_date: str | None = None,
        base: Path | None = None,
        approvers_commit: bool = True,
    ) -> Path:
        repo = tmp_path / name
        if base is not None:
            shutil.copytree(base, repo)
        repo.mkdir(exist_ok=True)
        for rel, content in files.items():
            target = repo / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_text(content, encoding="utf-8")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "initial", date=commit_date)
        if approvers_commit and (repo / APPROVALS).is_file():
            commit_approvals(repo)
        return repo

    return make


@pytest.fixture
def example_repo(make_repo: Callable[..., Path]) -> Path:
    """examples/credit-risk as its own git repo, committed recently."""
    return make_repo(
        {},
        name="credit-risk",
        base=EXAMPLES / "credit-risk",
        commit_date="2026-11-20T10:00:00+00:00",
    )


def approve_any_version(repo: Path) -> Path:
    """The example's approvals name version 7; registry tests resolve other versions."""
    approvals = repo / "governance" / "approvals.yaml"
    approvals.write_text(approvals.read_text().replace(', version: "7"', ""))
    return commit_approvals(repo)


def reapprove(repo: Path) -> Path:
    """Approve the example's evidence again after a test changed it: at tier high an approval is
    bound to the evidence it approved (as a team would run `govgate approve` for each role)."""
    from datetime import date

    from govgate.approvals.approve import ApproveOptions, approve

    approvals = repo / "governance" / "approvals.yaml"
    approvals.unlink()
    for role, by, day in (
        ("model_risk", "lee@example.com", 18),
        ("privacy", "sam@example.com", 19),
        ("security", "kim@example.com", 19),
    ):
        approve(ApproveOptions(role=role, by=by, on=date(2026, 11, day), repo=repo, env={}))
    return commit_approvals(repo)
