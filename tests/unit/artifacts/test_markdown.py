"""Markdown parsing checked against real published model cards and small edge cases."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from govgate.artifacts.markdown import (
    MarkdownDocument,
    Section,
    normalize_title,
    parse_markdown,
)
from govgate.jsonable import to_jsonable

CARDS = Path(__file__).resolve().parents[2] / "data" / "model-cards"


def _card(name: str) -> tuple[str, MarkdownDocument]:
    text = (CARDS / name).read_text(encoding="utf-8")
    return text, parse_markdown(text)


def _by_key(doc: MarkdownDocument, key: str) -> Section:
    matches = [section for section in doc.sections if section.key == key]
    assert len(matches) == 1, f"{key!r}: {[s.key for s in doc.sections]}"
    return matches[0]


# --- real cards -------------------------------------------------------------------------------


def test_whisper_sections_have_their_real_keys_lines_and_levels() -> None:
    _, doc = _card("openai-whisper.model-card.md")
    found = {(s.key, s.line, s.level) for s in doc.sections}
    assert {
        ("model card whisper", 1, 1),
        ("model details", 8, 2),
        ("paper and samples", 33, 3),
        ("model use", 38, 2),
        ("evaluated use", 40, 3),
        ("training data", 49, 2),
        ("performance and limitations", 56, 2),
        ("broader implications", 67, 2),
    } <= found
    assert len(doc.sections) == 10
    assert doc.front_matter is None and doc.front_matter_error is None
    assert doc.placeholders == []


def test_whisper_extents_and_word_counts() -> None:
    _, doc = _card("openai-whisper.model-card.md")
    model_use = _by_key(doc, "model use")
    evaluated = _by_key(doc, "evaluated use")
    assert (model_use.body_line, model_use.end_line) == (39, 48)
    assert evaluated.parent == doc.sections.index(model_use)
    # "## Model Use" has no prose of its own: all of it is in "### Evaluated Use".
    assert model_use.words == 0
    assert model_use.total_words == evaluated.total_words == evaluated.words > 200
    # The last section runs to the last line of the file.
    assert _by_key(doc, "broader implications").end_line == 71
    # Only the link texts "Paper" and "Blog" are prose; the URLs are not.
    assert _by_key(doc, "paper and samples").words == 2
    top = doc.sections[0]
    assert top.end_line == 71 and top.total_words == doc.words


def test_document_words_are_preamble_plus_every_sections_own_words() -> None:
    _, doc = _card("openai-whisper.model-card.md")
    # Whisper has no text before "# Model Card: Whisper"; its intro is that section's own body.
    assert doc.sections[0].words > 0
    assert doc.words == sum(s.words for s in doc.sections)
    # Text before the first heading counts for the document but makes no section.
    body = "Intro words here.\n\n# First\none\n"
    small = parse_markdown(body)
    assert small.words == 4 and [s.words for s in small.sections] == [1]


def test_section_text_lines_align_with_file_lines() -> None:
    text, doc = _card("openai-whisper.model-card.md")
    lines = text.split("\n")
    for section in doc.sections:
        for offset, line in enumerate(section.text.split("\n")):
            assert line == lines[section.body_line - 1 + offset].rstrip()
    details = _by_key(doc, "model details")
    assert details.text.split("\n")[10 - details.body_line].startswith("The Whisper models")
    assert "### Release date" not in details.text  # own body stops at the subsection


def test_clip_nested_heading_levels_and_parent_chain() -> None:
    _, doc = _card("openai-clip.model-card.md")
    primary = _by_key(doc, "primary intended uses")
    assert (primary.title, primary.level, primary.line) == ("Primary intended uses", 4, 38)
    chain = []
    index = primary.parent
    while index is not None:
        chain.append(doc.sections[index].key)
        index = doc.sections[index].parent
    assert chain == ["intended use", "model use", "model card clip"]
    assert _by_key(doc, "out of scope use cases").title == "Out-of-Scope Use Cases"
    intended = _by_key(doc, "intended use")
    assert intended.end_line == 43  # includes its level-4 child, stops before the sibling
    assert intended.total_words == intended.words + primary.total_words


def test_template_front_matter_error_is_reported_not_raised() -> None:
    _, doc = _card("huggingface-hub.modelcard_template.md")
    assert doc.front_matter is None
    assert doc.front_matter_error is not None
    assert doc.front_matter_error.startswith("line 4:")
    # The YAML comments on lines 2-3 start with "#" but are front matter, not headings.
    assert doc.sections[0].line == 7
    assert doc.sections[0].title == 'Model Card for {{ model_id | default("Model ID", true) }}'


def test_template_placeholders_on_known_lines() -> None:
    _, doc = _card("huggingface-hub.modelcard_template.md")
    by_line = {(p.line, p.column): p for p in doc.placeholders}
    card_data = by_line[(4, 1)]
    assert (card_data.text, card_data.kind) == ("{{ card_data }}", "template")
    assert by_line[(7, 18)].text == '{{ model_id | default("Model ID", true) }}'
    # The Jinja default swallows "[More Information Needed]": one placeholder, not two.
    developed_by = [p for p in doc.placeholders if p.line == 21]
    assert len(developed_by) == 1
    assert developed_by[0].kind == "template" and developed_by[0].column == 21
    assert "[More Information Needed]" in developed_by[0].text
    assert [(p.line, p.column) for p in doc.placeholders] == sorted(by_line)
    assert len(doc.placeholders) == 45
    # Placeholder text inside the HTML comment on line 96 is not searched.
    assert [p.line for p in doc.placeholders].count(96) == 1


def test_template_keys_and_empty_bodies() -> None:
    _, doc = _card("huggingface-hub.modelcard_template.md")
    bias = _by_key(doc, "bias risks and limitations")
    assert (bias.title, bias.line, bias.level) == ("Bias, Risks, and Limitations", 59, 2)
    assert _by_key(doc, "model sources").title == "Model Sources [optional]"
    assert _by_key(doc, "testing data factors and metrics").line == 108
    # Bodies made only of HTML comments and placeholders have no prose at all.
    for key in ("uses", "direct use", "out of scope use", "recommendations", "glossary"):
        assert _by_key(doc, key).words == 0, key
    assert bias.total_words == 0
    assert _by_key(doc, "how to get started with the model").words == 10
    hyper = _by_key(doc, "training hyperparameters")
    assert hyper.words == 2  # "Training regime"
    assert "fp32" not in hyper.text and "{{ training_regime" in hyper.text
    comment_only = _by_key(doc, "direct use").text.split("\n")
    assert comment_only[43 - 42] == ""  # line 43 was a comment, kept as a blank line


def test_document_round_trips_through_json() -> None:
    _, doc = _card("openai-clip.model-card.md")
    assert TypeAdapter(MarkdownDocument).validate_json(json.dumps(to_jsonable(doc))) == doc
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.sections[0].title = "changed"  # type: ignore[misc]


# --- small inputs -----------------------------------------------------------------------------


def test_headings_inside_code_blocks_are_not_sections() -> None:
    text = "# Real\n\n```python\n# not a heading\n```\n\n~~~\n## nor this\n~~~\n\n    # indented\n"
    doc = parse_markdown(text)
    assert [(s.title, s.line) for s in doc.sections] == [("Real", 1)]
    assert doc.words == 0
    assert doc.sections[0].text.split("\n")[3 - 2] == ""  # line 3 is the opening fence


def test_setext_heading_lines() -> None:
    doc = parse_markdown("Intro\n\nModel *Details*\n---------------\nBody text\n")
    (section,) = doc.sections
    assert (section.title, section.level, section.line) == ("Model Details", 2, 3)
    assert section.body_line == 5 and section.end_line == 5
    assert section.text == "Body text" and section.words == 2
    multi_line = parse_markdown("Model\nCard\n=====\n").sections[0]
    assert (multi_line.title, multi_line.key, multi_line.body_line) == (
        "Model Card",
        "model card",
        4,
    )


def test_front_matter_closing_line_is_not_a_setext_heading() -> None:
    doc = parse_markdown("---\nlicense: mit\n---\n\n# Card\n")
    assert doc.front_matter == {"license": "mit"}
    assert doc.front_matter_error is None
    assert [(s.title, s.line) for s in doc.sections] == [("Card", 5)]
    assert doc.words == 0  # front matter is not prose


def test_front_matter_may_close_with_dots_and_carry_placeholders() -> None:
    doc = parse_markdown("---   \nmodel: '{{ name }}'\n...\nTODO later\n")
    assert doc.front_matter == {"model": "{{ name }}"}
    assert [(p.line, p.column, p.kind) for p in doc.placeholders] == [
        (2, 9, "template"),
        (4, 1, "todo"),
    ]


def test_unclosed_front_matter_is_not_front_matter() -> None:
    doc = parse_markdown("---\nlicense: mit\n# Heading\n")
    assert doc.front_matter is None and doc.front_matter_error is None
    assert [s.line for s in doc.sections] == [3]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("---\n- a\n- b\n---\n", "line 2: front matter must be a mapping, found a list"),
        ("---\njust words\n---\n", "line 2: front matter must be a mapping, found a str"),
        ("---\nok: 1\n\tbad: 2\n---\n", "line 3: while scanning a plain scalar: found a tab"),
        ("---\na: 1\na: 2\n---\n", "line 3: duplicate key 'a' (first defined on line 2)"),
        ("---\nowner: &a [*a]\n---\n", "line 2: recursive alias: a node contains itself"),
        ("---\n1: one\n---\n", "line 2: front matter keys must be strings"),
    ],
)
def test_bad_front_matter_gives_an_error_with_its_file_line(text: str, error: str) -> None:
    doc = parse_markdown(text + "# Card\n")
    assert doc.front_matter is None
    assert doc.front_matter_error is not None and doc.front_matter_error.startswith(error)
    assert [s.title for s in doc.sections] == ["Card"]


def test_nested_extents_and_total_words() -> None:
    text = "# A\none two\n## B\nthree\n### C\nfour five six\n## D\nseven\n# E\n"
    doc = parse_markdown(text)
    rows = [(s.title, s.end_line, s.parent, s.words, s.total_words) for s in doc.sections]
    assert rows == [
        ("A", 8, None, 2, 7),
        ("B", 6, 0, 1, 4),
        ("C", 6, 1, 3, 3),
        ("D", 8, 0, 1, 1),
        ("E", 9, None, 0, 0),
    ]
    assert doc.sections[-1].body_line == 10 and doc.sections[-1].text == ""


def test_parent_skips_levels_and_siblings() -> None:
    doc = parse_markdown("## Early\n# Top\n### Deep\n## Mid\n")
    assert [s.parent for s in doc.sections] == [None, None, 1, 1]


def test_todo_placeholders_only_in_prose() -> None:
    text = "# Card\n\nStill TODO: fill in.\n\n```\nTODO in code\n```\n\n    TBD indented\n"
    text += "todo and TODOs and MY_TODO are fine. FIXME and TBD are not.\n"
    doc = parse_markdown(text)
    assert [(p.line, p.column, p.text, p.kind) for p in doc.placeholders] == [
        (3, 7, "TODO", "todo"),
        (10, 38, "FIXME", "fixme"),
        (10, 48, "TBD", "tbd"),
    ]
    # Placeholders are not prose: "Still", "fill", "in". `_` joins no words: MY_TODO is two.
    assert doc.sections[0].text.split("\n")[1] == "Still TODO: fill in."
    assert doc.words == 3 + 11


def test_more_information_needed_is_case_insensitive() -> None:
    doc = parse_markdown("# Uses\n\n- Direct: [more information NEEDED]\n")
    (placeholder,) = doc.placeholders
    assert (placeholder.line, placeholder.column) == (3, 11)
    assert placeholder.kind == "more_information_needed"
    assert doc.sections[0].words == 1


def test_templates_on_one_line_are_separate_placeholders() -> None:
    doc = parse_markdown("License: {{ license }} by {% if org %}{{ org }}{% endif %}\n")
    assert [(p.column, p.text) for p in doc.placeholders] == [
        (10, "{{ license }}"),
        (27, "{% if org %}"),
        (39, "{{ org }}"),
        (48, "{% endif %}"),
    ]
    assert doc.words == 2  # "License", "by"


def test_html_comments_are_not_prose_and_keep_line_numbers() -> None:
    text = "# Card\nkept <!-- a\nTODO hidden\n{{ x }} -->words\n<!-- one -->\n## Next\n"
    doc = parse_markdown(text)
    card, nxt = doc.sections
    assert doc.placeholders == []
    assert card.text.split("\n") == ["kept", "", "           words", ""]
    assert card.words == 2 and nxt.line == 6


def test_crlf_and_links_and_headings_in_quotes() -> None:
    text = "# One\r\nSee [docs](https://x.org/a/b) and <https://y.org/c>.\r\n\r\n> # Quoted\r\n"
    doc = parse_markdown(text)
    # A heading inside a block quote is quoted content, not a section of the card.
    assert [(s.title, s.end_line) for s in doc.sections] == [("One", 4)]
    assert doc.sections[0].words == 4  # See, docs, and, Quoted


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Bias, Risks, and Limitations", "bias risks and limitations"),
        ("Paper & samples", "paper and samples"),
        ("Model Sources [optional]", "model sources"),
        ("Citation (Optional):", "citation"),
        ("3. Intended Use", "intended use"),
        ("2.3 Metrics", "metrics"),
        ("IV. Ethical Considerations", "ethical considerations"),
        ("A. Appendix", "appendix"),
        ("**Training Data**", "training data"),
        ("`Evaluation` _Results_", "evaluation results"),
        ("Out-of-Scope Use Cases", "out of scope use cases"),
        ("Language(s) (NLP)", "languages nlp"),
        ("  Données   d'Entraînement ", "données dentraînement"),
        ("2024 Results", "2024 results"),
    ],
)
def test_normalize_title(title: str, key: str) -> None:
    assert normalize_title(title) == key


def test_an_alias_bomb_in_front_matter_is_refused_not_expanded() -> None:
    # Seven lines that expand to 9**7 (4.8 million) nodes: refused at the node limit.
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for name, prev in zip("bcdefg", "abcdef", strict=True):
        bomb.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    doc = parse_markdown("---\n" + "\n".join(bomb) + "\n---\n# Card\n\nBody text.\n")
    assert doc.front_matter is None
    assert doc.front_matter_error is not None
    assert "more than 200000 nodes (a YAML alias bomb?)" in doc.front_matter_error
    assert [s.title for s in doc.sections] == ["Card"] and doc.words == 2
