"""Write report files atomically: a temp file in the same folder, then rename over the target."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from govgate.errors import OutputError
from govgate.formats.base import Format
from govgate.location import Location
from govgate.report import Report


def write_atomic(path: Path, content: bytes) -> None:
    """A reader sees the old file or the whole new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_reports(report: Report, formats: list[Format], output_dir: Path) -> list[Path]:
    """Render every format first, then write: a render fault leaves no partial set of files."""
    return write_rendered([(output_dir / f.filename, f.render(report)) for f in formats])


def write_rendered(rendered: list[tuple[Path, bytes]]) -> list[Path]:
    """Write already-rendered files atomically, in order; a failure names the file."""
    for path, content in rendered:
        try:
            write_atomic(path, content)
        except OSError as exc:
            raise OutputError(
                f"cannot write {path}: {exc.strerror or exc}", Location(path=str(path))
            ) from None
    return [path for path, _ in rendered]
