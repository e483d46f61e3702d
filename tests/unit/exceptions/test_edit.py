"""Editing the exceptions file: one exception changes, all else stays; bad edits write nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from govgate.errors import InputError
from govgate.exceptions import edit
from govgate.exceptions.edit import (
    add_exception,
    close_exception,
    renew_exception,
)
from govgate.exceptions.model import ExceptionWaiver, Renewal, load_exceptions

ORIGINAL = """\
# Exceptions for credit-risk.
# Owned by the model risk team; edit with `govgate exceptions`.
apiVersion: govgate/v1
kind: ExceptionList

exceptions:
  # The datasheet rewrite.
  - id: 'EXC-2026-021'
    rules: [DATA-001]
    models: ["credit-risk"]
    reason: >-
      The datasheet is being rewritten for the 2026 data refresh,
      see GOV-311 for the plan.
    compensating_controls:
      - Data lineage reviewed by the data steward  # weekly
    requested_by: "alex@example.com"
    approved_by: 'lead@example.com'
    approved_on: 2026-11-10
    expires_on: 2026-12-05  # hard stop
    ticket: GOV-311

  # Monitoring lands in sprint 48.
  - expires_on: 2026-12-20   # key order is the author's
    id: EXC-2026-014
    models: [credit-risk]
    rules: [MON-001, MON-002]
    reason: 'Drift monitor for the new feature store lands in sprint 48'
    compensating_controls: [Weekly manual drift review by the data science lead]
    requested_by: alex@example.com
    approved_by: "lead@example.com"   # signed in GOV-123
    approved_on: 2026-10-05
    ticket: "GOV-123"

  - id: EXC-2026-030
    rules: [FAIR-002]
    models: [credit-risk]
    versions: '>=7,<9'
    reason: Fairness audit is booked with the external reviewer for January.
    compensating_controls:
      - Manual review of declined applications
    requested_by: sam@example.com
    approved_by: lead@example.com
    approved_on: 2026-11-01
    expires_on: 2027-01-15
    ticket: ~
    history:
      - renewed_on: 2026-11-01
        previous_expires_on: 2026-11-30
        approved_by: lead@example.com
# End of file: keep this comment last.
"""


def write(tmp_path: Path, text: str = ORIGINAL, name: str = "exceptions.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def waiver(exception_id: str = "EXC-2026-040", **changes: object) -> ExceptionWaiver:
    fields: dict[str, object] = {
        "id": exception_id,
        "rules": ["DOC-003"],
        "models": ["credit-risk"],
        "reason": "Model card section 7 waits for the legal review.",
        "compensating_controls": ["Legal signed the interim wording"],
        "requested_by": "alex@example.com",
        "approved_by": "lead@example.com",
        "approved_on": date(2026, 12, 1),
        "expires_on": date(2027, 2, 1),
        "ticket": "GOV-400",
    }
    fields.update(changes)
    return ExceptionWaiver.model_validate(fields)


# --- byte-level round trips -------------------------------------------------------------------


def test_renew_changes_only_the_lines_of_that_exception(tmp_path: Path) -> None:
    path = write(tmp_path)
    renew_exception(
        path,
        "EXC-2026-014",
        new_expires_on=date(2027, 1, 31),
        approved_by="cro@example.com",
        on=date(2026, 12, 15),
        reason="The platform team slipped a sprint.",
    )
    expected = ORIGINAL.replace(
        """\
  - expires_on: 2026-12-20   # key order is the author's
    id: EXC-2026-014
    models: [credit-risk]
    rules: [MON-001, MON-002]
    reason: 'Drift monitor for the new feature store lands in sprint 48'
    compensating_controls: [Weekly manual drift review by the data science lead]
    requested_by: alex@example.com
    approved_by: "lead@example.com"   # signed in GOV-123
    approved_on: 2026-10-05
    ticket: "GOV-123"
""",
        """\
  - expires_on: 2027-01-31   # key order is the author's
    id: EXC-2026-014
    models: [credit-risk]
    rules: [MON-001, MON-002]
    reason: 'Drift monitor for the new feature store lands in sprint 48'
    compensating_controls: [Weekly manual drift review by the data science lead]
    requested_by: alex@example.com
    approved_by: "cro@example.com"    # signed in GOV-123
    approved_on: 2026-12-15
    ticket: "GOV-123"
    history:
      - renewed_on: 2026-12-15
        previous_expires_on: 2026-12-20
        approved_by: cro@example.com
        reason: The platform team slipped a sprint.
""",
    )
    assert expected != ORIGINAL
    assert path.read_bytes().decode("utf-8") == expected


def test_renew_of_the_last_exception_keeps_the_end_of_file_comment_last(tmp_path: Path) -> None:
    path = write(tmp_path)
    renew_exception(path, "EXC-2026-030", date(2027, 3, 31), "cro@example.com", date(2027, 1, 10))
    expected = ORIGINAL.replace(
        """\
    approved_by: lead@example.com
    approved_on: 2026-11-01
    expires_on: 2027-01-15
    ticket: ~
    history:
      - renewed_on: 2026-11-01
        previous_expires_on: 2026-11-30
        approved_by: lead@example.com
# End of file: keep this comment last.
""",
        """\
    approved_by: cro@example.com
    approved_on: 2027-01-10
    expires_on: 2027-03-31
    ticket:
    history:
      - renewed_on: 2026-11-01
        previous_expires_on: 2026-11-30
        approved_by: lead@example.com
      - renewed_on: 2027-01-10
        previous_expires_on: 2027-01-15
        approved_by: cro@example.com
# End of file: keep this comment last.
""",
    )
    assert expected != ORIGINAL
    assert path.read_bytes().decode("utf-8") == expected


def test_close_of_the_first_exception_leaves_the_comment_for_the_next_one_in_place(
    tmp_path: Path,
) -> None:
    path = write(tmp_path)
    close_exception(path, "EXC-2026-021", date(2026, 11, 30))
    expected = ORIGINAL.replace(
        "    ticket: GOV-311\n\n  # Monitoring lands in sprint 48.\n",
        "    ticket: GOV-311\n    status: closed\n    closed_on: 2026-11-30\n\n"
        "  # Monitoring lands in sprint 48.\n",
    )
    assert expected != ORIGINAL
    assert path.read_bytes().decode("utf-8") == expected


def test_add_appends_after_a_blank_line_and_before_the_end_of_file_comment(
    tmp_path: Path,
) -> None:
    path = write(tmp_path)
    add_exception(path, waiver())
    expected = ORIGINAL.replace(
        "# End of file: keep this comment last.\n",
        """\

  - id: EXC-2026-040
    rules: [DOC-003]
    models: [credit-risk]
    reason: Model card section 7 waits for the legal review.
    compensating_controls:
      - Legal signed the interim wording
    requested_by: alex@example.com
    approved_by: lead@example.com
    approved_on: 2026-12-01
    expires_on: 2027-02-01
    ticket: GOV-400
# End of file: keep this comment last.
""",
    )
    assert path.read_bytes().decode("utf-8") == expected
    loaded, _ = load_exceptions(path, "exceptions.yaml")
    assert loaded.exceptions[-1] == waiver()


def test_crlf_bom_and_offset_zero_lists_are_kept(tmp_path: Path) -> None:
    text = (
        "\ufeffapiVersion: govgate/v1\r\nkind: ExceptionList\r\nexceptions:\r\n"
        "- id: A\r\n  rules:\r\n  - R-1\r\n  models: [m]\r\n  reason: r\r\n"
        "  requested_by: x\r\n  expires_on: 2026-12-01\r\n"
        "- id: B\r\n  rules: [R-2]\r\n  models: [m]\r\n  reason:   spaced\r\n"
        "  requested_by: x\r\n  expires_on: 2026-12-01\r\n"
    )
    path = write(tmp_path, text)
    renew_exception(path, "A", date(2027, 1, 1), "cro@example.com", date(2026, 11, 20))
    assert path.read_bytes().decode("utf-8") == text.replace(
        "  expires_on: 2026-12-01\r\n- id: B",
        "  approved_by: cro@example.com\r\n  approved_on: 2026-11-20\r\n"
        "  expires_on: 2027-01-01\r\n  history:\r\n  - renewed_on: 2026-11-20\r\n"
        "    previous_expires_on: 2026-12-01\r\n    approved_by: cro@example.com\r\n- id: B",
    )


def test_file_permissions_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path)
    path.chmod(0o640)
    close_exception(path, "EXC-2026-030", date(2026, 12, 1))
    assert path.stat().st_mode & 0o777 == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name != path.name]  # no temp file left


# --- add ----------------------------------------------------------------------------------------


def test_add_creates_a_missing_file_that_load_exceptions_accepts(tmp_path: Path) -> None:
    path = tmp_path / "governance" / "exceptions.yaml"
    first = waiver(
        history=[
            Renewal.model_validate(
                {
                    "renewed_on": "2026-11-01",
                    "previous_expires_on": "2026-11-30",
                    "approved_by": "a",
                }
            )
        ]
    )
    add_exception(path, first)
    add_exception(path, waiver("EXC-2026-041", ticket=None, versions="7"))
    text = path.read_text("utf-8")
    assert text.startswith("apiVersion: govgate/v1\nkind: ExceptionList\nexceptions:\n  - id: ")
    assert "rules: [DOC-003]" in text and "expires_on: 2027-02-01\n" in text
    assert "'" not in text.split("versions:")[0]  # dates and ids are plain, not quoted strings
    loaded, _ = load_exceptions(path, "exceptions.yaml")
    assert loaded.exceptions == [first, waiver("EXC-2026-041", ticket=None, versions="7")]


def test_add_to_an_empty_list_keeps_the_header(tmp_path: Path) -> None:
    path = write(
        tmp_path, "# Waivers.\napiVersion: govgate/v1\nkind: ExceptionList\nexceptions: []\n"
    )
    add_exception(path, waiver())
    text = path.read_text("utf-8")
    assert text.startswith("# Waivers.\napiVersion: govgate/v1\nkind: ExceptionList\nexceptions:\n")
    assert load_exceptions(path, "x")[0].exceptions == [waiver()]


def test_add_refuses_a_duplicate_id_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path)
    with pytest.raises(InputError) as info:
        add_exception(path, waiver("EXC-2026-014"))
    assert "'EXC-2026-014' already exists" in info.value.message
    assert info.value.location is not None and info.value.location.line == 24
    assert path.read_bytes() == ORIGINAL.encode()


def test_add_refuses_an_empty_reason_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path)
    with pytest.raises(InputError, match="has no reason"):
        add_exception(path, waiver(reason="  "))
    assert path.read_bytes() == ORIGINAL.encode()


def test_add_refuses_a_waiver_the_model_rejects_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path)
    broken = ExceptionWaiver.model_construct(**{**waiver().__dict__, "rules": []})
    with pytest.raises(InputError) as info:
        add_exception(path, broken)
    assert "refusing to write" in info.value.message
    assert "exceptions[3].rules" in info.value.message
    assert path.read_bytes() == ORIGINAL.encode()


def test_add_does_not_create_a_file_it_refuses(tmp_path: Path) -> None:
    path = tmp_path / "exceptions.yaml"
    broken = ExceptionWaiver.model_construct(**{**waiver().__dict__, "versions": "soon"})
    with pytest.raises(InputError, match="refusing to write"):
        add_exception(path, broken)
    assert not path.exists()


def test_new_strings_that_yaml_1_1_would_misread_are_quoted(tmp_path: Path) -> None:
    path = write(tmp_path)
    add_exception(path, waiver(ticket="1_000", requested_by="no"))
    renew_exception(path, "EXC-2026-040", date(2027, 3, 1), "yes", date(2027, 1, 5), reason="on")
    text = path.read_text("utf-8")
    assert "ticket: '1_000'" in text and "approved_by: 'yes'" in text
    loaded, _ = load_exceptions(path, "x")
    assert loaded.exceptions[-1].approved_by == "yes"
    assert loaded.exceptions[-1].history[-1].reason == "on"


# --- renew --------------------------------------------------------------------------------------


def test_renew_refuses_past_max_renewals_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path)
    with pytest.raises(InputError) as info:
        renew_exception(
            path,
            "EXC-2026-030",
            date(2027, 3, 1),
            "cro@example.com",
            date(2027, 1, 5),
            max_renewals=1,
        )
    assert "renewed 1 time;" in info.value.message
    assert "max_renewals allows 1" in info.value.message
    assert path.read_bytes() == ORIGINAL.encode()


def test_renew_within_max_renewals_is_allowed(tmp_path: Path) -> None:
    path = write(tmp_path)
    renew_exception(
        path, "EXC-2026-030", date(2027, 3, 1), "cro@example.com", date(2027, 1, 5), max_renewals=2
    )
    assert [len(w.history) for w in load_exceptions(path, "x")[0].exceptions] == [0, 0, 2]


@pytest.mark.parametrize("new_expiry", [date(2026, 12, 20), date(2026, 12, 19)])
def test_renew_refuses_an_expiry_not_after_the_current_one(
    tmp_path: Path, new_expiry: date
) -> None:
    path = write(tmp_path)
    with pytest.raises(InputError, match="is not after the current expiry 2026-12-20"):
        renew_exception(path, "EXC-2026-014", new_expiry, "cro@example.com", date(2026, 12, 1))
    assert path.read_bytes() == ORIGINAL.encode()


def test_renew_refuses_an_expiry_already_past_on_the_renewal_day(tmp_path: Path) -> None:
    path = write(tmp_path)
    with pytest.raises(InputError, match="would already be expired"):
        renew_exception(path, "EXC-2026-014", date(2027, 1, 1), "cro@example.com", date(2027, 1, 1))
    assert path.read_bytes() == ORIGINAL.encode()


def test_renew_refuses_unknown_and_closed_exceptions(tmp_path: Path) -> None:
    path = write(tmp_path)
    with pytest.raises(InputError) as info:
        renew_exception(path, "EXC-0000", date(2027, 3, 1), "cro@example.com", date(2027, 1, 5))
    assert "no exception with id 'EXC-0000'" in info.value.message
    assert info.value.hint is not None and "EXC-2026-014" in info.value.hint
    close_exception(path, "EXC-2026-014", date(2026, 12, 1))
    closed = path.read_bytes()
    with pytest.raises(InputError, match="is closed and cannot be renewed"):
        renew_exception(path, "EXC-2026-014", date(2027, 3, 1), "cro@example.com", date(2027, 1, 5))
    assert path.read_bytes() == closed


def test_a_renewal_that_would_write_invalid_data_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path)
    render = edit._dump

    def corrupting(doc: edit._Document) -> str:  # what a ruamel bug would look like
        return render(doc).replace("previous_expires_on: 2026-12-20", "previous_expires_on: soon")

    monkeypatch.setattr(edit, "_dump", corrupting)
    with pytest.raises(InputError) as info:
        renew_exception(
            path, "EXC-2026-014", date(2027, 1, 31), "cro@example.com", date(2026, 12, 1)
        )
    assert "refusing to write" in info.value.message
    assert "exceptions[1].history[0].previous_expires_on" in info.value.message
    assert path.read_bytes() == ORIGINAL.encode()


def test_an_exception_sharing_yaml_anchors_is_not_edited(tmp_path: Path) -> None:
    text = ORIGINAL.replace("rules: [DATA-001]", "rules: &data [DATA-001]").replace(
        "rules: [FAIR-002]", "rules: *data"
    )
    path = write(tmp_path, text)
    with pytest.raises(InputError, match="anchors, aliases or merge keys"):
        close_exception(path, "EXC-2026-021", date(2026, 12, 1))
    assert path.read_bytes() == text.encode()


def test_an_edit_refuses_when_the_file_changed_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path)
    render = edit._dump

    def racing(doc: edit._Document) -> str:
        path.write_text(ORIGINAL + "# someone else\n", "utf-8")
        return render(doc)

    monkeypatch.setattr(edit, "_dump", racing)
    with pytest.raises(InputError, match="changed on disk"):
        close_exception(path, "EXC-2026-014", date(2026, 12, 1))
    assert path.read_text("utf-8") == ORIGINAL + "# someone else\n"


# --- close and list -----------------------------------------------------------------------------


def test_close_then_list_shows_closed(tmp_path: Path) -> None:
    path = write(tmp_path)
    close_exception(path, "EXC-2026-014", date(2026, 12, 1))
    loaded, _ = load_exceptions(path, "x")
    assert [w.status for w in loaded.exceptions] == ["active", "closed", "active"]
    assert loaded.exceptions[1].closed_on == date(2026, 12, 1)
    with pytest.raises(InputError, match="already closed on 2026-12-01"):
        close_exception(path, "EXC-2026-014", date(2026, 12, 2))


def test_close_refuses_an_unknown_id(tmp_path: Path) -> None:
    path = write(tmp_path)
    with pytest.raises(InputError, match="no exception with id 'NOPE'"):
        close_exception(path, "NOPE", date(2026, 12, 1))
    assert path.read_bytes() == ORIGINAL.encode()


def test_editing_an_invalid_file_reports_its_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, ORIGINAL.replace("approved_on: 2026-10-05", "approved_on: someday"))
    with pytest.raises(InputError) as info:
        close_exception(path, "EXC-2026-021", date(2026, 12, 1))
    assert info.value.location is not None and info.value.location.line == 31
