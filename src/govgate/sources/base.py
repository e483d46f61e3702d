"""What every source returns besides facts: the provenance of each input it read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from govgate.record import Record

InputKind = Literal["config", "rulepack", "artifact", "exceptions", "approvals", "git", "mlflow"]


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Input(Record):
    """One thing the verdict depends on, with the digest that pins it."""

    kind: InputKind
    location: str
    sha256: str | None = None
    size: int | None = None
    name: str | None = None
    identity: str | None = None
