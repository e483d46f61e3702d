"""Every case in every shipped `*.tests.yaml` file, one pytest case each."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from govgate.casetest.cases import CaseResult, find_case_files, run_case_file
from tests.conftest import ROOT

CASE_FILES = find_case_files([ROOT / "rules"])


@cache  # collection and the coverage test share one run of every case file
def _results() -> list[CaseResult]:
    return [result for path in CASE_FILES for result in run_case_file(path)]


def test_shipped_packs_have_case_files() -> None:
    assert any(p.name == "baseline.tests.yaml" for p in CASE_FILES)


@pytest.mark.parametrize("result", _results(), ids=lambda r: f"{Path(r.file).stem}: {r.case}")
def test_pack_case(result: CaseResult) -> None:
    assert result.passed, "; ".join(result.mismatches())


def test_every_baseline_rule_is_exercised_both_ways() -> None:
    """Each rule has a case where it passes and one where it does not (fail or warn)."""
    seen: dict[str, set[str]] = {}
    for result in _results():
        for rule, status in result.expected.items():
            seen.setdefault(rule, set()).add(status)
    for rule, statuses in sorted(seen.items()):
        assert "pass" in statuses, f"{rule} has no passing case"
        assert statuses & {"fail", "warn"}, f"{rule} has no failing case"
