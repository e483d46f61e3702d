"""Pin a report folder with `manifest.sha256` and recompute every digest the folder claims.

`write_manifest` runs after every format is written: formats are pure functions of the Report
and cannot know each other's bytes, so the manifest is the one file that pins them all. It pins
the files the run wrote and only those: a file already in the folder (left by an earlier run
with more formats, or planted, such as a `summary.md` saying PASS) is never pinned, so it can
never read as verified. Its lines are GNU `sha256sum` lines (`<hex>  <name>`, names with a
backslash, newline or carriage return escaped the way coreutils does), sorted by name in byte
order, so `sha256sum -c manifest.sha256` checks the folder as well as `govgate verify` does.

`verify_directory` recomputes every digest the folder makes a claim about:

- each file the manifest lists must exist and have the listed sha256; no file may be unlisted
  (a file the manifest does not pin is a problem, never silently accepted: exit 1);
- the attestation's subjects that name a file of the folder (`report.json`) must match it;
- each report input with a sha256 must be an attestation subject with the same digest;
- when report.json is there too, the attestation's predicate must equal its content.

The manifest detects any change to the folder but, unsigned, not a forger who rewrites it too:
signing the attestation (which pins report.json) is what makes the folder tamper-evident.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from govgate.atomic_write import write_atomic
from govgate.errors import InputError, OutputError
from govgate.formats.json import JsonFormat
from govgate.location import Location

MANIFEST = "manifest.sha256"
REPORT = JsonFormat.filename

_LINE = re.compile(rb"^(\\?)([0-9a-fA-F]{64}) [ *](.+)$", re.DOTALL)
_HEX = re.compile(r"^[0-9a-f]{64}$")


def write_manifest(directory: Path, names: Iterable[str] | None = None) -> Path:
    """Write `manifest.sha256` over `names`, files of `directory` (never the manifest itself).

    `publish.files.write_reports` passes the names of the files it just wrote. Without `names`,
    the manifest pins again what the folder's manifest already pins (so the CLI's call after
    `write_reports` never adds a file the run did not write), or, in a folder without one,
    every regular file in it.
    """
    if names is None:
        names = _pinned(directory) if (directory / MANIFEST).exists() else _all_files(directory)
    lines: list[bytes] = []
    for name in sorted(set(names) - {MANIFEST}, key=os.fsencode):
        try:
            digest = _sha256(directory / name)
        except OSError as exc:
            raise OutputError(
                f"cannot read {directory / name}: {exc.strerror or exc}",
                Location(path=str(directory / name)),
            ) from None
        lines.append(_manifest_line(digest, name))
    path = directory / MANIFEST
    try:
        write_atomic(path, b"".join(lines))
    except OSError as exc:
        raise OutputError(
            f"cannot write {path}: {exc.strerror or exc}", Location(path=str(path))
        ) from None
    return path


def _all_files(directory: Path) -> set[str]:
    regular, _ = _listing(directory, error=OutputError)
    return regular


def _pinned(directory: Path) -> list[str]:
    """The names `directory`'s manifest lists; a line that is not a manifest line is an error."""
    path = directory / MANIFEST
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise OutputError(
            f"cannot read {path}: {exc.strerror or exc}", Location(path=str(path))
        ) from None
    names: list[str] = []
    lines = content.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        parsed = _parse_line(line)
        if parsed is None or not _safe(parsed[1]):
            raise OutputError(
                "not a `<sha256>  <file name>` line", Location(path=str(path), line=number)
            )
        names.append(parsed[1])
    return names


def verify_directory(path: Path) -> list[str]:
    """One line per problem, each starting with the file it is about; empty means verified.

    Raises InputError when the folder itself cannot be read (exit 2 on the command line).
    """
    regular, other = _listing(path, error=InputError)
    problems: list[str] = []
    listed = _check_manifest(path, regular, other, problems)
    for name in sorted([*regular, *other], key=os.fsencode):
        if name not in listed:
            problems.append(f"{name}: not listed in {MANIFEST}")
    for name in sorted(other, key=os.fsencode):
        problems.append(f"{name}: not a regular file")
    from govgate.formats.attestation import AttestationFormat  # not on the check path

    # An attestation the manifest does not pin (left by an earlier run) is reported as unlisted
    # above; its claims about this run's files would only read as tampering that is not there.
    attestation = AttestationFormat.filename
    if attestation in regular and (attestation in listed or not listed):
        _check_attestation(path, regular, problems)
    # One line per problem, even for a file name with a line break in it.
    lines = (p.replace("\r", "\\r").replace("\n", "\\n") for p in problems)
    return list(dict.fromkeys(lines))


def _listing(directory: Path, error: type[InputError | OutputError]) -> tuple[set[str], set[str]]:
    """Regular files and anything else (fifos, sockets, links to folders), by relative name."""
    if not directory.is_dir():
        raise error(f"{directory} is not a folder")

    def fail(exc: OSError) -> None:
        raise error(f"cannot read {exc.filename or directory}: {exc.strerror or exc}")

    regular: set[str] = set()
    other: set[str] = set()
    for root, dirs, files in os.walk(directory, onerror=fail):
        # A link to a folder is not walked into: it is reported, never silently skipped.
        other.update(
            Path(root, d).relative_to(directory).as_posix()
            for d in dirs
            if Path(root, d).is_symlink()
        )
        for file in files:
            full = Path(root, file)
            name = full.relative_to(directory).as_posix()
            if name == MANIFEST:
                continue
            try:
                mode = full.stat().st_mode
            except OSError:
                mode = 0
            (regular if stat.S_ISREG(mode) else other).add(name)
    return regular, other


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest_line(digest: str, name: str) -> bytes:
    raw = os.fsencode(name)
    if not any(c in raw for c in b"\\\n\r"):
        return digest.encode() + b"  " + raw + b"\n"
    escaped = raw.replace(b"\\", b"\\\\").replace(b"\n", b"\\n").replace(b"\r", b"\\r")
    return b"\\" + digest.encode() + b"  " + escaped + b"\n"


def _unescape(raw: bytes) -> bytes | None:
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i : i + 1] != b"\\":
            out += raw[i : i + 1]
            i += 1
            continue
        code = {b"\\": b"\\", b"n": b"\n", b"r": b"\r"}.get(raw[i + 1 : i + 2])
        if code is None:
            return None
        out += code
        i += 2
    return bytes(out)


def _parse_line(line: bytes) -> tuple[str, str] | None:
    """(sha256, name) from one `sha256sum` line, or None when it is not one."""
    match = _LINE.match(line)
    if match is None:
        return None
    escaped, digest, raw = match.groups()
    name = _unescape(raw) if escaped else raw
    if name is None:
        return None
    return digest.decode().lower(), os.fsdecode(name)


def _safe(name: str) -> bool:
    pure = PurePosixPath(name)
    return bool(name) and name != MANIFEST and not pure.is_absolute() and ".." not in pure.parts


def _check_manifest(
    path: Path, regular: set[str], other: set[str], problems: list[str]
) -> set[str]:
    """Check each listed file; return the names the manifest lists."""
    try:
        content = (path / MANIFEST).read_bytes()
    except FileNotFoundError:
        problems.append(f"{MANIFEST}: missing, so nothing pins the files of this folder")
        return set()
    except OSError as exc:
        problems.append(f"{MANIFEST}: cannot be read: {exc.strerror or exc}")
        return set()
    listed: set[str] = set()
    lines = content.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    else:
        problems.append(f"{MANIFEST}: does not end with a newline")
    for number, line in enumerate(lines, start=1):
        parsed = _parse_line(line)
        if parsed is None or not _safe(parsed[1]):
            problems.append(f"{MANIFEST}:{number}: not a `<sha256>  <file name>` line")
            continue
        claimed, name = parsed
        if name in listed:
            problems.append(f"{MANIFEST}:{number}: {name} is listed twice")
            continue
        listed.add(name)
        if name in other:
            continue  # reported once, as not a regular file
        if name not in regular:
            problems.append(f"{name}: listed in {MANIFEST} (line {number}) but missing")
            continue
        _compare(path, name, claimed, f"{MANIFEST} line {number}", problems)
    return listed


def _compare(folder: Path, name: str, claimed: str, source: str, problems: list[str]) -> None:
    """One file's sha256 against what `source` claims; a mismatch or unreadable file is noted."""
    try:
        actual = _sha256(folder / name)
    except OSError as exc:
        problems.append(f"{name}: cannot be read: {exc.strerror or exc}")
        return
    if actual != claimed:
        problems.append(f"{name}: sha256 is {actual}, {source} says {claimed}")


def _check_attestation(path: Path, regular: set[str], problems: list[str]) -> None:
    from govgate.formats.attestation import STATEMENT_TYPE, AttestationFormat

    ATTESTATION = AttestationFormat.filename
    statement = _load_json(path / ATTESTATION, ATTESTATION, problems)
    if not isinstance(statement, dict):
        if statement is not None:
            problems.append(f"{ATTESTATION}: not a JSON object")
        return
    if statement.get("_type") != STATEMENT_TYPE:
        problems.append(f"{ATTESTATION}: _type is not {STATEMENT_TYPE}")
    subjects = statement.get("subject")
    if not isinstance(subjects, list) or not subjects:
        problems.append(f"{ATTESTATION}: subject is not a non-empty list")
        subjects = []
    claims: dict[str, Any] = {}
    for subject in subjects:
        if isinstance(subject, dict) and isinstance(subject.get("name"), str):
            claims.setdefault(subject["name"], subject.get("digest"))
    for name, digest in claims.items():
        if name not in regular:
            continue
        claimed = digest.get("sha256") if isinstance(digest, dict) else None
        if not isinstance(claimed, str) or not _HEX.match(claimed):
            problems.append(f"{ATTESTATION}: subject {name} has no sha256 digest")
            continue
        _compare(path, name, claimed, f"{ATTESTATION} subject", problems)
    predicate = statement.get("predicate")
    _check_inputs(predicate, claims, problems)
    if REPORT in regular:
        report = _load_json(path / REPORT, REPORT, problems)
        if report is not None and report != predicate:
            problems.append(f"{ATTESTATION}: predicate differs from {REPORT}")


def _check_inputs(predicate: Any, claims: dict[str, Any], problems: list[str]) -> None:
    """Each input the report pinned must be a subject with the same sha256."""
    from govgate.formats.attestation import AttestationFormat

    ATTESTATION = AttestationFormat.filename
    inputs = predicate.get("inputs") if isinstance(predicate, dict) else None
    if not isinstance(inputs, list):
        problems.append(f"{ATTESTATION}: predicate has no inputs list")
        return
    for item in inputs:
        if not isinstance(item, dict) or not item.get("sha256"):
            continue
        name = f"{item.get('kind')}:{item.get('location')}"
        digest = claims.get(name)
        claimed = digest.get("sha256") if isinstance(digest, dict) else None
        if claimed != item["sha256"]:
            problems.append(
                f"{ATTESTATION}: subject {name} does not carry the input's sha256 {item['sha256']}"
            )


def _load_json(path: Path, name: str, problems: list[str]) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        problems.append(f"{name}: cannot be read: {exc.strerror or exc}")
    except (UnicodeDecodeError, ValueError) as exc:
        problems.append(f"{name}: not valid JSON: {exc}")
    return None
