"""Text from rule packs, exceptions files and documents, made inert for terminals, CI logs and
the Markdown that code-scanning views render.

Human output shows what a pack or a pull request wrote, never lets it act: an escape sequence
would recolour, hide or hyperlink the log, a carriage return would overwrite the verdict line,
a bidi override would reorder what a reviewer reads, and a line that starts with `::` (or holds
`##[`) is a workflow command to the GitHub runner. Machine formats (JSON, SARIF text, JUnit,
Code Quality) keep the text as it was: their own encoding escapes it.
"""

from __future__ import annotations

import re
import unicodedata

# Cc: C0, DEL and C1 controls; Cf: bidi overrides and isolates, zero-width and other invisible
# format characters; Cs: lone surrogates (unencodable); Zl, Zp: line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Zero-width (non-)joiners are part of how Persian, Indic scripts and emoji are written.
_JOINERS = frozenset({"\u200c", "\u200d"})
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r"}
# The GitHub runner skips leading blanks, then reads `::name ...::data` as a command; `##[name]`
# (and Azure's `##vso[`) it reads anywhere in a line.
_LINE_COMMAND = re.compile(r"^([^\S\n]*)::", re.MULTILINE)
_LEGACY_COMMAND = re.compile(r"##(?=\[|vso\[)", re.IGNORECASE)


def _escape(char: str) -> str:
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def is_unsafe(char: str) -> bool:
    """A control, format or separator character that could act on a terminal or reorder text."""
    return unicodedata.category(char) in _UNSAFE_CATEGORIES and char not in _JOINERS


def _escape_controls(text: str, keep: str) -> str:
    if text.isprintable():  # the common case: nothing to look at character by character
        return text
    return "".join(_escape(char) if char not in keep and is_unsafe(char) else char for char in text)


def _no_commands(text: str) -> str:
    text = _LEGACY_COMMAND.sub("##\\\\", text)
    return _LINE_COMMAND.sub("\\1\\\\::", text)


def inert(text: str) -> str:
    """One line of user text: every control shown as its escape (`\\x1b`, `\\r`, `\\n`,
    `\\u202e`), tabs kept, and no workflow command (`::` first, `##[` anywhere) left whole."""
    return _no_commands(_escape_controls(text, keep="\t"))


def inert_lines(text: str) -> list[str]:
    """User text whose line breaks (LF or CRLF) are meant: each line made inert as by `inert`.

    A lone carriage return is no line break: it is shown as `\\r`, so it cannot overwrite.
    """
    return [inert(line) for line in text.replace("\r\n", "\n").split("\n")]
