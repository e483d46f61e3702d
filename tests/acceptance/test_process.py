"""Smoke tests of the installed `govgate` binary in a child process: what the in-process runner
cannot show. The entry point exists and answers `--help`; the exit status of the process is the
contract for a pass, a fail and an error (a located one, with its report); an interrupt ends the
run with one line, no traceback and no report. A reader closing the pipe early:
test_broken_pipe.py."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from govgate.cli import COMMANDS
from tests.conftest import EXAMPLES, Run

pytestmark = pytest.mark.smoke

AT = "2026-11-26T12:00:00Z"


def one_clean_line(run: Run) -> str:
    """The single stderr line of a failed run; no traceback and nothing after it."""
    assert "Traceback" not in run.stderr + run.stdout
    assert "Exception ignored" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


def test_help_lists_every_command(govgate_process: Callable[..., Run]) -> None:
    run = govgate_process("--help")
    assert run.code == 0 and run.stderr == ""
    assert run.stdout.startswith("usage: govgate")
    for command in COMMANDS:
        assert command in run.stdout


def test_a_complete_release_passes_with_exit_0(
    govgate_process: Callable[..., Run], example_repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ("check", "--repo", str(example_repo), "--output-dir", str(out), "--at", AT)
    run = govgate_process(*args)
    assert run.code == 0, run.stdout + run.stderr
    assert "verdict: PASS" in run.stdout
    assert json.loads((out / "report.json").read_text())["exit_code"] == 0


def test_an_incomplete_release_fails_with_exit_1(
    govgate_process: Callable[..., Run], make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    out = tmp_path / "out"
    run = govgate_process("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    assert run.code == 1, run.stdout + run.stderr
    assert "verdict: FAIL" in run.stdout
    assert json.loads((out / "report.json").read_text())["verdict"] == "fail"


def test_a_broken_config_is_exit_2_with_its_location_and_an_error_report(
    govgate_process: Callable[..., Run], make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({"govgate.yaml": "apiVersion: govgate/v1\nkind: Config\nmodel: [\n"})
    out = tmp_path / "out"
    run = govgate_process("check", "--repo", str(repo), "--output-dir", str(out))
    assert run.code == 2
    assert "Traceback" not in run.stdout + run.stderr
    assert f"ERROR  {repo / 'govgate.yaml'}:4:1: invalid YAML" in run.stdout
    assert "verdict: ERROR" in run.stdout
    assert json.loads((out / "report.json").read_text())["verdict"] == "error"


def test_an_interrupt_during_a_registry_call_is_exit_2_and_writes_no_report(
    govgate_bin: str, example_repo: Path, tmp_path: Path
) -> None:
    """Ctrl-C while the gate waits on MLflow (a server that accepts and never answers)."""
    out = tmp_path / "out"
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(60)
        uri = f"http://127.0.0.1:{server.getsockname()[1]}"
        proc = subprocess.Popen(
            [govgate_bin, "check", "--repo", str(example_repo), "--output-dir", str(out),
             "--model", "models:/credit-risk/7", "--tracking-uri", uri],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # As a terminal starts it: a shell's background job (CI, `make &`) ignores SIGINT,
            # and a child inherits that.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
        connection, _ = server.accept()  # the gate is now inside its first registry call
        with connection:
            proc.send_signal(signal.SIGINT)
            stdout, stderr = proc.communicate(timeout=60)
    run = Run(proc.returncode, stdout, stderr)
    assert run.code == 2
    assert one_clean_line(run) == "govgate: interrupted"
    assert not (out / "report.json").exists()
