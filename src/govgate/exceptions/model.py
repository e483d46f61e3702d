"""`kind: ExceptionList`: time-bound, approved deviations from named rules."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from govgate.errors import InputError
from govgate.strict import StrictModel
from govgate.yamlio import DEFAULT_MAX_BYTES, LoadedYaml, load_yaml_file, validate

_VERSION_RANGE = re.compile(
    r"^\s*(?:(?:>=|<=|>|<|==)?\s*\d+\s*)(?:,\s*(?:>=|<=|>|<|==)?\s*\d+\s*)*$"
)


class Renewal(StrictModel):
    """One extension of an exception, kept so renewals can be counted and audited."""

    renewed_on: date
    previous_expires_on: date
    approved_by: str
    reason: str | None = None


class ExceptionWaiver(StrictModel):
    """One exception: which rules it waives for which models, why, who approved, until when."""

    id: str = Field(min_length=1, description="Stable id, e.g. EXC-2026-014.")
    rules: list[str] = Field(min_length=1, description="Rule ids it waives.")
    models: list[str] = Field(min_length=1, description="Registered model names it covers.")
    versions: str | None = Field(
        default=None, description="Version range, e.g. '>=7,<9' or '7'; unset: every version."
    )
    reason: str = Field(description="Why the deviation is tolerated.")
    compensating_controls: list[str] = Field(
        default_factory=list, description="What limits the risk meanwhile (at least one)."
    )
    requested_by: str
    approved_by: str | None = None
    approved_on: date | None = None
    expires_on: date = Field(description="The exception no longer applies from this day on.")
    ticket: str | None = None
    status: Literal["active", "closed"] = "active"
    closed_on: date | None = None
    history: list[Renewal] = Field(default_factory=list, description="Renewals, oldest first.")

    @field_validator("versions")
    @classmethod
    def _range_parses(cls, value: str | None) -> str | None:
        if value is not None and not _VERSION_RANGE.match(value):
            raise ValueError(f"{value!r} is not a version range such as '>=7,<9' or '7'")
        return value

    def covers_version(self, version: str | None) -> bool:
        """Every bound holds; an unknown version is covered only when no range is given."""
        if self.versions is None:
            return True
        if version is None or not version.isdigit():
            return False
        number = int(version)
        for part in self.versions.split(","):
            match = re.match(r"\s*(>=|<=|>|<|==)?\s*(\d+)", part)
            assert match is not None  # the validator guarantees the shape
            op, bound = match.group(1) or "==", int(match.group(2))
            holds = {
                ">=": number >= bound,
                "<=": number <= bound,
                ">": number > bound,
                "<": number < bound,
                "==": number == bound,
            }[op]
            if not holds:
                return False
        return True


class ExceptionList(StrictModel):
    api_version: Literal["govgate/v1"] = Field(alias="apiVersion")
    kind: Literal["ExceptionList"]
    exceptions: list[ExceptionWaiver] = Field(default_factory=list)


def load_exceptions(
    path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[ExceptionList, LoadedYaml]:
    loaded = load_yaml_file(path, display, max_bytes)
    return validate_exception_list(loaded), loaded


def validate_exception_list(loaded: LoadedYaml) -> ExceptionList:
    """Schema, kind and unique ids: the checks every reader and every editor makes."""
    if not isinstance(loaded.data, dict) or loaded.data.get("kind") != "ExceptionList":
        raise InputError(
            "expected `apiVersion: govgate/v1` and `kind: ExceptionList`",
            loaded.location(("kind",)),
        )
    exceptions = validate(ExceptionList, loaded)
    seen: set[str] = set()
    for index, waiver in enumerate(exceptions.exceptions):
        if waiver.id in seen:
            raise InputError(
                f"duplicate exception id {waiver.id!r}",
                loaded.location(("exceptions", index, "id")),
            )
        seen.add(waiver.id)
    return exceptions
