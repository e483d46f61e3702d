"""Create a local MLflow registry (sqlite) holding the credit-risk example, for `make demo`.

Versions 1-7 of credit-risk, each from its own run with an `auc` metric; @champion is version 6
(AUC 0.86) and @candidate is version 7 (AUC 0.87), which logged its evaluation report and carries
a data_classification tag. Version 7 is registered as MLflow 3 does it: from a logged model
(source models:/m-<id>) holding the model's files (MLmodel, requirements.txt, input_example.json);
with MLflow 2 those files go in its run's model folder instead. Versions 1-6 point into their
runs, as MLflow 2 registered them.
Usage: python seed_registry.py DIR  (DIR is emptied first).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

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
        source, model_id = f"{run.info.artifact_uri}/model", None
        if number == 7:
            files = write_model_files(root / "model")
            if hasattr(client, "create_logged_model"):  # MLflow 3: a logged model holds them
                model_id = log_model_files(client, experiment, run.info.run_id, files)
                source = f"models:/{model_id}"
            else:  # MLflow 2: they sit in the run's model folder
                client.log_artifacts(run.info.run_id, str(files), "model")
        client.set_terminated(run.info.run_id)
        client.create_model_version(
            "credit-risk", source, run_id=run.info.run_id, tags=tags, model_id=model_id
        )
    client.set_registered_model_alias("credit-risk", "champion", "6")
    client.set_registered_model_alias("credit-risk", "candidate", "7")
    return uri


def write_model_files(folder: Path) -> Path:
    """What `mlflow.sklearn.log_model` writes for a model, minus the pickle."""
    folder.mkdir()
    (folder / "MLmodel").write_text(
        "artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.sklearn\n"
        "  sklearn:\n    sklearn_version: 1.5.2\n"
    )
    (folder / "requirements.txt").write_text("mlflow==3.1.0\nscikit-learn==1.5.2\n")
    (folder / "input_example.json").write_text(
        '{"columns": ["income", "debt_ratio", "age"], "data": [[52000, 0.31, 41]]}\n'
    )
    return folder


def log_model_files(client: Any, experiment: str, run_id: str, folder: Path) -> str:
    """An MLflow 3 logged model of the run, holding the files, finalized as READY."""
    logged = client.create_logged_model(experiment, name="model", source_run_id=run_id)
    client.log_model_artifacts(logged.model_id, str(folder))
    client.finalize_logged_model(logged.model_id, "READY")
    return str(logged.model_id)


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else "govgate-report/demo-registry"))
