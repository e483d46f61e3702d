"""ruamel.yaml round-trip nodes: the parser set-up, new nodes, and comments trailing a node.

New values are made to read back the same in govgate's YAML 1.1 loader, keep the quoting of the
value they replace, and never share a date object (ruamel would write an anchor for it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, merge_attrib
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

DEFAULT_INDENT = (2, 4, 2)  # mapping, sequence, offset of the dash inside the sequence indent
QUOTED = (SingleQuotedScalarString, DoubleQuotedScalarString)
_WIDTH = 1_000_000  # never re-wrap a long plain scalar
_STR_TAG = "tag:yaml.org,2002:str"


def round_trip_yaml() -> YAML:
    """A ruamel round-trip parser and emitter that keeps quotes and never re-wraps a line."""
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = _WIDTH
    rt.indent(mapping=DEFAULT_INDENT[0], sequence=DEFAULT_INDENT[1], offset=DEFAULT_INDENT[2])
    return rt


def detect_indent(root: CommentedMap, lines: list[str]) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as the file writes them; defaults for what it never shows."""
    mapping: int | None = None
    sequence: tuple[int, int] | None = None
    stack: list[Any] = [root]
    while stack and (mapping is None or sequence is None):
        node = stack.pop()
        if isinstance(node, CommentedSeq):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, CommentedMap) or node.fa.flow_style():
            continue
        for key, value in node.non_merged_items():
            if key not in node.lc.data:
                continue
            key_line, key_col = node.lc.key(key)
            if isinstance(value, CommentedSeq) and len(value) and not value.fa.flow_style():
                line, col = value.lc.item(0)
                prefix = lines[line][:col] if line < len(lines) else ""
                dash = prefix.rfind("-")
                if sequence is None and dash >= 0 and not prefix.replace("-", "", 1).strip():
                    sequence = (col - key_col, dash - key_col)
            elif isinstance(value, CommentedMap) and len(value) and not value.fa.flow_style():
                line, col = value.lc.key(next(iter(value)))
                if mapping is None and line > key_line and col > key_col:
                    mapping = col - key_col
        stack.extend(reversed([value for _, value in node.non_merged_items()]))
    seq, offset = sequence if sequence is not None else DEFAULT_INDENT[1:]
    if offset < 0 or seq - offset < 2:
        seq, offset = DEFAULT_INDENT[1:]
    return (mapping if mapping else DEFAULT_INDENT[0], seq, offset)


# --- building nodes ---------------------------------------------------------------------------

_RESOLVER = yaml.resolver.Resolver()


def plain_safe(value: str) -> str:
    """Quote a new string that a YAML 1.1 reader would take for something else (`1_000`, `yes`).

    ruamel emits YAML 1.2 and quotes only what 1.2 would misread, but govgate's loader keeps 1.1
    numbers (`1_000` is an int) and other tools still read `yes`/`no` as booleans.
    """
    tag: object = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
        yaml.ScalarNode, value, (True, False)
    )
    return SingleQuotedScalarString(value) if tag != _STR_TAG else value


def to_node(value: Any) -> Any:
    """Plain data (a model dump) as round-trip nodes; None values are left out."""
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            if item is not None:
                node[key] = to_node(item)
        return node
    if isinstance(value, list | tuple):
        return CommentedSeq([to_node(item) for item in value])
    if isinstance(value, str):
        return plain_safe(value)
    return _unshared(value)


def _unshared(value: Any) -> Any:
    """A date object of its own: ruamel writes `&id001` / `*id001` for one object seen twice."""
    if type(value) is date:
        return date.fromordinal(value.toordinal())
    return value


def set_value(item: CommentedMap, key: str, value: Any, field_order: list[str]) -> None:
    """Replace a value in place (keeping its comment and quoting style) or add the key.

    A new key goes right after the nearest key that precedes it in `field_order`.
    """
    if isinstance(value, str):
        old = item.get(key)
        value = type(old)(value) if isinstance(old, QUOTED) else plain_safe(value)
    value = _unshared(value)
    if key in item:
        item[key] = value
        return
    earlier = field_order[: field_order.index(key)] if key in field_order else field_order
    keys = list(item)
    position = 0
    for candidate in reversed(earlier):
        if candidate in item:
            position = keys.index(candidate) + 1
            break
    item.insert(position, key, value)


def shares_nodes(node: Any) -> bool:
    """Whether a node or anything in it carries an anchor or merges another mapping."""
    anchor = getattr(node, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None) is not None:
        return True
    if isinstance(node, CommentedMap):
        if getattr(node, merge_attrib, None):
            return True
        return any(shares_nodes(value) for _, value in node.non_merged_items())
    if isinstance(node, CommentedSeq):
        return any(shares_nodes(value) for value in node)
    return False


# --- comments that trail a node -----------------------------------------------------------------
#
# ruamel attaches the comments and blank lines that follow a block collection to its deepest last
# scalar: `ticket: GOV-1  # ok\n\n  # next exception\n` is one token on `ticket`. Appending a key
# or a list item after that scalar would put the new lines below the comment meant for the next
# item. So the trailing lines are taken off before an edit and put back on the new last scalar
# afterwards. Tokens store them differently after a block scalar (`|`, `>`), whose text already
# ends its line; the functions below hide that.


@dataclass(frozen=True)
class _Slot:
    items: dict[Any, list[Any]]
    key: Any
    index: int  # 2 after a mapping value, 0 after a sequence item
    block_scalar: bool


def _last_slot(node: Any) -> _Slot | None:
    if not isinstance(node, CommentedMap | CommentedSeq) or not len(node):
        return None
    if node.fa.flow_style():
        return None
    if isinstance(node, CommentedMap):
        own = [key for key, _ in node.non_merged_items()]
        if not own:
            return None
        key: Any = own[-1]
        index = 2
    else:
        key = len(node) - 1
        index = 0
    value = node[key]
    if isinstance(value, CommentedMap | CommentedSeq) and len(value) and not value.fa.flow_style():
        return _last_slot(value)
    block = isinstance(value, LiteralScalarString | FoldedScalarString)
    return _Slot(node.ca.items, key, index, block)


def _token(slot: _Slot) -> CommentToken | None:
    entry = slot.items.get(slot.key)
    token = entry[slot.index] if entry is not None else None
    return token if isinstance(token, CommentToken) else None


def _store(slot: _Slot, token: CommentToken | None) -> None:
    entry = slot.items.setdefault(slot.key, [None, None, None, None])
    entry[slot.index] = token
    if not any(part is not None for part in entry):
        del slot.items[slot.key]


def take_tail(node: Any) -> str:
    """Remove and return the whole lines that follow `node` (comments, blank lines)."""
    slot = _last_slot(node)
    token = _token(slot) if slot is not None else None
    if slot is None or token is None:
        return ""
    value = token.value
    if slot.block_scalar:
        _store(slot, None)
        return value
    first, _, rest = value.partition("\n")
    if first.strip().startswith("#"):
        token.value = first + "\n"  # the comment on the value's own line stays
    else:
        _store(slot, None)
    return rest


def put_tail(node: Any, tail: str) -> None:
    """Put whole lines after `node`'s last scalar, after any comment on that scalar's line."""
    slot = _last_slot(node)
    if slot is None or not tail:
        return
    token = _token(slot)
    if slot.block_scalar:
        _store(slot, CommentToken(tail, CommentMark(0), None))
    elif token is not None and token.value.strip().startswith("#"):
        token.value = token.value.partition("\n")[0] + "\n" + tail
    else:
        _store(slot, CommentToken("\n" + tail, CommentMark(0), None))
