"""The floor a cold `govgate check` is held to: the same kind of work, with the same libraries,
written as plainly as it can be.

It reads REPO/govgate.yaml with PyYAML, validates it with one pydantic model, parses the model
card it names with markdown-it-py (and collects its headings), and writes a JSON file with what
it found and the card's sha256. No rules, no git, no other files: what every check has to pay
for whatever it checks. `benchmarks/run.py` times it beside `govgate check` on the same repo.

    python benchmarks/minimal_check.py REPO OUTPUT_DIR
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from pydantic import BaseModel, ConfigDict, Field


class MinimalConfig(BaseModel):
    """govgate.yaml's top level, as one model with the types its values have."""

    model_config = ConfigDict(extra="forbid")

    api_version: str = Field(alias="apiVersion")
    kind: str
    model: dict[str, str]
    artifacts: dict[str, str]
    approvals: str | None = None
    exceptions: str | None = None
    rules: list[str] = []
    roles: dict[str, list[str]] = {}
    exception_policy: dict[str, Any] = {}


def main(argv: list[str]) -> int:
    repo, output = Path(argv[0]), Path(argv[1])
    document = yaml.safe_load((repo / "govgate.yaml").read_text(encoding="utf-8"))
    config = MinimalConfig.model_validate(document)
    card_path = repo / config.artifacts["model_card"]
    card = card_path.read_bytes()
    tokens = MarkdownIt("commonmark").parse(card.decode("utf-8"))
    headings = [
        tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"
    ]
    output.mkdir(parents=True, exist_ok=True)
    result = {
        "model": config.model,
        "model_card": {
            "path": str(card_path),
            "sha256": hashlib.sha256(card).hexdigest(),
            "headings": headings,
        },
    }
    (output / "minimal.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
