"""A rule pack's `matches` pattern runs in linear time (RE2): a catastrophic pattern cannot stall
the gate, and one the linear-time engine cannot run is refused at load with its location
(issue 12, item 13)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

PACK = """apiVersion: govgate/v1
kind: RulePack
metadata: {{name: house}}
rules:
  - id: HOUSE-001
    title: Owner is written as the house style asks
    severity: blocking
    remediation: Fix the owner.
    check:
      kind: document
      artifact: risk_assessment
      fields:
        - {{path: owner, matches: '{pattern}'}}
"""


def _repo(make_repo: Callable[..., Path], pattern: str, owner: str) -> Path:
    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
    risk = (EXAMPLES / "credit-risk" / "governance" / "risk_assessment.yaml").read_text()
    return make_repo(
        {
            "govgate.yaml": config.replace("[builtin:baseline]", "[rules/]"),
            "rules/house.yaml": PACK.format(pattern=pattern),
            "governance/risk_assessment.yaml": risk.replace(
                "owner: lee@example.com", f"owner: {owner}"
            ),
        },
        base=EXAMPLES / "credit-risk",
    )


def test_a_catastrophic_pattern_is_judged_at_once(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    # Python's backtracking engine takes minutes on this pair; RE2 answers in microseconds.
    repo = _repo(make_repo, "^(a+)+$", "a" * 34 + "b")
    run = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"))
    assert run.code == 1, run.stdout + run.stderr
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    finding = next(f for f in report["findings"] if f["rule_id"] == "HOUSE-001")
    assert finding["status"] == "fail"
    assert "which does not match /^(a+)+$/" in finding["message"]


def test_a_matching_value_still_passes(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = _repo(make_repo, "^(a+)+$", "aaaa")
    run = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"))
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    finding = next(f for f in report["findings"] if f["rule_id"] == "HOUSE-001")
    assert finding["status"] == "pass", run.stdout


@pytest.mark.parametrize(
    ("pattern", "why"),
    [("(?<=@)example", "invalid perl operator: (?<"), ("(a)\\1", "invalid escape sequence")],
)
def test_a_pattern_the_linear_engine_cannot_run_is_a_located_load_error(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, pattern: str, why: str
) -> None:
    repo = _repo(make_repo, pattern, "lee@example.com")
    run = govgate("validate", str(repo / "rules" / "house.yaml"))
    assert run.code == 2, run.stdout + run.stderr
    output = run.stdout + run.stderr
    assert "house.yaml:13:" in output  # the line of the `matches` entry
    assert why in output and "linear time" in output
    assert "WARNING" not in run.stderr and "re2.cc" not in run.stderr  # no engine log noise
