"""Git facts without side effects and for every file name (issue 12, item 20): the gate never
rewrites `.git/index`, and a card whose name has accents is dated by its commit whether git
stored the name composed (NFC) or decomposed (NFD, as macOS writes it)."""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

AT = "2026-11-26T12:00:00Z"


def test_a_check_leaves_the_git_index_as_it_was(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk", commit_date="2026-11-20T10:00:00+00:00")
    card = repo / "docs" / "model_card.md"
    os.utime(card, (1_700_000_000, 1_700_000_000))  # same bytes, new stat: git would refresh
    index = repo / ".git" / "index"
    before = hashlib.sha256(index.read_bytes()).hexdigest(), index.stat().st_mtime_ns
    run = govgate("check", "--repo", str(repo), "--output-dir", str(tmp_path / "o"), "--at", AT)
    assert run.code == 0, run.stdout + run.stderr
    assert (hashlib.sha256(index.read_bytes()).hexdigest(), index.stat().st_mtime_ns) == before


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_card_with_an_accented_name_is_dated_by_its_commit(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, form: str
) -> None:
    name = unicodedata.normalize(form, "docs/modèle_carte.md")
    card = (EXAMPLES / "credit-risk" / "docs" / "model_card.md").read_text()
    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
    repo = make_repo(
        {
            name: card,
            "govgate.yaml": config.replace("model_card: docs/model_card.md", f"model_card: {name}"),
        },
        base=EXAMPLES / "credit-risk",
        commit_date="2026-11-20T10:00:00+00:00",
    )
    out = tmp_path / "o"
    run = govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)
    report = json.loads((out / "report.json").read_text())
    card_004 = next(f for f in report["findings"] if f["rule_id"] == "CARD-004")
    assert card_004["status"] == "pass", run.stdout + card_004["message"]
