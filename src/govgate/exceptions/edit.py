"""List and edit the exceptions file the way a careful human would: touch one exception only.

Edits go through ruamel.yaml's round-trip mode so comments, key order, quoting and blank lines
survive. ruamel still normalises a few things when it re-emits a document (`~` and `null` become
empty values, runs of spaces after `:` collapse, `---` and `...` disappear, escapes are decoded,
comments inside a flow-style `[...]` are dropped), so the re-emitted text is used only for the
exceptions that changed: every other line is copied from the original bytes. When the changed
lines cannot be lined up with the original ones, or a comment would be lost, the edit is refused
and the file left as it was; the whole document is never re-emitted over a user's file. The
result is re-read the way `govgate check` reads it (PyYAML plus the pydantic model) and must equal
the intended edit exactly before it replaces the file atomically. The file is locked from the
read to the rename (`govgate.exceptions.lock`), so parallel edits queue instead of losing entries.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
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

from govgate.errors import GovgateError, InputError
from govgate.exceptions.lock import exclusive
from govgate.exceptions.model import (
    ExceptionList,
    ExceptionWaiver,
    Renewal,
    load_exceptions,
    validate_exception_list,
)
from govgate.location import Location
from govgate.yamlio import DEFAULT_MAX_BYTES, LoadedYaml, parse_yaml, read_text

NEW_FILE_TEXT = "apiVersion: govgate/v1\nkind: ExceptionList\nexceptions: []\n"
DEFAULT_INDENT = (2, 4, 2)  # mapping, sequence, offset of the dash inside the sequence indent
_BOM = "\ufeff"
_WIDTH = 1_000_000  # never re-wrap a long plain scalar
_FIELD_ORDER = list(ExceptionWaiver.model_fields)
_STR_TAG = "tag:yaml.org,2002:str"
_FLOW_BY_DEFAULT = frozenset({"rules", "models"})
_DOC_MARKER = re.compile(r"(?:\.\.\.|---)(?:[ \t]|$)")
_EMPTY_FLOW_LIST = re.compile(r"\[[ \t]*\]([ \t]*(?:#[^\n]*)?)\n?\Z")
_DOC_START = re.compile(r"\A(?:[ \t]*(?:#[^\n]*)?\n)*---(?:[ \t]|$)", re.MULTILINE)


def add_exception(path: Path, waiver: ExceptionWaiver, *, display: str | None = None) -> None:
    """Append an exception; the file is created when it does not exist yet."""
    shown = display or str(path)
    if not waiver.reason.strip():
        raise InputError(
            f"exception {waiver.id!r} has no reason",
            Location(path=shown),
            hint="say why the deviation is tolerated",
        )
    _edit(path, shown, True, lambda doc: _append(doc, waiver))


def _append(doc: _Document, waiver: ExceptionWaiver) -> None:
    for index, existing in enumerate(doc.model.exceptions):
        if existing.id == waiver.id:
            raise InputError(
                f"an exception with id {waiver.id!r} already exists",
                _where(doc, index, "id"),
                hint="pick a new id, or renew the existing exception",
            )
    seq = doc.root.get("exceptions")
    count = len(doc.model.exceptions)
    change: _Change | _FirstItem | None
    if isinstance(seq, CommentedSeq) and len(seq) > 0:
        last = seq[-1]
        tail = _take_tail(last)
        blank = _items_separated_by_blank_lines(doc)
        seq.append(_waiver_node(waiver, like=last if isinstance(last, CommentedMap) else None))
        _put_tail(last, "\n" if blank else "")
        _put_tail(seq, tail)
        change = _Change(count, appended=True, moved_lines=len(_lines(tail)), separator=int(blank))
    else:
        change = _first_item(doc) if doc.original is not None else None
        tail = _take_tail(doc.root) if _exceptions_is_last(doc.root) else ""
        if not isinstance(seq, CommentedSeq):
            seq = CommentedSeq()
            doc.root["exceptions"] = seq
        seq.fa.set_block_style()
        seq.append(_waiver_node(waiver, like=None))
        _put_tail(doc.root, tail)
    _commit(doc, [*doc.model.exceptions, waiver], change)


def renew_exception(
    path: Path,
    exception_id: str,
    new_expires_on: date,
    approved_by: str,
    on: date,
    reason: str | None = None,
    max_renewals: int | None = None,
    *,
    display: str | None = None,
) -> None:
    """Extend an exception: record a `history` entry, move `expires_on`, record the approval."""
    shown = display or str(path)

    def renew(doc: _Document) -> None:
        index, current = _find(doc, exception_id)
        if current.status == "closed":
            raise InputError(
                f"exception {exception_id!r} is closed and cannot be renewed",
                _where(doc, index, "status"),
                hint="add a new exception instead",
            )
        if new_expires_on <= current.expires_on:
            raise InputError(
                f"new expiry {new_expires_on.isoformat()} is not after the current expiry "
                f"{current.expires_on.isoformat()} of exception {exception_id!r}",
                _where(doc, index, "expires_on"),
            )
        if new_expires_on <= on:
            raise InputError(
                f"new expiry {new_expires_on.isoformat()} is not after the renewal date "
                f"{on.isoformat()}: the exception would already be expired",
                _where(doc, index, "expires_on"),
            )
        renewals = len(current.history)
        if max_renewals is not None and renewals >= max_renewals:
            raise InputError(
                f"exception {exception_id!r} has already been renewed {renewals} "
                f"time{'s' if renewals != 1 else ''}; exception_policy.max_renewals allows "
                f"{max_renewals}",
                _where(doc, index, "history"),
                hint="fix the finding it waives, or close it and ask for a new exception",
            )
        if not approved_by.strip():
            raise InputError(
                "a renewal needs an approver (approved_by is empty)", Location(path=shown)
            )
        renewal = Renewal(
            renewed_on=on,
            previous_expires_on=current.expires_on,
            approved_by=approved_by,
            reason=reason if reason is not None and reason.strip() else None,
        )
        renewed = current.model_copy(
            update={
                "expires_on": new_expires_on,
                "approved_by": approved_by,
                "approved_on": on,
                "history": [*current.history, renewal],
            }
        )

        def change(item: CommentedMap) -> None:
            _set(item, "expires_on", new_expires_on)
            _set(item, "approved_by", approved_by)
            _set(item, "approved_on", on)
            entry = _to_node(renewal.model_dump(exclude_none=True))
            history = item.get("history")
            if isinstance(history, CommentedSeq):
                if len(history) == 0:
                    history.fa.set_block_style()
                history.append(entry)
            else:
                _set(item, "history", CommentedSeq([entry]))

        _edit_one(doc, index, renewed, change)

    _edit(path, shown, False, renew)


def close_exception(path: Path, exception_id: str, on: date, *, display: str | None = None) -> None:
    """Mark an exception closed (`status: closed`, `closed_on`); it then waives nothing."""
    shown = display or str(path)

    def close(doc: _Document) -> None:
        index, current = _find(doc, exception_id)
        if current.status == "closed":
            closed = f" on {current.closed_on.isoformat()}" if current.closed_on else ""
            raise InputError(
                f"exception {exception_id!r} is already closed{closed}",
                _where(doc, index, "status"),
            )
        closed_waiver = current.model_copy(update={"status": "closed", "closed_on": on})

        def change(item: CommentedMap) -> None:
            _set(item, "status", "closed")
            _set(item, "closed_on", on)

        _edit_one(doc, index, closed_waiver, change)

    _edit(path, shown, False, close)


# --- one edit at a time -------------------------------------------------------------------------

_CREATE_ATTEMPTS = 5


class CreatedMeanwhile(Exception):
    """The file did not exist when the edit began, and another process has created it since."""


def _edit(path: Path, display: str, create: bool, apply: Callable[[_Document], None]) -> None:
    """Read, change and write the file while holding its lock, so no other edit interleaves.

    A file that does not exist cannot be locked: an edit that creates it writes without replacing
    anything, and when another edit created the file first, it starts again, under the lock.
    """
    for _ in range(_CREATE_ATTEMPTS):
        target = Path(os.path.realpath(path))
        with exclusive(target, display) as held:
            if not held and not create:
                load_exceptions(target, display)  # the error that says the file is missing
                continue  # it appeared meanwhile: lock it and start again
            doc = _open(target, display, new=not held)
            try:
                apply(doc)
                return
            except CreatedMeanwhile:
                continue
    raise InputError(
        f"{display} kept appearing and changing while it was being created; nothing was written",
        Location(path=display),
        hint="run the command again",
    )


# --- reading ----------------------------------------------------------------------------------


@dataclass
class _Document:
    path: Path  # the file written (symlinks resolved)
    display: str
    original: bytes | None  # None: the file does not exist yet
    text: str  # decoded, BOM removed, line breaks normalised to \n
    bom: bool
    crlf: bool
    model: ExceptionList
    loaded: LoadedYaml
    yaml: YAML
    root: CommentedMap
    bounds: list[tuple[int, int]] | None  # line range of each exception in `text`


def _open(target: Path, display: str, new: bool) -> _Document:
    """The file as it is now (the caller holds its lock), or a new one when `new`."""
    if new:
        text, original = NEW_FILE_TEXT, None
        loaded = parse_yaml(text, display)
        model = validate_exception_list(loaded)
    else:
        model, loaded = load_exceptions(target, display)
        text, raw = read_text(target, display, DEFAULT_MAX_BYTES)
        if len(raw) != loaded.size or hashlib.sha256(raw).hexdigest() != loaded.sha256:
            raise InputError(f"{display} changed while it was being read", Location(path=display))
        original = raw
    bom = original is not None and original.startswith(_BOM.encode())
    crlf = "\r\n" in text and text.count("\n") == text.count("\r\n")
    text = text.replace("\r\n", "\n") if crlf else text
    rt = _round_trip_yaml()
    try:
        root = rt.load(text)
    except Exception as exc:  # ruamel parses a little differently from PyYAML, rarely
        raise InputError(
            f"cannot edit {display}: the round-trip YAML parser rejects it ({exc})",
            Location(path=display),
        ) from None
    if not isinstance(root, CommentedMap) or root.fa.flow_style():
        raise InputError(
            f"cannot edit {display}: the document is not a block mapping", Location(path=display)
        )
    lines = _lines(text)
    mapping, sequence, offset = _detect_indent(root, lines)
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    rt.explicit_start = bool(_DOC_START.match(text))
    return _Document(
        path=target,
        display=display,
        original=original,
        text=text,
        bom=bom,
        crlf=crlf,
        model=model,
        loaded=loaded,
        yaml=rt,
        root=root,
        bounds=_item_bounds(root, lines),
    )


def _round_trip_yaml() -> YAML:
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = _WIDTH
    rt.indent(mapping=DEFAULT_INDENT[0], sequence=DEFAULT_INDENT[1], offset=DEFAULT_INDENT[2])
    return rt


def _find(doc: _Document, exception_id: str) -> tuple[int, ExceptionWaiver]:
    for index, waiver in enumerate(doc.model.exceptions):
        if waiver.id == exception_id:
            return index, waiver
    known = [w.id for w in doc.model.exceptions]
    listed = ", ".join(known[:10]) + (f" (+{len(known) - 10} more)" if len(known) > 10 else "")
    raise InputError(
        f"no exception with id {exception_id!r} in {doc.display}",
        Location(path=doc.display),
        hint=f"known ids: {listed}" if known else "the file has no exceptions yet",
    )


def _where(doc: _Document, index: int, key: str) -> Location:
    return doc.loaded.location(("exceptions", index, key))


def _lines(text: str) -> list[str]:
    """Lines with their `\n`, split only where YAML breaks lines (not at U+2028, NEL, ...)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    return [*lines, parts[-1]] if parts[-1] else lines


def _detect_indent(root: CommentedMap, lines: list[str]) -> tuple[int, int, int]:
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


def _item_bounds(root: CommentedMap, lines: list[str]) -> list[tuple[int, int]] | None:
    """The line range [start, end) of each exception: from its dash to the next one.

    Comment and blank lines after an exception belong to it, as ruamel attaches them.
    None when the layout is too unusual to splice safely (the whole document is re-emitted).
    """
    seq = root.get("exceptions")
    if not isinstance(seq, CommentedSeq) or len(seq) == 0 or seq.fa.flow_style():
        return None
    starts: list[int] = []
    for index in range(len(seq)):
        line, col = seq.lc.item(index)
        if line >= len(lines):
            return None
        if not lines[line][:col].strip():  # `-` alone on a line, the item below it
            line -= 1
            while line >= 0 and not lines[line].strip():
                line -= 1
            col = len(lines[line].rstrip()) if line >= 0 else 0
        if line < 0 or lines[line][:col].strip() != "-":
            return None
        starts.append(line)
    keys = list(root)
    after = keys[keys.index("exceptions") + 1 :]
    end = root.lc.key(after[0])[0] if after else _document_end(lines, starts[-1])
    ends = [*starts[1:], end]
    if any(b <= a for a, b in zip(starts, ends, strict=True)):
        return None
    return list(zip(starts, ends, strict=True))


def _document_end(lines: list[str], start: int) -> int:
    """The line of the `...` (or `---`) that ends the document after `start`, else the end.

    ruamel drops the marker and everything after it, so those lines never belong to an exception.
    """
    for number in range(start + 1, len(lines)):
        if _DOC_MARKER.match(lines[number]):
            return number
    return len(lines)


def _items_separated_by_blank_lines(doc: _Document) -> bool:
    """Whether the file puts a blank line between exceptions (judged from the existing ones)."""
    if doc.bounds is None or len(doc.bounds) < 2:
        return False
    lines = _lines(doc.text)
    for start, _ in doc.bounds[1:]:
        line = start - 1
        while line >= 0 and lines[line].lstrip().startswith("#"):
            line -= 1
        if line < 0 or lines[line].strip():
            return False
    return True


def _exceptions_is_last(root: CommentedMap) -> bool:
    keys = list(root)
    return "exceptions" not in keys or keys[-1] == "exceptions"


# --- building nodes ---------------------------------------------------------------------------

_RESOLVER = yaml.resolver.Resolver()


def _plain_safe(value: str) -> str:
    """Quote a new string that a YAML 1.1 reader would take for something else (`1_000`, `yes`).

    ruamel emits YAML 1.2 and quotes only what 1.2 would misread, but govgate's loader keeps 1.1
    numbers (`1_000` is an int) and other tools still read `yes`/`no` as booleans.
    """
    tag: object = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
        yaml.ScalarNode, value, (True, False)
    )
    return SingleQuotedScalarString(value) if tag != _STR_TAG else value


def _to_node(value: Any) -> Any:
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            if item is not None:
                node[key] = _to_node(item)
        return node
    if isinstance(value, list | tuple):
        return CommentedSeq([_to_node(item) for item in value])
    if isinstance(value, str):
        return _plain_safe(value)
    return _unshared(value)


def _unshared(value: Any) -> Any:
    """A date object of its own: ruamel writes `&id001` / `*id001` for one object seen twice."""
    if type(value) is date:
        return date.fromordinal(value.toordinal())
    return value


def _waiver_node(waiver: ExceptionWaiver, like: CommentedMap | None) -> CommentedMap:
    """A new exception in model key order; lists flow or block like the previous exception's.

    With no previous exception, id lists (`rules`, `models`) flow and the others are blocks.
    """
    node = _to_node(waiver.model_dump(exclude_defaults=True))
    assert isinstance(node, CommentedMap)
    for key, value in node.items():
        if isinstance(value, CommentedSeq):
            reference = like.get(key) if like is not None else None
            if isinstance(reference, CommentedSeq):
                flow = bool(reference.fa.flow_style())
            else:
                flow = key in _FLOW_BY_DEFAULT
            if flow:
                value.fa.set_flow_style()
            else:
                value.fa.set_block_style()
    return node


def _set(item: CommentedMap, key: str, value: Any) -> None:
    """Replace a value in place (keeping its comment and quoting style) or add the key.

    A new key goes right after the nearest key that precedes it in the model's field order.
    """
    if isinstance(value, str):
        old = item.get(key)
        if isinstance(old, SingleQuotedScalarString | DoubleQuotedScalarString):
            value = type(old)(value)
        else:
            value = _plain_safe(value)
    value = _unshared(value)
    if key in item:
        item[key] = value
        return
    earlier = _FIELD_ORDER[: _FIELD_ORDER.index(key)] if key in _FIELD_ORDER else _FIELD_ORDER
    keys = list(item)
    position = 0
    for candidate in reversed(earlier):
        if candidate in item:
            position = keys.index(candidate) + 1
            break
    item.insert(position, key, value)


# --- comments that trail a node -----------------------------------------------------------------
#
# ruamel attaches the comments and blank lines that follow a block collection to its deepest last
# scalar: `ticket: GOV-1  # ok\n\n  # next exception\n` is one token on `ticket`. Appending a key
# or a list item after that scalar would put the new lines below the comment meant for the next
# exception. So the trailing lines are taken off before an edit and put back on the new last
# scalar afterwards. Tokens store them differently after a block scalar (`|`, `>`), whose text
# already ends its line; the functions below hide that.


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


def _take_tail(node: Any) -> str:
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


def _put_tail(node: Any, tail: str) -> None:
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


# --- writing ----------------------------------------------------------------------------------


def _edit_one(
    doc: _Document,
    index: int,
    replacement: ExceptionWaiver,
    change: Callable[[CommentedMap], None],
) -> None:
    seq = doc.root.get("exceptions")
    item = seq[index] if isinstance(seq, CommentedSeq) and index < len(seq) else None
    if not isinstance(item, CommentedMap) or item.get("id") != replacement.id:
        raise InputError(
            f"cannot edit exception {replacement.id!r}: it is not a plain mapping in the file",
            _where(doc, index, "id"),
        )
    if _shares_nodes(item):
        raise InputError(
            f"exception {replacement.id!r} uses YAML anchors, aliases or merge keys "
            "(`&`, `*`, `<<`), so editing it could change other exceptions too",
            _where(doc, index, "id"),
            hint="edit this exception by hand",
        )
    tail = _take_tail(item)
    change(item)
    _put_tail(item, tail)
    expected = list(doc.model.exceptions)
    expected[index] = replacement
    _commit(doc, expected, _Change(index))


def _shares_nodes(node: Any) -> bool:
    """Whether a node or anything in it carries an anchor or merges another mapping."""
    anchor = getattr(node, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None) is not None:
        return True
    if isinstance(node, CommentedMap):
        if getattr(node, merge_attrib, None):
            return True
        return any(_shares_nodes(value) for _, value in node.non_merged_items())
    if isinstance(node, CommentedSeq):
        return any(_shares_nodes(value) for value in node)
    return False


@dataclass(frozen=True)
class _Change:
    """Which exception's lines come from the re-emitted document; all others stay as they were."""

    index: int  # the exception edited in place, or the position of the appended one
    appended: bool = False
    moved_lines: int = 0  # appended: comment/blank lines that moved from the old last exception
    separator: int = 0  # appended: blank lines put between the old last exception and the new one


@dataclass(frozen=True)
class _FirstItem:
    """The first exception of a file: original lines [start, stop) become `head` and the item."""

    start: int
    stop: int
    head: str  # the `exceptions:` line, keeping any comment the replaced line had


def _first_item(doc: _Document) -> _FirstItem:
    """Where the first exception goes, decided before the round-trip tree is changed.

    `exceptions: []` (with or without a comment) becomes `exceptions:` with the item below it; a
    file without the key gets it after the last line holding data, before trailing comments.
    """
    lines = _lines(doc.text)
    root = doc.root
    first_key = next(iter(root), None)
    if first_key is not None and root.lc.key(first_key)[1] != 0:
        raise _refusal(doc, "its top-level keys are indented", doc.loaded.location())
    if "exceptions" not in root:
        start = _data_end(doc.text)
        return _FirstItem(start, start, "exceptions:\n")
    line, column = root.lc.value("exceptions")
    key_line = root.lc.key("exceptions")[0]
    empty = _EMPTY_FLOW_LIST.match(lines[line][column:]) if line == key_line else None
    if empty is None:
        raise _refusal(
            doc,
            "its empty `exceptions` list spans several lines",
            doc.loaded.location(("exceptions",)),
        )
    head = lines[line][:column].rstrip() + empty.group(1).rstrip() + "\n"
    return _FirstItem(line, line + 1, head)


def _data_end(text: str) -> int:
    """The line after the last one that holds data (not a comment, blank line or `...`)."""
    last = 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.BlockEndToken | yaml.DocumentEndToken | yaml.StreamEndToken):
            continue
        end = token.end_mark
        last = max(last, end.line + 1 if end.column > 0 else end.line)
    return last


def _refusal(doc: _Document, why: str, location: Location | None = None) -> InputError:
    return InputError(
        f"refusing to edit {doc.display}: {why}",
        location or Location(path=doc.display),
        hint="the file was left unchanged, so no line or comment of it is lost; "
        "make this edit by hand",
    )


def _commit(
    doc: _Document, expected: list[ExceptionWaiver], change: _Change | _FirstItem | None
) -> None:
    """Render, splice, check that the result reads back as exactly `expected`, then write.

    Only a file being created is written as ruamel emits it; in every other file the lines that
    did not change are copied from the original, and the comments must all still be there.
    """
    full = _dump(doc)
    if isinstance(change, _Change):
        text = _splice(doc, full, change)
    elif isinstance(change, _FirstItem):
        text = _splice_first(doc, full, change)
    else:
        text = full
    try:
        loaded = parse_yaml(text, doc.display)
        result = validate_exception_list(loaded)
    except InputError as exc:
        where = f" at {exc.location.key_path}" if exc.location and exc.location.key_path else ""
        raise InputError(
            f"refusing to write {doc.display}: the edited file would be invalid{where}: "
            f"{exc.message}",
            Location(path=doc.display, key_path=exc.location.key_path if exc.location else None),
            hint="the file was left unchanged",
        ) from None
    wanted = doc.model.model_copy(update={"exceptions": expected})
    if result != wanted:
        raise InputError(
            f"refusing to write {doc.display}: the edited file would not read back as intended",
            Location(path=doc.display),
            hint="the file was left unchanged; please report this with the file attached",
        )
    if doc.original is not None:
        _check_comments_kept(doc, text)
    if doc.crlf:
        text = text.replace("\n", "\r\n")
    write_unless_changed(
        doc.path, doc.display, doc.original, ((_BOM if doc.bom else "") + text).encode("utf-8")
    )


def _dump(doc: _Document) -> str:
    buffer = io.StringIO()
    doc.yaml.dump(doc.root, buffer)
    return buffer.getvalue()


def _splice(doc: _Document, full: str, change: _Change) -> str:
    """The original lines, with the re-emitted lines of the changed exception spliced in.

    When the two cannot be lined up with certainty the edit is refused: re-emitting the whole
    document would rewrite lines the user never asked to change.
    """
    old_bounds = doc.bounds
    if old_bounds is None:
        seq = doc.root.get("exceptions")
        flow = isinstance(seq, CommentedSeq) and seq.fa.flow_style()
        why = (
            "its `exceptions` list is in flow style (`[...]`), which cannot be edited line by line"
            if flow
            else "its exceptions are laid out in a way the editor cannot line up"
        )
        raise _refusal(doc, why, doc.loaded.location(("exceptions",)))
    new_lines = _lines(full)
    new_bounds = _reloaded_bounds(full, new_lines)
    expected_count = len(old_bounds) + (1 if change.appended else 0)
    if new_bounds is None or len(new_bounds) != expected_count:
        raise _refusal(doc, "the re-written exceptions do not line up with the original ones")
    old_lines = _lines(doc.text)
    new_from, new_to = new_bounds[change.index]
    if change.appended:
        resume_at = old_bounds[-1][1]
        keep_until = resume_at - change.moved_lines
        new_from -= change.separator
        moved = old_lines[keep_until:resume_at]
        separator = new_lines[new_from : new_bounds[change.index][0]]
        last = _where(doc, len(old_bounds) - 1, "id")
        if keep_until <= old_bounds[-1][0] or new_from < new_bounds[-2][0]:
            raise _refusal(doc, "the end of its last exception cannot be found", last)
        if any(line.strip() and not line.lstrip().startswith("#") for line in moved):
            raise _refusal(
                doc, "its last exception is followed by lines that are not comments", last
            )
        if any(line.strip() for line in separator):
            raise _refusal(doc, "the new exception would not start on a line of its own", last)
    else:
        keep_until, resume_at = old_bounds[change.index]
    spliced = "".join(
        [*old_lines[:keep_until], *new_lines[new_from:new_to], *old_lines[resume_at:]]
    )
    if spliced != full and not _same_data(spliced, full, doc.display):
        raise _refusal(doc, "the spliced lines would not say what the re-written file says")
    return spliced


def _splice_first(doc: _Document, full: str, change: _FirstItem) -> str:
    """The original lines with the `exceptions:` line and the one new exception put in."""
    new_lines = _lines(full)
    new_bounds = _reloaded_bounds(full, new_lines)
    if new_bounds is None or len(new_bounds) != 1:
        raise _refusal(doc, "the new exception cannot be found in the re-written file")
    start, stop = new_bounds[0]
    while stop > start and (
        not new_lines[stop - 1].strip() or new_lines[stop - 1].lstrip()[0] == "#"
    ):
        stop -= 1  # comments and blank lines that followed the old last key: kept where they were
    old_lines = _lines(doc.text)
    before = old_lines[: change.start]
    if before and not before[-1].endswith("\n"):
        before[-1] += "\n"
    spliced = "".join([*before, change.head, *new_lines[start:stop], *old_lines[change.stop :]])
    if not _same_data(spliced, full, doc.display):
        raise _refusal(doc, "the spliced lines would not say what the re-written file says")
    return spliced


def _reloaded_bounds(full: str, lines: list[str]) -> list[tuple[int, int]] | None:
    try:
        root = _round_trip_yaml().load(full)
    except Exception:  # ruamel could not read its own output: nothing to line up
        return None
    return _item_bounds(root, lines) if isinstance(root, CommentedMap) else None


def _same_data(left: str, right: str, display: str) -> bool:
    """Same data as govgate reads it. Comments are checked against the original file instead:
    the re-emitted document may have lost some, which is what the splice is there to avoid."""
    try:
        return bool(parse_yaml(left, display).data == parse_yaml(right, display).data)
    except GovgateError:
        return False


def _check_comments_kept(doc: _Document, text: str) -> None:
    """Every comment of the original is in the result, as often as before, and none is new.

    ruamel drops some comments when it re-emits a node (inside a flow-style `[...]`, for one);
    an edit that would lose one is refused, pointing at the comment.
    """
    before = _comments(doc.text)
    counted_before = Counter(c for c, _, _ in before)
    counted_after = Counter(c for c, _, _ in _comments(text))
    lost = counted_before - counted_after
    if lost:
        comment, line, column = next(item for item in before if item[0] in lost)
        raise _refusal(
            doc,
            f"re-writing the exception would drop the comment {comment!r} (the YAML writer cannot "
            "keep a comment inside a `[...]` list, for one)",
            Location(path=doc.display, line=line, column=column),
        )
    if counted_after - counted_before:
        raise _refusal(doc, "re-writing the exception would repeat a comment")


def _comments(text: str) -> list[tuple[str, int, int]]:
    """Every comment as (text, line, column), 1-based: each `#` that no YAML token contains.

    The YAML scanner skips comments, so a `#` between tokens, at the start of a line or after a
    space, starts one; a `#` inside a quoted or block scalar is part of the token around it.
    """
    found: list[tuple[str, int, int]] = []
    position = 0
    spans = [
        (t.start_mark.index, t.end_mark.index) for t in yaml.scan(text, Loader=yaml.SafeLoader)
    ]
    for start, end in [*spans, (len(text), len(text))]:
        hash_at = text.find("#", position, start)
        while hash_at >= 0:
            line_start = text.rfind("\n", 0, hash_at) + 1
            line_end = text.find("\n", hash_at)
            line_end = len(text) if line_end < 0 else line_end
            if hash_at == line_start or text[hash_at - 1] in " \t":
                line = text.count("\n", 0, hash_at) + 1
                found.append((text[hash_at:line_end].rstrip(), line, hash_at - line_start + 1))
                hash_at = text.find("#", line_end, start)
            else:
                hash_at = text.find("#", hash_at + 1, start)
        position = max(position, end)
    return found


def write_unless_changed(
    target: Path, display: str, original: bytes | None, content: bytes
) -> None:
    """Replace the file atomically, keeping its permissions; refuse if it changed meanwhile
    (CreatedMeanwhile when it did not exist and now does). Used by every comment-preserving
    editor: the exceptions file here, the approvals file in govgate.approvals.edit.

    The caller holds the file's lock, so no other `govgate` edit can slip in between this check
    and the rename; the check still catches an editor that does not take the lock.
    """
    from govgate.publish.files import write_atomic  # not needed to list or validate

    try:
        current: bytes | None = target.read_bytes()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise InputError(
            f"cannot read {display}: {exc.strerror or exc}", Location(path=display)
        ) from None
    if original is None and current is not None:
        raise CreatedMeanwhile
    if current != original:
        raise InputError(
            f"{display} changed on disk while it was being edited; nothing was written",
            Location(path=display),
            hint="run the command again",
        )
    try:
        mode = target.stat().st_mode & 0o7777 if current is not None else _default_mode()
        write_atomic(target, content, mode=mode, overwrite=current is not None)
    except FileExistsError:
        raise CreatedMeanwhile from None
    except OSError as exc:
        raise InputError(
            f"cannot write {display}: {exc.strerror or exc}", Location(path=display)
        ) from None


def _default_mode() -> int:
    """What a plain `open(path, "w")` would give a new file under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
