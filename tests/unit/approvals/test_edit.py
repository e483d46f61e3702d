"""The approvals-file editor: one entry appended as whole lines, every other byte kept."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from govgate.approvals.edit import NEW_FILE_TEXT, append_approval, load_approval_list
from govgate.approvals.model import ApprovalEntry, ApprovalList, Covers
from govgate.errors import InputError
from govgate.yamlio import parse_yaml

DIGEST = "0123456789" * 6 + "0123"  # all digits: YAML would read it as a number unless quoted
ENTRY = ApprovalEntry(
    role="security",
    by="kim@example.com",
    on=date(2026, 11, 19),
    covers=Covers(
        model="credit-risk", version="7", evidence_digest="ab" * 32, artifacts={"card": DIGEST}
    ),
    ref="SEC-311: reviewed # in the wiki",
)


def read(path: Path) -> ApprovalList:
    return load_approval_list(parse_yaml(path.read_text(encoding="utf-8-sig"), str(path)))


def test_a_missing_file_is_created_with_a_header(tmp_path: Path) -> None:
    path = tmp_path / "governance" / "approvals.yaml"
    appended = append_approval(path, ENTRY, display="governance/approvals.yaml")
    assert appended.created and appended.line == 6
    text = path.read_text()
    assert text.startswith(NEW_FILE_TEXT.removesuffix("approvals: []\n") + "approvals:\n  - role:")
    assert read(path).approvals == [ENTRY]
    assert f"card: '{DIGEST}'" in text  # quoted, so it stays a string


def test_an_empty_list_keeps_its_comment_and_a_missing_key_is_added_before_trailing_comments(
    tmp_path: Path,
) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("apiVersion: govgate/v1\nkind: ApprovalList\napprovals: []  # none yet\n")
    append_approval(empty, ENTRY, display="empty.yaml")
    assert empty.read_text().splitlines()[2:4] == ["approvals:  # none yet", "  - role: security"]
    assert read(empty).approvals == [ENTRY]

    keyless = tmp_path / "keyless.yaml"
    keyless.write_text("apiVersion: govgate/v1\nkind: ApprovalList\n# the end\n")
    append_approval(keyless, ENTRY, display="keyless.yaml")
    lines = keyless.read_text().splitlines()
    assert lines[2] == "approvals:" and lines[-1] == "# the end"
    assert read(keyless).approvals == [ENTRY]


def test_the_new_entry_is_styled_like_the_one_before_it(tmp_path: Path) -> None:
    path = tmp_path / "approvals.yaml"
    path.write_text(
        "apiVersion: govgate/v1\nkind: ApprovalList\napprovals:\n"
        "- role: privacy\n  by: 'sam@example.com'\n  on: 2026-11-19\n"
        '  covers: {model: credit-risk, version: "7"}\n'
        "  ref: |\n    DPIA-0042\n    signed\n"
        "\n# trailing comment\n"
    )
    before = path.read_text()
    appended = append_approval(path, ENTRY, display="approvals.yaml")
    after = path.read_text()
    assert after.startswith(before.split("\n# trailing")[0])
    assert after.endswith("\n# trailing comment\n")
    assert appended.text.startswith("- role: security\n  by: 'kim@example.com'\n")
    assert '  covers: {model: credit-risk, version: "7", evidence_digest: ' in appended.text
    assert [a.role for a in read(path).approvals] == ["privacy", "security"]


def test_crlf_line_breaks_a_bom_and_a_missing_final_newline_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "approvals.yaml"
    text = (
        "apiVersion: govgate/v1\r\nkind: ApprovalList\r\napprovals:\r\n"
        "  - {role: privacy, by: sam@example.com, on: 2026-11-19}"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    append_approval(path, ENTRY, display="approvals.yaml")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + text.encode() + b"\r\n  - role: security\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert [a.role for a in read(path).approvals] == ["privacy", "security"]


def test_a_flow_style_list_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "approvals.yaml"
    original = (
        "apiVersion: govgate/v1\nkind: ApprovalList\n"
        "approvals: [{role: privacy, by: sam@example.com, on: 2026-11-19}]  # keep\n"
    )
    path.write_text(original)
    with pytest.raises(InputError, match="flow style"):
        append_approval(path, ENTRY, display="approvals.yaml")
    assert path.read_text() == original


def test_an_invalid_file_is_reported_with_its_place_and_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "approvals.yaml"
    original = "apiVersion: govgate/v1\nkind: ExceptionList\napprovals: []\n"
    path.write_text(original)
    with pytest.raises(InputError) as raised:
        append_approval(path, ENTRY, display="approvals.yaml")
    assert str(raised.value).startswith("approvals.yaml:2:")
    assert path.read_text() == original


def test_parallel_approvals_queue_and_none_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "approvals.yaml"
    path.write_text("# who signed\napiVersion: govgate/v1\nkind: ApprovalList\napprovals: []\n")
    entries = [ENTRY.model_copy(update={"by": f"p{i}@example.com"}) for i in range(12)]
    errors: list[BaseException] = []

    def add(entry: ApprovalEntry) -> None:
        try:
            append_approval(path, entry, display="approvals.yaml")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(e,)) for e in entries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(a.by for a in read(path).approvals) == sorted(e.by for e in entries)
    assert path.read_text().startswith("# who signed\n")
