"""The CLI's cold start keeps importlib.metadata off the check path, without changing behaviour."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pydantic

PROBE = """
import sys
sys.argv = ["govgate", "check", "--repo", REPO, "--output-dir", OUT, "--at", "2026-11-26T12:00:00Z"]
from govgate.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
print("metadata-imported", "importlib.metadata" in sys.modules, file=sys.stderr)
unused = [m for m in ("sarif", "junit", "codequality", "markdown", "html", "attestation")
          if "govgate.formats." + m in sys.modules]
print("unused-formats-imported", unused, file=sys.stderr)
other = [m for m in ("govgate.portfolio", "govgate.exceptions.commands") if m in sys.modules]
print("other-commands-imported", other, file=sys.stderr)
import gc
print("collector-enabled", gc.isenabled(), "frozen", gc.get_freeze_count() > 0, file=sys.stderr)
"""


def test_a_check_imports_neither_importlib_metadata_nor_unused_formats(
    example_repo: Path, tmp_path: Path
) -> None:
    probe = PROBE.replace("REPO", repr(str(example_repo))).replace("OUT", repr(str(tmp_path)))
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert "verdict: PASS" in run.stdout, run.stdout + run.stderr
    assert "metadata-imported False" in run.stderr
    assert "unused-formats-imported []" in run.stderr
    assert "other-commands-imported []" in run.stderr  # their parsers are built for them only
    # the cycle collector was off while pydantic and the models loaded, on again for the run
    assert "collector-enabled True frozen True" in run.stderr


def test_main_leaves_the_callers_collector_setting_as_it_found_it() -> None:
    import gc

    from govgate.cli import main

    was = gc.isenabled()
    try:
        for setting in (gc.disable, gc.enable):
            setting()
            before = gc.isenabled()
            assert main(["schema", "config"]) == 0
            assert gc.isenabled() is before
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()


def test_every_command_is_listed_in_help_and_a_typo_names_them_all() -> None:
    from govgate.cli import COMMANDS

    shown = subprocess.run(
        [sys.executable, "-m", "govgate", "--help"], capture_output=True, text=True, check=True
    )
    listed = {line.split()[0] for line in shown.stdout.splitlines() if line.startswith("    ")}
    assert set(COMMANDS) <= listed
    typo = subprocess.run(
        [sys.executable, "-m", "govgate", "--debug", "chek"], capture_output=True, text=True
    )
    assert typo.returncode == 2
    assert "invalid choice: 'chek' (choose from 'check', 'facts'" in typo.stderr
    assert "'report', 'schema')" in typo.stderr


def test_every_format_is_registered_under_its_own_name() -> None:
    from govgate.formats import FORMATS

    assert sorted(FORMATS) == [
        "attestation",
        "codequality",
        "html",
        "json",
        "junit",
        "markdown",
        "sarif",
    ]
    assert all(FORMATS[name].name == name for name in FORMATS)


def test_pydantic_imports_only_get_plugins_from_the_loader_govgate_stands_in_for() -> None:
    """If a pydantic release imports more from its plugin loader, the stand-in must learn it."""
    root = Path(pydantic.__file__).parent
    imported: set[str] = set()
    for path in root.rglob("*.py"):
        for match in re.finditer(
            r"from \.?_?loader import ([\w, ]+)|from pydantic\.plugin\._loader import ([\w, ]+)",
            path.read_text(),
        ):
            names = match.group(1) or match.group(2)
            imported |= {n.strip() for n in names.split(",")}
    assert imported == {"get_plugins"}


def test_plugins_still_load_when_a_user_enables_them(tmp_path: Path) -> None:
    probe = (
        "import os, sys\nos.environ['PYDANTIC_DISABLE_PLUGINS'] = 'none-of-ours'\n"
        "import govgate.cli\nimport pydantic.plugin._loader as l\n"
        "print(type(l.get_plugins()).__name__)"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "dict_values"  # pydantic's own loader ran
