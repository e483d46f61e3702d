"""`check --source-root DIR`: the Report with its file paths relative to DIR, not to the model
repository, for code views that open files from the root of the project the repository is in.

GitLab's Code Quality widget, GitHub code scanning (SARIF) and annotations resolve a path from
the project's root; a model repository in a subfolder (`models/credit-risk`) would otherwise
point them at files that are not there. Rewriting the Report before any format renders it keeps
every report file, and so the manifest that pins them, as written: nothing edits a report after
govgate wrote it.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from govgate.errors import InputError
from govgate.findings import Finding
from govgate.formats.paths import file_path
from govgate.location import Location
from govgate.report import Report, ReportError

# Inputs whose location is a file of the repository (the others are URIs, `builtin:` or git).
_FILE_INPUTS = frozenset({"config", "rulepack", "artifact", "exceptions", "approvals"})


def rebase_report(report: Report, repo: Path, source_root: Path) -> Report:
    """`report` with every file path made relative to `source_root`.

    Relative paths are the repository's (see `_Rebase.path`); an absolute path inside
    `source_root` becomes relative too. A file outside `source_root` gets its absolute path
    (formats then place it as they place any absolute path); URIs and `builtin:` locations stay
    as they are.
    """
    if not source_root.is_dir():
        raise InputError(
            f"--source-root {source_root} is not a folder",
            hint="pass the folder the project is checked out in",
        )
    rebase = _Rebase(repo.resolve(), source_root.resolve())
    if rebase.prefix == "":
        return report
    return dataclasses.replace(
        report,
        findings=[rebase.finding(f) for f in report.findings],
        errors=[rebase.error(e) for e in report.errors],
        inputs=[
            dataclasses.replace(i, location=rebase.path(i.location))
            if i.kind in _FILE_INPUTS and rebase.is_file(i.location)
            else i
            for i in report.inputs
        ],
    )


class _Rebase:
    def __init__(self, repo: Path, source_root: Path) -> None:
        self.repo = repo
        self.source_root = source_root
        relative = os.path.relpath(repo, source_root)
        self.prefix = "" if relative == "." else relative

    def path(self, path: str) -> str:
        """Most paths are the repository's; the config's (and a `--config` or `--rules` file's)
        are as given on the command line, relative to the current folder: a path that names no
        file in the repository but one from the current folder is taken from there."""
        full = os.path.normpath(os.path.join(self.repo, path))
        if not os.path.exists(full) and os.path.exists(path):
            full = os.path.abspath(path)
        relative = os.path.relpath(full, self.source_root)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            return Path(full).as_posix()
        return Path(relative).as_posix()

    def is_file(self, path: str) -> bool:
        return file_path(Location(path=path)) is not None

    def location(self, location: Location | None) -> Location | None:
        path = file_path(location)
        if location is None or path is None:
            return location
        return dataclasses.replace(location, path=self.path(path))

    def finding(self, finding: Finding) -> Finding:
        return dataclasses.replace(finding, location=self.location(finding.location))

    def error(self, error: ReportError) -> ReportError:
        return dataclasses.replace(error, location=self.location(error.location))
