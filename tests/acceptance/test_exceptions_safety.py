"""`govgate exceptions` never loses or rewrites what the user owns: parallel adds, odd layouts,
paths outside the repository, bad option values (issue 12, items 14, 15, 16 and 19)."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from govgate.exceptions.model import load_exceptions
from tests.conftest import EXAMPLES

PARALLEL = 30
EXCEPTIONS = "governance/exceptions.yaml"


def add_args(repo: Path, exception_id: str, *extra: str) -> list[str]:
    return [
        "exceptions",
        "--repo",
        str(repo),
        "add",
        "--id",
        exception_id,
        "--rule",
        "EVAL-001",
        "--reason",
        "Evaluation report in review",
        "--control",
        "Model risk reviewed the raw metrics",
        "--requested-by",
        "alex@example.com",
        "--expires-on",
        "2026-12-10",
        *extra,
    ]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def parallel_adds(govgate_bin: str, repo: Path, count: int) -> list[tuple[int, str]]:
    """Start every process before waiting for any, so the edits really overlap."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GITLAB", "CI"))}
    procs = [
        subprocess.Popen(
            [govgate_bin, *add_args(repo, f"EXC-PAR-{n:03d}")],
            cwd=repo,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(count)
    ]
    results = []
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        results.append((proc.returncode, err))
    return results


# --- 14: concurrent adds ----------------------------------------------------------------------


@pytest.mark.smoke  # the lock holds across processes, so each add is a process of its own
@pytest.mark.slow
def test_parallel_adds_keep_every_entry_and_every_comment(
    govgate_bin: str, make_repo: Callable[..., Path]
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    path = repo / EXCEPTIONS
    before = path.read_text("utf-8")
    results = parallel_adds(govgate_bin, repo, PARALLEL)
    assert [err for code, err in results if code != 0] == []
    listed, _ = load_exceptions(path, EXCEPTIONS)
    ids = [w.id for w in listed.exceptions]
    wanted = {f"EXC-PAR-{n:03d}" for n in range(PARALLEL)}
    assert wanted <= set(ids), f"{len(wanted - set(ids))} of {PARALLEL} adds lost"
    assert ids[:2] == ["EXC-2026-021", "EXC-2026-014"] and len(ids) == PARALLEL + 2
    after = path.read_text("utf-8")
    assert after.startswith(before)  # every add appended; nothing before it moved
    assert comment_lines(after) == comment_lines(before)
    assert not [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.smoke
@pytest.mark.slow
def test_parallel_adds_to_a_missing_file_create_it_once(
    govgate_bin: str, make_repo: Callable[..., Path]
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    path = repo / EXCEPTIONS
    path.unlink()
    results = parallel_adds(govgate_bin, repo, PARALLEL)
    assert [err for code, err in results if code != 0] == []
    listed, _ = load_exceptions(path, EXCEPTIONS)
    assert sorted(w.id for w in listed.exceptions) == [f"EXC-PAR-{n:03d}" for n in range(PARALLEL)]


# --- 15: layouts the editor cannot splice are refused, byte for byte untouched --------------------

FLOW_LIST = """\
apiVersion: govgate/v1
kind: ExceptionList
exceptions: [  # every waiver on one screen
  {id: EXC-1, rules: [DATA-001], models: [credit-risk], reason: rewrite, requested_by: a@x,
   expires_on: 2026-12-05},  # the datasheet
]
"""

COMMENT_IN_A_FLOW_LIST = """\
apiVersion: govgate/v1
kind: ExceptionList
exceptions:
  - id: EXC-1
    rules: [DATA-001,  # the datasheet
            MON-001]   # and the monitor
    models: [credit-risk]
    reason: rewrite
    requested_by: a@x
    expires_on: 2026-12-05
"""


@pytest.mark.parametrize(
    ("text", "action", "reason"),
    [
        (FLOW_LIST, ("add",), "flow style"),
        (FLOW_LIST, ("close", "EXC-1"), "flow style"),
        (COMMENT_IN_A_FLOW_LIST, ("close", "EXC-1"), "comment"),
        (COMMENT_IN_A_FLOW_LIST, ("renew", "EXC-1"), "comment"),
    ],
    ids=["flow-list-add", "flow-list-close", "flow-comment-close", "flow-comment-renew"],
)
def test_a_layout_that_cannot_be_spliced_is_refused_and_left_alone(
    govgate, make_repo: Callable[..., Path], text: str, action: tuple[str, ...], reason: str
) -> None:
    repo = make_repo({EXCEPTIONS: text}, base=EXAMPLES / "credit-risk-incomplete")
    path = repo / EXCEPTIONS
    digest = sha256(path)
    if action[0] == "add":
        args = add_args(repo, "EXC-NEW")
    elif action[0] == "renew":
        args = [
            "exceptions", "--repo", str(repo), "renew", action[1], "--expires-on", "2026-12-20",
            "--approved-by", "lead@example.com", "--on", "2026-11-26",
        ]  # fmt: skip
    else:
        args = ["exceptions", "--repo", str(repo), *action, "--on", "2026-11-26"]
    result = govgate(*args)
    assert result.code == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"govgate: error: {EXCEPTIONS}:"), result.stderr
    assert reason in result.stderr and "unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert sha256(path) == digest


def test_lines_after_the_document_end_marker_are_kept_byte_for_byte(
    govgate, make_repo: Callable[..., Path]
) -> None:
    text = (EXAMPLES / "credit-risk-incomplete" / EXCEPTIONS).read_text(
        "utf-8"
    ) + "...\n# Reviewed by the model risk committee on 2026-11-12.\n"
    repo = make_repo({EXCEPTIONS: text}, base=EXAMPLES / "credit-risk-incomplete")
    path = repo / EXCEPTIONS
    added = govgate(*add_args(repo, "EXC-NEW"))
    assert added.code == 0, added.stderr
    closed = govgate("exceptions", "--repo", str(repo), "close", "EXC-NEW", "--on", "2026-11-26")
    assert closed.code == 0, closed.stderr
    after = path.read_text("utf-8")
    head = text.split("...\n")[0]
    assert after.startswith(head)
    assert after.endswith("    status: closed\n    closed_on: 2026-11-26\n" + text[len(head) :])


# --- 16: the editor refuses paths `govgate check` refuses -----------------------------------------


def point_exceptions_at(repo: Path, relative: str) -> None:
    config = repo / "govgate.yaml"
    config.write_text(
        config.read_text().replace(f"exceptions: {EXCEPTIONS}", f"exceptions: {relative}")
    )


@pytest.mark.parametrize("layout", ["dotdot", "symlink"])
@pytest.mark.parametrize(
    "action",
    [("add",), ("close", "EXC-2026-021"), ("list",)],
    ids=["add", "close", "list"],
)
def test_an_exceptions_file_outside_the_repo_is_refused_as_check_refuses_it(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, layout: str, action: tuple[str, ...]
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    outside = tmp_path / "outside.yaml"
    outside.write_bytes((repo / EXCEPTIONS).read_bytes())
    if layout == "dotdot":
        relative = "../outside.yaml"
        point_exceptions_at(repo, relative)
    else:
        relative = EXCEPTIONS
        (repo / EXCEPTIONS).unlink()
        (repo / EXCEPTIONS).symlink_to(outside)
    digest = sha256(outside)
    args = (
        add_args(repo, "EXC-NEW")
        if action == ("add",)
        else ["exceptions", "--repo", str(repo), *action]
    )
    result = govgate(*args)
    assert result.code == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    refusal = f"artifact path {relative!r} resolves to {outside}, outside the repository"
    assert refusal in result.stderr
    assert "govgate.yaml:" in result.stderr  # located at the config key that names the file
    assert sha256(outside) == digest
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".outside")) == []
    check = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "out"))
    assert check.code == 2 and refusal in check.stderr + check.stdout


def test_a_missing_exceptions_file_outside_the_repo_is_not_created(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    point_exceptions_at(repo, "../outside.yaml")
    result = govgate(*add_args(repo, "EXC-NEW"))
    assert result.code == 2 and "outside the repository" in result.stderr
    assert not (tmp_path / "outside.yaml").exists()


# --- 19 (part): option values the model rejects ---------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (("--versions", "abc"), "--versions: 'abc' is not a version range such as '>=7,<9' or '7'"),
        (("--id", ""), "--id: "),
    ],
    ids=["versions", "empty-id"],
)
def test_a_bad_option_value_is_one_located_line(
    govgate, make_repo: Callable[..., Path], extra: tuple[str, ...], expected: str
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    digest = sha256(repo / EXCEPTIONS)
    result = govgate(*add_args(repo, "EXC-NEW", *extra))
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("govgate: error: exceptions add ")
    assert expected in result.stderr
    assert "validation error" not in result.stderr and "pydantic" not in result.stderr
    assert sha256(repo / EXCEPTIONS) == digest
