"""Regular expressions from rule packs, run by RE2: linear time in the value, whatever the pattern.

Python's `re` backtracks: `^(a+)+$` on 34 characters takes a minute, and a rule pack is text
anyone with write access to a repo can change. RE2 (Google's engine, as OPA uses for Rego's
`regex` built-ins) never backtracks, so a pattern cannot stall the gate; what it cannot run in
linear time (backreferences, look-around) is refused when the pack loads, with its location.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol


class Pattern(Protocol):
    def search(self, text: str) -> object | None: ...


@cache
def _options() -> Any:
    import re2  # type: ignore[import-untyped]

    options = re2.Options()
    options.log_errors = False  # RE2 would print its own parse errors on stderr
    return options


@cache
def compile_pattern(pattern: str) -> Pattern:
    """The compiled pattern; ValueError (with RE2's reason) if RE2 cannot run it."""
    import re2

    try:
        compiled: Pattern = re2.compile(pattern, _options())
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ValueError(
            f"invalid regular expression for RE2, which runs every pattern in linear time: "
            f"{reason} (RE2 has no backreferences or look-around; see docs/rule-packs.md)"
        ) from None
    return compiled
