"""A rule's `help_uri` becomes the SARIF rule's helpUri; an invalid one is refused at load."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from jsonschema import Draft4Validator

from govgate.formats.sarif import SarifFormat
from govgate.gate import GateOptions, run_check
from govgate.report import Report
from tests.conftest import EXAMPLES
from tests.unit.formats.test_sarif import oasis_validator  # noqa: F401  (fixture)

PACK = """apiVersion: govgate/v1
kind: RulePack
metadata: {name: house}
rules:
  - id: HOUSE-001
    title: Model card names a contact
    severity: blocking
    remediation: Add a Contact section.
    help_uri: HELP_URI
    check:
      kind: markdown_sections
      artifact: model_card
      required: [Contact]
"""


def run(make_repo: Callable[..., Path], uri: str) -> Report:
    repo = make_repo({"house.yaml": PACK.replace("HELP_URI", uri)}, base=EXAMPLES / "credit-risk")
    config = repo / "govgate.yaml"
    config.write_text(config.read_text().replace("[builtin:baseline]", "[house.yaml]"))
    at = datetime(2026, 11, 26, 12, tzinfo=UTC)
    return run_check(GateOptions(repo=repo, at=at, env={})).report


def test_help_uri_reaches_the_sarif_rule(
    make_repo: Callable[..., Path],
    oasis_validator: Draft4Validator,  # noqa: F811 (the imported fixture)
) -> None:
    sarif = json.loads(SarifFormat().render(run(make_repo, "https://policies.example.com/r/1")))
    oasis_validator.validate(sarif)
    rule = sarif["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["id"] == "HOUSE-001"
    assert rule["helpUri"] == "https://policies.example.com/r/1"


def test_a_relative_help_uri_is_refused_where_it_is_written(
    make_repo: Callable[..., Path],
) -> None:
    report = run(make_repo, "docs/rules.md")
    assert report.verdict == "error"
    error = report.errors[0]
    assert error.location is not None and error.location.path == "house.yaml"
    assert error.location.line == 9 and "help_uri" in error.message
