"""Output formats: pure functions of the Report; the registry feeds `--format` choices."""

from __future__ import annotations

from govgate.formats.attestation import AttestationFormat
from govgate.formats.base import Format
from govgate.formats.json import JsonFormat
from govgate.formats.markdown import MarkdownFormat

FORMATS: dict[str, Format] = {
    f.name: f for f in (JsonFormat(), MarkdownFormat(), AttestationFormat())
}

__all__ = ["FORMATS", "Format"]
