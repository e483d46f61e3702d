"""End to end: the pipeline `govgate init --ci gitlab` writes, run by gitlab-ci-local as generated.

Three model repositories (a pass, a fail and an error, tests/ci/generated_repos.py) each get
their `.gitlab-ci.yml` from `govgate init --ci gitlab`. The only changes before the run point it
at the local checkout: its `include: project:` becomes `include: local:` of this checkout's
template, and GOVGATE_VERSION (a pipeline variable) names a wheel built from this checkout
instead of the release on the package index. Then `govgate verify` checks the report folder the
job kept as its artifact.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from govgate.scaffold import CI_FILES, GITLAB_PROJECT, GITLAB_REF
from tests.ci.generated_repos import EXPECTED, SCENARIOS, generated_repo, verify
from tests.ci_gitlab.test_gitlab_template import (  # noqa: F401 (fixtures)
    TEMPLATE,
    as_clone,
    clean_path,
    gitlab_ci_local,
    govgate_wheel,
)
from tests.conftest import git

pytestmark = pytest.mark.slow

CI_FILE = CI_FILES["gitlab"][0]
INCLUDE = (
    "include:\n"
    f'  - project: "{GITLAB_PROJECT}"\n'
    f'    ref: "{GITLAB_REF}"\n'
    '    file: "/.gitlab-ci-template.yml"\n'
)


def point_at_local_checkout(repo: Path) -> None:
    """The one edit: the include names this checkout's template instead of the project's."""
    text = (repo / CI_FILE).read_text(encoding="utf-8")
    assert text.count(INCLUDE) == 1, text
    (repo / CI_FILE).write_text(
        text.replace(INCLUDE, "include:\n  - local: .gitlab-ci-template.yml\n"), encoding="utf-8"
    )
    shutil.copyfile(TEMPLATE, repo / ".gitlab-ci-template.yml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "include the template from the local checkout")


def job_python(folder: Path) -> Path:
    """A fresh venv as the job's `python3` (see test_gitlab_template.job_python)."""
    venv = folder / "job-python"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    (site,) = venv.glob("lib/python3*/site-packages")
    (site / "host-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_generated_pipeline_gives_the_verdict_and_verifiable_reports(
    gitlab_ci_local: str,  # noqa: F811
    govgate_wheel: Path,  # noqa: F811
    tmp_path: Path,
    scenario: str,
) -> None:
    repo = generated_repo(tmp_path / "repos", scenario, "gitlab", CI_FILE)
    generated = yaml.safe_load((repo / CI_FILE).read_text())
    assert generated["include"][0]["project"] == GITLAB_PROJECT
    point_at_local_checkout(repo)
    as_clone(repo)
    git(repo, "remote", "add", "origin", "https://gitlab.example.com/acme/credit-risk.git")
    python = job_python(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    command = [
        gitlab_ci_local,
        "--force-shell-executor",
        "--no-color",
        "--home", str(home),
        "--variable", f"GOVGATE_VERSION={govgate_wheel}",
    ]  # fmt: skip
    proc = subprocess.run(
        command,
        cwd=repo,
        env={"PATH": clean_path(python), "HOME": str(home), "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    verdict, code = EXPECTED[scenario]
    assert (proc.returncode == 0) == (code == 0), output
    assert f"govgate: verdict {verdict}, exit code {code}" in output, output
    assert (python / "govgate").exists(), "the job did not pip install GOVGATE_VERSION"
    kept = repo / ".gitlab-ci-local" / "artifacts" / "govgate"
    dotenv = (kept / "govgate.env").read_text().splitlines()
    assert dotenv == [f"GOVGATE_VERDICT={verdict}", f"GOVGATE_EXIT_CODE={code}"]
    reports = kept / "govgate-report"
    report = json.loads((reports / "report.json").read_text())
    assert report["verdict"] == verdict
    checked = verify(reports)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    if scenario == "fail":
        issues = json.loads((reports / "codequality.json").read_text())
        assert "docs/model_card.md" in {issue["location"]["path"] for issue in issues}
    if scenario == "error":
        assert re.search(r"127\.0\.0\.1:9", output), output
