"""scripts/import_graph.py: it finds a cycle, a back-edge and a sibling edge in a planted package,
passes a clean one, and passes govgate itself (the same check `make lint` runs)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "import_graph.py"


@pytest.fixture(scope="module")
def graph() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def plant(root: Path, files: dict[str, str]) -> Path:
    for name, text in {"govgate/__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


CLEAN = {
    "govgate/errors.py": "",
    "govgate/facts.py": "from govgate.errors import *\n",
    "govgate/sources/__init__.py": "",
    "govgate/sources/git.py": "from govgate.facts import RepoFacts\n",
    "govgate/rules/__init__.py": "",
    "govgate/rules/timeexpr.py": "from govgate import errors\n",
    "govgate/formats/__init__.py": 'WHERE = {"json": "govgate.formats.json"}\n',
    "govgate/formats/json.py": "import govgate.facts\n",
    "govgate/cli.py": "def main():\n    from govgate.commands import check\n",
    "govgate/commands/__init__.py": "",
    "govgate/commands/check.py": "from ..sources import git\n",
}


def test_a_clean_package_passes(
    graph: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = plant(tmp_path, CLEAN)
    assert graph.main(["--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "govgate.commands.check -> govgate.sources.git" in out  # a relative import
    assert "govgate.cli -> govgate.commands.check" in out  # inside a function
    assert "govgate.formats -> govgate.formats.json" in out  # a registry's module name


def test_a_cycle_a_back_edge_and_a_sibling_edge_are_each_reported(
    graph: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = plant(
        tmp_path,
        {
            **CLEAN,
            # sources must not import rules (a later layer), nor formats the sources
            "govgate/sources/git.py": "from govgate.rules.timeexpr import to_datetime\n",
            "govgate/formats/json.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from govgate.sources import git\n",
            # a cycle inside one layer: a function-level import closes it
            "govgate/commands/check.py": "def run():\n    import govgate.commands.facts\n",
            "govgate/commands/facts.py": "from govgate.commands.check import run\n",
        },
    )
    assert graph.main(["--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert (
        "govgate/sources/git.py:1: govgate.sources.git (sources) imports "
        "govgate.rules.timeexpr (rules), a later layer"
    ) in err
    assert (
        "govgate/formats/json.py:3: govgate.formats.json (formats) imports govgate.sources.git "
        "(sources), which it must stay apart from"
    ) in err
    assert "cycle: govgate.commands.check <-> govgate.commands.facts" in err


def test_a_module_in_no_layer_is_exit_2(
    graph: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = plant(tmp_path, {**CLEAN, "govgate/helpers.py": ""})
    assert graph.main(["--root", str(root)]) == 2
    assert "govgate.helpers is in no layer" in capsys.readouterr().err


def test_govgate_itself_has_no_cycle_and_no_edge_against_the_flow(
    graph: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert graph.main([]) == 0, capsys.readouterr().err
