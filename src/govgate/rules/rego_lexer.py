"""A small Rego tokenizer: enough to find statements, rule heads and rule bodies, never to run.

govgate reads `.rego` files itself before any engine sees them, to refuse what an engine would
accept silently (Rego v0 bodies, non-deterministic built-ins) and to find the rules that METADATA
annotations describe, each with its line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\r]+)
  | (?P<newline>\n)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<raw>`[^`]*`)
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>:=|==|!=|<=|>=|[-+*/%&|<>=!.,;:\[\]{}()])
    """,
    re.VERBOSE,
)

OPENERS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class Token:
    kind: str  # ident, string, number, op
    text: str
    offset: int
    line: int
    column: int
    depth: int  # bracket depth before this token
    starts_line: bool  # first token on its line


class LexError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def tokenize(source: str) -> list[Token]:
    """Tokens with positions; comments and whitespace dropped. Unbalanced brackets are errors."""
    tokens: list[Token] = []
    stack: list[Token] = []
    line, line_start, pos, fresh = 1, 0, 0, True
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            raise LexError(f"unexpected character {source[pos]!r}", line, pos - line_start + 1)
        kind = match.lastgroup or ""
        text = match.group(0)
        if kind == "newline":
            line, line_start, fresh = line + 1, match.end(), True
        elif kind == "raw":
            tokens.append(Token("string", text, pos, line, pos - line_start + 1, len(stack), fresh))
            fresh = False
            newlines = text.count("\n")
            if newlines:
                line += newlines
                line_start = pos + text.rindex("\n") + 1
        elif kind not in ("space", "comment"):
            token = Token(
                "op" if kind == "op" else kind,
                text,
                pos,
                line,
                pos - line_start + 1,
                len(stack),
                fresh,
            )
            fresh = False
            if text in OPENERS:
                stack.append(token)
            elif text in OPENERS.values():
                if not stack or OPENERS[stack[-1].text] != text:
                    raise LexError(f"unbalanced {text!r}", token.line, token.column)
                stack.pop()
                token = Token(
                    token.kind, text, pos, token.line, token.column, len(stack), token.starts_line
                )
            tokens.append(token)
        pos = match.end()
    if stack:
        opened = stack[-1]
        raise LexError(f"{opened.text!r} is never closed", opened.line, opened.column)
    return tokens
