"""Append or change one item of a top-level list, touching no other line of the file.

Edits go through ruamel.yaml's round-trip mode so comments, key order, quoting and blank lines
survive. ruamel still normalises a few things when it re-emits a document (`~` and `null` become
empty values, runs of spaces after `:` collapse, `---` and `...` disappear, escapes are decoded,
comments inside a flow-style `[...]` are dropped), so the re-emitted text is used only for the
item that changed: every other line is copied from the original bytes. When the changed lines
cannot be lined up with the original ones, or a comment would be lost, the edit is refused and
the file left as it was; the whole document is never re-emitted over a user's file.

The caller owns the policy: which item changes and how, and that the result reads back as the
intended data (`ListDocument.dump`, `splice`, then its own check, then `save`).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from govgate.errors import GovgateError, InputError
from govgate.location import Location
from govgate.yamledit.nodes import detect_indent, put_tail, round_trip_yaml, take_tail
from govgate.yamledit.store import write_unless_changed
from govgate.yamledit.text import (
    Encoding,
    comments,
    data_end,
    normalise,
    separated_by_blank_lines,
    split_lines,
)
from govgate.yamlio import LoadedYaml, parse_yaml

_DOC_MARKER = re.compile(r"(?:\.\.\.|---)(?:[ \t]|$)")
EMPTY_FLOW_LIST = re.compile(r"\[[ \t]*\]([ \t]*(?:#[^\n]*)?)\n?\Z")
_DOC_START = re.compile(r"\A(?:[ \t]*(?:#[^\n]*)?\n)*---(?:[ \t]|$)", re.MULTILINE)


@dataclass(frozen=True)
class ListSpec:
    """Which list is edited, and how messages name its items."""

    key: str  # the top-level key holding the list: "exceptions"
    noun: str  # one item: "exception"
    plural: str  # "exceptions"
    by_hand: str  # how the user makes a refused edit: "make this edit by hand"
    id_key: str = "id"  # the key naming an item, where messages about an item point


@dataclass
class ListDocument:
    """One file opened for an edit: its original bytes, the text, and ruamel's tree of it."""

    spec: ListSpec
    path: Path  # the file written (symlinks resolved)
    display: str
    original: bytes | None  # None: the file does not exist yet
    text: str  # decoded, BOM removed, line breaks normalised to \n
    encoding: Encoding
    loaded: LoadedYaml  # the file as govgate reads it, for locations
    yaml: YAML
    root: CommentedMap
    bounds: list[tuple[int, int]] | None  # line range of each item in `text`

    def where(self, index: int, key: str) -> Location:
        """The location of `key` in item `index`."""
        return self.loaded.location((self.spec.key, index, key))

    def item(self, index: int) -> CommentedMap | None:
        """Item `index` when it is a mapping in the round-trip tree."""
        seq = self.root.get(self.spec.key)
        item = seq[index] if isinstance(seq, CommentedSeq) and index < len(seq) else None
        return item if isinstance(item, CommentedMap) else None

    def dump(self) -> str:
        """The whole document as ruamel re-emits it; only the changed lines of it are kept."""
        buffer = io.StringIO()
        self.yaml.dump(self.root, buffer)
        return buffer.getvalue()

    def refusal(self, why: str, location: Location | None = None) -> InputError:
        return InputError(
            f"refusing to edit {self.display}: {why}",
            location or Location(path=self.display),
            hint="the file was left unchanged, so no line or comment of it is lost; "
            + self.spec.by_hand,
        )


def open_list(
    spec: ListSpec,
    target: Path,
    display: str,
    text: str,
    original: bytes | None,
    loaded: LoadedYaml,
) -> ListDocument:
    """The file `text` (decoded from `original`, None for a file being created) ready to edit."""
    text, encoding = normalise(text, original)
    rt = round_trip_yaml()
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
    lines = split_lines(text)
    mapping, sequence, offset = detect_indent(root, lines)
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    rt.explicit_start = bool(_DOC_START.match(text))
    return ListDocument(
        spec=spec,
        path=target,
        display=display,
        original=original,
        text=text,
        encoding=encoding,
        loaded=loaded,
        yaml=rt,
        root=root,
        bounds=item_bounds(root, lines, spec.key),
    )


def item_bounds(root: CommentedMap, lines: list[str], key: str) -> list[tuple[int, int]] | None:
    """The line range [start, end) of each item of the list at `key`: from its dash to the next.

    Comment and blank lines after an item belong to it, as ruamel attaches them.
    None when the layout is too unusual to splice safely (the edit is then refused).
    """
    seq = root.get(key)
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
    after = keys[keys.index(key) + 1 :]
    end = root.lc.key(after[0])[0] if after else _document_end(lines, starts[-1])
    ends = [*starts[1:], end]
    if any(b <= a for a, b in zip(starts, ends, strict=True)):
        return None
    return list(zip(starts, ends, strict=True))


def _document_end(lines: list[str], start: int) -> int:
    """The line of the `...` (or `---`) that ends the document after `start`, else the end.

    ruamel drops the marker and everything after it, so those lines never belong to an item.
    """
    for number in range(start + 1, len(lines)):
        if _DOC_MARKER.match(lines[number]):
            return number
    return len(lines)


# --- the two edits ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Changed:
    """Which item's lines come from the re-emitted document; all others stay as they were."""

    index: int  # the item edited in place, or the position of the appended one
    appended: bool = False
    moved_lines: int = 0  # appended: comment/blank lines that moved from the old last item
    separator: int = 0  # appended: blank lines put between the old last item and the new one


@dataclass(frozen=True)
class FirstItem:
    """The first item of a list: original lines [start, stop) become `head` and the item."""

    start: int
    stop: int
    head: str  # the `KEY:` line, keeping any comment the replaced line had


Change = Changed | FirstItem | None  # None: a new file, written as ruamel emits it


def append_item(doc: ListDocument, make: Callable[[CommentedMap | None], CommentedMap]) -> Change:
    """Append `make(previous item)` to the tree; say where its lines go in the file."""
    key = doc.spec.key
    seq = doc.root.get(key)
    if isinstance(seq, CommentedSeq) and len(seq) > 0:
        last = seq[-1]
        tail = take_tail(last)
        lines = split_lines(doc.text)
        starts = [start for start, _ in doc.bounds or []]
        blank = separated_by_blank_lines(lines, starts)
        seq.append(make(last if isinstance(last, CommentedMap) else None))
        put_tail(last, "\n" if blank else "")
        put_tail(seq, tail)
        return Changed(
            len(seq) - 1, appended=True, moved_lines=len(split_lines(tail)), separator=int(blank)
        )
    change = _first_item(doc) if doc.original is not None else None
    keys = list(doc.root)
    tail = take_tail(doc.root) if key not in keys or keys[-1] == key else ""
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
        doc.root[key] = seq
    seq.fa.set_block_style()
    seq.append(make(None))
    put_tail(doc.root, tail)
    return change


def edit_item(doc: ListDocument, index: int, change: Callable[[CommentedMap], None]) -> Change:
    """Change item `index` in place with `change`, keeping the lines that trail it after it."""
    item = doc.item(index)
    if item is None:
        raise ValueError(f"item {index} is not a mapping")  # the caller checks with doc.item
    tail = take_tail(item)
    change(item)
    put_tail(item, tail)
    return Changed(index)


def _first_item(doc: ListDocument) -> FirstItem:
    """Where the first item goes, decided before the round-trip tree is changed.

    `KEY: []` (with or without a comment) becomes `KEY:` with the item below it; a file without
    the key gets it after the last line holding data, before trailing comments.
    """
    key = doc.spec.key
    lines = split_lines(doc.text)
    root = doc.root
    first_key = next(iter(root), None)
    if first_key is not None and root.lc.key(first_key)[1] != 0:
        raise doc.refusal("its top-level keys are indented", doc.loaded.location())
    if key not in root:
        start = data_end(doc.text)
        return FirstItem(start, start, f"{key}:\n")
    line, column = root.lc.value(key)
    key_line = root.lc.key(key)[0]
    empty = EMPTY_FLOW_LIST.match(lines[line][column:]) if line == key_line else None
    if empty is None:
        raise doc.refusal(
            f"its empty `{key}` list spans several lines", doc.loaded.location((key,))
        )
    head = lines[line][:column].rstrip() + empty.group(1).rstrip() + "\n"
    return FirstItem(line, line + 1, head)


# --- from the re-emitted document to the file ---------------------------------------------------


def splice(doc: ListDocument, full: str, change: Change) -> str:
    """The original lines with the changed item's lines from `full` (the re-emitted document).

    When the two cannot be lined up with certainty the edit is refused: re-emitting the whole
    document would rewrite lines the user never asked to change. A new file is `full` itself.
    """
    if isinstance(change, Changed):
        return _splice(doc, full, change)
    if isinstance(change, FirstItem):
        return _splice_first(doc, full, change)
    return full


def _splice(doc: ListDocument, full: str, change: Changed) -> str:
    spec = doc.spec
    old_bounds = doc.bounds
    if old_bounds is None:
        seq = doc.root.get(spec.key)
        flow = isinstance(seq, CommentedSeq) and seq.fa.flow_style()
        why = (
            f"its `{spec.key}` list is in flow style (`[...]`), which cannot be edited line by line"
            if flow
            else f"its {spec.plural} are laid out in a way the editor cannot line up"
        )
        raise doc.refusal(why, doc.loaded.location((spec.key,)))
    new_lines = split_lines(full)
    new_bounds = _reloaded_bounds(full, new_lines, spec.key)
    expected_count = len(old_bounds) + (1 if change.appended else 0)
    if new_bounds is None or len(new_bounds) != expected_count:
        raise doc.refusal(f"the re-written {spec.plural} do not line up with the original ones")
    old_lines = split_lines(doc.text)
    new_from, new_to = new_bounds[change.index]
    if change.appended:
        resume_at = old_bounds[-1][1]
        keep_until = resume_at - change.moved_lines
        new_from -= change.separator
        moved = old_lines[keep_until:resume_at]
        separator = new_lines[new_from : new_bounds[change.index][0]]
        last = doc.where(len(old_bounds) - 1, spec.id_key)
        if keep_until <= old_bounds[-1][0] or new_from < new_bounds[-2][0]:
            raise doc.refusal(f"the end of its last {spec.noun} cannot be found", last)
        if any(line.strip() and not line.lstrip().startswith("#") for line in moved):
            raise doc.refusal(
                f"its last {spec.noun} is followed by lines that are not comments", last
            )
        if any(line.strip() for line in separator):
            raise doc.refusal(f"the new {spec.noun} would not start on a line of its own", last)
    else:
        keep_until, resume_at = old_bounds[change.index]
    spliced = "".join(
        [*old_lines[:keep_until], *new_lines[new_from:new_to], *old_lines[resume_at:]]
    )
    if spliced != full and not _same_data(spliced, full, doc.display):
        raise doc.refusal("the spliced lines would not say what the re-written file says")
    return spliced


def _splice_first(doc: ListDocument, full: str, change: FirstItem) -> str:
    """The original lines with the `KEY:` line and the one new item put in."""
    new_lines = split_lines(full)
    new_bounds = _reloaded_bounds(full, new_lines, doc.spec.key)
    if new_bounds is None or len(new_bounds) != 1:
        raise doc.refusal(f"the new {doc.spec.noun} cannot be found in the re-written file")
    start, stop = new_bounds[0]
    while stop > start and (
        not new_lines[stop - 1].strip() or new_lines[stop - 1].lstrip()[0] == "#"
    ):
        stop -= 1  # comments and blank lines that followed the old last key: kept where they were
    old_lines = split_lines(doc.text)
    before = old_lines[: change.start]
    if before and not before[-1].endswith("\n"):
        before[-1] += "\n"
    spliced = "".join([*before, change.head, *new_lines[start:stop], *old_lines[change.stop :]])
    if not _same_data(spliced, full, doc.display):
        raise doc.refusal("the spliced lines would not say what the re-written file says")
    return spliced


def _reloaded_bounds(full: str, lines: list[str], key: str) -> list[tuple[int, int]] | None:
    try:
        root = round_trip_yaml().load(full)
    except Exception:  # ruamel could not read its own output: nothing to line up
        return None
    return item_bounds(root, lines, key) if isinstance(root, CommentedMap) else None


def _same_data(left: str, right: str, display: str) -> bool:
    """Same data as govgate reads it. Comments are checked against the original file instead:
    the re-emitted document may have lost some, which is what the splice is there to avoid."""
    try:
        return bool(parse_yaml(left, display).data == parse_yaml(right, display).data)
    except GovgateError:
        return False


def save(doc: ListDocument, text: str) -> None:
    """Write `text` over the file, encoded as the file was, once no comment of it is lost.

    Only a file being created is written as ruamel emits it; in every other file the lines that
    did not change were copied from the original, and the comments must all still be there.
    """
    if doc.original is not None:
        _check_comments_kept(doc, text)
    write_unless_changed(doc.path, doc.display, doc.original, doc.encoding.encode(text))


def _check_comments_kept(doc: ListDocument, text: str) -> None:
    """Every comment of the original is in the result, as often as before, and none is new.

    ruamel drops some comments when it re-emits a node (inside a flow-style `[...]`, for one);
    an edit that would lose one is refused, pointing at the comment.
    """
    before = comments(doc.text)
    counted_before = Counter(c for c, _, _ in before)
    counted_after = Counter(c for c, _, _ in comments(text))
    lost = counted_before - counted_after
    noun = doc.spec.noun
    if lost:
        comment, line, column = next(item for item in before if item[0] in lost)
        raise doc.refusal(
            f"re-writing the {noun} would drop the comment {comment!r} (the YAML writer cannot "
            "keep a comment inside a `[...]` list, for one)",
            Location(path=doc.display, line=line, column=column),
        )
    if counted_after - counted_before:
        raise doc.refusal(f"re-writing the {noun} would repeat a comment")
