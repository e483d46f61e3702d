"""Git facts: commit, branch, dirty flag, and when each artifact last changed."""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from govgate.facts import RepoFacts
from govgate.utc import to_datetime

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


SHALLOW = (
    "the clone is shallow, so when it last changed is unknown (fetch the full history: "
    "fetch-depth: 0 for actions/checkout, GIT_DEPTH: 0 on GitLab)"
)


@dataclass(frozen=True)
class CommitDates:
    """When each path last changed; `cut`: paths whose newest commit is where a shallow clone's
    history ends, so the real last change may be older than the date git shows."""

    dates: dict[str, datetime]
    cut: frozenset[str]


def last_commit_dates(root: Path, paths: Iterable[str]) -> CommitDates:
    """Committer date of the newest commit touching each path, in one `git log` walk.

    The walk stops as soon as every path has been seen, so a long history costs only what it must.
    """
    # A name may be stored composed (NFC) or decomposed (NFD, as macOS writes it): compare NFC.
    wanted = {unicodedata.normalize("NFC", p): p for p in paths}
    found: dict[str, datetime] = {}
    parentless: set[str] = set()
    if not wanted:
        return CommitDates(found, frozenset())
    cmd = [*_GIT, "log", "--format=%x00%cI%x00%P", "--name-only", "--relative", "--no-renames"]
    try:
        proc = subprocess.Popen(
            [*cmd, "--", *sorted(wanted.values())],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    except OSError:
        return CommitDates(found, frozenset())
    assert proc.stdout is not None
    current: datetime | None = None
    root_commit = False
    try:
        for raw in proc.stdout:
            line = unicodedata.normalize("NFC", raw.rstrip("\n"))
            if line.startswith("\x00"):
                when, _, parents = line[1:].partition("\x00")
                current, root_commit = to_datetime(when), not parents.strip()
            elif line and current is not None and line in wanted and wanted[line] not in found:
                found[wanted[line]] = current
                if root_commit:
                    parentless.add(wanted[line])
                if len(found) == len(wanted):
                    break
    finally:
        proc.stdout.close()
        proc.kill()
        proc.wait()
    # A commit without parents is the repository's first, or where a shallow clone was cut.
    cut = frozenset(parentless) if parentless and _is_shallow(root) else frozenset()
    return CommitDates(found, cut)


@dataclass(frozen=True)
class LineCommit:
    """The commit that last wrote one line of a file, as `git blame` tells it."""

    sha: str
    name: str
    email: str
    boundary: bool  # the walk stopped here: a root commit, or where a shallow clone was cut


@dataclass(frozen=True)
class Blame:
    """Who last wrote each line of a committed file (None: a line changed since the last commit)."""

    lines: list[LineCommit | None]
    texts: list[str]
    shallow: bool


def blame(root: Path, relative: str) -> Blame | str:
    """Each line's last commit, or why git cannot tell (not a repository, file not committed)."""
    try:
        proc = _git(root, "blame", "--porcelain", "--", relative)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"git could not be run ({type(exc).__name__})"
    if proc.returncode != 0:
        error = proc.stderr.strip().splitlines()[-1:] or ["git blame failed"]
        if "not a git repository" in error[0]:
            return "the repository is not under git"
        if "no such path" in error[0]:
            return "the file is not committed"
        return error[0].removeprefix("fatal: ")
    commits: dict[str, dict[str, str]] = {}
    lines: list[LineCommit | None] = []
    texts: list[str] = []
    current = ""
    for line in proc.stdout.splitlines():
        if line.startswith("\t"):
            texts.append(line[1:])
            info = commits[current]
            if set(current) == {"0"}:
                lines.append(None)
            else:
                lines.append(
                    LineCommit(
                        sha=current,
                        name=info.get("author", ""),
                        email=info.get("author-mail", "").strip("<>"),
                        boundary="boundary" in info,
                    )
                )
            continue
        head, _, rest = line.partition(" ")
        if len(head) == 40 and all(c in "0123456789abcdef" for c in head):
            current = head
            commits.setdefault(current, {})
        else:
            commits[current][head] = rest
    shallow = any(c is not None and c.boundary for c in lines) and _is_shallow(root)
    return Blame(lines=lines, texts=texts, shallow=shallow)


def _is_shallow(root: Path) -> bool:
    try:
        proc = _git(root, "rev-parse", "--is-shallow-repository")
    except (OSError, subprocess.TimeoutExpired):
        return True  # cannot tell: treat history as incomplete
    return proc.returncode != 0 or proc.stdout.strip() != "false"


# `%G?` as git prints it, in words a finding can use.
_SIGNATURES = {
    "G": "good",
    "U": "good signature from an untrusted key",
    "X": "expired signature",
    "Y": "signature by an expired key",
    "R": "signature by a revoked key",
    "E": "signature that cannot be checked",
    "B": "bad signature",
    "N": "none",
}


def signatures(
    root: Path, shas: Iterable[str], signers: Path | None
) -> dict[str, tuple[str, str | None]]:
    """Each commit's signature state (in words) and signer, checked against `signers` (an SSH
    allowed-signers file) and the machine's GnuPG keyring."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    config = ["-c", f"gpg.ssh.allowedSignersFile={signers}"] if signers else []
    try:
        proc = _git(
            root, *config, "log", "--no-walk=unsorted", "--format=%H%x00%G?%x00%GS", *wanted
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    found: dict[str, tuple[str, str | None]] = {}
    for line in proc.stdout.splitlines():
        sha, _, rest = line.partition("\x00")
        state, _, signer = rest.partition("\x00")
        found[sha] = (_SIGNATURES.get(state, "signature that cannot be checked"), signer or None)
    return found
