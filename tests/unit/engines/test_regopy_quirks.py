"""regopy's known behaviours, each shown raw (so the test could fail) and neutralised by govgate."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import regopy

from govgate.engines.rego import RegopyEngine
from govgate.engines.rego_input import rego_input
from govgate.engines.rego_results import rego_findings
from govgate.errors import RuleError
from govgate.facts import Subject
from govgate.rules.loader import LoadedRule
from govgate.rules.rego_source import parse_rego

AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SUBJECT = Subject(name="credit-risk", risk_tier="high")


def raw(source: str, query: str, data: dict | None = None, **settings: object) -> regopy.Output:
    interpreter = regopy.Interpreter()
    for name, value in settings.items():
        setattr(interpreter, name, value)
    interpreter.add_module("p.rego", source)
    if data is not None:
        interpreter.set_input(regopy.Input(data))
    return interpreter.query(query)


def statuses(source: str, document: dict) -> dict[str, tuple[str, str]]:
    module = parse_rego(source, "p.rego")
    rules = [LoadedRule(d.rule, module.package, d.location) for d in module.declared]
    results = RegopyEngine([module]).evaluate(rego_input(document, AT))
    return {f.rule_id: (f.status, f.message) for f in rego_findings(rules, results, SUBJECT)}


SYNTAX_ERROR = "package p\n\ndeny contains msg if {\n  x := \n}\n"


def test_regopy_prints_errors_to_stdout_by_default_and_govgate_silences_it(capfd) -> None:
    with pytest.raises(regopy.RegoError):
        raw(SYNTAX_ERROR, "x := data.p")
    assert "Invalid assignment" in capfd.readouterr().out  # the quirk
    with pytest.raises(RuleError):
        RegopyEngine([parse_rego(SYNTAX_ERROR, "policy/p.rego")])
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_syntax_errors_carry_a_byte_offset_which_govgate_turns_into_line_and_column() -> None:
    with pytest.raises(regopy.RegoError) as raw_error:
        raw(SYNTAX_ERROR, "x := data.p", log_level=regopy.LogLevel.NONE)
    assert "p.rego|38|" in str(raw_error.value)  # an offset, no line
    with pytest.raises(RuleError) as caught:
        RegopyEngine([parse_rego(SYNTAX_ERROR, "policy/p.rego")])
    error = caught.value
    assert str(error.location) == "policy/p.rego:4:5"
    assert "Invalid assignment operator" in str(error)


def test_v0_bodies_mean_something_else_in_regopy_and_govgate_refuses_them() -> None:
    v0 = 'package p\n\ndeny[msg] {\n\tmsg := "card missing"\n}\n'
    output = raw(v0, "x := data.p.deny", log_level=regopy.LogLevel.NONE)
    assert output.results[0].bindings["x"] == {"card missing": True}  # an object, not a set
    with pytest.raises(RuleError, match="v0"):
        parse_rego(v0, "p.rego")


CARD_AGE = """\
package p

# METADATA
# title: Card committed within 30 days
# custom:
#   id: AGE-1
#   remediation: Commit a reviewed card.
deny contains {"id": "AGE-1", "msg": "stale card"} if {
	committed := time.parse_rfc3339_ns(input.artifacts.model_card.last_commit)
	input.at_ns - committed > 30 * 24 * 60 * 60 * 1000000000
}
"""


def test_zulu_timestamps_are_undefined_in_regopy_and_normalised_by_govgate() -> None:
    output = raw(
        'package p\n\nt := time.parse_rfc3339_ns("2026-01-01T00:00:00Z")\n',
        "x := data.p.t",
        log_level=regopy.LogLevel.NONE,
    )
    assert output.results[0].bindings.get("x") is None  # undefined: a silent pass
    stale = {"artifacts": {"model_card": {"last_commit": "2026-01-01T09:00:00Z"}}}
    fresh = {"artifacts": {"model_card": {"last_commit": "2026-11-20T09:00:00Z"}}}
    assert statuses(CARD_AGE, stale) == {"AGE-1": ("fail", "stale card")}
    assert statuses(CARD_AGE, fresh) == {"AGE-1": ("pass", "no violations")}


def test_a_false_rule_is_undefined_unless_bound_and_govgate_binds() -> None:
    source = "package p\n\nallow := false\n"
    assert str(raw(source, "data.p.allow", log_level=regopy.LogLevel.NONE)) == "undefined"
    module = parse_rego(source, "p.rego")
    values = RegopyEngine([module]).evaluate({})["p"].values
    assert values == {"allow": False}


BUILTIN_ERROR = """\
package p

# METADATA
# title: Evaluation AUC is at least 0.8
# custom:
#   id: AUC-1
#   remediation: Improve the model.
deny contains {"id": "AUC-1", "msg": "AUC below 0.8"} if {
	to_number(input.artifacts.evaluation.data.auc) < 0.8
}
"""


def test_builtin_errors_are_silently_undefined_by_default_and_an_error_in_govgate() -> None:
    document = {"artifacts": {"evaluation": {"data": {"auc": "n/a"}}}}
    lenient = raw(BUILTIN_ERROR, "x := data.p.deny", document, log_level=regopy.LogLevel.NONE)
    assert lenient.results[0].bindings["x"] == []  # no violation: the gate would pass
    status, message = statuses(BUILTIN_ERROR, document)["AUC-1"]
    assert status == "error"
    assert message == "Rego evaluation failed: invalid syntax"


def test_an_object_valued_deny_is_an_error_not_a_pass() -> None:
    source = (
        "package p\n\n# METADATA\n# title: T\n# custom:\n#   id: X-1\n#   remediation: r\n"
        'deny contains "x" if false\n\nwarn := {"a": 1}\n'
    )
    found = statuses(source, {})
    assert found["X-1"] == ("pass", "no violations")
    assert found["p.warn"][0] == "error" and "not a set" in found["p.warn"][1]


SPRINTF_S = """\
package p

# METADATA
# title: T
# custom:
#   id: S-1
#   remediation: r
deny contains {"id": "S-1", "msg": msg} if {
	name := "card"
	msg := sprintf("missing %s", [name])
}
"""


def test_malformed_output_from_rego_cpp_is_an_error_finding_not_a_crash() -> None:
    with pytest.raises(ValueError):  # the quirk: regopy's own output is not JSON
        raw(SPRINTF_S, "x := data.p", log_level=regopy.LogLevel.NONE)
    status, message = statuses(SPRINTF_S, {})["S-1"]
    assert status == "error" and "not JSON" in message and "concat" in message


def test_non_ascii_facts_compare_equal_to_non_ascii_policy_strings() -> None:
    source = (
        "package p\n\n# METADATA\n# title: T\n# custom:\n#   id: N-1\n#   remediation: r\n"
        'deny contains {"id": "N-1", "msg": "wrong model"} if input.subject.name != "modèle"\n'
    )
    assert statuses(source, {"subject": {"name": "modèle"}})["N-1"][0] == "pass"
    assert statuses(source, {"subject": {"name": "autre"}})["N-1"][0] == "fail"
