"""Dotted paths into Facts and documents: `artifacts.model_card.exists`, `owners[0].email`."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_TOKEN = re.compile(r"""\.?([^.\[\]]+)|\[(\d+)\]|\[["']([^"']+)["']\]""")
PathParts = tuple[str | int, ...]
_MISSING = object()


@lru_cache(maxsize=4096)
def parse_path(path: str) -> PathParts:
    """Split a path; raises ValueError on a malformed one so packs fail at load, not at run."""
    parts: list[str | int] = []
    position = 0
    while position < len(path):
        match = _TOKEN.match(path, position)
        if not match or match.end() == position:
            raise ValueError(f"malformed path {path!r} at character {position + 1}")
        key, index, quoted = match.groups()
        parts.append(int(index) if index is not None else (key if key is not None else quoted))
        position = match.end()
    if not parts:
        raise ValueError("empty path")
    return tuple(parts)


def lookup(data: Any, path: str) -> tuple[bool, Any]:
    """(found, value) for a path; a null value counts as not found. `name` and `["name"]` read a
    mapping's key, `[N]` a list's item (negative from the end)."""
    current = data
    for part in parse_path(path):
        if isinstance(current, list) and isinstance(part, int):
            if not -len(current) <= part < len(current):
                return False, None
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and part in current:
            current = current[part]
        else:  # `[0]` indexes a list only: a mapping keyed "0" is no list of items
            return False, None
    return current is not None, current
