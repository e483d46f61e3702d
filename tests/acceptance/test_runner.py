"""The in-process runner (`govgate` fixture) runs main() as a process would and leaves nothing
behind: each call sees its own environment and folder, and the test process gets back its
environment, folder and garbage collector as they were."""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from govgate import __version__
from tests.conftest import Run


def ci_provider(govgate: Callable[..., Run], repo: Path, **env: str) -> str:
    run = govgate("facts", "--repo", str(repo), env=env)
    assert run.code == 0, run.stderr
    return str(json.loads(run.stdout)["ci"]["provider"])


def test_ci_variables_of_the_test_process_never_reach_a_run(
    govgate: Callable[..., Run], example_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert ci_provider(govgate, example_repo) == "local"
    assert os.environ["GITHUB_ACTIONS"] == "true"  # removed for the run only


def test_a_calls_environment_holds_for_that_call_only(
    govgate: Callable[..., Run], example_repo: Path
) -> None:
    assert ci_provider(govgate, example_repo, GITLAB_CI="true") == "gitlab"
    assert "GITLAB_CI" not in os.environ
    assert ci_provider(govgate, example_repo) == "local"


def test_the_run_happens_in_its_folder_and_the_test_keeps_its_own(
    govgate: Callable[..., Run], example_repo: Path
) -> None:
    here = os.getcwd()
    run = govgate("validate", cwd=example_repo)  # the default path is ./govgate.yaml
    assert run.code == 0 and "1 file(s) checked, 0 problem(s)" in run.stdout
    assert os.getcwd() == here


def test_the_collector_is_left_running_and_unfrozen(
    govgate: Callable[..., Run], example_repo: Path
) -> None:
    """main() leaves the collector alone (no pause, no freeze), so a test process keeps it running
    with nothing frozen, without the runner restoring anything."""
    run = govgate("facts", "--repo", str(example_repo))
    assert run.code == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_argparse_exits_become_exit_statuses(govgate: Callable[..., Run]) -> None:
    version = govgate("--version")
    assert version.code == 0 and version.stdout.strip() == f"govgate {__version__}"
    typo = govgate("chekc")
    assert typo.code == 2 and "invalid choice: 'chekc'" in typo.stderr and typo.stdout == ""
