"""Before a release is built: the tag names the package's version, and the GitLab template
installs that same version by default, so a tag can never publish a template that installs
another release.

    python scripts/check_release.py v0.1.0

Exit status: 0 when they agree; 1 with one line saying what differs and how to fix it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_INIT = ROOT / "src" / "govgate" / "__init__.py"
TEMPLATE = ROOT / ".gitlab-ci-template.yml"


def package_version(path: Path = PACKAGE_INIT) -> str:
    """`__version__` of govgate/__init__.py, where pyproject's dynamic version comes from."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["__version__"]
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise SystemExit(f"{path}: no __version__ = '...' line")


def problems(tag: str, root: Path = ROOT) -> list[str]:
    version = package_version(root / "src" / "govgate" / "__init__.py")
    found: list[str] = []
    if tag != f"v{version}":
        found.append(
            f"tag {tag} is not v{version}, the package version "
            f"(set __version__ in src/govgate/__init__.py, or tag v{version})"
        )
    template = yaml.safe_load((root / ".gitlab-ci-template.yml").read_text(encoding="utf-8"))
    default = template["variables"]["GOVGATE_VERSION"]
    if default != f"govgate=={version}":
        found.append(
            f".gitlab-ci-template.yml installs {default!r} by default, not govgate=={version} "
            "(set GOVGATE_VERSION there to the release)"
        )
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: check_release.py TAG", file=sys.stderr)
        return 2
    found = problems(argv[0])
    for problem in found:
        print(f"check_release: {problem}", file=sys.stderr)
    if not found:
        print(f"check_release: {argv[0]} is the package version and the template's default")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
