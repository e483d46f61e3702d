"""Each portfolio format against its golden file, the CSV read back with the csv module, and the
corners: a model name with a pipe and a backtick, long lists, rates without a denominator.

`GOVGATE_UPDATE_GOLDEN=1` rewrites the golden files from the current output.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from govgate import __version__
from govgate.portfolio.collect import Collected, GovernedVersion
from govgate.portfolio.formats import FORMATS, load_format
from govgate.portfolio.formats.markdown import LIST_LIMIT
from govgate.portfolio.kpis import Portfolio, compute
from govgate.sources.base import Input
from govgate.sources.mlflow.base import VersionSearch

GOLDEN = Path(__file__).resolve().parent / "golden"
AS_OF = datetime(2026, 11, 26, 12, tzinfo=UTC)
CREATED = datetime(2026, 10, 1, 9, tzinfo=UTC)
TRACED = {"report_sha256": "a" * 64, "policy_digest": "b" * 64, "report_uri": "mlflow-artifacts:/r"}


def portfolio() -> Portfolio:
    recent = AS_OF - timedelta(days=2)
    versions = [
        GovernedVersion(
            model="credit-risk", version="1", created_at=CREATED, verdict="pass",
            evaluated_at=recent, waived=1, monitoring="pass", **TRACED,
        ),
        GovernedVersion(
            model="credit-risk", version="2", created_at=CREATED, verdict="fail",
            evaluated_at=AS_OF - timedelta(days=120), waived=0, monitoring="fail", **TRACED,
        ),
        GovernedVersion(model="credit-risk", version="3", created_at=CREATED),
        GovernedVersion(model="odd|name`s", version="1", created_at=None),
    ]  # fmt: skip
    page = Input(
        kind="mlflow",
        location="https://mlflow.example.com model-versions/search page 1",
        sha256="c" * 64,
        size=1234,
        identity="versions=4 last_updated_timestamp<=1795716481143",
    )
    return compute(
        Collected(versions=versions, inputs=[page], requests=1),
        as_of=AS_OF,
        tracking_uri="https://mlflow.example.com",
        search=VersionSearch(),
        duration_ms=12.5,
    )


@pytest.mark.parametrize("name", list(FORMATS))
def test_format_matches_its_golden_file(name: str) -> None:
    fmt = load_format(name)
    assert fmt.name == name
    text = fmt.render(portfolio()).decode().replace(__version__, "0.0.0+golden")
    golden = GOLDEN / fmt.filename
    if os.environ.get("GOVGATE_UPDATE_GOLDEN") == "1":
        golden.write_bytes(text.encode())
    assert text == golden.read_bytes().decode()


def test_csv_reads_back_as_the_json_kpis() -> None:
    rendered = portfolio()
    document = json.loads(load_format("json").render(rendered))
    rows = list(csv.DictReader(io.StringIO(load_format("csv").render(rendered).decode())))
    assert [(r["scope"], r["model"]) for r in rows] == [
        ("portfolio", ""),
        ("model", "credit-risk"),
        ("model", "odd|name`s"),
    ]
    expected = [document["kpis"], *(m["kpis"] for m in document["models"])]
    for row, kpis in zip(rows, expected, strict=True):
        assert {k: row[k] for k in kpis} == {
            k: "" if v is None else str(v) for k, v in kpis.items()
        }


def test_markdown_lists_at_most_the_limit_and_points_to_the_json() -> None:
    versions = [GovernedVersion(model="m", version=str(n)) for n in range(LIST_LIMIT + 7)]
    text = load_format("markdown").render(
        compute(Collected(versions=versions), as_of=AS_OF, tracking_uri="u")
    )
    lines = text.decode().splitlines()
    assert f"## Ungated versions ({LIST_LIMIT + 7})" in lines
    assert sum(line.startswith("- `m` version") for line in lines) == LIST_LIMIT
    assert "- … and 7 more (see portfolio.json)" in lines


def test_portfolio_json_validates_against_govgate_schema_portfolio() -> None:
    import jsonschema

    from govgate.schemas import schema_document

    schema = schema_document("portfolio")
    assert schema["$id"] == "govgate/portfolio/v1"
    document = json.loads(load_format("json").render(portfolio()))
    jsonschema.Draft202012Validator(schema).validate(document)
    broken = {**document, "kpis": {**document["kpis"], "coverage": "75%"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_portfolio_html_is_strict_html5_and_keeps_names_as_text() -> None:
    import html5lib

    hostile = 'm"><script>alert(1)</script>'
    base = portfolio()
    renamed = replace(
        base,
        models=[replace(base.models[0], name=hostile), *base.models[1:]],
        ungated=[replace(base.ungated[0], model=hostile), *base.ungated[1:]],
    )
    page = load_format("html").render(renamed).decode()
    document = html5lib.HTMLParser(strict=True).parse(page)
    xhtml = "{http://www.w3.org/1999/xhtml}"
    assert not list(document.iter(f"{xhtml}script"))
    scopes = [th for th in document.iter(f"{xhtml}th") if th.find(f"{xhtml}code") is not None]
    assert hostile in ["".join(th.itertext()) for th in scopes]
    overall = next(
        tr for tr in document.iter(f"{xhtml}tr") if "".join(tr.itertext()).startswith("all")
    )
    cells = ["".join(td.itertext()) for td in overall.iter(f"{xhtml}td")]
    assert cells[:3] == ["4", "50.0% (2/4)", "50.0% (1/2)"]  # versions, coverage, pass rate
