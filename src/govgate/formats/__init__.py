"""Output formats: pure functions of the Report; the registry feeds `--format` choices."""

from __future__ import annotations

from govgate.formats.attestation import AttestationFormat
from govgate.formats.base import Format
from govgate.formats.codequality import CodeQualityFormat
from govgate.formats.json import JsonFormat
from govgate.formats.junit import JunitFormat
from govgate.formats.markdown import MarkdownFormat
from govgate.formats.sarif import SarifFormat

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        JsonFormat(),
        SarifFormat(),
        JunitFormat(),
        CodeQualityFormat(),
        MarkdownFormat(),
        AttestationFormat(),
    )
}

__all__ = ["FORMATS", "Format"]
