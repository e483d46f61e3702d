"""The topic vocabulary: which heading words name which topic, shipped as data and extendable.

A heading names a topic when all words of one of the topic's phrases are among the heading's
words and none of its `exclude` phrases are: word order, extra words, case, accents, punctuation,
`&`, plurals and numbering do not matter. The shipped vocabulary is `topics.yaml` beside this
module; govgate.yaml and rule packs add phrases, remove them, or declare new topics.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

# Linear-time on any input: one character class, no nested repetition.
# A word is letters and digits: `_emphasis_` markers and snake_case joins are not part of one.
WORD = re.compile(r"[^\W_]+")
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*|[ivxlcdm]{1,6}|[a-z])$")
# A heading of more words is a sentence (a paper's title, a questionnaire's question), not the
# name of a topic; a question heading is cut to nothing for the same reason (`heading_words`).
MAX_HEADING_WORDS = 8
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
# Plural endings stripped so "Uses" meets "use"; -ss/-us/-is words keep their s ("process").
_KEEP_S = ("ss", "us", "is", "ys")


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def fold(text: str) -> str:
    """Case, accents and German umlauts folded, so "Überlegungen" meets "ueberlegungen"."""
    if text.isascii():
        return text.casefold()
    text = text.translate(_GERMAN).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def heading_words(title: str) -> tuple[str, ...]:
    """A heading as its normalised words, in order: numbering and `optional` markers dropped."""
    if title.rstrip().endswith("?"):
        return ()
    words = [_singular(w) for w in WORD.findall(fold(title)[:500])]
    while words and _NUMBERING.match(words[0]) and len(words) > 1:
        words.pop(0)
    return tuple(w for w in words if w not in ("and", "optional"))


@cache
def phrase_words(phrase: str) -> frozenset[str]:
    return frozenset(heading_words(phrase))


# Plain classes, not dataclasses: they are built on every check, where a dataclass's generated
# methods cost a compile each (docs/performance.md), and nothing compares or prints them.
class Topic:
    """One topic: the phrases that name it in a heading and where structured cards keep it."""

    __slots__ = (
        "_exclude_sets",
        "_match_sets",
        "exclude",
        "fields",
        "front_matter",
        "id",
        "match",
        "title",
    )

    def __init__(
        self,
        *,
        id: str,
        title: str,
        match: tuple[str, ...],
        exclude: tuple[str, ...] = (),
        fields: tuple[str, ...] = (),
        front_matter: tuple[str, ...] = (),
    ) -> None:
        self.id = id
        self.title = title
        self.match = match
        self.exclude = exclude
        self.fields = fields
        self.front_matter = front_matter
        self._match_sets = tuple(phrase_words(p) for p in match)
        self._exclude_sets = tuple(phrase_words(p) for p in exclude)

    @property
    def words(self) -> frozenset[str]:
        """Every word of the topic's phrases."""
        return frozenset(w for phrase in self._match_sets for w in phrase)

    @property
    def stems(self) -> set[str]:
        """The first five letters of the topic's words: what a near-miss heading shares."""
        return {w[:5] for w in self.words if len(w) > 2}

    def matched_phrase(self, words: frozenset[str]) -> str | None:
        """The phrase that makes a heading of these words name this topic, if any.

        An `exclude` phrase vetoes a match on one broad word ("Evaluation data" is not training
        data, "How to use" is not a use), never a match on a phrase of several words: "Training
        and evaluation data" names training data too.
        """
        if not words or len(words) > MAX_HEADING_WORDS:
            return None
        best: tuple[int, str] | None = None
        for phrase, needed in zip(self.match, self._match_sets, strict=True):
            if needed and needed <= words and (best is None or len(needed) > best[0]):
                best = (len(needed), phrase)
        if best is None:
            return None
        if best[0] == 1 and any(x and x <= words for x in self._exclude_sets):
            return None
        return best[1]


class Vocabulary:
    """Every topic govgate can find, by id, and the words that name a metric."""

    __slots__ = ("_by_word", "metric_words", "topics")

    def __init__(self, *, topics: Mapping[str, Topic], metric_words: tuple[str, ...]) -> None:
        self.topics = topics
        self.metric_words = metric_words
        self._by_word: dict[str, list[Topic]] | None = None

    def named(self, words: frozenset[str]) -> dict[str, str]:
        """The topics a heading of these words names, each with the phrase that names it; only
        topics sharing a word with the heading are tried."""
        if self._by_word is None:
            self._by_word = {}
            for topic in self.topics.values():
                for word in topic.words:
                    self._by_word.setdefault(word, []).append(topic)
        candidates = {t.id: t for w in words for t in self._by_word.get(w, ())}
        named = {t: candidates[t].matched_phrase(words) for t in candidates}
        return {t: phrase for t, phrase in named.items() if phrase is not None}

    def extended(self, changes: Mapping[str, TopicChange]) -> Vocabulary:
        """This vocabulary with a config's or pack's additions, removals and new topics."""
        if not changes:
            return self
        topics = dict(self.topics)
        for topic_id, change in changes.items():
            topics[topic_id] = change.apply(topic_id, topics.get(topic_id))
        return Vocabulary(topics=topics, metric_words=self.metric_words)


class TopicChange:
    """What govgate.yaml or a rule pack says of one topic (see config and rule-pack schemas)."""

    __slots__ = ("add", "exclude", "only", "remove", "title")

    def __init__(
        self,
        *,
        title: str | None = None,
        add: tuple[str, ...] = (),
        remove: tuple[str, ...] = (),
        exclude: tuple[str, ...] = (),
        only: tuple[str, ...] | None = None,
    ) -> None:
        self.title = title
        self.add = add
        self.remove = remove
        self.exclude = exclude
        self.only = only

    def apply(self, topic_id: str, topic: Topic | None) -> Topic:
        base = topic or Topic(id=topic_id, title=self.title or topic_id.replace("_", " "), match=())
        removed = {phrase_words(p) for p in self.remove}
        match = self.only if self.only is not None else base.match
        kept = [p for p in match if phrase_words(p) not in removed]
        kept += [p for p in self.add if p not in kept]
        return Topic(
            id=topic_id,
            title=self.title or base.title,
            match=tuple(kept),
            exclude=base.exclude + tuple(self.exclude),
            fields=base.fields,
            front_matter=base.front_matter,
        )


@cache
def builtin_vocabulary() -> Vocabulary:
    """The shipped vocabulary, read once per process (English, German and French).

    `topics.yaml` is the source; `topics.json`, generated from it by scripts/gen_docs.py (a test
    holds the two equal), is what a check reads: JSON parses in a tenth of the time.
    """
    data = json.loads(Path(__file__).with_name("topics.json").read_text(encoding="utf-8"))
    topics = {
        topic_id: Topic(
            id=topic_id,
            title=spec["title"],
            match=tuple(_languages(spec["match"])),
            exclude=tuple(spec.get("exclude", ())),
            fields=tuple(spec.get("fields", ())),
            front_matter=tuple(spec.get("front_matter", ())),
        )
        for topic_id, spec in data["topics"].items()
    }
    return Vocabulary(topics=topics, metric_words=tuple(_languages(data["metric_words"])))


def _languages(by_language: Mapping[str, Iterable[str]]) -> Iterable[str]:
    for phrases in by_language.values():
        yield from phrases
