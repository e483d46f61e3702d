"""A format is one method: Report in, bytes out, plus the file name it is written under."""

from __future__ import annotations

from abc import ABC, abstractmethod

from govgate.report import Report


class Format(ABC):
    name: str
    filename: str

    @abstractmethod
    def render(self, report: Report) -> bytes:
        """The whole file content; never decides anything the Report has not decided."""
