"""Heading normalisation and which headings name which topic, shipped and extended."""

from __future__ import annotations

import pytest

from govgate.artifacts.vocabulary import (
    MAX_HEADING_WORDS,
    Topic,
    TopicChange,
    Vocabulary,
    builtin_vocabulary,
    fold,
    heading_words,
)


def _named(heading: str, vocabulary: Vocabulary | None = None) -> dict[str, str]:
    """Topic id -> matched phrase for every topic the heading names."""
    words = frozenset(heading_words(heading))
    topics = (vocabulary or builtin_vocabulary()).topics.values()
    return {t.id: phrase for t in topics if (phrase := t.matched_phrase(words)) is not None}


# --- heading_words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Intended Uses", ("intended", "use")),
        ("INTENDED use", ("intended", "use")),
        ("Donn\u00e9es d'Entra\u00eenement", ("donnee", "d", "entrainement")),
        ("Ethische \u00dcberlegungen", ("ethische", "ueberlegungen")),
        ("Einschr\u00e4nkungen", ("einschraenkungen",)),
        ("Stra\u00dfe", ("strasse",)),
        ("Training & Evaluation", ("training", "evaluation")),
        ("Training and Evaluation", ("training", "evaluation")),
        ("Process", ("process",)),
        ("Analysis", ("analysis",)),
        ("Libraries", ("library",)),
        ("3. Intended Use", ("intended", "use")),
        ("2.1 Metrics", ("metric",)),
        ("IV. Ethical Considerations", ("ethical", "consideration")),
        ("A. Appendix", ("appendix",)),
        ("Model Sources [optional]", ("model", "source")),
        ("Data (Optional)", ("data",)),
        ("**Training Data**", ("training", "data")),
        ("Out-of-Scope Use", ("out", "of", "scope", "use")),
    ],
)
def test_heading_words_normalisation(title: str, words: tuple[str, ...]) -> None:
    assert heading_words(title) == words


@pytest.mark.parametrize("title", ["What is it?", "Who funded the dataset? ", "Why?"])
def test_question_headings_have_no_words(title: str) -> None:
    assert heading_words(title) == ()


def test_leading_numbers_are_dropped_only_in_front_of_other_words() -> None:
    assert heading_words("3") == ("3",)
    assert heading_words("I") == ("i",)
    # Any leading number reads as numbering, a year too (normalize_title keeps "2024 results").
    assert heading_words("2024 Results") == ("result",)


def test_fold_handles_case_accents_and_umlauts() -> None:
    assert fold("\u00c9VALUATION") == "evaluation"
    assert fold("\u00dcberlegungen") == "ueberlegungen"
    assert fold("Gr\u00f6\u00dfe") == "groesse"


# --- Topic.matched_phrase ---------------------------------------------------------------------


def test_matching_ignores_word_order_and_extra_words() -> None:
    topic = Topic(id="t", title="T", match=("intended use",))
    assert topic.matched_phrase(frozenset(heading_words("Use, intended"))) == "intended use"
    assert topic.matched_phrase(frozenset(heading_words("Our intended uses today"))) == (
        "intended use"
    )
    assert topic.matched_phrase(frozenset(heading_words("Intended audience"))) is None


def test_the_longest_matching_phrase_is_reported() -> None:
    topic = Topic(id="t", title="T", match=("use", "intended use", "primary intended use"))
    words = frozenset(heading_words("Primary intended uses"))
    assert topic.matched_phrase(words) == "primary intended use"


def test_excludes_win_over_matches() -> None:
    named = builtin_vocabulary().topics["intended_use"]
    assert named.matched_phrase(frozenset(heading_words("How to use"))) is None
    assert named.matched_phrase(frozenset(heading_words("Use with transformers"))) is None
    assert named.matched_phrase(frozenset(heading_words("Uses"))) == "use"


@pytest.mark.parametrize("heading", ["How to use", "Use with transformers", "Usage"])
def test_usage_headings_name_no_topic(heading: str) -> None:
    assert _named(heading) == {}


def test_headings_longer_than_the_limit_name_nothing() -> None:
    topic = Topic(id="t", title="T", match=("limitation",))
    at_limit = frozenset(["limitation", *(f"word{i}" for i in range(MAX_HEADING_WORDS - 1))])
    assert len(at_limit) == MAX_HEADING_WORDS
    assert topic.matched_phrase(at_limit) == "limitation"
    assert topic.matched_phrase(at_limit | {"extra"}) is None
    assert _named("Limitations of the model when used for a very long list of things here") == {}


def test_no_words_name_nothing() -> None:
    topic = Topic(id="t", title="T", match=("limitation",))
    assert topic.matched_phrase(frozenset()) is None
    assert _named("What are the limitations?") == {}


# --- builtin vocabulary -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "topics"),
    [
        ("Intended uses & limitations", {"intended_use", "limitations"}),
        ("Bias, Risks, and Limitations", {"limitations", "ethical_considerations", "fairness"}),
        ("Responsible AI Considerations", {"limitations", "ethical_considerations"}),
        ("Benchmarks", {"evaluation", "results"}),
        ("Training Data", {"training_data"}),
        ("Direct Use", {"intended_use"}),
        ("Ethical considerations", {"ethical_considerations"}),
        ("Verwendungszweck", {"intended_use"}),
        ("Vorbehalte und Empfehlungen", {"limitations"}),
        ("Ethische \u00dcberlegungen", {"ethical_considerations"}),
        ("Trainingsdaten", {"training_data"}),
        ("Risiken", {"ethical_considerations"}),
        ("Considerations \u00e9thiques", {"ethical_considerations"}),
        ("Consid\u00e9rations \u00e9thiques", {"ethical_considerations"}),
        ("Utilisations pr\u00e9vues", {"intended_use"}),
        ("Limites et biais", {"limitations", "ethical_considerations", "fairness"}),
        ("Donn\u00e9es d'entra\u00eenement", {"training_data"}),
        ("Donn\u00e9es d'\u00e9valuation", {"evaluation", "evaluation_data"}),
        ("R\u00e9sultats", {"evaluation", "results"}),
        # A phrase of several words is not vetoed by an exclude word: both data topics.
        ("Training and evaluation data", {"training_data", "evaluation", "evaluation_data"}),
        (
            "Donn\u00e9es d'entra\u00eenement et d'\u00e9valuation",
            {"training_data", "evaluation", "evaluation_data"},
        ),
        ("Evaluation data", {"evaluation", "evaluation_data"}),
        ("Training procedure", set()),
        ("Model Card for X", set()),
    ],
)
def test_real_headings_name_their_topics(heading: str, topics: set[str]) -> None:
    assert set(_named(heading)) == topics


def test_builtin_phrases_for_the_core_topics_in_three_languages() -> None:
    vocabulary = builtin_vocabulary()
    expected = {
        "intended_use": ("intended use", "verwendungszweck", "utilisations prevues"),
        "limitations": ("limitation", "einschraenkungen", "limites"),
        "training_data": ("training data", "trainingsdaten", "donnees d entrainement"),
        "evaluation": ("evaluation", "evaluierung", "resultat"),
        "ethical_considerations": ("ethical consideration", "ethische ueberlegungen", "biais"),
    }
    for topic_id, phrases in expected.items():
        topic = vocabulary.topics[topic_id]
        assert set(phrases) <= set(topic.match), topic_id
    assert {"accuracy", "auc", "f1", "genauigkeit", "rappel"} <= set(vocabulary.metric_words)
    assert builtin_vocabulary() is vocabulary  # read once per process


def test_model_card_toolkit_fields_and_front_matter_keys() -> None:
    topics = builtin_vocabulary().topics
    assert "considerations.use_cases[].description" in topics["intended_use"].fields
    assert topics["evaluation"].front_matter == ("model-index",)
    assert topics["training_data"].front_matter == ("datasets",)


@pytest.mark.parametrize("heading", ["Biases", "Known biases", "Limitations and Biases"])
def test_a_biases_heading_names_ethical_considerations(heading: str) -> None:
    assert {"ethical_considerations", "fairness"} <= set(_named(heading))


# --- Vocabulary.extended ----------------------------------------------------------------------


def _small() -> Vocabulary:
    topic = Topic(
        id="limitations",
        title="Limitations",
        match=("limitation", "caveat"),
        exclude=("risk tier",),
        fields=("considerations.limitations[].description",),
    )
    return Vocabulary(topics={"limitations": topic}, metric_words=("accuracy",))


def test_extended_with_no_changes_is_the_same_vocabulary() -> None:
    vocabulary = _small()
    assert vocabulary.extended({}) is vocabulary


def test_extended_adds_and_removes_phrases() -> None:
    changed = _small().extended(
        {"limitations": TopicChange(add=("grenzen", "caveat"), remove=("Caveats",))}
    )
    topic = changed.topics["limitations"]
    # "Caveats" normalises to "caveat", so it removes it; add re-adds it after the removal.
    assert topic.match == ("limitation", "grenzen", "caveat")
    assert topic.title == "Limitations"
    assert topic.fields == ("considerations.limitations[].description",)
    assert changed.metric_words == ("accuracy",)
    assert _named("Grenzen", changed) == {"limitations": "grenzen"}


def test_extended_remove_takes_a_phrase_away() -> None:
    changed = _small().extended({"limitations": TopicChange(remove=("caveat",))})
    assert changed.topics["limitations"].match == ("limitation",)
    assert _named("Caveats", changed) == {}
    assert _named("Caveats", _small()) == {"limitations": "caveat"}  # the original is unchanged


def test_extended_only_replaces_the_phrases() -> None:
    changed = _small().extended({"limitations": TopicChange(only=("known issue",))})
    assert changed.topics["limitations"].match == ("known issue",)
    assert _named("Limitations", changed) == {}
    assert _named("Known issues", changed) == {"limitations": "known issue"}


def test_extended_exclude_is_added_to_the_existing_excludes() -> None:
    changed = _small().extended({"limitations": TopicChange(exclude=("model",))})
    assert changed.topics["limitations"].exclude == ("risk tier", "model")
    assert _named("Model limitations", changed) == {}
    assert _named("Limitations", changed) == {"limitations": "limitation"}


def test_extended_declares_a_brand_new_topic() -> None:
    changed = _small().extended(
        {
            "energy_use": TopicChange(add=("energy", "carbon footprint")),
            "data_protection": TopicChange(title="Data protection", add=("gdpr",)),
        }
    )
    energy = changed.topics["energy_use"]
    assert (energy.id, energy.title, energy.match) == (
        "energy_use",
        "energy use",
        ("energy", "carbon footprint"),
    )
    assert changed.topics["data_protection"].title == "Data protection"
    assert _named("Carbon Footprint", changed) == {"energy_use": "carbon footprint"}
    assert _named("GDPR", changed) == {"data_protection": "gdpr"}
    assert set(changed.topics) == {"limitations", "energy_use", "data_protection"}


def test_extended_renames_a_builtin_topic_and_keeps_its_fields() -> None:
    builtin = builtin_vocabulary()
    changed = builtin.extended({"license": TopicChange(title="Lizenz")})
    assert changed.topics["license"].title == "Lizenz"
    assert changed.topics["license"].match == builtin.topics["license"].match
    assert changed.topics["license"].front_matter == ("license", "license_name")
    assert builtin.topics["license"].title == "Licence"
