"""`govgate init`: a working govgate.yaml, a model card template and a starter pack in a repo,
and on request the CI that runs the gate (a GitHub Actions workflow, a GitLab CI file)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from string import Template

from govgate import __version__
from govgate.config import DEFAULT_CONFIG_NAME
from govgate.errors import InputError
from govgate.schemas import schema_json

_FILES = {
    "govgate.yaml": "govgate.yaml.tmpl",
    "docs/model_card.md": "model_card.md.tmpl",
    "rules/team.yaml": "starter-pack.yaml.tmpl",
    "governance/approvals.yaml": "approvals.yaml.tmpl",
    "governance/exceptions.yaml": "exceptions.yaml.tmpl",
}

# `--ci NAME`: the file that runs the gate there.
CI_FILES = {
    "github": (".github/workflows/govgate.yml", "github-workflow.yml.tmpl"),
    "gitlab": (".gitlab-ci.yml", "gitlab-ci.yml.tmpl"),
}
# Where the action and the template are, until the user points them at their own copy.
ACTION = "your-org/govgate@v1"
GITLAB_PROJECT = "your-group/govgate"
GITLAB_REF = f"v{__version__}"  # the release whose template matches this govgate

# Written beside the files so editors validate and autocomplete them offline.
_SCHEMAS = ("config", "rulepack", "approvals", "exceptions")


def scaffold(
    repo: Path, name: str | None, tier: str, force: bool = False, ci: Sequence[str] = ()
) -> list[tuple[str, Path]]:
    """Create the files; refuses to overwrite any existing one unless forced (all or nothing).
    Returns what was done to each file: created, or updated (.gitignore).

    In a repository that is already set up (it has a govgate.yaml), `ci` adds the CI files only:
    nothing else is written (not even .gitignore), and `force` replaces those CI files, never a
    filled-in card.
    """
    model = name or _model_name(repo.resolve().name)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", model):
        raise InputError(
            f"model name {model!r} is not a valid registered model name",
            hint="pass --name with letters, digits, '.', '_' or '-'",
        )
    ci_files = dict(CI_FILES[system] for system in ci)
    set_up = bool(ci_files) and (repo / DEFAULT_CONFIG_NAME).exists()
    wanted = ci_files if set_up else {**_FILES, **ci_files}
    targets = {repo / rel: template for rel, template in wanted.items()}
    existing = [str(p) for p in targets if p.exists()]
    if existing and not force:
        raise InputError(
            f"refusing to overwrite {', '.join(existing)}",
            hint="remove them or pass --force",
        )
    values = {
        "name": model,
        "tier": tier,
        "action": ACTION,
        "gitlab_project": GITLAB_PROJECT,
        "gitlab_ref": GITLAB_REF,
    }
    rendered = {
        path: Template(_template(name)).substitute(values) for path, name in targets.items()
    }
    for schema in () if set_up else _SCHEMAS:
        rendered[repo / ".govgate" / "schemas" / f"{schema}.schema.json"] = (
            schema_json(schema) + "\n"
        )
    for path, text in rendered.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    made = [("created", path) for path in rendered]
    ignored = None if set_up else _ignore_reports(repo)
    return made + ([ignored] if ignored else [])


REPORT_FOLDER = "govgate-report/"


def _ignore_reports(repo: Path) -> tuple[str, Path] | None:
    """Add the report folder to .gitignore (created if absent, else one line appended, nothing
    else touched); None when it is already there."""
    path = repo / ".gitignore"
    exists = path.is_file()
    text = path.read_text(encoding="utf-8") if exists else ""
    if any(line.strip().strip("/") == REPORT_FOLDER.strip("/") for line in text.splitlines()):
        return None
    separator = "" if not text or text.endswith("\n") else "\n"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{separator}# govgate check writes its reports here\n{REPORT_FOLDER}\n")
    return ("updated" if exists else "created"), path


def _template(name: str) -> str:
    return files("govgate.templates").joinpath(name).read_text(encoding="utf-8")


def _model_name(folder: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", folder).strip("-") or "my-model"
