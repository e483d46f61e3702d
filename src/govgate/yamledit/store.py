"""Read, change and write a user's file under its lock, so parallel edits queue instead of losing.

`under_lock` runs one edit while holding the file's lock and starts again when the file was
created by someone else meanwhile; `write_unless_changed` replaces the file only if it still
holds the bytes the edit started from (the check and the rename happen under that lock).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from govgate.atomic_write import write_atomic
from govgate.errors import InputError
from govgate.location import Location
from govgate.yamledit.lock import exclusive

CREATE_ATTEMPTS = 5
T = TypeVar("T")


class CreatedMeanwhile(Exception):
    """The file did not exist when the edit began, and another process has created it since."""


def under_lock(path: Path, display: str, edit: Callable[[Path, bool], T]) -> T:
    """`edit(target, exists)` with the lock on `target` (`path`, symlinks resolved) held.

    A file that does not exist cannot be locked: `exists` is then False, an edit that creates it
    writes without replacing anything, and when another process created the file first (the edit
    raises CreatedMeanwhile) it starts again, under the lock.
    """
    for _ in range(CREATE_ATTEMPTS):
        target = Path(os.path.realpath(path))
        with exclusive(target, display) as held:
            try:
                return edit(target, held)
            except CreatedMeanwhile:
                continue
    raise InputError(
        f"{display} kept appearing and changing while it was being created; nothing was written",
        Location(path=display),
        hint="run the command again",
    )


def write_unless_changed(
    target: Path, display: str, original: bytes | None, content: bytes
) -> None:
    """Replace the file atomically, keeping its permissions; refuse if it changed meanwhile
    (CreatedMeanwhile when it did not exist and now does).

    The caller holds the file's lock, so no other `govgate` edit can slip in between this check
    and the rename; the check still catches an editor that does not take the lock.
    """
    try:
        current: bytes | None = target.read_bytes()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise InputError(
            f"cannot read {display}: {exc.strerror or exc}", Location(path=display)
        ) from None
    if original is None and current is not None:
        raise CreatedMeanwhile
    if current != original:
        raise InputError(
            f"{display} changed on disk while it was being edited; nothing was written",
            Location(path=display),
            hint="run the command again",
        )
    try:
        mode = target.stat().st_mode & 0o7777 if current is not None else _new_file_mode(target)
        write_atomic(target, content, mode=mode, overwrite=current is not None)
    except FileExistsError:
        raise CreatedMeanwhile from None
    except OSError as exc:
        raise InputError(
            f"cannot write {display}: {exc.strerror or exc}", Location(path=display)
        ) from None


def _new_file_mode(target: Path) -> int:
    """The permissions a plain `open(path, "w")` gives a new file in the target's folder (the
    umask, and any default ACL of the folder), read from a probe file there rather than by setting
    the process-wide umask to read it back."""
    target.parent.mkdir(parents=True, exist_ok=True)  # as the write that follows would
    probe = target.parent / f".{target.name}.{secrets.token_hex(8)}.mode"
    created = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        return os.fstat(created).st_mode & 0o777
    finally:
        os.close(created)
        os.unlink(probe)
