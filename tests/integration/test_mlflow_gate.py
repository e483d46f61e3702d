"""The gate against a real MLflow server: version facts, metric rules, publish, and faults."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from govgate.gate import GateOptions, run_check
from tests.conftest import EXAMPLES, approve_any_version
from tests.integration.conftest import MlflowServer, start_server

AT = "2026-11-26T12:00:00Z"  # the example's evidence is dated: evaluate as of its release
AT_TIME = datetime(2026, 11, 26, 12, tzinfo=UTC)

ML_PACK = """apiVersion: govgate/v1
kind: RulePack
metadata: {name: ml, version: 1.0.0}
rules:
  - id: ML-001
    title: AUC is at least 0.85
    severity: blocking
    remediation: Improve the model or revisit the threshold with model risk.
    check: {kind: metric, name: auc, min: 0.85}
  - id: ML-002
    title: No worse than the champion by more than 0.01 AUC
    severity: blocking
    remediation: Beat the champion or document why not.
    check: {kind: metric, name: auc, relative_to: champion, max_regression: 0.01}
  - id: ML-003
    title: The run logged its evaluation report
    severity: blocking
    remediation: mlflow.log_artifact("evaluation.md", "reports")
    check: {kind: run_artifact, path: reports/evaluation.md}
  - id: ML-004
    title: The version carries a data classification
    severity: blocking
    remediation: Tag the model version with data_classification.
    check: {kind: fact, path: mlflow.version.tags.data_classification, exists: true}
"""


def registry_repo(make_repo: Callable[..., Path], packs: dict[str, str], rules: str) -> Path:
    """The credit-risk example with `packs` under rules/, `rules:` set to `rules`, one retry,
    and approvals that hold for any version the registry resolves."""
    config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
    config = config.replace("rules: [builtin:baseline]", f"rules: {rules}")
    config += "mlflow: {retries: 1}\n"
    files = {"govgate.yaml": config, **{f"rules/{name}": text for name, text in packs.items()}}
    return approve_any_version(
        make_repo(files, base=EXAMPLES / "credit-risk", commit_date="2026-11-20T10:00:00+00:00")
    )


@pytest.fixture
def ml_repo(make_repo: Callable[..., Path]) -> Path:
    return registry_repo(make_repo, {"ml.yaml": ML_PACK}, "[builtin:baseline, rules/]")


def check(govgate, repo: Path, out: Path, *args: str, env: dict[str, str] | None = None):
    return govgate(
        "check", "--repo", str(repo), "--output-dir", str(out), "--at", AT, *args, env=env
    )


def statuses(out: Path) -> dict[str, str]:
    report = json.loads((out / "report.json").read_text())
    return {f["rule_id"]: f["status"] for f in report["findings"]}


def test_candidate_alias_passes_every_rule(
    govgate, ml_repo: Path, tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    out = tmp_path / "out"
    run = check(
        govgate,
        ml_repo,
        out,
        "--model",
        "models:/credit-risk@candidate",
        "--tracking-uri",
        mlflow_server.url,
    )
    assert run.code == 0, run.stdout + run.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["subject"]["version"] == "2"
    assert {s for r, s in statuses(out).items() if r.startswith("ML-")} == {"pass"}
    calls = [i["location"] for i in report["inputs"] if i["kind"] == "mlflow"]
    assert f"{mlflow_server.url} model-versions/get credit-risk/2" in calls
    assert all(len(i["sha256"]) == 64 for i in report["inputs"])


def test_facts_show_the_registry_view(govgate, ml_repo: Path, mlflow_server: MlflowServer) -> None:
    run = govgate(
        "facts",
        "--repo",
        str(ml_repo),
        "--model",
        "models:/credit-risk@candidate",
        "--tracking-uri",
        mlflow_server.url,
    )
    assert run.code == 0, run.stderr
    mlflow = json.loads(run.stdout)["mlflow"]
    assert mlflow["model"]["aliases"] == {"champion": "1", "candidate": "2", "weak": "3"}
    assert mlflow["model"]["tags"] == {"owner": "lee@example.com"}
    assert mlflow["version"]["aliases"] == ["candidate"]
    assert mlflow["run"]["metrics"] == {"auc": 0.87}  # latest value only, as runs/get reports
    assert mlflow["run"]["params"] == {"max_depth": "6"}
    assert "reports/evaluation.md" in mlflow["run"]["artifacts"]
    assert mlflow["baselines"]["champion"]["metrics"] == {"auc": 0.85}


def test_a_typical_rule_set_costs_at_most_four_requests(
    ml_repo: Path, mlflow_server: MlflowServer
) -> None:
    typical = ML_PACK.split("  - id: ML-002")[0]  # absolute metric only, no baseline
    (ml_repo / "rules" / "ml.yaml").write_text(typical + ML_PACK[ML_PACK.index("  - id: ML-003") :])
    result = run_check(
        GateOptions(
            repo=ml_repo,
            model_uri="models:/credit-risk@candidate",
            tracking_uri=mlflow_server.url,
            at=AT_TIME,
        )
    )
    assert result.report.verdict == "pass", result.report.errors
    assert result.gathered is not None
    assert result.gathered.registry.calls <= 4
    with_baseline = run_check(
        GateOptions(
            repo=ml_repo,
            model_uri="models:/credit-risk@candidate",
            tracking_uri=mlflow_server.url,
            at=AT_TIME,
            rules=(str(_pack(ml_repo, "ML-002")),),
        )
    )
    assert with_baseline.gathered is not None and with_baseline.gathered.registry.calls <= 6


def _pack(repo: Path, rule_id: str) -> Path:
    block = ML_PACK[ML_PACK.index(f"  - id: {rule_id}") :].split("  - id: ML-00")[0]
    if "  - id:" not in block:
        block = ML_PACK[ML_PACK.index(f"  - id: {rule_id}") :]
        block = block[: block.index("\n  - id:", 5) + 1] if "\n  - id:" in block[5:] else block
    path = repo.parent / f"extra-{rule_id}.yaml"
    head = ML_PACK[: ML_PACK.index("rules:\n") + 7].replace("name: ml,", "name: extra,")
    path.write_text(head + block.replace(rule_id, rule_id + "B"))
    return path


def test_weak_version_fails_absolute_and_relative_metric_rules(
    govgate, ml_repo: Path, tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    out = tmp_path / "out"
    run = check(
        govgate,
        ml_repo,
        out,
        "--model",
        "models:/credit-risk@weak",
        "--tracking-uri",
        mlflow_server.url,
    )
    assert run.code == 1, run.stdout + run.stderr
    got = statuses(out)
    assert got["ML-001"] == "fail" and got["ML-002"] == "fail"
    assert got["ML-003"] == "fail" and got["ML-004"] == "fail"
    assert "auc 0.8 vs @champion (version 1) 0.85: worse by 0.05" in run.stdout


def test_version_number_uri_resolves_without_alias(
    govgate, ml_repo: Path, tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    out = tmp_path / "out"
    run = check(
        govgate,
        ml_repo,
        out,
        "--model",
        "models:/credit-risk/1",
        "--tracking-uri",
        mlflow_server.url,
    )
    report = json.loads((out / "report.json").read_text())
    assert report["subject"]["version"] == "1"
    assert statuses(out)["ML-002"] == "pass"  # the champion compared with itself
    assert run.code == 1  # v1 logged no evaluation report and has no classification tag


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("models:/credit-risk@nope", "has no alias @nope"),
        ("models:/credit-risk/99", "HTTP 404 RESOURCE_DOES_NOT_EXIST"),
        ("models:/no-such-model@candidate", "HTTP 404"),
    ],
)
def test_unknown_alias_version_or_model_is_exit_2_naming_the_server(
    govgate, ml_repo: Path, tmp_path: Path, mlflow_server: MlflowServer, uri: str, expected: str
) -> None:
    out = tmp_path / "out"
    run = check(govgate, ml_repo, out, "--model", uri, "--tracking-uri", mlflow_server.url)
    assert run.code == 2, run.stdout
    assert expected in run.stdout and mlflow_server.url in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert json.loads((out / "report.json").read_text())["verdict"] == "error"


def test_metric_rule_without_mlflow_is_an_error_not_a_pass(
    govgate, ml_repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run = check(govgate, ml_repo, out, env={"MLFLOW_TRACKING_URI": ""})
    assert run.code == 2
    assert statuses(out)["ML-001"] == "error"
    assert "needs the model version from MLflow" in run.stdout


def test_publish_tags_the_version_and_uploads_the_report_idempotently(
    govgate, ml_repo: Path, tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    from mlflow import MlflowClient

    out = tmp_path / "out"
    args = (
        "--model",
        "models:/credit-risk@candidate",
        "--tracking-uri",
        mlflow_server.url,
        "--publish",
        "--at",
        "2026-11-26T12:00:00Z",
    )
    first = check(govgate, ml_repo, out, *args)
    assert first.code == 0, first.stdout + first.stderr
    assert "published: pass" in first.stdout
    second = check(govgate, ml_repo, out, *args)
    assert second.code == 0
    client = MlflowClient(tracking_uri=mlflow_server.url)
    tags = client.get_model_version("credit-risk", "2").tags
    content = (out / "report.json").read_bytes()
    assert tags["govgate.verdict"] == "pass"
    assert tags["govgate.report_sha256"] == hashlib.sha256(content).hexdigest()
    assert tags["govgate.evaluated_at"].startswith("2026-11-26T12:00:00")
    assert len(tags["govgate.policy_digest"]) == 64
    assert tags["govgate.waived"] == "0"  # the example needs no exception
    assert tags["govgate.monitoring"] == "pass"  # MON-002, the high tier's monitoring rule
    run_id = client.get_model_version("credit-risk", "2").run_id
    listed = [f.path for f in client.list_artifacts(run_id, "govgate")]
    assert listed == ["govgate/report.json"]
    downloaded = Path(client.download_artifacts(run_id, "govgate/report.json", str(tmp_path)))
    assert hashlib.sha256(downloaded.read_bytes()).hexdigest() == tags["govgate.report_sha256"]


def test_publish_without_a_registry_is_exit_2(govgate, ml_repo: Path, tmp_path: Path) -> None:
    run = check(govgate, ml_repo, tmp_path / "out", "--publish", env={"MLFLOW_TRACKING_URI": ""})
    assert run.code == 2
    assert "--publish needs the model version from MLflow" in run.stderr


def test_token_and_url_credentials_never_leak(
    govgate, ml_repo: Path, tmp_path: Path, mlflow_server: MlflowServer
) -> None:
    secret = "tok-3b1f9c-very-secret"
    out = tmp_path / "out"
    url = mlflow_server.url.replace("http://", "http://alice:pw-8d2e-secret@")
    runs = [
        check(
            govgate,
            ml_repo,
            out,
            "--model",
            "models:/credit-risk@candidate",
            "--tracking-uri",
            url,
            "--publish",
            env={"MLFLOW_TRACKING_TOKEN": secret},
        ),
        check(
            govgate,
            ml_repo,
            out,
            "--model",
            "models:/credit-risk@nope",
            "--tracking-uri",
            url,
            env={"MLFLOW_TRACKING_TOKEN": secret},
        ),
    ]
    assert [r.code for r in runs] == [0, 2]
    written = "".join(p.read_text() for p in out.iterdir())
    for text in [written, *(r.stdout + r.stderr for r in runs)]:
        assert secret not in text and "pw-8d2e-secret" not in text


def test_server_stopped_is_exit_2(
    govgate, ml_repo: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from tests.integration.conftest import seed

    server = start_server(tmp_path_factory.mktemp("mlflow-stop"))
    try:
        seed(server.url)
        out = tmp_path / "out"
        args = ("--model", "models:/credit-risk@candidate", "--tracking-uri", server.url)
        assert check(govgate, ml_repo, out, *args).code == 0
    finally:
        server.stop()
    run = check(govgate, ml_repo, out, *args)
    assert run.code == 2
    assert "cannot connect" in run.stdout and server.url in run.stdout


def test_server_stopped_between_two_calls_is_an_error(
    ml_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The registry answers the first call, then goes away mid-run."""
    from govgate.sources.mlflow.rest import RestBackend
    from tests.integration.conftest import seed

    server = start_server(tmp_path_factory.mktemp("mlflow-mid"))
    try:
        seed(server.url)
        original = RestBackend.model_version

        def stop_then_call(self: RestBackend, name: str, version: str) -> dict[str, object]:
            server.stop()
            return original(self, name, version)

        RestBackend.model_version = stop_then_call  # type: ignore[method-assign]
        try:
            result = run_check(
                GateOptions(
                    repo=ml_repo,
                    model_uri="models:/credit-risk@candidate",
                    tracking_uri=server.url,
                    at=AT_TIME,
                )
            )
        finally:
            RestBackend.model_version = original  # type: ignore[method-assign]
    finally:
        server.stop()
    assert result.report.verdict == "error" and result.report.exit_code == 2
    assert "model-versions/get" in result.report.errors[0].message
