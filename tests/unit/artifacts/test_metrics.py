"""Stated metric values read from numbers, prose, tables and Hugging Face model-index."""

from __future__ import annotations

from typing import Any

import pytest

from govgate.artifacts.metrics import (
    as_number,
    model_index_metrics,
    parse_number,
    prose_metrics,
    table_metrics,
)
from govgate.artifacts.vocabulary import builtin_vocabulary

WORDS = builtin_vocabulary().metric_words


def _prose(line: str) -> list[tuple[str, float, bool]]:
    return [(m.name, m.value, m.percent) for m in prose_metrics(line, 7, WORDS)]


def _table(rows: list[tuple[int, list[str]]]) -> list[tuple[str, float, int | None]]:
    return [(m.name, m.value, m.line) for m in table_metrics(rows, WORDS)]


# --- parse_number -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("0.93", (0.93, False)),
        ("93.1 %", (93.1, True)),
        ("93.1%", (93.1, True)),
        ("0,93", (0.93, False)),
        ("0,123", (0.123, False)),
        ("1,5", (1.5, False)),
        ("1,000", (1000.0, False)),
        ("12,345", (12345.0, False)),
        ("\u22120.5", (-0.5, False)),
        ("-0.5", (-0.5, False)),
        ("+3", (3.0, False)),
        ("**0.93**", (0.93, False)),
        ("  0.9", (0.9, False)),
        ("0.93 (\u00b10.01)", (0.93, False)),
        ("2019.0", (2019.0, False)),
        ("2020 %", (2020.0, True)),
        ("2101", (2101.0, False)),
    ],
)
def test_parse_number(text: str, parsed: tuple[float, bool]) -> None:
    assert parse_number(text) == parsed


@pytest.mark.parametrize("text", ["2019", "1900", "2100", "X.XX", "n/a", "", "abc", "v1.2"])
def test_years_and_non_numbers_are_not_values(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "value"), [("1,000,000", 1_000_000.0), ("2,000", 2000.0)])
def test_thousands_separated_numbers_are_read_whole(text: str, value: float) -> None:
    assert parse_number(text) == (value, False)


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        (0.5, (0.5, False)),
        (3, (3.0, False)),
        ("0.93", (0.93, False)),
        (" 87 % ", (87.0, True)),
        ("X.XX", None),
        ("n/a", None),
        (float("nan"), None),
        (float("inf"), None),
        (True, None),
        (None, None),
        ([0.5], None),
    ],
)
def test_as_number_for_structured_values(value: Any, parsed: tuple[float, bool] | None) -> None:
    assert as_number(value) == parsed


# --- prose_metrics ----------------------------------------------------------------------------


def test_prose_pairs_numbers_with_metric_words_in_the_same_sentence() -> None:
    found = prose_metrics("Accuracy: 93.1 % on the test split.", 12, WORDS)
    assert [(m.name, m.value, m.percent, m.line, m.where) for m in found] == [
        ("accuracy", 93.1, True, 12, "prose")
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("WER 4.2%", [("wer", 4.2, True)]),
        ("ROC AUC 0.91", [("roc auc", 0.91, False)]),
        ("AUC-ROC 0.91", [("auc", 0.91, False)]),
        ("The dice score is 0.8", [("dice score", 0.8, False)]),
        ("top-1 accuracy of 81.2%", [("accuracy", 81.2, True)]),
        ("Genauigkeit von 0,93", [("genauigkeit", 0.93, False)]),
        ("accuracy was 0.9 in 2019", [("accuracy", 0.9, False)]),
        ("Accuracy \u22120.5 on v1.2 and 10/20 runs", [("accuracy", -0.5, False)]),
        ("AUC 0.87. Brier 0.061", [("auc", 0.87, False), ("brier", 0.061, False)]),
        ("precision 0.79; recall 0.83", [("precision", 0.79, False), ("recall", 0.83, False)]),
    ],
)
def test_prose_metric_names_and_values(line: str, expected: list[tuple[str, float, bool]]) -> None:
    assert _prose(line) == expected


def test_an_auc_and_a_brier_score_in_one_sentence() -> None:
    # "Brier score" is one metric word: the generic "score" beside it does not take the value.
    line = "We report an AUC of 0.87 and a Brier score of 0.061."
    assert [(name, value) for name, value, _ in _prose(line)] == [
        ("auc", 0.87),
        ("brier score", 0.061),
    ]


def test_a_value_belongs_to_the_metric_written_before_it() -> None:
    assert [n for n, _, _ in _prose("accuracy = 0.93, F1 = 0.88")] == ["accuracy", "f1"]


@pytest.mark.parametrize(
    "line",
    [
        "We trained 3 models on 12 GPUs.",  # no metric word
        "We trained the model in 2019 for its accuracy.",  # a year is not a value
        "The accuracy is reported below.",  # no number
        "Fine-tuned with subaccuracy 0.5",  # a metric word inside another word
    ],
)
def test_prose_without_a_number_and_metric_word_together_states_nothing(line: str) -> None:
    assert _prose(line) == []


@pytest.mark.parametrize(
    "line",
    [
        "The AUC is high. It is 0.87.",
        "The AUC was not computed. We trained for 12 epochs.",
        "Is accuracy enough? We think 3 metrics are needed.",
    ],
)
def test_a_number_does_not_pair_with_a_metric_word_of_another_sentence(line: str) -> None:
    assert _prose(line) == []


def test_a_semicolon_ends_a_metric_sentence() -> None:
    assert _prose("The AUC was not computed; we trained for 12 epochs.") == []


def test_prose_metrics_need_metric_words() -> None:
    assert prose_metrics("accuracy 0.93", 1, ()) == []


# --- table_metrics ----------------------------------------------------------------------------


def test_table_value_named_by_its_metric_column_header() -> None:
    rows = [(1, ["Model", "Accuracy", "F1"]), (3, ["base", "0.91", "0.88"])]
    assert _table(rows) == [("Accuracy", 0.91, 3), ("F1", 0.88, 3)]
    assert {m.where for m in table_metrics(rows, WORDS)} == {"table"}


def test_table_value_named_by_its_row_label_when_the_header_is_no_metric() -> None:
    rows = [(1, ["Metric", "Value"]), (3, ["F1", "0.81"]), (4, ["Recall", "85 %"])]
    found = table_metrics(rows, WORDS)
    assert [(m.name, m.value, m.percent, m.line) for m in found] == [
        ("F1", 0.81, False, 3),
        ("Recall", 85.0, True, 4),
    ]


def test_table_value_named_label_slash_column_otherwise() -> None:
    rows = [(1, ["Dataset", "Split"]), (3, ["SQuAD", "88.5"]), (4, ["", "3"])]
    assert _table(rows) == [("SQuAD / Split", 88.5, 3), ("Split", 3.0, 4)]


def test_table_column_header_wins_over_row_label() -> None:
    rows = [(1, ["Metric", "Accuracy"]), (3, ["AUC", "0.8"])]
    assert _table(rows) == [("Accuracy", 0.8, 3)]


def test_table_skips_labels_text_placeholders_and_years() -> None:
    rows = [
        (1, ["Model", "Accuracy", "Year"]),
        (3, ["0.5", "X.XX", "2019"]),  # the first cell is a label, not a value
        (4, ["large", "n/a", "2020"]),
    ]
    assert _table(rows) == []


def test_a_row_longer_than_its_header_names_by_row_label() -> None:
    rows = [(1, ["Model", "Accuracy"]), (3, ["base", "0.91", "0.5"])]
    assert _table(rows) == [("Accuracy", 0.91, 3), ("base", 0.5, 3)]


def test_a_table_of_only_a_header_states_nothing() -> None:
    assert table_metrics([(1, ["Accuracy", "0.9"])], WORDS) == []
    assert table_metrics([], WORDS) == []


# --- model_index_metrics ----------------------------------------------------------------------


def test_model_index_results_are_read_with_their_paths() -> None:
    front_matter = {
        "model-index": [
            {
                "name": "whisper",
                "results": [
                    {
                        "task": {"type": "automatic-speech-recognition"},
                        "metrics": [
                            {"type": "wer", "value": 4.2, "name": "Test WER"},
                            {"type": "accuracy", "value": "X.XX"},
                            {"type": "f1", "value": float("nan")},
                            {"type": "acc", "value": "0.93"},
                            {"type": "cer", "value": True},
                            {"type": "bleu", "value": float("inf")},
                            {"value": 1},
                            "not a mapping",
                        ],
                    },
                    {"metrics": [{"type": "ppl", "value": "87 %"}]},
                ],
            }
        ]
    }
    found = model_index_metrics(front_matter)
    assert [(m.name, m.value, m.percent, m.where, m.line) for m in found] == [
        ("Test WER", 4.2, False, "front matter model-index[0].results[0].metrics[0]", None),
        ("acc", 0.93, False, "front matter model-index[0].results[0].metrics[3]", None),
        ("metric", 1.0, False, "front matter model-index[0].results[0].metrics[6]", None),
        ("ppl", 87.0, True, "front matter model-index[0].results[1].metrics[0]", None),
    ]


@pytest.mark.parametrize(
    "front_matter",
    [
        {},
        {"license": "mit"},
        {"model-index": "whisper"},
        {"model-index": ["whisper"]},
        {"model-index": [{"results": None}]},
        {"model-index": [{"results": [{"metrics": {"type": "wer", "value": 1}}]}]},
    ],
)
def test_malformed_model_index_states_nothing(front_matter: dict[str, Any]) -> None:
    assert model_index_metrics(front_matter) == []
