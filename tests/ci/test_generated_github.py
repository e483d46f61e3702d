"""End to end: the workflow `govgate init --ci github` writes, run by act as generated.

Three model repositories (a pass, a fail and an error, tests/ci/generated_repos.py) each get
their workflow from `govgate init --ci github`; act runs it in host mode with the generated
`uses: your-org/govgate@v1` served from a copy of this checkout (`--local-repository`: the only
change, pointing the action at the local checkout; its default install builds govgate from it).
Then `govgate verify` checks the report folder each run uploaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from govgate.scaffold import ACTION, CI_FILES
from tests.ci.generated_repos import EXPECTED, SCENARIOS, generated_repo, verify
from tests.ci.test_github_action import CHECKOUT_IGNORES, STUBS, Job, act_binary
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

WORKFLOW = CI_FILES["github"][0]


def run_act(act: str, repo: Path, action: Path, folder: Path, env: dict[str, str]) -> Job:
    artifacts = folder / "artifacts"
    artifacts.mkdir(parents=True)
    command = [
        act,
        "push",
        "-C", str(repo),
        "-W", str(repo / WORKFLOW),
        "-P", "ubuntu-latest=-self-hosted",
        "--action-offline-mode",
        "--action-cache-path", str(folder / "act-cache"),
        "--no-cache-server",
        "--json",
        "--env", f"GOVGATE_TEST_PYTHON={getattr(sys, '_base_executable', sys.executable)}",
        "--env", f"GOVGATE_TEST_ARTIFACTS={artifacts}",
        "--local-repository", f"{ACTION}={action}",
    ]  # fmt: skip
    for ref, stub in STUBS.items():
        command += ["--local-repository", f"{ref}={stub}"]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    (folder / "act.jsonl").write_text(proc.stdout)
    job = Job()
    for line in proc.stdout.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("jobID") == "govgate":
            job.events.append(event)
            if "jobResult" in event:
                job.result = event["jobResult"]
    assert job.events, proc.stderr[-3000:]
    return job


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Job, Path]]:
    folder = tmp_path_factory.mktemp("generated-github")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "GITLAB", "CI", "ACT", "RUNNER_", "GOVGATE_", "MLFLOW_"))
    }
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)
    env["XDG_CONFIG_HOME"] = str(folder / "config")
    act = act_binary(env)
    action = folder / "govgate-action"
    shutil.copytree(ROOT, action, ignore=CHECKOUT_IGNORES)
    repos = {s: generated_repo(folder / "repos", s, "github", WORKFLOW) for s in SCENARIOS}
    with ThreadPoolExecutor(max_workers=len(repos)) as pool:
        jobs = {
            s: pool.submit(run_act, act, repo, action, folder / "act" / s, env)
            for s, repo in repos.items()
        }
        return {s: (job.result(), folder / "act" / s / "artifacts") for s, job in jobs.items()}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_generated_workflow_gives_the_verdict_and_verifiable_reports(
    runs: dict[str, tuple[Job, Path]], scenario: str
) -> None:
    job, artifacts = runs[scenario]
    verdict, code = EXPECTED[scenario]
    assert job.result == ("success" if code == 0 else "failure"), job.text()[-5000:]
    outputs = job.outputs()
    assert outputs["verdict"] == verdict and outputs["exit-code"] == str(code), job.text()[-5000:]
    assert f"govgate: verdict {verdict}, exit code {code}" in job.text()
    reports = artifacts / "govgate-report"  # upload-artifact: if: always()
    report = json.loads((reports / "report.json").read_text())
    assert report["verdict"] == verdict and report["ci"]["provider"] == "github"
    checked = verify(reports)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_fail_annotates_the_files_of_the_repository(runs: dict[str, tuple[Job, Path]]) -> None:
    job, artifacts = runs["fail"]
    errors = {props["title"]: props for props, _ in job.annotations("error")}
    assert errors["CARD-003"] == {"file": "docs/model_card.md", "line": "37", "title": "CARD-003"}
    assert "FAIL" in job.summary() and "CARD-003" in job.summary()
    # a pushed run uploads its SARIF, with the paths relative to the repository root
    sarif = json.loads((artifacts / "sarif" / "govgate.sarif").read_text())
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for location in result.get("locations", [])
    }
    assert "docs/model_card.md" in uris


def test_an_error_says_why_and_never_passes(runs: dict[str, tuple[Job, Path]]) -> None:
    job, _ = runs["error"]
    assert "ERROR" in job.summary()
    assert any("127.0.0.1:9" in message for _, message in job.annotations("error"))
