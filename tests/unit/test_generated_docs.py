"""The generated reference docs and schemas match the code: docs that lie are worse than none."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_generated_docs_are_current() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
