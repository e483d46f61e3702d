"""`StrictModel`: the base of every pydantic model that validates a file a user writes.

Unknown keys are errors (a typo never passes silently), keys are spelled only as documented
(`apiVersion`, not `api_version`), and a validated value cannot be changed afterwards.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
