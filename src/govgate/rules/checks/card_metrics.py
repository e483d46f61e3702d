"""`card_metrics`: what a model card states about a metric agrees with the registered run.

A card that says "AUC 0.91" while the run behind the version logged 0.87 describes another
model, or was written before the last retraining. Every value the card states (prose, tables,
model-index, a JSON card's performance metrics) whose name is a metric the run logged is
compared; a metric agrees when one of its stated values is within the tolerance (a percentage
is also read as a fraction), so per-slice values beside the headline do not fail it.
"""

from __future__ import annotations

import re

from govgate.artifacts.metrics import MetricValue
from govgate.artifacts.vocabulary import fold
from govgate.facts import ArtifactFacts
from govgate.findings import Evidence, Outcome
from govgate.rules.checks.base import CheckContext, artifact_or_outcome, file_location
from govgate.rules.checks.mlflow import run_or_outcome
from govgate.rules.schema import CardMetricsCheck

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def metric_key(name: str) -> str:
    """How a metric name is compared: `ROC AUC`, `roc_auc` and `roc-auc` are one metric."""
    return _NOT_ALNUM.sub("", fold(name))


def check_card_metrics(check: CardMetricsCheck, ctx: CheckContext) -> Outcome:
    artifact = artifact_or_outcome(check.artifact, ctx, ("markdown", "json"))
    if isinstance(artifact, Outcome):
        return artifact
    run = run_or_outcome(ctx)
    if isinstance(run, Outcome):
        return run
    logged = {metric_key(key): key for key in run.metrics}
    mapped = {metric_key(card): metric_key(key) for card, key in check.names.items()}
    stated: dict[str, list[MetricValue]] = {}
    for value in stated_metrics(artifact):
        key = mapped.get(metric_key(value.name), metric_key(value.name))
        if key in logged:
            stated.setdefault(logged[key], []).append(value)
    disagree: list[Evidence] = []
    agreed: list[str] = []
    for key in sorted(stated):
        run_value = run.metrics[key]
        values = stated[key]
        if any(_agrees(v, run_value, check.tolerance) for v in values):
            agreed.append(f"{key} {run_value:g}")
            continue
        shown = ", ".join(f"{_written(v)} ({_where(v)})" for v in values[:5])
        disagree.append(
            Evidence(
                message=(
                    f"{key}: the card states {shown}; run {run.run_id} logged {run_value:g} "
                    f"(tolerance {check.tolerance:g})"
                ),
                location=file_location(artifact, values[0].line),
            )
        )
    if disagree:
        return Outcome.failed(
            f"{len(disagree)} metric(s) in {artifact.path} disagree with the registered run: "
            + "; ".join(e.message for e in disagree),
            *disagree,
        )
    if len(stated) < check.min_compared:
        return Outcome.failed(
            f"{artifact.path} states {len(stated)} metric(s) the run also logged, needs "
            f"{check.min_compared}; the run logged: {', '.join(sorted(run.metrics)) or 'none'}"
        )
    if not stated:
        return Outcome.passed(
            f"{artifact.path} states no metric the run logged: nothing to compare"
        )
    return Outcome.passed(f"{artifact.path} agrees with run {run.run_id}: {', '.join(agreed)}")


def stated_metrics(artifact: ArtifactFacts) -> list[MetricValue]:
    """Every metric value a document states, each once, in document order."""
    found: dict[tuple[str, float, int | None, str], MetricValue] = {}
    pools = [artifact.markdown.metrics] if artifact.markdown else []
    pools += [topic.metrics for topic in artifact.topics.values()]
    for pool in pools:
        for value in pool:
            found.setdefault((value.name, value.value, value.line, value.where), value)
    return list(found.values())


def _agrees(stated: MetricValue, logged: float, tolerance: float) -> bool:
    candidates = [stated.value, stated.value / 100] if stated.percent else [stated.value]
    return any(abs(c - logged) <= tolerance + 1e-12 for c in candidates)


def _written(value: MetricValue) -> str:
    return f"{value.value:g}{'%' if value.percent else ''}"


def _where(value: MetricValue) -> str:
    return f"line {value.line}" if value.line else value.where
