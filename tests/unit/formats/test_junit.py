"""junit.xml: golden files, pytest's junit-10.xsd, and a read-back with junitparser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from govgate.formats.junit import JunitFormat
from tests.unit.formats.conftest import (
    SCENARIOS,
    SCHEMAS,
    Scenario,
    assert_golden,
    render_normalised,
)

FORMAT = JunitFormat()


@pytest.fixture(scope="session")
def junit_schema() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(SCHEMAS / "junit-10.xsd"))


def parse(scenario: Scenario, tmp_path: Path) -> TestSuite:
    path = tmp_path / f"{scenario.name}.xml"
    path.write_bytes(FORMAT.render(scenario.report))
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert len(suites) == 1
    suite: TestSuite = suites[0]
    return suite


def cases(suite: TestSuite) -> dict[str, TestCase]:
    found: dict[str, TestCase] = {}
    for case in suite:
        found.setdefault(case.name.split(":", 1)[0], case)
    return found


def file_attributes(scenario: Scenario) -> dict[str, str]:
    """Rule id -> the `file` attribute GitLab reads (junitparser does not model it)."""
    root = ET.fromstring(FORMAT.render(scenario.report))
    return {
        case.get("name", "").split(":", 1)[0]: case.get("file", "")
        for case in root.iter("testcase")
        if "file" in case.attrib
    }


@pytest.mark.parametrize("name", SCENARIOS)
def test_golden(scenarios: dict[str, Scenario], name: str) -> None:
    assert_golden(f"{name}.junit.xml", render_normalised(FORMAT, scenarios[name]))


@pytest.mark.parametrize("name", SCENARIOS)
def test_valid_against_junit_10_xsd(
    scenarios: dict[str, Scenario], junit_schema: xmlschema.XMLSchema10, name: str
) -> None:
    """junit-10.xsd knows no `file` on <testcase>: it must be the only thing it objects to."""
    document = FORMAT.render(scenarios[name].report).decode("utf-8")
    root = ET.fromstring(document)
    with_file = [case for case in root.iter("testcase") if "file" in case.attrib]
    errors = list(junit_schema.iter_errors(document))
    assert len(errors) == len(with_file)
    for error in errors:
        assert error.elem is not None and error.elem.tag == "testcase", error
        assert "'file'" in str(error.reason), error
    for case in with_file:
        del case.attrib["file"]
    junit_schema.validate(ET.tostring(root, encoding="unicode"))


def test_the_xsd_can_fail(junit_schema: xmlschema.XMLSchema10) -> None:
    assert not junit_schema.is_valid('<testsuites><testsuite name="x"/></testsuites>')
    assert not junit_schema.is_valid(
        '<testsuites><testsuite name="x" tests="1" failures="0" errors="0" time="1.23456">'
        "</testsuite></testsuites>"
    )


@pytest.mark.parametrize("name", SCENARIOS)
def test_counts_match_the_report(scenarios: dict[str, Scenario], name: str, tmp_path: Path) -> None:
    report = scenarios[name].report
    suite = parse(scenarios[name], tmp_path)
    summary = report.summary
    extra = 1 if report.errors else 0
    assert suite.name == "govgate"
    assert suite.tests == summary.total + extra == len(list(suite))
    assert suite.failures == summary.fail
    assert suite.errors == summary.error + extra
    assert suite.skipped == summary.waived + summary.skipped
    outcomes = [type(r) for case in suite for r in case.result]
    assert outcomes.count(Failure) == suite.failures
    assert outcomes.count(Error) == suite.errors
    assert outcomes.count(Skipped) == suite.skipped


def test_one_case_per_finding(scenarios: dict[str, Scenario], tmp_path: Path) -> None:
    report = scenarios["fail"].report
    suite = parse(scenarios["fail"], tmp_path)
    assert [c.name for c in suite] == [f"{f.rule_id}: {f.title}" for f in report.findings]
    assert {c.classname for c in suite} == {
        "govgate.CARD",
        "govgate.RISK",
        "govgate.DATA",
        "govgate.EVAL",
        "govgate.MON",
        "govgate.APPR",
        "govgate.EXCEPTION",
    }
    assert all(c.time == 0 for c in suite)


def test_failure_says_what_and_how_to_fix(scenarios: dict[str, Scenario], tmp_path: Path) -> None:
    report = scenarios["fail"].report
    finding = next(f for f in report.findings if f.rule_id == "RISK-001")
    case = cases(parse(scenarios["fail"], tmp_path))["RISK-001"]
    [failure] = case.result
    assert isinstance(failure, Failure)
    assert failure.message == finding.message
    assert failure.type == "blocking"
    assert finding.message in failure.text and finding.remediation in failure.text
    assert file_attributes(scenarios["fail"])["RISK-001"] == "governance/risk_assessment.yaml"


def test_warning_passes_with_its_text(scenarios: dict[str, Scenario], tmp_path: Path) -> None:
    """GitLab ranks failures > errors > skipped; a warning must not fail the job."""
    report = scenarios["fail"].report
    finding = next(f for f in report.findings if f.status == "warn")
    case = cases(parse(scenarios["fail"], tmp_path))[finding.rule_id]
    assert case.result == [] and case.is_passed
    assert finding.message in (case.system_out or "")
    assert finding.remediation in (case.system_out or "")


def test_waived_is_skipped_by_its_exception(scenarios: dict[str, Scenario], tmp_path: Path) -> None:
    case = cases(parse(scenarios["fail"], tmp_path))["DATA-001"]
    [skipped] = case.result
    assert isinstance(skipped, Skipped)
    assert skipped.message == "waived by EXC-2026-021 until 2026-12-05"
    assert "GOV-311" in (skipped.text or "")
    assert "lead@example.com" in (skipped.text or "")
    synthetic = cases(parse(scenarios["synthetic"], tmp_path))["SYN-005"]
    assert synthetic.result[0].message == "waived by EXC-1"


def test_skipped_rule_is_skipped(scenarios: dict[str, Scenario], tmp_path: Path) -> None:
    case = cases(parse(scenarios["fail"], tmp_path))["CARD-002"]
    [skipped] = case.result
    assert isinstance(skipped, Skipped)
    assert skipped.message == "applies only to tier low, not high"


def test_passing_rule_is_a_plain_case(scenarios: dict[str, Scenario], tmp_path: Path) -> None:
    suite = parse(scenarios["pass"], tmp_path)
    passed = [c for c in suite if c.is_passed]
    assert len(passed) == scenarios["pass"].report.summary.passed
    assert suite.failures == suite.errors == 0


def test_errors(scenarios: dict[str, Scenario], tmp_path: Path) -> None:
    report = scenarios["error"].report
    found = cases(parse(scenarios["error"], tmp_path))
    [error] = found["MON-001"].result
    assert isinstance(error, Error)
    assert error.message == next(f.message for f in report.findings if f.rule_id == "MON-001")
    [gate_error] = found["govgate"].result
    assert isinstance(gate_error, Error)
    assert gate_error.message == report.errors[0].message
    noconfig = parse(scenarios["noconfig"], tmp_path)
    [case] = list(noconfig)
    assert case.name == "govgate: evaluation" and case.classname == "govgate.gate"
    assert "no config file" in case.result[0].message
    several = cases(parse(scenarios["synthetic"], tmp_path))["govgate"].result[0]
    assert several.message == "2 errors stopped the gate"
    assert "x.yaml:2:3: cannot read x.yaml" in several.text
    assert "registry unreachable" in several.text


def test_text_is_always_well_formed_xml(scenarios: dict[str, Scenario], tmp_path: Path) -> None:
    """Control characters cannot appear in XML 1.0 at all; markup characters are escaped."""
    rendered = FORMAT.render(scenarios["synthetic"].report)
    assert b"\x1b" not in rendered and b"\x00" not in rendered
    case = cases(parse(scenarios["synthetic"], tmp_path))["SYN-003"]
    assert case.name == "SYN-003: Windows path & <markup>"
    assert '<b>message</b> & "quotes"' in (case.system_out or "")
    assert "é" in (case.system_out or "")
    files = file_attributes(scenarios["synthetic"])
    assert files["SYN-003"] == "docs/sub dir/card.md"
    assert files["SYN-002"] == "/srv/data/model card.md"
    assert "SYN-001" not in files and "SYN-006" not in files  # no location; a models:/ URI


def test_suite_time_and_properties(scenarios: dict[str, Scenario], tmp_path: Path) -> None:
    suite = parse(scenarios["synthetic"], tmp_path)
    assert suite.time == 1.235
    assert ET.fromstring(FORMAT.render(scenarios["synthetic"].report)).get("time") == "1.235"
    properties = {p.name: p.value for p in suite.properties()}
    assert properties["verdict"] == "error"
    assert properties["exit_code"] == "2"
    assert properties["subject.name"] == "synthetic"
    assert "subject.uri" not in properties  # None is left out, not written as "None"
