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
        _apply_field_metadata(model, schema)
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


def _apply_field_metadata(model: type[Any], schema: dict[str, Any]) -> None:
    """The file is written by `jsonable.to_jsonable`, which reads each dataclass field's metadata
    (`alias`, `exclude`): the one place a field's written name is declared. Give the schema the
    same names, and drop what is never written."""
    defs = schema.get("$defs", {})
    for cls in _dataclasses_under(model):
        target = schema if cls is model else defs.get(cls.__name__)
        if target is None or "properties" not in target:
            continue
        properties: dict[str, Any] = target["properties"]
        required: list[str] = target.get("required", [])
        renamed: dict[str, str | None] = {
            f.name: None if f.metadata.get("exclude") else f.metadata["alias"]
            for f in dataclasses.fields(cls)
            if f.metadata.get("exclude") or "alias" in f.metadata
        }
        target["properties"] = {
            renamed.get(key, key): value
            for key, value in properties.items()
            if key not in renamed or renamed[key] is not None
        }
        if required:
            target["required"] = [
                renamed.get(key, key)
                for key in required
                if key not in renamed or renamed[key] is not None
            ]


def _dataclasses_under(model: type[Any]) -> list[type[Any]]:
    """The dataclass and every dataclass its fields' types name, however deeply nested."""
    found: list[type[Any]] = []
    stack: list[Any] = [model]
    while stack:
        kind = stack.pop()
        if dataclasses.is_dataclass(kind) and isinstance(kind, type):
            if kind in found:
                continue
            found.append(kind)
            stack.extend(typing.get_type_hints(kind).values())
        else:
            stack.extend(typing.get_args(kind))
    return found


def schema_json(name: str) -> str:
    return json.dumps(schema_document(name), indent=2)
