"""JSON Schemas of govgate's files, generated from the same models that validate them."""

from __future__ import annotations

import dataclasses
import json
import typing
from importlib import import_module
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Schema name -> the model that validates (or writes) that file, imported when asked for: the
# registry `govgate schema NAME` takes its choices from, in the order its help lists them.
SCHEMAS: dict[str, tuple[str, str]] = {
    "config": ("govgate.config", "Config"),
    "rulepack": ("govgate.rules.schema", "RulePack"),
    "exceptions": ("govgate.exceptions.model", "ExceptionList"),
    "approvals": ("govgate.approvals.model", "ApprovalList"),
    "report": ("govgate.report", "Report"),
    "facts": ("govgate.facts", "Facts"),
    "portfolio": ("govgate.portfolio.kpis", "Portfolio"),
}


def schema_names() -> list[str]:
    return sorted(SCHEMAS)


def _model(name: str) -> type[Any]:
    module, attribute = SCHEMAS[name]
    model: type[Any] = getattr(import_module(module), attribute)
    return model


def schema_document(name: str) -> dict[str, Any]:
    from pydantic import BaseModel, TypeAdapter

    model = _model(name)
    if issubclass(model, BaseModel):
        schema = model.model_json_schema(by_alias=True)
    else:  # the dataclasses govgate writes: their schema is what they serialise to
        schema = TypeAdapter(model).json_schema(by_alias=True, mode="serialization")
        _add_derived_fields(model, schema)
    return {"$schema": SCHEMA_DIALECT, "$id": f"govgate/{name}/v1", **schema}


def _add_derived_fields(model: type[Any], schema: dict[str, Any]) -> None:
    """Fields computed after construction (init=False: the Report's verdict, exit code and
    summary) are written like any other, so the schema must list them, as required."""
    from pydantic import TypeAdapter

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
