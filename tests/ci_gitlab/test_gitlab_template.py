"""The GitLab CI template (.gitlab-ci-template.yml), run for real by gitlab-ci-local.

Each pipeline runs in a throwaway git repository that includes the template the way a user's
`.gitlab-ci.yml` does, on the shell executor (the template sets `image:`; there is no Docker
here). gitlab-ci-local is npm's `gitlab-ci-local@4.73.0`, installed by the Makefile under
`.tools/` (or named by GOVGATE_GITLAB_CI_LOCAL); it needs node and rsync.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from govgate import __version__
from tests.conftest import EXAMPLES, ROOT, git

TEMPLATE = ROOT / ".gitlab-ci-template.yml"
DOCS = ROOT / "docs" / "ci" / "gitlab.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TOOL_ENV = "GOVGATE_GITLAB_CI_LOCAL"
TOOL_DEFAULT = ROOT / ".tools" / "node_modules" / ".bin" / "gitlab-ci-local"
AT = "2026-11-26T12:00:00Z"  # the examples' approvals and exceptions are valid then
FORMAT_FILES = {
    "json": "report.json",
    "junit": "junit.xml",
    "codequality": "codequality.json",
    "markdown": "summary.md",
}
VARIABLES = {
    "GOVGATE_VERSION": f"govgate=={__version__}",
    "GOVGATE_REPO": ".",
    "GOVGATE_CONFIG": "",
    "GOVGATE_MODEL": "",
    "GOVGATE_TRACKING_URI": "",
    "GOVGATE_RISK_TIER": "",
    "GOVGATE_STAGE": "",
    "GOVGATE_RULES": "",
    "GOVGATE_FORMATS": "json,junit,codequality,markdown",
    "GOVGATE_OUTPUT_DIR": "govgate-report",
    "GOVGATE_AT": "",
    "GOVGATE_ADVISORY": "false",
    "GOVGATE_PUBLISH": "false",
}


def load_template() -> dict:
    return yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))


# --- the template as data -----------------------------------------------------------------


def test_template_defines_a_hidden_job_and_a_ready_job_that_extends_it() -> None:
    template = load_template()
    base = template[".govgate"]
    assert template["govgate"]["extends"] == ".govgate"
    assert template["govgate"]["stage"] == "test"
    assert base["image"] == "python:3.11-slim"
    assert base["variables"]["GIT_DEPTH"] == "0"  # the whole history, for rules that need it
    assert base["artifacts"]["when"] == "always"
    assert "govgate-report/" in base["artifacts"]["paths"]
    assert base["artifacts"]["reports"] == {
        "junit": "govgate-report/junit.xml",
        "codequality": "govgate-report/codequality.json",
        "dotenv": "govgate.env",
    }
    conditions = [rule["if"] for rule in base["rules"]]
    assert any('$CI_PIPELINE_SOURCE == "merge_request_event"' in c for c in conditions)
    assert any("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in c for c in conditions)


def test_every_input_is_a_variable_with_its_default_and_documented() -> None:
    # plain values: a `description:` would prefill the "Run pipeline" form
    assert load_template()["variables"] == VARIABLES
    docs = DOCS.read_text(encoding="utf-8")
    undocumented = [name for name in VARIABLES if f"`{name}`" not in docs]
    assert not undocumented, f"docs/ci/gitlab.md has no row for {undocumented}"


def test_the_default_install_is_the_release_of_this_template() -> None:
    # pyproject takes the version from govgate/__init__.py: a release moves both together
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'path = "src/govgate/__init__.py"' in pyproject and 'dynamic = ["version"]' in pyproject
    assert load_template()["variables"]["GOVGATE_VERSION"] == f"govgate=={__version__}"


def test_script_never_evals_traces_or_dumps_the_environment() -> None:
    lines = "\n".join(load_template()[".govgate"]["script"]).splitlines()
    script = "\n".join(line for line in lines if not line.strip().startswith("#"))
    assert not re.search(r"\beval\b", script)
    assert not re.search(r"set -[a-z]*x", script)  # a trace would print every value
    dump = r"(^|[;&|]|then|do)\s*(env|printenv|set|export -p|declare -p)\s*($|[;&|>])"
    assert not re.search(dump, script, re.MULTILINE)
    # every expansion of an input is quoted
    unquoted = re.findall(r'(?<!")\$\{?GOVGATE_[A-Z_]+(?![A-Z_])', script)
    assert unquoted == ["$GOVGATE_RULES"], unquoted  # the one split on purpose, with set -f


# --- shared -------------------------------------------------------------------------------


def clean_path(*first: Path) -> str:
    """PATH without any folder holding a govgate, so only the job's own install can run."""
    kept = [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and not (Path(entry) / "govgate").exists()
    ]
    return os.pathsep.join([*map(str, first), *kept])


@pytest.fixture
def fake_govgate(tmp_path: Path) -> Path:
    """A bin folder whose `govgate` records its arguments (GOVGATE_VERSION empty: no install)."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    script = folder / "govgate"
    script.write_text(f"#!{sys.executable}\n" + (FIXTURES / "fake_govgate.py").read_text())
    script.chmod(0o755)
    return folder


# --- the script alone, in a POSIX sh (dash) and in bash ----------------------------------

SHELLS = [
    pytest.param(name, marks=pytest.mark.skipif(not shutil.which(name), reason=f"no {name}"))
    for name in ("dash", "bash")
]


@pytest.fixture
def run_script(tmp_path: Path, fake_govgate: Path) -> Callable[..., tuple[int, str, Path]]:
    """The job's script as a runner runs it (`set -e` first), with the template's variables.

    `python3` is a stand-in that records `-m pip` calls and hands everything else to Python.
    """
    fake_python = fake_govgate / "python3"
    fake_python.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "if sys.argv[1:3] == ['-m', 'pip']:\n"
        "    with open(os.environ['PIP_CALLS'], 'a') as f:\n"
        "        f.write(json.dumps(sys.argv[3:]) + '\\n')\n"
        "    sys.exit(int(os.environ.get('FAKE_PIP_EXIT', '0')))\n"
        f"os.execv({sys.executable!r}, [{sys.executable!r}, *sys.argv[1:]])\n"
    )
    fake_python.chmod(0o755)
    project = tmp_path / "project"
    (project / "model").mkdir(parents=True)
    script = "set -e\n" + "\n".join(load_template()[".govgate"]["script"])

    def run(shell: str, **variables: str) -> tuple[int, str, Path]:
        env = {
            **VARIABLES,
            "GOVGATE_VERSION": "",
            **variables,
            "PATH": clean_path(fake_govgate),
            "PIP_CALLS": str(tmp_path / "pip-calls.jsonl"),
        }
        proc = subprocess.run(
            [shell, "-c", script],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return proc.returncode, proc.stdout + proc.stderr, project

    return run


def read_dotenv(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line)


@pytest.mark.parametrize("shell", SHELLS)
def test_script_runs_in_posix_sh_and_bash(
    run_script: Callable[..., tuple[int, str, Path]], shell: str
) -> None:
    code, output, project = run_script(shell, GOVGATE_REPO="model")
    assert code == 1, output
    assert read_dotenv(project / "govgate.env") == {
        "GOVGATE_VERDICT": "fail",
        "GOVGATE_EXIT_CODE": "1",
    }
    call = json.loads((project / "model" / "fake-govgate-call.json").read_text())
    assert call["args"][3:5] == ["--format", "json,junit,codequality,markdown"]
    issues = json.loads((project / "govgate-report" / "codequality.json").read_text())
    assert [i["location"]["path"] for i in issues] == [
        "model/docs/model_card.md",
        "model/govgate.yaml",
    ]


@pytest.mark.parametrize(
    ("version", "installed"),
    [
        ("0.2.0", "govgate==0.2.0"),
        ("1.0.0rc1", "govgate==1.0.0rc1"),
        ("govgate", "govgate"),
        ("govgate[mlflow]>=0.2,<0.3", "govgate[mlflow]>=0.2,<0.3"),
        ("./dist/govgate-0.2.0-py3-none-any.whl", "./dist/govgate-0.2.0-py3-none-any.whl"),
    ],
)
def test_a_bare_version_pins_govgate_and_anything_else_goes_to_pip_as_is(
    run_script: Callable[..., tuple[int, str, Path]], tmp_path: Path, version: str, installed: str
) -> None:
    code, output, _ = run_script("sh", GOVGATE_VERSION=version)
    assert code == 1, output
    calls = (tmp_path / "pip-calls.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in calls] == [["install", "--quiet", installed]]


@pytest.mark.parametrize(
    "variables",
    [
        {"GOVGATE_PUBLISH": "yes"},
        {"GOVGATE_ADVISORY": "1"},
        {"GOVGATE_REPO": "no/such/folder"},
        {"GOVGATE_VERSION": "govgate", "FAKE_PIP_EXIT": "1"},
    ],
    ids=["publish-yes", "advisory-1", "no-repo", "pip-fails"],
)
def test_a_bad_input_is_an_error_before_the_gate_runs(
    run_script: Callable[..., tuple[int, str, Path]], variables: dict[str, str]
) -> None:
    code, output, project = run_script("sh", **variables)
    assert code == 2, output
    assert "govgate: verdict error, exit code 2" in output
    assert read_dotenv(project / "govgate.env") == {
        "GOVGATE_VERDICT": "error",
        "GOVGATE_EXIT_CODE": "2",
    }
    assert not list(project.rglob("fake-govgate-call.json"))


@pytest.mark.parametrize(
    ("verdict", "exit_code", "expected"),
    [
        ("pass", "0", ("pass", "0")),
        ("fail", "0", ("fail", "0")),  # --advisory
        ("none", "0", ("error", "2")),  # no report: never a pass without its evidence
        ("none", "1", ("error", "2")),
        ("pass", "3", ("error", "2")),  # an exit code govgate never gives
        ("fail", "2", ("error", "2")),
    ],
)
def test_the_dotenv_and_exit_code_follow_the_report_of_this_run(
    run_script: Callable[..., tuple[int, str, Path]],
    verdict: str,
    exit_code: str,
    expected: tuple[str, str],
) -> None:
    code, output, project = run_script("sh", FAKE_VERDICT=verdict, FAKE_EXIT=exit_code)
    assert code == int(expected[1]), output
    assert read_dotenv(project / "govgate.env") == {
        "GOVGATE_VERDICT": expected[0],
        "GOVGATE_EXIT_CODE": expected[1],
    }


# --- executed by gitlab-ci-local ----------------------------------------------------------


@dataclass
class Pipeline:
    code: int
    output: str
    repo: Path

    @property
    def artifacts(self) -> Path:
        """What gitlab-ci-local kept of the job's `artifacts:` (paths and dotenv report)."""
        return self.repo / ".gitlab-ci-local" / "artifacts" / "govgate"

    def dotenv(self, root: Path | None = None) -> dict[str, str]:
        path = (root or self.repo) / "govgate.env"
        lines = path.read_text(encoding="utf-8").splitlines()
        return dict(line.split("=", 1) for line in lines if line)


@pytest.fixture(scope="session")
def gitlab_ci_local() -> str:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the GitLab template tests need node and npm")
    tool = Path(os.environ.get(TOOL_ENV) or TOOL_DEFAULT)
    assert tool.exists(), (
        f"gitlab-ci-local not found at {tool}: run "
        "`npm install --prefix .tools gitlab-ci-local@4.73.0` (or set GOVGATE_GITLAB_CI_LOCAL)"
    )
    assert shutil.which("rsync"), "gitlab-ci-local needs rsync: apt-get install -y rsync"
    return str(tool)


@pytest.fixture(scope="session")
def govgate_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout as a wheel, so the job's `pip install "$GOVGATE_VERSION"` is quick."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(folder), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = folder.glob("govgate-*.whl")
    return wheel


@pytest.fixture
def job_python(tmp_path: Path) -> Path:
    """A fresh venv as the job's `python3`: no govgate in it until the job installs one.

    pip and govgate's dependencies come from this interpreter's site-packages (a .pth line, so
    the editable govgate there is not picked up): the job's install needs no network.
    """
    venv = tmp_path / "job-python"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    (site,) = venv.glob("lib/python3*/site-packages")
    (site / "host-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


@pytest.fixture
def run_pipeline(
    gitlab_ci_local: str, make_repo: Callable[..., Path], tmp_path: Path
) -> Callable[..., Pipeline]:
    def run(
        example: str,
        *args: str,
        ci_file: str = "gitlab-ci.yml",
        path: str,
        files: dict[str, str | Path] | None = None,
    ) -> Pipeline:
        repo = make_repo(
            {
                ".gitlab-ci.yml": FIXTURES / ci_file,
                ".gitlab-ci-template.yml": TEMPLATE,
                **(files or {}),
            },
            base=EXAMPLES / example,
        )
        git(repo, "remote", "add", "origin", "https://gitlab.example.com/acme/credit-risk.git")
        as_clone(repo)
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        env = {"PATH": path, "HOME": str(home), "LANG": "C.UTF-8"}
        proc = subprocess.run(
            [gitlab_ci_local, "--force-shell-executor", "--no-color", "--home", str(home), *args],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        return Pipeline(proc.returncode, proc.stdout + proc.stderr, repo)

    return run


def format_variables() -> list[str]:
    """The template's default formats once they are all in the CLI; until then the ones that are."""
    from govgate.formats import FORMATS

    if all(name in FORMATS for name in FORMAT_FILES):
        return []
    return ["--variable", "GOVGATE_FORMATS=" + ",".join(n for n in FORMAT_FILES if n in FORMATS)]


def expected_report_files() -> list[str]:
    from govgate.formats import FORMATS

    return [filename for name, filename in FORMAT_FILES.items() if name in FORMATS]


def test_complete_example_passes_and_hands_on_the_verdict(
    run_pipeline: Callable[..., Pipeline], govgate_wheel: Path, job_python: Path
) -> None:
    pipeline = run_pipeline(
        "credit-risk",
        "--variable",
        f"GOVGATE_VERSION={govgate_wheel}",
        "--variable",
        f"GOVGATE_AT={AT}",
        *format_variables(),
        path=clean_path(job_python),
    )
    assert pipeline.code == 0, pipeline.output
    assert (job_python / "govgate").exists(), "the job did not pip install GOVGATE_VERSION"
    assert "PASS  govgate" in pipeline.output
    assert "verdict: PASS" in pipeline.output
    report = json.loads((pipeline.artifacts / "govgate-report" / "report.json").read_text())
    assert report["verdict"] == "pass" and report["evaluated_at"].startswith("2026-11-26T12:00")
    for name in expected_report_files():
        assert (pipeline.artifacts / "govgate-report" / name).is_file(), name
    assert pipeline.dotenv() == {"GOVGATE_VERDICT": "pass", "GOVGATE_EXIT_CODE": "0"}
    dotenv_report = pipeline.artifacts / ".gitlab-ci-reports" / "dotenv"
    assert pipeline.dotenv(dotenv_report)["GOVGATE_VERDICT"] == "pass"
    assert "release-decision saw GOVGATE_VERDICT=pass GOVGATE_EXIT_CODE=0" in pipeline.output


def test_incomplete_example_fails_the_job_and_keeps_its_reports(
    run_pipeline: Callable[..., Pipeline], govgate_wheel: Path, job_python: Path
) -> None:
    pipeline = run_pipeline(
        "credit-risk-incomplete",
        "--variable",
        f"GOVGATE_VERSION={govgate_wheel}",
        "--variable",
        f"GOVGATE_AT={AT}",
        *format_variables(),
        path=clean_path(job_python),
    )
    assert pipeline.code != 0, pipeline.output
    assert re.search(r"FAIL\s+govgate", pipeline.output), pipeline.output
    assert "verdict: FAIL" in pipeline.output
    assert "govgate: verdict fail, exit code 1" in pipeline.output
    # artifacts: when: always - kept although the job failed
    report = json.loads((pipeline.artifacts / "govgate-report" / "report.json").read_text())
    assert report["verdict"] == "fail" and report["exit_code"] == 1
    for name in expected_report_files():
        assert (pipeline.artifacts / "govgate-report" / name).is_file(), name
    assert pipeline.dotenv(pipeline.artifacts) == {
        "GOVGATE_VERDICT": "fail",
        "GOVGATE_EXIT_CODE": "1",
    }
    assert "release-decision saw GOVGATE_VERDICT=fail GOVGATE_EXIT_CODE=1" in pipeline.output


def test_a_model_repository_in_a_subfolder_keeps_reports_that_verify(
    gitlab_ci_local: str,
    make_repo: Callable[..., Path],
    govgate_wheel: Path,
    job_python: Path,
    tmp_path: Path,
) -> None:
    """The issue's case: Code Quality paths relative to the project, and the manifest still
    matching the files the job keeps (nothing rewrites a report after govgate)."""
    repo = make_repo(
        {".gitlab-ci.yml": FIXTURES / "gitlab-ci.yml", ".gitlab-ci-template.yml": TEMPLATE},
        approvers_commit=False,
    )
    shutil.copytree(EXAMPLES / "credit-risk-incomplete", repo / "models" / "credit-risk")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the model")
    as_clone(repo)
    home = tmp_path / "home"
    home.mkdir()
    command = [
        gitlab_ci_local, "--force-shell-executor", "--no-color", "--home", str(home),
        "--variable", f"GOVGATE_VERSION={govgate_wheel}",
        "--variable", "GOVGATE_REPO=models/credit-risk",
        "--variable", f"GOVGATE_AT={AT}",
        "--variable", "GOVGATE_FORMATS=json,codequality,junit",
    ]  # fmt: skip
    proc = subprocess.run(
        command,
        cwd=repo,
        env={"PATH": clean_path(job_python), "HOME": str(home), "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = proc.stdout + proc.stderr
    assert "govgate: verdict fail, exit code 1" in output, output
    kept = repo / ".gitlab-ci-local" / "artifacts" / "govgate" / "govgate-report"
    issues = json.loads((kept / "codequality.json").read_text())
    paths = {issue["location"]["path"] for issue in issues}
    assert "models/credit-risk/docs/model_card.md" in paths
    assert all(path.startswith("models/credit-risk/") for path in paths), paths
    verify = subprocess.run(
        [sys.executable, "-m", "govgate", "verify", str(kept)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_inputs_reach_govgate_as_single_arguments_and_are_never_run(
    run_pipeline: Callable[..., Pipeline], fake_govgate: Path
) -> None:
    pipeline = run_pipeline(
        "credit-risk",
        "govgate-custom",
        "--variable",
        "FAKE_EXIT=0",
        ci_file="gitlab-ci-custom.yml",
        path=clean_path(fake_govgate),
        files={"models/credit risk/packs/real.yaml": "a file that a glob would find\n"},
    )
    assert pipeline.code == 0, pipeline.output
    model_repo = pipeline.repo / "models" / "credit risk"
    call = json.loads((model_repo / "fake-govgate-call.json").read_text())
    assert Path(call["cwd"]).resolve() == model_repo.resolve()  # the gate runs in GOVGATE_REPO
    out = call["args"][2]
    assert Path(out).resolve() == (pipeline.repo / "out dir").resolve()  # the project's
    assert call["args"] == [
        "check",
        "--output-dir", out,
        "--format", "json,codequality",
        "--config", "conf dir/govgate.yaml",
        "--model", "models:/credit-risk@candidate; touch injected-semicolon",
        "--tracking-uri", "`touch injected-backtick`",
        "--risk-tier", "high",
        "--stage", "$(touch injected-subst)",
        "--at", AT,
        "--rules", "packs/extra pack.yaml",
        "--rules", "packs/*.yaml",
        "--rules", "packs/third.yaml",
        "--advisory",
        "--source-root", call["args"][-1],
    ]  # fmt: skip
    assert Path(call["args"][-1]).resolve() == pipeline.repo.resolve()
    assert not list(pipeline.repo.rglob("injected*"))
    assert pipeline.dotenv() == {"GOVGATE_VERDICT": "fail", "GOVGATE_EXIT_CODE": "0"}
    # Code Quality paths relative to the project, so the MR widget finds the files; nothing
    # rewrote them after govgate: the manifest still pins the file
    issues = json.loads((pipeline.repo / "out dir" / "codequality.json").read_text())
    assert [issue["location"]["path"] for issue in issues] == [
        "models/credit risk/docs/model_card.md",
        "models/credit risk/govgate.yaml",
    ]
    verify = subprocess.run(
        [sys.executable, "-m", "govgate", "verify", str(pipeline.repo / "out dir")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_run_without_its_own_report_is_an_error_even_over_a_stale_pass(
    run_pipeline: Callable[..., Pipeline], fake_govgate: Path
) -> None:
    pipeline = run_pipeline(
        "credit-risk",
        "govgate-custom",
        "--variable",
        "FAKE_VERDICT=none",
        "--variable",
        "FAKE_EXIT=0",  # exits 0 but writes no report: last run's pass must not count
        ci_file="gitlab-ci-custom.yml",
        path=clean_path(fake_govgate),
        files={
            "models/credit risk/README.md": "the model\n",
            "out dir/report.json": json.dumps({"verdict": "pass"}),
        },
    )
    assert pipeline.code != 0, pipeline.output
    assert re.search(r"FAIL\s+govgate-custom", pipeline.output), pipeline.output
    assert "govgate: verdict error, exit code 2" in pipeline.output
    assert pipeline.dotenv() == {"GOVGATE_VERDICT": "error", "GOVGATE_EXIT_CODE": "2"}


def test_an_install_that_fails_is_an_error(
    run_pipeline: Callable[..., Pipeline], job_python: Path
) -> None:
    pipeline = run_pipeline(
        "credit-risk",
        "--variable",
        "GOVGATE_VERSION=./no-such-wheel-0.0.0-py3-none-any.whl",
        path=clean_path(job_python),
    )
    assert pipeline.code != 0, pipeline.output
    assert "govgate: pip could not install GOVGATE_VERSION" in pipeline.output
    assert pipeline.dotenv() == {"GOVGATE_VERDICT": "error", "GOVGATE_EXIT_CODE": "2"}


def list_jobs(tool: str, repo: Path, *args: str) -> dict[str, str]:
    """Job name -> `when`, as gitlab-ci-local evaluates the rules in `repo` (and the schema)."""
    proc = subprocess.run(
        [tool, "--list-json", "--home", str(repo.parent), *args],
        cwd=repo,
        env={"PATH": clean_path(), "HOME": str(repo.parent)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {job["name"]: job["when"] for job in json.loads(proc.stdout)}


def as_clone(repo: Path) -> Path:
    """What a clone has: an origin whose HEAD names the default branch, `main`."""
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
    return repo


MERGE_REQUEST = (
    "--variable",
    "CI_PIPELINE_SOURCE=merge_request_event",
    "--ignore-predefined-vars",
    "CI_PIPELINE_SOURCE",
)


def test_rules_run_on_merge_requests_and_the_default_branch_only(
    gitlab_ci_local: str, make_repo: Callable[..., Path]
) -> None:
    repo = as_clone(
        make_repo(
            {".gitlab-ci.yml": FIXTURES / "gitlab-ci.yml", ".gitlab-ci-template.yml": TEMPLATE},
            base=EXAMPLES / "credit-risk",
        )
    )
    assert list_jobs(gitlab_ci_local, repo)["govgate"] == "on_success"  # a push to main
    git(repo, "checkout", "-q", "-b", "feature")
    assert list_jobs(gitlab_ci_local, repo)["govgate"] == "never"  # a push to another branch
    assert list_jobs(gitlab_ci_local, repo, *MERGE_REQUEST)["govgate"] == "on_success"


def docs_example() -> str:
    """The first YAML block under `## Example` in docs/ci/gitlab.md, including a local copy."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Example") :]
    match = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert match, "docs/ci/gitlab.md has no YAML example under ## Example"
    example, count = re.subn(
        r"^include:\n(?:  .*\n)+",
        "include:\n  - local: .gitlab-ci-template.yml\n",
        match.group(1),
        flags=re.MULTILINE,
    )
    assert count == 1, "the example has no include: block"
    return example


def test_the_documented_example_runs_as_documented(
    gitlab_ci_local: str, make_repo: Callable[..., Path], fake_govgate: Path
) -> None:
    repo = as_clone(
        make_repo(
            {".gitlab-ci.yml": docs_example(), ".gitlab-ci-template.yml": TEMPLATE},
            base=EXAMPLES / "credit-risk",
        )
    )
    shutil.copytree(EXAMPLES / "credit-risk", repo / "models" / "credit-risk")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the model")
    as_clone(repo)
    # on the default branch: the gate publishes, and a pass lets `promote` run
    proc = subprocess.run(
        [
            gitlab_ci_local,
            "--force-shell-executor",
            "--no-color",
            "--home",
            str(repo.parent),
            "--variable",
            "GOVGATE_VERSION=",  # the fake govgate on PATH instead of govgate==0.1.0
            "--variable",
            "FAKE_VERDICT=pass",
            "--variable",
            "FAKE_EXIT=0",
        ],
        cwd=repo,
        env={"PATH": clean_path(fake_govgate), "HOME": str(repo.parent)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert re.search(r"PASS\s+promote", output), output
    call = json.loads((repo / "models" / "credit-risk" / "fake-govgate-call.json").read_text())
    assert call["args"][call["args"].index("--model") + 1] == "models:/credit-risk@candidate"
    assert "--publish" in call["args"]
    # a merge request: the gate runs when the model changed, and nothing is promoted
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "README.md").write_text("not the model\n")
    git(repo, "add", "README.md")  # only: the run above left its reports in the work tree
    git(repo, "commit", "-q", "-m", "docs")
    jobs = list_jobs(gitlab_ci_local, repo, *MERGE_REQUEST)
    assert jobs == {"govgate": "never", "promote": "never"}
    (repo / "models" / "credit-risk" / "docs" / "model_card.md").write_text("changed\n")
    git(repo, "commit", "-q", "-am", "the card")
    jobs = list_jobs(gitlab_ci_local, repo, *MERGE_REQUEST)
    assert jobs == {"govgate": "on_success", "promote": "never"}
