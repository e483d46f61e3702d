"""Unity Catalog models (`databricks-uc`) through the CLI, against a stand-in workspace that answers
as MLflow's UC registry API, the workspace tracking API and signed-URL storage do (uc_standin)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, approve_any_version
from tests.integration.review_standin import review_standin
from tests.integration.uc_standin import FULL, LOGGED_MODEL, SIGNATURE, STORAGE_ROOT, UcWorkspace

TOKEN = "dapi-uc-secret-2718"
REPORT_URI = "dbfs:/databricks/mlflow-tracking/1/r7/artifacts/govgate/report.json"
# What publish writes on every registry (it may write more); the verdict always comes last.
GOVGATE_TAGS = {
    "govgate.report_sha256",
    "govgate.evaluated_at",
    "govgate.policy_digest",
    "govgate.report_uri",
    "govgate.verdict",
}

RULES = {
    "UC-001": """    title: AUC is at least 0.85
    check: {kind: metric, name: auc, min: 0.85}""",
    "UC-002": """    title: No worse than the champion
    check: {kind: metric, name: auc, relative_to: champion, max_regression: 0.01}""",
    "UC-003": """    title: Data classification is set on the version
    check:
      kind: fact
      path: mlflow.version.tags.data_classification
      in: [internal, confidential]""",
    "UC-004": """    title: The model has an owner tag
    check: {kind: fact, path: mlflow.model.tags.owner, exists: true}""",
}


def pack(*ids: str) -> str:
    rules = "".join(
        f"  - id: {rule_id}\n    severity: blocking\n    remediation: Fix it.\n{RULES[rule_id]}\n"
        for rule_id in ids or RULES
    )
    return f"apiVersion: govgate/v1\nkind: RulePack\nmetadata: {{name: uc}}\nrules:\n{rules}"


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    return approve_any_version(make_repo({"uc.yaml": pack()}, base=EXAMPLES / "credit-risk"))


def gate(govgate, repo: Path, url: str, *args: str, model: str = f"models:/{FULL}@candidate"):
    return govgate(
        "check",
        "--repo",
        str(repo),
        "--output-dir",
        str(repo / "out"),
        "--model",
        model,
        "--tracking-uri",
        "databricks-uc",
        "--rules",
        str(repo / "uc.yaml"),
        "--at",
        "2026-11-26T12:00:00Z",
        *args,
        env={"DATABRICKS_HOST": url, "DATABRICKS_TOKEN": TOKEN},
    )


def report(repo: Path) -> dict:
    return json.loads((repo / "out" / "report.json").read_text())


def statuses(repo: Path) -> dict[str, str]:
    """The UC rules' statuses (the example's own packs run too)."""
    return {f["rule_id"]: f["status"] for f in report(repo)["findings"] if f["rule_id"] in RULES}


def written(repo: Path) -> str:
    return "".join(p.read_text() for p in (repo / "out").iterdir() if p.is_file())


# -- reading -----------------------------------------------------------------------------------


def test_metric_and_tag_rules_pass_on_a_uc_alias(govgate, repo: Path) -> None:
    with review_standin() as state:
        uc = UcWorkspace(state, TOKEN).serve()
        result = gate(govgate, repo, state.url)
    assert result.code == 0, result.stdout + result.stderr
    assert statuses(repo) == dict.fromkeys(RULES, "pass")
    assert report(repo)["subject"]["version"] == "7"
    relative = next(f for f in report(repo)["findings"] if f["rule_id"] == "UC-002")
    assert "@champion (version 6) 0.86" in relative["message"]
    assert uc.calls() == [
        "GET unity-catalog/registered-models/get",
        "GET unity-catalog/model-versions/get",
        "GET runs/get",
        "GET artifacts/list",
        "GET unity-catalog/model-versions/get",  # the champion, for UC-002
        "GET runs/get",
    ]
    assert all(s.headers["authorization"] == f"Bearer {TOKEN}" for s in state.seen)
    assert TOKEN not in result.stdout + result.stderr + written(repo)


def test_a_typical_uc_check_costs_four_requests_each_recorded_as_an_input(
    govgate, repo: Path
) -> None:
    (repo / "uc.yaml").write_text(pack("UC-001", "UC-003", "UC-004"))
    with review_standin() as state:
        uc = UcWorkspace(state, TOKEN).serve()
        result = gate(govgate, repo, state.url)
    assert result.code == 0, result.stdout + result.stderr
    assert uc.calls() == [
        "GET unity-catalog/registered-models/get",
        "GET unity-catalog/model-versions/get",
        "GET runs/get",
        "GET artifacts/list",
    ]
    inputs = {i["location"]: i for i in report(repo)["inputs"] if i["kind"] == "mlflow"}
    version = inputs[f"{state.url} unity-catalog/model-versions/get {FULL}/7"]
    assert version["identity"] == "last_updated_timestamp=1795716481143"
    assert len(version["sha256"]) == 64
    model = inputs[f"{state.url} unity-catalog/registered-models/get {FULL}"]
    assert model["identity"] == "last_updated_timestamp=1795716481143"
    assert f"{state.url} runs/get r7" in inputs


def test_tag_rules_fail_when_the_uc_tags_say_otherwise(govgate, repo: Path) -> None:
    (repo / "uc.yaml").write_text(pack("UC-003", "UC-004"))
    with review_standin() as state:
        UcWorkspace(
            state, TOKEN, model_tags={}, version_tags={"7": {"data_classification": "public"}}
        ).serve()
        result = gate(govgate, repo, state.url, model=f"models:/{FULL}/7")
    assert result.code == 1, result.stdout + result.stderr
    assert statuses(repo) == {"UC-003": "fail", "UC-004": "fail"}


def test_uc_tags_are_facts_like_the_workspace_registry(govgate, repo: Path) -> None:
    with review_standin() as state:
        UcWorkspace(state, TOKEN).serve()
        result = govgate(
            "facts",
            "--repo",
            str(repo),
            "--model",
            f"models:/{FULL}@candidate",
            "--tracking-uri",
            "databricks-uc",
            env={"DATABRICKS_HOST": state.url, "DATABRICKS_TOKEN": TOKEN},
        )
    assert result.code == 0, result.stdout + result.stderr
    mlflow = json.loads(result.stdout)["mlflow"]
    assert mlflow["model"]["name"] == FULL
    assert mlflow["model"]["tags"] == {"owner": "lending-ml"}
    assert mlflow["model"]["aliases"] == {"champion": "6", "candidate": "7"}
    assert mlflow["version"]["tags"] == {"data_classification": "confidential"}
    assert mlflow["version"]["aliases"] == ["candidate"]
    assert mlflow["version"]["status"] == "READY"


def test_an_unknown_uc_version_is_exit_2(govgate, repo: Path) -> None:
    with review_standin() as state:
        UcWorkspace(state, TOKEN).serve()
        result = gate(govgate, repo, state.url, model=f"models:/{FULL}/9")
    assert result.code == 2
    assert (
        f"unity-catalog/model-versions/get {FULL}/9: HTTP 404 RESOURCE_DOES_NOT_EXIST"
        in result.stdout
    )


def test_a_uc_read_refused_is_exit_2_without_the_token(govgate, repo: Path) -> None:
    with review_standin() as state:
        UcWorkspace(state, TOKEN, denied={"registered-models/get"}).serve()
        result = gate(govgate, repo, state.url)
    assert result.code == 2
    assert "unity-catalog/registered-models/get" in result.stdout
    assert "HTTP 403 PERMISSION_DENIED" in result.stdout
    assert TOKEN not in result.stdout + result.stderr + written(repo)


def test_a_two_part_name_is_refused_with_the_expected_shape(govgate, repo: Path) -> None:
    with review_standin() as state:
        UcWorkspace(state, TOKEN).serve()
        result = gate(govgate, repo, state.url, model="models:/credit_risk@candidate")
    assert result.code == 2 and "catalog.schema.model" in result.stdout
    assert state.seen == []


# -- publishing --------------------------------------------------------------------------------

STORAGE_CALLS = {
    "AWS_PRESIGNED_URL": ["PUT storage"],
    "GCP_SIGNED_URL": ["PUT storage"],
    "AZURE_SAS_URI": ["PUT storage"],
    "AZURE_ADLS_GEN2_SAS_URI": ["PUT storage", "PATCH storage"],
}


@pytest.mark.parametrize("credential_type", list(STORAGE_CALLS))
def test_publish_uploads_the_report_then_tags_the_version_verdict_last(
    govgate, repo: Path, credential_type: str
) -> None:
    with review_standin() as state:
        uc = UcWorkspace(state, TOKEN, credential_type=credential_type).serve()
        result = gate(govgate, repo, state.url, "--publish")
    assert result.code == 0, result.stdout + result.stderr
    assert "published: pass to credit-risk version 7" in result.stdout
    content = (repo / "out" / "report.json").read_bytes()
    tags = uc.set_tags()
    keys = [key for _, _, key, _ in tags]
    assert keys[-1] == "govgate.verdict" and len(set(keys)) == len(keys)
    assert set(keys) >= GOVGATE_TAGS
    assert uc.calls()[6:] == [
        "POST artifacts/credentials-for-write",
        *STORAGE_CALLS[credential_type],
        *["POST unity-catalog/model-versions/set-tag"] * len(keys),
    ]
    credentials = next(s for s in state.seen if s.path.endswith("/credentials-for-write"))
    assert credentials.json() == {"run_id": "r7", "path": ["govgate/report.json"]}
    assert uc.stored == {f"{STORAGE_ROOT}/r7/artifacts/govgate/report.json": content}
    storage = [s for s in state.seen if s.path.startswith(STORAGE_ROOT)]
    assert all("authorization" not in s.headers for s in storage)  # the token stays home
    assert {(name, version) for name, version, _, _ in tags} == {(FULL, "7")}
    values = {key: value for _, _, key, value in tags}
    assert values["govgate.verdict"] == "pass"
    assert values["govgate.report_sha256"] == hashlib.sha256(content).hexdigest()
    assert values["govgate.report_uri"] == REPORT_URI
    assert values["govgate.evaluated_at"].startswith("2026-11-26T12:00:00")
    assert len(values["govgate.policy_digest"]) == 64
    assert uc.version_tags["7"] == {"data_classification": "confidential", **values}
    assert TOKEN not in result.stdout + result.stderr + written(repo)


def test_publishing_twice_overwrites_the_same_tags_and_file(govgate, repo: Path) -> None:
    with review_standin() as state:
        uc = UcWorkspace(state, TOKEN).serve()
        first = gate(govgate, repo, state.url, "--publish")
        second = gate(govgate, repo, state.url, "--publish")
    assert (first.code, second.code) == (0, 0), second.stdout + second.stderr
    content = (repo / "out" / "report.json").read_bytes()
    assert list(uc.stored.values()) == [content]
    keys = [key for _, _, key, _ in uc.set_tags()]
    once = keys[: len(keys) // 2]
    assert keys == once * 2 and set(once) >= GOVGATE_TAGS
    assert set(uc.version_tags["7"]) == {"data_classification", *once}
    assert uc.version_tags["7"]["govgate.report_sha256"] == hashlib.sha256(content).hexdigest()
    assert uc.version_tags["7"]["govgate.verdict"] == "pass"


def test_a_refused_tag_write_is_exit_2_and_leaves_no_verdict(govgate, repo: Path) -> None:
    with review_standin() as state:
        uc = UcWorkspace(state, TOKEN, denied={"model-versions/set-tag"}).serve()
        result = gate(govgate, repo, state.url, "--publish")
    assert result.code == 2, result.stdout + result.stderr
    assert f"publish to {FULL} version 7 failed" in result.stderr
    assert "unity-catalog/model-versions/set-tag" in result.stderr
    assert "HTTP 403 PERMISSION_DENIED" in result.stderr
    assert "govgate.verdict" not in uc.version_tags["7"]
    everything = result.stdout + result.stderr + written(repo)
    assert TOKEN not in everything and SIGNATURE not in everything


def test_a_storage_failure_is_exit_2_before_any_tag_is_written(govgate, repo: Path) -> None:
    with review_standin() as state:
        uc = UcWorkspace(state, TOKEN, storage_status=403).serve()
        result = gate(govgate, repo, state.url, "--publish")
    assert result.code == 2, result.stdout + result.stderr
    assert "upload r7 govgate/report.json" in result.stderr
    assert "(AWS_PRESIGNED_URL): HTTP 403 AuthorizationFailure" in result.stderr
    assert uc.set_tags() == [] and uc.version_tags["7"] == {"data_classification": "confidential"}
    everything = result.stdout + result.stderr + written(repo)
    assert TOKEN not in everything and SIGNATURE not in everything


def test_publish_refuses_a_run_outside_the_managed_location(govgate, repo: Path) -> None:
    with review_standin() as state:
        uc = UcWorkspace(
            state, TOKEN, artifact_root="s3://acme-ml/mlflow/{run_id}/artifacts"
        ).serve()
        result = gate(govgate, repo, state.url, "--publish")
    assert result.code == 2
    assert "outside the workspace's managed dbfs:/databricks/mlflow-tracking/" in result.stderr
    assert all(s.method == "GET" for s in state.seen) and uc.set_tags() == []


# -- MLflow 3 logged models on Databricks --------------------------------------------------------

FILES_PACK = """apiVersion: govgate/v1
kind: RulePack
metadata: {name: uc-files}
rules:
  - id: UCF-001
    title: The model pins its requirements
    severity: blocking
    remediation: log_model(..., pip_requirements=...)
    check: {kind: model_artifact, path: requirements.txt}
  - id: UCF-002
    title: The model has a signature file
    severity: blocking
    remediation: log_model(..., signature=...)
    check: {kind: model_artifact, path: MLmodel}
"""


def test_an_mlflow3_uc_version_lists_its_logged_model_page_by_page(govgate, repo: Path) -> None:
    (repo / "uc.yaml").write_text(FILES_PACK)
    with review_standin() as state:
        uc = UcWorkspace(state, TOKEN, logged_versions={"7"}).serve()
        result = gate(govgate, repo, state.url)
    assert result.code == 0, result.stdout + result.stderr
    found = {f["rule_id"]: f for f in report(repo)["findings"] if f["rule_id"].startswith("UCF")}
    assert {r: f["status"] for r, f in found.items()} == {"UCF-001": "pass", "UCF-002": "pass"}
    # requirements.txt is only on the second page: paging was followed
    assert f"models:/{LOGGED_MODEL}" in found["UCF-001"]["message"]
    listing = f"GET logged-models/{LOGGED_MODEL}/artifacts/directories"
    assert uc.calls().count(listing) == 2
    pages = [s.query.get("page_token") for s in state.seen if s.path.endswith("/directories")]
    assert pages == [None, "page-1"]


def test_a_listing_that_repeats_its_page_token_is_exit_2(govgate, repo: Path) -> None:
    (repo / "uc.yaml").write_text(FILES_PACK)
    with review_standin() as state:
        UcWorkspace(state, TOKEN, logged_versions={"7"}, repeat_page_token=True).serve()
        result = gate(govgate, repo, state.url)
    assert result.code == 2, result.stdout + result.stderr
    assert f"logged-models artifacts {LOGGED_MODEL}: malformed response (next_page_token)" in (
        result.stdout + result.stderr
    )
    assert "Traceback" not in result.stderr
