"""Rego policies through the CLI: same Facts, same findings, same exceptions as YAML."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.acceptance.test_check import AT, assert_no_traceback, read_report
from tests.conftest import EXAMPLES

# A conftest policy as a platform team writes it today, plus METADATA for govgate.
POLICY = """\
package govgate.release

# METADATA
# title: Model card names a contact
# custom:
#   id: POL-001
#   severity: blocking
#   controls: [NIST AI RMF GOVERN 2.1]
#   remediation: Add a "Contact" section to the model card.
deny contains {"id": "POL-001", "msg": msg, "path": card.path, "line": 1} if {
	card := input.artifacts.model_card
	keys := {s.key | some s in card.markdown.sections}
	not "contact" in keys
	msg := sprintf("%s has no Contact section", [card.path])
}

# Unannotated conftest rules keep working: their id is package.rule.
warn contains msg if {
	input.subject.stage != "release"
	msg := "not a release build"
}
"""


def rego_repo(make_repo: Callable[..., Path], policy: str = POLICY, name: str = "repo") -> Path:
    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
    config = config.replace("rules: [builtin:baseline]", "rules: [builtin:baseline, policy/]")
    return make_repo(
        {"govgate.yaml": config, "policy/release.rego": policy},
        base=EXAMPLES / "credit-risk",
        name=name,
    )


def findings(out: Path) -> dict[str, dict]:
    return {f["rule_id"]: f for f in read_report(out)["findings"]}


def test_a_failing_rego_rule_blocks_with_its_metadata_and_location(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = rego_repo(make_repo)
    out = tmp_path / "out"
    run = govgate(
        "check", "--repo", str(repo), "--output-dir", str(out), "--at", AT, "--format", "json,sarif"
    )
    assert run.code == 1, run.stdout + run.stderr
    assert_no_traceback(run)
    found = findings(out)
    policy = found["POL-001"]
    assert policy["status"] == "fail" and policy["severity"] == "blocking"
    assert policy["title"] == "Model card names a contact"
    assert policy["controls"] == ["NIST AI RMF GOVERN 2.1"]
    assert policy["message"] == "docs/model_card.md has no Contact section"
    assert policy["location"]["path"] == "docs/model_card.md"
    assert found["govgate.release.warn"]["status"] == "pass"
    assert found["CARD-003"]["status"] == "pass"  # native rules run beside Rego ones
    order = [f["rule_id"] for f in read_report(out)["findings"]]
    assert order.index("APPR-001") < order.index("POL-001")  # packs in config order
    inputs = {i["location"]: i for i in read_report(out)["inputs"]}
    assert len(inputs["policy/release.rego"]["sha256"]) == 64
    sarif = json.loads((out / "report.sarif").read_text())
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "POL-001" in rule_ids


def test_an_exception_waives_a_rego_finding_exactly_as_a_yaml_one(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = rego_repo(make_repo)
    (repo / "governance" / "exceptions.yaml").write_text(
        "apiVersion: govgate/v1\nkind: ExceptionList\nexceptions:\n"
        "  - id: EXC-2026-100\n    rules: [POL-001]\n    models: [credit-risk]\n"
        "    reason: Contact section lands with the next card review\n"
        "    compensating_controls: [Contact listed in the service catalogue]\n"
        "    requested_by: alex@example.com\n    approved_by: lead@example.com\n"
        "    approved_on: 2026-11-20\n    expires_on: 2026-12-15\n"
    )
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    assert run.code == 0, run.stdout + run.stderr
    waived = findings(out)["POL-001"]
    assert waived["status"] == "waived" and waived["exception"]["id"] == "EXC-2026-100"


def test_a_policy_with_a_syntax_error_is_exit_2_at_its_line_and_column(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    broken = POLICY.replace('msg := sprintf("%s has', 'msg := := sprintf("%s has')
    repo = rego_repo(make_repo, broken)
    run = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"), "--at", AT)
    assert run.code == 2, run.stdout + run.stderr
    assert_no_traceback(run)
    assert "policy/release.rego:14:" in run.stdout + run.stderr
    validate = govgate("validate", str(repo / "policy" / "release.rego"))
    assert validate.code == 2 and "release.rego:14:" in validate.stdout + validate.stderr
    assert govgate("validate", str(rego_repo(make_repo, name="ok") / "govgate.yaml")).code == 0


def test_a_v0_policy_is_refused_with_the_v1_spelling(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    v0 = 'package main\n\ndeny[msg] {\n\tnot input.artifacts.model_card.exists\n\tmsg := "x"\n}\n'
    repo = rego_repo(make_repo, v0)
    run = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"), "--at", AT)
    assert run.code == 2
    assert_no_traceback(run)
    text = run.stdout + run.stderr
    assert "policy/release.rego:3:5" in text and "deny contains msg if" in text


def test_a_failing_builtin_is_an_error_verdict_not_a_pass(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    policy = (
        "package govgate.release\n\n# METADATA\n# title: Residual risk is a number\n"
        "# custom:\n#   id: POL-009\n#   remediation: r\n"
        'deny contains {"id": "POL-009", "msg": "too risky"} if {\n'
        "\tto_number(input.artifacts.risk_assessment.data.residual_risk) > 3\n}\n"
    )
    repo = rego_repo(make_repo, policy)
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    assert run.code == 2, run.stdout + run.stderr
    assert read_report(out)["verdict"] == "error"
    assert findings(out)["POL-009"]["status"] == "error"


def test_explain_shows_a_rego_rule_from_its_metadata(
    govgate, make_repo: Callable[..., Path]
) -> None:
    repo = rego_repo(make_repo)
    run = govgate("explain", "POL-001", "--repo", str(repo))
    assert run.code == 0, run.stderr
    assert "Model card names a contact" in run.stdout
    assert "data.govgate.release.deny" in run.stdout
    assert 'Add a "Contact" section' in run.stdout


CASES = """\
apiVersion: govgate/v1
kind: RuleTests
packs: [release.rego]
base:
  subject: {name: credit-risk, version: "7", risk_tier: high, stage: release}
  artifacts: {model_card: card.md}
cases:
  - name: a card with a contact passes
    at: 2026-11-26
    expect: {POL-001: pass, govgate.release.warn: pass}
  - name: a card without one fails
    at: 2026-11-26
    artifacts: {model_card: bare.md}
    expect: {POL-001: fail}
"""


def test_govgate_test_runs_rego_cases_and_enforces_min_coverage(govgate, tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "release.rego").write_text(POLICY)
    (folder / "card.md").write_text("# Card\n\n## Contact\n\nlee@example.com\n")
    (folder / "bare.md").write_text("# Card\n\n## Uses\n\nScoring.\n")
    (folder / "release.tests.yaml").write_text(CASES)
    run = govgate("test", str(folder))
    assert run.code == 0, run.stdout + run.stderr
    assert "2 passed, 0 failed" in run.stdout
    assert "uncovered govgate.release.warn: no failing case" in run.stdout
    assert "coverage: 1/2 rules (50.0%)" in run.stdout
    below = govgate("test", str(folder), "--min-coverage", "100")
    assert below.code == 1 and "below --min-coverage 100%" in below.stderr
    (folder / "release.tests.yaml").write_text(
        CASES + "  - name: a non-release build warns\n    at: 2026-11-26\n"
        "    subject: {stage: staging}\n    expect: {govgate.release.warn: warn}\n"
    )
    full = govgate("test", str(folder), "--min-coverage", "100")
    assert full.code == 0, full.stdout + full.stderr
    assert "coverage: 2/2 rules (100.0%)" in full.stdout


def test_a_case_whose_patch_breaks_the_facts_is_exit_2_naming_the_case(
    govgate, tmp_path: Path
) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "release.rego").write_text(POLICY)
    (folder / "card.md").write_text("# Card\n\n## Contact\n\nlee@example.com\n")
    (folder / "release.tests.yaml").write_text(
        CASES.replace(
            "    expect: {POL-001: pass, govgate.release.warn: pass}",
            "    patch: {repo: {dirty: [not, a, flag]}}\n    expect: {POL-001: pass}",
        )
    )
    run = govgate("test", str(folder))
    assert run.code == 2, run.stdout + run.stderr
    assert_no_traceback(run)
    assert "case 'a card with a contact passes'" in run.stderr
    assert "repo.dirty" in run.stderr


YAML_TWIN = """\
apiVersion: govgate/v1
kind: RulePack
metadata: {name: release}
rules:
  - id: POL-001
    title: Model card names a contact
    severity: blocking
    remediation: Add a "Contact" section to the model card.
    check: {kind: markdown_sections, artifact: model_card, required: [Contact]}
"""


def test_variants_run_every_case_on_other_packs_and_name_the_one_that_disagrees(
    govgate, tmp_path: Path
) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "release.yaml").write_text(YAML_TWIN)
    (folder / "release.rego").write_text(POLICY)
    (folder / "card.md").write_text("# Card\n\n## Contact\n\nlee@example.com\n")
    (folder / "bare.md").write_text("# Card\n\n## Uses\n\nScoring.\n")
    cases = CASES.replace(
        "packs: [release.rego]", "packs: [release.yaml]\nvariants: [[release.rego]]"
    )
    cases = cases.replace("{POL-001: pass, govgate.release.warn: pass}", "{POL-001: pass}")
    (folder / "release.tests.yaml").write_text(cases)
    agree = govgate("test", str(folder))
    assert agree.code == 0, agree.stdout + agree.stderr
    assert "4 passed, 0 failed" in agree.stdout
    (folder / "release.rego").write_text(
        POLICY.replace('not "contact" in keys', '"contact" in keys')
    )
    differ = govgate("test", str(folder))
    assert differ.code == 1
    assert "[release.rego]: a card with a contact passes" in differ.stdout
    assert "POL-001: expected pass, got fail" in differ.stdout
    assert "2 passed, 2 failed" in differ.stdout
