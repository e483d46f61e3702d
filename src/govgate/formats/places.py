"""Where a finding points, as a reviewer reads it: `docs/model_card.md, line 37`, not a raw
`path:line:col`, and never a rule pack's own position (`builtin:baseline:190:5`), which says
where the rule is written, not what to open.

When the gate ran in CI, a file of the repository links to that file at the commit checked (the
server is the one the CI run's own URL names); an http(s) location (a registry page) links to
itself. Every other place is plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from govgate.facts import CiFacts
from govgate.location import Location

_PACK_PREFIXES = ("builtin:",)


@dataclass(frozen=True)
class Place:
    label: str
    url: str | None = None


def is_rule_position(location: Location | None) -> bool:
    """The rule's own place in its pack: where the finding comes from, not what is wrong."""
    return location is not None and (
        location.path.startswith(_PACK_PREFIXES) or location.path.endswith((".rego",))
    )


def place(location: Location, ci: CiFacts) -> Place:
    label = location.path
    if location.line is not None:
        label += f", line {location.line}"
        if location.end_line is not None and location.end_line != location.line:
            label += f" to {location.end_line}"
        elif location.column is not None:
            label += f", column {location.column}"
    if location.key_path and location.line is None:
        label += f" at {location.key_path}"
    if location.path.startswith(("https://", "http://")):
        return Place(label, location.path)
    return Place(label, _repo_link(location, ci))


def _repo_link(location: Location, ci: CiFacts) -> str | None:
    path = location.path
    if not ci.repository or not ci.sha or not ci.run_url or not _repo_relative(path):
        return None
    marker = {"github": "/actions/runs/", "gitlab": "/-/pipelines/"}.get(ci.provider)
    if marker is None or marker not in ci.run_url:
        return None
    project = ci.run_url.split(marker, 1)[0]
    if not project.startswith(("https://", "http://")):
        return None
    blob = "/blob/" if ci.provider == "github" else "/-/blob/"
    anchor = f"#L{location.line}" if location.line is not None else ""
    return f"{project}{blob}{quote(ci.sha, safe='')}/{quote(path)}{anchor}"


def _repo_relative(path: str) -> bool:
    if not path or path.startswith(("/", "\\")) or ":" in path or "\\" in path:
        return False
    return ".." not in path.split("/")
