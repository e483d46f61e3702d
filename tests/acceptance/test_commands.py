"""The other verbs: facts, validate, explain, init, test, schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import EXAMPLES, ROOT


def test_facts_prints_what_rules_see(govgate, example_repo: Path) -> None:
    run = govgate("facts", "--repo", str(example_repo))
    assert run.code == 0, run.stderr
    facts = json.loads(run.stdout)
    assert facts["schema"] == "govgate/facts/v1"
    assert facts["subject"] == {
        "name": "credit-risk",
        "version": "7",
        "uri": "models:/credit-risk/7",
        "risk_tier": "high",
        "stage": "release",
    }
    assert facts["repo"]["is_git"] and facts["repo"]["branch"] == "main"
    assert facts["repo"]["dirty"] is False
    card = facts["artifacts"]["model_card"]
    assert card["exists"] and len(card["sha256"]) == 64
    assert card["last_commit"].startswith("2026-11-20T10:00:00")
    titles = [s["title"] for s in card["markdown"]["sections"]]
    assert "Intended Use" in titles and "Ethical Considerations" in titles
    assert card["markdown"]["front_matter"]["model_name"] == "credit-risk"
    assert facts["artifacts"]["monitoring"]["data"]["monitors"][0]["metric"] == "psi"
    schema = json.loads(govgate("schema", "facts").stdout)
    jsonschema.validate(facts, schema)


def test_facts_sees_a_dirty_working_tree(govgate, example_repo: Path) -> None:
    (example_repo / "docs" / "model_card.md").write_text("# changed\n")
    facts = json.loads(govgate("facts", "--repo", str(example_repo)).stdout)
    assert facts["repo"]["dirty"] is True


def test_facts_on_a_broken_config_is_exit_2(govgate, tmp_path: Path) -> None:
    (tmp_path / "govgate.yaml").write_text("apiVersion: govgate/v1\nkind: Config\nmodel: 3\n")
    run = govgate("facts", "--repo", str(tmp_path))
    assert run.code == 2
    assert "govgate.yaml:3:" in run.stderr and "Traceback" not in run.stderr


def test_validate_accepts_the_shipped_files(govgate) -> None:
    run = govgate("validate", str(ROOT / "rules"), str(EXAMPLES / "credit-risk" / "govgate.yaml"))
    assert run.code == 0, run.stderr
    assert "0 problem(s)" in run.stdout


def test_validate_reports_every_bad_file_with_its_place(govgate, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "apiVersion: govgate/v1\nkind: RulePack\nmetadata: {name: a}\n"
        "rules:\n  - id: A-1\n    title: t\n    severity: fatal\n"
        "    remediation: r\n    check: {kind: fact, path: x, exists: true}\n"
    )
    (tmp_path / "b.yaml").write_text("kind: Config\nmodel: {name: m\n")
    run = govgate("validate", str(tmp_path))
    assert run.code == 2
    assert f"{tmp_path / 'a.yaml'}:7:5:" in run.stderr and "fatal" in run.stderr
    assert f"{tmp_path / 'b.yaml'}:3:1:" in run.stderr
    assert "2 problem(s)" in run.stdout


def test_validate_rejects_a_malformed_fact_path_at_load(govgate, tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "apiVersion: govgate/v1\nkind: RulePack\nmetadata: {name: a}\n"
        "rules:\n  - id: A-1\n    title: t\n    severity: info\n"
        "    remediation: r\n    check:\n      kind: fact\n"
        "      path: subject..tier\n      exists: true\n"
    )
    run = govgate("validate", str(tmp_path / "p.yaml"))
    assert run.code == 2
    assert "p.yaml:11:7:" in run.stderr and "malformed path" in run.stderr


def test_explain_shows_metadata_from_the_pack(govgate) -> None:
    run = govgate("explain", "CARD-003")
    assert run.code == 0, run.stderr
    assert "NIST AI RMF MAP 1.1" in run.stdout and "remediation:" in run.stdout
    assert "tiers:       medium, high" in run.stdout and "(builtin:baseline:" in run.stdout


def test_explain_unknown_rule_lists_the_known_ones(govgate) -> None:
    run = govgate("explain", "NOPE-1")
    assert run.code == 2
    assert "CARD-001" in run.stderr


def test_init_scaffolds_a_repo_that_the_gate_understands(govgate, tmp_path: Path) -> None:
    repo = tmp_path / "fraud-detector"
    repo.mkdir()
    run = govgate("init", "--repo", str(repo), "--risk-tier", "high")
    assert run.code == 0, run.stderr
    assert (repo / "govgate.yaml").read_text().count("name: fraud-detector") == 1
    check = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"))
    assert check.code == 1, check.stdout  # the scaffold is incomplete until filled in, not broken
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    statuses = {f["rule_id"]: f["status"] for f in report["findings"]}
    assert statuses["CARD-001"] == "pass" and statuses["CARD-003"] == "fail"
    # The starter rule asks for a contact; the template's "[More Information Needed]" is none.
    team = next(f for f in report["findings"] if f["rule_id"] == "TEAM-001")
    assert team["status"] == "warn"
    assert (
        team["message"] == "topic 'contact' ('Contact' line 42) has 0 words of content, "
        "needs at least 3; not counted: 1 placeholder(s)"
    )
    card = (repo / "docs" / "model_card.md").read_text()
    (repo / "docs" / "model_card.md").write_text(
        card.replace(
            "## Contact\n\n[More Information Needed]", "## Contact\n\nfraud-ml@example.com"
        )
    )
    govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"))
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    assert {f["rule_id"]: f["status"] for f in report["findings"]}["TEAM-001"] == "pass"
    assert govgate("validate", str(repo / "govgate.yaml"), str(repo / "rules")).code == 0


def test_init_never_overwrites_user_files(govgate, tmp_path: Path) -> None:
    (tmp_path / "govgate.yaml").write_text("# mine\n")
    run = govgate("init", "--repo", str(tmp_path))
    assert run.code == 2 and "refusing to overwrite" in run.stderr
    assert (tmp_path / "govgate.yaml").read_text() == "# mine\n"
    assert not (tmp_path / "docs").exists()


@pytest.mark.slow  # every case file, and the baseline's again on its Rego translation
def test_govgate_test_runs_case_files(govgate) -> None:
    """CI runs every shipped case file this way, and holds every rule to a passing and a failing
    case."""
    run = govgate("test", str(ROOT / "rules"), "--min-coverage", "100")
    assert run.code == 0, run.stdout + run.stderr
    assert " passed, 0 failed" in run.stdout
    assert "(100.0%)" in run.stdout and "uncovered" not in run.stdout


def test_govgate_test_reports_a_wrong_expectation(govgate, tmp_path: Path) -> None:
    cases = (ROOT / "rules" / "tests" / "baseline.tests.yaml").read_text()
    # Without the Rego variant: reporting a mismatch does not need the cases run twice.
    cases = cases.replace("variants: [[builtin:baseline-rego]]\n", "")
    cases = cases.replace("../../", str(ROOT) + "/").replace(
        "CARD-004: pass, RISK-001", "CARD-004: fail, RISK-001"
    )
    (tmp_path / "x.tests.yaml").write_text(cases)
    run = govgate("test", str(tmp_path))
    assert run.code == 1
    assert "CARD-004: expected fail, got pass" in run.stdout


def test_the_cli_offers_every_schema_govgate_generates(govgate) -> None:
    from govgate.schemas import schema_names

    run = govgate("schema", "nope")
    assert run.code == 2
    offered = run.stderr.split("choose from ")[1].rstrip().rstrip(")")
    assert sorted(name.strip(" '") for name in offered.split(",")) == schema_names()


@pytest.mark.parametrize(
    "name", ["config", "rulepack", "exceptions", "approvals", "report", "facts", "portfolio"]
)
def test_schemas_are_valid_json_schema(govgate, name: str) -> None:
    run = govgate("schema", name)
    assert run.code == 0
    schema = json.loads(run.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    ("name", "path", "typo"),
    [
        (
            "exceptions",
            "credit-risk-incomplete/governance/exceptions.yaml",
            ("exceptions", 0, "reason", "reasn"),
        ),
        ("approvals", "credit-risk/governance/approvals.yaml", ("approvals", 0, "by", "bye")),
    ],
)
def test_exceptions_and_approvals_schemas_accept_the_example_and_reject_a_typo(
    govgate, name: str, path: str, typo: tuple[str, int, str, str]
) -> None:
    from govgate.yamlio import parse_yaml

    schema = json.loads(govgate("schema", name).stdout)
    parsed = parse_yaml((EXAMPLES / path).read_text(), path).data  # YAML 1.2: `on:` is a key
    document = json.loads(json.dumps(parsed, default=str))  # dates as the ISO text they were
    jsonschema.validate(document, schema)
    key, index, field, wrong = typo
    entry = document[key][index]
    entry[wrong] = entry.pop(field)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_config_schema_accepts_the_example_and_rejects_a_typo(govgate) -> None:
    import yaml

    schema = json.loads(govgate("schema", "config").stdout)
    config = yaml.safe_load((EXAMPLES / "credit-risk" / "govgate.yaml").read_text())
    jsonschema.validate(config, schema)
    config["modle"] = config.pop("model")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(config, schema)


def test_validate_config_also_checks_the_packs_it_names(govgate, tmp_path: Path) -> None:
    (tmp_path / "govgate.yaml").write_text(
        "apiVersion: govgate/v1\nkind: Config\nmodel: {name: m, risk_tier: low}\n"
        "rules: [builtin:baseline, team.yaml]\n"
    )
    run = govgate("validate", str(tmp_path / "govgate.yaml"))
    assert run.code == 2
    assert "rule pack 'team.yaml' not found" in run.stderr
