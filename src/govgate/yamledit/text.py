"""A YAML file as lines: its encoding quirks, where comments are, where its data ends.

Line-level facts both editors need before and after ruamel touches the document: how the file
was encoded (BOM, CRLF) so the bytes written back match, the comments it holds so none is lost,
and the last line holding data so a new key goes above trailing comments.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from govgate.yamlio import decode_utf8

BOM = "\ufeff"


@dataclass(frozen=True)
class Encoding:
    """How a file's text is stored: a leading BOM, and `\\r\\n` line breaks throughout."""

    bom: bool = False
    crlf: bool = False

    def encode(self, text: str) -> bytes:
        """`text` (with `\\n` breaks) as the file stores it."""
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return ((BOM if self.bom else "") + text).encode("utf-8")


def normalise(text: str, original: bytes | None) -> tuple[str, Encoding]:
    """`text` (already decoded, BOM removed) with `\\n` breaks, and how `original` stored it."""
    bom = original is not None and original.startswith(BOM.encode())
    crlf = "\r\n" in text and text.count("\n") == text.count("\r\n")
    return (text.replace("\r\n", "\n") if crlf else text), Encoding(bom=bom, crlf=crlf)


def decode(original: bytes, display: str) -> tuple[str, Encoding]:
    """The file's bytes as text with `\\n` breaks, and how they were stored."""
    return normalise(decode_utf8(original, display), original)


def split_lines(text: str) -> list[str]:
    """Lines with their `\\n`, split only where YAML breaks lines (not at U+2028, NEL, ...)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    return [*lines, parts[-1]] if parts[-1] else lines


def terminated(lines: list[str]) -> list[str]:
    """`lines` with the last one ending in a line break (a file may end without one)."""
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return lines


def data_end(text: str) -> int:
    """The line after the last one that holds data (not a comment, blank line or `...`)."""
    last = 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.BlockEndToken | yaml.DocumentEndToken | yaml.StreamEndToken):
            continue
        end = token.end_mark
        last = max(last, end.line + 1 if end.column > 0 else end.line)
    return last


def separated_by_blank_lines(lines: list[str], starts: list[int]) -> bool:
    """Whether list items starting at `starts` have a blank line between them (comments that
    open an item do not count), judged from the existing items."""
    if len(starts) < 2:
        return False
    for start in starts[1:]:
        line = start - 1
        while line >= 0 and lines[line].lstrip().startswith("#"):
            line -= 1
        if line < 0 or lines[line].strip():
            return False
    return True


def comments(text: str) -> list[tuple[str, int, int]]:
    """Every comment as (text, line, column), 1-based: each `#` that no YAML token contains.

    The YAML scanner skips comments, so a `#` between tokens, at the start of a line or after a
    space, starts one; a `#` inside a quoted or block scalar is part of the token around it.
    """
    found: list[tuple[str, int, int]] = []
    position = 0
    spans = [
        (t.start_mark.index, t.end_mark.index) for t in yaml.scan(text, Loader=yaml.SafeLoader)
    ]
    for start, end in [*spans, (len(text), len(text))]:
        hash_at = text.find("#", position, start)
        while hash_at >= 0:
            line_start = text.rfind("\n", 0, hash_at) + 1
            line_end = text.find("\n", hash_at)
            line_end = len(text) if line_end < 0 else line_end
            if hash_at == line_start or text[hash_at - 1] in " \t":
                line = text.count("\n", 0, hash_at) + 1
                found.append((text[hash_at:line_end].rstrip(), line, hash_at - line_start + 1))
                hash_at = text.find("#", line_end, start)
            else:
                hash_at = text.find("#", hash_at + 1, start)
        position = max(position, end)
    return found
