"""Where a cold `govgate check` spends its import time, from `python -X importtime`, per module."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from support import ROOT, BenchError, cached_env, make_repo, use_tree, venv_bin

RUNS = 5
TOP = 8
# Top-level modules grouped by the distribution that ships them.
GROUPS = {
    "pydantic": "pydantic stack",
    "pydantic_core": "pydantic stack",
    "annotated_types": "pydantic stack",
    "typing_extensions": "pydantic stack",
    "typing_inspection": "pydantic stack",
    "govgate": "govgate",
    "markdown_it": "markdown-it-py",
    "mdurl": "markdown-it-py",
    "yaml": "PyYAML",
    "_yaml": "PyYAML",
    "ruamel": "ruamel.yaml",
    "requests": "requests stack",
    "urllib3": "requests stack",
    "charset_normalizer": "requests stack",
    "idna": "requests stack",
    "certifi": "requests stack",
}


# Times, without -X importtime's overhead, the layers a check imports, in the order it needs
# them; a later layer's figure excludes what earlier layers already loaded. It also times the
# creation of dataclasses (generated via exec() in Python 3.11, ~1 ms each on a slow core).
LAYERS_CODE = """
import dataclasses, json, os, time
_process, _dc = dataclasses._process_class, {}
def _timed(cls, *args, **kwargs):
    started = time.perf_counter()
    try:
        return _process(cls, *args, **kwargs)
    finally:
        owner = "govgate" if cls.__module__.startswith("govgate") else "other"
        n, ms = _dc.get(owner, (0, 0.0))
        _dc[owner] = (n + 1, ms + (time.perf_counter() - started) * 1000)
dataclasses._process_class = _timed
marks = [("start", time.perf_counter())]
def mark(name):
    marks.append((name, time.perf_counter()))
import argparse, datetime, difflib, hashlib, pathlib, subprocess, traceback
mark("stdlib modules govgate imports itself")
from pydantic import BaseModel, Field
mark("pydantic: BaseModel, Field (+ pydantic_core, annotated_types)")
class _First(BaseModel):
    x: int
mark("pydantic: first model class (plugin loader imports importlib.metadata)")
import yaml
mark("PyYAML")
import markdown_it
mark("markdown-it-py")
import govgate.cli
govgate.cli.build_parser()
mark("govgate.cli and its argument parser (+ what subcommand modules import)")
import govgate.formats, govgate.formats.terminal, govgate.publish.files
mark("govgate.formats: report, facts, findings, markdown tree")
import govgate.gate
mark("govgate.gate: config and rule-schema models, engine, checks, sources")
layers = [[n, (t - marks[i][1]) * 1000] for i, (n, t) in enumerate(marks[1:])]
print(json.dumps({"layers": layers, "dataclasses": _dc}))
"""


@dataclass(frozen=True)
class Entry:
    """One module's import: self and cumulative microseconds, nesting depth and importer."""

    name: str
    self_us: int
    cumulative_us: int
    depth: int
    parent: str | None


def parse(stderr: str) -> list[Entry]:
    """`import time: self | cumulative | name` lines; children are printed before their parent."""
    rows: list[tuple[str, int, int, int]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        fields = line.removeprefix("import time:").split("|")
        if len(fields) != 3 or not fields[0].strip().isdigit():
            continue  # the header line
        raw = fields[2].rstrip()
        depth = (len(raw) - len(raw.lstrip(" ")) - 1) // 2
        rows.append((raw.strip(), int(fields[0]), int(fields[1]), depth))
    entries: list[Entry] = []
    for i, (name, self_us, cumulative_us, depth) in enumerate(rows):
        parent = next((r[0] for r in rows[i + 1 :] if r[3] == depth - 1), None)
        entries.append(Entry(name, self_us, cumulative_us, depth, parent))
    return entries


def group_of(module: str) -> str:
    top = module.split(".")[0]
    if top in GROUPS:
        return GROUPS[top]
    if top in sys.stdlib_module_names:
        return "stdlib"
    return "other"


@dataclass(frozen=True)
class Profile:
    modules: dict[str, Entry]  # median self/cumulative per module over the runs
    total_import_ms: float
    groups: dict[str, float]
    wall_ms: float
    importtime_wall_ms: float
    layers: dict[str, float]  # median ms per import layer, no importtime overhead
    dataclasses: dict[str, tuple[int, float]]  # owner -> (classes created, median ms)


def layers(
    python: str, env: dict[str, str], runs: int
) -> tuple[dict[str, float], dict[str, tuple[int, float]]]:
    """Median ms of each import layer and of dataclass creation, over fresh processes."""
    per_layer: dict[str, list[float]] = defaultdict(list)
    per_owner: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for iteration in range(runs + 1):
        proc = subprocess.run(
            [python, "-c", LAYERS_CODE], env=env, capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            raise BenchError(f"timing import layers failed:\n{proc.stderr}")
        if not iteration:
            continue
        result = json.loads(proc.stdout)
        for name, ms in result["layers"]:
            per_layer[name].append(ms)
        for owner, (count, ms) in result["dataclasses"].items():
            per_owner[owner].append((count, ms))
    medians = {name: statistics.median(v) for name, v in per_layer.items()}
    classes = {
        owner: (v[0][0], statistics.median(ms for _, ms in v)) for owner, v in per_owner.items()
    }
    return medians, classes


def profile(repo: Path, work: Path, src: Path | None, runs: int) -> Profile:
    env = cached_env(src, work / "pycache")
    check = ["-m", "govgate", "check", "--repo", str(repo), "--output-dir", str(work / "out")]
    python = str(venv_bin() / "python")
    per_run: list[list[Entry]] = []
    plain: list[float] = []
    traced: list[float] = []
    for iteration in range(runs + 1):  # the first run fills the bytecode cache
        for argv, walls in (
            ([python, *check], plain),
            ([python, "-X", "importtime", *check], traced),
        ):
            started = time.perf_counter()
            proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
            elapsed = (time.perf_counter() - started) * 1000
            if proc.returncode != 0:
                raise BenchError(f"{' '.join(argv)} exited {proc.returncode}\n{proc.stderr}")
            if iteration:
                walls.append(elapsed)
                if "importtime" in argv:
                    per_run.append(parse(proc.stderr))
    first: dict[str, Entry] = {}
    selfs: dict[str, list[int]] = defaultdict(list)
    cumulatives: dict[str, list[int]] = defaultdict(list)
    for entries in per_run:
        for e in entries:
            first.setdefault(e.name, e)
            selfs[e.name].append(e.self_us)
            cumulatives[e.name].append(e.cumulative_us)
    modules = {
        name: Entry(
            name,
            round(statistics.median(selfs[name])),
            round(statistics.median(cumulatives[name])),
            e.depth,
            e.parent,
        )
        for name, e in first.items()
    }
    layer_ms, classes = layers(python, env, runs)
    groups: dict[str, float] = defaultdict(float)
    for e in modules.values():
        groups[group_of(e.name)] += e.self_us / 1000
    total = sum(e.cumulative_us for e in modules.values() if e.depth == 0) / 1000
    return Profile(
        modules=modules,
        total_import_ms=total,
        groups=dict(sorted(groups.items(), key=lambda kv: -kv[1])),
        wall_ms=statistics.median(plain),
        importtime_wall_ms=statistics.median(traced),
        layers=layer_ms,
        dataclasses=classes,
    )


def render(result: Profile, top: int, runs: int) -> str:
    entries = list(result.modules.values())
    lines = [
        f"cold check wall time: {result.wall_ms:.1f} ms plain, "
        f"{result.importtime_wall_ms:.1f} ms under -X importtime (median of {runs})",
        f"import time (sum of top-level cumulative): {result.total_import_ms:.1f} ms",
        "",
        f"top {top} by cumulative import time (ms; includes everything the module imports):",
    ]
    for e in sorted(entries, key=lambda e: -e.cumulative_us)[:top]:
        by = f"  (imported by {e.parent})" if e.parent else ""
        lines.append(f"  {e.cumulative_us / 1000:8.1f}  {e.name}{by}")
    lines += ["", f"top {top} by self import time (ms; the module's own code only):"]
    for e in sorted(entries, key=lambda e: -e.self_us)[:top]:
        by = f"  (imported by {e.parent})" if e.parent else ""
        lines.append(f"  {e.self_us / 1000:8.1f}  {e.name}{by}")
    lines += ["", "self import time by distribution (ms):"]
    lines += [f"  {ms:8.1f}  {group}" for group, ms in result.groups.items()]
    lines += ["", "import layers in the order a check needs them (ms, no importtime overhead):"]
    lines += [f"  {ms:8.1f}  {name}" for name, ms in result.layers.items()]
    lines.append(f"  {sum(result.layers.values()):8.1f}  total")
    lines += ["", "dataclass creation during those imports (ms):"]
    lines += [
        f"  {ms:8.1f}  {count} classes of {owner}"
        for owner, (count, ms) in sorted(result.dataclasses.items())
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS, help=f"profiled runs (default {RUNS})")
    parser.add_argument("--top", type=int, default=TOP, help=f"rows per table (default {TOP})")
    parser.add_argument("--tree", type=Path, default=ROOT, help="project tree to measure")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results as JSON")
    args = parser.parse_args(argv)
    tree: Path = args.tree.resolve()
    try:
        src = use_tree(tree)
        with tempfile.TemporaryDirectory(prefix="govgate-importtime-") as tmp:
            work = Path(tmp)
            result = profile(make_repo(tree, work), work, src, args.runs)
    except BenchError as exc:
        print(f"profile aborted: {exc}", file=sys.stderr)
        return 1
    print(render(result, args.top, args.runs))
    if args.json:
        data = {
            "runs": args.runs,
            "wall_ms": round(result.wall_ms, 1),
            "importtime_wall_ms": round(result.importtime_wall_ms, 1),
            "total_import_ms": round(result.total_import_ms, 1),
            "groups_ms": {k: round(v, 1) for k, v in result.groups.items()},
            "layers_ms": {k: round(v, 1) for k, v in result.layers.items()},
            "dataclasses": {
                k: {"classes": n, "ms": round(ms, 1)} for k, (n, ms) in result.dataclasses.items()
            },
            "modules": [
                {
                    "name": e.name,
                    "self_ms": e.self_us / 1000,
                    "cumulative_ms": e.cumulative_us / 1000,
                    "imported_by": e.parent,
                }
                for e in sorted(result.modules.values(), key=lambda e: -e.cumulative_us)
            ],
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
