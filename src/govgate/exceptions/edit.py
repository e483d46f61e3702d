"""Add, renew and close exceptions the way a careful human would: touch one exception only.

The policy lives here: an id is unique, a renewal moves the expiry forward and records a
`history` entry (within `exception_policy.max_renewals`), a closed exception stays closed, and an
exception sharing YAML anchors is not edited. The line-preserving edit itself is
`govgate.yamledit`: the file is locked from the read to the rename, only the changed exception's
lines are re-emitted, and an edit that cannot be spliced in, or would lose a comment, is refused
with the file left as it was. The result is re-read the way `govgate check` reads it (PyYAML plus
the pydantic model) and must equal the intended edit exactly before it replaces the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from govgate.errors import InputError
from govgate.exceptions.model import (
    ExceptionList,
    ExceptionWaiver,
    Renewal,
    load_exceptions,
    validate_exception_list,
)
from govgate.location import Location
from govgate.yamledit import listitem
from govgate.yamledit.listitem import Change, ListDocument, ListSpec
from govgate.yamledit.nodes import set_value, shares_nodes, to_node
from govgate.yamledit.store import CreatedMeanwhile, under_lock
from govgate.yamlio import DEFAULT_MAX_BYTES, parse_yaml, read_text

NEW_FILE_TEXT = "apiVersion: govgate/v1\nkind: ExceptionList\nexceptions: []\n"
SPEC = ListSpec(
    key="exceptions", noun="exception", plural="exceptions", by_hand="make this edit by hand"
)
_FIELD_ORDER = list(ExceptionWaiver.model_fields)
_FLOW_BY_DEFAULT = frozenset({"rules", "models"})


def add_exception(path: Path, waiver: ExceptionWaiver, *, display: str | None = None) -> None:
    """Append an exception; the file is created when it does not exist yet."""
    shown = display or str(path)
    if not waiver.reason.strip():
        raise InputError(
            f"exception {waiver.id!r} has no reason",
            Location(path=shown),
            hint="say why the deviation is tolerated",
        )
    _edit(path, shown, True, lambda doc, model: _append(doc, model, waiver))


def _append(doc: ListDocument, model: ExceptionList, waiver: ExceptionWaiver) -> None:
    for index, existing in enumerate(model.exceptions):
        if existing.id == waiver.id:
            raise InputError(
                f"an exception with id {waiver.id!r} already exists",
                doc.where(index, "id"),
                hint="pick a new id, or renew the existing exception",
            )
    change = listitem.append_item(doc, lambda like: _waiver_node(waiver, like))
    _commit(doc, model, [*model.exceptions, waiver], change)


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

    def renew(doc: ListDocument, model: ExceptionList) -> None:
        index, current = _find(doc, model, exception_id)
        if current.status == "closed":
            raise InputError(
                f"exception {exception_id!r} is closed and cannot be renewed",
                doc.where(index, "status"),
                hint="add a new exception instead",
            )
        if new_expires_on <= current.expires_on:
            raise InputError(
                f"new expiry {new_expires_on.isoformat()} is not after the current expiry "
                f"{current.expires_on.isoformat()} of exception {exception_id!r}",
                doc.where(index, "expires_on"),
            )
        if new_expires_on <= on:
            raise InputError(
                f"new expiry {new_expires_on.isoformat()} is not after the renewal date "
                f"{on.isoformat()}: the exception would already be expired",
                doc.where(index, "expires_on"),
            )
        renewals = len(current.history)
        if max_renewals is not None and renewals >= max_renewals:
            raise InputError(
                f"exception {exception_id!r} has already been renewed {renewals} "
                f"time{'s' if renewals != 1 else ''}; exception_policy.max_renewals allows "
                f"{max_renewals}",
                doc.where(index, "history"),
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
            set_value(item, "expires_on", new_expires_on, _FIELD_ORDER)
            set_value(item, "approved_by", approved_by, _FIELD_ORDER)
            set_value(item, "approved_on", on, _FIELD_ORDER)
            entry = to_node(renewal.model_dump(exclude_none=True))
            history = item.get("history")
            if isinstance(history, CommentedSeq):
                if len(history) == 0:
                    history.fa.set_block_style()
                history.append(entry)
            else:
                set_value(item, "history", CommentedSeq([entry]), _FIELD_ORDER)

        _edit_one(doc, model, index, renewed, change)

    _edit(path, shown, False, renew)


def close_exception(path: Path, exception_id: str, on: date, *, display: str | None = None) -> None:
    """Mark an exception closed (`status: closed`, `closed_on`); it then waives nothing."""
    shown = display or str(path)

    def close(doc: ListDocument, model: ExceptionList) -> None:
        index, current = _find(doc, model, exception_id)
        if current.status == "closed":
            closed = f" on {current.closed_on.isoformat()}" if current.closed_on else ""
            raise InputError(
                f"exception {exception_id!r} is already closed{closed}",
                doc.where(index, "status"),
            )
        closed_waiver = current.model_copy(update={"status": "closed", "closed_on": on})

        def change(item: CommentedMap) -> None:
            set_value(item, "status", "closed", _FIELD_ORDER)
            set_value(item, "closed_on", on, _FIELD_ORDER)

        _edit_one(doc, model, index, closed_waiver, change)

    _edit(path, shown, False, close)


# --- one edit at a time -------------------------------------------------------------------------


def _edit(
    path: Path,
    display: str,
    create: bool,
    apply: Callable[[ListDocument, ExceptionList], None],
) -> None:
    """Read, change and write the file while holding its lock, so no other edit interleaves."""

    def edit(target: Path, exists: bool) -> None:
        if not exists and not create:
            load_exceptions(target, display)  # the error that says the file is missing
            raise CreatedMeanwhile  # it appeared meanwhile: lock it and start again
        doc, model = _open(target, display, new=not exists)
        apply(doc, model)

    under_lock(path, display, edit)


def _open(target: Path, display: str, new: bool) -> tuple[ListDocument, ExceptionList]:
    """The file as it is now (the caller holds its lock), or a new one when `new`."""
    if new:
        text, original = NEW_FILE_TEXT, None
        loaded = parse_yaml(text, display)
        model = validate_exception_list(loaded)
    else:
        model, loaded = load_exceptions(target, display)
        text, original = read_text(target, display, DEFAULT_MAX_BYTES)
        if len(original) != loaded.size or hashlib.sha256(original).hexdigest() != loaded.sha256:
            raise InputError(f"{display} changed while it was being read", Location(path=display))
    return listitem.open_list(SPEC, target, display, text, original, loaded), model


def _find(
    doc: ListDocument, model: ExceptionList, exception_id: str
) -> tuple[int, ExceptionWaiver]:
    for index, waiver in enumerate(model.exceptions):
        if waiver.id == exception_id:
            return index, waiver
    known = [w.id for w in model.exceptions]
    listed = ", ".join(known[:10]) + (f" (+{len(known) - 10} more)" if len(known) > 10 else "")
    raise InputError(
        f"no exception with id {exception_id!r} in {doc.display}",
        Location(path=doc.display),
        hint=f"known ids: {listed}" if known else "the file has no exceptions yet",
    )


def _waiver_node(waiver: ExceptionWaiver, like: CommentedMap | None) -> CommentedMap:
    """A new exception in model key order; lists flow or block like the previous exception's.

    With no previous exception, id lists (`rules`, `models`) flow and the others are blocks.
    """
    node = to_node(waiver.model_dump(exclude_defaults=True))
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


# --- writing ----------------------------------------------------------------------------------


def _edit_one(
    doc: ListDocument,
    model: ExceptionList,
    index: int,
    replacement: ExceptionWaiver,
    change: Callable[[CommentedMap], None],
) -> None:
    item = doc.item(index)
    if item is None or item.get("id") != replacement.id:
        raise InputError(
            f"cannot edit exception {replacement.id!r}: it is not a plain mapping in the file",
            doc.where(index, "id"),
        )
    if shares_nodes(item):
        raise InputError(
            f"exception {replacement.id!r} uses YAML anchors, aliases or merge keys "
            "(`&`, `*`, `<<`), so editing it could change other exceptions too",
            doc.where(index, "id"),
            hint="edit this exception by hand",
        )
    expected = list(model.exceptions)
    expected[index] = replacement
    _commit(doc, model, expected, listitem.edit_item(doc, index, change))


def _commit(
    doc: ListDocument, model: ExceptionList, expected: list[ExceptionWaiver], change: Change
) -> None:
    """Render, splice, check that the result reads back as exactly `expected`, then write."""
    text = listitem.splice(doc, _dump(doc), change)
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
    wanted = model.model_copy(update={"exceptions": expected})
    if result != wanted:
        raise InputError(
            f"refusing to write {doc.display}: the edited file would not read back as intended",
            Location(path=doc.display),
            hint="the file was left unchanged; please report this with the file attached",
        )
    listitem.save(doc, text)


def _dump(doc: ListDocument) -> str:
    """The re-emitted document (a seam the tests replace to play a misbehaving ruamel)."""
    return doc.dump()
