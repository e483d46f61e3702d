"""`govgate schema NAME`: print the JSON Schema of a file govgate reads or writes."""

from __future__ import annotations

import argparse

from govgate.commands.base import Command
from govgate.schemas import SCHEMAS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", choices=list(SCHEMAS))


def run(args: argparse.Namespace) -> int:
    from govgate.schemas import schema_json

    print(schema_json(args.name))
    return 0


COMMAND = Command(
    help="print the JSON Schema of a govgate file", add_arguments=add_arguments, run=run
)
