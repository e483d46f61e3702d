"""`sqlite:///` tracking URIs go through the mlflow library (the `make demo` default)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, approve_any_version
from tests.integration.conftest import seed
from tests.integration.test_mlflow_gate import ML_PACK


@pytest.fixture
def sqlite_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)  # the store's default artifact root is ./mlruns
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    seed(uri)
    return uri


def test_sqlite_store_passes_and_publishes_through_the_library(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, sqlite_store: str
) -> None:
    from mlflow import MlflowClient

    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
    config = config.replace("rules: [builtin:baseline]", "rules: [builtin:baseline, rules/]")
    repo = approve_any_version(
        make_repo(
            {"govgate.yaml": config, "rules/ml.yaml": ML_PACK},
            base=EXAMPLES / "credit-risk",
            commit_date="2026-11-20T10:00:00+00:00",
        )
    )
    out = tmp_path / "out"
    run = govgate(
        "check",
        "--repo",
        str(repo),
        "--output-dir",
        str(out),
        "--publish",
        "--model",
        "models:/credit-risk@candidate",
        "--tracking-uri",
        sqlite_store,
        "--at",
        "2026-11-26T12:00:00Z",  # the example's evidence is dated: evaluate as of its release
        cwd=tmp_path,
    )
    assert run.code == 0, run.stdout + run.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["subject"]["version"] == "2"
    assert {f["status"] for f in report["findings"] if f["rule_id"].startswith("ML-")} == {"pass"}
    client = MlflowClient(tracking_uri=sqlite_store, registry_uri=sqlite_store)
    version = client.get_model_version("credit-risk", "2")
    digest = hashlib.sha256((out / "report.json").read_bytes()).hexdigest()
    assert version.tags["govgate.verdict"] == "pass"
    assert version.tags["govgate.report_sha256"] == digest
    assert [f.path for f in client.list_artifacts(version.run_id, "govgate")] == [
        "govgate/report.json"
    ]


def test_unknown_version_in_a_sqlite_store_is_exit_2(
    govgate, example_repo: Path, tmp_path: Path, sqlite_store: str
) -> None:
    run = govgate(
        "check",
        "--repo",
        str(example_repo),
        "--output-dir",
        str(tmp_path / "o"),
        "--model",
        "models:/credit-risk/42",
        "--tracking-uri",
        sqlite_store,
        cwd=tmp_path,
    )
    assert run.code == 2
    assert "get_model_version credit-risk/42" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.parametrize("alias", ["logged", "runpath"])
def test_model_files_through_the_library_mlflow3_and_run_folder(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, sqlite_store: str, alias: str
) -> None:
    from tests.integration.conftest import seed_model_files
    from tests.integration.test_mlflow_model_files import FILES_PACK

    seed_model_files(sqlite_store)
    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
    config = config.replace("rules: [builtin:baseline]", "rules: [rules/]")
    repo = make_repo({"govgate.yaml": config, "rules/files.yaml": FILES_PACK})
    out = tmp_path / "out"
    run = govgate(
        "check",
        "--repo",
        str(repo),
        "--output-dir",
        str(out),
        "--model",
        f"models:/fraud-detector@{alias}",
        "--tracking-uri",
        sqlite_store,
        cwd=tmp_path,
    )
    assert run.code == 0, run.stdout + run.stderr
    report = json.loads((out / "report.json").read_text())
    got = {f["rule_id"]: f["status"] for f in report["findings"]}
    assert got == {
        "FILES-001": "pass",
        "FILES-002": "pass",
        "FILES-003": "pass",
        "FILES-004": "warn",
        "FILES-005": "pass",
    }


def test_the_demo_registry_passes_the_example_packs_and_v6_lacks_its_model_files(
    govgate, example_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `make demo` runs: the MLflow 3 candidate (v7) has its files under the logged model;
    v6, registered from an empty run folder, has none, so the model-file rules fail there."""
    import subprocess
    import sys

    root = EXAMPLES.parent
    seeded = subprocess.run(
        [sys.executable, str(root / "examples/mlflow/seed_registry.py"), str(tmp_path / "reg")],
        capture_output=True,
        text=True,
        check=True,
    )
    uri = seeded.stdout.strip().splitlines()[-1]
    monkeypatch.chdir(tmp_path / "reg")
    packs = ["--rules", str(root / "examples/mlflow/release-pack.yaml")]
    packs += ["--rules", str(root / "examples/mlflow/model-files-pack.yaml")]
    results = {}
    for model in ("models:/credit-risk@candidate", "models:/credit-risk/6"):
        out = tmp_path / model.rsplit("/", 1)[-1]
        run = govgate(
            "check",
            "--repo",
            str(example_repo),  # as the demo does: its own repo, sign-offs by their approvers
            "--output-dir",
            str(out),
            "--model",
            model,
            "--tracking-uri",
            uri,
            *packs,
            "--at",
            "2026-11-26T12:00:00Z",
            cwd=tmp_path / "reg",
        )
        report = json.loads((out / "report.json").read_text())
        got = {f["rule_id"]: f for f in report["findings"] if f["rule_id"].startswith("MODEL-")}
        results[model] = (run.code, {r: f["status"] for r, f in got.items()}, got)
    code, statuses, found = results["models:/credit-risk@candidate"]
    assert code == 0
    assert statuses == {"MODEL-001": "pass", "MODEL-002": "pass", "MODEL-003": "pass"}
    assert "(models:/m-" in str(found["MODEL-001"]["message"])
    code, statuses, found = results["models:/credit-risk/6"]
    assert code == 1
    assert statuses == {"MODEL-001": "fail", "MODEL-002": "fail", "MODEL-003": "warn"}
    assert "has no file 'MLmodel' at " in str(found["MODEL-001"]["message"])


def test_the_demo_registry_on_mlflow_2_keeps_the_files_in_the_run_folder(
    govgate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without logged models (MLflow 2), the seed puts v7's files in its run's model folder,
    and the same model-file rules find them there."""
    import importlib.util

    from mlflow import MlflowClient

    monkeypatch.delattr(MlflowClient, "create_logged_model")
    root = EXAMPLES.parent
    spec = importlib.util.spec_from_file_location("seed", root / "examples/mlflow/seed_registry.py")
    assert spec is not None and spec.loader is not None
    seed_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(seed_module)
    uri = seed_module.main(str(tmp_path / "reg"))  # chdirs into the registry folder
    version = MlflowClient(tracking_uri=uri, registry_uri=uri).get_model_version("credit-risk", "7")
    assert version.source.endswith("/model") and not version.source.startswith("models:/")
    out = tmp_path / "out"
    run = govgate(
        "check", "--repo", str(root / "examples/credit-risk"), "--output-dir", str(out),
        "--model", "models:/credit-risk@candidate", "--tracking-uri", uri,
        "--rules", str(root / "examples/mlflow/model-files-pack.yaml"),
        "--at", "2026-11-26T12:00:00Z", cwd=tmp_path / "reg",
    )  # fmt: skip
    report = json.loads((out / "report.json").read_text())
    got = {f["rule_id"]: f["status"] for f in report["findings"] if "MODEL-" in f["rule_id"]}
    assert got == {"MODEL-001": "pass", "MODEL-002": "pass", "MODEL-003": "pass"}, run.stdout
