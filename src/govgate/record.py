"""`Record`: what frozen dataclasses generate per class (`__repr__`, `__eq__`, `__hash__`), written
once. The Facts, Report and finding classes are defined on every cold start, and Python 3.11
compiles each generated method with `exec()`: three of six per class, ~10 ms of a ~260 ms check
for the 27 classes on that path (docs/performance.md). Declare them as
`@dataclass(frozen=True, kw_only=True, eq=False, repr=False)` subclasses of `Record`; they then
repr, compare and hash exactly as the dataclass defaults would.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any


class Record:
    __slots__ = ()

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in _fields(self) if f.repr)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self) == _values(other)

    def __hash__(self) -> int:
        return hash(_values(self))


def _fields(record: Any) -> tuple[Any, ...]:
    return fields(record)


def _values(record: Any) -> tuple[Any, ...]:
    return tuple(getattr(record, f.name) for f in _fields(record) if f.compare)
