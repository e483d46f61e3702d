"""What every source returns besides facts: the provenance of each input it read."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

InputKind = Literal["config", "rulepack", "artifact", "exceptions", "approvals", "git", "mlflow"]


class Input(BaseModel):
    """One thing the verdict depends on, with the digest that pins it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: InputKind
    location: str
    sha256: str | None = None
    size: int | None = None
    name: str | None = None
    identity: str | None = None
