"""What govgate reads from a .rego file before any engine runs: declared rules and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from govgate.errors import InputError, RuleError
from govgate.rules.rego_source import parse_rego

ANNOTATED = """\
# METADATA
# title: Card policies
# custom:
#   controls: [NIST AI RMF MAP 1.1]
#   tiers: [medium, high]
package govgate.cards

import rego.v1

# METADATA
# title: Model card exists
# description: Reviewers learn what a model is for from its card.
# custom:
#   id: POL-001
#   remediation: Add docs/model_card.md.
deny contains {"id": "POL-001", "msg": "no model card"} if {
	not input.artifacts.model_card.exists
}

deny contains {"id": "POL-001", "msg": "card unreadable"} if {
	input.artifacts.model_card.error
}

# METADATA
# title: Card is fresh
# custom:
#   id: POL-002
#   remediation: Review the card.
#   tiers: [high]
#   controls: []
warn contains {"id": "POL-002", "msg": "stale"} if {
	input.at_ns > 0
	false
}

owners := {o | some o in input.roles.model_risk}
"""


def test_metadata_declares_rules_with_defaults_from_the_package_block() -> None:
    module = parse_rego(ANNOTATED, "policy/cards.rego")
    assert module.package == "govgate.cards"
    assert module.rule_names == ("deny", "warn")
    rules = {d.rule.id: d for d in module.declared}
    assert list(rules) == ["POL-001", "POL-002"]
    card, fresh = rules["POL-001"].rule, rules["POL-002"].rule
    assert (card.title, card.severity, card.remediation) == (
        "Model card exists",
        "blocking",
        "Add docs/model_card.md.",
    )
    assert card.description == "Reviewers learn what a model is for from its card."
    assert card.tiers == ["medium", "high"] and card.controls == ["NIST AI RMF MAP 1.1"]
    assert (fresh.severity, fresh.tiers, fresh.controls) == ("warning", ["high"], [])
    assert str(rules["POL-001"].location) == "policy/cards.rego:16:1"
    assert not card.implicit and card.name == "deny"


def test_unannotated_conftest_rules_become_package_dot_rule() -> None:
    module = parse_rego(
        'package main\n\ndeny contains msg if {\n\tmsg := "x"\n\tinput.a\n}\n\n'
        'violation contains {"msg": "v"} if input.b\n',
        "p.rego",
    )
    rules = [d.rule for d in module.declared]
    assert [(r.id, r.severity, r.implicit) for r in rules] == [
        ("main.deny", "blocking", True),
        ("main.violation", "blocking", True),
    ]
    assert rules[0].remediation == "See the policy main (p.rego:3)."


def test_declared_rule_without_remediation_is_refused_at_its_metadata_line() -> None:
    source = (
        "package p\n\n# METADATA\n# title: T\n# custom:\n#   id: X-1\ndeny contains 1 if true\n"
    )
    with pytest.raises(RuleError) as caught:
        parse_rego(source, "p.rego")
    assert str(caught.value.location) == "p.rego:3:1"
    assert "custom.remediation" in str(caught.value)


def test_metadata_typo_is_located_at_the_exact_line_and_column_with_a_suggestion() -> None:
    source = (
        "package p\n\n# METADATA\n# title: T\n# custom:\n#   id: X-1\n"
        "#   severity: blocking\n#   remedation: fix\ndeny contains 1 if true\n"
    )
    with pytest.raises(RuleError) as caught:
        parse_rego(source, "p.rego")
    error = caught.value
    assert (error.location.line, error.location.column) == (8, 5)
    assert "remediation" in error.described()


def test_bad_severity_and_bad_yaml_in_metadata_are_located() -> None:
    bad_severity = (
        "package p\n\n# METADATA\n# custom:\n#   severity: fatal\ndeny contains 1 if true\n"
    )
    with pytest.raises(RuleError) as caught:
        parse_rego(bad_severity, "p.rego")
    assert caught.value.location.line == 5
    bad_yaml = "package p\n\n# METADATA\n# title: [unclosed\ndeny contains 1 if true\n"
    with pytest.raises(InputError, match="invalid YAML") as caught:
        parse_rego(bad_yaml, "p.rego")
    assert caught.value.location.path == "p.rego" and caught.value.location.line in (4, 5)


def test_metadata_not_directly_above_a_rule_is_refused() -> None:
    source = "package p\n\n# METADATA\n# title: T\n\ndeny contains 1 if true\n"
    with pytest.raises(RuleError, match="directly above") as caught:
        parse_rego(source, "p.rego")
    assert caught.value.location.line == 3


def test_the_same_id_declared_twice_is_refused() -> None:
    block = "# METADATA\n# title: T\n# custom:\n#   id: X-1\n#   remediation: r\n"
    source = f"package p\n\n{block}deny contains 1 if true\n\n{block}deny contains 2 if true\n"
    with pytest.raises(RuleError, match="declared twice"):
        parse_rego(source, "p.rego")


@pytest.mark.parametrize(
    ("source", "line", "column"),
    [
        ('package p\n\ndeny[msg] {\n\tmsg := "x"\n}\n', 3, 5),
        ("package p\n\nallow {\n\ttrue\n}\n", 3, 7),
        ('package p\n\nx := "a" {\n\ttrue\n}\n', 3, 10),
        ("package p\n\nf(x) {\n\tx > 1\n}\n", 3, 6),
        ("package p\n\nallow { true } { false }\n", 3, 7),
    ],
)
def test_rego_v0_bodies_are_refused_with_the_place_and_the_v1_spelling(
    source: str, line: int, column: int
) -> None:
    with pytest.raises(RuleError, match="v0") as caught:
        parse_rego(source, "p.rego")
    assert (caught.value.location.line, caught.value.location.column) == (line, column)
    assert "v1" in caught.value.described()


def test_rego_v1_values_comprehensions_and_else_are_not_mistaken_for_v0() -> None:
    source = """\
package p

limits := {"psi": 0.2, "ks": {"max": 0.1}}
names := {n | some n in input.names}
pairs := [[a, b] | some a in [1]; some b in [2]]
tier := "high" if {
	input.subject.risk_tier == "high"
} else := "low"

deny contains {"msg": sprintf("%v", [x])} if {
	some x in {1, 2}
	every y in [x] { y > 0 }
}
"""
    module = parse_rego(source, "p.rego")
    assert [d.rule.id for d in module.declared] == ["p.deny"]


@pytest.mark.parametrize("call", ["time.now_ns()", 'http.send({"url": "x"})'])
def test_non_deterministic_builtins_are_refused(call: str) -> None:
    source = f"package p\n\ndeny contains 1 if {{\n\tx := {call}\n\tx\n}}\n"
    with pytest.raises(RuleError, match="never do I/O") as caught:
        parse_rego(source, "p.rego")
    assert (caught.value.location.line, caught.value.location.column) == (4, 7)


def test_a_policy_without_package_or_with_unbalanced_brackets_is_refused() -> None:
    with pytest.raises(RuleError, match="package"):
        parse_rego("deny contains 1 if true\n", "p.rego")
    with pytest.raises(RuleError, match="never closed") as caught:
        parse_rego("package p\n\ndeny contains 1 if {\n\ttrue\n", "p.rego")
    assert caught.value.location.line == 3


def test_the_package_block_gives_the_pack_its_version_and_description() -> None:
    from govgate.rules.loader import load_packs

    pack = load_packs(["builtin:baseline-rego"], Path("."))[0]
    native = load_packs(["builtin:baseline"], Path("."))[0]
    assert pack.pack.metadata.name == "govgate.baseline"
    assert pack.pack.metadata.version == native.pack.metadata.version == "2.0.0"  # in step
    assert "baseline pack in Rego" in (pack.pack.metadata.description or "")
    assert parse_rego(ANNOTATED, "p.rego").version is None
