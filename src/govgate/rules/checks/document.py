"""`document`: fields of a YAML or JSON artifact satisfy predicates, failures point at the line."""

from __future__ import annotations

from govgate.findings import Evidence, Outcome
from govgate.location import format_key_path
from govgate.rules.checks.base import CheckContext, artifact_or_outcome, file_location
from govgate.rules.checks.predicates import failed_predicates
from govgate.rules.paths import lookup, parse_path
from govgate.rules.schema import DocumentCheck


def check_document(check: DocumentCheck, ctx: CheckContext) -> Outcome:
    artifact = artifact_or_outcome(check.artifact, ctx, ("yaml", "json"))
    if isinstance(artifact, Outcome):
        return artifact
    problems: list[Evidence] = []
    for field in check.fields:
        found, value = lookup(artifact.data, field.path)
        for reason in failed_predicates(field, found, value, ctx.at):
            line = _line_of(artifact.key_lines, field.path)
            problems.append(
                Evidence(message=f"{field.path} {reason}", location=file_location(artifact, line))
            )
    if problems:
        return Outcome.failed("; ".join(p.message for p in problems), *problems)
    return Outcome.passed(f"{artifact.path}: {len(check.fields)} field(s) hold")


def _line_of(key_lines: dict[str, int], path: str) -> int | None:
    """The line of the field, or of its deepest existing parent when the field is missing."""
    parts = parse_path(path)
    while parts:
        key = format_key_path(parts)
        if key in key_lines:
            return key_lines[key]
        parts = parts[:-1]
    return None
