"""Which topics Markdown and Model Card Toolkit documents cover, with words, gaps and metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from govgate.artifacts.markdown import parse_markdown
from govgate.artifacts.topics import TopicFacts, card_topics, markdown_topics
from govgate.artifacts.vocabulary import builtin_vocabulary

CARDS = Path(__file__).resolve().parents[2] / "data" / "model-cards"
VOCABULARY = builtin_vocabulary()


def _topics(text: str) -> dict[str, TopicFacts]:
    return markdown_topics(parse_markdown(text, VOCABULARY.metric_words), VOCABULARY)


def _toolkit_card() -> dict[str, Any]:
    path = CARDS / "google-model-card-toolkit.cats-vs-dogs.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# --- markdown_topics --------------------------------------------------------------------------


def test_every_topic_of_the_vocabulary_is_reported() -> None:
    found = _topics("# Card\n\n## Other\n\ntext\n")
    assert set(found) == set(VOCABULARY.topics)
    assert not any(facts.found for facts in found.values())
    assert found["limitations"].title == "Limitations"


def test_a_combined_heading_counts_for_both_topics() -> None:
    found = _topics("# Card\n\n## Intended uses & limitations\n\nUse it for cats. Not for dogs.\n")
    use, limits = found["intended_use"], found["limitations"]
    assert use.found and limits.found
    assert use.words == limits.words == 7
    assert [(s.title, s.line, s.matched, s.words) for s in use.sources] == [
        ("Intended uses & limitations", 3, "intended use", 7)
    ]
    assert [s.matched for s in limits.sources] == ["limitation"]


def test_words_of_two_sections_of_one_topic_add_up() -> None:
    text = "# Card\n\n## Limitations\n\nOne two three.\n\n## Other\n\nx\n\n## Known limitations\n\n"
    text += "four five\n"
    limits = _topics(text)["limitations"]
    assert limits.words == 5
    assert [(s.title, s.line, s.words) for s in limits.sources] == [
        ("Limitations", 3, 3),
        ("Known limitations", 11, 2),
    ]


def test_a_subsection_inside_a_matched_section_is_counted_once() -> None:
    text = "# Card\n\n## Limitations\n\nOne two three.\n\n### Limitations in detail\n\nfour five\n"
    limits = _topics(text)["limitations"]
    assert [(s.title, s.words) for s in limits.sources] == [
        ("Limitations", 5),
        ("Limitations in detail", 2),
    ]
    assert limits.words == 5  # not 5 + 2


def test_the_document_title_names_no_topic() -> None:
    found = _topics("# Limitations\n\nOne two three.\n\n## Details\n\nfour\n")
    assert not found["limitations"].found and found["limitations"].words == 0


def test_a_top_level_heading_among_others_is_no_title() -> None:
    found = _topics("# Limitations\n\nOne two three.\n\n# Details\n\nfour\n")
    assert found["limitations"].found and found["limitations"].words == 3


def test_a_section_of_only_template_text_has_no_words_and_reports_it() -> None:
    text = (
        "# Card\n\n## Limitations\n\n[More Information Needed]\n\n"
        "What are the failure modes?\n\nAdd known limitations here.\n\nTODO\n"
    )
    limits = _topics(text)["limitations"]
    assert limits.found  # the heading is there ...
    assert limits.words == 0  # ... but nothing was written under it
    assert [(p.line, p.column, p.text) for p in limits.placeholders] == [
        (5, 1, "[More Information Needed]"),
        (11, 1, "TODO"),
    ]
    assert limits.template_text == 2  # the question and the instruction


def test_placeholders_outside_a_topic_are_not_its_own() -> None:
    text = "# Card\n\nTODO intro\n\n## Limitations\n\nReal words here.\n\n## Other\n\nTBD\n"
    limits = _topics(text)["limitations"]
    assert limits.placeholders == [] and limits.template_text == 0
    assert limits.words == 3


def test_metrics_go_to_the_topic_whose_lines_hold_them() -> None:
    text = (
        "# Card\n\n## Evaluation\n\nThe model reaches an accuracy of 0.93.\n\n"
        "| Split | F1 |\n|---|---|\n| test | 0.88 |\n\n"
        "## Training data\n\nWe used 2019 data; loss was 0.2.\n"
    )
    found = _topics(text)
    evaluation = [(m.name, m.value, m.line, m.where) for m in found["evaluation"].metrics]
    assert evaluation == [("accuracy", 0.93, 5, "prose"), ("F1", 0.88, 9, "table")]
    assert [(m.name, m.value, m.line) for m in found["training_data"].metrics] == [
        ("loss", 0.2, 13)
    ]
    assert found["limitations"].metrics == []


def test_model_index_front_matter_metrics_go_to_evaluation() -> None:
    text = (
        "---\nmodel-index:\n- name: m\n  results:\n  - metrics:\n    - type: wer\n"
        "      value: 4.2\n    - type: cer\n      value: X.XX\n---\n# Card\n\n## About\n\ntext\n"
    )
    found = _topics(text)
    evaluation = found["evaluation"]
    assert evaluation.found and evaluation.words == 0
    assert [(m.name, m.value, m.where) for m in evaluation.metrics] == [
        ("wer", 4.2, "front matter model-index[0].results[0].metrics[0]")
    ]
    assert [(s.title, s.line) for s in evaluation.sources] == [("front matter model-index", None)]
    assert found["results"].metrics == []  # only topics that list model-index read it


def test_datasets_front_matter_counts_for_training_data() -> None:
    found = _topics("---\ndatasets:\n- imagenet-1k\n- coco\n---\n# Card\n\n## About\n\nx\n")
    training = found["training_data"]
    assert training.found
    assert [(s.title, s.words) for s in training.sources] == [("front matter datasets", 3)]
    assert training.words == 3  # imagenet, 1k, coco


def test_nearest_suggests_a_heading_when_a_topic_is_missing() -> None:
    found = _topics("# Card\n\n## Trainng dat\n\nz\n\n## Limitations\n\nnone known\n")
    assert not found["training_data"].found
    assert found["training_data"].nearest == "Trainng dat"
    assert found["limitations"].nearest is None  # found: nothing to suggest
    assert found["license"].nearest is None  # no heading is anything like it


# --- card_topics ------------------------------------------------------------------------------


def test_toolkit_card_topics() -> None:
    found = card_topics(_toolkit_card(), VOCABULARY)
    assert set(found) == set(VOCABULARY.topics)
    use = found["intended_use"]
    assert use.found and use.words == 13
    assert [(s.title, s.words) for s in use.sources] == [
        ("considerations.use_cases[0].description", 8),
        ("considerations.users[0].description", 5),
    ]
    limits = found["limitations"]
    assert limits.found
    assert [s.title for s in limits.sources] == [
        "considerations.limitations[0].description",
        "considerations.tradeoffs[0].description",
    ]
    ethics = found["ethical_considerations"]
    assert ethics.found and ethics.words > 50
    assert {s.title for s in ethics.sources} == {
        "considerations.ethical_considerations[0].name",
        "considerations.ethical_considerations[0].mitigation_strategy",
    }
    assert not found["fairness"].found and found["fairness"].sources == []
    for facts in found.values():
        assert facts.placeholders == [] and facts.template_text == 0


def test_toolkit_card_performance_metrics_are_evaluation_metrics_with_slices() -> None:
    evaluation = card_topics(_toolkit_card(), VOCABULARY)["evaluation"]
    assert evaluation.found
    found = [(m.name, round(m.value, 4), m.percent, m.where) for m in evaluation.metrics]
    assert found == [
        ("accuracy", 0.9781, False, "quantitative_analysis.performance_metrics[0]"),
        ("accuracy (cat)", 0.9933, False, "quantitative_analysis.performance_metrics[1]"),
        ("accuracy (Dog)", 0.9649, False, "quantitative_analysis.performance_metrics[2]"),
    ]
    # a stated value reads as words: "accuracy 0 978..." and "accuracy cat 0 993..."
    assert [s.words for s in evaluation.sources] == [3, 4, 4]


@pytest.mark.parametrize("data", [{}, {"name": "x", "version": 1}, [], "card", None])
def test_a_json_document_that_is_not_a_card_has_no_topics(data: Any) -> None:
    assert card_topics(data, VOCABULARY) == {}


def test_placeholders_in_card_fields_are_reported_with_their_path() -> None:
    data = {
        "considerations": {
            "limitations": [
                {"description": "TODO"},
                {"description": "[More Information Needed]"},
                {"description": "Describe the limitations here. It fails on dogs."},
                {"description": ""},
            ]
        }
    }
    limits = card_topics(data, VOCABULARY)["limitations"]
    assert [(p.line, p.column, p.text) for p in limits.placeholders] == [
        (0, 0, "considerations.limitations[0].description: TODO"),
        (0, 0, "considerations.limitations[1].description: [More Information Needed]"),
    ]
    assert limits.placeholders[0].kind == "todo"
    assert limits.template_text == 1
    assert [s.words for s in limits.sources] == [0, 0, 4]  # "It fails on dogs"
    assert limits.found and limits.words == 4


def test_a_card_topic_of_only_placeholders_is_not_found() -> None:
    data = {"considerations": {"limitations": [{"description": "TBD"}]}}
    limits = card_topics(data, VOCABULARY)["limitations"]
    assert not limits.found and limits.words == 0
    assert [p.kind for p in limits.placeholders] == ["tbd"]


def test_a_card_metric_that_is_no_number_states_nothing() -> None:
    data = {
        "quantitative_analysis": {
            "performance_metrics": [
                {"type": "accuracy", "value": "X.XX"},
                {"type": "auc", "value": 0.9, "slice": "age>60"},
            ]
        }
    }
    evaluation = card_topics(data, VOCABULARY)["evaluation"]
    assert [(m.name, m.value) for m in evaluation.metrics] == [("auc (age>60)", 0.9)]
    assert evaluation.found

    data = {
        "quantitative_analysis": {"performance_metrics": [{"type": "accuracy", "value": "X.XX"}]}
    }
    evaluation = card_topics(data, VOCABULARY)["evaluation"]
    assert [p.kind for p in evaluation.placeholders] == ["number"]
    assert "quantitative_analysis.performance_metrics[0]" in evaluation.placeholders[0].text
