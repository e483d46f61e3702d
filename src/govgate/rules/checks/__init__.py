"""Check kinds: one module per family; this registry maps each `kind` to its evaluator."""

from __future__ import annotations

from govgate.rules.checks.approvals import check_approvals
from govgate.rules.checks.artifact import check_artifact
from govgate.rules.checks.base import CheckContext, Evaluator
from govgate.rules.checks.card_metrics import check_card_metrics
from govgate.rules.checks.compose import check_all, check_any, check_not
from govgate.rules.checks.document import check_document
from govgate.rules.checks.fact import check_fact
from govgate.rules.checks.markdown_sections import check_markdown_sections
from govgate.rules.checks.mlflow import check_metric, check_model_artifact, check_run_artifact
from govgate.rules.checks.monitoring import check_monitoring
from govgate.rules.checks.topics import check_topics

REGISTRY: dict[str, Evaluator] = {
    "artifact": check_artifact,
    "topics": check_topics,
    "markdown_sections": check_markdown_sections,
    "document": check_document,
    "fact": check_fact,
    "metric": check_metric,
    "card_metrics": check_card_metrics,
    "run_artifact": check_run_artifact,
    "model_artifact": check_model_artifact,
    "approvals": check_approvals,
    "monitoring": check_monitoring,
    "all": check_all,
    "any": check_any,
    "not": check_not,
}

__all__ = ["REGISTRY", "CheckContext", "Evaluator"]
