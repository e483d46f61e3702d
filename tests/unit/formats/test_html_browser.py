"""report.html in a real browser: Debian's chromium driven by Playwright, at a laptop's 1280 px
and a phone's 390 px. Nothing is wider than the screen, every section is there, nothing is
logged as an error, no script runs whatever the report's text holds, and axe-core finds no
WCAG 2.1 A or AA violation. Screenshots and a PDF print go to `test-artifacts/report-html/`
(git-ignored) for a person to look at; docs/images holds two of them.

One browser serves the whole module. `make tools` installs chromium (apt) and axe-core (npm);
these tests skip, with the reason, only where they are absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govgate.formats import FORMATS
from govgate.formats.review import SECTIONS
from govgate.report import Report
from tests.unit.formats.conftest import Scenario
from tests.unit.formats.hostile import hostile_report

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "report-html"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = (1280, 390)
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is absent: `make tools` installs Debian's chromium", allow_module_level=True
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def pages(
    scenarios: dict[str, Scenario], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """report.html of a failing, a passing and an erroring run, and of the hostile report."""
    folder = tmp_path_factory.mktemp("report-html")
    reports: dict[str, Report] = {
        "fail": scenarios["fail"].report,
        "pass": scenarios["pass"].report,
        "error": scenarios["error"].report,
        "hostile": hostile_report(),
    }
    paths = {}
    for name, report in reports.items():
        path = folder / f"{name}.html"
        path.write_bytes(FORMATS["html"].render(report))
        paths[name] = path
    return paths


def _open(browser: Any, path: Path, width: int, **context: Any) -> tuple[Any, Any, list[str]]:
    """A fresh page at `width`, with every console error, page error and request recorded."""
    ctx = browser.new_context(viewport={"width": width, "height": 900}, **context)
    page = ctx.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
    page.on(
        "request",
        lambda r: problems.append(f"request: {r.url}") if r.url != path.as_uri() else None,
    )
    page.goto(path.as_uri())
    return ctx, page, problems


OVERFLOW = """(width) => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const wide = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width && (r.right > width + 0.5 || r.left < -0.5)) {
      wide.push(`${e.tagName.toLowerCase()}#${e.id}.${e.className}: ${r.left}..${r.right}`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 10)};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["fail", "pass", "error", "hostile"])
def test_fits_the_screen_with_every_section_and_no_error(
    browser: Any, pages: dict[str, Path], name: str, width: int
) -> None:
    ctx, page, problems = _open(browser, pages[name], width)
    try:
        sections = page.eval_on_selector_all("main > section", "s => s.map(e => e.id)")
        expected = [key for key, _ in SECTIONS if key != "errors"]
        assert [s for s in sections if s != "errors"] == expected
        for key in sections:
            assert page.locator(f"#{key} > h2").is_visible()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        layout = page.evaluate(OVERFLOW, width)
        assert layout["scroll"] <= width, layout
        assert layout["wide"] == [], layout
        assert problems == []
    finally:
        ctx.close()


def test_no_script_runs_whatever_the_text_holds(browser: Any, pages: dict[str, Path]) -> None:
    ctx, page, problems = _open(browser, pages["hostile"], 1280)
    try:
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.images.length") == 0
        hrefs = page.eval_on_selector_all("a[href]", "a => a.map(e => e.getAttribute('href'))")
        assert hrefs and all(h.startswith("#") for h in hrefs), hrefs  # no javascript: link
        for link in page.locator("a[href]").all()[:20]:  # following an in-page link runs nothing
            link.click()
        assert page.evaluate("window.__pwned") is None
        body = page.inner_text("body")
        assert "<script>window.__pwned='script'</script>" in body  # shown as written
        assert "\\u202e" in body and "\\x1b" in body  # controls and bidi shown, not obeyed
        assert problems == []
    finally:
        ctx.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["fail", "pass", "hostile"])
def test_axe_finds_no_wcag_21_aa_violation(
    browser: Any, pages: dict[str, Path], name: str, width: int
) -> None:
    if not AXE.exists():
        pytest.skip(f"{AXE} is absent: `make tools` installs axe-core from npm")
    # the page's CSP forbids every script, axe included: this context alone bypasses it
    ctx, page, _ = _open(browser, pages[name], width, bypass_csp=True)
    try:
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
        )
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]
        ]
        assert violations == []
        assert len(result["passes"]) > 10  # axe really ran its checks
    finally:
        ctx.close()


def test_prints_each_section_on_its_own_page_without_cutting_tables(
    browser: Any, pages: dict[str, Path]
) -> None:
    ctx, page, problems = _open(browser, pages["fail"], 1280)
    try:
        page.emulate_media(media="print")
        breaks = page.eval_on_selector_all(
            "main > section", "s => s.map(e => getComputedStyle(e).breakBefore)"
        )
        assert breaks[0] == "auto" and set(breaks[1:]) == {"page"}
        avoid = page.eval_on_selector_all(
            ".card, tr", "s => s.map(e => getComputedStyle(e).breakInside)"
        )
        assert avoid and set(avoid) == {"avoid"}
        assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = page.pdf(path=str(ARTIFACTS / "fail.pdf"), format="A4")
        assert pdf.startswith(b"%PDF")
        assert problems == []
    finally:
        ctx.close()


if os.environ.get("GOVGATE_DOC_SCREENSHOTS") == "1":  # docs/images, on request only

    def test_write_doc_screenshots(browser: Any, pages: dict[str, Path]) -> None:
        for width in WIDTHS:
            ctx, page, _ = _open(browser, pages["fail"], width)
            target = ROOT / "docs" / "images" / f"report-{width}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target), full_page=False)
            ctx.close()
