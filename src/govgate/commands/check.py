"""`govgate check`: gather facts, evaluate the rules, write the reports; the gate's exit code."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from govgate.commands.arguments import add_gate_arguments, format_list, gate_options
from govgate.commands.base import Command
from govgate.commands.output import emit

if TYPE_CHECKING:
    from collections.abc import Collection

    from govgate.gate import GateResult
    from govgate.publish.mlflow import PublishTarget


def _report_formats() -> Collection[str]:
    from govgate.formats import FORMATS

    return FORMATS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_gate_arguments(parser)
    parser.add_argument(
        "--format",
        type=format_list(_report_formats, sort=True, allow_none=True),
        default=["json", "html"],
        help="comma-separated output formats (default json,html: report.json for machines, "
        "report.html for the people who approve; json is always written)",
    )
    parser.add_argument("--output-dir", type=Path, default=Path("govgate-report"))
    parser.add_argument(
        "--source-root",
        type=Path,
        metavar="DIR",
        help="write file paths in every report relative to DIR instead of the model repository "
        "(the project checkout, when the model repository is a subfolder of it)",
    )
    parser.add_argument("--advisory", action="store_true", help="a fail exits 0; an error still 2")
    parser.add_argument("--publish", action="store_true", help="write the verdict back to MLflow")
    parser.add_argument("--verbose", "-v", action="store_true", help="list passing rules too")


def run(args: argparse.Namespace) -> int:
    from govgate.formats import FORMATS
    from govgate.formats.terminal import render_terminal
    from govgate.gate import run_check
    from govgate.publish.manifest import MANIFEST
    from govgate.publish.reports import write_reports

    result = run_check(gate_options(args, advisory=args.advisory))
    report = result.report
    if args.source_root is not None:
        from govgate.formats.source_root import rebase_report

        report = rebase_report(report, args.repo, args.source_root)
    emit(render_terminal(report, verbose=args.verbose))
    formats = [FORMATS[name] for name in dict.fromkeys(["json", *args.format])]
    written = write_reports(report, formats, args.output_dir)  # and pins them in the manifest
    written.append(args.output_dir / MANIFEST)
    emit("".join(f"report: {path}\n" for path in written))
    if args.publish:
        from govgate.publish.mlflow import publish

        report_file = args.output_dir / FORMATS["json"].filename
        tags = publish(report, result.rules, _publish_target(result), report_file)
        emit(
            f"published: {tags['govgate.verdict']} to {report.subject.name} "
            f"version {report.subject.version}\n"
        )
    return report.exit_code


def _publish_target(result: GateResult) -> PublishTarget | None:
    """The model version the registry answered for; None when no registry was consulted."""
    from govgate.publish.mlflow import PublishTarget

    gathered = result.gathered
    if gathered is None or gathered.fetched is None or gathered.registry is None:
        return None
    facts = gathered.fetched.facts
    return PublishTarget(
        store=gathered.registry,
        name=facts.model.name,
        version=facts.version.version,
        run=gathered.fetched.run,
    )


COMMAND = Command(
    help="gather facts, evaluate rules, write reports", add_arguments=add_arguments, run=run
)
