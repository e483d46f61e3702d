"""`metric` and `run_artifact`: what the model version's MLflow run logged."""

from __future__ import annotations

from govgate.facts import MlflowRunFacts
from govgate.findings import Outcome
from govgate.rules.checks.base import CheckContext
from govgate.rules.schema import MetricCheck, RunArtifactCheck

_EPSILON = 1e-12


def _run(ctx: CheckContext) -> MlflowRunFacts | Outcome:
    mlflow = ctx.facts.mlflow
    if mlflow is None:
        return Outcome.errored(
            "needs the model version from MLflow: pass --model models:/NAME/VERSION (or @ALIAS) "
            "and a tracking URI (--tracking-uri or MLFLOW_TRACKING_URI)"
        )
    if mlflow.run is None:
        return Outcome.errored(f"model version {mlflow.version.version} has no MLflow run")
    return mlflow.run


def check_metric(check: MetricCheck, ctx: CheckContext) -> Outcome:
    run = _run(ctx)
    if isinstance(run, Outcome):
        return run
    value = run.metrics.get(check.name)
    if value is None:
        return Outcome.failed(f"run {run.run_id} logged no metric {check.name!r}")
    problems: list[str] = []
    notes: list[str] = []
    if check.min is not None and value < check.min:
        problems.append(f"{check.name} {value:g} is below the minimum {check.min:g}")
    if check.max is not None and value > check.max:
        problems.append(f"{check.name} {value:g} is above the maximum {check.max:g}")
    if check.relative_to is not None:
        outcome = _relative(check, value, ctx)
        if outcome.status == "error":
            return outcome
        (problems if outcome.status == "fail" else notes).append(outcome.message)
    if problems:
        return Outcome.failed("; ".join(problems))
    return Outcome.passed("; ".join([f"{check.name} {value:g} meets its bounds", *notes]))


def _relative(check: MetricCheck, value: float, ctx: CheckContext) -> Outcome:
    assert ctx.facts.mlflow is not None and check.relative_to is not None
    alias = check.relative_to
    baseline = ctx.facts.mlflow.baselines.get(alias)
    if baseline is None:
        return Outcome.errored(f"baseline @{alias} was not fetched (internal: rule needs missed)")
    if baseline.version is None:
        return Outcome.failed(f"model has no @{alias} version to compare {check.name} with")
    reference = baseline.metrics.get(check.name)
    if reference is None:
        return Outcome.failed(f"@{alias} (version {baseline.version}) logged no {check.name!r}")
    regression = reference - value if check.higher_is_better else value - reference
    text = (
        f"{check.name} {value:g} vs @{alias} (version {baseline.version}) {reference:g}: "
        f"{'worse' if regression > 0 else 'not worse'} by {abs(regression):.4g}"
    )
    if regression > check.max_regression + _EPSILON:
        return Outcome.failed(f"{text}, more than the allowed {check.max_regression:g}")
    return Outcome.passed(text)


def check_run_artifact(check: RunArtifactCheck, ctx: CheckContext) -> Outcome:
    run = _run(ctx)
    if isinstance(run, Outcome):
        return run
    if check.path.strip("/") in run.artifacts:
        return Outcome.passed(f"run {run.run_id} logged {check.path}")
    return Outcome.failed(f"run {run.run_id} logged no artifact {check.path!r}")
