"""`govgate explain RULE_ID`: a rule's purpose, check, remediation and controls, from its pack."""

from __future__ import annotations

from pathlib import Path

from govgate.config import DEFAULT_CONFIG_NAME, load_config
from govgate.errors import RuleError
from govgate.rules.loader import LoadedRule, load_packs
from govgate.rules.schema import Rule


def find_rule(rule_id: str, repo: Path, config: Path | None, extra: list[str]) -> LoadedRule:
    config_path = config or repo / DEFAULT_CONFIG_NAME
    sources = ["builtin:baseline"]
    if config_path.is_file():
        sources = list(load_config(config_path, str(config_path))[0].rules)
    packs = load_packs(sources, repo) + load_packs(extra, Path("."))
    for pack in packs:
        for loaded in pack.rules:
            if loaded.rule.id == rule_id:
                return loaded
    known = sorted(r.rule.id for p in packs for r in p.rules)
    raise RuleError(f"no rule {rule_id!r} in the loaded packs", hint=f"known: {', '.join(known)}")


def explain_rule(rule_id: str, repo: Path, config: Path | None, extra: list[str]) -> str:
    loaded = find_rule(rule_id, repo, config, extra)
    rule = loaded.rule
    lines = [
        f"{rule.id}: {rule.title}",
        f"  pack:        {loaded.pack} ({loaded.location})",
        f"  severity:    {rule.severity}{'' if rule.waivable else ' (not waivable)'}",
        f"  tiers:       {', '.join(rule.tiers) if rule.tiers else 'all'}",
        f"  stages:      {', '.join(rule.stages) if rule.stages else 'all'}",
        f"  controls:    {', '.join(rule.controls) if rule.controls else '-'}",
    ]
    if rule.description:
        lines.append(f"  why:         {rule.description.strip()}")
    if not isinstance(rule, Rule):
        origin = "unannotated rule body" if rule.implicit else "METADATA"
        lines.append(f"  checks:      Rego data.{rule.package}.{rule.name} ({origin})")
    else:
        lines.append(
            f"  checks:      {rule.check.model_dump_json(exclude_defaults=True, by_alias=True)}"
        )
    if isinstance(rule, Rule) and rule.when is not None:
        lines.append(
            f"  when:        {rule.when.model_dump_json(exclude_defaults=True, by_alias=True)}"
        )
    lines.append(f"  remediation: {rule.remediation.strip()}")
    return "\n".join(lines)
