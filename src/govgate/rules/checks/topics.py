"""`topics`: required topics covered under any heading that names them, filled in, with numbers.

Reads `artifacts.<name>.topics`, which the artifact reader fills for Markdown documents and
Model Card Toolkit JSON cards alike, so one rule judges both.
"""

from __future__ import annotations

from govgate.artifacts.markdown import Placeholder
from govgate.artifacts.topics import TopicFacts
from govgate.facts import ArtifactFacts
from govgate.findings import Evidence, Outcome
from govgate.rules.checks.base import CheckContext, artifact_or_outcome, file_location
from govgate.rules.checks.text import forbidden_terms, placeholder_evidence, text_outcome
from govgate.rules.schema import TopicRequirement, TopicsCheck


def check_topics(check: TopicsCheck, ctx: CheckContext) -> Outcome:
    artifact = artifact_or_outcome(check.artifact, ctx, ("markdown", "json"))
    if isinstance(artifact, Outcome):
        return artifact
    if not artifact.topics:
        return Outcome.failed(
            f"{artifact.path} is not a model card govgate can read: a JSON card needs the Model "
            "Card Toolkit fields (model_details, considerations, quantitative_analysis)",
            Evidence(message="not a Model Card Toolkit card", location=file_location(artifact)),
        )
    problems: list[Evidence] = []
    covered: list[str] = []
    unfilled: list[Placeholder] = []
    for requirement in check.requirements():
        topic = artifact.topics.get(requirement.topic)
        if topic is None:
            known = ", ".join(sorted(artifact.topics))
            return Outcome.errored(
                f"unknown topic {requirement.topic!r}; known topics: {known} "
                "(declare new ones under `topics:` in govgate.yaml or the rule pack)"
            )
        unfilled += topic.placeholders
        problem = _judge(artifact, requirement, topic)
        if problem is None:
            covered.append(topic.title.lower())
        else:
            problems.append(problem)
    forbidden = forbidden_terms(artifact, check.forbid)
    # Placeholders inside the required topics: the rule judges those topics, not the whole file.
    placeholders = placeholder_evidence(artifact, unfilled) if check.forbid_placeholders else []
    passed = f"{artifact.path}: covers {', '.join(covered)}"
    return text_outcome(problems, forbidden, placeholders, passed)


def _judge(
    artifact: ArtifactFacts, requirement: TopicRequirement, topic: TopicFacts
) -> Evidence | None:
    name = topic.title.lower()
    first = next((s.line for s in topic.sources if s.line), None)
    where = _where(topic)
    if not topic.found:
        hint = f"; nearest heading: {topic.nearest!r}" if topic.nearest else ""
        return Evidence(
            message=f"missing topic {name!r}: no heading or field names it{hint}",
            location=file_location(artifact),
        )
    minimum = requirement.min_words or 1
    if topic.words < minimum and not (topic.metrics and requirement.min_metrics):
        discarded = _discarded(topic)
        return Evidence(
            message=(
                f"topic {name!r} ({where}) has {topic.words} words of content, needs at least "
                f"{minimum}{discarded}"
            ),
            location=file_location(artifact, first),
        )
    if len(topic.metrics) < requirement.min_metrics:
        return Evidence(
            message=(
                f"topic {name!r} ({where}) states {len(topic.metrics)} metric value(s), needs "
                f"at least {requirement.min_metrics}: a number next to a metric name, in a "
                "results table or in model-index (a link to a paper is not a result)"
            ),
            location=file_location(artifact, first),
        )
    return None


def _where(topic: TopicFacts) -> str:
    shown = [f"{s.title!r}" + (f" line {s.line}" if s.line else "") for s in topic.sources[:3]]
    more = f" and {len(topic.sources) - 3} more" if len(topic.sources) > 3 else ""
    return ", ".join(shown) + more


def _discarded(topic: TopicFacts) -> str:
    parts = []
    if topic.placeholders:
        parts.append(f"{len(topic.placeholders)} placeholder(s)")
    if topic.template_text:
        parts.append(f"{topic.template_text} template instruction(s) or question(s)")
    return f"; not counted: {', '.join(parts)}" if parts else ""
