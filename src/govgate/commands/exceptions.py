"""`govgate exceptions list|add|renew|close`: find the file and policy, then edit it."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from govgate.commands.base import Command

if TYPE_CHECKING:  # building the parser (for `govgate --help` too) keeps ruamel and pydantic out
    from govgate.config import Config
    from govgate.exceptions.model import ExceptionWaiver


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", type=Path, default=Path("."))
    parser.add_argument("--config", type=Path, help="config file (default REPO/govgate.yaml)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="every exception with its state and days left")
    listing.add_argument("--at", type=date.fromisoformat, help="as of this date (default today)")

    add = actions.add_parser("add", help="append a new exception")
    add.add_argument("--id", required=True)
    add.add_argument("--rule", action="append", required=True, dest="rules")
    add.add_argument("--model", action="append", dest="models", help="default: model.name")
    add.add_argument("--versions", help="version range, e.g. '>=7,<9'")
    add.add_argument("--reason", required=True)
    add.add_argument("--control", action="append", required=True, dest="controls")
    add.add_argument("--requested-by", required=True)
    add.add_argument("--approved-by")
    add.add_argument("--approved-on", type=date.fromisoformat)
    add.add_argument("--expires-on", type=date.fromisoformat, required=True)
    add.add_argument("--ticket")

    renew = actions.add_parser("renew", help="extend an exception (recorded in its history)")
    renew.add_argument("id")
    renew.add_argument("--expires-on", type=date.fromisoformat, required=True)
    renew.add_argument("--approved-by", required=True)
    renew.add_argument("--on", type=date.fromisoformat, help="renewal date (default today)")
    renew.add_argument("--reason")

    close = actions.add_parser("close", help="mark an exception closed")
    close.add_argument("id")
    close.add_argument("--on", type=date.fromisoformat, help="closing date (default today)")


def run(args: argparse.Namespace) -> int:
    from govgate.exceptions.edit import add_exception, close_exception, renew_exception

    config, path, display = _locate(args.repo, args.config)
    today = datetime.now(UTC).date()
    policy = config.exception_policy
    if args.action == "list":
        return _list(config, path, display, args.at or today)
    elif args.action == "add":
        waiver = _waiver_from_options(args, config)
        add_exception(path, waiver, display=display)
        print(f"added {args.id} to {display}")
    elif args.action == "renew":
        renew_exception(
            path,
            args.id,
            args.expires_on,
            args.approved_by,
            args.on or today,
            args.reason,
            policy.max_renewals if policy else None,
            display=display,
        )
        print(f"renewed {args.id} until {args.expires_on.isoformat()} in {display}")
    else:
        close_exception(path, args.id, args.on or today, display=display)
        print(f"closed {args.id} in {display}")
    return 0


# The model's fields as the options of `exceptions add` spell them, for messages.
_OPTION_OF_FIELD = {
    "id": "--id",
    "rules": "--rule",
    "models": "--model",
    "versions": "--versions",
    "reason": "--reason",
    "compensating_controls": "--control",
    "requested_by": "--requested-by",
    "approved_by": "--approved-by",
    "approved_on": "--approved-on",
    "expires_on": "--expires-on",
    "ticket": "--ticket",
}


def _waiver_from_options(args: argparse.Namespace, config: Config) -> ExceptionWaiver:
    """The new exception; a value the model rejects is reported against the option that gave it."""
    from pydantic import ValidationError

    from govgate.errors import InputError
    from govgate.exceptions.model import ExceptionWaiver

    try:
        return ExceptionWaiver(
            id=args.id,
            rules=args.rules,
            models=args.models or [config.model.name],
            versions=args.versions,
            reason=args.reason,
            compensating_controls=args.controls,
            requested_by=args.requested_by,
            approved_by=args.approved_by,
            approved_on=args.approved_on,
            expires_on=args.expires_on,
            ticket=args.ticket,
        )
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            field = str(error["loc"][0]) if error["loc"] else ""
            option = _OPTION_OF_FIELD.get(field, field)
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"{option}: {message}")
        raise InputError(f"exceptions add {'; '.join(problems)}") from None


def _list(config: Config, path: Path, display: str, on: date) -> int:
    """The same judgement `govgate check` makes (policy, tier, expiry), one line each."""
    from govgate.exceptions.apply import applies_to, assess
    from govgate.exceptions.model import load_exceptions
    from govgate.facts import Subject
    from govgate.formats.safe_text import inert  # ids, names and problems are the file's text

    listed, loaded = load_exceptions(path, display)
    subject = Subject(
        name=config.model.name, risk_tier=config.model.risk_tier, version=config.model.version
    )
    at = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
    for index, waiver in enumerate(listed.exceptions):
        item = assess(waiver, config.exception_policy, subject, at)
        scope = "" if applies_to(waiver, subject) else "  (another model or version)"
        print(
            inert(
                f"{item.id:<16} {item.state:<9} expires {item.expires_on} ({item.days_left:+d} d)  "
                f"rules {', '.join(item.rules)}  approved by {item.approved_by or '-'}  "
                f"renewals {len(waiver.history)}  {loaded.location(('exceptions', index))}{scope}"
            )
        )
        for problem in item.problems:
            print(inert(f"{'':<17}- {problem}"))
    print(f"{len(listed.exceptions)} exception(s) in {display}")
    return 0


def _locate(repo: Path, config_path: Path | None) -> tuple[Config, Path, str]:
    """The config, and the exceptions file it names, resolved inside the repository.

    The file is refused exactly as `govgate check` refuses an artifact path (`..`, absolute, a
    symlink out), so the editor never reads or writes anything outside the repository.
    """
    from govgate.config import DEFAULT_CONFIG_NAME, load_config
    from govgate.errors import ConfigError
    from govgate.sources.repo import PathEscapesRepo, resolve_inside
    from govgate.yamlio import load_yaml_file

    path = config_path or repo / DEFAULT_CONFIG_NAME
    config, _ = load_config(path, str(path))
    if not config.exceptions:
        raise ConfigError(
            f"{path} names no exceptions file",
            hint="add `exceptions: governance/exceptions.yaml` to govgate.yaml",
        )
    try:
        target = resolve_inside(repo, config.exceptions)
    except PathEscapesRepo as exc:
        where = load_yaml_file(path, str(path)).location(("exceptions",))
        raise PathEscapesRepo(exc.message, where, hint=exc.hint) from None
    return config, target, config.exceptions


COMMAND = Command(
    help="list, add, renew or close policy exceptions", add_arguments=add_arguments, run=run
)
