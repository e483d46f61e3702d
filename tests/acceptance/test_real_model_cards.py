"""The baseline card rule on real cards: their spellings pass, the template's placeholders fail."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MODEL_CARDS

CONFIG = """apiVersion: govgate/v1
kind: Config
model: {{name: {name}, risk_tier: medium}}
artifacts: {{model_card: MODEL_CARD.md}}
rules: [builtin:baseline]
"""


def card_findings(govgate, make_repo, tmp_path: Path, card: str, name: str) -> dict[str, dict]:
    repo = make_repo(
        {"govgate.yaml": CONFIG.format(name=name), "MODEL_CARD.md": MODEL_CARDS / card}
    )
    out = tmp_path / "out"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out))
    assert run.code == 1, run.stdout + run.stderr  # other artifacts are absent: fail, not error
    report = json.loads((out / "report.json").read_text())
    return {f["rule_id"]: f for f in report["findings"]}


@pytest.mark.parametrize(
    ("card", "name"),
    [
        ("openai-clip.model-card.md", "CLIP"),
        ("hf-distilbert-base-uncased.model-card.md", "distilbert"),
        ("microsoft-phi-3-mini-128k-instruct.model-card.md", "phi-3"),
    ],
)
def test_published_cards_pass_the_card_rules_through_their_own_spellings(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, card: str, name: str
) -> None:
    findings = card_findings(govgate, make_repo, tmp_path, card, name)
    assert findings["CARD-001"]["status"] == "pass"
    assert findings["CARD-003"]["status"] == "pass", findings["CARD-003"]["message"]


def test_whispers_card_fails_only_because_its_results_are_in_the_paper(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    findings = card_findings(
        govgate, make_repo, tmp_path, "openai-whisper.model-card.md", "whisper"
    )
    assert findings["CARD-001"]["status"] == "pass"
    card = findings["CARD-003"]
    assert card["status"] == "fail"
    assert card["message"] == (
        "topic 'evaluation' ('Performance and Limitations' line 56) states 0 metric value(s), "
        "needs at least 1: a number next to a metric name, in a results table or in model-index "
        "(a link to a paper is not a result)"
    )
    (evidence,) = card["evidence"]
    assert (evidence["location"]["path"], evidence["location"]["line"]) == ("MODEL_CARD.md", 56)


def test_the_hugging_face_template_fails_on_placeholders_with_their_lines(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    findings = card_findings(
        govgate, make_repo, tmp_path, "huggingface-hub.modelcard_template.md", "credit-risk"
    )
    card = findings["CARD-003"]
    assert card["status"] == "fail"
    placeholder_lines = {
        e["location"]["line"] for e in card["evidence"] if e["message"].startswith("placeholder ")
    }
    template = (MODEL_CARDS / "huggingface-hub.modelcard_template.md").read_text().splitlines()
    templated = {
        i + 1
        for i, line in enumerate(template)
        if "{{" in line or "More Information Needed" in line
    }
    # Every placeholder inside a required topic, at its line: uses (45, 51, 57), limitations and
    # ethics (63, 69), training data (83, 91), evaluation (114, 120, 126, 130); none outside
    # them (the front matter's `{{ card_data }}` on line 4, "Developed by" on line 21).
    assert placeholder_lines <= templated
    assert {45, 51, 57, 63, 69, 83, 91, 114, 120, 126, 130} <= placeholder_lines
    assert not {4, 21, 148, 200} & placeholder_lines
    assert "template placeholder(s) left in" in card["message"]
    empty = [e["message"] for e in card["evidence"] if "words of content" in e["message"]]
    assert any(m.startswith("topic 'intended use' ('Uses' line 37") for m in empty)
