"""attestation.intoto.json checked against the in-toto Statement v1 spec and the report it carries.

The in-toto/attestation repository publishes no JSON Schema for Statement v1, so STATEMENT_V1
below is written from the spec's field definitions (spec/v1 in github.com/in-toto/attestation):

- statement.md, "Fields": `_type` is the TypeURI `https://in-toto.io/Statement/v1`; `subject`
  is a required array of ResourceDescriptors, each of which MUST have `digest` set;
  `predicateType` is a required TypeURI; `predicate` is an optional object. The reference
  validator (python/in_toto_attestation/v1/statement.py) also rejects an empty subject list and
  an empty predicate.
- resource_descriptor.md, "Fields": `name`, `uri`, `digest`, `content`, `downloadLocation`,
  `mediaType`, `annotations`; at least one of `uri`, `digest`, `content`.
- digest_set.md, "Fields": a map from algorithm to a string; the standard algorithms (`sha256`
  and friends) use lowercase hex; `gitCommit` is a 40- or 64-character lowercase hex git id.
- field_types.md, "TypeURI": an RFC 3986 URI, case normalised (scheme and authority lowercase).
- README.md, "Parsing rules": consumers MUST ignore unrecognised fields, so none is forbidden.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from govgate.formats.attestation import PREDICATE_TYPE, AttestationFormat
from govgate.formats.json import JsonFormat
from govgate.gate import GateOptions, run_check
from govgate.report import Report, ReportSubject
from govgate.sources.base import Input
from tests.unit.formats2.test_markdown_summary import AT, Case, assert_golden, gate_report

HEX = {"sha1": 40, "sha224": 56, "sha256": 64, "sha384": 96, "sha512": 128}
# RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ); lowercase when
# case normalised (section 6.2.2.1).
TYPE_URI = r"^[a-z][a-z0-9+.-]*:[^\s]+$"

STATEMENT_V1: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["_type", "subject", "predicateType"],
    "properties": {
        "_type": {"const": "https://in-toto.io/Statement/v1"},
        "subject": {
            "type": "array",
            "minItems": 1,
            "items": {"allOf": [{"$ref": "#/$defs/resourceDescriptor"}, {"required": ["digest"]}]},
        },
        "predicateType": {"type": "string", "pattern": TYPE_URI},
        "predicate": {"type": "object", "minProperties": 1},
    },
    "$defs": {
        "resourceDescriptor": {
            "type": "object",
            "anyOf": [{"required": ["uri"]}, {"required": ["digest"]}, {"required": ["content"]}],
            "properties": {
                "name": {"type": "string"},
                "uri": {"type": "string", "pattern": TYPE_URI},
                "digest": {"$ref": "#/$defs/digestSet"},
                "content": {"type": "string", "contentEncoding": "base64"},
                "downloadLocation": {"type": "string", "pattern": TYPE_URI},
                "mediaType": {"type": "string"},
                "annotations": {"type": "object"},
            },
        },
        "digestSet": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"type": "string"},
            "properties": {
                **{alg: {"pattern": f"^[0-9a-f]{{{n}}}$"} for alg, n in HEX.items()},
                "gitCommit": {"pattern": "^([0-9a-f]{40}|[0-9a-f]{64})$"},
            },
        },
    },
}
VALIDATOR = jsonschema.Draft202012Validator(STATEMENT_V1)


def attest(report: Report) -> dict[str, Any]:
    statement: dict[str, Any] = json.loads(AttestationFormat().render(report))
    return statement


def by_name(statement: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {s["name"]: s["digest"] for s in statement["subject"]}


def test_the_schema_is_valid_and_rejects_what_the_spec_forbids() -> None:
    jsonschema.Draft202012Validator.check_schema(STATEMENT_V1)
    good = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "x", "digest": {"sha256": "a" * 64}}],
        "predicateType": "https://example.com/p/v1",
        "predicate": {"k": 1},
    }
    assert VALIDATOR.is_valid(good)
    bad: list[dict[str, Any]] = [
        good | {"_type": "https://in-toto.io/Statement/v0.1"},
        good | {"subject": []},
        good | {"subject": [{"name": "x"}]},
        good | {"subject": [{"name": "x", "uri": "https://e.com/x"}]},  # no digest
        good | {"subject": [{"name": "x", "digest": {"sha256": "A" * 64}}]},
        good | {"subject": [{"name": "x", "digest": {"sha256": "a" * 63}}]},
        good | {"subject": [{"name": "x", "digest": {}}]},
        good | {"predicateType": "govgate/report/v1"},  # no scheme: not a URI
        good | {"predicateType": "HTTPS://example.com/p"},  # not case normalised
        good | {"predicate": "text"},
        {k: v for k, v in good.items() if k != "predicateType"},
    ]
    for statement in bad:
        assert not VALIDATOR.is_valid(statement), statement


@pytest.mark.parametrize("case", ["pass", "fail", "error"])
def test_statement_is_valid_in_toto_v1(make_repo: Callable[..., Path], case: Case) -> None:
    statement = attest(gate_report(make_repo, case))
    VALIDATOR.validate(statement)
    assert list(statement) == ["_type", "subject", "predicateType", "predicate"]


@pytest.mark.parametrize("case", ["pass", "fail", "error"])
def test_every_pinned_input_is_a_subject_with_its_own_digest(
    make_repo: Callable[..., Path], case: Case
) -> None:
    report = gate_report(make_repo, case)
    statement = attest(report)
    subjects = by_name(statement)
    pinned = [i for i in report.inputs if i.sha256]
    assert len(pinned) >= 4
    for item in pinned:
        assert subjects[f"{item.kind}:{item.location}"] == {"sha256": item.sha256}
    model = f"models:/{report.subject.name}/{report.subject.version}"
    assert subjects[model] == {"gitCommit": report.subject.git_commit}
    report_json = JsonFormat().render(report)
    assert subjects["report.json"] == {"sha256": hashlib.sha256(report_json).hexdigest()}
    assert len(statement["subject"]) == len(pinned) + 2
    assert statement["predicate"] == json.loads(report_json) == report.to_document()


def test_subjects_match_golden(make_repo: Callable[..., Path]) -> None:
    statement = attest(gate_report(make_repo, "fail"))
    del statement["predicate"]
    for subject in statement["subject"]:  # digests are checked above; they change with rules
        digest = subject["digest"]
        if "sha256" in digest:
            assert re.fullmatch("[0-9a-f]{64}", digest["sha256"])
            digest["sha256"] = "<sha256>"
    text = json.dumps(statement, indent=2) + "\n"
    assert_golden("attestation-fail.subjects.json", text.encode())


def test_predicate_type_is_a_type_uri_that_claims_no_domain() -> None:
    # RFC 3986 appendix B: the parts of a URI reference.
    parts = re.match(r"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?", PREDICATE_TYPE)
    assert parts is not None
    scheme, authority, path = parts.group(2), parts.group(4), parts.group(5)
    assert scheme == "urn" and authority is None  # no host: nothing to own or squat
    nid, _, nss = path.partition(":")
    assert nid == "uuid"  # RFC 9562 section 4: a registered URN namespace anyone may mint in
    assert str(uuid.UUID(nss)) == nss  # canonical, lowercase form
    assert PREDICATE_TYPE.strip() == PREDICATE_TYPE and re.match(TYPE_URI, PREDICATE_TYPE)


def _mlflow(location: str, digest: str) -> Input:
    return Input(kind="mlflow", location=location, sha256=digest, size=10)


def test_the_model_is_pinned_by_its_registry_response_when_mlflow_was_read() -> None:
    server = "http://127.0.0.1:5000"
    report = Report(
        evaluated_at="2026-11-26T12:00:00+00:00",
        subject=ReportSubject(name="credit-risk", version="8", git_commit="a" * 40),
        inputs=[
            _mlflow(f"{server} registered-models/get credit-risk", "1" * 64),
            _mlflow(f"{server} model-versions/get credit-risk/7", "2" * 64),  # a baseline
            _mlflow(f"{server} model-versions/get credit-risk/8", "3" * 64),
            _mlflow(f"{server} runs/get abc", "4" * 64),
            _mlflow(f"{server} runs/get abc", "4" * 64),  # read twice: one subject
            Input(kind="git", location="HEAD"),  # no digest: no subject
        ],
    )
    statement = attest(report)
    VALIDATOR.validate(statement)
    assert statement["subject"][0] == {
        "name": "models:/credit-risk/8",
        "digest": {"sha256": "3" * 64},
    }
    names = [s["name"] for s in statement["subject"]]
    assert len(names) == len(set(names)) == 6
    assert "git:HEAD" not in names


@pytest.mark.parametrize(
    ("subject", "model"),
    [
        (
            ReportSubject(name="m", git_commit="b" * 40),
            {"name": "m", "digest": {"gitCommit": "b" * 40}},
        ),
        (ReportSubject(name="m", version="3"), None),  # no registry, no git: nothing immutable
        (ReportSubject(), None),
    ],
)
def test_the_model_subject_needs_an_immutable_digest(
    subject: ReportSubject, model: dict[str, Any] | None
) -> None:
    statement = attest(Report(evaluated_at="2026-11-26T12:00:00+00:00", subject=subject))
    VALIDATOR.validate(statement)
    names = [s["name"] for s in statement["subject"]]
    if model is None:
        assert names == ["report.json"]
    else:
        assert statement["subject"][0] == model


def test_a_report_that_stopped_at_its_config_is_still_a_valid_statement(tmp_path: Path) -> None:
    report = run_check(GateOptions(repo=tmp_path / "missing", at=AT, env={})).report
    statement = attest(report)
    VALIDATOR.validate(statement)
    assert [s["name"] for s in statement["subject"]] == ["report.json"]
    assert statement["predicate"]["verdict"] == "error"


def test_render_is_deterministic_and_utf8(make_repo: Callable[..., Path]) -> None:
    report = gate_report(make_repo, "fail")
    first = AttestationFormat().render(report)
    assert first == AttestationFormat().render(dataclasses.replace(report))
    assert first.endswith(b"}\n")
    first.decode("utf-8")
