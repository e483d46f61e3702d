"""report.html: golden files, a strict HTML5 parse (html5lib, the WHATWG parsing algorithm in
Python), and text from rule packs, cards and registries that tries to become markup or script."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import html5lib
import pytest

from govgate.findings import AppliedException, Evidence
from govgate.formats import FORMATS
from govgate.location import Location
from govgate.report import Report
from tests.unit.formats.conftest import (
    SCENARIOS,
    Scenario,
    assert_golden,
    render_normalised,
    synthetic_report,
)
from tests.unit.formats.hostile import hostile_report

FORMAT = FORMATS["html"]
XHTML = "{http://www.w3.org/1999/xhtml}"
HOSTILE = '</td></tr></table><script>alert("x")</script><img src=x onerror=alert(1)>"\'&'


def parse(text: str) -> Any:
    """Strict: any HTML5 parse error (stray end tag, bad nesting, unescaped markup) raises."""
    return html5lib.HTMLParser(strict=True).parse(text)


def all_elements(document: Any, tag: str) -> list[Any]:
    return list(document.iter(f"{XHTML}{tag}"))


@pytest.mark.parametrize("name", SCENARIOS)
def test_golden(scenarios: dict[str, Scenario], name: str) -> None:
    assert_golden(f"{name}.report.html", render_normalised(FORMAT, scenarios[name]))


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_report_is_conforming_html5_with_one_row_per_finding(
    scenarios: dict[str, Scenario], name: str
) -> None:
    report = scenarios[name].report
    document = parse(FORMAT.render(report).decode())
    shown = [element.get("data-rule") for element in document.iter() if element.get("data-rule")]
    assert sorted(shown) == sorted(f.rule_id for f in report.findings)  # each exactly once
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    assert len(ids) == len(set(ids))  # unique, even for a rule reported twice
    heading = next(iter(all_elements(document, "h1")))
    assert heading.text.startswith(f"govgate: {report.verdict.upper()}")
    assert not all_elements(document, "script")


def test_user_text_stays_text_wherever_it_appears() -> None:
    base = synthetic_report()
    hostile_finding = replace(
        base.findings[0],
        rule_id="EVIL-1",
        title=HOSTILE,
        message=HOSTILE,
        remediation=HOSTILE,
        controls=[HOSTILE],
        location=Location(path=HOSTILE, line=1),
        evidence=[Evidence(message=HOSTILE, location=Location(path=HOSTILE))],
        exception=AppliedException(id=HOSTILE, approved_by=HOSTILE, reason=HOSTILE),
    )
    report: Report = replace(
        base, findings=[hostile_finding], subject=replace(base.subject, name=HOSTILE)
    )
    text = FORMAT.render(report).decode()
    document = parse(text)  # strict: an escape that broke out would be a parse error
    assert not all_elements(document, "script") and not all_elements(document, "img")
    attributes = [name for element in document.iter() for name in element.attrib]
    assert not [a for a in attributes if a.lower().startswith("on")]
    page_text = "".join(next(iter(all_elements(document, "main"))).itertext())
    assert HOSTILE in page_text  # shown, as written


def test_the_page_loads_and_runs_nothing() -> None:
    document = parse(FORMAT.render(synthetic_report()).decode())
    policy = [
        m.get("content")
        for m in all_elements(document, "meta")
        if m.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policy == ["default-src 'none'; style-src 'unsafe-inline'"]
    for tag, attribute in (("link", "href"), ("img", "src"), ("iframe", "src")):
        assert not [e for e in all_elements(document, tag) if e.get(attribute)]


def test_only_http_help_links_are_links() -> None:
    base = synthetic_report()
    linked = replace(base.findings[0], help_uri="https://docs.example.com/rules/SYN-001")
    document = parse(FORMAT.render(replace(base, findings=[linked])).decode())
    hrefs = [a.get("href") for a in all_elements(document, "a")]
    assert [h for h in hrefs if not h.startswith("#")] == ["https://docs.example.com/rules/SYN-001"]
    ids = {element.get("id") for element in document.iter() if element.get("id")}
    assert {h[1:] for h in hrefs if h.startswith("#")} <= ids  # every in-page link lands


def test_every_field_of_a_hostile_report_stays_text() -> None:
    document = parse(FORMAT.render(hostile_report()).decode())
    assert not all_elements(document, "script") and not all_elements(document, "img")
    attributes = [name for element in document.iter() for name in element.attrib]
    assert not [a for a in attributes if a.lower().startswith("on")]
    hrefs = [a.get("href") for a in all_elements(document, "a")]
    assert hrefs and all(h.startswith("#") for h in hrefs)
    text = "".join(document.itertext())
    assert "\\u202e" in text and "\u202e" not in text  # shown as an escape, never obeyed
