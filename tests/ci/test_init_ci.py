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
    # the whole history, for rules that date documents or check who committed an approval
    assert steps[0]["with"]["fetch-depth"] == 0
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


def test_ci_on_a_repository_already_set_up_adds_only_the_ci_file(govgate, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    assert govgate("init", "--repo", str(repo)).code == 0
    card = repo / "docs" / "model_card.md"
    card.write_text("# credit-risk\n\nFilled in by the team.\n")
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}

    run = govgate("init", "--repo", str(repo), "--ci", "github", "--ci", "gitlab")
    assert run.code == 0, run.stderr
    after = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    added = sorted(p.relative_to(repo).as_posix() for p in set(after) - set(before))
    assert added == [".github/workflows/govgate.yml", ".gitlab-ci.yml"]
    assert {p: after[p] for p in before} == before
    assert run.stdout.splitlines() == [
        f"created {repo / '.github/workflows/govgate.yml'}",
        f"created {repo / '.gitlab-ci.yml'}",
    ]

    # the CI file itself exists: refused, nothing written
    (repo / ".gitlab-ci.yml").write_text("stages: [build]\n")
    run = govgate("init", "--repo", str(repo), "--ci", "gitlab")
    assert run.code == 2 and "refusing to overwrite" in run.stderr
    assert ".gitlab-ci.yml" in run.stderr and "model_card" not in run.stderr
    assert (repo / ".gitlab-ci.yml").read_text() == "stages: [build]\n"

    # --force replaces the CI file and nothing else: the filled-in card stays
    run = govgate("init", "--repo", str(repo), "--ci", "gitlab", "--force")
    assert run.code == 0, run.stderr
    assert "include:" in (repo / ".gitlab-ci.yml").read_text()
    assert card.read_text() == "# credit-risk\n\nFilled in by the team.\n"
    assert run.stdout.splitlines() == [f"created {repo / '.gitlab-ci.yml'}"]
