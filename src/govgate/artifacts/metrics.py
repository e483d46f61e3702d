"""Metric values a document states: in prose, in tables, in card metadata.

A stated value is a real number tied to a metric: a number in the same sentence as a metric word
("accuracy of 0.93", "WER 4.2%"), a number in a results table (named by its column header or
row label), or a `model-index` result in Hugging Face front matter. Placeholders such as `X.XX`
are not numbers, and years are not values.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from govgate.artifacts.vocabulary import WORD, fold
from govgate.record import Record

_DIGIT = re.compile(r"\d")
_MINUS = "\u2212"  # the typographic minus sign some tables use
# Digits with thousands groups (1,000,000) or a decimal part (0.93, 0,93), maybe a percentage.
_DIGITS = r"\d{1,9}(?:,\d{3}){2,5}|\d{1,9}(?:[.,]\d{1,9})?"
_NUMBER = re.compile(rf"(?<![\w.\-/:])[-+{_MINUS}]?(?:{_DIGITS})(?:\s?%)?(?![\w/:\-]|[.,]\d)")
_CELL_NUMBER = re.compile(rf"^[\s*_~`]{{0,4}}([-+{_MINUS}]?(?:{_DIGITS}))\s?(%?)")
_SENTENCE = re.compile(r"(?:[^.!?;\n]|[.!?](?=\s?[a-z0-9,;]))+[.!?;]*")


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class MetricValue(Record):
    """One stated value: the metric's name as written, the number, and where it stands."""

    name: str
    value: float
    percent: bool = False
    line: int | None = None
    where: str = "prose"


def parse_number(text: str) -> tuple[float, bool] | None:
    """A written number (`0.93`, `93.1 %`, `0,93`) as (value, is_percent), or None."""
    match = _CELL_NUMBER.match(text)
    if match is None:
        return None
    digits = match.group(1).replace(_MINUS, "-")
    grouped = digits.count(",") > 1
    if grouped:
        digits = digits.replace(",", "")
    elif "," in digits:
        whole, _, fraction = digits.partition(",")
        grouped = len(fraction) == 3 and whole.strip("-+") not in ("0", "")
        digits = whole + fraction if grouped else whole + "." + fraction
    try:
        value = float(digits)
    except ValueError:
        return None
    percent = bool(match.group(2))
    if not percent and not grouped and "." not in digits and 1900 <= value <= 2100:
        return None  # a year, not a value
    return value, percent


class _Terms:
    """Metric words by their first word, longest first, for a scan that costs one set lookup
    per word of prose (a pattern of 150 alternatives is tried at every character)."""

    __slots__ = ("by_first",)

    def __init__(self, by_first: dict[str, tuple[tuple[str, ...], ...]]) -> None:
        self.by_first = by_first

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of every metric word in lower-cased, folded `text`."""
        if self.by_first.keys().isdisjoint(WORD.findall(text)):
            return []  # most lines: no metric word at all, known without positions
        words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
        found: list[tuple[int, int, str]] = []
        k = 0
        while k < len(words):
            for term in self.by_first.get(words[k][2], ()):
                if tuple(w[2] for w in words[k : k + len(term)]) == term:
                    found.append((words[k][0], words[k + len(term) - 1][1], " ".join(term)))
                    k += len(term) - 1
                    break
            k += 1
        return found


@cache
def _terms(metric_words: tuple[str, ...]) -> _Terms:
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in {tuple(WORD.findall(fold(w))) for w in metric_words}:
        if phrase:
            by_first.setdefault(phrase[0], []).append(phrase)
    return _Terms({k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_first.items()})


def prose_metrics(line: str, line_no: int, metric_words: tuple[str, ...]) -> list[MetricValue]:
    """Numbers in one prose line that share a sentence with a metric word, each named by the
    nearest metric word before or after it in that sentence."""
    if _DIGIT.search(line) is None:
        return []
    terms = _terms(metric_words)
    if not line.isascii():  # folding may change lengths: judge sentence by sentence
        return [
            value
            for sentence in _SENTENCE.finditer(line)
            for value in _sentence_metrics(fold(sentence.group()), line_no, terms)
        ]
    # Sentences are cut on the line as written (lower-casing hides the capital that starts one);
    # an ASCII line folds to the same length, so its sentences' offsets hold for the folded text.
    folded = line.lower()
    names = terms.find(folded)
    if not names:
        return []
    found: list[MetricValue] = []
    for sentence in _SENTENCE.finditer(line):
        inside = [n for n in names if sentence.start() <= n[0] < sentence.end()]
        if inside:
            found += _pair(folded, sentence.start(), sentence.end(), inside, line_no)
    return found


def _sentence_metrics(text: str, line_no: int, terms: _Terms) -> list[MetricValue]:
    names = terms.find(text)
    return _pair(text, 0, len(text), names, line_no) if names else []


def _pair(
    text: str, start: int, end: int, names: list[tuple[int, int, str]], line_no: int
) -> list[MetricValue]:
    """Each number of text[start:end] with the nearer of the metric words around it."""
    starts = [name[0] for name in names]
    found: list[MetricValue] = []
    for number in _NUMBER.finditer(text, start, end):
        parsed = parse_number(number.group())
        if parsed is None:
            continue
        at = number.start()
        k = bisect_left(starts, at)  # names[k - 1] ends before the number, names[k] after
        near = [names[i] for i in (k - 1, k) if 0 <= i < len(names)]
        nearest = min(near, key=lambda t: min(abs(at - t[1]), abs(t[0] - at)))
        found.append(MetricValue(name=nearest[2], value=parsed[0], percent=parsed[1], line=line_no))
    return found


def table_metrics(
    rows: list[tuple[int, list[str]]], metric_words: tuple[str, ...]
) -> list[MetricValue]:
    """Numeric cells of a table, each named by its column header or its row label."""
    if len(rows) < 2:
        return []
    terms = _terms(metric_words)
    header = rows[0][1]
    metric_columns = [bool(terms.find(fold(column))) for column in header]
    found: list[MetricValue] = []
    for line, cells in rows[1:]:
        label = cells[0] if cells else ""
        label_is_metric: bool | None = None  # looked up once per row, when a value needs it
        for j, cell in enumerate(cells[1:], start=1):
            parsed = parse_number(cell)
            if parsed is None:
                continue
            column = header[j] if j < len(header) else ""
            if j < len(header) and metric_columns[j]:
                name = column
            else:
                if label_is_metric is None:
                    label_is_metric = bool(terms.find(fold(label)))
                name = label if label_is_metric else f"{label} / {column}".strip(" /")
            found.append(
                MetricValue(name=name, value=parsed[0], percent=parsed[1], line=line, where="table")
            )
    return found


def model_index_metrics(front_matter: dict[str, Any]) -> list[MetricValue]:
    """`model-index` results of Hugging Face card metadata (values that are numbers only)."""
    found: list[MetricValue] = []
    for i, model in enumerate(_items(front_matter.get("model-index"))):
        for j, result in enumerate(_items(model.get("results"))):
            for k, metric in enumerate(_items(result.get("metrics"))):
                value = metric.get("value")
                parsed = as_number(value)
                if parsed is None:
                    continue
                name = metric.get("name") or metric.get("type") or "metric"
                found.append(
                    MetricValue(
                        name=str(name),
                        value=parsed[0],
                        percent=parsed[1],
                        where=f"front matter model-index[{i}].results[{j}].metrics[{k}]",
                    )
                )
    return found


def as_number(value: Any) -> tuple[float, bool] | None:
    """A structured card's metric value as a number, or None for a placeholder or text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return (float(value), False) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str):
        return parse_number(value.strip())  # "X.XX" and "n/a" are not numbers
    return None


def _items(value: Any) -> Iterable[dict[str, Any]]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, dict))
