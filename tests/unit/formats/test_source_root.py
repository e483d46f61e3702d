"""`check --source-root`: the Report's file paths made relative to the project root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govgate.errors import InputError
from govgate.findings import Finding
from govgate.formats.codequality import CodeQualityFormat
from govgate.formats.source_root import rebase_report
from govgate.location import Location
from govgate.report import Report, ReportError
from govgate.sources.base import Input


def finding(rule_id: str, path: str | None, status: str = "fail") -> Finding:
    return Finding(
        rule_id=rule_id,
        title=rule_id,
        severity="blocking",
        status=status,
        message=f"{rule_id} message",
        remediation="",
        location=None if path is None else Location(path=path, line=3, column=2),
    )


def report(inside: str = "/project/models/m/docs/card.md") -> Report:
    return Report(
        evaluated_at="2026-11-26T12:00:00+00:00",
        inputs=[
            Input(kind="config", location="govgate.yaml"),
            Input(kind="rulepack", location="builtin:baseline"),
            Input(kind="artifact", location="docs/card.md"),
            Input(kind="mlflow", location="models:/m/1"),
        ],
        findings=[
            finding("IN-1", "docs/card.md"),
            finding("DOT-1", "./docs/w.md"),
            finding("URI-1", "builtin:baseline"),
            finding("ABS-1", "/etc/hosts"),
            finding("ABSIN-1", inside),
            finding("OUT-1", "../../../outside.md"),
            finding("NONE-1", None),
        ],
        errors=[ReportError(message="bad", location=Location(path="rules/x.yaml", line=1))],
    )


def paths(rebased: Report) -> dict[str, str | None]:
    return {f.rule_id: f.location.path if f.location else None for f in rebased.findings}


def test_repository_paths_become_project_paths(tmp_path: Path) -> None:
    repo = tmp_path / "project" / "models" / "m"
    repo.mkdir(parents=True)
    rebased = rebase_report(report(str(repo / "docs" / "x.md")), repo, tmp_path / "project")
    assert paths(rebased) == {
        "ABSIN-1": "models/m/docs/x.md",  # absolute, inside the root: relative
        "IN-1": "models/m/docs/card.md",
        "DOT-1": "models/m/docs/w.md",
        "URI-1": "builtin:baseline",
        "ABS-1": "/etc/hosts",
        "OUT-1": (tmp_path / "outside.md").as_posix(),  # outside the root: absolute
        "NONE-1": None,
    }
    assert rebased.findings[0].location == Location(path="models/m/docs/card.md", line=3, column=2)
    assert rebased.errors[0].location == Location(path="models/m/rules/x.yaml", line=1)
    assert [i.location for i in rebased.inputs] == [
        "models/m/govgate.yaml",
        "builtin:baseline",
        "models/m/docs/card.md",
        "models:/m/1",
    ]
    assert (
        (rebased.verdict, rebased.exit_code)
        == ("error", 2)
        == (
            report().verdict,
            report().exit_code,
        )
    )


def test_code_quality_places_fileless_issues_on_the_rebased_config(tmp_path: Path) -> None:
    repo = tmp_path / "project" / "models" / "m"
    repo.mkdir(parents=True)
    rendered = CodeQualityFormat().render(rebase_report(report(), repo, tmp_path / "project"))
    places = {i["check_name"]: i["location"]["path"] for i in json.loads(rendered)}
    assert places["URI-1"] == "models/m/govgate.yaml"
    assert places["NONE-1"] == "models/m/govgate.yaml"
    assert places["ABS-1"] == "models/m/govgate.yaml"
    # without --source-root, the config as the repository names it
    places = {
        i["check_name"]: i["location"]["path"]
        for i in json.loads(CodeQualityFormat().render(report()))
    }
    assert places["URI-1"] == "govgate.yaml" and places["IN-1"] == "docs/card.md"


def test_the_same_folder_changes_nothing(tmp_path: Path) -> None:
    original = report()
    assert rebase_report(original, tmp_path, tmp_path) is original


def test_a_source_root_that_is_no_folder_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"--source-root .* is not a folder"):
        rebase_report(report(), tmp_path, tmp_path / "missing")


def test_a_path_given_from_the_current_folder_is_taken_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `govgate check --repo models/m` names the config models/m/govgate.yaml, from the cwd
    repo = tmp_path / "models" / "m"
    repo.mkdir(parents=True)
    (repo / "govgate.yaml").write_text("{}")
    monkeypatch.chdir(tmp_path)
    original = Report(
        evaluated_at="2026-11-26T12:00:00+00:00",
        inputs=[Input(kind="config", location="models/m/govgate.yaml")],
    )
    rebased = rebase_report(original, Path("models/m"), Path("."))
    assert [i.location for i in rebased.inputs] == ["models/m/govgate.yaml"]


def test_check_writes_rebased_reports_that_verify(govgate, tmp_path: Path) -> None:
    import shutil

    from tests.conftest import EXAMPLES

    project = tmp_path / "project"
    shutil.copytree(EXAMPLES / "credit-risk-incomplete", project / "models" / "m")
    out = project / "govgate-report"
    run = govgate(
        "check", "--repo", str(project / "models" / "m"), "--source-root", str(project),
        "--format", "codequality,sarif", "--output-dir", str(out),
        "--at", "2026-11-26T12:00:00Z",
    )  # fmt: skip
    assert run.code == 1, run.stderr
    issues = json.loads((out / "codequality.json").read_text())
    assert all(i["location"]["path"].startswith("models/m/") for i in issues)
    sarif = json.loads((out / "report.sarif").read_text())
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for loc in result.get("locations", [])
    }
    assert "models/m/docs/model_card.md" in uris
    assert govgate("verify", str(out)).code == 0
    bad = govgate("check", "--repo", str(project / "models" / "m"), "--source-root", "/no/such")
    assert bad.code == 2 and bad.stderr.count("\n") == 1
    assert "--source-root /no/such is not a folder" in bad.stderr
