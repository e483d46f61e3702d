"""`portfolio.html`: the KPIs for a governance lead's browser, per registered model, then the
versions to act on (the first LIST_LIMIT of each list; portfolio.json has them all).

Built on the same page shell as report.html (formats/page.py): every value escaped, nothing
loaded or run.
"""

from __future__ import annotations

from govgate.formats.page import page, text
from govgate.portfolio.formats.base import PortfolioFormat
from govgate.portfolio.formats.markdown import LIST_LIMIT, day, kpi_cells
from govgate.portfolio.kpis import Kpis, Portfolio, VersionRef

_COLUMNS = (
    "Scope",
    "Versions",
    "Coverage",
    "Pass rate",
    "Traceability",
    "Exception rate",
    "Monitoring readiness",
    "Stale",
    "Ungated",
)


class HtmlPortfolio(PortfolioFormat):
    name = "html"
    filename = "portfolio.html"

    def render(self, portfolio: Portfolio) -> bytes:
        k = portfolio.kpis
        scope = f" (filter <code>{text(portfolio.filter)}</code>)" if portfolio.filter else ""
        head = "".join(f"<th>{c}</th>" for c in _COLUMNS)
        rows = _row("<strong>all</strong>", k) + "".join(
            _row(f"<code>{text(m.name)}</code>", m.kpis) for m in portfolio.models
        )
        body = (
            "<header>\n<h1>Governance portfolio</h1>\n"
            f'<p class="meta">Registry <code>{text(portfolio.tracking_uri)}</code>{scope}, as of '
            f"{text(portfolio.as_of.isoformat())}: {k.versions} model versions in "
            f"{len(portfolio.models)} registered models.</p>\n</header>\n"
            f'<section id="kpis">\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}'
            "</tbody>\n</table>\n"
            '<p class="meta">Rates are over gated versions, except coverage (over all '
            f"versions). Stale: evaluated more than {portfolio.stale_after_days} days before the "
            "as-of time.</p>\n</section>\n"
            + _listing("ungated", "Ungated versions", portfolio.ungated, "created")
            + _listing("stale", "Stale evaluations", portfolio.stale, "evaluated")
            + f'<footer class="meta">\n<p>{text(portfolio.schema)} · govgate '
            f"{text(portfolio.govgate_version)} · {portfolio.pages} page(s), "
            f"{portfolio.requests} request(s)</p>\n</footer>\n"
        )
        return page(f"Governance portfolio · {portfolio.tracking_uri}", body)


def _row(scope: str, k: Kpis) -> str:
    cells = "".join(f'<td class="num">{c}</td>' for c in kpi_cells(k))
    return f"<tr><th>{scope}</th>{cells}</tr>\n"


def _listing(anchor: str, title: str, refs: list[VersionRef], when: str) -> str:
    if not refs:
        return ""
    items = []
    for ref in refs[:LIST_LIMIT]:
        stamp = ref.created_at if when == "created" else ref.evaluated_at
        detail = f"{when} {day(stamp)}" + (f", verdict {text(ref.verdict)}" if ref.verdict else "")
        items.append(
            f"<li><code>{text(ref.model)}</code> version {text(ref.version)} ({detail})</li>"
        )
    if len(refs) > LIST_LIMIT:
        items.append(f"<li>… and {len(refs) - LIST_LIMIT} more (see portfolio.json)</li>")
    return (
        f'<section id="{anchor}">\n<h2>{title} ({len(refs)})</h2>\n<ul>\n'
        + "\n".join(items)
        + "\n</ul>\n</section>\n"
    )
