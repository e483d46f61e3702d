"""Argument types and the arguments that several verbs share, parsed the same way for each."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from govgate.utc import aware

if TYPE_CHECKING:
    from govgate.gate import GateOptions


def parse_at(text: str) -> datetime:
    """`--at`: an ISO 8601 date or time, in UTC (a time without a zone is taken as UTC)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not ISO 8601 (e.g. 2026-12-01 or 2026-12-01T09:00:00Z)"
        ) from None
    return aware(value).astimezone(UTC)


def format_list(
    registry: Callable[[], Collection[str]], *, sort: bool, allow_none: bool
) -> Callable[[str], list[str]]:
    """`--format a,b`: names of a format registry, which `registry` returns when a value is
    parsed (so building the parser imports no format code). The error lists the registry's names,
    sorted or in its own order.

    `allow_none`: an empty value is an empty list (the check always writes report.json anyway)
    rather than an error.
    """

    def parse(text: str) -> list[str]:
        available = registry()
        names = [n.strip() for n in text.split(",") if n.strip()]
        unknown = [n for n in names if n not in available]
        if unknown or not (names or allow_none):
            listed = sorted(available) if sort else list(available)
            raise argparse.ArgumentTypeError(
                f"unknown format(s) {', '.join(unknown) or repr(text)}; "
                f"available: {', '.join(listed)}"
            )
        return names

    return parse


def add_gate_arguments(parser: argparse.ArgumentParser) -> None:
    """What `check` and `facts` share: which repository, config, model and time to judge."""
    parser.add_argument("--repo", type=Path, default=Path("."), help="model repository (default .)")
    parser.add_argument("--config", type=Path, help="config file (default REPO/govgate.yaml)")
    parser.add_argument("--model", help="model URI: models:/NAME/VERSION or models:/NAME@ALIAS")
    parser.add_argument(
        "--risk-tier",
        help="override model.risk_tier of govgate.yaml for this run (one of its risk_tiers); "
        "rules apply by tier",
    )
    parser.add_argument("--stage", help="override model.stage")
    parser.add_argument("--rules", action="append", default=[], help="extra rule pack (repeatable)")
    parser.add_argument("--at", type=parse_at, help="evaluation time, ISO 8601 (default now, UTC)")
    parser.add_argument(
        "--tracking-uri",
        help="MLflow tracking URI (default: mlflow.tracking_uri in the config, then "
        "MLFLOW_TRACKING_URI)",
    )


def gate_options(args: argparse.Namespace, advisory: bool = False) -> GateOptions:
    """The options `add_gate_arguments` parsed, as the gate takes them."""
    from govgate.gate import GateOptions

    return GateOptions(
        repo=args.repo,
        config=args.config,
        model_uri=args.model,
        tracking_uri=args.tracking_uri,
        risk_tier=args.risk_tier,
        stage=args.stage,
        rules=tuple(args.rules),
        at=args.at,
        advisory=advisory,
    )
