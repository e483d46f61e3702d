"""Turn govgate's frozen dataclasses (Facts, Report, findings) into JSON-able documents.

Internal values are plain dataclasses rather than pydantic models: building a model's schema
costs about a millisecond each at import, on the hot path of every pipeline run. A field whose
metadata says `exclude` stays internal; `alias` renames it in the document.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

EXCLUDE: dict[str, Any] = {"exclude": True}


def alias(name: str) -> dict[str, Any]:
    return {"alias": name}


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.metadata.get("alias", f.name): to_jsonable(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.metadata.get("exclude")
        }
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
