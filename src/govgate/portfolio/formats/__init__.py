"""Portfolio output formats; the registry feeds `govgate report --format` choices.

A format's module is imported only when asked for: the CLI builds this command's parser on every
run, `govgate check` included.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govgate.portfolio.formats.base import PortfolioFormat

FORMATS: dict[str, tuple[str, str]] = {
    "json": ("govgate.portfolio.formats.json", "JsonPortfolio"),
    "csv": ("govgate.portfolio.formats.csv", "CsvPortfolio"),
    "markdown": ("govgate.portfolio.formats.markdown", "MarkdownPortfolio"),
    "html": ("govgate.portfolio.formats.html", "HtmlPortfolio"),
}


def load_format(name: str) -> PortfolioFormat:
    module, cls = FORMATS[name]
    loaded: PortfolioFormat = getattr(import_module(module), cls)()
    return loaded
