"""`govgate validate [PATH...]`: lint config, rule pack and case files; one line per problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govgate.commands.base import Command

EXIT_PROBLEMS = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="files or folders (default: govgate.yaml); in a folder, YAML that is not a govgate "
        "document is skipped",
    )
    parser.add_argument(
        "--skip-foreign",
        action="store_true",
        help="also skip named YAML files that are not govgate documents (for pre-commit hooks)",
    )


def run(args: argparse.Namespace) -> int:
    from govgate.validate import validate_paths

    problems, checked, skipped = validate_paths(
        args.paths or [Path("govgate.yaml")], args.skip_foreign
    )
    for problem in problems:
        print(problem.one_line(), file=sys.stderr)
    others = f", {len(skipped)} skipped (not govgate documents)" if skipped else ""
    print(f"govgate: {checked} file(s) checked{others}, {len(problems)} problem(s)")
    return EXIT_PROBLEMS if problems else 0


COMMAND = Command(
    help="lint govgate's files: config, rule packs, case files, approvals, exceptions",
    add_arguments=add_arguments,
    run=run,
)
