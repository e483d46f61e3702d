"""Benchmark: a cold `govgate report` over 10,000 model versions against the script a team writes.

The registry: a sqlite store seeded in-process with MlflowClient (100 registered models x 100
versions by default; 60% carry the tags `govgate check --publish` writes, with varied values),
served by a real `mlflow server --workers 1`. Both commands read every version through
`model-versions/search`, page by page, as fresh processes:
- `govgate report --format json --page-size N` (REST with `requests`, KPIs, portfolio.json);
- a script: `MlflowClient().search_model_versions(max_results=N, page_token=...)` in a loop,
  then the same counts by hand (coverage, pass rate), printed.
For each page size: the median wall time of --runs runs after one warm-up, the pages and
requests each made (govgate's from its report, the server's from its access log), and the
peak RSS of the process (wait4). Run: .venv/bin/python benchmarks/mlflow_paging.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from support import BenchError, cached_env, machine, venv_bin  # noqa: E402

from tests.integration.conftest import MlflowServer, start_server  # noqa: E402

PAGE_SIZES = (10_000, 1_000, 100)
AS_OF = "2026-11-26T12:00:00Z"

SCRIPT = """
import sys
from mlflow import MlflowClient

client = MlflowClient(tracking_uri=sys.argv[1])
size = int(sys.argv[2])
versions, token, pages = [], None, 0
while True:
    page = client.search_model_versions(max_results=size, page_token=token)
    versions.extend(page)
    pages += 1
    token = page.token
    if not token:
        break
gated = [v for v in versions if "govgate.verdict" in v.tags]
passed = sum(v.tags["govgate.verdict"] == "pass" for v in gated)
print(f"versions={len(versions)} pages={pages} coverage={len(gated) / len(versions):.4f} "
      f"pass_rate={passed / len(gated):.4f}")
"""


@dataclass
class Figures:
    label: str
    page_size: int
    wall_ms: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    pages: int | None = None
    requests: int | None = None
    output: str = ""


def seed(db: Path, models: int, per_model: int) -> float:
    """Seconds to create the versions (in-process MlflowClient on the sqlite store)."""
    from mlflow import MlflowClient

    uri = f"sqlite:///{db}"
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    client.create_registered_model("warm-up")  # creates the schema: not part of the timing
    started = time.perf_counter()
    for m in range(models):
        name = f"model-{m:03d}"
        client.create_registered_model(name)
        for v in range(1, per_model + 1):
            # sqlite versions are READY at once: no polling for the status
            client.create_model_version(
                name, f"s3://models/{name}/{v}", tags=_tags(m * per_model + v), await_creation_for=0
            )
    return time.perf_counter() - started


def _tags(n: int) -> dict[str, str]:
    """60% gated; of those, verdicts, exceptions, monitoring and ages vary with n."""
    if n % 5 in (0, 1):
        return {}
    return {
        "govgate.verdict": "pass" if n % 3 else "fail",
        "govgate.report_sha256": f"{n:064x}",
        "govgate.policy_digest": "b" * 64,
        "govgate.report_uri": f"mlflow-artifacts:/1/{n}/artifacts/govgate/report.json",
        "govgate.evaluated_at": "2026-11-20T10:00:00+00:00"
        if n % 7
        else "2026-06-01T10:00:00+00:00",
        "govgate.waived": "1" if n % 4 == 0 else "0",
        "govgate.monitoring": "pass" if n % 2 else "none",
    }


# Peak RSS must come from a process forked by a small parent: Linux carries the forking
# process's RSS high-water mark into the child's ru_maxrss across exec, and this benchmark
# holds mlflow (~230 MiB) after seeding. So a bare interpreter forks and times the command.
RUNNER = """
import json, os, sys, time
out, err, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
    os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
    os.execv(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
wall = (time.perf_counter() - started) * 1000
print(json.dumps({"wall_ms": wall, "maxrss_kib": usage.ru_maxrss,
                  "code": os.waitstatus_to_exitcode(status)}))
"""


def measure(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """Wall ms and peak RSS MiB of the command's own process, and its stdout."""
    out, err = cwd / "cmd.out", cwd / "cmd.err"
    runner = [str(venv_bin() / "python"), "-S", "-c", RUNNER, str(out), str(err), *cmd]
    done = subprocess.run(runner, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"runner failed: {done.stderr}")
    result = json.loads(done.stdout)
    stdout = out.read_text()
    if result["code"] != 0:
        raise BenchError(f"{' '.join(cmd)} exited {result['code']}:\n{stdout}{err.read_text()}")
    return result["wall_ms"], result["maxrss_kib"] / 1024, stdout  # KiB on Linux


def search_requests(server: MlflowServer, before: int) -> tuple[int, int]:
    """model-versions/search requests the server logged since `before` bytes of its log."""
    log = (server.root / "server.log").read_bytes()
    return log[before:].count(b"/model-versions/search"), len(log)


def run(server: MlflowServer, work: Path, runs: int) -> list[Figures]:
    bin_dir = venv_bin()
    env = cached_env(None, work / "pycache")
    script = work / "team_report.py"
    script.write_text(SCRIPT)
    results: list[Figures] = []
    for size in PAGE_SIZES:
        out = work / f"out-{size}"
        commands = {
            "govgate report --format json": [
                str(bin_dir / "govgate"),
                "report",
                "--tracking-uri",
                server.url,
                "--format",
                "json",
                "--page-size",
                str(size),
                "--output-dir",
                str(out),
                "--at",
                AS_OF,
            ],
            "team script (import mlflow; search loop)": [
                str(bin_dir / "python"),
                str(script),
                server.url,
                str(size),
            ],
        }
        figures = {label: Figures(label, size) for label in commands}
        for iteration in range(1 + runs):  # interleaved; the first round is a warm-up
            for label, cmd in commands.items():
                _, mark = search_requests(server, 0)
                wall, rss, stdout = measure(cmd, env, work)
                requests, _ = search_requests(server, mark)
                fig = figures[label]
                fig.requests, fig.output = requests, stdout.strip()
                if iteration:
                    fig.wall_ms.append(wall)
                    fig.rss_mib.append(rss)
        report = json.loads((out / "portfolio.json").read_text())
        figures["govgate report --format json"].pages = report["pages"]
        team = figures["team script (import mlflow; search loop)"]
        team.pages = int(team.output.split("pages=")[1].split()[0])
        if report["requests"] != figures["govgate report --format json"].requests:
            raise BenchError(
                f"govgate counted {report['requests']} requests, the server logged "
                f"{figures['govgate report --format json'].requests}"
            )
        results += figures.values()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (default 5)")
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--per-model", type=int, default=100)
    args = parser.parse_args()
    print(f"machine: {json.dumps(machine())}")
    with tempfile.TemporaryDirectory(prefix="govgate-paging-") as name:
        work = Path(name)
        seconds = seed(work / "mlflow.db", args.models, args.per_model)
        total = args.models * args.per_model
        print(
            f"seeded {total:,} model versions ({args.models} models x {args.per_model}) in "
            f"{seconds:.1f} s ({seconds / total * 1000:.1f} ms per version, in-process "
            "MlflowClient on sqlite)"
        )
        server = start_server(work)
        try:
            results = run(server, work, args.runs)
        except BenchError as exc:
            print(f"benchmark aborted: {exc}", file=sys.stderr)
            return 1
        finally:
            server.stop()
    print(f"runs each: {args.runs} after 1 warm-up, interleaved (medians; min-max in brackets)")
    header = f"{'command':<42} {'page':>6} {'pages':>5} {'reqs':>5} {'wall ms':>22} {'peak RSS':>9}"
    print(header)
    print("-" * len(header))
    for f in results:
        wall = f"{statistics.median(f.wall_ms):.0f} [{min(f.wall_ms):.0f}-{max(f.wall_ms):.0f}]"
        print(
            f"{f.label:<42} {f.page_size:>6} {f.pages:>5} {f.requests:>5} {wall:>22} "
            f"{statistics.median(f.rss_mib):>5.0f} MiB"
        )
    for size in PAGE_SIZES:
        ours, theirs = (statistics.median(f.wall_ms) for f in results if f.page_size == size)
        print(f"page size {size:>6}: script / govgate = {theirs / ours:.1f}x")
    print(f"govgate: {results[0].output.splitlines()[1].strip()}")
    print(f"script:  {results[1].output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
