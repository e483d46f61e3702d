"""Which topics a document covers, where, and with how much real content.

A topic is covered by every section whose heading names it (`vocabulary.py`), its content being
the words of all those sections together (a subsection inside a matched section is counted
once), and, for structured cards, by the fields that hold it. Rules read the result as
`artifacts.<name>.topics.<topic>`, so a Markdown card and a Model Card Toolkit JSON card are
judged by one rule, natively or in Rego.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from govgate.artifacts.markdown import MarkdownDocument, Placeholder
from govgate.artifacts.metrics import MetricValue, as_number, model_index_metrics
from govgate.artifacts.placeholders import placeholders, template_text
from govgate.artifacts.vocabulary import WORD, Topic, Vocabulary, heading_words
from govgate.record import Record

T = TypeVar("T")
_CARD_KEYS = ("model_details", "considerations", "quantitative_analysis", "model_parameters")


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class TopicSource(Record):
    """One place that covers a topic: a heading (title, line) or a structured field (path)."""

    title: str
    line: int | None = None
    matched: str | None = None  # the vocabulary phrase that made the heading name the topic
    words: int = 0


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class TopicFacts(Record):
    """A topic as found in one document.

    `words` counts content words over every source together; `placeholders` and `template_text`
    (instructions and questions) inside the topic were not counted; `metrics` are the values it
    states; `nearest` is the heading most like the topic when no heading names it.
    """

    title: str
    found: bool = False
    words: int = 0
    sources: list[TopicSource] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)
    template_text: int = 0
    metrics: list[MetricValue] = field(default_factory=list)
    nearest: str | None = None


def markdown_topics(doc: MarkdownDocument, vocabulary: Vocabulary) -> dict[str, TopicFacts]:
    """Every topic of the vocabulary, as the headings, body and front matter of `doc` cover it."""
    heads = [frozenset(heading_words(s.title)) for s in doc.sections]
    if doc.sections and all(s.level > doc.sections[0].level for s in doc.sections[1:]):
        heads[0] = frozenset()  # the document's title spans it all: it names no topic
    index_metrics = model_index_metrics(doc.front_matter) if doc.front_matter else []
    named = [vocabulary.named(head) for head in heads]  # per section: topic -> phrase
    # Lines of what sections hold, sorted, so a topic takes its share by bisection.
    metrics = _Lines([m for m in doc.metrics if m.line is not None])
    marks = _Lines(doc.placeholders)
    template = _Lines(doc.template_text)
    found: dict[str, TopicFacts] = {}
    for topic in vocabulary.topics.values():
        sources: list[TopicSource] = []
        spans: list[tuple[int, int]] = []  # 0-based [start, end) line ranges of matched bodies
        for section, names in zip(doc.sections, named, strict=True):
            phrase = names.get(topic.id)
            if phrase is None:
                continue
            sources.append(
                TopicSource(
                    title=section.title,
                    line=section.line,
                    matched=phrase,
                    words=section.total_words,
                )
            )
            spans.append((section.body_line - 1, section.end_line))
        merged = _merge(spans)
        last = len(doc.line_words) - 1
        words = sum(doc.line_words[min(e, last)] - doc.line_words[b] for b, e in merged)
        stated = metrics.within(merged)
        extra_words, extra_sources = _front_matter(doc.front_matter, topic)
        if "model-index" in topic.front_matter and index_metrics:
            stated += index_metrics
            extra_sources.append(TopicSource(title="front matter model-index", words=0))
        found[topic.id] = TopicFacts(
            title=topic.title,
            found=bool(sources or extra_sources),
            words=words + extra_words,
            sources=sources + extra_sources,
            placeholders=marks.within(merged),
            template_text=len(template.within(merged)),
            metrics=stated,
            nearest=None if sources else _nearest(doc, heads, topic),
        )
    return found


def card_topics(data: Any, vocabulary: Vocabulary) -> dict[str, TopicFacts]:
    """Topics of a Google Model Card Toolkit card (JSON); {} for a document that is not one."""
    if not isinstance(data, dict) or not any(key in data for key in _CARD_KEYS):
        return {}
    found: dict[str, TopicFacts] = {}
    for topic in vocabulary.topics.values():
        sources: list[TopicSource] = []
        unfilled: list[Placeholder] = []
        metrics: list[MetricValue] = []
        template = 0
        for pattern in topic.fields:
            for path, value in _resolve(data, pattern):
                if isinstance(value, dict) and "type" in value and "value" in value:
                    written = str(value["value"])
                    unfilled += [
                        Placeholder(line=0, column=0, text=f"{path}.value: {m.text}", kind=m.kind)
                        for m in placeholders(written)
                    ]
                    stated = _card_metric(path, value)
                    metrics += stated
                    # a stated value is content: "accuracy (cat) 0.99" reads as three words
                    words = sum(len(WORD.findall(f"{m.name} {m.value}")) for m in stated)
                    sources.append(TopicSource(title=path, words=words))
                    continue
                if not isinstance(value, str) or not value.strip():
                    continue
                marks = placeholders(value)
                unfilled += [
                    Placeholder(line=0, column=0, text=f"{path}: {m.text}", kind=m.kind)
                    for m in marks
                ]
                spans = template_text(value)
                template += len(spans)
                kept = value
                for span in sorted(marks + spans, key=lambda s: s.start, reverse=True):
                    kept = kept[: span.start] + kept[span.end :]
                sources.append(TopicSource(title=path, words=len(WORD.findall(kept))))
        found[topic.id] = TopicFacts(
            title=topic.title,
            found=any(s.words or metrics for s in sources),
            words=sum(s.words for s in sources),
            sources=sources,
            placeholders=unfilled,
            template_text=template,
            metrics=metrics,
        )
    return found


def _card_metric(path: str, metric: dict[str, Any]) -> list[MetricValue]:
    parsed = as_number(metric.get("value"))
    if parsed is None:
        return []
    name = str(metric.get("type") or "metric")
    if metric.get("slice"):
        name += f" ({metric['slice']})"
    return [MetricValue(name=name, value=parsed[0], percent=parsed[1], where=path)]


def _resolve(data: Any, pattern: str) -> Iterator[tuple[str, Any]]:
    """Values at a dotted path where `[]` means every item of a list, with their concrete paths."""
    current: list[tuple[str, Any]] = [("", data)]
    for part in pattern.split("."):
        each = part.endswith("[]")
        key = part.removesuffix("[]")
        step: list[tuple[str, Any]] = []
        for path, value in current:
            if not isinstance(value, dict) or key not in value:
                continue
            child = value[key]
            where = f"{path}.{key}" if path else key
            if each:
                if isinstance(child, list):
                    step += [(f"{where}[{i}]", item) for i, item in enumerate(child)]
            else:
                step.append((where, child))
        current = step
    yield from current


def _front_matter(
    front_matter: dict[str, Any] | None, topic: Topic
) -> tuple[int, list[TopicSource]]:
    if not front_matter:
        return 0, []
    words = 0
    sources: list[TopicSource] = []
    for key in topic.front_matter:
        if key == "model-index" or key not in front_matter:
            continue
        value = front_matter[key]
        items = value if isinstance(value, list) else [value]
        text = " ".join(
            str(v) for v in items if isinstance(v, str | int | float) and str(v).strip()
        )
        if text and not placeholders(text):
            count = len(WORD.findall(text))
            words += count
            sources.append(TopicSource(title=f"front matter {key}", words=count))
    return words, sources


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class _Lines(Generic[T]):
    """Items that each sit on a 1-based line, sorted by it."""

    def __init__(self, items: list[T]) -> None:
        self.items = sorted(items, key=_line)
        self.lines = [_line(item) for item in self.items]

    def within(self, spans: list[tuple[int, int]]) -> list[T]:
        """The items on lines inside the merged 0-based [start, end) spans, in line order."""
        found: list[T] = []
        for start, end in spans:
            lo, hi = bisect_right(self.lines, start), bisect_right(self.lines, end)
            found += self.items[lo:hi]
        return found


def _line(item: Any) -> int:
    return int(item.line)


def _nearest(doc: MarkdownDocument, heads: list[frozenset[str]], topic: Topic) -> str | None:
    """The heading sharing most word stems with the topic's phrases, to suggest in a message."""
    if not doc.sections:
        return None
    stems = topic.stems
    best: tuple[int, str] | None = None
    for section, words in zip(doc.sections, heads, strict=True):
        score = sum(1 for w in words if len(w) > 2 and w[:5] in stems)
        if score and (best is None or score > best[0]):
            best = (score, section.title)
    return best[1] if best else None
