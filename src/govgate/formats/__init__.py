"""Output formats: pure functions of the Report; the registry feeds `--format` choices.

Each format's module is imported only when that format is asked for: a plain `govgate check`
writes report.json and should not pay for XML, SARIF or in-toto code on every pipeline run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module

from govgate.formats.base import Format

_WHERE = {
    "json": ("govgate.formats.json", "JsonFormat"),
    "sarif": ("govgate.formats.sarif", "SarifFormat"),
    "junit": ("govgate.formats.junit", "JunitFormat"),
    "codequality": ("govgate.formats.codequality", "CodeQualityFormat"),
    "markdown": ("govgate.formats.markdown", "MarkdownFormat"),
    "html": ("govgate.formats.html", "HtmlFormat"),
    "attestation": ("govgate.formats.attestation", "AttestationFormat"),
}


class _Registry(Mapping[str, Format]):
    """Format name -> format, importing a format's module on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, Format] = {}

    def __getitem__(self, name: str) -> Format:
        if name not in self._loaded:
            module, cls = _WHERE[name]
            self._loaded[name] = getattr(import_module(module), cls)()
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_WHERE)

    def __len__(self) -> int:
        return len(_WHERE)


FORMATS: Mapping[str, Format] = _Registry()

__all__ = ["FORMATS", "Format"]
