"""Git facts: commit, branch, dirty flag, and when each artifact last changed."""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from govgate.facts import RepoFacts
from govgate.timestamps import to_datetime

_TIMEOUT_S = 30


# Reading must not write: `git status` refreshes `.git/index` unless told not to take the lock,
# and paths come back unquoted (not as "\\303\\251") so accented names can be compared.
_GIT = ["git", "--no-optional-locks", "-c", "core.quotePath=false"]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_GIT, *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT_S,
        check=False,
    )


def repo_facts(root: Path) -> RepoFacts:
    """Commit, branch and dirty flag from one `git status`; outside git, is_git is false."""
    try:
        status = _git(
            root, "status", "--porcelain=v2", "--branch", "--untracked-files=no", "--", "."
        )
    except (OSError, subprocess.TimeoutExpired):
        return RepoFacts(root=str(root))
    if status.returncode != 0:
        return RepoFacts(root=str(root))
    commit: str | None = None
    branch: str | None = None
    dirty = False
    for line in status.stdout.splitlines():
        if line.startswith("# branch.oid "):
            oid = line.removeprefix("# branch.oid ")
            commit = None if oid == "(initial)" else oid
        elif line.startswith("# branch.head "):
            head = line.removeprefix("# branch.head ")
            branch = None if head == "(detached)" else head
        elif line and not line.startswith("#"):
            dirty = True
    return RepoFacts(root=str(root), is_git=True, commit=commit, branch=branch, dirty=dirty)


def last_commit_dates(root: Path, paths: Iterable[str]) -> dict[str, datetime]:
    """Committer date of the newest commit touching each path, in one `git log` walk.

    The walk stops as soon as every path has been seen, so a long history costs only what it must.
    """
    # A name may be stored composed (NFC) or decomposed (NFD, as macOS writes it): compare NFC.
    wanted = {unicodedata.normalize("NFC", p): p for p in paths}
    found: dict[str, datetime] = {}
    if not wanted:
        return found
    cmd = [*_GIT, "log", "--format=%x00%cI", "--name-only", "--relative", "--no-renames", "--"]
    try:
        proc = subprocess.Popen(
            [*cmd, *sorted(wanted.values())],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    except OSError:
        return found
    assert proc.stdout is not None
    current: datetime | None = None
    try:
        for raw in proc.stdout:
            line = unicodedata.normalize("NFC", raw.rstrip("\n"))
            if line.startswith("\x00"):
                current = to_datetime(line[1:])
            elif line and current is not None and line in wanted and wanted[line] not in found:
                found[wanted[line]] = current
                if len(found) == len(wanted):
                    break
    finally:
        proc.stdout.close()
        proc.kill()
        proc.wait()
    return found
