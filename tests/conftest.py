"""Shared fixtures: the CLI (in this process, or the installed binary in a child process), and
real git repositories made in temp folders."""

from __future__ import annotations

import io
import locale
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from govgate.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MODEL_CARDS = ROOT / "tests" / "data" / "model-cards"


# Folders whose tests start servers (MLflow, OPA, HTTP stand-ins) or run CI runners and linters:
# all of them are in the slow tier. Slow tests elsewhere carry `@pytest.mark.slow` themselves.
SLOW_FOLDERS = frozenset({"integration", "ci", "ci_gitlab"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = ROOT / "tests"
    for item in items:
        if item.path.relative_to(tests).parts[0] in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


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


# Variables a CI system sets: the CLI reads them (CI facts, log annotations), so no test inherits
# the ones of the CI that runs it.
CI_PREFIXES = ("GITHUB_", "GITLAB", "CI")


@pytest.fixture
def govgate(tmp_path: Path) -> Callable[..., Run]:
    """Run `govgate.cli.main(argv)` in this process as a user would run the CLI: in `cwd`
    (default tmp_path), with the environment less CI variables plus `env`, stdout and stderr
    captured. Each call gets its own environment and folder, restored when it returns.

    Most tests use this; what only a real process shows (the installed entry point, exit status
    on a signal or a broken pipe, start-up cost, environment at start-up) uses `govgate_process`.
    """

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
        return run_main(args, cwd or tmp_path, env)

    return run


def run_main(
    args: Sequence[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    drop: tuple[str, ...] = CI_PREFIXES,
) -> Run:
    """main(argv) in `cwd`, with the variables starting with `drop` removed and `env` added, for
    this call only (pytest's MonkeyPatch undoes both when it returns)."""
    with pytest.MonkeyPatch.context() as scoped:
        for key in [k for k in os.environ if k.startswith(drop)]:
            scoped.delenv(key)
        for key, value in (env or {}).items():
            scoped.setenv(key, value)
        scoped.chdir(cwd)
        return call_main(args)


def call_main(args: Sequence[str]) -> Run:
    """main(argv) with its output captured as a child process's would be (UTF-8 bytes decoded in
    text mode) and argparse's SystemExit turned into its exit status. main() changes nothing
    outside govgate (tests/unit/test_cold_start.py), so nothing needs restoring here."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    with redirect_stdout(stdout), redirect_stderr(stderr):
        try:
            code = cli_main(list(args))
        except SystemExit as exit_:  # --help, --version, a usage error
            code = _exit_status(exit_.code)
    return Run(code, _as_text(out.getvalue()), _as_text(err.getvalue()))


def _exit_status(code: object) -> int:
    """What the interpreter would exit with for `SystemExit(code)`."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _as_text(data: bytes) -> str:
    """As `subprocess.run(text=True)` reads a pipe: the locale's encoding, universal newlines."""
    text = data.decode(locale.getpreferredencoding(False))
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.fixture
def govgate_process(govgate_bin: str, tmp_path: Path) -> Callable[..., Run]:
    """Run the installed CLI in a child process as a user would, in a clean environment (no CI
    variables). For the smoke tests of what only a real process shows; see `govgate`."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
        base = {k: v for k, v in os.environ.items() if not k.startswith(CI_PREFIXES)}
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


def reapprove(repo: Path, on: date | None = None) -> Path:
    """Approve the example's evidence again after a test changed it: at tier high an approval is
    bound to the evidence it approved (as a team would run `govgate approve` for each role).
    The sign-offs keep the example's dates unless `on` is given."""
    from govgate.approvals.approve import ApproveOptions, approve

    approvals = repo / "governance" / "approvals.yaml"
    approvals.unlink()
    for role, by, day in (
        ("model_risk", "lee@example.com", 18),
        ("privacy", "sam@example.com", 19),
        ("security", "kim@example.com", 19),
    ):
        when = on or date(2026, 11, day)
        approve(ApproveOptions(role=role, by=by, on=when, repo=repo, env={}))
    return commit_approvals(repo)
