"""Evidence over a document's prose shared by the section and topic checks: forbidden terms,
placeholders left in, and a short list of the lines they are on."""

from __future__ import annotations

import re
from collections.abc import Iterable

from govgate.artifacts.markdown import Placeholder
from govgate.facts import ArtifactFacts
from govgate.findings import Evidence, Outcome
from govgate.rules.checks.base import file_location


def forbidden_terms(artifact: ArtifactFacts, terms: list[str]) -> list[Evidence]:
    doc = artifact.markdown
    if not terms or doc is None:
        return []
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(t)}(?!\w)" for t in terms), re.IGNORECASE)
    found: list[Evidence] = []
    for section in doc.sections:
        for offset, line in enumerate(section.text.split("\n")):
            for match in pattern.finditer(line):
                found.append(
                    Evidence(
                        message=f"forbidden text {match.group(0)!r}",
                        location=file_location(
                            artifact, section.body_line + offset, match.start() + 1
                        ),
                    )
                )
    return found


def placeholder_evidence(artifact: ArtifactFacts, marks: Iterable[Placeholder]) -> list[Evidence]:
    """One piece of evidence per placeholder, at its line and column (a structured card's
    placeholders name their field instead)."""
    found: dict[tuple[int, int, str], Evidence] = {}
    for p in marks:
        if p.line:
            message = f"placeholder {p.text!r} left in"
            location = file_location(artifact, p.line, p.column)
        else:
            message, location = f"placeholder left in at {p.text}", file_location(artifact)
        found.setdefault((p.line, p.column, p.text), Evidence(message=message, location=location))
    return list(found.values())


def text_outcome(
    problems: list[Evidence], forbidden: list[Evidence], placeholders: list[Evidence], passed: str
) -> Outcome:
    """Fail with every problem, then forbidden terms and placeholders summed up by line; or pass."""
    parts = [p.message for p in problems]
    if forbidden:
        parts.append(f"{len(forbidden)} forbidden term(s) ({summarise_lines(forbidden)})")
    if placeholders:
        parts.append(
            f"{len(placeholders)} template placeholder(s) left in ({summarise_lines(placeholders)})"
        )
    if parts:
        return Outcome.failed("; ".join(parts), *problems, *forbidden, *placeholders)
    return Outcome.passed(passed)


def summarise_lines(evidence: list[Evidence]) -> str:
    lines = sorted({e.location.line for e in evidence if e.location and e.location.line})
    shown = ", ".join(str(n) for n in lines[:10])
    return "line " + shown + (", ..." if len(lines) > 10 else "") if lines else "no line"
