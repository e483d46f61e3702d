"""The baseline's document rules on real published cards and datasheets, judged against a
reviewer's labels (tests/data/real-cards/expected.yaml): how often the gate's verdict is the
reviewer's, which documents still disagree and why, and that no unfilled template passes.

Documents whose licence allows copying live in tests/data; the others are read from
../shared/data when that folder is there (CI lays it beside the checkout).
"""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from govgate.gate import GateOptions, run_check
from tests.conftest import ROOT

LABELS = ROOT / "tests" / "data" / "real-cards" / "expected.yaml"
# rule, tier it applies at, and the labelled topics that must all be covered for it to pass
RULES: dict[str, list[tuple[str, str, list[str]]]] = {
    "model_card": [
        ("CARD-002", "low", ["intended_use", "limitations"]),
        (
            "CARD-003",
            "medium",
            [
                "intended_use",
                "limitations",
                "training_data",
                "evaluation",
                "evaluation_numbers",
                "ethical_considerations",
            ],
        ),
    ],
    "datasheet": [
        (
            "DATA-001",
            "high",
            ["motivation", "composition", "collection_process", "preprocessing", "uses"],
        ),
    ],
}
# Where the gate and the reviewer still part, each for a reason a rule cannot see.
KNOWN_DISAGREEMENTS = {
    # "Intended uses & limitations" names both topics; its prose only covers the first.
    ("hf-vit-base-patch32-224-in21k.model-card.md", "CARD-002"),
    # The purpose is stated in the lead; the "Utilisation" heading holds only code.
    ("fr.qwen3-triage-medical.model-card.md", "CARD-002"),
    ("fr.qwen3-triage-medical.model-card.md", "CARD-003"),
    # One limitation sentence inside "Intended uses", under no heading of its own.
    ("hf-all-minilm-l6-v2.model-card.md", "CARD-002"),
    # The datasheet is filled but keeps two TODOs ("TODO: update this"): the gate fails it.
    ("shitspotter.datasheet.md", "DATA-001"),
    # The JSON card only names its training and validation sets (4 words).
    ("google-model-card-toolkit.cats-vs-dogs.json", "CARD-003"),
}
# Measured 2026-12-02: 52/58 (89.7%) with ../shared/data beside the checkout, 29/33 (87.9%)
# with the documents in this repository alone.
TARGET = 0.87


def _documents() -> list[dict[str, Any]]:
    labelled: list[dict[str, Any]] = yaml.safe_load(LABELS.read_text())["documents"]
    return [d for d in labelled if (ROOT / d["file"]).resolve().is_file()]


@cache
def _verdict(file: str, kind: str, tier: str, rule: str) -> tuple[str, str]:
    source = (ROOT / file).resolve()
    # One temporary repo per document and tier; the run goes through the library entry point.
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copy(source, work / f"DOC{source.suffix}")
        (work / "govgate.yaml").write_text(
            "apiVersion: govgate/v1\nkind: Config\n"
            f"model: {{name: x, risk_tier: {tier}}}\nartifacts: {{{kind}: DOC{source.suffix}}}\n"
        )
        result = run_check(GateOptions(repo=work, env={}))
    finding = next(f for f in result.report.findings if f.rule_id == rule)
    return finding.status, finding.message


def _cases() -> list[tuple[str, str, str, str, str]]:
    cases = []
    for doc in _documents():
        for rule, tier, topics in RULES[doc["kind"]]:
            want = "pass" if all(doc["topics"][t] for t in topics) else "fail"
            cases.append((doc["file"], doc["kind"], tier, rule, want))
    return cases


@pytest.mark.parametrize(("file", "kind", "tier", "rule", "want"), _cases())
def test_each_document_gets_the_reviewers_verdict_or_a_known_reason(
    file: str, kind: str, tier: str, rule: str, want: str
) -> None:
    status, message = _verdict(file, kind, tier, rule)
    if (Path(file).name, rule) in KNOWN_DISAGREEMENTS:
        assert status != want, f"now agrees with the reviewer: drop it from the list ({message})"
    else:
        assert status == want, message


def test_at_least_the_target_share_of_verdicts_is_right() -> None:
    cases = _cases()
    right = sum(_verdict(f, k, t, r)[0] == want for f, k, t, r, want in cases)
    assert right / len(cases) >= TARGET, f"{right}/{len(cases)}"


def test_no_unfilled_template_passes_any_rule() -> None:
    templates = [d for d in _documents() if not any(d["topics"].values())]
    assert len(templates) >= 3  # the HF template, the datasheet template, an unfilled card
    for doc in templates:
        for rule, tier, _ in RULES[doc["kind"]]:
            status, message = _verdict(doc["file"], doc["kind"], tier, rule)
            assert status == "fail", f"{doc['file']} {rule}: {message}"


def test_the_shared_documents_are_part_of_the_run_when_present() -> None:
    shared = ROOT.parent / "shared" / "data" / "model-cards"
    if not shared.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    files = {d["file"] for d in _documents()}
    assert any(f.startswith("../shared/") for f in files)
