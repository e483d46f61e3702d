"""Release-ready: the package builds as an sdist and a wheel that pass `twine check`, carries the
licence pyproject declares, and the release workflow publishes a tag only when the tag, the
package and the GitLab template's default install name the same version."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from govgate import __version__
from tests.ci.test_github_action import tool
from tests.conftest import ROOT

RELEASE = ROOT / ".github" / "workflows" / "release.yml"
CHECK = ROOT / "scripts" / "check_release.py"


def run(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_licence_file_is_the_one_pyproject_declares() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text


def test_check_release_accepts_the_tag_of_this_version_only(tmp_path: Path) -> None:
    agreed = run(sys.executable, str(CHECK), f"v{__version__}")
    assert agreed.returncode == 0, agreed.stderr
    other = run(sys.executable, str(CHECK), "v99.0.0")
    assert other.returncode == 1
    assert other.stderr.strip() == (
        f"check_release: tag v99.0.0 is not v{__version__}, the package version (set "
        f"__version__ in src/govgate/__init__.py, or tag v{__version__})"
    )
    # a template left on another release is refused as well
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    (root / "src" / "govgate").mkdir(parents=True)
    shutil.copy2(CHECK, root / "scripts")
    shutil.copy2(ROOT / "src" / "govgate" / "__init__.py", root / "src" / "govgate")
    template = (ROOT / ".gitlab-ci-template.yml").read_text(encoding="utf-8")
    old = template.replace(f'"govgate=={__version__}"', '"govgate==0.0.1"')
    assert old != template
    (root / ".gitlab-ci-template.yml").write_text(old, encoding="utf-8")
    stale = run(sys.executable, str(root / "scripts" / "check_release.py"), f"v{__version__}")
    assert stale.returncode == 1
    assert "installs 'govgate==0.0.1' by default" in stale.stderr


def test_the_release_workflow_lints_clean_and_publishes_without_a_token() -> None:
    for command in (
        [tool("jactionlint"), "--profile", "correctness", f"--shellcheck={tool('shellcheck')}",
         "--no-online", "--no-color", str(RELEASE)],
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(RELEASE)],
    ):  # fmt: skip
        proc = run(*command)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    workflow = yaml.safe_load(RELEASE.read_text(encoding="utf-8"))
    assert workflow[True]["push"] == {"tags": ["v*"]}  # YAML 1.1 reads `on:` as true
    assert workflow["permissions"] == {}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    assert build["permissions"] == {"contents": "read"}
    runs = [step.get("run", "") for step in build["steps"]]
    assert 'python scripts/check_release.py "$TAG"' in runs
    assert any("python -m build" in r for r in runs)
    assert any("twine check --strict" in r for r in runs)
    # only the publishing job may mint an OIDC token, and it hands PyPI no password
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["needs"] == "build"
    (upload,) = [s for s in publish["steps"] if "gh-action-pypi-publish" in s.get("uses", "")]
    assert upload["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "with" not in upload or not {"password", "user"} & set(upload["with"])
    assert "secrets." not in RELEASE.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_sdist_and_the_wheel_build_and_pass_twine_check(tmp_path: Path) -> None:
    built = run(sys.executable, "-m", "build", "--outdir", str(tmp_path), str(ROOT))
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheel = tmp_path / f"govgate-{__version__}-py3-none-any.whl"
    sdist = tmp_path / f"govgate-{__version__}.tar.gz"
    assert wheel.is_file() and sdist.is_file(), sorted(p.name for p in tmp_path.iterdir())
    checked = run(sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"govgate-{__version__}.dist-info/METADATA").decode()
    assert f"govgate-{__version__}.dist-info/licenses/LICENSE" in names
    assert "govgate/templates/gitlab-ci.yml.tmpl" in names and "govgate/py.typed" in names
    assert "License-Expression: Apache-2.0" in metadata
    with tarfile.open(sdist) as archive:
        members = {
            Path(m).relative_to(f"govgate-{__version__}").as_posix()
            for m in archive.getnames()
            if "/" in m
        }
    assert {"LICENSE", "pyproject.toml", "action.yml", ".gitlab-ci-template.yml"} <= members
