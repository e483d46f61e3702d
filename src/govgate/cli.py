"""Command line: build the parser from the command modules, run the verb, map faults to exit 2.

Each verb lives in govgate/commands/ (its arguments and `run`); this module only dispatches and
is the one place an error becomes a line on stderr. Importing it changes nothing outside govgate:
no environment variable, no other library's module, no collector setting.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from govgate import __version__
from govgate.commands import COMMANDS, load_command
from govgate.errors import GovgateError

EXIT_ERROR = 2


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
    for name in COMMANDS:
        if named not in COMMANDS or name == named:
            command = load_command(name)
            verb = sub.add_parser(name, help=command.help, description=command.description)
            command.add_arguments(verb)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    try:
        return load_command(args.command).run(args)
    except GovgateError as exc:
        print(_scrubbed(args, f"govgate: error: {exc.one_line()}"), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("govgate: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `govgate facts | head`: the reader has all it wanted
        from govgate.commands.output import EXIT_BROKEN_PIPE, discard_stdout

        discard_stdout()
        return EXIT_BROKEN_PIPE
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
