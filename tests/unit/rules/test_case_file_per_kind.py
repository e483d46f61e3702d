"""Every check kind and every predicate has a case file of its own, in which a rule using it is
expected to pass in one case and to fail (or warn) in another: a kind or predicate added without
its case file, or one whose cases only ever pass, fails here. The cases themselves run in
test_packs.py (and `govgate test rules/ --min-coverage 100` in `make test`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from govgate.casetest.cases import load_case_file
from govgate.rules.checks import REGISTRY
from govgate.rules.loader import load_packs, native_rules
from govgate.rules.schema import DocumentCheck, FactCheck, Predicates
from tests.conftest import ROOT

CHECKS = ROOT / "rules" / "tests" / "checks"
PREDICATES = ROOT / "rules" / "tests" / "predicates"
PREDICATE_NAMES = sorted(field.alias or name for name, field in Predicates.model_fields.items())
FAILING = {"fail", "warn"}


def _predicates(check: Any) -> set[str]:
    """The predicates a fact or document check writes (by their YAML names)."""
    if isinstance(check, FactCheck):
        written = [check]
    elif isinstance(check, DocumentCheck):
        written = list(check.fields)
    else:
        return set()
    names = set()
    for predicates in written:
        for name in predicates.given():
            names.add(Predicates.model_fields[name].alias or name)
    return names


@cache
def _exercised(path: Path) -> dict[str, tuple[Any, set[str]]]:
    """Per rule of the case file's packs: its check, and every status a case expects of it."""
    tests = load_case_file(path, str(path))
    rules = {
        loaded.rule.id: (rule.check, set[str]())
        for pack in load_packs(tests.packs, path.parent)
        for loaded, rule in native_rules(pack.rules)
    }
    for case in tests.cases:
        for rule_id, status in case.expect.items():
            rules[rule_id][1].add(status)
    return rules


def _both_ways(rules: dict[str, tuple[Any, set[str]]]) -> list[str]:
    return [rule_id for rule_id, (_, seen) in rules.items() if "pass" in seen and seen & FAILING]


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_each_check_kind_has_a_case_file_that_sees_it_pass_and_fail(kind: str) -> None:
    path = CHECKS / f"{kind}.tests.yaml"
    assert path.is_file(), f"check kind {kind!r} has no case file {path.relative_to(ROOT)}"
    rules = {rule_id: entry for rule_id, entry in _exercised(path).items() if entry[0].kind == kind}
    assert rules, f"{path.name} tests no rule whose check is of kind {kind!r}"
    assert _both_ways(rules), f"no {kind!r} rule in {path.name} is expected both to pass and fail"


@pytest.mark.parametrize("predicate", PREDICATE_NAMES)
def test_each_predicate_has_a_case_file_that_sees_it_pass_and_fail(predicate: str) -> None:
    path = PREDICATES / f"{predicate}.tests.yaml"
    assert path.is_file(), f"predicate {predicate!r} has no case file {path.relative_to(ROOT)}"
    rules = {
        rule_id: entry
        for rule_id, entry in _exercised(path).items()
        if predicate in _predicates(entry[0])
    }
    assert rules, f"{path.name} tests no rule that uses {predicate!r}"
    kinds = {entry[0].kind for entry in rules.values()}
    assert kinds == {"fact", "document"}, f"{path.name}: {predicate!r} is tested only in {kinds}"
    assert _both_ways(rules), f"no rule in {path.name} using {predicate!r} both passes and fails"


def test_the_case_files_name_only_kinds_and_predicates_that_exist() -> None:
    """A renamed kind or predicate must not leave an orphaned case file that tests nothing new."""
    kinds = {p.name.removesuffix(".tests.yaml") for p in CHECKS.glob("*.tests.yaml")}
    predicates = {p.name.removesuffix(".tests.yaml") for p in PREDICATES.glob("*.tests.yaml")}
    assert kinds == set(REGISTRY)
    assert predicates == set(PREDICATE_NAMES)
