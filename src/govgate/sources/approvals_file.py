"""Approvals recorded in the repository (`kind: ApprovalList`) and on the MLflow model version."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from govgate.approvals.model import Approval, ApprovalList, EntryCommit, Provenance
from govgate.errors import InputError
from govgate.facts import MlflowFacts
from govgate.identity import identity
from govgate.sources.base import Input
from govgate.sources.git import Blame, LineCommit, blame, signatures
from govgate.sources.repo import resolve_inside
from govgate.utc import aware, parse_iso
from govgate.yamlio import parse_yaml, read_text, validate

MLFLOW_TAG_PREFIX = "approval."


def file_approvals(
    root: Path,
    relative: str,
    roster: dict[str, list[str]],
    max_bytes: int,
    signers: Path | None = None,
) -> tuple[list[Approval], Input]:
    """Every entry of the approvals file, with the line it sits on and who committed it."""
    path = resolve_inside(root, relative)
    text, raw = read_text(path, relative, max_bytes)
    loaded = parse_yaml(text, relative, raw)
    if not isinstance(loaded.data, dict) or loaded.data.get("kind") != "ApprovalList":
        raise InputError(
            "expected `apiVersion: govgate/v1` and `kind: ApprovalList`",
            loaded.location(("kind",)),
        )
    approvals = validate(ApprovalList, loaded)
    spans = _entry_spans(loaded.positions, len(approvals.approvals))
    # The file as git knows it: the resolved path (a symlink's own blob is the link's target
    # name), and only if git's lines are the lines read.
    history = (
        blame(root, path.relative_to(root.resolve()).as_posix()) if approvals.approvals else None
    )
    if isinstance(history, Blame) and _lines(history.texts) != _lines(text.splitlines()):
        history = "git's lines of the file are not the lines that were read"
    signed = signatures(root, _shas(history), signers) if isinstance(history, Blame) else {}
    result = [
        Approval(
            by=entry.by,
            on=aware(entry.on),
            source="file",
            decision=entry.decision,
            role=entry.role,
            roles=roles_of(entry.by, roster),
            model=entry.covers.model,
            version=entry.covers.version,
            evidence_digest=entry.covers.evidence_digest,
            artifacts=dict(entry.covers.artifacts),
            ref=entry.ref,
            location=loaded.location(("approvals", index)),
            provenance=_provenance(entry.by, history, spans[index], signed),
        )
        for index, entry in enumerate(approvals.approvals)
    ]
    record = Input(kind="approvals", location=relative, sha256=loaded.sha256, size=loaded.size)
    return result, record


def _entry_spans(
    positions: dict[tuple[str | int, ...], tuple[int, int]], count: int
) -> list[tuple[int, int | None]]:
    """First and last line of each entry: up to the next entry or the next top-level key."""
    starts = [positions[("approvals", i)][0] for i in range(count)]
    tops = sorted(line for key, (line, _) in positions.items() if len(key) == 1)
    spans: list[tuple[int, int | None]] = []
    for i, start in enumerate(starts):
        following = [*starts[i + 1 : i + 2], *(line for line in tops if line > start)]
        spans.append((start, min(following) - 1 if following else None))
    return spans


def _lines(lines: list[str]) -> list[str]:
    """Lines compared without a byte-order mark or carriage returns (git blame keeps both)."""
    return [line.removeprefix("\ufeff").rstrip("\r") for line in lines]


def _shas(history: Blame) -> set[str]:
    return {line.sha for line in history.lines if line is not None}


def _provenance(
    by: str,
    history: Blame | str | None,
    span: tuple[int, int | None],
    signed: dict[str, tuple[str, str | None]],
) -> Provenance:
    """Who wrote the entry's lines (comments and blank lines at its end aside)."""
    if not isinstance(history, Blame):
        return Provenance(unattributed=history or "the file could not be read from git")
    first, last = span
    last = len(history.lines) if last is None else min(last, len(history.lines))
    while last > first and _inert(history.texts[last - 1]):
        last -= 1
    written = history.lines[first - 1 : last]
    if not written:
        return Provenance(unattributed="git has no lines for it")
    commits: dict[str, LineCommit] = {}
    for line in written:
        if line is not None:
            commits.setdefault(line.sha, line)
    unattributed = None
    if any(line is None for line in written):
        unattributed = "it has changes that are not committed (commit them as the approver)"
    elif history.shallow and any(c.boundary for c in commits.values()):
        unattributed = (
            "the clone is shallow, so the commit that wrote it is not known (fetch the full "
            "history: fetch-depth: 0 for actions/checkout, GIT_DEPTH: 0 on GitLab)"
        )
    listed = [
        EntryCommit(
            sha=c.sha,
            author=f"{c.name} <{c.email}>",
            signature=signed.get(c.sha, ("signature that cannot be checked", None))[0],
            signer=signed.get(c.sha, ("", None))[1],
        )
        for c in commits.values()
    ]
    return Provenance(
        commits=listed,
        unattributed=unattributed,
        others=_others(by, commits.values()),
        unsigned=[_unsigned(by, c) for c in listed if _unsigned(by, c)],
    )


def _others(by: str, commits: Iterable[LineCommit]) -> list[str]:
    """`who (sha, sha)` for each person other than the approver who wrote lines of the entry."""
    shas: dict[str, list[str]] = {}
    for c in commits:
        if not _authored_by(by, c.name, c.email):
            shas.setdefault(c.email or c.name, []).append(c.sha[:12])
    return [f"{who} ({', '.join(found)})" for who, found in shas.items()]


def _inert(text: str) -> bool:
    stripped = text.strip()
    return not stripped or stripped.startswith("#")


def _authored_by(by: str, name: str, email: str) -> bool:
    """The approver as git knows them: their email, their name, or their GitHub login when the
    commit carries GitHub's no-reply address (`ID+login@users.noreply.github.com`)."""
    wanted = identity(_email_of(by))
    forms = {identity(name), identity(email)}
    local, _, domain = email.partition("@")
    if identity(domain) == "users.noreply.github.com":
        forms.add(identity(local.partition("+")[2] or local))
    return wanted != "" and wanted in forms


def _unsigned(by: str, commit: EntryCommit) -> str:
    """Why a commit does not carry the approver's good signature; empty when it does."""
    short = commit.sha[:12]
    if commit.signature != "good":
        return f"{short}: {commit.signature}"
    if not commit.signer or not _authored_by(by, commit.signer, _email_of(commit.signer)):
        return f"{short}: signed by {commit.signer or 'an unknown key'}"
    return ""


def _email_of(who: str) -> str:
    """`Name <mail>` -> `mail`; anything else as it is."""
    if who.endswith(">") and "<" in who:
        return who[who.rindex("<") + 1 : -1]
    return who


def mlflow_approvals(mlflow: MlflowFacts, roster: dict[str, list[str]]) -> list[Approval]:
    """Model-version tags `approval.<role>` = `<who>` or `<who> <ISO date>`."""
    approvals = []
    for key, value in sorted(mlflow.version.tags.items()):
        if not key.startswith(MLFLOW_TAG_PREFIX) or not value.strip():
            continue
        who, _, when = value.strip().partition(" ")
        on = parse_iso(when) or mlflow.version.updated_at
        approvals.append(
            Approval(
                by=who,
                on=on,
                source="mlflow",
                role=key.removeprefix(MLFLOW_TAG_PREFIX),
                roles=roles_of(who, roster),
                model=mlflow.model.name,
                version=mlflow.version.version,
                ref=f"model-version tag {key}",
            )
        )
    return approvals


def roles_of(who: str, roster: dict[str, list[str]]) -> list[str]:
    """The roster roles an identity holds (compared in govgate's one normal form)."""
    wanted = identity(who)
    return sorted(
        role for role, members in roster.items() if wanted in {identity(m) for m in members}
    )
