"""Benchmark: reading and judging one 100 KB real model card, in process, as the gate does.

The card is real prose: published cards from tests/data/model-cards concatenated (Phi-3,
DistilBERT, GPT-2, CLIP, Whisper, all-MiniLM, ...) until it reaches --kb kilobytes. One run
reads the file into Facts (Markdown parse, placeholders, template text, stated metrics, topics)
and evaluates the baseline pack's card rules on it. Prints the median and spread of --runs runs
after one warm-up, and with --card writes the card for an A/B against another checkout:

    .venv/bin/python benchmarks/document_judging.py --write-card /tmp/card.md
    PYTHONPATH=OTHER/src .venv/bin/python benchmarks/document_judging.py --card /tmp/card.md

Run: .venv/bin/python benchmarks/document_judging.py [--runs 50] [--kb 100]
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CARDS = ROOT / "tests" / "data" / "model-cards"
AT = datetime(2026, 11, 26, 12, tzinfo=UTC)


def build_card(kb: int) -> str:
    parts: list[str] = []
    names = sorted(p for p in CARDS.glob("*.md") if "template" not in p.name)
    size = 0
    while size < kb * 1024:
        text = names[len(parts) % len(names)].read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        parts.append(text)
        size += len(text.encode())
    text = "# Model card: bench\n\n" + "\n\n".join(parts)
    return text[: text.rfind("\n", 0, kb * 1024) + 1]  # whole lines, at most kb kilobytes


def judge_once(folder: Path) -> int:
    """Read the card as the gate does and evaluate CARD-001..003; returns the findings count."""
    from govgate.config import ArtifactSpec
    from govgate.engines.evaluate import evaluate, policy_engine
    from govgate.facts import Facts, RepoFacts, Subject
    from govgate.rules.loader import load_packs
    from govgate.sources import repo

    packs = load_packs(["builtin:baseline"], folder)
    rules = [r for p in packs for r in p.rules if r.rule.id in ("CARD-001", "CARD-002", "CARD-003")]
    extra: list[Any] = []
    if "vocabulary" in inspect.signature(repo.read_artifact).parameters:  # topics-era reader
        from govgate.rules.loader import topic_vocabulary  # type: ignore[attr-defined]

        extra = [topic_vocabulary(packs)]
    started = time.perf_counter()
    card = repo.read_artifact(folder, "model_card", ArtifactSpec(path="card.md"), 10**7, *extra)
    facts = Facts(
        subject=Subject(name="bench", risk_tier="medium"),
        repo=RepoFacts(root=str(folder)),
        artifacts={"model_card": card},
    )
    findings = evaluate(facts, rules, AT, policy_engine(packs, _rego_settings()))
    judge_once.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]
    return len(findings)


def _rego_settings() -> Any:
    from govgate.config import RegoSettings

    return RegoSettings()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--kb", type=int, default=100)
    parser.add_argument("--card", type=Path, help="judge this card instead of building one")
    parser.add_argument("--write-card", type=Path, help="write the built card here and stop")
    args = parser.parse_args(argv)
    text = args.card.read_text(encoding="utf-8") if args.card else build_card(args.kb)
    if args.write_card:
        args.write_card.write_text(text, encoding="utf-8")
        return 0
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "card.md").write_text(text, encoding="utf-8")
        judge_once(folder)  # warm-up: imports, pack loading
        times = []
        for _ in range(args.runs):
            judge_once(folder)
            times.append(judge_once.elapsed)  # type: ignore[attr-defined]
    ms = sorted(t * 1000 for t in times)
    print(
        f"judge a {len(text.encode()) // 1024} KB card (read + CARD-001..003), {args.runs} runs: "
        f"median {statistics.median(ms):.1f} ms, min {ms[0]:.1f}, max {ms[-1]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
