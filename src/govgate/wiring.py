"""Governance files at the places govgate names, that govgate.yaml does not wire in.

`govgate init`, the docs and the remediations put approvals in governance/approvals.yaml and
exceptions in governance/exceptions.yaml, but only the file `approvals:` / `exceptions:` names is
read. A file at the usual place with the key unset would be silently ignored ("0 valid"): the
gate says so with a warning, at the file.
"""

from __future__ import annotations

from pathlib import Path

from govgate.config import Config
from govgate.findings import Finding
from govgate.location import Location

RULE_ID = "CONFIG-UNWIRED"
CONVENTIONAL = {
    "approvals": "governance/approvals.yaml",
    "exceptions": "governance/exceptions.yaml",
}
_WHAT = {"approvals": "approvals", "exceptions": "exceptions (waivers)"}


def unwired_files(repo: Path, config: Config) -> list[Finding]:
    """A warning for each conventional governance file whose govgate.yaml key is unset."""
    wired = {"approvals": config.approvals, "exceptions": config.exceptions}
    return [
        Finding(
            rule_id=RULE_ID,
            title="Governance files are read by the gate",
            severity="warning",
            status="warn",
            message=f"{path} exists but govgate.yaml has no `{key}:`, so its {_WHAT[key]} are "
            "ignored",
            remediation=f"Add `{key}: {path}` to govgate.yaml (or remove the file).",
            location=Location(path=path),
        )
        for key, path in CONVENTIONAL.items()
        if wired[key] is None and (repo / path).is_file()
    ]
