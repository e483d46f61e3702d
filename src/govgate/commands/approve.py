"""`govgate approve --role R`: parse the options, record the approval, say what was written."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from govgate.commands.base import Command


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-11-18") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", required=True, help="a role of `roles:` in govgate.yaml")
    parser.add_argument(
        "--by",
        metavar="EMAIL",
        help="who approves (default: git user.email); must be in the roster",
    )
    parser.add_argument("--on", type=_iso_date, metavar="DATE", help="date (default today)")
    parser.add_argument("--ref", metavar="TEXT", help="ticket, minutes or review link")
    parser.add_argument("--decision", choices=["approved", "rejected"], default="approved")
    parser.add_argument("--repo", type=Path, default=Path("."), help="model repository")
    parser.add_argument("--config", type=Path, help="config file (default REPO/govgate.yaml)")
    parser.add_argument("--model", help="model URI, as for `govgate check` (default model.uri)")
    parser.add_argument(
        "--tracking-uri",
        help="MLflow tracking URI, to resolve an alias to its version (default: "
        "mlflow.tracking_uri in the config, then MLFLOW_TRACKING_URI)",
    )


def run(args: argparse.Namespace) -> int:
    from govgate.approvals.approve import ApproveOptions, approve
    from govgate.formats.safe_text import inert, inert_lines

    approved = approve(
        ApproveOptions(
            role=args.role,
            by=args.by,
            on=args.on,
            ref=args.ref,
            decision=args.decision,
            repo=args.repo,
            config=args.config,
            model_uri=args.model,
            tracking_uri=args.tracking_uri,
        )
    )
    entry, appended = approved.entry, approved.appended
    created = " (created)" if appended.created else ""
    print(
        inert(
            f"{entry.decision} by {entry.by} as {entry.role} on {entry.on.isoformat()}: written to "
            f"{approved.file}{created}, line {appended.line}"
        )
    )
    for line in inert_lines(appended.text.strip("\n")):
        print(f"  | {line}")
    for note in approved.notes:
        print(inert(f"note: {note}"))
    return 0


COMMAND = Command(
    help="record an approval bound to the current evidence digests",
    description="Append an approval to the approvals file named in govgate.yaml, bound to "
    "the evidence as it is now (the digests `govgate facts` shows), the model and version.",
    add_arguments=add_arguments,
    run=run,
)
