"""Create a local MLflow registry (sqlite) holding the credit-risk example, for `make demo`.

Versions 1-7 of credit-risk, each from its own run with an `auc` metric; @champion is version 6
(AUC 0.86) and @candidate is version 7 (AUC 0.87), which logged its evaluation report and carries
a data_classification tag. Usage: python seed_registry.py DIR  (DIR is emptied first).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVALUATION = HERE.parent / "credit-risk" / "reports" / "evaluation.md"


def main(target: str) -> str:
    from mlflow import MlflowClient

    root = Path(target).resolve()
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    os.chdir(root)  # the store's default artifact root is ./mlruns
    uri = f"sqlite:///{root / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    experiment = client.create_experiment("credit-risk")
    client.create_registered_model(
        "credit-risk", tags={"owner": "lee@example.com"}, description="12-month default risk"
    )
    for number in range(1, 8):
        run = client.create_run(experiment, tags={"team": "lending"})
        client.log_metric(run.info.run_id, "auc", 0.80 + number / 100)
        client.log_param(run.info.run_id, "max_depth", "6")
        tags = {}
        if number == 7:
            client.log_artifact(run.info.run_id, str(EVALUATION), "reports")
            tags = {"data_classification": "confidential"}
        client.set_terminated(run.info.run_id)
        client.create_model_version(
            "credit-risk", f"{run.info.artifact_uri}/model", run_id=run.info.run_id, tags=tags
        )
    client.set_registered_model_alias("credit-risk", "champion", "6")
    client.set_registered_model_alias("credit-risk", "candidate", "7")
    return uri


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else "govgate-report/demo-registry"))
