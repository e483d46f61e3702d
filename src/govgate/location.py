"""Where a fact, finding or error came from: a file position or a URI plus a JSON path."""

from __future__ import annotations

from dataclasses import dataclass

from govgate.record import Record


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Location(Record):
    """A place a user can open: `path:line:col`, optionally with the key path inside the file."""

    path: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    key_path: str | None = None

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


def format_key_path(parts: tuple[str | int, ...]) -> str:
    """Render ('rules', 0, 'check') as `rules[0].check`, the spelling used in messages."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
