"""What every check receives (Facts, time, the way back to the registry) and returns (Outcome)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from difflib import get_close_matches
from functools import cached_property
from typing import Any

from govgate.facts import ArtifactFacts, Facts
from govgate.findings import Evidence, Outcome
from govgate.location import Location

Evaluator = Callable[[Any, "CheckContext"], Outcome]


@dataclass(frozen=True)
class CheckContext:
    """Pure inputs of a check: no I/O happens past this point."""

    facts: Facts
    at: datetime
    evaluate: Callable[[Any, CheckContext], Outcome]

    @cached_property
    def document(self) -> dict[str, Any]:
        """The Facts as the JSON-able document `fact` checks address, built on first use: a
        long card's topics and stated values make it the costliest step of a run otherwise."""
        return self.facts.as_document()


def artifact_or_outcome(
    name: str, ctx: CheckContext, formats: tuple[str, ...] | None = None
) -> ArtifactFacts | Outcome:
    """The named artifact when it can be checked, else the outcome that explains why not."""
    facts = ctx.facts.artifacts.get(name)
    if facts is None:
        close = get_close_matches(name, list(ctx.facts.artifacts), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return Outcome.failed(
            f"artifact {name!r} is not declared in govgate.yaml{hint}",
            Evidence(message=f"add `{name}: <path>` under `artifacts:` in govgate.yaml"),
        )
    if facts.error:
        return Outcome.errored(
            f"artifact {name!r} could not be read: {facts.error}",
        )
    if not facts.exists:
        return Outcome.failed(f"artifact {name!r} does not exist")
    if formats and facts.format not in formats:
        return Outcome.errored(
            f"artifact {name!r} is {facts.format}; this check needs {' or '.join(formats)}"
        )
    return facts


def file_location(
    facts: ArtifactFacts, line: int | None = None, column: int | None = None
) -> Location:
    return Location(path=facts.path, line=line, column=column)
