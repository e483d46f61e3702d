"""`govgate report` against a real MLflow server whose versions were gated by `govgate check
--publish` (and some never were): exact KPIs, paging, the library backend, faults."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CI_PREFIXES, EXAMPLES, Run, approve_any_version, git, run_main
from tests.integration.conftest import MlflowServer, free_port, seed, start_server
from tests.integration.standin import standin
from tests.integration.test_mlflow_gate import ML_PACK

AT = "2026-11-26T12:00:00Z"
OLD_AT = "2026-07-01T00:00:00Z"  # older than 90 days at AT: that evaluation is stale

WAIVE_V1 = """apiVersion: govgate/v1
kind: ExceptionList
exceptions:
  - id: EXC-2026-101
    rules: [ML-003, ML-004]
    models: [credit-risk]
    versions: "1"
    reason: Version 1 predates the evaluation-report and classification conventions
    compensating_controls: [Quarterly manual review of version 1 by model risk]
    requested_by: alex@example.com
    approved_by: lead@example.com
    approved_on: 2026-11-20
    expires_on: 2026-12-15
    ticket: GOV-200
"""

# What the registry holds once the fixture has gated it (7 versions, 3 registered models):
#   credit-risk 1  pass (ML-003, ML-004 waived)  monitoring pass  traceable
#   credit-risk 2  pass                          monitoring pass  traceable
#   credit-risk 3  fail                          monitoring pass  traceable
#   churn 1        gated at OLD_AT, risk tier low: no monitoring rule applies (none); no run,
#                  so no report was uploaded and no report_uri: not traceable; stale at AT
#   churn 2, churn 3, fraud 1: never gated
EXPECTED = {
    "versions": 7,
    "gated": 4,
    "coverage": 0.5714,
    "passed": 3,
    "pass_rate": 0.75,
    "traceable": 3,
    "traceability": 0.75,
    "with_exceptions": 1,
    "exception_rate": 0.25,
    "monitoring_ready": 3,
    "monitoring_readiness": 0.75,
    "stale": 1,
    "ungated": 3,
}


@pytest.fixture(scope="module")
def cli() -> Callable[..., Run]:
    """The CLI in this process, in a clean environment: no CI variables, no MLFLOW_* of the
    caller."""

    def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
        return run_main(args, cwd, env, drop=(*CI_PREFIXES, "MLFLOW_"))

    return run


def _repo(root: Path, name: str, files: dict[str, str]) -> Path:
    repo = root / name
    shutil.copytree(EXAMPLES / "credit-risk", repo)
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial", date="2026-06-20T10:00:00+00:00")
    return approve_any_version(repo)


@dataclass
class Gated:
    server: MlflowServer
    root: Path
    cli: Callable[..., Run]


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory, cli: Callable[..., Run]) -> Iterator[Gated]:
    from mlflow import MlflowClient

    root = tmp_path_factory.mktemp("portfolio")
    server = start_server(root)
    try:
        seed(server.url)
        client = MlflowClient(tracking_uri=server.url, registry_uri=server.url)
        for name, count in (("churn", 3), ("fraud", 1)):
            client.create_registered_model(name)
            for n in range(count):
                client.create_model_version(name, f"s3://models/{name}/{n + 1}")
        config = (EXAMPLES / "credit-risk" / "govgate.yaml").read_text()
        config = config.replace("rules: [builtin:baseline]", "rules: [builtin:baseline, rules/]")
        ml = _repo(
            root,
            "ml",
            {
                "govgate.yaml": config + "mlflow: {retries: 1}\n",
                "rules/ml.yaml": ML_PACK,
                "governance/exceptions.yaml": WAIVE_V1,
            },
        )
        plain = _repo(root, "plain", {})
        runs = [
            (ml, "models:/credit-risk/1", AT, ()),
            (ml, "models:/credit-risk/2", AT, ()),
            (ml, "models:/credit-risk/3", AT, ()),
            (plain, "models:/churn/1", OLD_AT, ("--risk-tier", "low")),
        ]
        for repo, uri, at, extra in runs:
            run = cli(
                "check",
                "--repo",
                str(repo),
                "--output-dir",
                str(root / "out" / uri.rsplit(":/", 1)[1].replace("/", "-")),
                "--model",
                uri,
                "--tracking-uri",
                server.url,
                "--at",
                at,
                "--publish",
                *extra,
                cwd=root,
            )
            assert "published:" in run.stdout, f"{uri}: {run.stdout}{run.stderr}"
        yield Gated(server, root, cli)
    finally:
        server.stop()


def report(gated: Gated, out: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    return gated.cli(
        "report",
        "--tracking-uri",
        gated.server.url,
        "--output-dir",
        str(out),
        "--at",
        AT,
        *args,
        cwd=gated.root,
        env=env,
    )


def test_publish_left_the_tags_the_report_reads(gated: Gated) -> None:
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=gated.server.url, registry_uri=gated.server.url)
    tags = {
        (v.name, v.version): {k: t for k, t in v.tags.items() if k.startswith("govgate.")}
        for v in client.search_model_versions()
    }
    assert tags["credit-risk", "1"]["govgate.waived"] == "2"
    assert tags["credit-risk", "1"]["govgate.verdict"] == "pass"
    assert tags["credit-risk", "2"]["govgate.waived"] == "0"
    assert tags["credit-risk", "3"]["govgate.verdict"] == "fail"
    assert {tags["credit-risk", v]["govgate.monitoring"] for v in "123"} == {"pass"}
    assert tags["churn", "1"]["govgate.monitoring"] == "none"
    assert "govgate.report_uri" not in tags["churn", "1"]  # no run to upload the report to
    assert tags["churn", "2"] == tags["fraud", "1"] == {}


def test_report_computes_every_kpi_exactly(gated: Gated, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = report(gated, out, "--format", "json,csv,markdown,html")
    assert run.code == 0, run.stdout + run.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "portfolio.csv", "portfolio.html", "portfolio.json", "portfolio.md"
    ]  # fmt: skip
    document = json.loads((out / "portfolio.json").read_text())
    assert document["schema"] == "govgate/portfolio/v1"
    assert document["as_of"] == "2026-11-26T12:00:00+00:00"
    assert document["tracking_uri"] == gated.server.url
    assert document["kpis"] == EXPECTED
    models = {m["name"]: m["kpis"] for m in document["models"]}
    assert list(models) == ["churn", "credit-risk", "fraud"]
    assert models["credit-risk"] == {
        "versions": 3,
        "gated": 3,
        "coverage": 1.0,
        "passed": 2,
        "pass_rate": 0.6667,
        "traceable": 3,
        "traceability": 1.0,
        "with_exceptions": 1,
        "exception_rate": 0.3333,
        "monitoring_ready": 3,
        "monitoring_readiness": 1.0,
        "stale": 0,
        "ungated": 0,
    }
    assert models["churn"]["gated"] == 1 and models["churn"]["traceability"] == 0.0
    assert models["fraud"]["coverage"] == 0.0 and models["fraud"]["pass_rate"] is None
    assert [(v["model"], v["version"]) for v in document["ungated"]] == [
        ("churn", "2"),
        ("churn", "3"),
        ("fraud", "1"),
    ]
    assert [(v["model"], v["version"], v["evaluated_at"]) for v in document["stale"]] == [
        ("churn", "1", "2026-07-01T00:00:00+00:00")
    ]
    assert document["pages"] == document["requests"] == 1
    (page,) = document["inputs"]
    assert page["kind"] == "mlflow" and len(page["sha256"]) == 64
    assert page["location"] == f"{gated.server.url} model-versions/search page 1"
    assert page["identity"].startswith("versions=7 last_updated_timestamp<=")
    assert "coverage 57.1% (4/7)" in run.stdout

    with (out / "portfolio.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["scope"], r["model"]) for r in rows] == [
        ("portfolio", ""),
        ("model", "churn"),
        ("model", "credit-risk"),
        ("model", "fraud"),
    ]
    assert {k: rows[0][k] for k in EXPECTED} == {k: str(v) for k, v in EXPECTED.items()}
    assert rows[3]["pass_rate"] == ""  # no gated version: no rate, rather than 0

    markdown = (out / "portfolio.md").read_text()
    assert "| **all** | 7 | 57.1% (4/7) | 75.0% (3/4) | 75.0% (3/4) | 25.0% (1/4) |" in markdown
    assert "- `fraud` version 1 (created " in markdown


def test_small_pages_fetch_every_version_one_request_per_page(gated: Gated, tmp_path: Path) -> None:
    out = tmp_path / "paged"
    run = report(gated, out, "--page-size", "2")
    assert run.code == 0, run.stdout + run.stderr
    document = json.loads((out / "portfolio.json").read_text())
    assert document["kpis"] == EXPECTED  # the same answer whatever the page size
    assert document["pages"] == document["requests"] == 4  # 2 + 2 + 2 + 1
    assert [i["location"].rsplit(" ", 1)[1] for i in document["inputs"]] == ["1", "2", "3", "4"]
    assert [i["identity"].split()[0] for i in document["inputs"]] == ["versions=2"] * 3 + [
        "versions=1"
    ]
    assert document["duplicates_dropped"] == 0
    assert len({i["sha256"] for i in document["inputs"]}) == 4

    filtered = report(gated, tmp_path / "f", "--page-size", "1", "--filter", "name='credit-risk'")
    assert filtered.code == 0, filtered.stdout + filtered.stderr
    document = json.loads((tmp_path / "f" / "portfolio.json").read_text())
    assert document["filter"] == "name='credit-risk'"
    assert document["pages"] == 3 and document["kpis"]["versions"] == 3
    assert [m["name"] for m in document["models"]] == ["credit-risk"]


def test_server_down_is_exit_2_in_one_line_without_the_token(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    secret = "tok-9c1d-very-secret"
    run = cli(
        "report",
        "--tracking-uri",
        url,
        "--output-dir",
        str(tmp_path / "out"),
        cwd=tmp_path,
        env={"MLFLOW_TRACKING_TOKEN": secret},
    )
    assert run.code == 2
    assert run.stderr.strip().splitlines() == [
        f"govgate: error: MLflow {url} model-versions/search page 1 (all versions): "
        "cannot connect (NewConnectionError)"
    ]
    assert secret not in run.stdout + run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()  # nothing written for a run that did not succeed


def test_a_filter_the_server_rejects_is_exit_2_with_its_reason(
    gated: Gated, tmp_path: Path
) -> None:
    run = report(gated, tmp_path / "out", "--filter", "bogus ==")
    assert run.code == 2
    assert "model-versions/search page 1 (filter bogus ==): HTTP 400 INVALID_PARAMETER_VALUE" in (
        run.stderr
    )
    assert not (tmp_path / "out").exists()


def test_a_server_repeating_its_page_token_is_an_error_not_an_endless_loop(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    page = {
        "model_versions": [{"name": "m", "version": "1", "creation_timestamp": 1}],
        "next_page_token": "always-the-same",
    }

    def repeating(path: str, attempt: int, headers: dict[str, str]):  # type: ignore[no-untyped-def]
        if path.endswith("model-versions/search"):
            return 200, json.dumps(page).encode(), {}, 0.0
        return None

    with standin(repeating) as (url, state):
        run = cli("report", "--tracking-uri", url, "--output-dir", "o", cwd=tmp_path)
    assert run.code == 2
    assert "page 2 (all versions): the server repeated a page token" in run.stderr
    assert len(state.requests) == 2


def test_malformed_search_page_is_exit_2(cli: Callable[..., Run], tmp_path: Path) -> None:
    def malformed(path: str, attempt: int, headers: dict[str, str]):  # type: ignore[no-untyped-def]
        return 200, json.dumps({"model_versions": {"name": "m"}}).encode(), {}, 0.0

    with standin(malformed) as (url, _):
        run = cli("report", "--tracking-uri", url, "--output-dir", "o", cwd=tmp_path)
    assert run.code == 2
    assert "malformed response (model_versions is not a list)" in run.stderr


def test_unity_catalog_is_refused_before_any_request(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    run = cli("report", "--tracking-uri", "databricks-uc", cwd=tmp_path)
    assert run.code == 2
    assert "Unity Catalog" in run.stderr and "Traceback" not in run.stderr


def test_sqlite_store_pages_through_the_library(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same search through MlflowClient for `sqlite:///` stores, tags as --publish sets them."""
    from mlflow import MlflowClient

    monkeypatch.chdir(tmp_path)  # the store's default artifact root is ./mlruns
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    client.create_registered_model("scoring")
    published = {
        "govgate.report_sha256": "a" * 64,
        "govgate.policy_digest": "b" * 64,
        "govgate.report_uri": "mlflow-artifacts:/1/r/artifacts/govgate/report.json",
        "govgate.evaluated_at": "2026-11-20T10:00:00+00:00",
        "govgate.waived": "0",
        "govgate.monitoring": "pass",
    }
    verdicts: list[Callable[[], dict[str, str]]] = [
        lambda: {**published, "govgate.verdict": "pass"},
        lambda: {**published, "govgate.verdict": "fail", "govgate.waived": "1"},
        lambda: {},
        lambda: {},
        lambda: {"govgate.verdict": "error", "govgate.evaluated_at": "not a time"},
    ]
    for tags in verdicts:
        client.create_model_version("scoring", "s3://models/scoring", tags=tags())
    run = cli(
        "report",
        "--tracking-uri",
        uri,
        "--page-size",
        "2",
        "--at",
        AT,
        "--output-dir",
        "out",
        cwd=tmp_path,
    )
    assert run.code == 0, run.stdout + run.stderr
    document = json.loads((tmp_path / "out" / "portfolio.json").read_text())
    assert document["pages"] == document["requests"] == 3
    assert document["kpis"] == {
        "versions": 5,
        "gated": 3,
        "coverage": 0.6,
        "passed": 1,
        "pass_rate": 0.3333,
        "traceable": 2,
        "traceability": 0.6667,
        "with_exceptions": 1,
        "exception_rate": 0.3333,
        "monitoring_ready": 2,
        "monitoring_readiness": 0.6667,
        "stale": 1,  # an evaluation time that cannot be read cannot be shown to be fresh
        "ungated": 2,
    }
    assert [v["version"] for v in document["ungated"]] == ["3", "4"]


def test_a_version_seen_on_two_pages_is_counted_once(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """Offset paging while versions are created: the boundary version comes round again."""
    pages = {
        "": {"model_versions": [_mv("m", "1"), _mv("m", "2")], "next_page_token": "p2"},
        "p2": {"model_versions": [_mv("m", "2"), _mv("m", "3")]},
    }

    with standin() as (url, state):
        # the stand-in hands a behaviour the path only: answer by the page_token just received
        state.behaviour = lambda path, attempt, headers: (
            200,
            json.dumps(pages[_token(state.requests[-1][1])]).encode(),
            {},
            0.0,
        )
        run = cli("report", "--tracking-uri", url, "--output-dir", "o", cwd=tmp_path)
        sent = [p for _, p, _ in state.requests]
    assert run.code == 0, run.stderr
    document = json.loads((tmp_path / "o" / "portfolio.json").read_text())
    assert document["kpis"]["versions"] == 3 and document["duplicates_dropped"] == 1
    assert all("order_by=name+ASC&order_by=version_number+ASC" in p for p in sent)
    assert "max_results=10000" in sent[0] and "page_token=p2" in sent[1]


def _mv(name: str, version: str) -> dict[str, str]:
    return {"name": name, "version": version, "creation_timestamp": "1795716481143"}


def _token(path: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(path).query).get("page_token", [""])[0]


def test_a_config_file_gives_the_registry_and_its_patience(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """--config reads govgate.yaml's `mlflow:` block, as `govgate check` does: the tracking URI
    (unless --tracking-uri is given) and the retries, here none, so a 503 is one request."""

    def unavailable(path: str, attempt: int, headers: dict[str, str]):  # type: ignore[no-untyped-def]
        body = {"error_code": "TEMPORARILY_UNAVAILABLE", "message": "try later"}
        return 503, json.dumps(body).encode(), {}, 0.0

    with standin(unavailable) as (url, state):
        config = tmp_path / "govgate.yaml"
        config.write_text(
            "apiVersion: govgate/v1\nkind: Config\nmodel: {name: m, risk_tier: low}\n"
            f"mlflow: {{tracking_uri: '{url}', retries: 0, timeout_seconds: 5}}\n"
        )
        run = cli("report", "--config", str(config), "--output-dir", "o", cwd=tmp_path)
        assert run.code == 2, run.stdout + run.stderr
        assert f"{url} model-versions/search page 1" in run.stderr
        assert len(state.requests) == 1  # retries: 0 from the file
        (tmp_path / "default.yaml").write_text(config.read_text().replace(", retries: 0", ""))
        run = cli("report", "--config", "default.yaml", "--output-dir", "o", cwd=tmp_path)
        assert run.code == 2
        assert len(state.requests) == 1 + 4  # the default: 3 retries


def test_a_broken_config_file_is_a_located_error(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "govgate.yaml").write_text(
        "apiVersion: govgate/v1\nkind: Config\nmodel: {name: m, risk_tier: low}\n"
        "mlflow: {retries: many}\n"
    )
    run = cli("report", "--config", "govgate.yaml", cwd=tmp_path)
    assert run.code == 2
    assert "govgate.yaml:4:" in run.stderr and "retries" in run.stderr
    assert "Traceback" not in run.stderr
