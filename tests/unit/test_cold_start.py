"""The CLI's cold start: a check imports only what it uses, and importing or running the CLI
changes nothing outside govgate (environment, other libraries' modules, the cycle collector)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
sys.argv = ["govgate", "check", "--repo", REPO, "--output-dir", OUT, "--at", "2026-11-26T12:00:00Z",
            "--format", "json"]
from govgate.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
unused = [m for m in ("sarif", "junit", "codequality", "markdown", "html", "attestation")
          if "govgate.formats." + m in sys.modules]
print("unused-formats-imported", unused, file=sys.stderr)
other = [m for m in ("govgate.portfolio", "govgate.exceptions.commands") if m in sys.modules]
print("other-commands-imported", other, file=sys.stderr)
import gc
print("collector-enabled", gc.isenabled(), "frozen", gc.get_freeze_count(), file=sys.stderr)
"""


def test_a_check_imports_no_unused_format_nor_other_command(
    example_repo: Path, tmp_path: Path
) -> None:
    probe = PROBE.replace("REPO", repr(str(example_repo))).replace("OUT", repr(str(tmp_path)))
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert "verdict: PASS" in run.stdout, run.stdout + run.stderr
    assert "unused-formats-imported []" in run.stderr
    assert "other-commands-imported []" in run.stderr  # their parsers are built for them only
    # the collector as Python starts it: on, nothing frozen out of its view
    assert "collector-enabled True frozen 0" in run.stderr


def test_main_leaves_the_collector_as_the_caller_set_it() -> None:
    import gc

    from govgate.cli import main

    was = gc.isenabled()
    try:
        for setting in (gc.disable, gc.enable):
            setting()
            before, frozen = gc.isenabled(), gc.get_freeze_count()
            assert main(["schema", "config"]) == 0
            assert (gc.isenabled(), gc.get_freeze_count()) == (before, frozen)
    finally:
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


IMPORT_PROBE = """
import os, sys
environment, modules = dict(os.environ), dict(sys.modules)
import govgate.cli
print(sorted(k for k in os.environ if os.environ.get(k) != environment.get(k)))
print(sorted(k for k in modules if sys.modules.get(k) is not modules[k]))
import pydantic.plugin._loader as loader
print(str(getattr(loader, "__file__", None)).endswith("_loader.py"))
"""


def test_importing_the_cli_changes_no_environment_and_replaces_no_module() -> None:
    run = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True, check=True
    )
    changed_variables, replaced_modules, own_loader = run.stdout.splitlines()
    assert changed_variables == "[]"
    assert replaced_modules == "[]"
    assert own_loader == "True"  # pydantic's plugin loader is pydantic's own module
