"""`portfolio.json`: the whole portfolio, versioned by its `schema` id, stable key order."""

from __future__ import annotations

import json

from govgate.portfolio.formats.base import PortfolioFormat
from govgate.portfolio.kpis import Portfolio


class JsonPortfolio(PortfolioFormat):
    name = "json"
    filename = "portfolio.json"

    def render(self, portfolio: Portfolio) -> bytes:
        document = portfolio.to_document()
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
