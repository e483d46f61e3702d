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
    [("openai-whisper.model-card.md", "whisper"), ("openai-clip.model-card.md", "CLIP")],
)
def test_published_cards_pass_the_card_rules_through_their_own_spellings(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, card: str, name: str
) -> None:
    findings = card_findings(govgate, make_repo, tmp_path, card, name)
    assert findings["CARD-001"]["status"] == "pass"
    assert findings["CARD-003"]["status"] == "pass", findings["CARD-003"]["message"]


def test_the_hugging_face_template_fails_on_placeholders_with_their_lines(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    findings = card_findings(
        govgate, make_repo, tmp_path, "huggingface-hub.modelcard_template.md", "credit-risk"
    )
    card = findings["CARD-003"]
    assert card["status"] == "fail"
    placeholder_lines = {
        e["location"]["line"] for e in card["evidence"] if "placeholder" in e["message"]
    }
    template = (MODEL_CARDS / "huggingface-hub.modelcard_template.md").read_text().splitlines()
    expected = {
        i + 1
        for i, line in enumerate(template)
        if "{{" in line or "More Information Needed" in line
    }
    assert placeholder_lines == expected
    assert 4 in placeholder_lines  # `{{ card_data }}` inside the front matter
    assert "template placeholder(s) left in" in card["message"]
    empty = [e["message"] for e in card["evidence"] if "words" in e["message"]]
    assert any("'Uses' has 0 words" in m for m in empty)
