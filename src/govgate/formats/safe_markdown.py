"""A rule pack's Markdown made safe for the code-scanning views that render SARIF `help.markdown`:
formatting, code and web links kept; raw HTML and `javascript:`/`data:` link targets removed.

Apart from `safe_text` (terminals and logs, on every run) because only the SARIF format needs it,
and it costs an import of `html` and, for some packs, of a Markdown parser.
"""

from __future__ import annotations

import html
import re

from govgate.formats.safe_text import is_unsafe

# Raw HTML as CommonMark reads it, also across lines.
_HTML = re.compile(
    r"<!--[\s\S]*?-->"  # comment
    r"|<\?[\s\S]*?\?>"  # processing instruction
    r"|<!\[CDATA\[[\s\S]*?\]\]>"
    r"|<![A-Za-z][\s\S]*?>"  # declaration
    r"|</?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>"  # open, close or self-closing tag
)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
# what is left of `<` after the tags are gone: a safe autolink, or a `<` that must open nothing
_LEFT_OVER = re.compile(_AUTOLINK.pattern + r"|<(?=[A-Za-z/!?])")
# `](destination` of an inline link or image; `[label]: destination` of a link definition,
# which starts a line, maybe inside quotes (`>`) and list items (`-`, `1.`)
# (a target is read up to a bracket: its scheme is what counts, and the next `](` is then seen)
_INLINE_TARGET = re.compile(r"(\]\(\s*)(<[^<>\n]*>|(?:[^\s()\[\]]|\([^\s()\[\]]*\))+)")
_DEFINITION_TARGET = re.compile(
    r"^((?:[^\S\n]*(?:>|[-*+][^\S\n]|\d{1,9}[.)][^\S\n]))*[^\S\n]*"
    r"\[[^\]\n]+\]:[^\S\n]*\n?[^\S\n]*)(<[^<>\n]*>|\S+)",
    re.MULTILINE,
)
_BACKSLASH_ESCAPE = re.compile(r"\\(.)")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
BLOCKED_TARGET = "#"


def _safe_target(target: str) -> bool:
    """A relative link or an http(s)/mailto one; read as a browser would (entities decoded,
    blanks and controls dropped, any case) so `jav&#x61;script:` is seen for what it is."""
    plain = _BACKSLASH_ESCAPE.sub(r"\1", html.unescape(target.strip("<>")))
    plain = "".join(c for c in plain if not (c.isspace() or is_unsafe(c))).lower()
    scheme = _SCHEME.match(plain)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


def _target(match: re.Match[str]) -> str:
    lead, target = match.group(1), match.group(2)
    return lead + (target if _safe_target(target) else BLOCKED_TARGET)


def _drop_html(match: re.Match[str]) -> str:
    link = match.group(1)
    return match.group(0) if link is not None and _safe_target(link) else ""


def _left_over(match: re.Match[str]) -> str:
    # an entity, not `\<`: a backslash before it in the text would escape the backslash
    return match.group(0) if match.group(1) is not None else "&lt;"


_TAG_OR_AUTOLINK = re.compile(_AUTOLINK.pattern + "|" + _HTML.pattern)
# A code span on one line (`approval.<role>`): its `<` is text, not a tag.
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)[^\n]*?(?<!`)\1(?!`)")


def _without_html(text: str) -> str:
    while True:  # `<<b>script>` is `<script>` once `<b>` is gone
        stripped = _TAG_OR_AUTOLINK.sub(_drop_html, text)
        if stripped == text:
            break
        text = stripped
    return _LEFT_OVER.sub(_left_over, text)


def _without_html_outside_code(text: str) -> str:
    parts: list[str] = []
    last = 0
    for code in _CODE_SPAN.finditer(text):
        parts += [_without_html(text[last : code.start()]), code.group(0)]
        last = code.end()
    parts.append(_without_html(text[last:]))
    return "".join(parts)


def _renders_html(markdown: str) -> bool:
    """Whether a CommonMark reader with tables (GitHub's dialect) finds raw HTML in it."""
    from markdown_it import MarkdownIt  # only for a pack that writes `<` inside backticks

    tokens = MarkdownIt("commonmark", {"html": True}).enable("table").parse(markdown)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    return bool(kinds & {"html_block", "html_inline"})


def _sanitised(text: str, keep_code: bool) -> str:
    markdown = _without_html_outside_code(text) if keep_code else _without_html(text)
    while True:  # a target made safe can reveal another `](` (none is ever unsafe again)
        checked = _DEFINITION_TARGET.sub(_target, _INLINE_TARGET.sub(_target, markdown))
        if checked == markdown:
            return markdown
        markdown = checked


def inert_markdown(text: str) -> str:
    """A pack's Markdown for a code-scanning view: formatting, code and http(s) links kept; raw
    HTML dropped; `javascript:`, `data:` and other non-web link targets replaced by `#`.

    A `<...>` between backticks on one line is code and kept, once a CommonMark parser confirms
    that the result holds no HTML; else (a span that block structure or a table's pipes would
    cut) tags are dropped everywhere, code spans included.
    """
    markdown = _sanitised(text, keep_code=False)
    if "<" in text and "`" in text:
        kept = _sanitised(text, keep_code=True)
        if kept != markdown and not _renders_html(kept):
            return kept
    return markdown
