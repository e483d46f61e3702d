"""`report.json`: the machine-readable evidence, stable key order, UTF-8, trailing newline."""

from __future__ import annotations

import json

from govgate.formats.base import Format
from govgate.report import Report


class JsonFormat(Format):
    name = "json"
    filename = "report.json"

    def render(self, report: Report) -> bytes:
        return (json.dumps(report.to_document(), indent=2, ensure_ascii=False) + "\n").encode()
