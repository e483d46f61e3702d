"""Template text in a document: placeholders left unfilled, and a template's own instructions.

Two families, told apart because a reviewer treats them differently:
- placeholders (`[More Information Needed]`, `{{ model_id }}`, `<insert metric>`, `TODO`, `X.XX`,
  `??`, a value of `?` or `...`, lorem ipsum) say the document is unfinished wherever they are;
- template text (a template's instructions such as "Add known limitations, ..." or "Review
  section 4.2 of the model cards paper", and questions such as a datasheet's "Who funded the
  creation of the dataset?") is not content: it never counts toward a section's words.

Every pattern is bounded (no nested or unbounded repetition that can backtrack), so a hostile
line of any length is scanned in linear time.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_MORE_INFO = (
    r"(?:more|further|additional)\s{1,3}(?:info(?:rmation)?|details?)\s{1,3}"
    r"(?:is\s{1,3}|are\s{1,3})?(?:needed|required|to\s{1,3}come|coming\s{1,3}soon)"
)
_TO_BE = (
    r"determined|defined|added|completed|confirmed|announced|filled(?:\s{1,3}in)?|provided|"
    r"written|decided"
)
# The same in French and German, and the answer slot of questionnaire templates.
_UNFILLED = (
    r"(?:\u00e0|a)\s{1,3}(?:compl[e\u00e9]ter|d[e\u00e9]finir|remplir|venir|[e\u00e9]valuer|renseigner)"
    r"|zu\s{1,3}erg\u00e4nzen|noch\s{1,3}offen|ausstehend|your\s{1,3}answer\s{1,3}here"
)
# One pattern per family, each tried only on a line that can hold it (a cheap test first): a
# single pattern of every alternative costs more than the Markdown parse of the same line. They
# are kept as text and compiled (once, by `re`'s own cache) when a document first needs them.
_STRUCTURAL = (  # starts with one of { $ [ <, which the regex engine scans for fast
    r"(?P<template>\{\{[^{}\n]{0,300}\}\}|\{%[^{}\n]{0,300}%\}|\$\{[A-Za-z_][\w.]{0,80}\})"
    r"|(?P<bracketed>\[(?<![\]\w!]\[)(?![\^xX ]\])[^\[\]\n]{1,300}\](?![(\[:]))"
    r"|(?P<angle><[A-Za-z_][\w .,/'-]{0,120}>)"
)
_MORE_INFORMATION = rf"(?i:[\[(<]?\s{{0,3}}{_MORE_INFO}\s{{0,3}}[.!]?\s{{0,3}}[\])>]?)"
_MARKER = r"\b(?:TODO|TBD|TBA|TBC|FIXME|XXX+)\b"
_TO_BE_DONE = (
    rf"(?i:(?:^|(?<=[:(\[|>*_-]))\s{{0,3}}to\s{{1,3}}be\s{{1,3}}(?:{_TO_BE})\b"
    rf"|\b(?:{_UNFILLED})\b)"
)
_LOREM_IPSUM = r"(?i:\blorem\s{1,3}ipsum\b)"
_NUMBER = (
    r"(?<![\w.])(?:X{1,4}|\d{1,4}|#)\.(?:X{1,4}|#{1,4})%?(?![\w.])"
    r"|(?<![\w.])X{1,3}\s{0,1}%|(?<![\w?])\?{2,}(?![\w?])"
)
# (cheap test, pattern, whether the test reads the lower-cased line, kind; None: the group's name)
Families = tuple[tuple[re.Pattern[str], str, bool, str | None], ...]
_FAMILIES: Families = (
    # "[More Information Needed]" is that, not a bracketed instruction: it is tried first.
    (re.compile(r"more|further|additional"), _MORE_INFORMATION, True, "more_information_needed"),
    (re.compile(r"[{$\[<]"), _STRUCTURAL, False, None),
    (re.compile(r"TODO|TB[DAC]|FIXME|XXX"), _MARKER, False, "marker"),
    (
        re.compile(
            r"to\s{1,3}be|ausstehend|noch\s{1,3}offen|zu\s{1,3}erg|your\s{1,3}answer|"
            r"(?:\u00e0|a)\s{1,3}(?:compl|d[e\u00e9]f|rempl|ven|[e\u00e9]val|rens)"
        ),
        _TO_BE_DONE,
        True,
        "to_be_done",
    ),
    (re.compile(r"lorem"), _LOREM_IPSUM, True, "lorem_ipsum"),
    (re.compile(r"X|#|\?\?"), _NUMBER, False, "number"),
)
# A value that is only a stand-in: the whole line, a list item, or what follows a label's colon.
_BARE_VALUE = re.compile(r"(?:^|:)[ \t*_>-]{0,12}(?P<value>\?|\.\.\.|\u2026)[ \t*_]{0,6}$")
_HTML_TAG_NAMES = (
    "a abbr b blockquote br caption center code col dd del details div dl dt em figcaption "
    "figure font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p picture pre q s samp small "
    "source span strike strong sub summary sup table tbody td tfoot th thead tr tt u ul "
    "video iframe style script svg path meta link input label button form section article "
    "header footer nav main aside audio track"
)
_HTML_TAGS = frozenset(_HTML_TAG_NAMES.split())
_PLACEHOLDER_NAMES = (
    "name date email model version author organization organisation company owner contact "
    "link url value metric dataset description team number title here"
)
_PLACEHOLDER_WORDS = frozenset(_PLACEHOLDER_NAMES.split())
_CITATION = re.compile(r"\d|et al|\bsee\b|^\s*[\"'`]|[=*]")

_INSTRUCTION_VERBS = (
    "add|describe|document|provide|include|list|explain|specify|insert|fill|write|enter|"
    "summarize|summarise|outline|replace|mention|identify|discuss|indicate|"
    "review section|refer to section|give|define|clarify|complete|update this|delete this|"
    "remove this|use this section|this section should|this section is|this section will|"
    "this section must|if so|if not|if yes|if no|"
    "(?:most |some |all )?(?:of )?(?:the |these )questions"
)
_LEAD = r"^[\s>*_\-+•\d.)]{0,12}"  # list markers, emphasis and numbering before a sentence
_INSTRUCTION = re.compile(rf"{_LEAD}(?:{_INSTRUCTION_VERBS})\b", re.IGNORECASE)
# German and French address the author in a form prose never uses: these need no object.
_FORMAL_INSTRUCTION = re.compile(
    rf"{_LEAD}(?:(?:beschreiben|geben|f\u00fcgen|listen|nennen|erl\u00e4utern|tragen)\s{{1,3}}sie"
    r"|d\u00e9crivez|indiquez|ajoutez|pr\u00e9cisez|renseignez|listez|expliquez|compl\u00e9tez)\b",
    re.IGNORECASE,
)
# Instructions name what the author is to write about: a template's, not a card's, voice.
_INSTRUCTION_OBJECT = re.compile(
    r"\b(?:here|this section|the model|the dataset|limitations?|boundary conditions|failure modes|"
    r"intended uses?|use cases?|training data|evaluation|metrics?|results|risks?|biases|"
    r"ethical|considerations|details|information|documentation|human review|section \d|"
    r"model cards? paper|approach|owner|contact|e\.g\.|such as|any|known|describe|provide|"
    r"description|dataset creators?|questions?)\b",
    re.IGNORECASE,
)
# A sentence ends at . ! or ? unless a digit, a lowercase word or a comma follows ("4.2", "e.g.").
# Said to the author anywhere in a sentence, these are a template's voice, not a document's.
_ASKS_AUTHOR = re.compile(
    r"\bplease\s{1,3}(?:provide|describe|list|explain|specify|include|fill|add|enter|give|"
    r"summari[sz]e|document|state|outline|replace)\b|\banswers?\s{1,3}to\s{1,3}(?:some\s{1,3}of\s{1,3})?"
    r"(?:these\s{1,3}|the\s{1,3})?questions\b|\bdataset\s{1,3}(?:creators|consumers)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?=\s?[a-z0-9,;]))+[.!?]*")


class Span(NamedTuple):
    """A stretch of one line: 0-based start and end columns and what it is."""

    start: int
    end: int
    kind: str
    text: str


def placeholders(line: str, families: Families | None = None) -> list[Span]:
    """The unfilled placeholders in one line of prose (code and comments already blanked).

    `families` (from `families_in` over the whole document) skips the patterns that cannot
    match anywhere in it: a line is then scanned only for what the document can hold.
    """
    found = _placeholders(line, _FAMILIES if families is None else families)
    if line.rstrip(" \t*_").endswith(("?", "...", "\u2026")):
        bare = _BARE_VALUE.search(line)
        if bare and not any(s.start <= bare.start("value") < s.end for s in found):
            value = bare.group("value")
            found.append(Span(bare.start("value"), bare.end("value"), "empty_value", value))
    return found


def families_in(text: str) -> Families:
    """The placeholder families whose cheap test holds somewhere in `text`."""
    lower = text.lower()
    return tuple(f for f in _FAMILIES if f[0].search(lower if f[2] else text))


def _placeholders(line: str, families: Families) -> list[Span]:
    # Every family's matches, outermost first: a template's default of "[More Information
    # Needed]" is one placeholder, the template, not two.
    lower = line.lower()
    matches = [
        (match, kind or str(match.lastgroup))
        for test, pattern, folded, kind in families
        if test.search(lower if folded else line)
        for match in re.compile(pattern).finditer(line)
    ]
    matches.sort(key=lambda item: (item[0].start(), -item[0].end()))
    found: list[Span] = []
    for match, kind in matches:
        if found and match.start() < found[-1].end:
            continue
        text = match.group()
        start, end = match.start(), match.end()
        if text != text.strip():  # a leading or trailing space is not the placeholder's
            start += len(text) - len(text.lstrip())
            end -= len(text) - len(text.rstrip())
            text = text.strip()
        if kind == "bracketed" and not _is_bracketed_placeholder(text[1:-1]):
            continue
        if kind == "angle" and not _is_angle_placeholder(text[1:-1]):
            continue
        if kind == "marker":
            kind = text[:3].lower() if text.startswith("XXX") else text.lower()
        found.append(Span(start, end, kind, text))
    return found


def _is_bracketed_placeholder(inner: str) -> bool:
    words = inner.split()
    if not words or _CITATION.search(inner):
        return False
    if len(words) == 1:
        bare = words[0].strip("_").casefold()
        return bare in _PLACEHOLDER_WORDS or (
            "_" in words[0] and words[0].upper() == words[0] and len(words[0]) > 3
        )
    return any(c.isalpha() for c in inner)


def _is_angle_placeholder(inner: str) -> bool:
    first = inner.split(maxsplit=1)[0].casefold().rstrip("/") if inner.split() else ""
    if first in _HTML_TAGS or "@" in inner or ":" in inner:
        return False
    return " " in inner.strip() or (inner.upper() == inner and len(inner) > 2)


def template_text(line: str) -> list[Span]:
    """Sentences of one line that are a template's instructions or questions, not content."""
    found: list[Span] = []
    for match in _SENTENCE.finditer(line):
        sentence = match.group()
        if not sentence.strip():
            continue
        if sentence.rstrip().rstrip("*_ ").endswith("?"):
            found.append(Span(match.start(), match.end(), "question", sentence.strip()))
        elif (
            (_INSTRUCTION.match(sentence) and _INSTRUCTION_OBJECT.search(sentence))
            or _FORMAL_INSTRUCTION.match(sentence)
            or _ASKS_AUTHOR.search(sentence)
        ):
            found.append(Span(match.start(), match.end(), "instruction", sentence.strip()))
    return found
