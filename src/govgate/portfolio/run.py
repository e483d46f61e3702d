"""`govgate report`: read the registry once, compute the KPIs, write every format atomically."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from govgate.config import MlflowSettings, load_config
from govgate.errors import ConfigError
from govgate.portfolio.collect import collect
from govgate.portfolio.formats import load_format
from govgate.portfolio.kpis import STALE_AFTER_DAYS, Kpis, Portfolio, compute
from govgate.publish.files import write_rendered
from govgate.sources.mlflow.base import MAX_SEARCH_PAGE_SIZE, VersionSearch
from govgate.sources.mlflow.connect import connect
from govgate.sources.mlflow.uris import is_unity_catalog


@dataclass(frozen=True)
class ReportOptions:
    """Everything `govgate report` takes, already parsed."""

    tracking_uri: str | None = None
    config: Path | None = None  # a govgate.yaml: only its `mlflow:` settings are used
    filter: str | None = None
    formats: tuple[str, ...] = ("json",)
    output_dir: Path = Path("govgate-report")
    at: datetime | None = None
    page_size: int = MAX_SEARCH_PAGE_SIZE
    stale_days: int = STALE_AFTER_DAYS
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


def run_report(options: ReportOptions) -> int:
    """0 when every format was written; a fault raises a GovgateError (exit 2 in cli.main)."""
    portfolio = build_portfolio(options)
    written = write_portfolio(portfolio, options.formats, options.output_dir)
    sys.stdout.write(_summary(portfolio))
    for path in written:
        print(f"report: {path}")
    return 0


def build_portfolio(options: ReportOptions) -> Portfolio:
    started = time.perf_counter()
    settings = MlflowSettings()
    if options.config is not None:
        settings = load_config(options.config, str(options.config))[0].mlflow
    # The same order as `govgate check`: the flag, the config file, the environment.
    uri = options.tracking_uri or settings.tracking_uri or options.env.get("MLFLOW_TRACKING_URI")
    if not uri:
        raise ConfigError(
            "govgate report needs an MLflow registry",
            hint="pass --tracking-uri, --config with mlflow.tracking_uri, or set "
            "MLFLOW_TRACKING_URI",
        )
    if is_unity_catalog(uri):
        raise ConfigError(
            f"govgate report reads the workspace model registry; {uri!r} is Unity Catalog, "
            "whose version search is not supported yet",
            hint="use --tracking-uri databricks for the workspace registry",
        )
    as_of = options.at or datetime.now(UTC)
    backend = connect(uri, options.env, settings)
    search = VersionSearch(filter=options.filter or None, page_size=options.page_size)
    collected = collect(backend, search)
    return compute(
        collected,
        as_of=as_of,
        tracking_uri=backend.display_uri,
        search=search,
        stale_after_days=options.stale_days,
        duration_ms=round((time.perf_counter() - started) * 1000, 2),
    )


def write_portfolio(portfolio: Portfolio, formats: Sequence[str], output_dir: Path) -> list[Path]:
    """Render every format first, then write each atomically: no half-written set of files."""
    return write_rendered(
        [(output_dir / f.filename, f.render(portfolio)) for f in map(load_format, formats)]
    )


def _summary(portfolio: Portfolio) -> str:
    k: Kpis = portfolio.kpis
    rates = [
        ("coverage", k.gated, k.versions, k.coverage),
        ("pass rate", k.passed, k.gated, k.pass_rate),
        ("traceability", k.traceable, k.gated, k.traceability),
        ("exception rate", k.with_exceptions, k.gated, k.exception_rate),
        ("monitoring readiness", k.monitoring_ready, k.gated, k.monitoring_readiness),
    ]
    shown = [
        f"{name} " + (f"{value * 100:.1f}% ({count}/{total})" if value is not None else "n/a")
        for name, count, total, value in rates
    ]
    return (
        f"portfolio: {k.versions} model versions in {len(portfolio.models)} registered models "
        f"({portfolio.pages} page(s), {portfolio.requests} request(s))\n"
        f"  {', '.join(shown)}\n"
        f"  stale {k.stale}, ungated {k.ungated}\n"
    )
