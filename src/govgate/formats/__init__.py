"""Output formats: pure functions of the Report; the registry feeds `--format` choices."""

from __future__ import annotations

from govgate.formats.base import Format
from govgate.formats.json import JsonFormat

FORMATS: dict[str, Format] = {f.name: f for f in (JsonFormat(),)}

__all__ = ["FORMATS", "Format"]
