"""Where a finding points, in the form file-based formats (SARIF, JUnit, Code Quality) need."""

from __future__ import annotations

import hashlib
import re

from govgate.location import Location

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # builtin:baseline, models:/m/1, https://…
DRIVE = re.compile(r"^[A-Za-z]:/")


def file_path(location: Location | None) -> str | None:
    """The path with forward slashes when the location is a file; None for `builtin:…` or a
    URI, which no code view can open."""
    if location is None or _SCHEME.match(location.path):
        return None
    path = location.path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path or None


def is_absolute(path: str) -> bool:
    """`/abs/x` or `C:/x` (after `file_path` turned backslashes into slashes)."""
    return path.startswith("/") or bool(DRIVE.match(path))


def digest(*parts: str) -> str:
    """A stable fingerprint: sha256 of the parts, NUL-separated so no two joins collide."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
