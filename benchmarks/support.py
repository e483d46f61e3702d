"""Shared benchmark plumbing: a real git repo to check, subprocess environments, machine facts."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Path("examples") / "credit-risk"
GIT_IDENTITY = (
    "-c",
    "user.name=govgate-bench",
    "-c",
    "user.email=bench@example.invalid",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "init.defaultBranch=main",
)
# Variables that would change what a check does (a registry lookup) or how Python reports on it.
_DROPPED_PREFIXES = ("MLFLOW_", "DATABRICKS_", "PYTHONPROFILEIMPORTTIME", "PYTHONPATH")


class BenchError(RuntimeError):
    """A measured command failed, so its timings would describe something else."""


def venv_bin() -> Path:
    """The bin folder of the interpreter running the benchmarks (the project venv)."""
    return Path(sys.executable).parent


def git(*args: str, cwd: Path) -> str:
    proc = subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise BenchError(f"git {' '.join(args)} failed in {cwd}: {proc.stderr.strip()}")
    return proc.stdout


def make_repo(tree: Path, dest: Path) -> Path:
    """The credit-risk example, committed to a fresh git repository, so git facts are real."""
    source = tree / EXAMPLE
    if not source.is_dir():
        raise BenchError(f"example folder {source} does not exist")
    repo = dest / "credit-risk"
    shutil.copytree(source, repo)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "benchmark fixture", cwd=repo)
    return reapprove(repo)


def reapprove(repo: Path) -> Path:
    """Each of the example's sign-offs given again with `govgate approve` and committed by its
    approver, as the demo does: an approvals entry counts only as its approver's own commit."""
    from govgate.approvals.approve import ApproveOptions, approve
    from govgate.yamlio import parse_yaml  # YAML 1.2: `on:` is a key, not a boolean

    approvals = repo / "governance" / "approvals.yaml"
    entries = parse_yaml(approvals.read_text(encoding="utf-8"), str(approvals)).data["approvals"]
    git("rm", "-q", str(approvals.relative_to(repo)), cwd=repo)
    git("commit", "-qm", "approvals given again by their approvers", cwd=repo)
    for entry in entries:
        approve(
            ApproveOptions(
                role=entry["role"], by=entry["by"], on=entry["on"], ref=entry.get("ref"),
                repo=repo, env={},
            )
        )  # fmt: skip
        by = str(entry["by"])
        git("add", str(approvals.relative_to(repo)), cwd=repo)
        git("-c", f"user.name={by}", "-c", f"user.email={by}", "commit", "-qm", by, cwd=repo)
    return repo


def base_env(src: Path | None) -> dict[str, str]:
    """The caller's environment without registry settings; PYTHONPATH=src when one is given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_PREFIXES)}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def cached_env(src: Path | None, pycache: Path) -> dict[str, str]:
    """Bytecode cached in a private folder: how an installed govgate runs after its first run.

    PYTHONPYCACHEPREFIX keeps the .pyc files out of the source tree; the warm-up run fills it.
    """
    env = base_env(src)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def inherited_env(src: Path | None) -> dict[str, str]:
    """The caller's own bytecode settings (e.g. PYTHONDONTWRITEBYTECODE=1 in many containers)."""
    return base_env(src)


def bytecode_setting() -> str:
    """How the caller's environment treats bytecode, for labelling the inherited figures."""
    if os.environ.get("PYTHONPYCACHEPREFIX"):
        return f"PYTHONPYCACHEPREFIX={os.environ['PYTHONPYCACHEPREFIX']}"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return "PYTHONDONTWRITEBYTECODE=1"
    return "default bytecode cache"


def machine() -> dict[str, str | int | None]:
    """What the figures were measured on."""
    cpu_model = None
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    affinity = getattr(os, "sched_getaffinity", None)
    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True, check=False)
    return {
        "cpus": len(affinity(0)) if affinity else os.cpu_count(),
        "cpu_model": cpu_model,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "git": git_version.stdout.strip() or None,
    }


def source(tree: Path) -> dict[str, str | bool | None]:
    """Which govgate was measured: its folder and, in a git checkout, commit and dirty flag."""
    import govgate

    info: dict[str, str | bool | None] = {
        "tree": str(tree),
        "package": str(Path(govgate.__file__).parent),
        "version": getattr(govgate, "__version__", None),
        "commit": None,
        "src_dirty": None,
    }
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=tree, capture_output=True, text=True, check=False
    )
    if head.returncode == 0 and (tree / ".git").exists():
        info["commit"] = head.stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"],
            cwd=tree,
            capture_output=True,
            text=True,
            check=False,
        )
        info["src_dirty"] = bool(status.stdout.strip())
    return info


def use_tree(tree: Path) -> Path | None:
    """Import govgate from TREE/src in this process; None when TREE is the installed checkout."""
    src = (tree / "src").resolve()
    if not (src / "govgate").is_dir():
        raise BenchError(f"{tree} has no src/govgate")
    if tree.resolve() == ROOT:
        return None
    sys.path.insert(0, str(src))
    return src
