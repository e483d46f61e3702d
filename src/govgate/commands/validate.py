"""`govgate validate [PATH...]`: lint config, rule pack and case files; one line per problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govgate.commands.base import Command

EXIT_PROBLEMS = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: govgate.yaml)"
    )


def run(args: argparse.Namespace) -> int:
    from govgate.validate import validate_paths

    problems, checked = validate_paths(args.paths or [Path("govgate.yaml")])
    for problem in problems:
        print(problem.one_line(), file=sys.stderr)
    print(f"govgate: {checked} file(s) checked, {len(problems)} problem(s)")
    return EXIT_PROBLEMS if problems else 0


COMMAND = Command(help="lint config and rule pack files", add_arguments=add_arguments, run=run)
