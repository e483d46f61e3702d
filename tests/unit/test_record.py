"""`Record` subclasses repr, compare and hash exactly as the dataclass defaults would."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from govgate.record import Record


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Lean(Record):
    name: str
    tags: tuple[str, ...] = ()
    note: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Stock:
    name: str
    tags: tuple[str, ...] = ()
    note: str = field(default="", compare=False, repr=False)


def test_repr_is_the_dataclass_repr() -> None:
    lean, stock = Lean(name="a", tags=("x",), note="n"), Stock(name="a", tags=("x",), note="n")
    assert repr(lean) == repr(stock).replace("Stock", "Lean")


def test_equality_and_hash_follow_the_compared_fields() -> None:
    assert Lean(name="a", note="1") == Lean(name="a", note="2")  # note: compare=False
    assert hash(Lean(name="a", note="1")) == hash(Lean(name="a", note="2"))
    assert Lean(name="a") != Lean(name="b")
    assert Lean(name="a") != Stock(name="a")  # another class is never equal
    assert len({Lean(name="a"), Lean(name="a"), Lean(name="b")}) == 2


def test_still_frozen_and_replaceable() -> None:
    lean = Lean(name="a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        lean.name = "b"  # type: ignore[misc]
    assert dataclasses.replace(lean, name="b") == Lean(name="b")


def test_unhashable_values_fail_as_in_a_dataclass() -> None:
    @dataclass(frozen=True, kw_only=True, eq=False, repr=False)
    class Listy(Record):
        items: list[str]

    with pytest.raises(TypeError):
        hash(Listy(items=["x"]))
