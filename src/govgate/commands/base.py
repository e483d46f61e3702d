"""What a command module gives the CLI: its help line, its arguments, and what it runs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """One verb. `add_arguments` fills the verb's subparser; `run` takes the parsed options and
    returns the exit code (a fault raises a GovgateError, which the CLI turns into exit 2)."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str | None = None
