"""Model cards as a line-numbered section tree, so rules can check Markdown without doing I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from govgate.record import Record
from govgate.yamlio import Yaml12Loader

# Built once: the gate parses many cards per run and the parser set-up is not free.
_MD = MarkdownIt("commonmark")
_YAML_LOADER: Any = Yaml12Loader

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# Alternation order plus finditer's leftmost scan keep only the outermost match, so a Jinja
# default of "[More Information Needed]" is one template placeholder, not two.
_PLACEHOLDER = re.compile(
    r"(?P<template>\{\{.*?\}\}|\{%.*?%\})"
    r"|(?P<more_information_needed>(?i:\[\s*more\s+information\s+needed\s*\]))"
    r"|\b(?P<todo>TODO)\b|\b(?P<tbd>TBD)\b|\b(?P<fixme>FIXME)\b"
)
# Link destinations, HTML tags/autolinks and bare URLs are not prose a reviewer wrote.
_NOT_PROSE = re.compile(
    r"\]\([^)\s]*(?:\s+[\"'(][^)]*)?\)|</?[A-Za-z][^<>\n]*>|\b[A-Za-z][\w+.-]*://[^\s<>()\[\]]*"
)
_WORD = re.compile(r"\w+")
_OPTIONAL = re.compile(r"\s*[\[(]\s*optional\s*[\])]\W*$")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)+\.?|\d+\.|[a-z]\.|[ivxlcdm]+\.)\s+")
_SEPARATORS = re.compile(r"[-_/\u2010-\u2015]+")
_PUNCTUATION = re.compile(r"[^\w\s]")


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Placeholder(Record):
    """Unfilled template text, which means a section only looks complete."""

    line: int
    column: int
    text: str
    kind: str


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Section(Record):
    """One heading and its extent, so a rule can point at the exact lines it judged."""

    title: str
    key: str
    level: int
    line: int
    body_line: int
    end_line: int
    parent: int | None
    words: int
    total_words: int
    text: str


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class MarkdownDocument(Record):
    """Everything rules need from a card, computed once so rule checks stay pure."""

    front_matter: dict[str, Any] | None
    front_matter_error: str | None
    sections: list[Section]
    placeholders: list[Placeholder]
    words: int


def normalize_title(title: str) -> str:
    """Reduce a heading to a key so that real cards' spelling variants match one rule entry."""
    key = _NUMBERING.sub("", _OPTIONAL.sub("", title.casefold()))
    key = _SEPARATORS.sub(" ", key.replace("&", " and "))
    return " ".join(_PUNCTUATION.sub("", key).split())


def _load_front_matter(source: str) -> tuple[dict[str, Any] | None, str | None]:
    # Line numbers are reported in file terms: the YAML text starts on file line 2.
    try:
        data = yaml.load(source, Loader=_YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 2}: " if mark is not None else ""
        return None, f"{where}{exc.problem or exc.context or 'invalid YAML'}"
    except Exception as exc:  # a card must never crash the gate, whatever YAML does
        return None, f"{type(exc).__name__}: {exc}"
    if not isinstance(data, dict):
        found = "empty" if data is None else f"a {type(data).__name__}"
        return None, f"line 2: front matter must be a mapping, found {found}"
    bad = [key for key in data if not isinstance(key, str)]
    if bad:
        return None, f"line 2: front matter keys must be strings, found {bad[0]!r}"
    return data, None


def _title(inline: Token) -> str:
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def _blank(match: re.Match[str]) -> str:
    # Same length, newlines kept: columns and line numbers stay those of the file.
    return re.sub(r"[^\n]", " ", match.group())


def parse_markdown(text: str) -> MarkdownDocument:
    """Parse a card once into facts with file positions; never raises on malformed input."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    n = len(lines)

    front_matter: dict[str, Any] | None = None
    front_matter_error: str | None = None
    fm_end = 0  # lines taken by front matter, fences included
    if lines and lines[0].rstrip() == "---":
        close = next((i for i in range(1, n) if lines[i].rstrip() in ("---", "...")), None)
        if close is not None:
            fm_end = close + 1
            front_matter, front_matter_error = _load_front_matter("\n".join(lines[1:close]))

    # Blanking front matter keeps line numbers and stops its closing `---` forming a heading.
    prose = [""] * fm_end + lines[fm_end:]
    tokens = _MD.parse("\n".join(prose))
    headings: list[tuple[int, int, int, str]] = []  # 0-based start, body start, level, title
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in ("fence", "code_block"):
            prose[start:end] = [""] * (end - start)
        elif token.type == "heading_open" and token.level == 0:
            headings.append((start, end, int(token.tag[1]), _title(tokens[index + 1])))
    prose = _COMMENT.sub(_blank, "\n".join(prose)).split("\n")

    scanned = list(prose)  # placeholders in front matter count too: the HF template has one
    if fm_end:
        scanned[1 : fm_end - 1] = lines[1 : fm_end - 1]
    placeholders = [
        Placeholder(line=i + 1, column=m.start() + 1, text=m.group(), kind=str(m.lastgroup))
        for i, line in enumerate(scanned)
        for m in _PLACEHOLDER.finditer(line)
    ]

    # Heading lines are titles, not prose: blanking them makes section words add up exactly.
    word_lines = list(prose)
    for start, end, _, _ in headings:
        word_lines[start:end] = [""] * (end - start)
    cumulative = [0]
    for line in word_lines:
        clean = _NOT_PROSE.sub(" ", _PLACEHOLDER.sub(" ", line)) if line else line
        cumulative.append(cumulative[-1] + len(_WORD.findall(clean)))

    sections: list[Section] = []
    stack: list[int] = []
    for k, (start, body, level, title) in enumerate(headings):
        while stack and headings[stack[-1]][2] >= level:
            stack.pop()
        own_end = headings[k + 1][0] if k + 1 < len(headings) else n
        end = next((h[0] for h in headings[k + 1 :] if h[2] <= level), n)
        body = min(body, n)
        sections.append(
            Section(
                title=title,
                key=normalize_title(title),
                level=level,
                line=start + 1,
                body_line=body + 1,
                end_line=end,
                parent=stack[-1] if stack else None,
                words=cumulative[own_end] - cumulative[body],
                total_words=cumulative[end] - cumulative[body],
                text="\n".join(line.rstrip() for line in prose[body:own_end]),
            )
        )
        stack.append(k)

    return MarkdownDocument(
        front_matter=front_matter,
        front_matter_error=front_matter_error,
        sections=sections,
        placeholders=placeholders,
        words=cumulative[-1],
    )
