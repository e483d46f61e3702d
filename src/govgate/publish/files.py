"""Write report files atomically: a temp file in the same folder, then rename over the target."""

from __future__ import annotations

import os
from pathlib import Path

from govgate.atomic_write import write_atomic
from govgate.errors import OutputError
from govgate.location import Location


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
