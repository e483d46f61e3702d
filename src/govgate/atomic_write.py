"""Write a file atomically: a temp file in the same folder, then a rename over the target.

The one writer for every file govgate writes (reports, the manifest, the exceptions and approvals
files): a reader sees the old file or the whole new one, never half of it.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def write_atomic(
    path: Path, content: bytes, *, mode: int | None = None, overwrite: bool = True
) -> None:
    """A reader sees the old file or the whole new one, never half of it.

    `mode` gives the new file those permission bits (default: the temp file's own, 0o600). With
    `overwrite=False` an existing file is never replaced: FileExistsError, and nothing is written;
    two writers racing to create the same file cannot both succeed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path, content, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _link_new(tmp: str, path: Path, content: bytes, mode: int | None) -> None:
    """Give the finished temp file the name `path` unless something has it already."""
    try:
        os.link(tmp, path)  # atomic, and fails with FileExistsError if the name is taken
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # A file system without hard links: an exclusive create still refuses to overwrite,
        # though a reader could see the new file before all of it is written.
        out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if mode is None else mode)
        with os.fdopen(out, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        Path(tmp).unlink(missing_ok=True)


_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS})
