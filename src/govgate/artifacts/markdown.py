"""Documents as a line-numbered section tree, so rules can check Markdown without doing I/O.

Each section carries its content words: prose a person wrote, without placeholders, template
instructions and questions, link targets, code and HTML comments. Stated metric values (a number
next to a metric word, or a number in a table) are kept with their lines for the topic finder.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from govgate.artifacts.metrics import MetricValue, prose_metrics, table_metrics
from govgate.artifacts.placeholders import Span, families_in, placeholders, template_text
from govgate.artifacts.vocabulary import WORD
from govgate.errors import InputError
from govgate.jsonable import EXCLUDE
from govgate.record import Record
from govgate.yamlio import parse_yaml

# Built once: the gate parses many cards per run and the parser set-up is not free. Tables (GFM,
# where results are most often stated) are read from the lines: see _tables.
_MD = MarkdownIt("commonmark")

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# Link destinations, HTML tags/autolinks and bare URLs are not prose a reviewer wrote. Every
# repetition is bounded so that a hostile line is scanned in linear time.
_NOT_PROSE = re.compile(
    r"\]\([^()\s]{0,500}(?:\([^()\s]{0,200}\)[^()\s]{0,200})?(?:\s{1,5}[\"'(][^()\n]{0,300})?\)"
    r"|</?[A-Za-z][^<>\n]{0,500}>"
    r"|\b[A-Za-z][\w+.-]{0,30}://[^\s<>()\[\]]{0,2000}"
)
_DELIMITER_ROW = re.compile(
    r"^\s{0,3}\|?\s{0,5}:?-{1,200}:?\s{0,5}(?:\|\s{0,5}:?-{1,200}:?\s{0,5}){0,100}\|?\s*$"
)
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_LIST_ITEM = re.compile(r"^\s{0,12}(?:[-*+]|\d{1,9}[.)])\s")
_OPTIONAL = re.compile(r"[\[(]\s{0,5}optional\s{0,5}[\])]\W{0,5}$")
_NUMBERING = re.compile(
    r"^\s{0,10}(?:\d{1,3}(?:\.\d{1,3}){1,5}\.?|\d{1,3}\.|[a-z]\.|[ivxlcdm]{1,6}\.)\s"
)
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
    """One heading and its extent, so a rule can point at the exact lines it judged.

    `words` and `total_words` (with subsections) count content words only: placeholders,
    template instructions and questions, link targets and code do not count.
    """

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
    """Everything rules need from a card, computed once so rule checks stay pure.

    `template_text` is what was discarded as a template's instructions or questions;
    `metrics` the metric values the prose and tables state.
    """

    front_matter: dict[str, Any] | None
    front_matter_error: str | None
    sections: list[Section]
    placeholders: list[Placeholder]
    template_text: list[Placeholder] = field(default_factory=list)
    metrics: list[MetricValue] = field(default_factory=list)
    words: int
    # cumulative content words before each line (index 0 = before line 1), for topic extents
    line_words: tuple[int, ...] = field(default=(), metadata=EXCLUDE, compare=False)


def normalize_title(title: str) -> str:
    """Reduce a heading to a key so that real cards' spelling variants match one rule entry."""
    key = _NUMBERING.sub("", _OPTIONAL.sub("", title.casefold().strip()[:500]))
    key = _SEPARATORS.sub(" ", key.replace("&", " and "))
    return " ".join(_PUNCTUATION.sub("", key).split())


def _load_front_matter(source: str) -> tuple[dict[str, Any] | None, str | None]:
    """Front matter read like every YAML govgate reads (duplicate keys, alias bombs and
    recursive aliases refused); line numbers in file terms: the YAML starts on file line 2."""
    try:
        data = parse_yaml("\n" + source, "front matter").data  # "\n": YAML lines = file lines
    except InputError as exc:
        line = exc.location.line if exc.location and exc.location.line else None
        where = f"line {line}: " if line else ""
        return None, where + exc.described().removeprefix("invalid YAML: ")
    except Exception as exc:  # a card must never crash the gate, whatever YAML does
        return None, f"{type(exc).__name__}: {exc}"
    if not isinstance(data, dict):
        found = "empty" if data is None else f"a {type(data).__name__}"
        return None, f"line 2: front matter must be a mapping, found {found}"
    bad = [key for key in data if not isinstance(key, str)]
    if bad:
        return None, f"line 2: front matter keys must be strings, found {bad[0]!r}"
    return data, None


def _inline_text(inline: Token) -> str:
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


def _blank_spans(line: str, spans: list[Span]) -> str:
    for span in spans:
        line = line[: span.start] + " " * (span.end - span.start) + line[span.end :]
    return line


def _tables(prose: list[str]) -> list[list[tuple[int, list[str]]]]:
    """GFM tables as their rows (1-based line, cell texts), the header row first.

    Read from the lines (code already blanked) rather than by markdown-it's table rule, which
    costs a fifth of the whole parse of a long card: a header row, a delimiter row of as many
    cells, then every following row that has a pipe.
    """
    tables: list[list[tuple[int, list[str]]]] = []
    i = 0
    while i + 1 < len(prose):
        header, delimiter = prose[i], prose[i + 1]
        if "|" in header and _DELIMITER_ROW.match(delimiter):
            cells = _cells(header)
            if len(cells) == len(_cells(delimiter)):
                rows = [(i + 1, cells)]
                i += 2
                while i < len(prose) and "|" in prose[i] and prose[i].strip():
                    rows.append((i + 1, _cells(prose[i])))
                    i += 1
                tables.append(rows)
                continue
        i += 1
    return tables


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [cell.strip() for cell in _CELL_SPLIT.split(row)]


def _paragraphs(clean: list[str], table_rows: set[int]) -> list[tuple[int, int]]:
    """[first, last) line ranges of prose paragraphs; each list item starts one of its own."""
    found: list[tuple[int, int]] = []
    first: int | None = None
    for i, line in enumerate([*clean, ""]):
        starts_item = _LIST_ITEM.match(line) is not None
        if not line.strip() or i in table_rows or starts_item:
            if first is not None:
                found.append((first, i))
            first = i if starts_item and i not in table_rows else None
        elif first is None:
            first = i
    return found


def parse_markdown(text: str, metric_words: tuple[str, ...] = ()) -> MarkdownDocument:
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
            headings.append((start, end, int(token.tag[1]), _inline_text(tokens[index + 1])))
    prose = _COMMENT.sub(_blank, "\n".join(prose)).split("\n")
    tables = _tables(prose)
    table_rows = {line - 1 for rows in tables for line, _ in rows}

    scanned = list(prose)  # placeholders in front matter count too: the HF template has one
    if fm_end:
        scanned[1 : fm_end - 1] = lines[1 : fm_end - 1]
    heading_lines = {i for start, end, _, _ in headings for i in range(start, end)}
    found: list[Placeholder] = []
    clean = [""] * n  # prose a person wrote, placeholders and link targets blanked
    families = families_in(text)
    for i, line in enumerate(scanned):
        spans = placeholders(line, families) if line.strip() else []
        found += [
            Placeholder(line=i + 1, column=s.start + 1, text=s.text, kind=s.kind) for s in spans
        ]
        if i >= fm_end and i not in heading_lines and line.strip():
            clean[i] = _NOT_PROSE.sub(_blank, _blank_spans(line, spans))

    # A template's instructions and questions run over several lines: judge each paragraph as
    # one text (newlines read as spaces, so offsets map back to the line they came from).
    discarded: list[Placeholder] = []
    for first, last in _paragraphs(clean, table_rows):
        joined = " ".join(clean[first:last])
        offsets = [0]
        for line in clean[first:last]:
            offsets.append(offsets[-1] + len(line) + 1)
        spans = template_text(joined)
        if not spans:
            continue
        pieces: list[str] = []
        done = 0
        for span in spans:  # in order, never overlapping: one pass blanks them all
            k = bisect_right(offsets, span.start) - 1
            discarded.append(
                Placeholder(
                    line=first + k + 1,
                    column=span.start - offsets[k] + 1,
                    text=span.text[:200],
                    kind=span.kind,
                )
            )
            pieces += [joined[done : span.start], " " * (span.end - span.start)]
            done = span.end
        blanked = "".join([*pieces, joined[done:]])
        for j in range(last - first):
            clean[first + j] = blanked[offsets[j] : offsets[j + 1] - 1]

    metrics: list[MetricValue] = []
    cumulative = [0]
    for i, line in enumerate(clean):
        cumulative.append(cumulative[-1] + (len(WORD.findall(line)) if line else 0))
        if line and metric_words and i not in table_rows:
            metrics += prose_metrics(line, i + 1, metric_words)
    if metric_words:
        for rows in tables:
            metrics += table_metrics(rows, metric_words)

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
        placeholders=found,
        template_text=discarded,
        metrics=metrics,
        words=cumulative[-1],
        line_words=tuple(cumulative),
    )
