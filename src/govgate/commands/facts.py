"""`govgate facts`: print the Facts document the rules would see, as JSON."""

from __future__ import annotations

import argparse
import json

from govgate.commands.arguments import add_gate_arguments, gate_options
from govgate.commands.base import Command


def run(args: argparse.Namespace) -> int:
    from govgate.gate import gather_facts

    facts = gather_facts(gate_options(args))
    print(json.dumps(facts.as_document(), indent=2, ensure_ascii=False))
    return 0


COMMAND = Command(
    help="print the Facts document the rules would see",
    add_arguments=add_gate_arguments,
    run=run,
)
