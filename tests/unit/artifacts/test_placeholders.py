"""Placeholders and template text recognised in single lines, with their kinds and columns."""

from __future__ import annotations

import pytest

from govgate.artifacts.placeholders import placeholders, template_text


def _found(line: str) -> list[tuple[int, str, str]]:
    return [(s.start, s.kind, s.text) for s in placeholders(line)]


def _kinds(line: str) -> list[str]:
    return [s.kind for s in placeholders(line)]


def _template(line: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in template_text(line)]


# --- more information needed ------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "[More Information Needed]",
        "[more information NEEDED]",
        "more information needed",
        "MORE INFORMATION NEEDED.",
        "(More info needed)",
        "<More Details Required>",
        "Further details to come",
        "Additional information is required",
    ],
)
def test_more_information_needed_in_any_casing_and_bracketing(line: str) -> None:
    assert _found(line) == [(0, "more_information_needed", line)]


def test_more_information_needed_keeps_its_column_after_a_label() -> None:
    (span,) = placeholders("Developed by: [More Information Needed]")
    assert (span.start, span.end, span.kind) == (14, 39, "more_information_needed")
    assert span.text == "[More Information Needed]"


@pytest.mark.parametrize(
    ("line", "start", "text"),
    [
        ("Direct: more information needed", 8, "more information needed"),
        ("Results: to be determined", 9, "to be determined"),
    ],
)
def test_unbracketed_placeholder_after_a_label_starts_at_its_first_word(
    line: str, start: int, text: str
) -> None:
    (span,) = placeholders(line)
    assert (span.start, span.text) == (start, text)
    assert line[span.start : span.end] == text


# --- template syntax --------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["{{ x }}", "{% x %}", "${VAR}", "${model.name}"])
def test_template_syntax_is_a_template_placeholder(line: str) -> None:
    assert _found(line) == [(0, "template", line)]


def test_template_placeholders_report_their_columns() -> None:
    assert _found("License: {{ license }} by ${ORG}") == [
        (9, "template", "{{ license }}"),
        (26, "template", "${ORG}"),
    ]


def test_a_bare_dollar_name_is_not_a_template() -> None:
    assert placeholders("costs $VAR dollars") == []


# --- brackets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["[Describe the intended use]", "[NAME]", "[MODEL_NAME]", "[Your name here]"],
)
def test_bracketed_instructions_and_names_are_placeholders(line: str) -> None:
    assert _found(line) == [(0, "bracketed", line)]


def test_bracketed_placeholder_column_inside_prose() -> None:
    assert _found("Owner: [NAME], team [TEAM], seen in [CLS]") == [
        (7, "bracketed", "[NAME]"),
        (20, "bracketed", "[TEAM]"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "[text](https://example.org)",
        "![alt text](img.png)",
        "[a][b]",
        "[a]: https://example.org",
        "a footnote[^1]",
        "[^1]",
        "- [x] done",
        "- [X] done",
        "- [ ] open",
        "as shown in [1]",
        "as shown in [Smith et al., 2020]",
        "[see above]",
        "The [CLS] token",
        "replace it with [MASK]",
        "[SEP]",
        "[Optional]",
        "word[abc def]",
    ],
)
def test_links_footnotes_checkboxes_citations_and_tokens_are_not_placeholders(line: str) -> None:
    assert placeholders(line) == []


# --- angle brackets ---------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["<insert metric here>", "<MODEL_NAME>", "<NAME>", "<Your Name>"])
def test_angle_bracket_placeholders(line: str) -> None:
    assert _found(line) == [(0, "angle", line)]


@pytest.mark.parametrize(
    "line",
    [
        "line<br>break",
        "<br/>",
        "<p>",
        "<em>word</em>",
        '<img src="a.png">',
        '<div class="x">',
        "<https://example.org>",
        "<model-cards@google.com>",
    ],
)
def test_html_tags_autolinks_and_emails_are_not_placeholders(line: str) -> None:
    assert placeholders(line) == []


# --- markers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("TODO", "todo"),
        ("TBD", "tbd"),
        ("TBA", "tba"),
        ("TBC", "tbc"),
        ("FIXME", "fixme"),
        ("XXX", "xxx"),
        ("XXXX", "xxx"),
        ("Still TODO: write it", "todo"),
    ],
)
def test_markers_as_whole_words(line: str, kind: str) -> None:
    assert _kinds(line) == [kind]


@pytest.mark.parametrize("line", ["MY_TODO", "TODOs", "todo", "TODO_LIST", "tbd", "FIXMEs"])
def test_markers_inside_other_words_or_lowercase_are_not_placeholders(line: str) -> None:
    assert placeholders(line) == []


def test_marker_columns() -> None:
    assert _found("a TODO b FIXME") == [(2, "todo", "TODO"), (9, "fixme", "FIXME")]


# --- unfilled values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line", ["To be determined", "Results: to be determined", "(to be confirmed)", "- TO BE ADDED"]
)
def test_to_be_determined_at_the_start_of_a_value(line: str) -> None:
    assert _kinds(line) == ["to_be_done"]


@pytest.mark.parametrize(
    "line",
    ["a gap that needed to be filled", "It is to be determined later", "yet to be announced"],
)
def test_to_be_determined_inside_prose_is_content(line: str) -> None:
    assert placeholders(line) == []


@pytest.mark.parametrize(
    "line", ["\u00e0 compl\u00e9ter", "A compl\u00e9ter", "zu erg\u00e4nzen", "Your answer here"]
)
def test_unfilled_in_french_german_and_questionnaires(line: str) -> None:
    assert _found(line) == [(0, "to_be_done", line)]


@pytest.mark.parametrize(
    "line",
    [
        "Results: to  be determined",
        "Results: to\u00a0be determined",
        "Results: to\tbe determined",
        "noch  offen",
        "a  compl\u00e9ter",
        "zu  erg\u00e4nzen",
        "Your  answer here",
    ],
)
def test_unfilled_values_with_any_whitespace_between_their_words(line: str) -> None:
    # The patterns allow one to three whitespace characters (tabs, no-break spaces) between words.
    assert _kinds(line) == ["to_be_done"]


def test_lorem_ipsum() -> None:
    assert _found("Lorem ipsum dolor sit amet") == [(0, "lorem_ipsum", "Lorem ipsum")]


@pytest.mark.parametrize(
    ("line", "start", "text"),
    [
        ("X.XX", 0, "X.XX"),
        ("Accuracy: 0.XX", 10, "0.XX"),
        ("Recall XX%", 7, "XX%"),
        ("F1 #.##", 3, "#.##"),
        ("AUC ??", 4, "??"),
    ],
)
def test_numeric_stand_ins(line: str, start: int, text: str) -> None:
    assert _found(line) == [(start, "number", text)]


@pytest.mark.parametrize("line", ["Accuracy: 0.93", "What??", "Version 1.2.3", "XXL model"])
def test_real_numbers_and_prose_are_not_numeric_stand_ins(line: str) -> None:
    assert placeholders(line) == []


@pytest.mark.parametrize(
    ("line", "start", "text"),
    [
        ("?", 0, "?"),
        ("...", 0, "..."),
        ("\u2026", 0, "\u2026"),
        ("- ?", 2, "?"),
        ("Dice: ...", 6, "..."),
        ("**Accuracy:** ...", 14, "..."),
        ("Dice: ? ", 6, "?"),
        pytest.param(*("Accuracy: _..._", 11, "...")),
        pytest.param(*("Accuracy: ...**", 10, "...")),
        pytest.param(*("*?*", 1, "?")),
    ],
)
def test_bare_value_alone_or_after_a_label_colon(line: str, start: int, text: str) -> None:
    assert _found(line) == [(start, "empty_value", text)]


@pytest.mark.parametrize(
    "line", ["He paused... and left", "and so on...", "Wait ...", "Is it? Yes."]
)
def test_ellipsis_inside_prose_is_not_a_bare_value(line: str) -> None:
    assert placeholders(line) == []


# --- template text: questions -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Who funded the creation of the dataset?",
        "*Who funded the creation of the dataset?*",
        "_Was any preprocessing done?_",
        "**Is there a label?**",
    ],
)
def test_questions_are_template_text(line: str) -> None:
    (span,) = template_text(line)
    assert span.kind == "question"
    assert span.start == 0 and span.text.strip("*_") == line.strip("*_")


def test_only_the_question_sentence_of_a_line_is_template_text() -> None:
    (span,) = template_text("Who are we? We are a team.")
    assert (span.start, span.end, span.kind) == (0, 11, "question")


# --- template text: instructions --------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Add known limitations, boundary conditions, and failure modes.",
        "Describe the intended use here.",
        "Review section 4.2 of the model cards paper.",
        "Review section 4.2 of the model cards paper",
        "If so, please provide a description.",
        "The questions in this section are intended to encourage dataset creators to reflect.",
        "Provide a quick summary of what the model is/does.",
        "- Describe the training data.",
        "> Add limitations here.",
        "Answers to these questions help dataset consumers.",
    ],
)
def test_instructions_are_template_text(line: str) -> None:
    assert _template(line) == [("instruction", line)]


def test_numbered_instruction_starts_after_its_number() -> None:
    (span,) = template_text("1. Provide the evaluation metrics.")
    assert (span.start, span.kind, span.text) == (
        2,
        "instruction",
        "Provide the evaluation metrics.",
    )


def test_section_number_and_eg_do_not_end_a_sentence() -> None:
    # "4.2" and "e.g." followed by a lowercase word stay inside one sentence.
    (span,) = template_text("Review section 4.2 of the paper, e.g. the part on metrics.")
    assert span.start == 0 and span.text.endswith("metrics.")
    assert template_text("The model is e.g. a classifier. It works well.") == []


def test_an_instruction_after_content_is_cut_out_alone() -> None:
    line = "Accuracy is 4.2 on the test set. Describe the training data here."
    (span,) = template_text(line)
    assert (span.kind, span.text) == ("instruction", "Describe the training data here.")
    assert line[span.start : span.end].strip() == span.text


@pytest.mark.parametrize(
    "line",
    [
        "Note that the model was trained on English text.",
        "Use the code below to get started with the model.",
        "This model describes images.",
        "List of contributors: Alice, Bob.",
        "Listen to the audio.",
        "The model achieves 0.93 accuracy. It was trained in 2020.",
        "Explain.",
    ],
)
def test_statements_that_only_resemble_instructions_stay_content(line: str) -> None:
    assert template_text(line) == []


def test_a_please_note_caveat_is_content() -> None:
    assert template_text("Please note that the model must not be used for medical diagnosis.") == []


@pytest.mark.parametrize(
    "line",
    [
        "Beschreiben Sie die bekannten Einschr\u00e4nkungen des Modells.",
        "Geben Sie die Trainingsdaten an.",
        "D\u00e9crivez les limites du mod\u00e8le.",
        "Indiquez les donn\u00e9es d'entra\u00eenement.",
    ],
)
def test_german_and_french_instructions_are_template_text(line: str) -> None:
    assert [s.kind for s in template_text(line)] == ["instruction"]
