"""`portfolio.md`: the KPIs as a table a governance lead pastes into a status page, then the
versions to act on (the first LIST_LIMIT of each list; portfolio.json has them all)."""

from __future__ import annotations

from datetime import datetime

from govgate.portfolio.formats.base import PortfolioFormat
from govgate.portfolio.kpis import Kpis, Portfolio, VersionRef

LIST_LIMIT = 50


class MarkdownPortfolio(PortfolioFormat):
    name = "markdown"
    filename = "portfolio.md"

    def render(self, portfolio: Portfolio) -> bytes:
        k = portfolio.kpis
        scope = f" (filter `{portfolio.filter}`)" if portfolio.filter else ""
        lines = [
            "# Governance portfolio",
            "",
            f"Registry {_code(portfolio.tracking_uri)}{scope}, as of "
            f"{portfolio.as_of.isoformat()}: {k.versions} model versions in "
            f"{len(portfolio.models)} registered models.",
            "",
            "| scope | versions | coverage | pass rate | traceability | exception rate "
            "| monitoring readiness | stale | ungated |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            _row("**all**", k),
            *(_row(_code(m.name, in_table=True), m.kpis) for m in portfolio.models),
            "",
            f"Rates are over gated versions, except coverage (over all versions). Stale: "
            f"evaluated more than {portfolio.stale_after_days} days before the as-of time.",
        ]
        lines += _listing("Ungated versions", portfolio.ungated, "created")
        lines += _listing("Stale evaluations", portfolio.stale, "evaluated")
        return ("\n".join(lines) + "\n").encode()


def _row(scope: str, k: Kpis) -> str:
    return "| " + " | ".join([scope, *kpi_cells(k)]) + " |"


def kpi_cells(k: Kpis) -> list[str]:
    """The table's cells after the scope, as every portfolio table shows them."""
    return [
        str(k.versions),
        share(k.gated, k.versions, k.coverage),
        share(k.passed, k.gated, k.pass_rate),
        share(k.traceable, k.gated, k.traceability),
        share(k.with_exceptions, k.gated, k.exception_rate),
        share(k.monitoring_ready, k.gated, k.monitoring_readiness),
        str(k.stale),
        str(k.ungated),
    ]


def share(count: int, total: int, rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}% ({count}/{total})"


def _listing(title: str, refs: list[VersionRef], when: str) -> list[str]:
    if not refs:
        return []
    lines = ["", f"## {title} ({len(refs)})", ""]
    for ref in refs[:LIST_LIMIT]:
        stamp = ref.created_at if when == "created" else ref.evaluated_at
        detail = f"{when} {day(stamp)}" + (f", verdict {ref.verdict}" if ref.verdict else "")
        lines.append(f"- {_code(ref.model)} version {ref.version} ({detail})")
    if len(refs) > LIST_LIMIT:
        lines.append(f"- … and {len(refs) - LIST_LIMIT} more (see portfolio.json)")
    return lines


def day(stamp: datetime | None) -> str:
    return stamp.date().isoformat() if stamp else "at an unknown time"


def _code(text: str, in_table: bool = False) -> str:
    """Inline code that a backtick in a name cannot end early, nor a pipe end a table cell."""
    if in_table:
        text = text.replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"
