"""Turn what a Rego engine returned for each package into govgate findings.

Both Rego engines (regopy in-process, a remote OPA) return, per package, the value of every
conftest-style rule (`deny`, `warn`, `violation`, `deny_*` ...) or an error. A message is a string
or an object `{id, msg, path?, line?}`; it lands on the rule its `id` names, else on the rule the
package declares for that rule name. A declared rule with no message passes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from govgate.engines.scope import failing_status, out_of_scope, rule_finding
from govgate.facts import Subject
from govgate.findings import Evidence, Finding
from govgate.location import Location
from govgate.rules.loader import LoadedRule
from govgate.rules.rego_source import CONFTEST_RULE, RegoRule
from govgate.rules.schema import Severity


@dataclass(frozen=True)
class PackageResult:
    """One package's rule values, or why the engine could not evaluate it."""

    values: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None
    location: Location | None = None


@dataclass
class _Hits:
    evidence: list[Evidence] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def rego_findings(
    rules: Sequence[LoadedRule], results: Mapping[str, PackageResult], subject: Subject
) -> list[Finding]:
    """A finding per declared Rego rule, in order, then any message no declared rule took."""
    declared = [r for r in rules if isinstance(r.rule, RegoRule)]
    hits: dict[str, _Hits] = {r.rule.id: _Hits() for r in declared}
    stray: dict[str, tuple[str, _Hits]] = {}
    for package, result in results.items():
        mine = [r for r in declared if _rule(r).package == package]
        if result.error is None:
            _route(package, result.values, mine, hits, stray)
    findings: list[Finding] = []
    for loaded in declared:
        rule = _rule(loaded)
        got = results.get(rule.package)
        skipped = out_of_scope(loaded, subject)
        if skipped is not None:
            findings.append(rule_finding(loaded, "skipped", skipped))
        elif got is None or got.error is not None:
            message = got.error if got else "the engine returned nothing for this package"
            location = got.location if got else None
            findings.append(
                rule_finding(loaded, "error", f"Rego evaluation failed: {message}", location)
            )
        else:
            findings.append(_finding(loaded, hits[rule.id]))
    for rule_id, (name, stray_hits) in stray.items():
        findings.append(_stray_finding(rule_id, name, stray_hits))
    return findings


def _rule(loaded: LoadedRule) -> RegoRule:
    assert isinstance(loaded.rule, RegoRule)
    return loaded.rule


def _route(
    package: str,
    values: Mapping[str, Any],
    mine: list[LoadedRule],
    hits: dict[str, _Hits],
    stray: dict[str, tuple[str, _Hits]],
) -> None:
    ids = {_rule(r).id for r in mine}
    for name, value in values.items():
        if not CONFTEST_RULE.match(name):
            continue
        for_name = [_rule(r) for r in mine if _rule(r).name == name]
        implicit = next((r.id for r in for_name if r.implicit), None)
        fallback = implicit or (for_name[0].id if len(for_name) == 1 else None)
        if not isinstance(value, list):
            problem = (
                f"`{name}` evaluated to {type(value).__name__}, not a set of messages: write "
                f"`{name} contains msg if {{ ... }}`"
            )
            for rule in for_name:
                hits[rule.id].errors.append(problem)
            if not for_name:
                stray.setdefault(f"{package}.{name}", (name, _Hits()))[1].errors.append(problem)
            continue
        for message in value:
            wanted = message.get("id") if isinstance(message, dict) else None
            target = wanted if isinstance(wanted, str) and wanted in ids else None
            if target is None and wanted is None:
                target = fallback
            evidence = _evidence(message)
            if target is not None:
                hits[target].evidence.append(evidence)
            else:
                stray_id = wanted if isinstance(wanted, str) else f"{package}.{name}"
                stray.setdefault(stray_id, (name, _Hits()))[1].evidence.append(evidence)


def _evidence(message: Any) -> Evidence:
    if isinstance(message, str):
        return Evidence(message=message)
    if isinstance(message, dict):
        text = message.get("msg", message.get("message"))
        if not isinstance(text, str):
            text = json.dumps(message, sort_keys=True, default=str)
        path, line = message.get("path"), message.get("line")
        location = None
        if isinstance(path, str) and path:
            location = Location(path=path, line=line if isinstance(line, int) else None)
        return Evidence(message=text, location=location)
    return Evidence(message=json.dumps(message, default=str))


def _in_order(evidence: list[Evidence]) -> list[Evidence]:
    """A Rego set has no order, and regopy and OPA enumerate it differently: file order (path,
    then line; a message about the whole file first), then messages without a place, each once."""

    def key(item: Evidence) -> tuple[bool, str, int, str]:
        where = item.location
        return (where is None, where.path if where else "", (where.line or 0) if where else 0,
                item.message)  # fmt: skip

    unique = {(e.message, e.location): e for e in evidence}
    return sorted(unique.values(), key=key)


def _finding(loaded: LoadedRule, got: _Hits) -> Finding:
    if got.errors:
        return rule_finding(loaded, "error", "; ".join(sorted(set(got.errors))))
    if not got.evidence:
        return rule_finding(loaded, "pass", "no violations")
    evidence = _in_order(got.evidence)
    return rule_finding(
        loaded,
        failing_status(loaded),
        _summary(evidence),
        next((e.location for e in evidence if e.location), None),
        evidence,
    )


def _summary(evidence: list[Evidence]) -> str:
    more = len(evidence) - 1
    return evidence[0].message + (f" (and {more} more)" if more else "")


def _stray_finding(rule_id: str, name: str, got: _Hits) -> Finding:
    """A message for a rule no METADATA declares still counts: it fails, and says why."""
    severity: Severity = "warning" if name.startswith("warn") else "blocking"
    evidence = _in_order(got.evidence)
    if got.errors:
        status: Any = "error"
        message = "; ".join(sorted(set(got.errors)))
    else:
        status = "warn" if severity == "warning" else "fail"
        message = _summary(evidence)
    return Finding(
        rule_id=rule_id,
        title=rule_id,
        severity=severity,
        status=status,
        message=message,
        remediation=(
            f"Declare {rule_id} in a `# METADATA` block (custom.id) above a `{name}` rule, or "
            "return an id that is declared."
        ),
        location=next((e.location for e in evidence if e.location), None),
        evidence=evidence,
    )
