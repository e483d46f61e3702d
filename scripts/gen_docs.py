"""Generate docs/reference/*.md and docs/schemas/*.json from the models and the shipped packs.

Run `python scripts/gen_docs.py` after changing a model or a pack; a test fails while the
committed files differ from what this script writes.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from govgate import config, schemas
from govgate.casetest import cases
from govgate.rules import schema
from govgate.rules.loader import builtin_names, load_packs
from govgate.rules.schema import HttpUri

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TOPICS_YAML = ROOT / "src" / "govgate" / "artifacts" / "topics.yaml"


def _type_name(annotation: Any) -> str:
    if annotation == HttpUri | None:
        return "http(s) URL \\| None"
    text = str(annotation) if not isinstance(annotation, type) else annotation.__name__
    text = re.sub(r"typing\.Annotated\[Union\[.*?\], FieldInfo\(.*?\)\]", "Check", text)
    text = re.sub(r"typing\.Annotated\[.*?, FieldInfo\(.*?\)\]", "Check", text)
    text = re.sub(r"\b(typing|datetime|govgate(\.\w+)*)\.", "", text)
    text = text.replace("NoneType", "null").replace("Literal", "one of ")
    return text.replace("|", "\\|")


def _default(field: Any) -> str:
    if field.is_required():
        return "**required**"
    value = field.default_factory() if field.default_factory is not None else field.default
    if value is PydanticUndefined or value is None:
        return "-"
    if isinstance(value, BaseModel):
        return "(defaults)"
    return f"`{value!r}`".replace("|", "\\|")


def model_table(model: type[BaseModel]) -> str:
    lines = [
        f"### `{model.__name__}`",
        "",
        (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else "",
        "",
        "| key | type | default | meaning |",
        "|---|---|---|---|",
    ]
    for name, field in model.model_fields.items():
        key = field.alias or name
        description = (field.description or "").replace("|", "\\|")
        lines.append(
            f"| `{key}` | {_type_name(field.annotation)} | {_default(field)} | {description} |"
        )
    return "\n".join(lines) + "\n"


def config_reference() -> str:
    models = [
        config.Config,
        config.ModelRef,
        config.ArtifactSpec,
        config.ExceptionPolicy,
        config.Limits,
    ]
    head = (
        "# Config reference (`govgate.yaml`)\n\n"
        "Generated from the models by `scripts/gen_docs.py`; do not edit by hand. Unknown keys are "
        "errors. JSON Schema: `govgate schema config` (also in `docs/schemas/`).\n\n"
    )
    return head + "\n".join(model_table(m) for m in models)


def rulepack_reference() -> str:
    models = [
        schema.RulePack,
        schema.PackMetadata,
        schema.Rule,
        schema.ArtifactCheck,
        schema.MarkdownSectionsCheck,
        schema.AnyOf,
        schema.DocumentCheck,
        schema.FieldCheck,
        schema.FactCheck,
        schema.Predicates,
        schema.AllCheck,
        schema.AnyCheck,
        schema.NotCheck,
        cases.RuleTests,
        cases.CaseBase,
        cases.Case,
    ]
    head = (
        "# Rule pack reference (`kind: RulePack`, `kind: RuleTests`)\n\n"
        "Generated from the models by `scripts/gen_docs.py`; do not edit by hand. A `Check` is "
        "any of the check kinds below, chosen by its `kind` key. JSON Schema: "
        "`govgate schema rulepack`.\n\n"
    )
    return head + "\n".join(model_table(m) for m in models)


def pack_reference(name: str) -> str:
    packs = load_packs([f"builtin:{name}"], ROOT)
    meta = packs[0].pack.metadata
    lines = [
        f"# Builtin pack `{name}` {meta.version}",
        "",
        "Generated from the pack by `scripts/gen_docs.py`; `govgate explain RULE_ID` shows "
        "the same.",
        "",
        meta.description or "",
        "",
        "| id | title | severity | tiers | controls |",
        "|---|---|---|---|---|",
    ]
    for loaded in packs[0].rules:
        rule = loaded.rule
        lines.append(
            f"| {rule.id} | {rule.title} | {rule.severity} | "
            f"{', '.join(rule.tiers) if rule.tiers else 'all'} | {'; '.join(rule.controls)} |"
        )
    for loaded in packs[0].rules:
        rule = loaded.rule
        lines += ["", f"## {rule.id}: {rule.title}", ""]
        if rule.description:
            lines += [rule.description.strip(), ""]
        lines += [f"**Remediation.** {rule.remediation.strip()}"]
    return "\n".join(lines) + "\n"


def topics_json() -> str:
    """The shipped vocabulary as JSON: read on every check, where YAML would cost 2 ms."""
    data = yaml.safe_load(TOPICS_YAML.read_text(encoding="utf-8"))
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def topics_reference() -> str:
    data = yaml.safe_load(TOPICS_YAML.read_text(encoding="utf-8"))
    lines = [
        "# Topic vocabulary (generated)",
        "",
        "The headings that name each shipped topic, by language, and the words that keep a",
        "heading from naming it (`src/govgate/artifacts/topics.yaml`; how matching works and how",
        "to extend it: [Documents](../markdown-artifacts.md)). Generated by `scripts/gen_docs.py`.",
        "",
        "| topic | title | English | German | French | not when the heading has |",
        "|---|---|---|---|---|---|",
    ]
    for topic_id, spec in data["topics"].items():
        match = spec["match"]
        cells = [", ".join(match.get(lang, [])) or "-" for lang in ("en", "de", "fr")]
        exclude = ", ".join(spec.get("exclude", [])) or "-"
        lines.append(f"| `{topic_id}` | {spec['title']} | {' | '.join(cells)} | {exclude} |")
    lines += ["", "Metric words (a number next to one is a stated value):", ""]
    for lang, words in data["metric_words"].items():
        lines.append(f"- {lang}: {', '.join(words)}")
    return "\n".join(lines) + "\n"


def outputs() -> dict[Path, str]:
    files = {
        DOCS / "reference" / "config.md": config_reference(),
        DOCS / "reference" / "rule-pack.md": rulepack_reference(),
        DOCS / "reference" / "topics.md": topics_reference(),
        TOPICS_YAML.with_suffix(".json"): topics_json(),
    }
    for name in builtin_names():
        files[DOCS / "reference" / f"pack-{name}.md"] = pack_reference(name)
    for name in schemas.schema_names():
        files[DOCS / "schemas" / f"{name}.schema.json"] = schemas.schema_json(name) + "\n"
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, text in outputs().items():
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"stale: {path.relative_to(ROOT)} (run python scripts/gen_docs.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
