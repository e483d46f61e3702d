"""`govgate test [PATH...]`: run rule-pack case files, print failures and rule coverage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govgate.commands.base import Command

EXIT_NO_CASES = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: rules/)")
    parser.add_argument(
        "--min-coverage",
        type=float,
        default=None,
        metavar="PCT",
        help="fail (exit 1) when fewer than PCT%% of rules have a passing and a failing case",
    )


def run(args: argparse.Namespace) -> int:
    """0: every case passed (and coverage is met); 1: a case failed or coverage is short."""
    from govgate.casetest.cases import find_case_files, run_all
    from govgate.casetest.coverage import coverage, percent

    paths: list[Path] = args.paths or [Path("rules")]
    min_coverage: float | None = args.min_coverage
    files = find_case_files(paths)
    if not files:
        print(
            f"govgate: error: no *.tests.yaml files in {', '.join(map(str, paths))}",
            file=sys.stderr,
        )
        return EXIT_NO_CASES
    passed = failed = 0
    case_files = [case_file for path in files for case_file in run_all(path)]
    for case_file in case_files:
        for result in case_file.results:
            if result.passed:
                passed += 1
                continue
            failed += 1
            variant = f" [{', '.join(case_file.variant)}]" if case_file.variant else ""
            print(f"FAIL {case_file.path}{variant}: {result.case}")
            for mismatch in result.mismatches():
                print(f"     {mismatch}")
    print(f"{passed} passed, {failed} failed")
    rules = coverage(case_files)
    for rule in rules:
        if not rule.covered:
            print(f"uncovered {rule.rule_id}: no {rule.missing()}")
    covered = percent(rules)
    print(f"coverage: {sum(r.covered for r in rules)}/{len(rules)} rules ({covered:.1f}%)")
    if min_coverage is not None and covered < min_coverage:
        print(
            f"govgate: coverage {covered:.1f}% is below --min-coverage {min_coverage:g}%",
            file=sys.stderr,
        )
        return 1
    return 1 if failed else 0


COMMAND = Command(
    help="run rule-pack unit tests (*.tests.yaml case files)", add_arguments=add_arguments, run=run
)
