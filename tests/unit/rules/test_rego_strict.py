"""A policy that calls a function nobody defines is refused when it loads, in every engine, as
OPA refuses it at compile time (issue 12, item 22): regopy only notices when the call runs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from govgate.errors import RuleError
from govgate.rules.rego_source import parse_rego, rego_builtins
from tests.conftest import ROOT

UNREACHED = """package p

deny contains msg if {
  false
  msg := nosuch(1)
}
"""
FINE = """package p

import data.lib
import data.lib.strings as s

double(x) := x * 2

deny contains msg if {
  count(input.items) > double(2)
  startswith(input.name, "tmp")
  msg := sprintf("%v", [lib.helper(input.name), s.trim_all(input.name), time.now_ns == 0])
}
"""


def test_an_undefined_function_is_refused_at_load_even_where_never_called() -> None:
    with pytest.raises(RuleError) as caught:
        parse_rego(UNREACHED, "policy/p.rego")
    assert str(caught.value.location) == "policy/p.rego:5:10"
    assert "undefined function nosuch" in str(caught.value)


def test_builtins_own_functions_and_imported_packages_are_fine() -> None:
    parse_rego(FINE.replace("time.now_ns == 0", "true"), "p.rego")


def test_a_misspelt_builtin_is_refused() -> None:
    with pytest.raises(RuleError) as caught:
        parse_rego(UNREACHED.replace("nosuch(1)", 'strings.replace_nn({}, "x")'), "p.rego")
    assert "undefined function strings.replace_nn" in str(caught.value)


def test_the_builtin_list_is_the_real_opas() -> None:
    opa = ROOT.parent / "shared" / "tools" / "opa" / "opa"
    found = shutil.which("opa") or (str(opa) if opa.exists() else None)
    if found is None:
        pytest.skip("no opa binary to compare the shipped built-in list with")
    out = subprocess.run([found, "capabilities", "--current"], capture_output=True, check=True)
    import json

    names = {b["name"] for b in json.loads(out.stdout)["builtins"]}
    assert rego_builtins() == frozenset(names)


def test_opa_refuses_what_govgate_refuses(tmp_path: Path) -> None:
    opa = ROOT.parent / "shared" / "tools" / "opa" / "opa"
    found = shutil.which("opa") or (str(opa) if opa.exists() else None)
    if found is None:
        pytest.skip("no opa binary")
    (tmp_path / "p.rego").write_text(UNREACHED)
    run = subprocess.run([found, "check", "--strict", str(tmp_path / "p.rego")],
                         capture_output=True, text=True)  # fmt: skip
    assert run.returncode != 0 and "undefined function nosuch" in run.stdout + run.stderr
