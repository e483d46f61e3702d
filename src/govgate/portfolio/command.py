"""`govgate report`'s arguments. The CLI builds this parser on every run, `govgate check`
included, so the command itself lives in portfolio/run.py and is imported only when it runs."""

from __future__ import annotations

import argparse
from pathlib import Path

from govgate.cli import parse_at  # the entry point: already imported
from govgate.portfolio.formats import FORMATS

DEFAULT_PAGE_SIZE = 10_000  # = sources.mlflow.base.MAX_SEARCH_PAGE_SIZE (a test pins it)
DEFAULT_STALE_DAYS = 90  # = portfolio.kpis.STALE_AFTER_DAYS


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "report",
        help="portfolio KPIs over the MLflow registry: coverage, pass rate, traceability, "
        "exceptions, monitoring readiness, staleness",
    )
    parser.add_argument(
        "--tracking-uri",
        help="MLflow tracking URI (default: the config's mlflow.tracking_uri, then "
        "MLFLOW_TRACKING_URI)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        help="a govgate.yaml whose mlflow: settings apply (tracking_uri, timeout_seconds, retries)",
    )
    parser.add_argument(
        "--filter", help="MLflow model-version search filter, e.g. \"name='credit-risk'\""
    )
    parser.add_argument(
        "--format",
        type=_formats,
        default=["json"],
        help=f"comma-separated output formats: {', '.join(FORMATS)} (default json)",
    )
    parser.add_argument("--output-dir", type=Path, default=Path("govgate-report"))
    parser.add_argument(
        "--at", type=parse_at, help="judge staleness as of this time, ISO 8601 (default now)"
    )
    parser.add_argument(
        "--page-size",
        type=_page_size,
        default=DEFAULT_PAGE_SIZE,
        metavar="N",
        help=f"model versions per search request, 1-{DEFAULT_PAGE_SIZE} (default "
        f"{DEFAULT_PAGE_SIZE}, the most every MLflow registry accepts)",
    )
    parser.add_argument(
        "--stale-days",
        type=_positive,
        default=DEFAULT_STALE_DAYS,
        metavar="DAYS",
        help=f"an evaluation older than this is stale (default {DEFAULT_STALE_DAYS})",
    )


def run(args: argparse.Namespace) -> int:
    """0 when every format was written; a fault raises a GovgateError (exit 2 in cli.main)."""
    from govgate.portfolio.run import ReportOptions, run_report

    return run_report(
        ReportOptions(
            tracking_uri=args.tracking_uri,
            config=args.config,
            filter=args.filter,
            formats=tuple(dict.fromkeys(args.format)),
            output_dir=args.output_dir,
            at=args.at,
            page_size=args.page_size,
            stale_days=args.stale_days,
        )
    )


# -- argument types --------------------------------------------------------------------------


def _formats(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format(s) {', '.join(unknown) or repr(text)}; available: {', '.join(FORMATS)}"
        )
    return names


def _page_size(text: str) -> int:
    value = _positive(text)
    if value > DEFAULT_PAGE_SIZE:
        raise argparse.ArgumentTypeError(f"{value} is above {DEFAULT_PAGE_SIZE}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below 1")
    return value
