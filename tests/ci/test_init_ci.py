"""`govgate init --ci`: the scaffolded workflow and GitLab file pass the validators the
ecosystem uses (jactionlint, check-jsonschema's GitHub workflow and GitLab CI schemas)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from govgate.scaffold import ACTION
from tests.ci.test_github_action import tool


def scaffolded(govgate, tmp_path: Path, *systems: str) -> Path:
    repo = tmp_path / "fraud-detector"
    repo.mkdir()
    args = [arg for system in systems for arg in ("--ci", system)]
    run = govgate("init", "--repo", str(repo), *args)
    assert run.code == 0, run.stderr
    return repo


def validate(*command: str) -> None:
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_github_workflow_lints_clean_and_runs_the_action(govgate, tmp_path: Path) -> None:
    workflow = scaffolded(govgate, tmp_path, "github") / ".github" / "workflows" / "govgate.yml"
    validate(
        tool("jactionlint"), "--profile", "correctness", f"--shellcheck={tool('shellcheck')}",
        "--no-online", "--no-color", str(workflow),
    )  # fmt: skip
    validate(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow))
    document = yaml.safe_load(workflow.read_text())
    steps = document["jobs"]["govgate"]["steps"]
    assert [s.get("uses") for s in steps] == ["actions/checkout@v4", ACTION]
    assert document["permissions"] == {}  # least privilege by default, granted per job
    assert "models:/fraud-detector@candidate" in workflow.read_text()  # the model, commented


def test_the_gitlab_file_meets_gitlabs_schema_and_includes_the_template(
    govgate, tmp_path: Path
) -> None:
    ci = scaffolded(govgate, tmp_path, "gitlab") / ".gitlab-ci.yml"
    validate(tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(ci))
    include = yaml.safe_load(ci.read_text())["include"]
    assert include[0]["file"] == "/.gitlab-ci-template.yml"


def test_an_existing_ci_file_is_never_overwritten(govgate, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".gitlab-ci.yml").write_text("stages: [build]\n")
    run = govgate("init", "--repo", str(repo), "--ci", "gitlab")
    assert run.code == 2 and "refusing to overwrite" in run.stderr
    assert (repo / ".gitlab-ci.yml").read_text() == "stages: [build]\n"
    assert not (repo / "govgate.yaml").exists()  # all or nothing
