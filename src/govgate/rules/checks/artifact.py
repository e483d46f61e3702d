"""`artifact`: the file exists, was committed recently enough, and names the model it documents."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from govgate.facts import ArtifactFacts
from govgate.findings import Evidence, Outcome
from govgate.rules.checks.base import CheckContext, artifact_or_outcome, file_location
from govgate.rules.schema import ArtifactCheck


def check_artifact(check: ArtifactCheck, ctx: CheckContext) -> Outcome:
    if not check.exists:
        facts = ctx.facts.artifacts.get(check.artifact)
        if facts is not None and facts.error:  # a folder or a symlink loop there is no absence
            return Outcome.errored(
                f"artifact {check.artifact!r} could not be read, so it cannot be shown absent: "
                f"{facts.error}"
            )
        if facts is not None and facts.exists:
            return Outcome.failed(
                f"{facts.path} exists but must not",
                Evidence(message="remove it", location=file_location(facts)),
            )
        return Outcome.passed(f"artifact {check.artifact!r} is absent, as required")
    artifact = artifact_or_outcome(check.artifact, ctx)
    if isinstance(artifact, Outcome):
        return artifact
    problems: list[Evidence] = []
    if check.max_age_days is not None and artifact.last_commit_unknown:
        return Outcome.errored(
            f"cannot check how old {artifact.path} is: {artifact.last_commit_unknown}",
            Evidence(message=artifact.last_commit_unknown, location=file_location(artifact)),
        )
    if check.max_age_days is not None:
        problems.extend(_age_problems(artifact, check.max_age_days, ctx))
    for field in check.must_reference:
        wanted = ctx.facts.subject.name if field == "name" else ctx.facts.subject.version
        if wanted is None:
            return Outcome.errored(
                f"cannot check that {artifact.path} names the model version: the version is "
                "unknown (set model.version in govgate.yaml or pass --model models:/NAME/VERSION)"
            )
        if not _mentions(searchable_text(artifact), field, wanted):
            problems.append(
                Evidence(
                    message=f"does not mention the model {field} {wanted!r}",
                    location=file_location(artifact, 1),
                )
            )
    if problems:
        return Outcome.failed("; ".join(p.message for p in problems), *problems)
    return Outcome.passed(f"{artifact.path} is present (sha256 {artifact.sha256})")


def _age_problems(artifact: ArtifactFacts, max_days: int, ctx: CheckContext) -> list[Evidence]:
    if artifact.last_commit is None:
        return [
            Evidence(
                message="has no git commit, so its age cannot be established: commit it",
                location=file_location(artifact),
            )
        ]
    age = ctx.at - artifact.last_commit
    if age > timedelta(days=max_days):
        return [
            Evidence(
                message=(
                    f"last changed {artifact.last_commit.date().isoformat()}, {age.days} days ago "
                    f"(limit {max_days})"
                ),
                location=file_location(artifact),
            )
        ]
    return []


def searchable_text(artifact: ArtifactFacts) -> str:
    """The prose of an artifact as one string, whatever its format."""
    if artifact.markdown is not None:
        doc = artifact.markdown
        parts = [s.title + "\n" + s.text for s in doc.sections]
        if doc.front_matter:
            parts.append(json.dumps(doc.front_matter, default=str))
        return "\n".join(parts)
    if artifact.text is not None:
        return artifact.text
    return json.dumps(artifact.data, default=str)


def _mentions(text: str, field: str, wanted: str) -> bool:
    if field == "name":
        words = [re.escape(w) for w in re.split(r"[-_\s]+", wanted) if w]
        pattern = r"(?<![\w])" + r"[-_\s]?".join(words) + r"(?![\w])"
        return re.search(pattern, text, re.IGNORECASE) is not None
    version = re.escape(wanted)
    pattern = (
        rf"(?:\bversion\b\W{{0,3}}|\bv|[/@:]){version}(?![\w.])"
        rf"|\bversion\W{{0,3}}{version}(?![\w.])"
    )
    return re.search(pattern, text, re.IGNORECASE) is not None
