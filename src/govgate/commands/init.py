"""`govgate init`: scaffold govgate.yaml, a model card, a starter pack and, on request, CI."""

from __future__ import annotations

import argparse
from pathlib import Path

from govgate.commands.base import Command
from govgate.scaffold import CI_FILES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", type=Path, default=Path("."))
    parser.add_argument("--name", help="model name (default: the folder name)")
    parser.add_argument(
        "--risk-tier",
        default="medium",
        help="the model's risk tier in govgate.yaml: low, medium or high (default: medium); "
        "the baseline asks more of higher tiers",
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument(
        "--ci",
        action="append",
        choices=list(CI_FILES),
        default=[],
        help="also write the CI that runs the gate: .github/workflows/govgate.yml or "
        ".gitlab-ci.yml (repeatable)",
    )


def run(args: argparse.Namespace) -> int:
    from govgate.scaffold import scaffold

    for done, path in scaffold(args.repo, args.name, args.risk_tier, args.force, args.ci):
        print(f"{done} {path}")
    return 0


COMMAND = Command(
    help="scaffold govgate.yaml, a model card and a starter pack",
    add_arguments=add_arguments,
    run=run,
)
