"""`govgate verify`: recompute every digest a report folder claims (publish/manifest.py writes
the folder's `manifest.sha256`; see there for its format).

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

import json
import os
import re
from pathlib import Path
from typing import Any

from govgate.errors import InputError
from govgate.formats.json import JsonFormat
from govgate.publish.manifest import MANIFEST, listing, parse_line, safe_name, sha256_file

REPORT = JsonFormat.filename

_HEX = re.compile(r"^[0-9a-f]{64}$")


def verify_directory(path: Path) -> list[str]:
    """One line per problem, each starting with the file it is about; empty means verified.

    Raises InputError when the folder itself cannot be read (exit 2 on the command line).
    """
    regular, other = listing(path, error=InputError)
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
        parsed = parse_line(line)
        if parsed is None or not safe_name(parsed[1]):
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
        actual = sha256_file(folder / name)
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
