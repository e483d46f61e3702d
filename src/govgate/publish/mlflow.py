"""`--publish`: leave the verdict on the model version, so deployment can refuse what did not pass.

The report is uploaded first and the tags set after it, verdict last: a reader that sees a
verdict tag can always find the report it came from. Re-publishing overwrites: idempotent.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from govgate.errors import OutputError, SourceError
from govgate.gate import GateResult

REPORT_ARTIFACT = "govgate/report.json"


def publish(result: GateResult, report_file: Path) -> dict[str, str]:
    """Returns the tags written; raises OutputError naming what failed."""
    gathered = result.gathered
    if gathered is None or gathered.fetched is None or gathered.registry is None:
        raise OutputError(
            "--publish needs the model version from MLflow: pass --model and a tracking URI "
            "(--tracking-uri, mlflow.tracking_uri in govgate.yaml, or MLFLOW_TRACKING_URI)"
        )
    report = result.report
    version = gathered.fetched.facts.version
    name = gathered.fetched.facts.model.name
    content = report_file.read_bytes()
    tags = {
        "govgate.report_sha256": hashlib.sha256(content).hexdigest(),
        "govgate.evaluated_at": report.evaluated_at,
        "govgate.policy_digest": report.policy_digest or "",
    }
    try:
        if gathered.fetched.run is not None:
            tags["govgate.report_uri"] = gathered.registry.upload_run_artifact(
                gathered.fetched.run, report_file, REPORT_ARTIFACT
            )
        tags["govgate.verdict"] = report.verdict
        for key, value in tags.items():
            gathered.registry.set_model_version_tag(name, version.version, key, value)
    except SourceError as exc:
        raise OutputError(f"publish to {name} version {version.version} failed: {exc}") from None
    return tags
