"""Append one approval to the approvals file, keeping every byte of what was there.

The file is the team's record of sign-offs, reviewed like code, so an append must not re-flow
it: the new entry is rendered on its own (ruamel.yaml, styled like the entry before it: flow or
block `covers`, the same quotes) and inserted as whole lines after the last line of the last
approval; every other line, comment and blank line is copied from the original bytes. The
result is re-read the way `govgate check` reads it and must hold the old approvals plus exactly
the new one, with every comment, before it replaces the file atomically. The file is locked from
the read to the rename, as `govgate exceptions` locks its file, so parallel approvals queue.

The generic round-trip pieces (the ruamel set-up, node building, comment census, line split, the
lock and the checked write) are `govgate.yamledit`'s, shared with the exceptions editor.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from govgate.approvals.model import ApprovalEntry, ApprovalList
from govgate.errors import GovgateError, InputError
from govgate.location import Location
from govgate.yamledit.listitem import EMPTY_FLOW_LIST
from govgate.yamledit.nodes import QUOTED, detect_indent, round_trip_yaml, to_node
from govgate.yamledit.store import under_lock, write_unless_changed
from govgate.yamledit.text import (
    Encoding,
    comments,
    data_end,
    decode,
    separated_by_blank_lines,
    split_lines,
    terminated,
)
from govgate.yamlio import DEFAULT_MAX_BYTES, LoadedYaml, parse_yaml, read_text, validate

NEW_FILE_TEXT = (
    "# Sign-offs for this model's releases, each bound to the evidence it approved.\n"
    "# Add one with `govgate approve --role ROLE` (docs/governance/approvals.md).\n"
    "apiVersion: govgate/v1\n"
    "kind: ApprovalList\n"
    "approvals: []\n"
)


@dataclass(frozen=True)
class Appended:
    """What was written: the new entry's lines, the line it starts on, whether the file is new."""

    text: str
    line: int
    created: bool


def append_approval(
    path: Path, entry: ApprovalEntry, *, display: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> Appended:
    """Append `entry`; the file is created (with a header) when it does not exist yet."""

    def append(target: Path, exists: bool) -> Appended:
        original = _read(target, display, max_bytes) if exists else None
        if original is None:
            text, encoding = NEW_FILE_TEXT, Encoding()
        else:
            text, encoding = decode(original, display)
        current = _load(text, display, original)
        new_text, line, added = _insert(text, display, entry)
        _verify(text, new_text, display, current, entry)
        write_unless_changed(target, display, original, encoding.encode(new_text))
        return Appended(text=added, line=line, created=original is None)

    return under_lock(path, display, append)


# --- reading ----------------------------------------------------------------------------------


def _read(target: Path, display: str, max_bytes: int) -> bytes:
    _, raw = read_text(target, display, max_bytes)
    return raw


def load_approval_list(loaded: LoadedYaml) -> ApprovalList:
    """The approvals file as `govgate check` reads it (sources/approvals_file.py)."""
    if not isinstance(loaded.data, dict) or loaded.data.get("kind") != "ApprovalList":
        raise InputError(
            "expected `apiVersion: govgate/v1` and `kind: ApprovalList`",
            loaded.location(("kind",)),
        )
    return validate(ApprovalList, loaded)


def _load(text: str, display: str, original: bytes | None) -> ApprovalList:
    return load_approval_list(parse_yaml(text, display, original))


# --- where the new entry goes ---------------------------------------------------------------


def _insert(text: str, display: str, entry: ApprovalEntry) -> tuple[str, int, str]:
    """The new text, the 1-based line the entry starts on, and the lines added."""
    rt = round_trip_yaml()
    try:
        root = rt.load(text)
    except Exception as exc:  # ruamel parses a little differently from PyYAML, rarely
        raise _refusal(display, f"the round-trip YAML parser rejects it ({exc})") from None
    if not isinstance(root, CommentedMap) or root.fa.flow_style():
        raise _refusal(display, "the document is not a block mapping")
    lines = split_lines(text)
    mapping, sequence, offset = detect_indent(root, lines)
    seq = root.get("approvals")
    if isinstance(seq, CommentedSeq) and len(seq) and not seq.fa.flow_style():
        return _after_last(text, display, seq, lines, mapping, entry)
    first_key = next(iter(root), None)
    if first_key is not None and root.lc.key(first_key)[1] != 0:
        raise _refusal(display, "its top-level keys are indented")
    item = _render(entry, None, mapping, sequence - offset, offset)
    if "approvals" not in root:
        at = data_end(text)
        head = ["approvals:\n"]
    else:
        line, column = root.lc.value("approvals")
        empty = (
            EMPTY_FLOW_LIST.match(lines[line][column:])
            if line == root.lc.key("approvals")[0] and isinstance(seq, CommentedSeq)
            else None
        )
        if empty is None:
            why = (
                "its `approvals` list is in flow style (`[...]`), which cannot be appended to "
                "line by line"
                if isinstance(seq, CommentedSeq) and len(seq)
                else "its empty `approvals` list is not written `approvals: []` on one line"
            )
            raise _refusal(display, why, Location(path=display, line=line + 1))
        at = line
        head = [lines[line][:column].rstrip() + empty.group(1).rstrip() + "\n"]
        lines = [*lines[:line], *lines[line + 1 :]]
    before = terminated(lines[:at])
    new_lines = [*before, *head, *split_lines(item), *lines[at:]]
    return "".join(new_lines), len(before) + len(head) + 1, item


def _after_last(
    text: str,
    display: str,
    seq: CommentedSeq,
    lines: list[str],
    mapping: int,
    entry: ApprovalEntry,
) -> tuple[str, int, str]:
    """After the last line holding data of the last approval, styled like that approval."""
    starts: list[int] = []
    dash = key = 0
    for index in range(len(seq)):
        line, col = seq.lc.item(index)
        prefix = lines[line][:col] if line < len(lines) else ""
        if prefix.strip() != "-":
            raise _refusal(
                display,
                "its approvals are laid out in a way the editor cannot line up (an entry does "
                "not start on its `-` line)",
                Location(path=display, line=line + 1),
            )
        starts.append(line)
        dash, key = prefix.index("-"), col
    at = _item_end(text, len(seq) - 1)
    if at is None or at <= starts[-1]:
        raise _refusal(display, "the end of its last approval cannot be found")
    like = seq[-1] if isinstance(seq[-1], CommentedMap) else None
    item = _render(entry, like, mapping, key - dash, dash)
    separator = ["\n"] if separated_by_blank_lines(lines, starts) else []
    before = terminated(lines[:at])
    new_lines = [*before, *separator, *split_lines(item), *lines[at:]]
    return "".join(new_lines), len(before) + len(separator) + 1, "".join(separator) + item


def _item_end(text: str, index: int) -> int | None:
    """The line after the last one holding data of approval `index` (its keys and values)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return None
    seq = next(
        (v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "approvals"),
        None,
    )
    if not isinstance(seq, yaml.SequenceNode) or index >= len(seq.value):
        return None
    last = 0
    stack: list[Any] = [seq.value[index]]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
            end = node.end_mark
            last = max(last, end.line + 1 if end.column > 0 else end.line)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return last


# --- the new entry ----------------------------------------------------------------------------


def _render(
    entry: ApprovalEntry, like: CommentedMap | None, mapping: int, sequence: int, dash: int
) -> str:
    """The entry as a sequence item whose `-` sits at column `dash`, styled like `like`."""
    node = to_node(entry.model_dump(mode="python", exclude_defaults=True))
    assert isinstance(node, CommentedMap)
    _style_like(node, like, flow=False)
    rt = round_trip_yaml()
    rt.indent(mapping=mapping, sequence=max(sequence, 2), offset=0)
    buffer = io.StringIO()
    rt.dump(CommentedSeq([node]), buffer)
    return "".join(
        " " * dash + line if line.strip() else line for line in split_lines(buffer.getvalue())
    )


def _style_like(node: CommentedMap, like: Any, *, flow: bool) -> None:
    """Collections flow or block, and strings quoted, as the same keys of the previous entry."""
    reference = like if isinstance(like, CommentedMap) else None
    for key, value in list(node.items()):
        old = reference.get(key) if reference is not None else None
        if isinstance(value, CommentedMap | CommentedSeq):
            as_flow = flow or (isinstance(old, CommentedMap | CommentedSeq) and old.fa.flow_style())
            if as_flow:
                value.fa.set_flow_style()
            else:
                value.fa.set_block_style()
            if isinstance(value, CommentedMap):
                _style_like(value, old, flow=as_flow)
        elif isinstance(value, str) and isinstance(old, QUOTED):
            node[key] = type(old)(str(value))


# --- checking and writing -------------------------------------------------------------------


def _verify(
    old_text: str, new_text: str, display: str, before: ApprovalList, entry: ApprovalEntry
) -> None:
    """The result reads back as the old approvals plus `entry`, and keeps every comment."""
    try:
        result = load_approval_list(parse_yaml(new_text, display))
    except GovgateError as exc:
        raise _refusal(display, f"the edited file would be invalid: {exc.message}") from None
    wanted = before.model_copy(update={"approvals": [*before.approvals, entry]})
    if result != wanted:
        raise _refusal(display, "the edited file would not read back as intended")
    kept = Counter(c for c, _, _ in comments(old_text))
    if Counter(c for c, _, _ in comments(new_text)) != kept:
        raise _refusal(display, "the new entry would lose or add a comment")


def _refusal(display: str, why: str, location: Location | None = None) -> InputError:
    return InputError(
        f"refusing to edit {display}: {why}",
        location or Location(path=display),
        hint="the file was left unchanged, so no line or comment of it is lost; "
        "add the approval by hand",
    )
