"""`govgate ci gitlab`: a run's outcome as a GitLab job hands it on, in its dotenv report.

`GOVGATE_VERDICT` and `GOVGATE_EXIT_CODE` for later jobs (`needs: [govgate]`). Code Quality
paths need nothing here: the template runs `govgate check --source-root "$CI_PROJECT_DIR"`, so
codequality.json is written with project-relative paths and the manifest pins it as it stays.
"""

from __future__ import annotations

from pathlib import Path

from govgate.atomic_write import write_atomic
from govgate.ci.outcome import Outcome
from govgate.errors import OutputError
from govgate.location import Location


def dotenv(outcome: Outcome) -> str:
    return f"GOVGATE_VERDICT={outcome.verdict}\nGOVGATE_EXIT_CODE={outcome.exit_code}\n"


def write_dotenv(outcome: Outcome, path: Path) -> None:
    try:
        write_atomic(path, dotenv(outcome).encode(), mode=0o644)
    except OSError as exc:
        raise OutputError(
            f"cannot write {path}: {exc.strerror or exc}", Location(path=str(path))
        ) from None
