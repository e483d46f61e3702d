"""`verify_directory` on a real output folder: a one-byte change, an added or removed file."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from govgate.errors import InputError
from govgate.formats.attestation import AttestationFormat
from govgate.formats.json import JsonFormat
from govgate.formats.markdown import MarkdownFormat
from govgate.publish.manifest import MANIFEST, write_manifest
from govgate.publish.reports import write_reports
from govgate.verify import verify_directory
from tests.unit.formats2.test_markdown_summary import gate_report

FILES = ["attestation.intoto.json", MANIFEST, "report.json", "summary.md"]
SHA256SUM = shutil.which("sha256sum")
needs_coreutils = pytest.mark.skipif(SHA256SUM is None, reason="coreutils sha256sum not found")


@pytest.fixture
def out(make_repo: Callable[..., Path], tmp_path: Path) -> Path:
    """What `govgate check --format json,markdown,attestation` leaves, then the manifest."""
    report = gate_report(make_repo, "fail")
    folder = tmp_path / "out"
    formats = [JsonFormat(), MarkdownFormat(), AttestationFormat()]
    write_reports(report, formats, folder)
    assert write_manifest(folder) == folder / MANIFEST
    return folder


def flip(path: Path, offset: int) -> bytes:
    """Flip the lowest bit of one byte; return the original content."""
    original = path.read_bytes()
    changed = bytearray(original)
    changed[offset] ^= 0x01
    path.write_bytes(bytes(changed))
    return original


def test_an_untouched_folder_verifies_clean(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == FILES
    assert verify_directory(out) == []


def test_manifest_lists_every_other_file_sorted_in_sha256sum_format(out: Path) -> None:
    lines = (out / MANIFEST).read_text().splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == [f for f in FILES if f != MANIFEST]
    assert all(len(line.split("  ", 1)[0]) == 64 for line in lines)


@pytest.mark.parametrize("name", FILES)
def test_a_one_byte_change_anywhere_in_any_file_is_reported_by_name(out: Path, name: str) -> None:
    path = out / name
    size = path.stat().st_size
    offsets = {0, 1, size // 2, size - 2, size - 1, *random.Random(name).sample(range(size), 25)}
    if name == MANIFEST:
        offsets = set(range(size))  # small: every byte
    for offset in sorted(offsets):
        original = flip(path, offset)
        problems = verify_directory(out)
        assert problems, f"{name}: flipping byte {offset} went unnoticed"
        if name == MANIFEST:
            assert any(MANIFEST in p for p in problems), (offset, problems)
        else:
            assert any(p.startswith(f"{name}: ") for p in problems), (offset, problems)
        path.write_bytes(original)
    assert verify_directory(out) == []


def test_an_added_file_is_reported(out: Path) -> None:
    (out / "extra.txt").write_text("hello\n")
    (out / "sub").mkdir()
    (out / "sub" / ".hidden").write_text("x")
    assert verify_directory(out) == [
        f"extra.txt: not listed in {MANIFEST}",
        f"sub/.hidden: not listed in {MANIFEST}",
    ]


@pytest.mark.parametrize("name", [f for f in FILES if f != MANIFEST])
def test_a_removed_file_is_reported(out: Path, name: str) -> None:
    (out / name).unlink()
    problems = verify_directory(out)
    assert any(p.startswith(f"{name}: listed in {MANIFEST}") for p in problems), problems


def test_a_missing_manifest_is_reported(out: Path) -> None:
    (out / MANIFEST).unlink()
    problems = verify_directory(out)
    assert problems[0].startswith(f"{MANIFEST}: missing")
    assert {p.split(":")[0] for p in problems[1:]} == {f for f in FILES if f != MANIFEST}


def test_the_attestation_is_checked_even_when_the_manifest_is_rewritten(out: Path) -> None:
    """Someone who edits a file and re-runs write_manifest still trips the attestation."""
    report = out / "report.json"
    document = json.loads(report.read_text())
    document["verdict"] = "pass"
    report.write_text(json.dumps(document, indent=2) + "\n")
    write_manifest(out)
    problems = verify_directory(out)
    assert any(p.startswith("report.json: sha256 is") and "subject says" in p for p in problems)
    assert "attestation.intoto.json: predicate differs from report.json" in problems


def test_a_subject_that_lost_its_inputs_digest_is_reported(out: Path) -> None:
    path = out / "attestation.intoto.json"
    statement = json.loads(path.read_text())
    subject = next(s for s in statement["subject"] if s["name"].startswith("artifact:"))
    subject["digest"]["sha256"] = "0" * 64
    path.write_text(json.dumps(statement, indent=2) + "\n")
    write_manifest(out)
    problems = verify_directory(out)
    assert problems == [
        f"attestation.intoto.json: subject {subject['name']} does not carry the input's sha256 "
        + next(
            i["sha256"]
            for i in statement["predicate"]["inputs"]
            if f"{i['kind']}:{i['location']}" == subject["name"]
        )
    ]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (b"zz  report.json\n", f"{MANIFEST}:4: not a `<sha256>  <file name>` line"),
        (b"0" * 64 + b"  ../etc/passwd\n", f"{MANIFEST}:4: not a `<sha256>  <file name>` line"),
        (b"0" * 64 + b"  /etc/passwd\n", f"{MANIFEST}:4: not a `<sha256>  <file name>` line"),
        (
            b"0" * 64 + b"  " + MANIFEST.encode() + b"\n",
            f"{MANIFEST}:4: not a `<sha256>  <file name>` line",
        ),
        (b"0" * 64 + b"  summary.md\n", f"{MANIFEST}:4: summary.md is listed twice"),
        (b"0" * 64 + b"  gone.txt\n", f"gone.txt: listed in {MANIFEST} (line 4) but missing"),
    ],
)
def test_a_bad_manifest_line_is_reported(out: Path, line: bytes, problem: str) -> None:
    with (out / MANIFEST).open("ab") as handle:
        handle.write(line)
    assert verify_directory(out) == [problem]


def test_a_folder_that_cannot_be_read_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a folder"):
        verify_directory(tmp_path / "absent")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="is not a folder"):
        verify_directory(tmp_path / "file")


def test_an_unreadable_folder_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads every folder, so the walk's error is stood in for."""

    def walk(
        top: Path, onerror: Callable[[OSError], None]
    ) -> list[tuple[str, list[str], list[str]]]:
        onerror(PermissionError(13, "Permission denied", str(top)))
        return []

    monkeypatch.setattr("govgate.verify.os.walk", walk)
    with pytest.raises(InputError, match=f"cannot read {tmp_path}: Permission denied"):
        verify_directory(tmp_path)


def test_a_fifo_or_a_linked_folder_is_not_read_but_reported(out: Path, tmp_path: Path) -> None:
    os.mkfifo(out / "pipe")
    (tmp_path / "elsewhere").mkdir()
    (out / "linked").symlink_to(tmp_path / "elsewhere")
    write_manifest(out)
    assert verify_directory(out) == [
        f"linked: not listed in {MANIFEST}",
        f"pipe: not listed in {MANIFEST}",
        "linked: not a regular file",
        "pipe: not a regular file",
    ]


# --- interoperability with GNU coreutils --------------------------------------------------


def sha256sum(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    assert SHA256SUM is not None
    return subprocess.run(
        [SHA256SUM, *args], cwd=folder, capture_output=True, env={"LC_ALL": "C"}, check=False
    )


@needs_coreutils
def test_sha256sum_checks_the_manifest_and_catches_a_change(out: Path) -> None:
    run = sha256sum(out, "--check", "--strict", MANIFEST)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.decode().splitlines() == [f"{name}: OK" for name in FILES if name != MANIFEST]
    original = flip(out / "summary.md", 10)
    run = sha256sum(out, "--check", "--strict", MANIFEST)
    assert run.returncode == 1 and b"summary.md: FAILED" in run.stdout
    (out / "summary.md").write_bytes(original)


@needs_coreutils
def test_manifest_is_byte_for_byte_what_sha256sum_writes(out: Path) -> None:
    names = [name for name in FILES if name != MANIFEST]
    assert sha256sum(out, *names).stdout == (out / MANIFEST).read_bytes()


@needs_coreutils
def test_awkward_file_names_round_trip_through_sha256sum(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    names = [
        b"back\\slash",
        b"new\nline",
        b"carriage\rreturn",
        b"sp ace",
        b"-dash",
        b"latin\xff",
        b"latin\xef\xbc\x81",
    ]
    for i, raw in enumerate(names):
        (folder / os.fsdecode(raw)).write_bytes(b"content %d\n" % i)
    (folder / "nested").mkdir()
    (folder / "nested" / "deep.txt").write_text("deep\n")
    write_manifest(folder)
    assert verify_directory(folder) == []
    listing = sorted([*names, b"nested/deep.txt"])
    expected = sha256sum(folder, "--", *(os.fsdecode(n) for n in listing)).stdout
    assert (folder / MANIFEST).read_bytes() == expected
    run = sha256sum(folder, "--check", "--strict", MANIFEST)
    assert run.returncode == 0, run.stdout + run.stderr
    target = folder / os.fsdecode(b"new\nline")
    flip(target, 0)
    problems = verify_directory(folder)
    assert len(problems) == 1 and problems[0].startswith("new\\nline: sha256 is")
