"""`.pre-commit-hooks.yaml` run by the real pre-commit tool on a model repository.

pre-commit installs govgate from this checkout into its own environment (`try-repo`), then runs
the hooks as a developer's `git commit` would: `govgate-validate` on the YAML and Rego files
(other YAML skipped), `govgate-check` on the whole repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, git

pytestmark = [
    pytest.mark.slow,  # pre-commit installs govgate into its own environment first
    pytest.mark.skipif(
        shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None,
        reason="pre-commit is not installed (make test installs it)",
    ),
]


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook environment for the module: pre-commit installs govgate into it once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GITLAB", "CI"))}
    env |= {"PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [str(Path(sys.executable).parent / "pre-commit"), "try-repo", str(ROOT), hook,
         "--all-files", "--verbose"],
        cwd=repo, capture_output=True, text=True, env=env, timeout=900,
    )  # fmt: skip


def model_repo(make_repo: Callable[..., Path], example: str = "credit-risk") -> Path:
    """An example model repository that also holds YAML govgate does not read."""
    return make_repo(
        {
            ".gitlab-ci.yml": "include: [{local: ci/build.yml}]\nstages: [build]\n",
            "deploy/values.yaml": "replicaCount: 2\nimage: {repository: scorer, tag: '7'}\n",
            ".gitignore": "govgate-report/\n",
        },
        name=example,
        base=EXAMPLES / example,
    )


def test_the_validate_hook_passes_govgates_files_and_skips_other_yaml(
    make_repo: Callable[..., Path], pre_commit_home: Path
) -> None:
    repo = model_repo(make_repo)
    run = try_repo(repo, pre_commit_home, "govgate-validate")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "govgate validate" in run.stdout and "Passed" in run.stdout
    # govgate.yaml, approvals, exceptions; the CI file, the chart values, the risk assessment and
    # the monitoring plan (artifacts, read by rules, not documents with a govgate kind) skipped
    assert "3 file(s) checked, 4 skipped (not govgate documents), 0 problem(s)" in run.stdout


def test_the_validate_hook_blocks_a_broken_approvals_file_at_its_line(
    make_repo: Callable[..., Path], pre_commit_home: Path
) -> None:
    repo = model_repo(make_repo)
    approvals = repo / "governance" / "approvals.yaml"
    approvals.write_text(approvals.read_text().replace("on: 2026-11-19", "on: 19/11/2026", 1))
    git(repo, "commit", "-qam", "a date nobody can read")
    run = try_repo(repo, pre_commit_home, "govgate-validate")
    assert run.returncode == 1
    assert "Failed" in run.stdout
    assert "governance/approvals.yaml:12:" in run.stdout, run.stdout


def test_the_check_hook_passes_a_complete_release_and_blocks_an_incomplete_one(
    make_repo: Callable[..., Path], pre_commit_home: Path
) -> None:
    complete = try_repo(model_repo(make_repo), pre_commit_home, "govgate-check")
    assert complete.returncode == 0, complete.stdout
    assert "verdict: PASS" in complete.stdout
    incomplete = try_repo(
        model_repo(make_repo, "credit-risk-incomplete"), pre_commit_home, "govgate-check"
    )
    assert incomplete.returncode == 1
    assert "verdict: FAIL" in incomplete.stdout and "CARD-003" in incomplete.stdout
