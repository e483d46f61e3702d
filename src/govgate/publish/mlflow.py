"""`--publish`: leave the verdict on the model version, so deployment can refuse what did not pass.

The report is uploaded first and the tags set after it, verdict last: a reader that sees a
verdict tag can always find the report it came from. Re-publishing overwrites: idempotent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from govgate.errors import OutputError, SourceError
from govgate.findings import Finding
from govgate.report import Report
from govgate.rules.loader import LoadedRule
from govgate.rules.schema import AllCheck, AnyCheck, Check, Rule

REPORT_ARTIFACT = "govgate/report.json"


class VerdictStore(Protocol):
    """What publishing needs of a registry: the backends of sources/mlflow/ have both methods."""

    def upload_run_artifact(self, run: dict[str, Any], local: Path, artifact_path: str) -> str:
        """Store a file among the run's artifacts; returns where it went."""

    def set_model_version_tag(self, name: str, version: str, key: str, value: str) -> None:
        """Set one tag of a model version; the last write wins."""


@dataclass(frozen=True)
class PublishTarget:
    """The model version that takes the verdict, the registry holding it, and its run (the
    report is uploaded there when the version has one)."""

    store: VerdictStore
    name: str
    version: str
    run: dict[str, Any] | None = None


def publish(
    report: Report, rules: Sequence[LoadedRule], target: PublishTarget | None, report_file: Path
) -> dict[str, str]:
    """Returns the tags written; raises OutputError naming what failed. `rules` are the rules
    that judged the report (for `govgate.monitoring`); no target: no registry was consulted."""
    if target is None:
        raise OutputError(
            "--publish needs the model version from MLflow: pass --model and a tracking URI "
            "(--tracking-uri, mlflow.tracking_uri in govgate.yaml, or MLFLOW_TRACKING_URI)"
        )
    name, version = target.name, target.version
    content = report_file.read_bytes()
    tags = {
        "govgate.report_sha256": hashlib.sha256(content).hexdigest(),
        "govgate.evaluated_at": report.evaluated_at,
        "govgate.policy_digest": report.policy_digest or "",
        "govgate.waived": str(report.summary.waived),
        "govgate.monitoring": monitoring_status(report.findings, rules),
    }
    try:
        if target.run is not None:
            tags["govgate.report_uri"] = target.store.upload_run_artifact(
                target.run, report_file, REPORT_ARTIFACT
            )
        tags["govgate.verdict"] = report.verdict
        for key, value in tags.items():
            target.store.set_model_version_tag(name, version, key, value)
    except SourceError as exc:
        raise OutputError(f"publish to {name} version {version} failed: {exc}") from None
    return tags


def monitoring_status(
    findings: Sequence[Finding], rules: Sequence[LoadedRule]
) -> Literal["pass", "fail", "none"]:
    """`govgate.monitoring`, for the portfolio's monitoring readiness.

    Over the findings of native rules whose check is `monitoring` (alone or inside `all`/`any`)
    and that applied: `none` if there were none, `pass` if each passed or was waived, `fail` if
    any failed, warned or could not be evaluated. Rego rules declare no check kind.
    """
    ids = {r.rule.id for r in rules if isinstance(r.rule, Rule) and _monitors(r.rule.check)}
    statuses = [f.status for f in findings if f.rule_id in ids and f.status != "skipped"]
    if not statuses:
        return "none"
    return "pass" if all(s in ("pass", "waived") for s in statuses) else "fail"


def _monitors(check: Check) -> bool:
    if isinstance(check, AllCheck | AnyCheck):
        return any(_monitors(c) for c in check.checks)
    return check.kind == "monitoring"
