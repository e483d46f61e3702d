"""`govgate ci github` on report folders written here: the annotations, step summary and job
outputs the GitHub Action shows, run as the action runs it (main(argv) in the model repo
WORKSPACE/models/m, reports in its out/)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from govgate.report import EXIT_CODES
from tests.conftest import run_main


@dataclass
class Step:
    code: int
    stdout: str
    outputs: dict[str, str]
    summary: str


def read_outputs(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT in both of its forms, name=value and name<<DELIMITER; a later value of a
    name replaces an earlier one, as on the runner."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            for part in lines:
                if part == delimiter:
                    break
                value.append(part)
            outputs[name] = "\n".join(value)
        elif line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def pin(folder: Path, names: list[str]) -> None:
    lines = [f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n" for n in names]
    (folder / "manifest.sha256").write_text("".join(sorted(lines, key=lambda x: x[66:])))


@pytest.fixture
def report_step(tmp_path: Path) -> Callable[..., Step]:
    """Write a report folder as `govgate check` would (the files pinned by the manifest unless
    `unpinned`), then run `govgate ci github` on it."""
    workspace = tmp_path / "workspace"
    repo = workspace / "models" / "m"
    (repo / "out").mkdir(parents=True)

    def run(
        report: dict[str, Any] | None,
        code: int,
        files: dict[str, str] | None = None,
        unpinned: dict[str, str] | None = None,
        upload_sarif: bool = False,
        args: tuple[str, ...] = (),
    ) -> Step:
        for old in (repo / "out").iterdir():
            old.unlink()
        written = dict(files or {})
        if report is not None:
            verdict = report["verdict"]
            advisory = report.get("advisory", False)
            expected = 0 if verdict == "fail" and advisory else EXIT_CODES[verdict]
            written["report.json"] = json.dumps({"exit_code": expected, **report})
        for name, text in {**written, **(unpinned or {})}.items():
            (repo / "out" / name).write_text(text, encoding="utf-8")
        if written:
            pin(repo / "out", list(written))
        github_output = tmp_path / "output.txt"
        step_summary = tmp_path / "summary.md"
        github_output.write_text("")
        step_summary.write_text("")
        env = {
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(github_output),
            "GITHUB_STEP_SUMMARY": str(step_summary),
        }
        command = ["ci", "github", f"--exit-code={code}", "--output-dir=out"]
        command += [*(["--upload-sarif"] if upload_sarif else []), *args]
        proc = run_main(command, cwd=repo, env=env)  # in-process; the action runs the same main
        assert proc.stderr == "", proc.stderr
        return Step(
            proc.code,
            proc.stdout,
            read_outputs(github_output),
            step_summary.read_text(encoding="utf-8"),
        )

    return run


def finding(rule_id: str, status: str, location: dict[str, Any] | None, **extra: Any) -> Any:
    return {
        "rule_id": rule_id,
        "title": rule_id,
        "severity": extra.pop("severity", "blocking"),
        "status": status,
        "message": extra.pop("message", f"{rule_id} message"),
        "remediation": extra.pop("remediation", ""),
        "location": location,
        **extra,
    }


def test_annotations_are_escaped_and_point_at_workspace_files(
    report_step: Callable[..., Step],
) -> None:
    report = {
        "verdict": "fail",
        "summary": {"pass": 1, "fail": 2, "warn": 1},
        "subject": {"name": "m", "version": "3"},
        "findings": [
            finding("PASS-1", "pass", {"path": "docs/card.md", "line": 1}),
            finding(
                "ESC-1",
                "fail",
                {"path": "docs/a,b:c.md", "line": 3, "column": 2, "end_line": 5},
                message="50% done\r\nnext: a, b",
                remediation="fix it",
            ),
            finding("T:1,2", "fail", {"path": "builtin:baseline", "line": 9, "column": 5}),
            finding("OUT-1", "fail", {"path": "../../../elsewhere.md", "line": 2}),
            finding("NOLINE-1", "fail", {"path": "docs/x.md", "line": None, "column": 4}),
            finding("WARN-1", "warn", {"path": "./docs/w.md", "line": 7}, severity="warning"),
            finding("SOFT-1", "fail", None, severity="warning"),
            finding("WAIVED-1", "waived", {"path": "docs/w.md", "line": 1}),
            finding("SKIP-1", "skipped", None),
            finding("ERR-1", "error", {"path": "governance/r.yaml", "line": 4, "column": 1}),
        ],
        "errors": [{"message": "source down: 100%", "location": None}],
    }
    report["verdict"] = "error"  # ERR-1 is an error finding: so the report says
    step = report_step(report, 2)
    assert step.code == 2
    assert step.outputs["verdict"] == "error" and step.outputs["exit-code"] == "2"
    assert step.stdout.splitlines() == [
        "::error file=models/m/docs/a%2Cb%3Ac.md,line=3,endLine=5,col=2,title=ESC-1"
        "::50%25 done%0Anext: a, b%0Afix: fix it",
        "::error title=T%3A1%2C2::T:1,2 message",
        "::error title=OUT-1::OUT-1 message",
        "::error file=models/m/docs/x.md,title=NOLINE-1::NOLINE-1 message",
        "::error file=models/m/governance/r.yaml,line=4,col=1,title=ERR-1::ERR-1 message",
        "::warning file=models/m/docs/w.md,line=7,title=WARN-1::WARN-1 message",
        "::warning title=SOFT-1::SOFT-1 message",
        "::error title=govgate::source down: 100%25",
        "govgate: verdict error, exit code 2",
    ]
    assert step.outputs["sarif-file"] == ""
    assert Path(step.outputs["report-dir"]).name == "out"
    assert Path(step.outputs["report-dir"]).is_absolute()


def test_paths_relative_to_a_source_root_are_read_from_it(
    report_step: Callable[..., Step],
) -> None:
    # check --source-root WORKSPACE wrote the paths relative to the workspace
    report = {"verdict": "fail", "findings": [finding("A-1", "fail", {"path": "models/m/a.md"})]}
    step = report_step(report, 1, args=("--source-root=../..",))
    assert step.stdout.splitlines()[0] == "::error file=models/m/a.md,title=A-1::A-1 message"
    assert step.code == 1 and step.outputs["verdict"] == "fail"


def test_summary_is_summary_md_when_this_run_wrote_it_else_one_line(
    report_step: Callable[..., Step],
) -> None:
    report = {
        "verdict": "pass",
        "summary": {"pass": 3, "skipped": 1},
        "subject": {"name": "<b>m</b> @team", "version": "3"},
        "findings": [],
    }
    markdown = "## ✅ govgate: PASS\n\ntable\n"
    step = report_step(report, 0, files={"summary.md": markdown})
    assert step.summary == markdown
    assert step.outputs["verdict"] == "pass" and step.outputs["exit-code"] == "0"
    assert step.code == 0
    # a summary.md the manifest does not pin is not this run's
    step = report_step(report, 0, unpinned={"summary.md": markdown})
    assert step.summary == (
        "✅ **govgate: PASS** \\<b\\>m\\</b\\> \\@team v3: 3 passed, 0 failed, 0 warnings, "
        "0 waived, 0 errors, 1 skipped. Reports: `out/`\n"
    )


def test_sarif_file_is_set_only_for_this_runs_sarif(report_step: Callable[..., Step]) -> None:
    report = {"verdict": "pass", "findings": []}
    step = report_step(report, 0, files={"report.sarif": "{}"})
    assert step.outputs["sarif-file"].endswith(f"{os.sep}out{os.sep}report.sarif")
    assert "upload-sarif" not in step.stdout
    step = report_step(report, 0, unpinned={"report.sarif": "{}"}, upload_sarif=True)
    assert step.outputs["sarif-file"] == ""
    assert step.stdout.splitlines() == [
        "::warning title=govgate::upload-sarif is true, but this run wrote no report.sarif: add "
        "sarif to formats",
        "govgate: verdict pass, exit code 0",
    ]


def test_advisory_fail_keeps_verdict_fail_and_exit_0(report_step: Callable[..., Step]) -> None:
    report = {"verdict": "fail", "advisory": True, "findings": [finding("A-1", "fail", None)]}
    step = report_step(report, 0)
    assert step.outputs["verdict"] == "fail" and step.outputs["exit-code"] == "0"
    assert step.stdout == "::error title=A-1::A-1 message\ngovgate: verdict fail, exit code 0\n"
    assert step.summary.startswith("❌ **govgate: FAIL** (advisory) model: 0 passed")


def test_a_report_this_run_did_not_write_never_reads_as_its_verdict(
    report_step: Callable[..., Step],
) -> None:
    stale = json.dumps({"verdict": "pass", "exit_code": 0, "findings": []})
    step = report_step(None, 2, unpinned={"report.json": stale})
    assert step.outputs["verdict"] == "error" and step.outputs["exit-code"] == "2"
    assert step.stdout.startswith("::error title=govgate::")
    assert "out/report.json is not pinned by manifest.sha256" in step.stdout
    assert step.summary.startswith("### ⚠️ govgate: ERROR")
    # an exit 0 with no report of its own is no pass either
    step = report_step(None, 0, unpinned={"report.json": stale})
    assert step.outputs["verdict"] == "error" and step.outputs["exit-code"] == "2"
    assert step.code == 2
    step = report_step(None, 1)
    assert step.stdout.splitlines()[0] == (
        "::error title=govgate::govgate check exited with code 1 and wrote no report.json"
    )


@pytest.mark.parametrize(
    ("report", "code", "reason"),
    [
        ({"verdict": "pass", "findings": []}, 1, "says exit code 0 but govgate check exited"),
        ({"verdict": "pass", "findings": [], "exit_code": 1}, 1, "is inconsistent"),
        ({"verdict": "maybe", "findings": []}, 0, "is not a govgate report"),
        ({"verdict": "pass", "findings": []}, 3, "exited with code 3, which it never gives"),
    ],
    ids=["other-code", "inconsistent", "not-a-report", "odd-code"],
)
def test_a_report_that_disagrees_is_an_error(
    report_step: Callable[..., Step], report: dict[str, Any], code: int, reason: str
) -> None:
    step = report_step(report, code) if report["verdict"] != "maybe" else None
    if step is None:  # not a verdict EXIT_CODES knows: written as it is
        step = report_step(None, code, files={"report.json": json.dumps(report)})
    assert step.outputs["verdict"] == "error" and step.outputs["exit-code"] == "2"
    assert reason in step.stdout
    assert step.code == 2


def test_exit_2_after_a_report_is_an_error_with_its_findings(
    report_step: Callable[..., Step],
) -> None:
    # e.g. --publish failed after report.json was written with verdict pass
    report = {"verdict": "fail", "findings": [finding("A-1", "fail", None)]}
    step = report_step(report, 2)
    assert step.outputs["verdict"] == "error" and step.outputs["exit-code"] == "2"
    assert step.stdout.splitlines() == [
        "::error title=A-1::A-1 message",
        "govgate: verdict error, exit code 2",
    ]
