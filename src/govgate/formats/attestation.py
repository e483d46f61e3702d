"""`attestation.intoto.json`: the report as an unsigned in-toto Statement v1 about the release.

Spec: https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md (Statement v1.1).

- `subject` (each element MUST have a `digest`):
  1. the model release, named `models:/<name>/<version>` (the bare model name when no version is
     known), with digest `{"sha256": ...}` of the registry's model-version response when the
     report read one from MLflow, otherwise `{"gitCommit": ...}` of the evaluated commit (a
     DigestSet algorithm the spec defines). With neither, there is nothing immutable to bind the
     model to, and it is left out rather than given a made-up digest;
  2. every report input that has a sha256, named `<kind>:<location>`;
  3. `report.json`, with the sha256 of exactly the bytes the json format writes: it binds the
     statement to the report file beside it (`govgate verify` checks it), and it keeps `subject`
     non-empty for an error report that got no further than its config.
- `predicate`: the report document, the same content as report.json.
- `predicateType`: a TypeURI (spec/v1/field_types.md#TypeURI) is any RFC 3986 URI, case
  normalised; it SHOULD resolve but MAY not ("TypeURIs are not registered. The natural
  namespacing of URIs is sufficient to prevent collisions."). govgate owns no domain, so an
  `https://` URI under any host would claim a name that is not ours, and `urn:govgate:...` would
  squat a URN namespace that IANA has not assigned (RFC 8141). A `urn:uuid:` URN (RFC 9562, a
  registered namespace whose names anyone may mint) is collision-resistant by construction and
  claims nothing. `PREDICATE_TYPE` below was generated once for version 1 of this predicate, whose
  own schema field reads `govgate/report/v1`; a breaking change to the predicate gets a new UUID.
  If the project comes to own a domain or repository URL, a resolvable https TypeURI can replace
  it (consumers would then accept both for a while).

The statement is not signed here: the pipeline that holds a signing identity wraps it in a DSSE
envelope (spec/v1/envelope.md).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from govgate.formats.base import Format
from govgate.formats.json import JsonFormat
from govgate.report import Report

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "urn:uuid:413f8966-6be8-49ea-9f0e-1d4b8d3eb983"
REPORT_SUBJECT = JsonFormat.filename


class AttestationFormat(Format):
    name = "attestation"
    filename = "attestation.intoto.json"

    def render(self, report: Report) -> bytes:
        return (json.dumps(statement(report), indent=2, ensure_ascii=False) + "\n").encode()


def statement(report: Report) -> dict[str, Any]:
    """The in-toto Statement v1 as a JSON-able dict, keys in the spec's order."""
    return {
        "_type": STATEMENT_TYPE,
        "subject": subjects(report),
        "predicateType": PREDICATE_TYPE,
        "predicate": report.to_document(),
    }


def subjects(report: Report) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    model = _model_subject(report)
    if model is not None:
        found.append(model)
    for item in report.inputs:
        if item.sha256:
            found.append(
                {"name": f"{item.kind}:{item.location}", "digest": {"sha256": item.sha256}}
            )
    report_bytes = JsonFormat().render(report)
    found.append(
        {"name": REPORT_SUBJECT, "digest": {"sha256": hashlib.sha256(report_bytes).hexdigest()}}
    )
    unique: list[dict[str, Any]] = []
    for subject in found:  # the same input read twice is one subject (names SHOULD be unique)
        if subject not in unique:
            unique.append(subject)
    return unique


def _model_subject(report: Report) -> dict[str, Any] | None:
    subject = report.subject
    if not subject.name:
        return None
    name = f"models:/{subject.name}/{subject.version}" if subject.version else subject.name
    if subject.version:
        call = f" model-versions/get {subject.name}/{subject.version}"
        for item in report.inputs:
            if item.kind == "mlflow" and item.sha256 and item.location.endswith(call):
                return {"name": name, "digest": {"sha256": item.sha256}}
    if subject.git_commit:
        return {"name": name, "digest": {"gitCommit": subject.git_commit}}
    return None
