"""`metric`, `run_artifact` and `model_artifact`: what the version's MLflow run and model hold."""

from __future__ import annotations

from govgate.facts import MlflowRunFacts
from govgate.findings import Outcome
from govgate.rules.checks.base import CheckContext
from govgate.rules.schema import MetricCheck, ModelArtifactCheck, RunArtifactCheck

_EPSILON = 1e-12
_NEEDS_MODEL = (
    "needs the model version from MLflow: pass --model models:/NAME/VERSION (or @ALIAS) "
    "and a tracking URI (--tracking-uri or MLFLOW_TRACKING_URI)"
)


def run_or_outcome(ctx: CheckContext) -> MlflowRunFacts | Outcome:
    """The run behind the version under review, or the error outcome that says why there is none."""
    mlflow = ctx.facts.mlflow
    if mlflow is None:
        return Outcome.errored(_NEEDS_MODEL)
    if mlflow.run is None:
        return Outcome.errored(f"model version {mlflow.version.version} has no MLflow run")
    return mlflow.run


def check_metric(check: MetricCheck, ctx: CheckContext) -> Outcome:
    run = run_or_outcome(ctx)
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
    run = run_or_outcome(ctx)
    if isinstance(run, Outcome):
        return run
    if check.path.strip("/") in run.artifacts:
        return Outcome.passed(f"run {run.run_id} logged {check.path}")
    message = f"run {run.run_id} logged no artifact {check.path!r}"
    assert ctx.facts.mlflow is not None
    model_id = ctx.facts.mlflow.version.model_id
    if model_id:  # an MLflow 3 model's files are not the run's: say where they are
        message += (
            f"; this version's model files are under the logged model {model_id}, "
            "which a model_artifact rule checks"
        )
    return Outcome.failed(message)


def check_model_artifact(check: ModelArtifactCheck, ctx: CheckContext) -> Outcome:
    mlflow = ctx.facts.mlflow
    if mlflow is None:
        return Outcome.errored(_NEEDS_MODEL)
    version = mlflow.version
    if not version.model_uri:
        return Outcome.errored(
            f"cannot list the files of model version {version.version}: its source "
            f"{version.source or '(none)'} is neither an MLflow 3 logged model (models:/m-...) "
            "nor inside its run's artifacts"
        )
    path = check.path.strip("/")
    if path in version.artifacts:
        return Outcome.passed(f"model version {version.version} has {path} ({version.model_uri})")
    return Outcome.failed(
        f"model version {version.version} has no file {path!r} at {version.model_uri}"
    )
