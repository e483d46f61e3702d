"""`portfolio.csv`: one row of KPIs for the whole registry (scope `portfolio`), then one per model.

Spreadsheets and BI tools read it as is: a header row, rates as fractions with a dot, an empty
cell where a rate has no denominator.
"""

from __future__ import annotations

import csv
import dataclasses
import io

from govgate.portfolio.formats.base import PortfolioFormat
from govgate.portfolio.kpis import Kpis, Portfolio

COLUMNS = ["scope", "model", *(f.name for f in dataclasses.fields(Kpis))]


class CsvPortfolio(PortfolioFormat):
    name = "csv"
    filename = "portfolio.csv"

    def render(self, portfolio: Portfolio) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
        writer.writerow(COLUMNS)
        writer.writerow(["portfolio", "", *_cells(portfolio.kpis)])
        for model in portfolio.models:
            writer.writerow(["model", model.name, *_cells(model.kpis)])
        return out.getvalue().encode()


def _cells(kpis: Kpis) -> list[str]:
    values = (getattr(kpis, f.name) for f in dataclasses.fields(Kpis))
    return ["" if v is None else str(v) for v in values]
