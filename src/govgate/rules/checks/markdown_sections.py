"""`markdown_sections`: required sections present (any spelling), filled in, no placeholders."""

from __future__ import annotations

from govgate.artifacts.markdown import MarkdownDocument, Section, normalize_title
from govgate.findings import Evidence, Outcome
from govgate.rules.checks.base import CheckContext, artifact_or_outcome, file_location
from govgate.rules.checks.text import forbidden_terms, placeholder_evidence, text_outcome
from govgate.rules.schema import AnyOf, MarkdownSectionsCheck


def check_markdown_sections(check: MarkdownSectionsCheck, ctx: CheckContext) -> Outcome:
    artifact = artifact_or_outcome(check.artifact, ctx, ("markdown",))
    if isinstance(artifact, Outcome):
        return artifact
    doc = artifact.markdown
    assert doc is not None  # a readable markdown artifact always has its parse
    problems: list[Evidence] = []
    reported: set[int] = set()
    for entry in check.required:
        spellings = entry.any_of if isinstance(entry, AnyOf) else [entry]
        section = _find(doc, spellings)
        if section is None:
            accepted = " | ".join(spellings)
            problems.append(
                Evidence(
                    message=f"missing section {spellings[0]!r} (accepted titles: {accepted})",
                    location=file_location(artifact),
                )
            )
        elif section.total_words < check.min_words and section.line not in reported:
            reported.add(section.line)
            problems.append(
                Evidence(
                    message=(
                        f"section {section.title!r} has {section.total_words} words, "
                        f"needs at least {check.min_words}"
                    ),
                    location=file_location(artifact, section.line),
                )
            )
    forbidden = forbidden_terms(artifact, check.forbid)
    placeholders = (
        placeholder_evidence(artifact, doc.placeholders) if check.forbid_placeholders else []
    )
    passed = f"{artifact.path}: {len(check.required)} required section(s) present"
    return text_outcome(problems, forbidden, placeholders, passed)


def _find(doc: MarkdownDocument, spellings: list[str]) -> Section | None:
    """The fullest section under any accepted title (the first of equals): a short note near
    the top must not hide the filled section of the same name further down."""
    keys = {normalize_title(s) for s in spellings}
    matching = [s for s in doc.sections if s.key in keys]
    return max(matching, key=lambda s: s.total_words, default=None)
