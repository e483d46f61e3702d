"""`govgate ci github` (annotations and step summary) on a report.json whose text is hostile:
escapes show as text, newlines stay encoded as %0A, and no line of the annotation starts a
workflow command."""

from __future__ import annotations

from collections.abc import Callable

from tests.inert import live_controls
from tests.unit.ci.test_github import Step, finding, report_step  # noqa: F401 (a fixture)

ESC = "\x1b[31m"
OSC8 = "\x1b]8;;http://evil\x07"


def test_annotations_show_escapes_and_keep_encoded_newlines(
    report_step: Callable[..., Step],  # noqa: F811
) -> None:
    report = {
        "verdict": "fail",
        "summary": {"fail": 2},
        "subject": {"name": "m", "version": "3"},
        "findings": [
            finding(
                "HOST-1",
                "fail",
                {"path": "docs/card.md", "line": 3},
                message=f"red {ESC}x{OSC8}link\x00\u202eexe\rverdict: PASS\r\n::add-mask::s",
                remediation="step 1\n::error::pwned\n  ::stop-commands::t\n##[error]spoof",
            ),
            finding(f"::warning::{ESC}ID\x9b", "fail", None, message="plain 100%"),
        ],
        "errors": [{"message": f"source {ESC}down\n##[group]x", "location": None}],
    }
    step = report_step(report, 1)
    assert step.code == 1
    assert live_controls(step.stdout) == [], step.stdout
    assert step.stdout.splitlines() == [
        "::error file=models/m/docs/card.md,line=3,title=HOST-1::red \\x1b[31mx\\x1b]8;;"
        "http://evil\\x07link\\x00\\u202eexe\\rverdict: PASS%0A\\::add-mask::s"
        "%0Afix: step 1%0A\\::error::pwned%0A  \\::stop-commands::t%0A##\\[error]spoof",
        "::error title=\\%3A%3Awarning%3A%3A\\x1b[31mID\\x9b::plain 100%25",
        "::error title=govgate::source \\x1b[31mdown%0A##\\[group]x",
        "govgate: verdict fail, exit code 1",
    ]


def test_one_line_summary_shows_escapes(report_step: Callable[..., Step]) -> None:  # noqa: F811
    report = {
        "verdict": "pass",
        "summary": {"pass": 1},
        "subject": {"name": f"m{ESC}\u202e", "version": "3\x00"},
        "findings": [],
    }
    step = report_step(report, 0)
    assert live_controls(step.summary) == [], step.summary
    assert "m\\\\x1b\\[31m\\\\u202e v3\\\\x00:" in step.summary
