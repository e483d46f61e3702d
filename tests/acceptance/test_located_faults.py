"""Issue 12, item 19: faults that used to end in an unlocated one-line crash.

Each one now reads as verdict `error` (exit 2) with a message that names the file, key or URI at
fault, `report.json` is written, and no traceback or internal error is printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, Run, git

AT = "2026-11-26T12:00:00Z"


def assert_located_error(run: Run, out: Path, where: str) -> dict[str, Any]:
    """Exit 2, no traceback, and a report whose verdict is error with a message at `where`."""
    assert run.code == 2, run.stdout + run.stderr
    text = run.stdout + run.stderr
    assert "Traceback" not in text and "internal error" not in text, text
    report: dict[str, Any] = json.loads((out / "report.json").read_text())
    assert report["verdict"] == "error" and report["exit_code"] == 2
    located = [e for e in report["errors"] if (e["location"] or {}).get("path") == where]
    assert located, report["errors"]
    assert where in run.stdout, run.stdout
    return located[0]


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    return make_repo(
        {},
        name="credit-risk",
        base=EXAMPLES / "credit-risk",
        commit_date="2026-11-20T10:00:00+00:00",
    )


def replace_with_link(repo: Path, rel: str, target: str) -> None:
    path = repo / rel
    if path.is_dir() and not path.is_symlink():
        for child in sorted(path.rglob("*"), reverse=True):
            child.unlink() if not child.is_dir() else child.rmdir()
        path.rmdir()
    else:
        path.unlink()
    path.symlink_to(target)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"link {rel}")


# --- an artifact that is a symlink loop ----------------------------------------------------------


def test_an_artifact_that_links_to_itself_is_a_located_error(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    replace_with_link(repo, "docs/model_card.md", "model_card.md")
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    error = assert_located_error(run, out, "docs/model_card.md")
    assert "symlink loop" in error["message"] and "model_card" in error["message"]


def test_an_artifact_in_a_two_link_loop_is_a_located_error(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    replace_with_link(repo, "docs/model_card.md", "datasheet.md")
    replace_with_link(repo, "docs/datasheet.md", "model_card.md")
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    assert_located_error(run, out, "docs/model_card.md")
    assert_located_error(run, out, "docs/datasheet.md")


def test_an_artifact_under_a_folder_that_is_a_loop_is_a_located_error(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    replace_with_link(repo, "docs", "docs")
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    error = assert_located_error(run, out, "docs/model_card.md")
    assert "symlink loop" in error["message"]


# --- owner: &a [*a] ------------------------------------------------------------------------------


def test_a_recursive_alias_in_a_yaml_artifact_is_a_located_error(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    (repo / "governance" / "risk_assessment.yaml").write_text("owner: &a [*a]\n")
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    error = assert_located_error(run, out, "governance/risk_assessment.yaml")
    assert error["location"]["line"] == 1
    assert "recursive alias" in error["message"]


def test_a_recursive_alias_in_the_config_is_a_located_error(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    config = repo / "govgate.yaml"
    config.write_text(config.read_text() + "owner: &a [*a]\n")
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    config_path = str(repo / "govgate.yaml")
    error = assert_located_error(run, out, config_path)
    assert error["location"]["line"] is not None
    assert "recursive alias" in error["message"]


# --- a tracking URI with a port out of range -----------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("http://127.0.0.1:99999", "port 99999 is out of range"),
        ("http://127.0.0.1:0", "port 0 is out of range"),
        ("http://127.0.0.1:http", "port 'http' is not a number"),
        ("http://[::1", "not a valid URI"),
        ("https://:5000", "has no host"),
    ],
    ids=["99999", "zero", "word", "ipv6", "no-host"],
)
def test_a_bad_tracking_uri_is_a_located_error(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path, uri: str, problem: str
) -> None:
    out = tmp_path / "out"
    run = govgate(
        "check", "--repo", str(repo), "--output-dir", str(out), "--at", AT,
        "--tracking-uri", uri,
    )  # fmt: skip
    error = assert_located_error(run, out, uri)
    assert problem in error["message"] and "tracking URI" in error["message"]


def test_a_bad_port_from_the_environment_is_a_located_error(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run = govgate(
        "check", "--repo", str(repo), "--output-dir", str(out), "--at", AT,
        env={"MLFLOW_TRACKING_URI": "http://user:s3cret@127.0.0.1:99999"},
    )  # fmt: skip
    error = assert_located_error(run, out, "http://127.0.0.1:99999")
    assert "port 99999" in error["message"]
    assert "s3cret" not in run.stdout + run.stderr + (out / "report.json").read_text()


def test_the_portfolio_report_names_a_bad_port_in_one_line(
    govgate: Callable[..., Run], tmp_path: Path
) -> None:
    run = govgate(
        "report", "--tracking-uri", "http://127.0.0.1:99999", "--output-dir", str(tmp_path / "o")
    )
    assert run.code == 2, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("govgate: error: http://127.0.0.1:99999: ")
    assert "port 99999 is out of range" in lines[0] and "Traceback" not in run.stderr


# --- exceptions add --versions abc ---------------------------------------------------------------


def test_versions_abc_on_the_command_line_is_one_located_line(
    govgate: Callable[..., Run], repo: Path
) -> None:
    exceptions = repo / "governance" / "exceptions.yaml"
    before = exceptions.read_bytes()
    run = govgate(
        "exceptions", "--repo", str(repo), "add", "--id", "EXC-1", "--rule", "MON-001",
        "--versions", "abc", "--reason", "r", "--control", "c",
        "--requested-by", "alex@example.com", "--expires-on", "2026-12-10",
    )  # fmt: skip
    assert run.code == 2
    lines = run.stderr.strip().splitlines()
    assert lines == [
        "govgate: error: exceptions add --versions: "
        "'abc' is not a version range such as '>=7,<9' or '7'"
    ]
    assert exceptions.read_bytes() == before


def test_versions_abc_in_the_exceptions_file_is_a_located_error(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    (repo / "governance" / "exceptions.yaml").write_text(
        "apiVersion: govgate/v1\nkind: ExceptionList\nexceptions:\n"
        "  - id: EXC-1\n    rules: [MON-001]\n    models: [credit-risk]\n    versions: abc\n"
        "    reason: r\n    compensating_controls: [c]\n    requested_by: alex@example.com\n"
        "    approved_by: lead@example.com\n    approved_on: 2026-11-01\n"
        "    expires_on: 2026-12-31\n"
    )
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    error = assert_located_error(run, out, "governance/exceptions.yaml")
    assert error["location"]["line"] == 7
    assert "'abc' is not a version range" in error["message"]
    assert "validation error" not in error["message"]
