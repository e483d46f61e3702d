"""Write report files atomically: a temp file in the same folder, then rename over the target."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from govgate.errors import OutputError
from govgate.location import Location


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


def write_rendered(rendered: list[tuple[Path, bytes]]) -> list[Path]:
    """Write already-rendered files atomically, in order; a failure names the file.

    Every folder is checked first, so a folder govgate must not write into gets nothing at all.
    """
    for folder in dict.fromkeys(path.parent for path, _ in rendered):
        check_output_folder(folder)
    for path, content in rendered:
        try:
            write_atomic(path, content)
        except OSError as exc:
            raise OutputError(
                f"cannot write {path}: {exc.strerror or exc}", Location(path=str(path))
            ) from None
    return [path for path, _ in rendered]


_REFUSED = "nothing was written"
_REAL_FOLDER = "remove the link, or pass --output-dir with a real folder"


def check_output_folder(folder: Path) -> None:
    """Refuse a report folder govgate does not own, before anything is created or written.

    A pull request controls what is committed, so a symlink in the repository could send the
    reports (and the folders made for them) anywhere the CI user can write. The folder itself
    must not be a symlink, wherever it is; and every symlink the path crosses, followed as the
    system will (a `..` after a link goes up from its target), that lies inside a repository (a
    git work tree) must lead to a place inside it. Links elsewhere (a user's own scratch
    folder, `/tmp` on macOS) are the user's choice and are followed.
    """
    where = Location(path=str(folder))  # every message below follows this path
    if os.path.islink(folder):
        raise OutputError(
            f"the output folder is a symlink (to {os.readlink(folder)}); govgate writes "
            f"reports only into a real folder, {_REFUSED}",
            where,
            hint=_REAL_FOLDER,
        )
    cwd = Path(os.getcwd())  # the real path: the system gives no other
    current = Path(folder.anchor) if folder.is_absolute() else cwd
    for part in folder.parts[1:] if folder.is_absolute() else folder.parts:
        if part == "..":
            current = current.parent  # `current` is real, so its parent is the system's `..`
            continue
        step = current / part
        if not step.is_symlink():
            current = step
            continue
        try:
            target = step.resolve()
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop, up to Python 3.12
            raise OutputError(
                f"the output folder's path crosses a symlink loop at {step}, {_REFUSED}",
                where,
                hint=_REAL_FOLDER,
            ) from None
        for root in _roots_holding(step):
            if not target.is_relative_to(root):
                raise OutputError(
                    f"{step.relative_to(root)} is a symlink to "
                    f"{os.readlink(step)}, which leads outside the repository {root}; "
                    f"govgate writes only into a folder it owns, {_REFUSED}",
                    where,
                    hint=_REAL_FOLDER,
                )
        current = target


def _roots_holding(link: Path) -> list[Path]:
    """The git work trees holding `link` (a real path), outermost first: the folders whose
    content a commit controls. All of them: a link inside a checkout nested in another must
    stay inside both. (`.git` is a folder, or a file in a worktree or submodule.)"""
    return [a for a in reversed(link.parents) if os.path.lexists(a / ".git")]
