"""Hostile 200 000-character lines parse to sane results (linear-time guard, no timing asserts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from govgate.artifacts import metrics
from govgate.artifacts.markdown import MarkdownDocument, parse_markdown
from govgate.artifacts.topics import markdown_topics
from govgate.artifacts.vocabulary import builtin_vocabulary

VOCABULARY = builtin_vocabulary()


def _parse(text: str) -> MarkdownDocument:
    doc = parse_markdown(text, VOCABULARY.metric_words)
    markdown_topics(doc, VOCABULARY)  # the topic finder must cope with the result as well
    return doc


def test_unclosed_template_openers() -> None:
    doc = _parse("{{" * 100_000)
    assert doc.sections == [] and doc.placeholders == [] and doc.words == 0


def test_link_destination_openers() -> None:
    doc = _parse("](" * 100_000)
    assert doc.sections == [] and doc.placeholders == [] and doc.words == 0
    assert doc.metrics == []


def test_sentence_stops() -> None:
    doc = _parse("a." * 100_000)
    assert doc.sections == [] and doc.placeholders == []
    assert doc.words == 100_000 and doc.template_text == []


def test_a_heading_of_200000_spaces() -> None:
    doc = _parse("# " + " " * 200_000 + "x")
    (section,) = doc.sections
    assert (section.title, section.level, section.line, section.words) == ("x", 1, 1, 0)


def test_an_unclosed_bracket_before_many_words() -> None:
    doc = _parse("[" + "a " * 100_000)
    assert doc.sections == [] and doc.placeholders == []
    assert doc.words == 100_000


def test_unclosed_html_tags() -> None:
    doc = _parse("<a " * 60_000)
    assert doc.sections == [] and doc.placeholders == []
    assert doc.words == 60_000


def test_many_hostile_lines_in_one_document() -> None:
    line = "[x" * 2_000 + " TODO " + "{{" * 2_000
    doc = _parse("# Card\n\n## Limitations\n\n" + "\n\n".join([line] * 10) + "\n")
    assert [p.kind for p in doc.placeholders] == ["todo"] * 10
    assert doc.sections[1].words == 2_000 * 10


def test_prose_metrics_work_is_linear_in_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # Counted, not timed: how many metric words are compared with a number in all.
    comparisons = 0

    def counting_min(*args: Any, key: Callable[[Any], Any] | None = None) -> Any:
        nonlocal comparisons
        if len(args) > 1:  # min(a, b): two numbers, not a search over metric words
            return min(args)
        items = list(args[0])
        comparisons += len(items)
        return min(items, key=key)

    monkeypatch.setattr(metrics, "min", counting_min, raising=False)
    n = 1_000
    found = metrics.prose_metrics("accuracy 0.1 " * n, 1, VOCABULARY.metric_words)
    assert len(found) == n
    assert comparisons <= 10 * n
