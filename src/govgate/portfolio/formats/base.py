"""A portfolio format is one method: Portfolio in, bytes out, and the file name it is written to."""

from __future__ import annotations

from abc import ABC, abstractmethod

from govgate.portfolio.kpis import Portfolio


class PortfolioFormat(ABC):
    name: str
    filename: str

    @abstractmethod
    def render(self, portfolio: Portfolio) -> bytes:
        """The whole file; decides nothing the Portfolio has not decided."""
