"""JSON Schemas of govgate's files, generated from the same models that validate them."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _models() -> dict[str, type[BaseModel]]:
    from govgate.config import Config
    from govgate.facts import Facts
    from govgate.report import Report
    from govgate.rules.schema import RulePack

    return {"config": Config, "rulepack": RulePack, "report": Report, "facts": Facts}


def schema_names() -> list[str]:
    return sorted(_models())


def schema_document(name: str) -> dict[str, Any]:
    model = _models()[name]
    schema = model.model_json_schema(
        by_alias=True, mode="serialization" if name in ("report", "facts") else "validation"
    )
    return {"$schema": SCHEMA_DIALECT, "$id": f"govgate/{name}/v1", **schema}


def schema_json(name: str) -> str:
    return json.dumps(schema_document(name), indent=2)
