"""`govgate verify DIR`: recompute every digest of a report folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govgate.commands.base import Command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, help="the folder `govgate check` wrote")


def run(args: argparse.Namespace) -> int:
    """0: every digest matches; 1: one line per mismatch; 2 (InputError): folder unreadable."""
    from govgate.verify import verify_directory

    folder: Path = args.dir
    problems = verify_directory(folder)
    for problem in problems:
        print(problem)
    if problems:
        print(f"govgate: {folder}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"govgate: {folder}: every digest matches")
    return 0


COMMAND = Command(
    help="recompute every digest of a report folder; exit 1 on any mismatch",
    add_arguments=add_arguments,
    run=run,
)
