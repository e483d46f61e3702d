"""Benchmark: a cold `govgate check --model` against the script a team writes today.

Both decide the same question on the same local `mlflow server` (sqlite, seeded like the
integration tests): is the @candidate's AUC >= 0.85 and no worse than @champion's by more than
0.01? govgate also checks every baseline rule and writes its report; the script does nothing else.
Run: .venv/bin/python benchmarks/mlflow_check.py [--runs 10]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import approve_any_version  # noqa: E402
from tests.integration.conftest import seed, start_server  # noqa: E402

SCRIPT = """
import sys
from mlflow import MlflowClient
client = MlflowClient(tracking_uri=sys.argv[1])
candidate = client.get_model_version_by_alias("credit-risk", "candidate")
champion = client.get_model_version_by_alias("credit-risk", "champion")
auc = client.get_run(candidate.run_id).data.metrics["auc"]
best = client.get_run(champion.run_id).data.metrics["auc"]
sys.exit(0 if auc >= 0.85 and best - auc <= 0.01 else 1)
"""


def timed(cmd: list[str], runs: int, cwd: Path) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
        samples.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(
                f"{cmd[0]} exited {done.returncode}: {done.stdout[-500:]}{done.stderr[-500:]}"
            )
    return samples


def make_repo(tmp: Path) -> Path:
    repo = tmp / "credit-risk"
    shutil.copytree(ROOT / "examples" / "credit-risk", repo)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bench"]):
        subprocess.run(
            ["git", "-c", "user.name=b", "-c", "user.email=b@example.com", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )
    return approve_any_version(repo)  # each entry committed by its approver, for any version


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        server = start_server(tmp)
        try:
            seed(server.url)
            repo = make_repo(tmp)
            script = tmp / "team_gate.py"
            script.write_text(SCRIPT)
            govgate = [
                str(bin_dir / "govgate"),
                "check",
                "--repo",
                str(repo),
                "--model",
                "models:/credit-risk@candidate",
                "--tracking-uri",
                server.url,
                "--rules",
                str(ROOT / "examples" / "mlflow" / "release-pack.yaml"),
                "--output-dir",
                str(tmp / "out"),
                "--at",
                "2026-11-26T12:00:00Z",
            ]
            team = [str(bin_dir / "python"), str(script), server.url]
            timed(govgate, 1, tmp)
            timed(team, 1, tmp)  # warm the OS file cache for both
            ours = timed(govgate, args.runs, tmp)
            theirs = timed(team, args.runs, tmp)
        finally:
            server.stop()
    med_ours, med_theirs = statistics.median(ours), statistics.median(theirs)
    rows = [
        ("govgate check --model (baseline + 4 release rules, report)", med_ours),
        ("team script (import mlflow; 2 aliases, 2 runs)", med_theirs),
    ]
    print(f"runs each: {args.runs} (medians; same server, same data, one after the other)")
    for label, seconds in rows:
        print(f"{label:<62} {seconds * 1000:7.0f} ms")
    print(f"ratio script / govgate: {med_theirs / med_ours:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
