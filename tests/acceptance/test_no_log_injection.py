"""The CLI on a repo whose rule pack and exceptions file carry terminal and CI-log
escapes: `govgate check` (what a GitHub step or a GitLab job log shows) and `govgate exceptions
list` print them as visible escapes; report.json keeps them as written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import EXAMPLES, Run
from tests.inert import assert_inert

AT = "2026-11-26T12:00:00Z"

# YAML double-quoted escapes: \e ESC, \a BEL, \0 NUL, \x85 NEL (C1), \x9b CSI (C1), \u202e RLO
HOUSE_PACK = r"""apiVersion: govgate/v1
kind: RulePack
metadata: {name: house, version: 0.1.0}
rules:
  - id: HOUSE-001
    title: "Evil \e[31mtitle\e]8;;http://evil\a link"
    severity: blocking
    description: "desc \r::error::pwned"
    remediation: "fix\r\e[2Kverdict: PASS\n::add-mask::secret\n##[error]x \u202egnp.exe \
      \0 \x85 \x9b"
    check:
      kind: fact
      path: subject.stage
      equals: production
  - id: HOUSE-002
    title: Waived by a hostile exception
    severity: blocking
    remediation: "\e[0Ksection_start:1700000000:evil\r\e[0Kdo it"
    check:
      kind: fact
      path: subject.stage
      equals: production
"""
EXCEPTION_ID = "::error::EXC-\x1b[31m1\r"
EXCEPTIONS = r"""apiVersion: govgate/v1
kind: ExceptionList
exceptions:
  - id: "::error::EXC-\e[31m1\r"
    rules: [HOUSE-002]
    models: [credit-risk]
    reason: "reason \e]8;;http://evil\a\u202e"
    compensating_controls: ["::stop-commands::x"]
    requested_by: "::add-mask::x\e[1m@example.com"
    approved_by: "lead@example.com"
    approved_on: 2026-11-20
    expires_on: 2026-12-10
"""


def hostile_repo(make_repo: Callable[..., Path]) -> Path:
    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text(encoding="utf-8")
    config = config.replace("rules: [builtin:baseline]", "rules: [builtin:baseline, rules/]")
    return make_repo(
        {
            "govgate.yaml": config,
            "rules/house.yaml": HOUSE_PACK,
            "governance/exceptions.yaml": EXCEPTIONS,
        },
        base=EXAMPLES / "credit-risk",
        commit_date="2026-11-20T10:00:00+00:00",
    )


def test_check_output_shows_hostile_text_escaped(
    govgate: Callable[..., Run], make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = hostile_repo(make_repo)
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    assert run.code == 1, run.stdout + run.stderr
    assert_inert(run.stdout)
    assert_inert(run.stderr)
    assert "fix: fix\\r\\x1b[2Kverdict: PASS" in run.stdout
    assert "\\::add-mask::secret" in run.stdout
    assert "##\\[error]x \\u202egnp.exe \\x00 \\x85 \\x9b" in run.stdout
    assert "\\x1b[0Ksection_start:1700000000:evil\\r\\x1b[0Kdo it" not in run.stdout  # waived
    assert "::error::EXC-\\x1b[31m1\\r" in run.stdout  # the exception id, in a waived finding
    verdicts = [line for line in run.stdout.split("\n") if line.startswith("verdict:")]
    assert len(verdicts) == 1 and verdicts[0].startswith("verdict: FAIL")
    # report.json is data: the text as the pack and the exceptions file wrote it
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    found = {f["rule_id"]: f for f in report["findings"]}
    assert found["HOUSE-001"]["remediation"].startswith("fix\r\x1b[2Kverdict: PASS\n")
    assert found["HOUSE-001"]["title"] == "Evil \x1b[31mtitle\x1b]8;;http://evil\x07 link"
    assert found["HOUSE-002"]["exception"]["id"] == EXCEPTION_ID


def test_verbose_check_output_is_inert_too(
    govgate: Callable[..., Run], make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = hostile_repo(make_repo)
    run = govgate(
        "check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"), "--at", AT, "--verbose"
    )
    assert run.code == 1, run.stdout + run.stderr
    assert_inert(run.stdout)


def test_exceptions_list_shows_hostile_ids_escaped(
    govgate: Callable[..., Run], make_repo: Callable[..., Path]
) -> None:
    repo = hostile_repo(make_repo)
    run = govgate("exceptions", "--repo", str(repo), "list", "--at", "2026-11-26")
    assert run.code == 0, run.stdout + run.stderr
    assert_inert(run.stdout)
    assert run.stdout.startswith("\\::error::EXC-\\x1b[31m1\\r ")
    assert "1 exception(s) in governance/exceptions.yaml" in run.stdout
