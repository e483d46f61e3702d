"""Standard output that a reader may close early (`govgate facts | head`).

A closed pipe is the reader's choice, not a fault of the command: what is left to print is
dropped (standard output is pointed at the null device, so nothing fails at exit either) and the
command goes on. `check` thus still writes its reports and returns its verdict's exit code.
"""

from __future__ import annotations

import os
import sys

# What a shell reports for a program that a closed pipe stopped (128 + SIGPIPE).
EXIT_BROKEN_PIPE = 141


def emit(text: str) -> None:
    """Write to standard output; a reader that has gone away is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()


def discard_stdout() -> None:
    """Send the rest of standard output to the null device (the reader closed the pipe)."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, sys.stdout.fileno())
    finally:
        os.close(null)
