"""Where a version's files are, from the registry's own answers (shapes as the REST API gives)."""

from __future__ import annotations

import pytest

from govgate.sources.mlflow.model_files import ModelFiles, locate

RUN = {"info": {"run_id": "r1", "artifact_uri": "mlflow-artifacts:/1/r1/artifacts"}}
LOGGED = "m-2fbe2b2bf509490f86a4d9c0a2fa72d1"


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        # MLflow 3, open-source server: only the source names the logged model
        ({"source": f"models:/{LOGGED}", "run_id": "r1"}, ModelFiles(f"models:/{LOGGED}", LOGGED)),
        # MLflow 3 on Unity Catalog: a model_id field as well
        (
            {"source": f"models:/{LOGGED}", "model_id": LOGGED},
            ModelFiles(f"models:/{LOGGED}", LOGGED),
        ),
        # MLflow 2: a folder of the run, by artifact URI or runs:/ URI
        (
            {"source": "mlflow-artifacts:/1/r1/artifacts/model", "run_id": "r1"},
            ModelFiles("mlflow-artifacts:/1/r1/artifacts/model", run_id="r1", prefix="model"),
        ),
        (
            {"source": "mlflow-artifacts:/1/r1/artifacts/nested/model/", "run_id": "r1"},
            ModelFiles(
                "mlflow-artifacts:/1/r1/artifacts/nested/model/", run_id="r1", prefix="nested/model"
            ),
        ),
        (
            {"source": "runs:/r1/model", "run_id": "r1"},
            ModelFiles("runs:/r1/model", run_id="r1", prefix="model"),
        ),
        (
            {"source": "mlflow-artifacts:/1/r1/artifacts", "run_id": "r1"},
            ModelFiles("mlflow-artifacts:/1/r1/artifacts", run_id="r1", prefix=""),
        ),
    ],
)
def test_locate_finds_the_files(version: dict[str, str], expected: ModelFiles) -> None:
    assert locate(version, RUN) == expected


@pytest.mark.parametrize(
    "version",
    [
        {"source": "s3://bucket/fraud/4", "run_id": "r1"},  # registered from a bucket
        {"source": "runs:/r2/model", "run_id": "r1"},  # another run's folder
        {"source": "mlflow-artifacts:/1/r10/artifacts/model", "run_id": "r1"},  # a prefix, not r1
        {"source": "models:/credit-risk/3", "run_id": "r1"},  # a registered model, not logged
        {"source": "mlflow-artifacts:/1/r1/artifacts/model"},  # no run to list
    ],
)
def test_locate_declines_what_it_cannot_list(version: dict[str, str]) -> None:
    assert locate(version, RUN) is None


class _Backend:
    """Only the two listings; answers as artifacts/list does: paths from the run's root."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str | None]] = []

    def list_artifacts(self, run_id: str, path: str | None) -> list[dict[str, object]]:
        self.asked.append((run_id, path))
        tree = {
            "model": ["model/MLmodel", "model/code"],
            "model/code": ["model/code/score.py"],
        }
        return [{"path": p} for p in tree.get(path or "", [])]

    def list_model_artifacts(self, model_id: str, path: str | None) -> list[dict[str, object]]:
        self.asked.append((model_id, path))
        return [{"path": "MLmodel"}] if path is None else [{"path": f"{path}/x.py"}]


def test_run_folder_paths_come_back_relative_to_the_model() -> None:
    backend = _Backend()
    files = ModelFiles("runs:/r1/model", run_id="r1", prefix="model")
    got = files.list_paths(backend, frozenset({"", "code"}))  # type: ignore[arg-type]
    assert got == ["MLmodel", "code", "code/score.py"]
    assert backend.asked == [("r1", "model"), ("r1", "model/code")]


def test_logged_model_listing_asks_each_folder_once() -> None:
    backend = _Backend()
    files = ModelFiles(f"models:/{LOGGED}", LOGGED)
    got = files.list_paths(backend, frozenset({"", "code"}))  # type: ignore[arg-type]
    assert got == ["MLmodel", "code/x.py"]
    assert backend.asked == [(LOGGED, None), (LOGGED, "code")]
