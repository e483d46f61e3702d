"""JSON Schemas of govgate's files, generated from the same models that validate them."""

from __future__ import annotations

import dataclasses
import json
import typing
from typing import Any

from pydantic import BaseModel, TypeAdapter

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _models() -> dict[str, type[Any]]:
    from govgate.approvals.model import ApprovalList
    from govgate.config import Config
    from govgate.exceptions.model import ExceptionList
    from govgate.facts import Facts
    from govgate.portfolio.kpis import Portfolio
    from govgate.report import Report
    from govgate.rules.schema import RulePack

    return {
        "config": Config,
        "rulepack": RulePack,
        "exceptions": ExceptionList,
        "approvals": ApprovalList,
        "report": Report,
        "facts": Facts,
        "portfolio": Portfolio,
    }


def schema_names() -> list[str]:
    return sorted(_models())


def schema_document(name: str) -> dict[str, Any]:
    model = _models()[name]
    if issubclass(model, BaseModel):
        schema = model.model_json_schema(by_alias=True)
    else:  # the dataclasses govgate writes: their schema is what they serialise to
        schema = TypeAdapter(model).json_schema(by_alias=True, mode="serialization")
        _add_derived_fields(model, schema)
    return {"$schema": SCHEMA_DIALECT, "$id": f"govgate/{name}/v1", **schema}


def _add_derived_fields(model: type[Any], schema: dict[str, Any]) -> None:
    """Fields computed after construction (init=False: the Report's verdict, exit code and
    summary) are written like any other, so the schema must list them, as required."""
    hints = typing.get_type_hints(model)
    for item in dataclasses.fields(model):
        if item.init:
            continue
        sub = TypeAdapter(hints[item.name]).json_schema(by_alias=True, mode="serialization")
        schema.setdefault("$defs", {}).update(sub.pop("$defs", {}))
        schema["properties"][item.name] = sub
        schema.setdefault("required", []).append(item.name)


def schema_json(name: str) -> str:
    return json.dumps(schema_document(name), indent=2)
