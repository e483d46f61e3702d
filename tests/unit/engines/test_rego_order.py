"""Rego findings do not depend on the order an engine returns a set in (issue 12, item 23):
regopy and OPA enumerate `deny` differently, and the finding's message, location and evidence
must come out the same from both."""

from __future__ import annotations

from govgate.engines.rego_results import PackageResult, rego_findings
from govgate.facts import Subject
from govgate.rules.loader import LoadedRule
from govgate.rules.rego_source import parse_rego

POLICY = """package p

# METADATA
# title: Card is complete
# custom:
#   id: CARD-9
#   severity: blocking
#   remediation: Fill it in.
deny contains msg if {
  msg := input.x
}
"""
MESSAGES = [
    {"id": "CARD-9", "msg": "placeholder '[TODO]' left in", "path": "card.md", "line": 40},
    {"id": "CARD-9", "msg": "missing topic 'limitations'", "path": "card.md"},
    {"id": "CARD-9", "msg": "placeholder '{{ x }}' left in", "path": "card.md", "line": 7},
    "a plain message",
]


def _finding(messages: list[object]) -> tuple[str, str | None, list[tuple[str, int | None]]]:
    module = parse_rego(POLICY, "p.rego")
    rules = [LoadedRule(d.rule, module.package, d.location) for d in module.declared]
    results = {"p": PackageResult(values={"deny": messages})}
    (finding,) = rego_findings(rules, results, Subject(name="m", risk_tier="high"))
    location = str(finding.location) if finding.location else None
    evidence = [(e.message, e.location.line if e.location else None) for e in finding.evidence]
    return finding.message, location, evidence


def test_every_order_of_the_same_messages_gives_the_same_finding() -> None:
    first = _finding(MESSAGES)
    for shift in range(1, len(MESSAGES)):
        assert _finding(MESSAGES[shift:] + MESSAGES[:shift]) == first
    assert _finding(list(reversed(MESSAGES))) == first
    message, location, evidence = first
    # File order: the message without a line first, then by line; plain messages last.
    assert [line for _, line in evidence] == [None, 7, 40, None]
    assert location == "card.md"  # the first in file order: the whole-file message
    assert message == "missing topic 'limitations' (and 3 more)"
