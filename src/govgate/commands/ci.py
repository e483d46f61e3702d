"""`govgate ci github|gitlab`: hand on one `govgate check` run to the CI system it ran in."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from govgate.ci import SYSTEMS
from govgate.commands.base import Command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("system", choices=list(SYSTEMS), help="the CI system")
    parser.add_argument(
        "--exit-code",
        type=int,
        required=True,
        metavar="N",
        help="the exit code `govgate check` returned",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=Path("govgate-report"),
        help="the report folder check wrote (default govgate-report)",
    )
    parser.add_argument(
        "--source-root",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="github: the folder the report's file paths are relative to (check's --source-root, "
        "else the model repository; default .)",
    )
    parser.add_argument(
        "--upload-sarif",
        action="store_true",
        help="github: warn when this run wrote no report.sarif (the caller uploads it)",
    )
    parser.add_argument(
        "--dotenv",
        type=Path,
        default=Path("govgate.env"),
        help="gitlab: the dotenv report to write (default govgate.env)",
    )


def run(args: argparse.Namespace) -> int:
    """Publish, print the verdict line; exit with the run's exit code (0, 1 or 2)."""
    from govgate.ci.outcome import read_outcome

    outcome = read_outcome(args.output_dir, args.exit_code)
    if args.system == "github":
        from govgate.ci.github import GithubOptions, publish

        workspace = Path(os.environ.get("GITHUB_WORKSPACE") or ".")
        options = GithubOptions(args.source_root, workspace, args.upload_sarif)
        for line in publish(outcome, options, os.environ):
            print(line)
    else:
        from govgate.ci.gitlab import write_dotenv

        write_dotenv(outcome, args.dotenv)
        if outcome.problem is not None:
            print(f"govgate: {outcome.problem}", file=sys.stderr)
        print(f"govgate: verdict {outcome.verdict}, exit code {outcome.exit_code}")
    return outcome.exit_code


COMMAND = Command(
    help="hand on a check's outcome to the CI: GitHub annotations, step summary and outputs; "
    "GitLab dotenv",
    add_arguments=add_arguments,
    run=run,
)
