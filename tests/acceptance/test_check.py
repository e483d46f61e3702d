"""`govgate check` end to end: main(argv) on real git repos; exit codes are the contract."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import EXAMPLES, Run

AT = "2026-11-26T12:00:00Z"


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout


def read_report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text())


def test_complete_example_passes_with_exit_0(govgate, example_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(example_repo), "--output-dir", str(out), "--at", AT)
    assert run.code == 0, run.stdout + run.stderr
    assert "verdict: PASS" in run.stdout
    report = read_report(out)
    assert report["verdict"] == "pass" and report["exit_code"] == 0
    assert report["subject"]["name"] == "credit-risk" and report["subject"]["version"] == "7"
    assert len(report["subject"]["git_commit"]) == 40
    statuses = {f["rule_id"]: f["status"] for f in report["findings"]}
    assert statuses["CARD-003"] == "pass" and statuses["CARD-004"] == "pass"
    assert statuses["CARD-002"] == "skipped"
    kinds = {i["kind"] for i in report["inputs"]}
    assert kinds == {"config", "artifact", "rulepack", "approvals", "exceptions"}
    assert all(len(i["sha256"]) == 64 for i in report["inputs"])
    assert report["evaluated_at"].startswith("2026-11-26T12:00:00")


def test_report_validates_against_its_published_schema(
    govgate, example_repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    govgate("check", "--repo", str(example_repo), "--output-dir", str(out), "--at", AT)
    schema = json.loads(govgate("schema", "report").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(read_report(out), schema)


def test_incomplete_example_fails_with_exit_1_and_points_at_lines(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    assert run.code == 1, run.stdout + run.stderr
    assert_no_traceback(run)
    report = read_report(out)
    assert report["verdict"] == "fail"
    card = next(f for f in report["findings"] if f["rule_id"] == "CARD-003")
    assert card["status"] == "fail"
    lines = {e["location"]["line"] for e in card["evidence"] if e["location"]}
    # Placeholders inside the required topics are flagged at their lines ("Direct Use" and
    # "Bias, Risks, and Limitations"); the empty topics point at their headings.
    assert {37, 45, 63} <= lines
    assert card["remediation"] and card["controls"]
    assert "docs/model_card.md:" in run.stdout


def test_advisory_turns_fail_into_exit_0_but_keeps_the_verdict(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk-incomplete")
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--advisory")
    assert run.code == 0
    assert read_report(out)["verdict"] == "fail"
    assert "advisory" in run.stdout


def test_advisory_never_hides_an_error(govgate, tmp_path: Path) -> None:
    run = govgate(
        "check", "--repo", str(tmp_path), "--advisory", "--output-dir", str(tmp_path / "o")
    )
    assert run.code == 2


def test_missing_config_is_exit_2_with_a_hint(govgate, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(tmp_path), "--output-dir", str(out))
    assert run.code == 2
    assert_no_traceback(run)
    assert "no config file" in run.stdout and "govgate init" in run.stdout
    assert read_report(out)["verdict"] == "error"


CONFIG = """apiVersion: govgate/v1
kind: Config
model: {name: credit-risk, risk_tier: high}
artifacts:
  model_card: docs/model_card.md
rules: [rules/]
"""


def test_bad_yaml_in_a_rule_pack_is_exit_2_with_file_line_col(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    pack = (
        "apiVersion: govgate/v1\nkind: RulePack\nmetadata: {name: t}\n"
        "rules:\n  - id: A-1\n    title: [unclosed\n"
    )
    repo = make_repo({"govgate.yaml": CONFIG, "rules/team.yaml": pack})
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out))
    assert run.code == 2
    assert_no_traceback(run)
    error = read_report(out)["errors"][0]
    assert error["location"]["path"] == "rules/team.yaml"
    assert error["location"]["line"] == 7 and error["location"]["column"] is not None
    assert "rules/team.yaml:7:" in run.stdout


UNKNOWN_KIND_PACK = """apiVersion: govgate/v1
kind: RulePack
metadata: {name: team}
rules:
  - id: TEAM-001
    title: Card exists
    severity: blocking
    remediation: Add it.
    check:
      kind: artefact
      artifact: model_card
"""


def test_unknown_check_kind_is_exit_2_naming_the_line_and_the_choices(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({"govgate.yaml": CONFIG, "rules/team.yaml": UNKNOWN_KIND_PACK})
    run = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"))
    assert run.code == 2
    assert_no_traceback(run)
    assert "rules/team.yaml:9:" in run.stdout  # the `check:` key of rule 0
    assert "'artefact'" in run.stdout and "markdown_sections" in run.stdout


@pytest.mark.parametrize(
    ("path", "expected"),
    [("../outside.md", "outside the repository"), ("/etc/hostname", "is absolute")],
)
def test_artifact_path_escaping_the_repo_is_exit_2(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, path: str, expected: str
) -> None:
    (tmp_path / "outside.md").write_text("# secret\n")
    config = CONFIG.replace("docs/model_card.md", path).replace("[rules/]", "[builtin:baseline]")
    repo = make_repo({"govgate.yaml": config})
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out))
    assert run.code == 2, run.stdout
    assert_no_traceback(run)
    assert expected in run.stdout
    report = read_report(out)
    assert report["verdict"] == "error"
    assert any(expected in e["message"] for e in report["errors"])


def test_symlink_pointing_outside_the_repo_is_exit_2(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# Model Card: credit-risk\n")
    repo = make_repo({"govgate.yaml": CONFIG.replace("[rules/]", "[builtin:baseline]")})
    (repo / "docs").mkdir()
    (repo / "docs" / "model_card.md").symlink_to(secret)
    run = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"))
    assert run.code == 2
    assert "outside the repository" in run.stdout


def test_unreadable_yaml_artifact_is_an_error_not_a_failure(
    govgate, example_repo: Path, tmp_path: Path
) -> None:
    (example_repo / "monitoring" / "monitoring.yaml").write_text("owner: [a\n")
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(example_repo), "--output-dir", str(out), "--at", AT)
    assert run.code == 2
    report = read_report(out)
    mon = next(f for f in report["findings"] if f["rule_id"] == "MON-001")
    assert mon["status"] == "error"
    assert mon["location"]["path"] == "monitoring/monitoring.yaml" and mon["location"]["line"] == 2


def test_no_rules_at_all_is_an_error_not_a_pass(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({"govgate.yaml": CONFIG, "rules/README.md": "nothing here\n"})
    run = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"))
    assert run.code == 2
    assert "no rules loaded" in run.stdout


def test_misspelt_tier_in_a_rule_is_an_error(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    pack = UNKNOWN_KIND_PACK.replace("artefact", "artifact").replace(
        "    severity: blocking\n", "    severity: blocking\n    tiers: [hgih]\n"
    )
    repo = make_repo({"govgate.yaml": CONFIG, "rules/team.yaml": pack})
    run = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"))
    assert run.code == 2
    assert "hgih" in run.stdout and "rules/team.yaml:5:" in run.stdout


def test_at_flag_makes_expiry_reproducible(govgate, example_repo: Path, tmp_path: Path) -> None:
    later = "2027-11-01T00:00:00Z"  # the risk assessment (reviewed 2026-10-20) is then stale
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(example_repo), "--output-dir", str(out), "--at", later)
    assert run.code == 1
    risk = next(f for f in read_report(out)["findings"] if f["rule_id"] == "RISK-001")
    assert risk["status"] == "fail" and "reviewed_on" in risk["message"]


def test_bad_at_value_is_a_usage_error(govgate, example_repo: Path) -> None:
    run = govgate("check", "--repo", str(example_repo), "--at", "next tuesday")
    assert run.code == 2
    assert "ISO 8601" in run.stderr


def test_publish_without_the_mlflow_source_fails_closed(govgate, example_repo: Path) -> None:
    run = govgate("check", "--repo", str(example_repo), "--publish")
    assert run.code == 2
    assert "MLflow" in run.stderr


def test_report_is_not_left_half_written(govgate, example_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    govgate("check", "--repo", str(example_repo), "--output-dir", str(out), "--at", AT)
    # the default formats (json for machines, html for approvers) and the manifest: no temp file
    names = sorted(p.name for p in out.iterdir())
    assert names == ["manifest.sha256", "report.html", "report.json"]


def test_a_stub_section_does_not_hide_the_filled_one_under_the_same_title(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """Cards often carry a short "Limitations" note near the top and the full section later;
    a topic adds up every section that names it, so the stub does not hide the full one."""
    card = (EXAMPLES / "credit-risk" / "docs" / "model_card.md").read_text()
    stub = "## Limitations\n\nSee below.\n\n"
    card = card.replace("## Intended Use", stub + "## Intended Use", 1)
    repo = make_repo({"docs/model_card.md": card}, base=EXAMPLES / "credit-risk")
    out = tmp_path / "out"
    govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    card_003 = next(f for f in read_report(out)["findings"] if f["rule_id"] == "CARD-003")
    assert card_003["status"] == "pass", card_003["message"]
    # and when every "Limitations" is a stub, their words together are too few
    thin = card.split("## Limitations\n", 2)
    tail = thin[2].split("\n## ", 1)[1]
    short = (
        thin[0] + "## Limitations\n" + thin[1] + "## Limitations\n\nNone known yet.\n\n## " + tail
    )
    (repo / "docs" / "model_card.md").write_text(short)
    govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    card_003 = next(f for f in read_report(out)["findings"] if f["rule_id"] == "CARD-003")
    assert card_003["status"] == "fail"
    assert card_003["message"] == (
        "topic 'limitations' ('Limitations' line 15, 'Limitations' line 43) has 5 words of "
        "content, needs at least 20"
    )


def test_html_report_is_written_listed_in_the_manifest_and_verified(
    govgate, example_repo: Path, tmp_path: Path
) -> None:
    import html5lib

    out = tmp_path / "out"
    run = govgate(
        "check", "--repo", str(example_repo), "--output-dir", str(out), "--at", AT,
        "--format", "html",
    )  # fmt: skip
    assert run.code == 0, run.stdout + run.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    document = html5lib.HTMLParser(strict=True).parse(page)
    heading = next(document.iter("{http://www.w3.org/1999/xhtml}h1"))
    assert heading.text == "govgate: PASS"
    assert "report.html" in (out / "manifest.sha256").read_text()
    assert govgate("verify", str(out)).code == 0
