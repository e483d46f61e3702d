"""`govgate report`: portfolio KPIs over the MLflow registry; the work is in portfolio/run.py,
imported only when the command runs (`govgate --help` builds this parser too)."""

from __future__ import annotations

import argparse
from pathlib import Path

from govgate.commands.arguments import format_list, parse_at
from govgate.commands.base import Command
from govgate.portfolio.formats import FORMATS
from govgate.portfolio.kpis import STALE_AFTER_DAYS
from govgate.sources.mlflow.base import MAX_SEARCH_PAGE_SIZE

DEFAULT_PAGE_SIZE = MAX_SEARCH_PAGE_SIZE
DEFAULT_STALE_DAYS = STALE_AFTER_DAYS


def add_arguments(parser: argparse.ArgumentParser) -> None:
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
        type=format_list(lambda: FORMATS, sort=False, allow_none=False),
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


COMMAND = Command(
    help="portfolio KPIs over the MLflow registry: coverage, pass rate, traceability, "
    "exceptions, monitoring readiness, staleness",
    add_arguments=add_arguments,
    run=run,
)
