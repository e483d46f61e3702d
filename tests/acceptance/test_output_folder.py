"""Issue 12, item 17: govgate writes only into a report folder it owns, and pins only what it wrote.

A pull request controls what is committed: a symlink committed as the output folder (or as a
folder on the way to it) must not make `govgate check` write outside the repository, and a file
already in the output folder (a stale or forged `summary.md` saying PASS) must never be pinned by
the new `manifest.sha256`, so `govgate verify` can never call it verified.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Run, git

AT = "2026-11-26T12:00:00Z"
FORGED = "# Governance gate\n\n**verdict: PASS** (forged)\n"


def assert_one_error_line(run: Run) -> str:
    assert run.code == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("govgate: error: "), run.stderr
    assert "internal error" not in run.stderr
    assert "report: " not in run.stdout, run.stdout
    return lines[0]


def assert_judged(run: Run) -> None:
    """Written and judged (pass or fail: the example's approvals are not this file's concern)."""
    assert run.code in (0, 1), run.stdout + run.stderr


def commit_symlink(repo: Path, name: str, target: Path | str, commit: bool = True) -> None:
    link = repo / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    if not commit:  # a new commit would leave the example's approvals stale
        return
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"link {name}")


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def manifest_names(folder: Path) -> list[str]:
    return [
        line.split("  ", 1)[1] for line in (folder / "manifest.sha256").read_text().splitlines()
    ]


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    return make_repo(
        {},
        name="credit-risk",
        base=EXAMPLES / "credit-risk",
        commit_date="2026-11-20T10:00:00+00:00",
    )


# --- a committed symlink -----------------------------------------------------------------------


def test_a_committed_symlink_as_the_default_output_folder_is_refused(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    commit_symlink(repo, "govgate-report", outside)
    run = govgate("check", "--at", AT, cwd=repo)
    line = assert_one_error_line(run)
    assert "govgate-report" in line and "symlink" in line and "nothing was written" in line
    assert listing(outside) == []


def test_a_relative_symlink_out_of_the_repo_is_refused(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    (tmp_path / "outside").mkdir()
    commit_symlink(repo, "govgate-report", "../outside")
    run = govgate("check", "--at", AT, cwd=repo)
    assert_one_error_line(run)
    assert listing(tmp_path / "outside") == []


def test_a_symlinked_folder_on_the_way_out_of_the_repo_is_refused(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    commit_symlink(repo, "published", outside)
    run = govgate("check", "--at", AT, "--output-dir", "published/gate", cwd=repo)
    line = assert_one_error_line(run)
    assert "published" in line and "outside" in line
    assert listing(outside) == []  # not even the `gate` folder is created


def test_an_absolute_output_dir_through_a_symlink_in_the_repo_is_refused(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    """The same link, named by an absolute path and run from another folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    commit_symlink(repo, "published", outside)
    run = govgate(
        "check", "--repo", str(repo), "--at", AT, "--output-dir", str(repo / "published" / "gate")
    )
    assert_one_error_line(run)
    assert listing(outside) == []


def test_a_dot_dot_after_a_symlink_is_followed_as_the_system_would(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    """`build/../x` reads as `x` on paper, but the system goes up from the link's target."""
    deep = tmp_path / "outside" / "deep"
    deep.mkdir(parents=True)
    commit_symlink(repo, "build", deep)
    run = govgate("check", "--at", AT, "--output-dir", "build/../escaped", cwd=repo)
    assert_one_error_line(run)
    assert not (tmp_path / "outside" / "escaped").exists()
    assert not (repo / "escaped").exists()


def test_an_output_folder_that_is_a_symlink_is_refused_even_outside_a_repo(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "out").symlink_to(real)
    run = govgate("check", "--repo", str(repo), "--at", AT, "--output-dir", str(tmp_path / "out"))
    line = assert_one_error_line(run)
    assert "symlink" in line
    assert listing(real) == []


def test_a_symlink_inside_the_repo_to_a_folder_inside_it_is_followed(
    govgate: Callable[..., Run], repo: Path
) -> None:
    (repo / "build" / "reports").mkdir(parents=True)
    commit_symlink(repo, "out", "build", commit=False)
    run = govgate("check", "--at", AT, "--output-dir", "out/gate", cwd=repo)
    assert_judged(run)
    assert (repo / "build" / "gate" / "report.json").is_file()


def test_a_users_own_folder_outside_the_repo_may_be_reached_through_a_symlink(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    """Outside the repository the path is the user's choice: only the last folder must be real."""
    (tmp_path / "scratch-real").mkdir()
    (tmp_path / "scratch").symlink_to(tmp_path / "scratch-real")
    out = tmp_path / "scratch" / "gate"
    run = govgate("check", "--at", AT, "--output-dir", str(out), cwd=repo)
    assert_judged(run)
    assert (tmp_path / "scratch-real" / "gate" / "report.json").is_file()


# --- files this run did not write ----------------------------------------------------------------


def test_a_forged_summary_in_the_output_folder_is_not_pinned_nor_verified(
    govgate: Callable[..., Run], make_repo: Callable[..., Path]
) -> None:
    """The forged file is committed in the output folder; the check fails; verify must say so."""
    repo = make_repo(
        {"govgate-report/summary.md": FORGED}, base=EXAMPLES / "credit-risk-incomplete"
    )
    run = govgate("check", "--at", AT, cwd=repo)
    assert run.code == 1, run.stdout + run.stderr
    out = repo / "govgate-report"
    assert manifest_names(out) == ["report.html", "report.json"]  # this run's, the defaults
    assert (out / "summary.md").read_text() == FORGED  # the user's file is left alone
    verify = govgate("verify", str(out))
    assert verify.code == 1, verify.stdout + verify.stderr
    assert "summary.md: not listed in manifest.sha256" in verify.stdout
    assert "every digest matches" not in verify.stdout + verify.stderr


def test_a_forged_manifest_in_the_output_folder_is_replaced_by_this_runs(
    govgate: Callable[..., Run], make_repo: Callable[..., Path]
) -> None:
    """A planted manifest pinning the forged summary does not survive the run."""
    digest = hashlib.sha256(FORGED.encode()).hexdigest()
    repo = make_repo(
        {
            "govgate-report/summary.md": FORGED,
            "govgate-report/manifest.sha256": f"{digest}  summary.md\n",
        },
        base=EXAMPLES / "credit-risk-incomplete",
    )
    assert govgate("check", "--at", AT, cwd=repo).code == 1
    out = repo / "govgate-report"
    assert manifest_names(out) == ["report.html", "report.json"]  # this run's, the defaults
    assert govgate("verify", str(out)).code == 1


def test_files_left_by_an_earlier_run_are_not_pinned_by_the_next(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = govgate(
        "check", "--repo", str(repo), "--at", AT, "--output-dir", str(out),
        "--format", "json,markdown,attestation",
    )  # fmt: skip
    assert_judged(first)
    assert manifest_names(out) == ["attestation.intoto.json", "report.json", "summary.md"]
    assert govgate("verify", str(out)).code == 0
    second = govgate("check", "--repo", str(repo), "--at", AT, "--output-dir", str(out))
    assert_judged(second)
    assert manifest_names(out) == ["report.html", "report.json"]  # this run's, the defaults
    assert "report: " + str(out / "manifest.sha256") in second.stdout
    verify = govgate("verify", str(out))
    assert verify.code == 1
    assert verify.stdout.splitlines() == [
        "attestation.intoto.json: not listed in manifest.sha256",
        "summary.md: not listed in manifest.sha256",
    ]


def test_a_clean_run_verifies_and_pins_exactly_what_it_printed(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run = govgate(
        "check", "--repo", str(repo), "--at", AT, "--output-dir", str(out),
        "--format", "json,sarif,markdown,attestation",
    )  # fmt: skip
    assert_judged(run)
    printed = [line.removeprefix("report: ") for line in run.stdout.splitlines()]
    written = sorted(os.path.basename(p) for p in printed if p.startswith(str(out)))
    assert written == sorted([*manifest_names(out), "manifest.sha256"])
    assert listing(out) == written
    verify = govgate("verify", str(out))
    assert verify.code == 0, verify.stdout + verify.stderr
    assert json.loads((out / "report.json").read_text())["verdict"] in ("pass", "fail")


def test_a_committed_report_file_that_is_a_link_is_replaced_not_followed(
    govgate: Callable[..., Run], repo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "precious.json"
    target.write_text("keep me\n")
    (repo / "govgate-report").mkdir()
    commit_symlink(repo, "govgate-report/report.json", target)
    run = govgate("check", "--at", AT, cwd=repo)
    assert_judged(run)
    assert target.read_text() == "keep me\n"
    report = repo / "govgate-report" / "report.json"
    assert not report.is_symlink() and json.loads(report.read_text())["verdict"] in ("pass", "fail")
    assert govgate("verify", str(repo / "govgate-report")).code == 0
