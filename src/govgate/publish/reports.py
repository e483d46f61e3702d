"""A run's report folder: every format rendered, then written, then pinned by the manifest."""

from __future__ import annotations

from pathlib import Path

from govgate.formats.base import Format
from govgate.publish.files import check_output_folder, write_rendered
from govgate.publish.manifest import write_manifest
from govgate.report import Report


def write_reports(report: Report, formats: list[Format], output_dir: Path) -> list[Path]:
    """Render every format first, then write: a render fault leaves no partial set of files.

    The folder is checked before anything is written (`check_output_folder`), and the formats
    written are then pinned in `manifest.sha256`, those and nothing else: a file this run did not
    write (left by an earlier run, or planted, such as a `summary.md` saying PASS) is never
    pinned, so `govgate verify` reports it instead of vouching for it. The paths returned are the
    formats', in order; the manifest's is `output_dir / MANIFEST`.
    """
    check_output_folder(output_dir)
    written = write_rendered([(output_dir / f.filename, f.render(report)) for f in formats])
    write_manifest(output_dir, [path.name for path in written])
    return written
