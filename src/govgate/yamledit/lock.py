"""One edit of a file at a time: an exclusive `flock` on the file itself, held from read to write.

Editors replace the file by renaming a new one over it, so the lock is taken on whatever file the
path names and then checked: if the path names another file by the time the lock is granted (the
previous holder renamed its edit over it), the lock is taken again on the new one. Locking the
file itself leaves nothing behind in the user's repository. Waiting is bounded; a file that does
not exist yet cannot be locked (its creator must not overwrite one that appears meanwhile).
"""

from __future__ import annotations

import fcntl
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govgate.errors import InputError
from govgate.location import Location

LOCK_TIMEOUT_SECONDS = 30.0
_POLL_SECONDS = (0.005, 0.05)  # a random pause between tries, so waiters do not run in step


@contextmanager
def exclusive(path: Path, display: str) -> Iterator[bool]:
    """Hold the lock on the file `path` names; yields False (and holds nothing) if it is missing."""
    timeout = LOCK_TIMEOUT_SECONDS
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            yield False
            return
        except OSError as exc:
            raise InputError(
                f"cannot open {display} to lock it: {exc.strerror or exc}", Location(path=display)
            ) from None
        try:
            _wait_for(fd, display, deadline, timeout)
            if _still_named(path, fd):
                yield True
                return
        finally:
            os.close(fd)  # closing the descriptor releases the lock


def _wait_for(fd: int, display: str, deadline: float, timeout: float) -> None:
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as exc:
            raise InputError(
                f"cannot lock {display}: {exc.strerror or exc}",
                Location(path=display),
                hint="the file system may not support file locks; nothing was written",
            ) from None
        if time.monotonic() >= deadline:
            raise InputError(
                f"{display} is being edited by another process; gave up waiting after "
                f"{timeout:g} s, nothing was written",
                Location(path=display),
                hint="run the command again once the other edit has finished",
            )
        time.sleep(random.uniform(*_POLL_SECONDS))


def _still_named(path: Path, fd: int) -> bool:
    """Whether `path` still names the locked file (not one renamed over it while we waited)."""
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)
