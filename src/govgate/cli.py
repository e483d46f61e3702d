"""Command line: parse arguments into options, call the library, map the result to an exit code."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import traceback
import types
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

# pydantic scans every installed distribution's entry points for plugins on its first model
# (~40 ms in a venv holding mlflow). The CLI uses none; a user who wants them can set the
# variable to something else. This must run before anything imports pydantic.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _skip_plugin_loader() -> None:
    """With every plugin disabled, pydantic's loader returns no plugins, but importing it still
    imports importlib.metadata (~20 ms of a cold check). Stand in a module that answers the same:
    its only caller, pydantic.plugin._schema_validator, imports get_plugins from it."""
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] != "__all__" or "pydantic" in sys.modules:
        return
    loader = types.ModuleType("pydantic.plugin._loader")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules["pydantic.plugin._loader"] = loader


_skip_plugin_loader()

from govgate import __version__  # noqa: E402 (after the pydantic set-up above)
from govgate.errors import GovgateError  # noqa: E402

if TYPE_CHECKING:
    from govgate.gate import GateOptions

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


EXIT_ERROR = 2


def parse_at(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not ISO 8601 (e.g. 2026-12-01 or 2026-12-01T09:00:00Z)"
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _formats(text: str) -> list[str]:
    from govgate.formats import FORMATS

    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown format(s) {', '.join(unknown)}; available: {', '.join(sorted(FORMATS))}"
        )
    return names


def _add_gate_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", type=Path, default=Path("."), help="model repository (default .)")
    parser.add_argument("--config", type=Path, help="config file (default REPO/govgate.yaml)")
    parser.add_argument("--model", help="model URI: models:/NAME/VERSION or models:/NAME@ALIAS")
    parser.add_argument("--risk-tier", help="override model.risk_tier")
    parser.add_argument("--stage", help="override model.stage")
    parser.add_argument("--rules", action="append", default=[], help="extra rule pack (repeatable)")
    parser.add_argument("--at", type=parse_at, help="evaluation time, ISO 8601 (default now, UTC)")
    parser.add_argument(
        "--tracking-uri",
        help="MLflow tracking URI (default: mlflow.tracking_uri in the config, then "
        "MLFLOW_TRACKING_URI)",
    )


def _check_parser(sub: Subparsers) -> None:
    check = sub.add_parser("check", help="gather facts, evaluate rules, write reports")
    _add_gate_args(check)
    check.add_argument(
        "--format",
        type=_formats,
        default=["json"],
        help="comma-separated output formats (default json)",
    )
    check.add_argument("--output-dir", type=Path, default=Path("govgate-report"))
    check.add_argument("--advisory", action="store_true", help="a fail exits 0; an error still 2")
    check.add_argument("--publish", action="store_true", help="write the verdict back to MLflow")
    check.add_argument("--verbose", "-v", action="store_true", help="list passing rules too")


def _facts_parser(sub: Subparsers) -> None:
    facts = sub.add_parser("facts", help="print the Facts document the rules would see")
    _add_gate_args(facts)


def _validate_parser(sub: Subparsers) -> None:
    validate = sub.add_parser("validate", help="lint config and rule pack files")
    validate.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: govgate.yaml)"
    )


def _test_parser(sub: Subparsers) -> None:
    test = sub.add_parser("test", help="run rule-pack unit tests (*.tests.yaml case files)")
    test.add_argument("paths", nargs="*", type=Path, help="files or folders (default: rules/)")
    test.add_argument(
        "--min-coverage",
        type=float,
        default=None,
        metavar="PCT",
        help="fail (exit 1) when fewer than PCT%% of rules have a passing and a failing case",
    )


def _explain_parser(sub: Subparsers) -> None:
    explain = sub.add_parser("explain", help="what a rule checks, why, and how to fix it")
    explain.add_argument("rule_id")
    explain.add_argument("--repo", type=Path, default=Path("."))
    explain.add_argument("--config", type=Path)
    explain.add_argument("--rules", action="append", default=[])


def _init_parser(sub: Subparsers) -> None:
    init = sub.add_parser("init", help="scaffold govgate.yaml, a model card and a starter pack")
    init.add_argument("--repo", type=Path, default=Path("."))
    init.add_argument("--name", help="model name (default: the folder name)")
    init.add_argument("--risk-tier", default="medium")
    init.add_argument("--force", action="store_true", help="overwrite existing files")
    init.add_argument(
        "--ci",
        action="append",
        choices=["github", "gitlab"],
        default=[],
        help="also write the CI that runs the gate: .github/workflows/govgate.yml or "
        ".gitlab-ci.yml (repeatable)",
    )


def _verify_parser(sub: Subparsers) -> None:
    verify = sub.add_parser(
        "verify", help="recompute every digest of a report folder; exit 1 on any mismatch"
    )
    verify.add_argument("dir", type=Path, help="the folder `govgate check` wrote")


def _exceptions_parser(sub: Subparsers) -> None:
    from govgate.exceptions.commands import add_parser

    add_parser(sub)


def _approve_parser(sub: Subparsers) -> None:
    from govgate.approvals.commands import add_parser

    add_parser(sub)


def _report_parser(sub: Subparsers) -> None:
    from govgate.portfolio.command import add_parser

    add_parser(sub)


def _schema_parser(sub: Subparsers) -> None:
    schema = sub.add_parser("schema", help="print the JSON Schema of a govgate file")
    schema.add_argument(
        "name",
        choices=["config", "rulepack", "exceptions", "approvals", "report", "facts", "portfolio"],
    )


# In the order `govgate --help` lists them.
COMMANDS = {
    "check": _check_parser,
    "facts": _facts_parser,
    "validate": _validate_parser,
    "test": _test_parser,
    "explain": _explain_parser,
    "init": _init_parser,
    "verify": _verify_parser,
    "exceptions": _exceptions_parser,
    "approve": _approve_parser,
    "report": _report_parser,
    "schema": _schema_parser,
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: only its command's arguments when it names one (a check does not
    pay for building and importing the other ten), every command otherwise (help, typos)."""
    parser = argparse.ArgumentParser(
        prog="govgate", description="Policy-as-code governance gate for ML model releases."
    )
    parser.add_argument("--version", action="version", version=f"govgate {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    named = next((a for a in argv or () if not a.startswith("-")), None)
    for name, add in COMMANDS.items():
        if named not in COMMANDS or name == named:
            add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    collecting = gc.isenabled()
    # Importing pydantic and building govgate's models runs the cycle collector ~80 times over
    # objects that all live until exit (~15 ms of CPU in a ~270 ms cold check, see
    # docs/performance.md). It stays off until the command has imported what it needs
    # (_imports_done); the caller's setting is back on return.
    gc.disable()
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    finally:
        (gc.enable if collecting else gc.disable)()


def _imports_done() -> None:
    """What is loaded now lives until exit: freeze it out of the collector's way, collect again."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _main(argv: Sequence[str]) -> int:
    args = build_parser(argv).parse_args(argv)
    try:
        return _run(args)
    except GovgateError as exc:
        print(_scrubbed(args, f"govgate: error: {exc.one_line()}"), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("govgate: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        print(
            _scrubbed(
                args,
                f"govgate: internal error: {type(exc).__name__}: {exc} "
                "(rerun with --debug for details)",
            ),
            file=sys.stderr,
        )
        return EXIT_ERROR


def _scrubbed(args: argparse.Namespace, line: str) -> str:
    """The last net before stderr: sources scrub what they sent, this scrubs whatever the
    environment and --tracking-uri hold, should an error have quoted it anyway."""
    from govgate.redaction import Scrubber

    uri = getattr(args, "tracking_uri", None)
    return Scrubber.from_environment(os.environ, uris=[uri]).scrub(line)


def _gate_options(args: argparse.Namespace, advisory: bool = False) -> GateOptions:
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


def _run(args: argparse.Namespace) -> int:
    command: str = args.command
    if command == "check":
        return _check(args)
    _imports_done()  # only the check is tuned this far
    if command == "facts":
        from govgate.gate import gather_facts

        facts = gather_facts(_gate_options(args))
        print(json.dumps(facts.as_document(), indent=2, ensure_ascii=False))
        return 0
    if command == "validate":
        from govgate.validate import validate_paths

        problems, checked = validate_paths(args.paths or [Path("govgate.yaml")])
        for problem in problems:
            print(problem.one_line(), file=sys.stderr)
        print(f"govgate: {checked} file(s) checked, {len(problems)} problem(s)")
        return EXIT_ERROR if problems else 0
    if command == "test":
        return _test(args.paths or [Path("rules")], args.min_coverage)
    if command == "verify":
        return _verify(args.dir)
    if command == "exceptions":
        from govgate.exceptions.commands import run as run_exceptions

        return run_exceptions(args)
    if command == "approve":
        from govgate.approvals.commands import run as run_approve

        return run_approve(args)
    if command == "report":
        from govgate.portfolio.command import run as run_report

        return run_report(args)
    if command == "explain":
        from govgate.explain import explain_rule

        print(explain_rule(args.rule_id, args.repo, args.config, args.rules))
        return 0
    if command == "init":
        from govgate.scaffold import scaffold

        for path in scaffold(args.repo, args.name, args.risk_tier, args.force, args.ci):
            print(f"created {path}")
        return 0
    from govgate.schemas import schema_json

    print(schema_json(args.name))
    return 0


def _test(paths: list[Path], min_coverage: float | None) -> int:
    from govgate.casetest.cases import find_case_files, run_all
    from govgate.casetest.coverage import coverage, percent

    files = find_case_files(paths)
    if not files:
        print(
            f"govgate: error: no *.tests.yaml files in {', '.join(map(str, paths))}",
            file=sys.stderr,
        )
        return EXIT_ERROR
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


def _verify(folder: Path) -> int:
    """0: every digest matches; 1: one line per mismatch; 2 (InputError): folder unreadable."""
    from govgate.verify import verify_directory

    problems = verify_directory(folder)
    for problem in problems:
        print(problem)
    if problems:
        print(f"govgate: {folder}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"govgate: {folder}: every digest matches")
    return 0


def _check(args: argparse.Namespace) -> int:
    from govgate.formats import FORMATS
    from govgate.formats.terminal import render_terminal
    from govgate.gate import run_check
    from govgate.publish.manifest import write_manifest
    from govgate.publish.reports import write_reports

    _imports_done()
    result = run_check(_gate_options(args, advisory=args.advisory))
    report = result.report
    sys.stdout.write(render_terminal(report, verbose=args.verbose))
    formats = [FORMATS[name] for name in dict.fromkeys(["json", *args.format])]
    written = write_reports(report, formats, args.output_dir)
    written.append(write_manifest(args.output_dir))
    for path in written:
        print(f"report: {path}")
    if args.publish:
        from govgate.publish.mlflow import publish

        tags = publish(result, args.output_dir / FORMATS["json"].filename)
        print(
            f"published: {tags['govgate.verdict']} to {report.subject.name} "
            f"version {report.subject.version}"
        )
    return report.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
