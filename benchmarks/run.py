"""Benchmarks: cold `govgate check` against a minimal program doing the same kind of work with
the same libraries (benchmarks/minimal_check.py), and native-engine speed."""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from support import (
    ROOT,
    BenchError,
    base_env,
    bytecode_setting,
    cached_env,
    inherited_env,
    machine,
    make_repo,
    source,
    use_tree,
    venv_bin,
)

if TYPE_CHECKING:
    from govgate.facts import Facts
    from govgate.rules.loader import LoadedRule

RUNS = 10
QUICK_RUNS = 3
WARMUPS = 1
CHECK_RATIO_BUDGET = 1.3
ENGINE_BUDGET_MS = 200.0
RULE_COUNT = 1000
MINIMAL = Path(__file__).resolve().parent / "minimal_check.py"
FLOOR = "minimal program"


@dataclass
class Figure:
    """One measured number: median of its samples, or a derived value (a ratio) without any."""

    name: str
    unit: str
    samples: list[float] = field(default_factory=list)
    value: float | None = None
    budget: float | None = None
    note: str = ""
    cpu: list[float] = field(default_factory=list)  # user+sys of a subprocess, when measured

    @property
    def median(self) -> float:
        return self.value if self.value is not None else statistics.median(self.samples)

    @property
    def verdict(self) -> str:
        if self.budget is None:
            return "-"
        return "PASS" if self.median <= self.budget else "OVER"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "median": round(self.median, 3),
            "min": round(min(self.samples), 3) if self.samples else None,
            "max": round(max(self.samples), 3) if self.samples else None,
            "samples": [round(s, 3) for s in self.samples],
            "cpu_median": round(statistics.median(self.cpu), 3) if self.cpu else None,
            "budget": self.budget,
            "verdict": self.verdict,
            "note": self.note,
        }


# --- cold check --------------------------------------------------------------------------------


@dataclass
class Samples:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Command:
    key: str
    argv: list[str]
    env: Mapping[str, str]


def time_commands(commands: Sequence[Command], runs: int) -> dict[str, Samples]:
    """Wall and CPU time (ms) of each command as a fresh process, interleaved so that drift and
    bursts of load from other processes hit every command alike.

    CPU time (user + sys of the child and what it waited for, e.g. git) goes to the JSON output:
    close to wall time, it shows the process is CPU-bound. Each command first runs WARMUPS times
    unmeasured (OS file cache, bytecode cache).
    """
    samples: dict[str, Samples] = {c.key: Samples() for c in commands}
    for iteration in range(WARMUPS + runs):
        for command in commands:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            proc = subprocess.run(
                command.argv, env=dict(command.env), capture_output=True, text=True, check=False
            )
            elapsed = (time.perf_counter() - started) * 1000
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if proc.returncode != 0:
                raise BenchError(
                    f"{' '.join(command.argv)} exited {proc.returncode}, expected 0\n"
                    f"--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}"
                )
            if iteration >= WARMUPS:
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                samples[command.key].wall.append(elapsed)
                samples[command.key].cpu.append(cpu * 1000)
    return samples


@dataclass(frozen=True)
class Install:
    """The interpreter and `govgate` script to time, and how their environments are made."""

    python: Path
    govgate: Path
    envs: dict[str, dict[str, str]]  # mode -> environment; "cached" is the headline
    expected: Path  # the govgate package folder the subprocesses must import


def editable_install(work: Path, src: Path | None) -> Install:
    """The project venv (editable): bytecode cached in a private folder, and the caller's own."""
    bin_dir = venv_bin()
    return Install(
        python=bin_dir / "python",
        govgate=bin_dir / "govgate",
        envs={"cached": cached_env(src, work / "pycache"), "inherited": inherited_env(src)},
        expected=(src if src is not None else ROOT / "src") / "govgate",
    )


def wheel_install(tree: Path, work: Path) -> Install:
    """A wheel of TREE built and installed (byte-compiled, as pip does) into a new venv."""
    dist, venv = work / "dist", work / "wheel-venv"
    pip = [str(venv_bin() / "python"), "-m", "pip", "-q"]
    steps = [
        [*pip, "wheel", "--no-deps", "-w", str(dist), str(tree)],
        [sys.executable, "-m", "venv", str(venv)],
    ]
    for step in steps:
        _run(step)
    wheels = sorted(dist.glob("govgate-*.whl"))
    if not wheels:
        raise BenchError(f"no govgate wheel was built in {dist}")
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheels[-1])])
    env = base_env(None)
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX"):
        env.pop(name, None)  # the .pyc files pip wrote at install time are used
    site = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return Install(
        python=venv / "bin" / "python",
        govgate=venv / "bin" / "govgate",
        envs={"cached": env},
        expected=Path(site.stdout.strip()) / "govgate",
    )


def _run(argv: list[str]) -> None:
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(argv)} exited {proc.returncode}\n{proc.stderr}")


def cold_check_figures(repo: Path, work: Path, install: Install, runs: int) -> list[Figure]:
    python, govgate = str(install.python), install.govgate
    if not govgate.is_file():
        raise BenchError(f"{govgate} not found: install the package into the venv first")
    where = subprocess.run(
        [python, "-c", "import govgate; print(govgate.__file__)"],
        env=install.envs["cached"],
        capture_output=True,
        text=True,
        check=False,
    )
    imported = Path(where.stdout.strip()).resolve().parent
    if where.returncode != 0 or imported != install.expected.resolve():
        raise BenchError(f"subprocesses import govgate from {where.stdout.strip() or where.stderr}")
    commands = [Command("cached:pass", [python, "-c", "pass"], install.envs["cached"])]
    for mode, env in install.envs.items():
        commands += [
            Command(f"{mode}:floor", [python, str(MINIMAL), str(repo), str(work / "min")], env),
            Command(
                f"{mode}:check",
                # JSON only, like the floor (the default also renders report.html)
                [
                    str(govgate),
                    "check",
                    "--repo",
                    str(repo),
                    "--output-dir",
                    str(work / "out"),
                    "--format",
                    "json",
                ],
                env,
            ),
        ]
    samples = time_commands(commands, runs)
    figures = [
        Figure("python -c pass", "ms", samples["cached:pass"].wall, cpu=samples["cached:pass"].cpu)
    ]
    for mode in install.envs:
        label = "" if mode == "cached" else f" [{bytecode_setting()}]"
        floor, check = samples[f"{mode}:floor"], samples[f"{mode}:check"]
        figures += [
            Figure(f"{FLOOR}{label}", "ms", floor.wall, cpu=floor.cpu),
            Figure(f"cold check{label}", "ms", check.wall, cpu=check.cpu),
            Figure(
                f"cold check / {FLOOR}{label}",
                "x",
                value=statistics.median(check.wall) / statistics.median(floor.wall),
                budget=CHECK_RATIO_BUDGET,
                note="ratio of wall-time medians measured in the same run"
                + ("" if mode == "cached" else "; the caller's bytecode settings"),
            ),
        ]
    return figures


# --- engine ------------------------------------------------------------------------------------

INTENDED_USE = ["Intended Use", "Intended Uses", "Uses", "Direct Use"]
LIMITATIONS = ["Limitations", "Known Limitations", "Bias Risks and Limitations"]
RISK_LEVELS = ["low", "medium", "high"]

# One of each check kind that needs no registry, plus compositions; rules cycle through them.
CHECK_TEMPLATES: tuple[dict[str, Any], ...] = (
    {"kind": "fact", "path": "subject.risk_tier", "in": RISK_LEVELS},
    {"kind": "fact", "path": "repo.commit", "matches": "^[0-9a-f]{40}$"},
    {"kind": "fact", "path": "artifacts.model_card.last_commit", "after": "now-3650d"},
    {
        "kind": "markdown_sections",
        "artifact": "model_card",
        "required": [{"any_of": INTENDED_USE}, {"any_of": LIMITATIONS}, "Training Data"],
        "min_words": 5,
    },
    {
        "kind": "document",
        "artifact": "risk_assessment",
        "fields": [
            {"path": "owner", "exists": True},
            {"path": "hazards[0].impact", "in": RISK_LEVELS},
            {"path": "reviewed_on", "after": "2020-01-01"},
        ],
    },
    {"kind": "artifact", "artifact": "model_card", "must_reference": ["name"]},
    {
        "kind": "all",
        "checks": [
            {"kind": "fact", "path": "subject.name", "equals": "credit-risk"},
            {"kind": "artifact", "artifact": "risk_assessment"},
        ],
    },
    {
        "kind": "any",
        "checks": [
            {"kind": "fact", "path": "subject.stage", "equals": "draft"},
            {
                "kind": "markdown_sections",
                "artifact": "datasheet",
                "required": ["Motivation", {"any_of": ["Composition", "Contents"]}],
            },
        ],
    },
    {"kind": "not", "check": {"kind": "fact", "path": "subject.risk_tier", "equals": "low"}},
    {
        "kind": "markdown_sections",
        "artifact": "evaluation_report",
        "required": [{"any_of": ["Metrics", "Results"]}, "Evaluation Data"],
        "forbid": ["lorem ipsum"],
    },
)
SEVERITIES = ("blocking", "warning", "info")


def rule_pack(count: int) -> dict[str, Any]:
    """A RulePack document of `count` rules; every 5th has a `when`, every 7th a tier scope."""
    rules: list[dict[str, Any]] = []
    for i in range(count):
        rule: dict[str, Any] = {
            "id": f"BENCH-{i:04d}",
            "title": f"Benchmark rule {i}",
            "severity": SEVERITIES[i % len(SEVERITIES)],
            "remediation": "Nothing to fix: this rule exists to be timed.",
            "controls": ["BENCH 1.1"],
            "check": CHECK_TEMPLATES[i % len(CHECK_TEMPLATES)],
        }
        if i % 5 == 4:
            rule["when"] = {"kind": "fact", "path": "subject.stage", "equals": "release"}
        if i % 7 == 6:
            rule["tiers"] = ["medium", "high"]
        rules.append(rule)
    return {
        "apiVersion": "govgate/v1",
        "kind": "RulePack",
        "metadata": {"name": "bench", "version": "0.0.0"},
        "rules": rules,
    }


def time_calls(call: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call, after WARMUPS unmeasured calls."""
    for _ in range(WARMUPS):
        call()
    samples: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def gather_facts(repo: Path) -> Facts:
    """Facts of the example repo, through the same load + gather the gate runs."""
    from govgate import gate

    options = gate.GateOptions(repo=repo, env=base_env(None))
    config, inputs, packs = gate.load(options)
    return gate.gather(options, config, packs, inputs).facts


def engine_figures(repo: Path, work: Path, runs: int) -> tuple[list[Figure], dict[str, int]]:
    import yaml

    from govgate.engines import native
    from govgate.location import Location
    from govgate.rules.loader import LoadedRule, load_pack_file
    from govgate.rules.schema import RulePack

    facts = gather_facts(repo)
    document = rule_pack(RULE_COUNT)
    pack_file = work / "bench.yaml"
    pack_file.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")

    def validate() -> list[LoadedRule]:
        pack = RulePack.model_validate(document)
        where = Location(path="bench.yaml")
        return [LoadedRule(rule=r, pack="bench", location=where) for r in pack.rules]

    def load_file() -> object:
        return load_pack_file(pack_file, "bench.yaml")

    rules = validate()
    at = datetime.now(UTC)
    outcomes = Counter(str(f.status) for f in native.evaluate(facts, rules, at))
    if outcomes.get("error"):
        raise BenchError(f"benchmark rules errored ({dict(outcomes)}): the pack is wrong")
    figures = [
        Figure(
            f"engine: evaluate {RULE_COUNT:,} rules",
            "ms",
            time_calls(lambda: native.evaluate(facts, rules, at), runs),
            budget=ENGINE_BUDGET_MS,
            note="govgate.engines.native.evaluate on one Facts document",
        ),
        Figure(
            f"rules: validate {RULE_COUNT:,} rules",
            "ms",
            time_calls(validate, runs),
            note="RulePack.model_validate of a dict + LoadedRule wrapping",
        ),
        Figure(
            f"rules: load {RULE_COUNT:,}-rule YAML pack",
            "ms",
            time_calls(load_file, runs),
            note="loader.load_pack_file: read, YAML parse with positions, validate, path checks",
        ),
    ]
    return figures, dict(outcomes)


# --- report ------------------------------------------------------------------------------------


def render(figures: Sequence[Figure], runs: int) -> str:
    width = max(len(f.name) for f in figures)
    header = (
        f"{'figure':<{width}}  {'median':>10}  {'min':>10}  {'max':>10}  {'budget':>9}  verdict"
    )
    lines = [header, "-" * len(header)]
    for f in figures:
        low = f"{min(f.samples):.1f}" if f.samples else ""
        high = f"{max(f.samples):.1f}" if f.samples else ""
        if f.unit == "x":
            value = f"{f.median:.2f}x"
            budget = f"<= {f.budget:.2f}x" if f.budget is not None else "-"
        else:
            value = f"{f.median:.1f} ms"
            budget = f"<= {f.budget:.0f} ms" if f.budget is not None else "-"
        lines.append(
            f"{f.name:<{width}}  {value:>10}  {low:>10}  {high:>10}  {budget:>9}  {f.verdict}"
        )
    lines.append(
        f"(median of {runs} runs after {WARMUPS} warm-up; min/max in ms; figures without [...] "
        "ran with bytecode cached: in a private PYTHONPYCACHEPREFIX, or pip's .pyc (--wheel))"
    )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_RUNS} runs instead of {RUNS}")
    parser.add_argument("--runs", type=int, help=f"measured runs per figure (default {RUNS})")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results as JSON")
    parser.add_argument(
        "--tree",
        type=Path,
        default=ROOT,
        help="project tree to measure (its src/ and examples/), e.g. a `git archive` of a commit",
    )
    parser.add_argument(
        "--wheel",
        action="store_true",
        help="time a wheel of the tree installed into a new venv (pip byte-compiles it), not "
        "the project's editable install",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    runs: int = args.runs or (QUICK_RUNS if args.quick else RUNS)
    if runs < 1:
        print("benchmark aborted: --runs must be at least 1", file=sys.stderr)
        return 2
    tree: Path = args.tree.resolve()
    try:
        src = use_tree(tree)
        info = {"machine": machine(), "source": source(tree)}
        print(f"machine: {json.dumps(info['machine'])}")
        print(f"source:  {json.dumps(info['source'])}")
        with tempfile.TemporaryDirectory(prefix="govgate-bench-") as tmp:
            work = Path(tmp)
            repo = make_repo(tree, work)
            install = wheel_install(tree, work) if args.wheel else editable_install(work, src)
            figures = cold_check_figures(repo, work, install, runs)
            engine, outcomes = engine_figures(repo, work, runs)
    except BenchError as exc:
        print(f"benchmark aborted: {exc}", file=sys.stderr)
        return 1
    figures += engine
    print(f"benchmark rule outcomes: {outcomes}")
    print(render(figures, runs))
    if args.json:
        result = {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "runs": runs,
            "warmups": WARMUPS,
            **info,
            "rule_outcomes": outcomes,
            "figures": [f.as_dict() for f in figures],
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"results: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
