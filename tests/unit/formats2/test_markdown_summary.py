"""summary.md parsed back with markdown-it-py (GFM tables on): every cell says what the report says.

The report builders here are shared with the attestation and verify tests.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from govgate.facts import CiFacts
from govgate.findings import AppliedException, Evidence, Finding, Status
from govgate.formats.markdown import BUDGET, MAX_EVIDENCE, MarkdownFormat
from govgate.formats.places import place
from govgate.gate import GateOptions, run_check
from govgate.location import Location
from govgate.report import ExceptionsSummary, Report, ReportError, ReportSubject
from tests.conftest import EXAMPLES

AT = datetime(2026, 11, 26, 12, tzinfo=UTC)
GOLDEN = Path(__file__).resolve().parent / "golden"
BROKEN_YAML = "owner: [unclosed\n  hazards: |\n"
Case = Literal["pass", "fail", "error"]


# --- shared: real reports from the gate, made deterministic -----------------------------------


def _scrub(value: Any, tmp: str) -> Any:
    """Replace the temp folder in every string of a frozen dataclass tree."""
    if isinstance(value, str):
        return value.replace(tmp, "<tmp>")
    if isinstance(value, list):
        return [_scrub(v, tmp) for v in value]
    if isinstance(value, tuple):
        return tuple(_scrub(v, tmp) for v in value)
    if isinstance(value, dict):
        return {k: _scrub(v, tmp) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _scrub(getattr(value, f.name), tmp) for f in dataclasses.fields(value) if f.init
        }
        return dataclasses.replace(value, **changes)
    return value


def normalised(report: Report, tmp: Path) -> Report:
    """No temp paths; a fixed commit, duration, version and policy digest (which moves with
    every edit of the baseline pack): the same bytes on every machine and run."""
    scrubbed: Report = _scrub(report, str(tmp))
    subject = scrubbed.subject
    if subject.git_commit:
        subject = dataclasses.replace(subject, git_commit="0123456789abcdef" * 2 + "01234567")
    return dataclasses.replace(
        scrubbed,
        subject=subject,
        duration_ms=12.5,
        govgate_version="0.0.0+test",
        policy_digest="feedface" * 8 if scrubbed.policy_digest else None,
    )


def gate_report(make_repo: Callable[..., Path], case: Case) -> Report:
    """pass: examples/credit-risk; fail: credit-risk-incomplete (a waived finding, an expiring
    and an expired exception); error: credit-risk with an unreadable risk assessment."""
    base = EXAMPLES / ("credit-risk-incomplete" if case == "fail" else "credit-risk")
    files = {"governance/risk_assessment.yaml": BROKEN_YAML} if case == "error" else {}
    repo = make_repo(files, name=f"{case}-repo", base=base, commit_date="2026-11-20T10:00:00Z")
    report = run_check(GateOptions(repo=repo, at=AT, env={})).report
    assert report.verdict == case
    return normalised(report, repo.parent)


def assert_golden(name: str, actual: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("GOVGATE_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(actual)
        return
    assert path.exists(), f"no golden file {path}: run with GOVGATE_UPDATE_GOLDEN=1"
    assert actual.decode() == path.read_bytes().decode(), f"{name} changed"


# --- parsing the summary back --------------------------------------------------------------


@dataclass
class Cell:
    text: str
    kinds: list[str]  # token types inside the cell, to catch markup that leaked through
    html: list[str]


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def column(self, name: str) -> list[str]:
        index = self.header.index(name)
        return [row[index].text for row in self.rows]


def _cell(inline: Token) -> Cell:
    text, kinds, html = "", [], []
    for child in inline.children or []:
        kinds.append(child.type)
        if child.type in ("text", "text_special", "code_inline"):
            text += child.content
        elif child.type in ("softbreak", "hardbreak"):
            text += "\n"
        elif child.type == "html_inline":
            html.append(child.content)
            text += "\n" if child.content == "<br>" else child.content
    return Cell(text.replace("\u200b", ""), kinds, html)


def parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(markdown)


def tables(markdown: str) -> list[Table]:
    found: list[Table] = []
    row: list[Cell] | None = None
    in_head = False
    for token in parse(markdown):
        if token.type == "table_open":
            found.append(Table(header=[]))
        elif token.type in ("thead_open", "thead_close"):
            in_head = token.type == "thead_open"
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(_cell(token))
        elif token.type == "tr_close" and row is not None:
            if in_head:
                found[-1].header = [c.text for c in row]
            else:
                found[-1].rows.append(row)
            row = None
    return found


def headings(markdown: str) -> list[str]:
    tokens = parse(markdown)
    return [_cell(tokens[i + 1]).text for i, t in enumerate(tokens) if t.type == "heading_open"]


def render(report: Report) -> str:
    return MarkdownFormat().render(report).decode()


BLOCKING = ["Status", "Rule", "Title", "Where", "What was found", "How to fix"]
WARNINGS = ["Rule", "Title", "Where", "What was found", "How to fix"]
APPROVALS = ["Role", "Needs", "Approver", "When", "Source", "Evidence", "Status"]


def where(location: Location | None) -> str:
    """A place as both reviewer views write it: `docs/model_card.md, line 1`."""
    return place(location, CiFacts()).label if location is not None else "—"


# --- real reports ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["pass", "fail", "error"])
def test_summary_matches_golden(make_repo: Callable[..., Path], case: Case) -> None:
    assert_golden(f"summary-{case}.md", MarkdownFormat().render(gate_report(make_repo, case)))


def test_fail_summary_tables_hold_every_finding_in_its_place(
    make_repo: Callable[..., Path],
) -> None:
    report = gate_report(make_repo, "fail")
    text = render(report)
    blocking, warnings, approvals, *_ = tables(text)
    assert blocking.header == BLOCKING
    assert warnings.header == WARNINGS
    assert approvals.header == APPROVALS
    failing = [f for f in report.findings if f.status in ("fail", "error")]
    assert blocking.column("Rule") == [f.rule_id for f in failing]
    assert blocking.column("Title") == [f.title for f in failing]
    expected = [
        "see Approvals"
        if f.rule_id == "APPR-001"
        else f"see Waivers: {where(f.location)}"
        if f.rule_id.startswith("EXCEPTION-")
        else where(f.location)
        for f in failing
    ]
    assert blocking.column("Where") == expected
    # RISK-001's remediation holds `low|medium|high`: an unescaped pipe would split the cell.
    assert blocking.column("How to fix") == [f.remediation for f in failing]
    assert any("|" in f.remediation for f in failing)
    assert set(blocking.column("Status")) == {"❌ fail"}
    assert warnings.column("Rule") == ["EXCEPTION-EXPIRING"]
    # the waived finding is said once: under the exception that waived it, not in a table
    assert "DATA-001" not in "".join(blocking.column("Rule") + warnings.column("Rule"))
    assert approvals.column("Role") == ["model_risk", "privacy", "security"]
    assert set(approvals.column("Needs")) == {"0 of 1 valid ❌"}
    for table in (blocking, warnings, approvals):
        assert all(len(row) == len(table.header) for row in table.rows)


def test_long_evidence_is_cut_with_a_count_and_keeps_its_pipes(
    make_repo: Callable[..., Path],
) -> None:
    report = gate_report(make_repo, "fail")
    card = next(f for f in report.findings if f.rule_id == "CARD-003")
    (blocking, *_) = tables(render(report))
    wrong = blocking.column("What was found")[blocking.column("Rule").index("CARD-003")]
    lines = wrong.split("\n")
    assert lines[0] == card.message
    shown = card.evidence[:MAX_EVIDENCE]
    assert lines[1 : 1 + MAX_EVIDENCE] == [f"• {where(e.location)}: {e.message}" for e in shown]
    assert any("|" in e.message for e in shown)  # `{{ model_id | default(...) }}`
    assert lines[-1] == f"• … and {len(card.evidence) - MAX_EVIDENCE} more in report.json"


def test_heading_counts_and_exceptions_tell_the_reviewer_the_verdict(
    make_repo: Callable[..., Path],
) -> None:
    text = render(gate_report(make_repo, "fail"))
    assert headings(text)[0] == "❌ govgate: FAIL — credit-risk version 8"
    assert (
        "**Model:** credit-risk · **Version:** 8 · **Risk tier:** high · **Stage:** release · "
        "**Commit:** 0123456789ab"
    ) in text
    assert "Evaluated 2026-11-26 12:00:00 UTC by govgate" in text  # to the second, with zone
    assert (
        "**9** blocking failures · **0** errors · **1** warnings · **1** waived · **1** passed · "
        "**3** skipped"
    ) in text
    waiver = next(line for line in text.splitlines() if "**EXC-2026-021**" in line)
    assert waiver.startswith("- **EXC-2026-021** (expires soon, used in this run): waives DATA-001")
    for part in (
        "waived in this run: DATA-001",
        "reason: The datasheet is being rewritten",
        "compensating controls: Data lineage reviewed",
        "requested by alex@example.com",
        "approved by lead@example.com on 2026-11-10",
        "ticket GOV-311",
        "expires 2026-12-05 (9 day(s) left)",
    ):
        assert part in waiver
    expired = next(line for line in text.splitlines() if "**EXC-2026-014**" in line)
    assert expired.startswith("- ⛔ **EXC-2026-014** (expired: waives nothing)")
    assert "**why it waives nothing:** expired on 2026-10-31" in expired
    # The order of report.html; passed and skipped rules collapsed after everything else.
    order = [
        "### What blocks the release (9)",
        "### Warnings (1)",
        "### Waivers",
        "### Approvals",
        "### Evidence",
        "### Controls covered",
        "<details>",
    ]
    assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)
    assert text.count("- ✅ passed:") == 1 and text.count("- ⏭️ skipped:") == 3


def test_pass_summary_has_no_tables_and_lists_every_rule_collapsed(
    make_repo: Callable[..., Path],
) -> None:
    report = gate_report(make_repo, "pass")
    text = render(report)
    assert headings(text)[:2] == [
        "✅ govgate: PASS — credit-risk version 7",
        "What blocks the release",
    ]
    assert "Nothing: no blocking rule failed." in text
    approvals, inputs, controls = tables(text)  # no finding table: nothing to act on
    assert approvals.column("Status") == ["valid"] * 3
    assert set(approvals.column("Evidence")) == {f"{report.evidence_digest[:12]} (current)"}
    assert len(inputs.rows) == len(report.inputs)
    assert set(controls.column("Result")) <= {"met", "not checked", "met, with warnings"}
    items = [t for t in parse(text) if t.type == "list_item_open"]
    assert len(items) == report.summary.total + 3  # every rule, and three evidence lines


def test_errors_come_first_and_the_verdict_never_reads_as_a_pass(
    make_repo: Callable[..., Path],
) -> None:
    report = gate_report(make_repo, "error")
    text = render(report)
    found = headings(text)
    assert found[0].startswith("⚠️ govgate: ERROR")
    assert found[1] == "⚠️ Errors: the gate could not evaluate (1): this is not a pass"
    assert text.index(report.errors[0].message.split(":")[0]) < text.index("### What blocks")
    (blocking, *_) = tables(text)
    # The error first; then APPR-001, whose approvals were bound to the risk assessment as it was.
    assert blocking.column("Status") == ["⚠️ error", "❌ fail"]
    assert blocking.column("Rule") == ["RISK-001", "APPR-001"]


def test_a_report_that_stopped_at_its_config_still_renders(tmp_path: Path) -> None:
    report = run_check(GateOptions(repo=tmp_path / "missing", at=AT, env={})).report
    text = render(report)
    assert headings(text)[0] == "⚠️ govgate: ERROR"
    assert "does not exist" in text and tables(text) == []
    assert "### What blocks the release" in text


# --- hostile text ----------------------------------------------------------------------------

NASTY = (
    "a | b \\| c `code` **bold** _em_ [link](https://evil.example) ![img](x.png) "
    "<script>alert(1)</script> <img src=x onerror=alert(1)> &lt; &amp; $x^2$ ~~s~~ "
    "<https://evil.example> @all #12 trailing \\"
)
MULTILINE = "line one\n# heading\n- item\n1. first\n> quote\n| x | y |\n|---|---|\n<details>"


STATUSES: list[Status] = ["fail", "error", "warn", "waived", "pass", "skipped"]


def _hostile_report() -> Report:
    where = Location(path="docs/we|rd <b>.md", line=3)
    findings = [
        Finding(
            rule_id=f"#{n} R|{n}",
            title=f"- {NASTY}",
            severity="blocking",
            status=status,
            message=f"{MULTILINE}\n{NASTY}",
            remediation=f"1. {NASTY}",
            location=where,
            evidence=[Evidence(message=NASTY, location=where), Evidence(message=MULTILINE)],
            exception=AppliedException(
                id=f"EXC|{n}", approved_by="@all", expires_on="2026|12", reason=MULTILINE
            )
            if status == "waived"
            else None,
        )
        for n, status in enumerate(STATUSES)
    ]
    return Report(
        evaluated_at="2026-11-26T12:00:00+00:00",
        subject=ReportSubject(name=f"m|odel\n# {NASTY}", version="1|2", risk_tier="high"),
        findings=findings,
        errors=[ReportError(message=MULTILINE, location=where)],
        exceptions=ExceptionsSummary(applied=[f"E|1 {NASTY}"], expired=["- x"]),
    )


def test_hostile_text_stays_inside_its_cell_and_says_what_it_said() -> None:
    report = _hostile_report()
    text = render(report)
    blocking, warnings = tables(text)
    by_table = {
        "blocking": (blocking, [report.findings[1], report.findings[0]]),  # errors first
        "warnings": (warnings, report.findings[2:3]),
    }
    for name, (table, findings) in by_table.items():
        assert len(table.rows) == len(findings), name
        assert table.column("Rule") == [f.rule_id for f in findings], name
        assert table.column("Title") == [f.title for f in findings], name
        assert table.column("Where") == [where(f.location) for f in findings], name
        wrong = table.column("What was found")
        assert [w.split("\n• ")[0] for w in wrong] == [f.message for f in findings], name
        assert all(f"• {where(findings[0].location)}: {NASTY.strip()}" in w for w in wrong)
        for row in table.rows:
            for cell in row:
                # Only the bold rule id is markup; everything else is text and <br>.
                assert set(cell.kinds) <= {
                    "text",
                    "text_special",
                    "html_inline",
                    "strong_open",
                    "strong_close",
                }, (name, cell)
                assert set(cell.html) <= {"<br>"}, (name, cell)
    assert warnings.column("How to fix") == [report.findings[2].remediation]
    waived = next(t for t in parse(text) if t.type == "inline" and "waived by" in t.content)
    assert _cell(waived).text.startswith(f"{report.findings[3].rule_id} waived by EXC|3: line one")


def test_hostile_text_injects_no_html_heading_list_or_mention() -> None:
    text = render(_hostile_report())
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "<em>" not in html and "<del>" not in html and "<h1>" not in html
    ours = {"<details>", "<summary>", "</details>"}
    blocks = [t.content for t in parse(text) if t.type == "html_block"]
    assert all(any(block.startswith(tag) for tag in ours) for block in blocks), blocks
    # title, errors, blocking, warnings, waivers, approvals, evidence (no control is named)
    assert len(headings(text)) == 7
    assert "@all" not in text and "@&#8203;all" in text
    assert "#12" not in text


def test_text_that_opens_a_block_at_the_start_of_a_list_item_stays_text() -> None:
    messages = [
        "- nested",
        "+ nested",
        "* nested",
        "1. ordered",
        "2) ordered",
        "# heading",
        "> quote",
        "    indented code",
        "= setext",
        "---",
    ]
    report = Report(
        evaluated_at="2026-11-26T12:00:00+00:00",
        errors=[ReportError(message=m) for m in messages],
    )
    tokens = parse(render(report))
    kinds = [t.type for t in tokens]
    assert kinds.count("bullet_list_open") == 2  # the errors, and the evidence lines
    assert "ordered_list_open" not in kinds and "blockquote_open" not in kinds
    assert "code_block" not in kinds and "hr" not in kinds
    items = [_cell(tokens[i + 2]).text for i, t in enumerate(tokens) if t.type == "list_item_open"]
    assert items[: len(messages)] == [m.strip() for m in messages]
    assert items[len(messages) :] == ["Check this folder: govgate verify govgate-report/"]


def test_control_characters_and_carriage_returns_do_not_break_a_row() -> None:
    finding = Finding(
        rule_id="R1",
        title="tab\there\x00\x1b[31m red",
        severity="blocking",
        status="fail",
        message="one\r\ntwo\rthree",
        remediation="fix",
    )
    report = Report(evaluated_at="2026-11-26T12:00:00+00:00", findings=[finding])
    (table,) = tables(render(report))
    assert table.column("Title") == ["tab here[31m red"]
    assert table.column("What was found") == ["one\ntwo\nthree"]


# --- size ------------------------------------------------------------------------------------


def test_a_huge_report_stays_under_the_step_summary_limit_with_counts() -> None:
    pipes = "x | y " * 2_000
    evidence = [
        Evidence(message=f"e{i} |", location=Location(path="a.md", line=i)) for i in range(200)
    ]
    findings = [
        Finding(
            rule_id=f"R{n:05d}",
            title=f"rule {n}",
            severity="blocking" if n % 2 else "warning",
            status="fail" if n % 2 else "warn",
            message=pipes,
            remediation=pipes,
            location=Location(path="a.md", line=n),
            evidence=evidence,
        )
        for n in range(3_000)
    ]
    report = Report(evaluated_at="2026-11-26T12:00:00+00:00", findings=findings)
    data = MarkdownFormat().render(report)
    assert len(data) <= BUDGET < 1024 * 1024
    text = data.decode()
    assert headings(text)[0] == "❌ govgate: FAIL"
    blocking, warnings = tables(text)
    assert warnings.rows == []  # the budget ran out in the first table
    shown = len(blocking.rows)
    assert 0 < shown < 1_500
    assert f"_… {1_500 - shown} more row(s) left out" in text
    assert "_… 1500 more row(s) left out" in text  # all the warnings
    assert all(len(row) == len(BLOCKING) for row in blocking.rows)
    assert all(
        w.endswith("• … and 190 more in report.json") for w in blocking.column("What was found")
    )
    assert all("more characters in report.json" in r for r in blocking.column("How to fix"))
