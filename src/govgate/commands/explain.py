"""`govgate explain RULE_ID`: what a rule checks, why, how to fix it, which controls it maps to."""

from __future__ import annotations

import argparse
from pathlib import Path

from govgate.commands.base import Command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule_id")
    parser.add_argument("--repo", type=Path, default=Path("."))
    parser.add_argument("--config", type=Path)
    parser.add_argument("--rules", action="append", default=[])


def run(args: argparse.Namespace) -> int:
    from govgate.explain import explain_rule

    print(explain_rule(args.rule_id, args.repo, args.config, args.rules))
    return 0


COMMAND = Command(
    help="what a rule checks, why, and how to fix it", add_arguments=add_arguments, run=run
)
