"""Topics through the CLI: govgate.yaml and rule packs extend or narrow the vocabulary, facts and
findings show which heading was taken for which topic, and old `any_of` packs keep working."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import MODEL_CARDS

CONFIG = """apiVersion: govgate/v1
kind: Config
model: {{name: credit-risk, risk_tier: low}}
artifacts: {{model_card: MODEL_CARD.md}}
rules: [{rules}]
{extra}"""
CARD = """# Model card: credit-risk

## Zweckbestimmung

Das Modell ordnet Kreditanträge nach dem Ausfallrisiko, damit Sachbearbeiter die manuelle
Prüfung priorisieren können; es ersetzt keine Kreditentscheidung.

## Known problems

Applicants with thin credit files are scored less accurately, and the model has never seen a
recession deeper than the one in 2020, so it may under-predict defaults in a severe downturn.
"""
PACK = """apiVersion: govgate/v1
kind: RulePack
metadata: {name: house, version: 1.0.0}
topics:
  regulatory_basis:
    title: Regulatory basis
    add: [legal basis, regulatory basis, rechtsgrundlage]
rules:
  - id: HOUSE-001
    title: The card states its regulatory basis
    severity: blocking
    remediation: Add a "Legal basis" section.
    check: {kind: topics, artifact: model_card, required: [regulatory_basis]}
"""


def _run(govgate, make_repo, tmp_path: Path, files: dict[str, object]) -> tuple[int, dict]:
    repo = make_repo(files)
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out))
    report = json.loads((out / "report.json").read_text())
    return run.code, {f["rule_id"]: f for f in report["findings"]}


def test_a_config_adds_heading_words_and_the_card_then_passes(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    files = {
        "govgate.yaml": CONFIG.format(rules="builtin:baseline", extra=""),
        "MODEL_CARD.md": CARD,
    }
    code, findings = _run(govgate, make_repo, tmp_path / "before", files)
    assert code == 1
    # The German heading is in the shipped vocabulary; "Known problems" is only suggested.
    assert findings["CARD-002"]["message"] == (
        "missing topic 'limitations': no heading or field names it; "
        "nearest heading: 'Known problems'"
    )
    extra = "topics:\n  limitations: {add: [known problems]}\n"
    files["govgate.yaml"] = CONFIG.format(rules="builtin:baseline", extra=extra)
    code, findings = _run(govgate, make_repo, tmp_path / "after", files)
    assert findings["CARD-002"]["status"] == "pass", findings["CARD-002"]["message"]


def test_only_narrows_a_topic_to_the_listed_headings(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    extra = (
        "topics:\n  limitations: {add: [known problems]}\n  intended_use: {only: [intended use]}\n"
    )
    files = {
        "govgate.yaml": CONFIG.format(rules="builtin:baseline", extra=extra),
        "MODEL_CARD.md": CARD,
    }
    _, findings = _run(govgate, make_repo, tmp_path, files)
    assert findings["CARD-002"]["status"] == "fail"
    assert "missing topic 'intended use'" in findings["CARD-002"]["message"]


def test_a_pack_declares_a_new_topic_and_requires_it(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    card = (
        CARD + "\n## Rechtsgrundlage\n\nArt. 22 DSGVO: keine ausschließlich automatisierte "
        "Entscheidung; ein Sachbearbeiter entscheidet über jeden Antrag.\n"
    )
    files = {
        "govgate.yaml": CONFIG.format(rules="rules/", extra=""),
        "rules/house.yaml": PACK,
        "MODEL_CARD.md": card,
    }
    code, findings = _run(govgate, make_repo, tmp_path, files)
    assert (code, findings["HOUSE-001"]["status"]) == (0, "pass")
    assert "regulatory basis" in findings["HOUSE-001"]["message"]


def test_an_unknown_topic_is_an_error_that_lists_the_known_ones(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    files = {
        "govgate.yaml": CONFIG.format(rules="rules/", extra=""),
        "rules/house.yaml": PACK.replace("[regulatory_basis]", "[regulatory_basics]"),
        "MODEL_CARD.md": CARD,
    }
    code, findings = _run(govgate, make_repo, tmp_path, files)
    assert code == 2
    message = findings["HOUSE-001"]["message"]
    assert "unknown topic 'regulatory_basics'" in message and "regulatory_basis" in message


def test_facts_show_which_heading_was_taken_for_which_topic(
    govgate, make_repo: Callable[..., Path]
) -> None:
    files = {
        "govgate.yaml": CONFIG.format(rules="builtin:baseline", extra=""),
        "MODEL_CARD.md": MODEL_CARDS / "hf-distilbert-base-uncased.model-card.md",
    }
    run = govgate("facts", "--repo", str(make_repo(files)))
    assert run.code == 0, run.stderr
    topics = json.loads(run.stdout)["artifacts"]["model_card"]["topics"]
    limitations = topics["limitations"]
    assert [(s["title"], s["line"]) for s in limitations["sources"]] == [
        ("Intended uses & limitations", 28),
        ("Limitations and bias", 91),
    ]
    assert limitations["sources"][0]["matched"] == "limitation"
    assert topics["intended_use"]["sources"][0]["title"] == "Intended uses & limitations"
    # The results table is the evidence of the evaluation: each value named by its column.
    evaluation = topics["evaluation"]
    assert evaluation["found"] and len(evaluation["metrics"]) >= 8
    assert {m["where"] for m in evaluation["metrics"]} == {"table"}


def test_an_any_of_pack_written_before_topics_keeps_working(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    old = PACK.replace(
        "check: {kind: topics, artifact: model_card, required: [regulatory_basis]}",
        "check: {kind: markdown_sections, artifact: model_card, "
        "required: [{any_of: [Known Problems, Limitations]}], min_words: 10}",
    )
    files = {"govgate.yaml": CONFIG.format(rules="rules/", extra=""), "rules/house.yaml": old,
             "MODEL_CARD.md": CARD}  # fmt: skip
    code, findings = _run(govgate, make_repo, tmp_path, files)
    assert (code, findings["HOUSE-001"]["status"]) == (0, "pass")
