"""`report.json` on the same scenarios as the other formats: golden files and its own schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from govgate.formats.json import JsonFormat
from govgate.schemas import schema_document
from tests.unit.formats.conftest import SCENARIOS, Scenario, assert_golden, render_normalised

FORMAT = JsonFormat()


@pytest.mark.parametrize("name", SCENARIOS)
def test_golden(scenarios: dict[str, Scenario], name: str) -> None:
    assert_golden(f"{name}.report.json", render_normalised(FORMAT, scenarios[name]))


@pytest.mark.parametrize("name", SCENARIOS)
def test_valid_against_govgate_schema_report(scenarios: dict[str, Scenario], name: str) -> None:
    document = json.loads(FORMAT.render(scenarios[name].report))
    jsonschema.Draft202012Validator(schema_document("report")).validate(document)
    assert document["verdict"] == {"pass": "pass", "fail": "fail"}.get(name, document["verdict"])
