"""The CLI's verbs, one module each, named as the verb; each module's `COMMAND` says what it is.

A module is imported only to build its own parser (or every parser, for `govgate --help` and a
mistyped verb), and a command imports what it runs only when it runs: `govgate check` pays
for no other verb.
"""

from __future__ import annotations

from importlib import import_module

from govgate.commands.base import Command

# In the order `govgate --help` lists them.
COMMANDS: tuple[str, ...] = (
    "check",
    "facts",
    "validate",
    "test",
    "explain",
    "init",
    "verify",
    "ci",
    "exceptions",
    "approve",
    "report",
    "schema",
)


def load_command(name: str) -> Command:
    command = import_module(f"{__name__}.{name}").COMMAND
    assert isinstance(command, Command), name
    return command


__all__ = ["COMMANDS", "Command", "load_command"]
