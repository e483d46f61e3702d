"""Native engine vs regopy on the same 20-rule pack, over a small (~1 KB) and a large (~200 KB)
Facts document. Engine time only: packs are loaded and policies compiled once, as the gate does.

The pack: 10 metric thresholds in a YAML evaluation artifact and 10 required model-card sections,
written once as native rules and once as Rego. Both must give the same statuses, or the run fails.
Also measured: the same large document with section text left out of the Rego input (a lean
input), to show what the document's size costs regopy.

    .venv/bin/python benchmarks/rego_engines.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from support import machine

from govgate.artifacts.vocabulary import builtin_vocabulary
from govgate.config import ArtifactSpec
from govgate.engines import native
from govgate.engines.rego import RegopyEngine
from govgate.engines.rego_input import rego_input
from govgate.engines.rego_results import rego_findings
from govgate.facts import Facts, RepoFacts, Subject
from govgate.rules.loader import LoadedRule, load_packs
from govgate.rules.rego_source import parse_rego
from govgate.sources.repo import read_artifact

AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
RULES = 10  # of each family: 20 in all


def yaml_pack() -> str:
    lines = ["apiVersion: govgate/v1", "kind: RulePack", "metadata: {name: bench}", "rules:"]
    for i in range(RULES):
        lines += [
            f"  - id: MET-{i:02d}",
            f"    title: metric m{i} at least 0.5",
            "    severity: blocking",
            "    remediation: improve it",
            "    check:",
            "      kind: document",
            "      artifact: evaluation",
            f"      fields: [{{path: metrics.m{i}, min: 0.5}}]",
        ]
    for i in range(RULES):
        lines += [
            f"  - id: SEC-{i:02d}",
            f"    title: card has section {i}",
            "    severity: blocking",
            "    remediation: write it",
            "    check:",
            "      kind: markdown_sections",
            "      artifact: model_card",
            "      forbid_placeholders: false",
            f"      required: [Topic {i}]",
        ]
    return "\n".join(lines) + "\n"


def rego_pack() -> str:
    parts = [
        "package bench\n",
        # Built once per evaluation; regopy's comprehensions grow quadratically with the
        # collection, so the large document's 400 sections dominate (see docs/rego.md).
        "section_keys := {s.key | some s in input.artifacts.model_card.markdown.sections}\n",
    ]
    for i in range(RULES):
        parts.append(
            f"# METADATA\n# title: metric m{i} at least 0.5\n# custom:\n#   id: MET-{i:02d}\n"
            f"#   remediation: improve it\n"
            f'deny contains {{"id": "MET-{i:02d}", "msg": "m{i} below 0.5"}} if {{\n'
            f"\tinput.artifacts.evaluation.data.metrics.m{i} < 0.5\n}}\n\n"
            f'deny contains {{"id": "MET-{i:02d}", "msg": "m{i} missing"}} if {{\n'
            f"\tnot input.artifacts.evaluation.data.metrics.m{i}\n}}\n"
        )
    for i in range(RULES):
        parts.append(
            f"# METADATA\n# title: card has section {i}\n# custom:\n#   id: SEC-{i:02d}\n"
            f"#   remediation: write it\n"
            f'deny contains {{"id": "SEC-{i:02d}", "msg": "no section {i}"}} if {{\n'
            f'\tnot "topic {i}" in section_keys\n}}\n'
        )
    return "\n".join(parts)


def write_artifacts(folder: Path, sections: int, metrics: int, words: int) -> None:
    card = ["# Model card", ""]
    for i in range(sections):
        body = " ".join(f"word{j}" for j in range(words))
        card += [f"## Topic {i}", "", body, ""]
    (folder / "card.md").write_text("\n".join(card))
    evaluation = ["metrics:"] + [f"  m{i}: {0.4 if i % 7 == 3 else 0.9}" for i in range(metrics)]
    (folder / "evaluation.yaml").write_text("\n".join(evaluation) + "\n")


def facts_for(folder: Path) -> Facts:
    artifacts = {
        name: read_artifact(folder, name, ArtifactSpec(path=file), 10_000_000, builtin_vocabulary())
        for name, file in (("model_card", "card.md"), ("evaluation", "evaluation.yaml"))
    }
    return Facts(
        subject=Subject(name="bench", risk_tier="high"),
        repo=RepoFacts(root=str(folder)),
        artifacts=artifacts,
    )


def median_ms(call: Callable[[], object], runs: int) -> float:
    call()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


# What this pack never reads: every section field but `key`. regopy's cost follows the number
# of values in the input, not its bytes (dropping only the text saves nothing measurable).
LEAN = tuple(
    f"artifacts.*.markdown.sections.*.{field}"
    for field in (
        "text",
        "title",
        "level",
        "line",
        "body_line",
        "end_line",
        "parent",
        "words",
        "total_words",
    )
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    import json

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "bench.yaml").write_text(yaml_pack())
        (root / "bench.rego").write_text(rego_pack())
        native_rules = [r for p in load_packs(["bench.yaml"], root) for r in p.rules]
        module = parse_rego((root / "bench.rego").read_text(), "bench.rego")
        rego_rules = [LoadedRule(d.rule, "bench", d.location) for d in module.declared]
        engine = RegopyEngine([module])
        print(f"machine: {machine()}\nmedian of {args.runs} runs, engine time only")
        print(f"{'document':<34} {'bytes':>9} {'native ms':>10} {'regopy ms':>10} {'ratio':>7}")
        sizes = {"small": (12, 20, 4), "large": (400, 400, 55)}
        for label, (sections, metrics, words) in sizes.items():
            folder = root / label
            folder.mkdir()
            write_artifacts(folder, sections, metrics, words)
            facts = facts_for(folder)
            document = facts.as_document()
            size = len(json.dumps(rego_input(document, AT)))

            def run_native(facts: Facts = facts) -> list[Any]:
                return native.evaluate(facts, native_rules, AT)

            def run_rego(facts: Facts = facts, shrink: bool = False) -> list[Any]:
                results = engine.evaluate(
                    rego_input(facts.as_document(), AT, LEAN if shrink else ())
                )
                return rego_findings(rego_rules, results, facts.subject)

            got_native = {f.rule_id: f.status for f in run_native()}
            got_rego = {f.rule_id: f.status for f in run_rego()}
            if got_native != got_rego:
                print(f"parity broken on {label}: {got_native} != {got_rego}", file=sys.stderr)
                return 1
            native_ms = median_ms(run_native, args.runs)
            rego_ms = median_ms(run_rego, args.runs)
            print(
                f"{label + ' (' + str(len(got_native)) + ' rules)':<34} {size:>9,} "
                f"{native_ms:>10.2f} {rego_ms:>10.2f} {rego_ms / native_ms:>6.1f}x"
            )
            if label == "large":
                lean_size = len(json.dumps(rego_input(facts.as_document(), AT, LEAN)))
                lean_ms = median_ms(lambda f=facts: run_rego(f, True), args.runs)
                print(
                    f"{'large, lean input (section keys)':<34} {lean_size:>9,} "
                    f"{native_ms:>10.2f} {lean_ms:>10.2f} {lean_ms / native_ms:>6.1f}x"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
