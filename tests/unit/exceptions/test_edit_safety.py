"""The editor's guards: one edit at a time; no write that drops or rewrites a user's line."""

from __future__ import annotations

import fcntl
import hashlib
import os
from datetime import date
from pathlib import Path

import pytest

from govgate.errors import InputError
from govgate.exceptions import edit
from govgate.exceptions.edit import add_exception, close_exception
from govgate.exceptions.model import ExceptionWaiver, load_exceptions
from govgate.yamledit import lock
from govgate.yamledit.text import comments

ONE = """\
# Waivers for credit-risk.
apiVersion: govgate/v1
kind: ExceptionList
exceptions:
  - id: EXC-1
    rules: [DATA-001]
    models: [credit-risk]
    reason: rewrite  # GOV-311
    requested_by: a@x
    expires_on: 2026-12-05
"""


def waiver(exception_id: str = "EXC-NEW") -> ExceptionWaiver:
    return ExceptionWaiver.model_validate(
        {
            "id": exception_id,
            "rules": ["DOC-003"],
            "models": ["credit-risk"],
            "reason": "legal review",
            "compensating_controls": ["interim wording"],
            "requested_by": "alex@example.com",
            "expires_on": "2027-02-01",
        }
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "exceptions.yaml"
    path.write_bytes(text.encode("utf-8"))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the lock ---------------------------------------------------------------------------------


def test_an_edit_waits_for_the_lock_and_gives_up_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, ONE)
    monkeypatch.setattr(lock, "LOCK_TIMEOUT_SECONDS", 0.3)
    holder = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(InputError) as info:
            close_exception(path, "EXC-1", date(2026, 12, 1), display="exceptions.yaml")
    finally:
        os.close(holder)
    assert "is being edited by another process" in info.value.message
    assert "0.3 s" in info.value.message
    assert info.value.location is not None and str(info.value.location) == "exceptions.yaml"
    assert path.read_text("utf-8") == ONE
    close_exception(path, "EXC-1", date(2026, 12, 1))  # released: the next edit goes through
    assert load_exceptions(path, "x")[0].exceptions[0].status == "closed"


def test_a_file_replaced_while_waiting_is_locked_again_before_it_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, ONE)
    with lock.exclusive(path, "x") as held:
        assert held
        replacement = tmp_path / "new.yaml"
        replacement.write_text(ONE.replace("EXC-1", "EXC-2"))
        os.replace(replacement, path)  # what the previous holder's atomic write does
    with lock.exclusive(path, "x") as held:
        assert held
        probe = os.open(path, os.O_RDONLY)  # the file the path names now is the one held
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(probe)
    close_exception(path, "EXC-2", date(2026, 12, 1))
    assert load_exceptions(path, "x")[0].exceptions[0].status == "closed"


def test_a_missing_file_is_not_locked(tmp_path: Path) -> None:
    with lock.exclusive(tmp_path / "none.yaml", "none.yaml") as held:
        assert held is False
    assert list(tmp_path.iterdir()) == []


# --- refusals instead of a rewrite ------------------------------------------------------------


def test_a_dump_that_cannot_be_lined_up_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, ONE)
    render = edit._dump

    def flowing(doc: edit._Document) -> str:  # what a ruamel change of layout would look like
        doc.root["exceptions"].fa.set_flow_style()
        return render(doc)

    monkeypatch.setattr(edit, "_dump", flowing)
    before = digest(path)
    with pytest.raises(InputError) as info:
        close_exception(path, "EXC-1", date(2026, 12, 1), display="exceptions.yaml")
    assert info.value.message.startswith("refusing to edit exceptions.yaml")
    assert info.value.hint is not None and "unchanged" in info.value.hint
    assert digest(path) == before


def test_a_comment_the_dump_would_drop_is_refused_at_its_line(tmp_path: Path) -> None:
    text = ONE.replace("rules: [DATA-001]", "rules: [DATA-001,  # the datasheet\n      MON-001]")
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        close_exception(path, "EXC-1", date(2026, 12, 1), display="exceptions.yaml")
    assert "'# the datasheet'" in info.value.message
    assert str(info.value.location) == "exceptions.yaml:6:24"
    assert path.read_text("utf-8") == text


def test_a_flow_style_list_is_refused_for_add(tmp_path: Path) -> None:
    text = (
        "apiVersion: govgate/v1\nkind: ExceptionList\n"
        "exceptions: [{id: A, rules: [R], models: [m], reason: r, requested_by: x,"
        " expires_on: 2026-12-01}]  # one\n"
    )
    path = write(tmp_path, text)
    with pytest.raises(InputError, match="flow style") as info:
        add_exception(path, waiver(), display="exceptions.yaml")
    assert str(info.value.location) == "exceptions.yaml:3:1"
    assert path.read_text("utf-8") == text


# --- splices that used to re-emit the whole file ----------------------------------------------


def test_the_first_exception_goes_in_without_touching_any_other_line(tmp_path: Path) -> None:
    text = (
        "# Waivers.\napiVersion:   govgate/v1   # spaced\nkind: ExceptionList\n"
        "exceptions: []  # none yet\n...\n# Reviewed 2026-11-12.\n"
    )
    path = write(tmp_path, text)
    add_exception(path, waiver())
    after = path.read_text("utf-8")
    head = "# Waivers.\napiVersion:   govgate/v1   # spaced\nkind: ExceptionList\n"
    assert after.startswith(head + "exceptions:  # none yet\n  - id: EXC-NEW\n")
    assert after.endswith("    expires_on: 2027-02-01\n...\n# Reviewed 2026-11-12.\n")
    assert load_exceptions(path, "x")[0].exceptions == [waiver()]


def test_a_missing_exceptions_key_is_added_after_the_last_value(tmp_path: Path) -> None:
    text = "apiVersion: govgate/v1\nkind:   ExceptionList  # k\n\n# the end\n"
    path = write(tmp_path, text)
    add_exception(path, waiver())
    after = path.read_text("utf-8")
    assert after.startswith("apiVersion: govgate/v1\nkind:   ExceptionList  # k\nexceptions:\n")
    assert after.endswith("    expires_on: 2027-02-01\n\n# the end\n")
    assert load_exceptions(path, "x")[0].exceptions == [waiver()]


def test_an_edit_before_the_document_end_keeps_what_follows_it(tmp_path: Path) -> None:
    text = ONE + "...\n# signed off by the committee\n"
    path = write(tmp_path, text)
    close_exception(path, "EXC-1", date(2026, 12, 1))
    assert path.read_text("utf-8") == ONE + (
        "    status: closed\n    closed_on: 2026-12-01\n...\n# signed off by the committee\n"
    )


# --- what counts as a comment -----------------------------------------------------------------


def test_comments_are_found_by_the_yaml_scanner_not_by_a_hash_sign() -> None:
    text = (
        "a: b  # one\n"
        "c: 'x # not a comment'\n"
        "d: |\n  # block text, not a comment\n  more\n"
        "e: [1,  # two\n  2]\n"
        "f: g#h\n"
        "# three\n"
    )
    assert comments(text) == [("# one", 1, 7), ("# two", 6, 9), ("# three", 9, 1)]
