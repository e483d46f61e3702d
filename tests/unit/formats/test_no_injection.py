"""Hostile text from packs, exceptions files and documents: shown in human output, never acting.

The terminal summary (which is also the GitLab job log) shows every control character as its
escape and lets no workflow command start a line; SARIF `help.markdown` carries no raw HTML and no
`javascript:` or `data:` link; the machine formats keep the text exactly as it was.
"""

from __future__ import annotations

import json
import re

import pytest
from markdown_it import MarkdownIt

from govgate.findings import AppliedException, Finding
from govgate.formats.json import JsonFormat
from govgate.formats.sarif import SarifFormat
from govgate.formats.terminal import render_terminal
from govgate.location import Location
from govgate.report import Report, ReportError, ReportSubject
from tests.inert import assert_inert

ESC_COLOUR = "\x1b[31m"
OSC8_LINK = "\x1b]8;;http://evil\x07"
GITLAB_SECTION = "\x1b[0Ksection_start:1700000000:evil\r\x1b[0K"
HOSTILE = (
    f"red {ESC_COLOUR}text{OSC8_LINK}link\x1b]8;;\x07 {GITLAB_SECTION}"
    "\rverdict: PASS\x00\x08\x7f\x85\x9b\u202egnp.exe\u2066\u2028\ufeff"
)
COMMANDS = ("::error::pwned", "::add-mask::secret", "::stop-commands::tok", "##[error]spoofed")
MULTILINE = "\n".join([HOSTILE, *COMMANDS, "  ::warning title=x::indented"])


def hostile_report() -> Report:
    def finding(rule_id: str, **fields: object) -> Finding:
        base: dict[str, object] = {
            "title": f"Rule {rule_id}",
            "severity": "blocking",
            "status": "fail",
            "message": f"{rule_id} failed",
            "remediation": "",
        }
        return Finding(rule_id=rule_id, **(base | fields))  # type: ignore[arg-type]

    return Report(
        evaluated_at="2026-11-26T12:00:00+00:00",
        subject=ReportSubject(
            name=f"::error::model{ESC_COLOUR}", version="3\r", risk_tier="high", stage="\u202eprod"
        ),
        findings=[
            finding("MSG-1", message=MULTILINE, remediation=MULTILINE),
            finding(
                "::add-mask::RULE\x1b[2K",
                message=HOSTILE,
                location=Location(path=f"docs/{ESC_COLOUR}card.md\r", line=3),
            ),
            finding(
                "WAIVED-1",
                status="waived",
                message=f"waived by ::error::EXC-{ESC_COLOUR}1\r",
                exception=AppliedException(id=f"::error::EXC-{ESC_COLOUR}1\r", reason=HOSTILE),
            ),
            finding("PASS-1", status="pass", message="##[group]all good"),
        ],
        errors=[ReportError(message=MULTILINE, location=Location(path="x.yaml\x1b[8m", line=1))],
    )


# --- terminal (and so the GitLab job log) --------------------------------------------------


@pytest.mark.parametrize("verbose", [False, True])
def test_terminal_shows_controls_as_escapes_and_starts_no_command(verbose: bool) -> None:
    output = render_terminal(hostile_report(), verbose=verbose)
    assert_inert(output)
    # what was there is visible, as text
    for shown in ("\\x1b[31m", "\\x1b]8;;http://evil\\x07", "\\r", "\\x00", "\\u202e", "\\x9b"):
        assert shown in output
    assert "\\x1b[0Ksection_start:1700000000:evil\\r\\x1b[0K" in output
    assert "\\::add-mask::secret" in output and "##\\[error]spoofed" in output
    assert "\\::add-mask::RULE\\x1b[2K" in output  # a rule id from a Rego `deny` object
    assert "docs/\\x1b[31mcard.md\\r:3: " in output
    assert "govgate: \\::error::model\\x1b[31m v3\\r (tier high, stage \\u202eprod)" in output
    # the verdict is the last line, whole, and no earlier line can overwrite it
    lines = output.rstrip("\n").split("\n")
    assert lines[-1].startswith("verdict: ERROR  (")
    assert sum(line.startswith("verdict:") for line in lines) == 1


def test_terminal_keeps_meant_line_breaks_under_their_finding() -> None:
    output = render_terminal(hostile_report())
    lines = output.split("\n")
    first = next(i for i, line in enumerate(lines) if "MSG-1" in line)
    # the message's lines, then `fix:` and the remediation's lines, all indented
    continuation = lines[first + 1 : first + 1 + len(COMMANDS) + 1]
    assert [line.strip() for line in continuation] == [
        "\\::error::pwned",
        "\\::add-mask::secret",
        "\\::stop-commands::tok",
        "##\\[error]spoofed",
        "\\::warning title=x::indented",
    ]
    column = lines[first].index("red ")
    assert all(line.startswith(" " * column) for line in continuation)
    assert lines[first + len(COMMANDS) + 2].strip().startswith("fix: red ")


def test_terminal_output_of_a_plain_report_is_unchanged() -> None:
    report = Report(
        evaluated_at="2026-11-26T12:00:00+00:00",
        subject=ReportSubject(name="m", version="3", risk_tier="high", stage="release"),
        findings=[
            Finding(
                rule_id="ART-001",
                title="t",
                severity="blocking",
                status="fail",
                message="missing sections: Limitations\tand C:\\docs (see `x`)",
                remediation="Fill in ## Limitations; https://example.com/a::b",
                location=Location(path="docs/model_card.md", line=1, column=1),
            )
        ],
    )
    assert render_terminal(report).split("\n")[1:3] == [
        "  FAIL   ART-001  docs/model_card.md:1:1: missing sections: Limitations\tand C:\\docs "
        "(see `x`)",
        "                  fix: Fill in ## Limitations; https://example.com/a::b",
    ]


# --- SARIF help.markdown --------------------------------------------------------------------

HTML_REMEDIATION = "\n".join(
    [
        "Fill in the card; see [the guide](https://example.com/guide) and run `govgate check`.",
        '<img alt="<" src=x onerror=alert(13)> <b title=">">bold</b>',
        "<script>alert(1)</script><img src=x onerror=alert(2)>",
        '<a href="javascript:alert(3)">click</a> <<b>script>alert(4)<</b>/script>',
        "[one](javascript:alert(5)) [two]( JaVaScRiPt:alert(6) ) ![three](data:text/html;base64,x)",
        "[four](jav&#x61;script:alert(7)) [five](<javascript:alert(8)>) <javascript:alert(9)>",
        "[six](java\\script:alert(10)) [seven](vbscript:msgbox) <https://example.com/auto>",
        "<!-- hidden\ncomment --><div\nonmouseover=alert(11)>x</div>",
        "",
        "[ref]: javascript:alert(12)",
        "> [quoted]: data:text/html,x",
        "",
        "**Bold** and [relative](docs/model-card.md#limitations), mail <mailto:a@example.com>.",
    ]
)


def sarif_rules(report: Report) -> dict[str, dict[str, object]]:
    document = json.loads(SarifFormat().render(report))
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    return {rule["id"]: rule for rule in rules}


def html_report(remediation: str, title: str = "Model card is complete") -> Report:
    return Report(
        evaluated_at="2026-11-26T12:00:00+00:00",
        findings=[
            Finding(
                rule_id="ART-001",
                title=title,
                severity="blocking",
                status="fail",
                message="<b>message</b> [x](javascript:alert(1))",
                remediation=remediation,
            )
        ],
    )


def test_sarif_help_markdown_has_no_raw_html_and_no_script_links() -> None:
    rule = sarif_rules(html_report(HTML_REMEDIATION))["ART-001"]
    help_ = rule["help"]
    assert isinstance(help_, dict)
    markdown = help_["markdown"]
    tokens = MarkdownIt("commonmark", {"html": True}).parse(markdown)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert "html_block" not in kinds and "html_inline" not in kinds, markdown
    html = MarkdownIt("commonmark", {"html": True}).render(markdown)
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert hrefs == [
        "https://example.com/guide",
        "#",  # one
        "#",  # two
        "#",  # three, an image
        "#",  # four
        "",  # five: its <javascript:...> target is dropped as a tag
        "#",  # six
        "#",  # seven
        "https://example.com/auto",
        "docs/model-card.md#limitations",
        "mailto:a@example.com",
    ], html
    tags = re.findall(r"<[a-z][^>]*>", html)
    assert {re.match(r"<(\w+)", tag).group(1) for tag in tags} == {  # type: ignore[union-attr]
        "p", "a", "img", "code", "strong", "blockquote"
    }  # fmt: skip
    assert not [tag for tag in tags if re.search(r"\son\w+=|script:|data:", tag, re.I)], tags
    # what is not HTML is kept: formatting, code, safe links, the text of dropped tags
    assert "<strong>Bold</strong>" in html and "<code>" in html
    assert "alert(1)" in html and "click" in html and "bold" in html
    # the plain-text help and the result's message are data: kept as written
    assert help_["text"] == HTML_REMEDIATION
    document = json.loads(SarifFormat().render(html_report(HTML_REMEDIATION)))
    result = document["runs"][0]["results"][0]
    assert result["message"]["text"] == "<b>message</b> [x](javascript:alert(1))"


def test_sarif_help_markdown_falls_back_to_a_title_without_html() -> None:
    rule = sarif_rules(html_report("", title="Card <img src=x onerror=alert(1)> complete"))
    help_ = rule["ART-001"]["help"]
    assert isinstance(help_, dict)
    assert "<img" not in help_["markdown"] and "Card" in help_["markdown"]
    assert help_["text"] == "Card <img src=x onerror=alert(1)> complete"


def test_sarif_help_markdown_of_plain_markdown_reads_the_same() -> None:
    plain = (
        "Fill in the missing sections; see docs/artifacts/model-card.md, "
        "[the guide](https://example.com/g?a=1&b=(2)) and `a < b`, 3 > 2.\n\n"
        "- [ ] *Limitations*\n- <https://example.com/x>\n\n[ref]: https://example.com/ref\n"
    )
    help_ = sarif_rules(html_report(plain))["ART-001"]["help"]
    assert isinstance(help_, dict)
    assert help_["markdown"] == plain.strip()
    # a `<` that could open a tag is escaped: it reads the same
    help_ = sarif_rules(html_report("keep x<y and a<b>c"))["ART-001"]["help"]
    assert isinstance(help_, dict)
    html = MarkdownIt("commonmark", {"html": True}).render(help_["markdown"])
    assert html == "<p>keep x&lt;y and ac</p>\n"


# --- machine formats keep the text ----------------------------------------------------------


def test_json_report_keeps_hostile_text_as_data() -> None:
    report = hostile_report()
    document = json.loads(JsonFormat().render(report))
    assert document["findings"][0]["message"] == MULTILINE
    assert document["findings"][1]["rule_id"] == "::add-mask::RULE\x1b[2K"
    assert document["findings"][2]["exception"]["reason"] == HOSTILE
    assert document["subject"]["name"] == f"::error::model{ESC_COLOUR}"


def test_sarif_help_markdown_keeps_angle_brackets_in_code() -> None:
    remediation = "Set the `approval.<role>` tag, or run ``govgate approve --role <role>``."
    help_ = sarif_rules(html_report(remediation))["ART-001"]["help"]
    assert isinstance(help_, dict)
    assert help_["markdown"] == remediation


@pytest.mark.parametrize(
    "remediation",
    [
        # a table's pipes cut the span: the middle cell would be raw HTML
        "| a | b | c |\n|---|---|---|\n| `x | <img src=x onerror=alert(1)> | y` |",
        # an escaped backtick opens nothing: the `<img>` sits between two real spans
        "\\\\`a` <img src=x onerror=alert(1)> `b`",
        "\\`a` <img src=x onerror=alert(1)> `b`",
    ],
)
def test_sarif_help_markdown_code_spans_hide_no_html(remediation: str) -> None:
    help_ = sarif_rules(html_report(remediation))["ART-001"]["help"]
    assert isinstance(help_, dict)
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = parser.parse(help_["markdown"])
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert "html_block" not in kinds and "html_inline" not in kinds, help_["markdown"]
