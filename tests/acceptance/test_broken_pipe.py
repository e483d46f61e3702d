"""A reader that closes the pipe early (`govgate facts | head`) is not an internal error.

The reading end is closed before govgate writes anything, so its first write fails with EPIPE
every time: no race with the reader.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

pytestmark = pytest.mark.smoke  # a closed pipe is something only a process shows


def closed_pipe_run(govgate_bin: str, *args: str, cwd: Path) -> tuple[int, str]:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [govgate_bin, *args], stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=cwd,
            timeout=120,
        )  # fmt: skip
    finally:
        os.close(write_end)
    return proc.returncode, proc.stderr


def test_facts_into_a_closed_pipe_stops_quietly_as_unix_tools_do(
    govgate_bin: str, tmp_path: Path
) -> None:
    code, stderr = closed_pipe_run(
        govgate_bin, "facts", "--repo", str(EXAMPLES / "credit-risk"), cwd=tmp_path
    )
    assert stderr == ""
    assert code == 141  # 128 + SIGPIPE, what a shell shows for `yes | head`


def test_check_into_a_closed_pipe_still_writes_its_reports_and_returns_the_verdict(
    govgate_bin: str, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    out = tmp_path / "out"
    code, stderr = closed_pipe_run(
        govgate_bin, "check", "--repo", str(repo), "--output-dir", str(out), "--format", "html",
        "--at", "2026-11-26T12:00:00Z", cwd=tmp_path,
    )  # fmt: skip
    assert stderr == ""
    assert code == 1  # the verdict (fail), not an error
    assert {p.name for p in out.iterdir()} == {"report.json", "report.html", "manifest.sha256"}
