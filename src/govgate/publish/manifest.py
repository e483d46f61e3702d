"""`manifest.sha256`: the one file that pins every report file a run wrote, written and read.

Formats are pure functions of the Report and cannot know each other's bytes, so the manifest,
written after them, pins them all. It pins the files the run wrote and only those: a file already
in the folder (left by an earlier run with more formats, or planted, such as a `summary.md` saying
PASS) is never pinned, so it can never read as verified. Its lines are GNU `sha256sum` lines
(`<hex>  <name>`, names with a backslash, newline or carriage return escaped the way coreutils
does), sorted by name in byte order, so `sha256sum -c manifest.sha256` checks the folder as well
as `govgate verify` (verify.py, which reads it with the functions here) does.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from govgate.atomic_write import write_atomic
from govgate.errors import InputError, OutputError
from govgate.location import Location

MANIFEST = "manifest.sha256"

_LINE = re.compile(rb"^(\\?)([0-9a-fA-F]{64}) [ *](.+)$", re.DOTALL)


def write_manifest(directory: Path, names: Iterable[str] | None = None) -> Path:
    """Write `manifest.sha256` over `names`, files of `directory` (never the manifest itself).

    `write_reports` (publish/reports.py) passes the names of the files it just wrote. Without
    `names`, the manifest pins again what the folder's manifest already pins (so the CLI's call
    after `write_reports` never adds a file the run did not write), or, in a folder without one,
    every regular file in it.
    """
    if names is None:
        names = _pinned(directory) if (directory / MANIFEST).exists() else _all_files(directory)
    lines: list[bytes] = []
    for name in sorted(set(names) - {MANIFEST}, key=os.fsencode):
        try:
            digest = sha256_file(directory / name)
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
    regular, _ = listing(directory, error=OutputError)
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
        parsed = parse_line(line)
        if parsed is None or not safe_name(parsed[1]):
            raise OutputError(
                "not a `<sha256>  <file name>` line", Location(path=str(path), line=number)
            )
        names.append(parsed[1])
    return names


def listing(directory: Path, error: type[InputError | OutputError]) -> tuple[set[str], set[str]]:
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


def sha256_file(path: Path) -> str:
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


def parse_line(line: bytes) -> tuple[str, str] | None:
    """(sha256, name) from one `sha256sum` line, or None when it is not one."""
    match = _LINE.match(line)
    if match is None:
        return None
    escaped, digest, raw = match.groups()
    name = _unescape(raw) if escaped else raw
    if name is None:
        return None
    return digest.decode().lower(), os.fsdecode(name)


def safe_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return bool(name) and name != MANIFEST and not pure.is_absolute() and ".." not in pure.parts
