"""Every engine on one Facts document: native rules in-process, Rego rules on the Rego engine.

Findings come back in rule order, whichever engine produced them, so a report reads the same
whether a rule is written in YAML or in Rego.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from govgate.config import RegoSettings
from govgate.engines import native
from govgate.facts import Facts
from govgate.findings import Finding
from govgate.rules.loader import LoadedPack, LoadedRule
from govgate.rules.schema import Rule

if TYPE_CHECKING:
    from govgate.engines.rego_results import PackageResult


class PolicyEngine(Protocol):
    """A Rego engine: every package's conftest rule values for one input document."""

    def evaluate(self, document: Mapping[str, Any]) -> dict[str, PackageResult]: ...


def policy_engine(packs: Sequence[LoadedPack], settings: RegoSettings) -> PolicyEngine | None:
    """The engine for the packs' Rego policies (None when there are none); imports lazily."""
    modules = [p.module for p in packs if p.module is not None]
    if not modules:
        return None
    if settings.engine == "opa":
        from govgate.engines.opa import OpaEngine

        assert settings.opa is not None  # RegoSettings validates this
        return OpaEngine(modules, settings.opa)
    from govgate.engines.rego import RegopyEngine

    return RegopyEngine(modules)


def evaluate(
    facts: Facts,
    rules: Sequence[LoadedRule],
    at: datetime,
    engine: PolicyEngine | None,
    exclude: Sequence[str] = (),
) -> list[Finding]:
    findings = native.evaluate(facts, rules, at)
    if not all(isinstance(r.rule, Rule) for r in rules):  # Rego rules among them
        if engine is None:
            raise AssertionError("Rego rules loaded without a Rego engine")
        from govgate.engines.rego_input import rego_input
        from govgate.engines.rego_results import rego_findings

        results = engine.evaluate(rego_input(facts.as_document(), at, exclude))
        findings += rego_findings(rules, results, facts.subject)
    order = {r.rule.id: i for i, r in enumerate(rules)}
    return sorted(findings, key=lambda f: order.get(f.rule_id, len(order)))
