"""Finding definitions: each form, the false friends, and precision/recall on labelled notes."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from quote2anki import Note, notes_for, read_book
from quote2anki.definitions import candidates, find_definitions, sentences
from quote2anki.fields import listing

from conftest import ROOT, SAMPLES
from timing import GROWTH, growth


def terms(text: str) -> dict[str, tuple[str, ...]]:
    return {found.term: found.aliases for found in find_definitions(text)}


FORMS = [
    ("Selection bias When the people in a sample differ from those left out.", "Selection bias"),
    ("Missing at random (MAR) When the reason a value is missing lies in another variable.",
     "Missing at random"),
    ("Tail latency refers to the slowest requests a service answers.", "Tail latency"),
    ("Idempotent means that doing an operation twice has the same effect as once.", "Idempotent"),
    ("Gradient descent is a method for finding the minimum of a function.", "Gradient descent"),
    ("Dead reckoning is the process of estimating where you are from speed and time.",
     "Dead reckoning"),
    ("Keep every version of the data you train on. This practice is called data versioning.",
     "data versioning"),
    ("Traders sell before the news and buy after it, a practice known as front running.",
     "front running"),
    ("Editors merge with a CRDT, which is short for conflict-free replicated data type.", "CRDT"),
    ("Engineers rely on the concept of a circuit breaker: a switch that stops calls to a failing "
     "service.", "circuit breaker"),
    ("The team moved to blue-green deployment—the new version runs beside the old one until "
     "traffic switches.", "blue-green deployment"),
    ("Hyperinflation can happen when a government prints money to pay its debts.",
     "Hyperinflation"),
    ("The halo effect, also called the halo error, is our habit of letting one good trait colour "
     "the rest.", "halo effect"),
    ("Economists call this crowding out.", "crowding out"),
    ("Hanlon's razor states that we should not assume malice where stupidity will do.",
     "Hanlon's razor"),
]


@pytest.mark.parametrize(("text", "term"), FORMS)
def test_each_definition_form_is_proposed(text: str, term: str) -> None:
    assert term in {found.term for found in candidates(text)}


def test_the_scorer_keeps_nearly_every_form() -> None:
    """A lone short sentence gives the scorer little to go on: it may refuse one or two."""
    kept = [term for text, term in FORMS if term in terms(text)]
    assert len(kept) >= 0.85 * len(FORMS)


def test_aliases_make_one_definition_with_every_name() -> None:
    found = terms("Most teams do stateful training—the model continues on new data. Stateful "
                  "training is also known as fine-tuning or incremental learning.")
    assert found == {"stateful training": ("fine-tuning", "incremental learning")}


@pytest.mark.parametrize("text", [
    "According to Talos Intelligence, as of May 2021, nearly 85% of all emails are spam.",
    "This refers to the first decomposition of the joint distribution.",
    "In the early days of the relational data model, data was mostly structured.",
    "However, most systems should have these four characteristics: reliability and scale.",
    "A strong dollar means that tourists should travel abroad this summer.",
    "Andrew Ng has a great lecture where he explains bias and variance.",
    "Step 2. Data engineering A vast majority of ML models today learn from data.",
    "Papermill For spawning multiple notebooks with different parameter sets.",
    "Some newspaper will call it a breakthrough.",
    "It is what it is.",
])
def test_false_friends_are_not_definitions(text: str) -> None:
    assert terms(text) == {}


def test_sentences_survive_abbreviations_decimals_and_probabilities() -> None:
    text = ("Su et al. showed 67.97% of it. P(Y|X) stays, e.g. here. Frederick P. Brooks wrote "
            "it. The end.")
    assert [text[a:b] for a, b in sentences(text)] == [
        "Su et al. showed 67.97% of it.", "P(Y|X) stays, e.g. here.",
        "Frederick P. Brooks wrote it.", "The end."]


def notes_of(quote: str) -> list[Note]:
    """The notes a one-quote book makes, through the library's API."""
    return notes_for(read_book(f"# B\n## Quotes\n- {quote}\n"))


def test_confusable_set_makes_one_note_per_member_with_a_hint() -> None:
    quote = ("Covariate shift When P(X) changes but P(Y|X) remains the same. Label shift When "
             "P(Y) changes but P(X|Y) remains the same. Concept drift When P(Y|X) changes but "
             "P(X) remains the same.")
    notes = notes_of(quote)
    definitions = [n for n in notes if n.kind == "definition"]
    assert [n.term for n in definitions] == ["Covariate shift", "Label shift", "Concept drift"]
    assert definitions[0].text.startswith("{{c1::Covariate shift::shift}}: When P(X) changes")
    assert all(n.extra for n in definitions)  # the whole quote on the back
    quote_note = next(n for n in notes if n.kind == "quote")
    assert "{{c1::Covariate shift::shift}}" in quote_note.text
    assert "{{c3::Concept drift}}" in quote_note.text


def test_a_term_inside_its_own_definition_is_hidden_too() -> None:
    quote = ("A zero rule baseline is a baseline that always predicts the most common class, so a "
             "zero rule baseline needs no training.")
    notes = notes_of(quote)
    definition = next(n for n in notes if n.kind == "definition")
    assert definition.text.count("{{c1::") == 2
    assert "zero rule baseline" not in listing(definition).lower()


@pytest.mark.parametrize("text", [
    "*" * 100_000,
    "word " * 200_000,
    "A" + " b" * 100_000 + " is called c.",
    ("Term " + "x" * 50 + " ") * 5_000,
    "—".join(["the model is trained"] * 20_000),
])
def test_hostile_long_text_stays_linear(text: str) -> None:
    ratio = growth(find_definitions, text)
    assert ratio < GROWTH, f"4x the text, {ratio:.1f}x the time"


def _evaluate() -> Any:
    spec = importlib.util.spec_from_file_location(
        "evaluate", ROOT / "eval" / "definitions" / "evaluate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _precision_recall(hits: int, false: int, missed: int) -> tuple[float, float]:
    return hits / (hits + false), hits / (hits + missed)


@pytest.mark.sample
def test_sample_precision_and_recall_reach_the_target() -> None:
    evaluate = _evaluate()
    gold = json.loads((ROOT / "eval/definitions/sample-gold.json").read_text(encoding="utf-8"))
    precision, recall = _precision_recall(*evaluate.score(gold, SAMPLES, False, strict=True))
    # The rules were grown on this note (1.00 / 0.98 before the scorer); the scorer now trades
    # some of that recall for precision on real notes (issue 11), so the bar is lower.
    assert precision >= 0.95 and recall >= 0.8


def test_labelled_notes_in_other_styles_reach_the_target() -> None:
    evaluate = _evaluate()
    path = ROOT / "eval/definitions/gold.json"
    gold = {k.removeprefix("notes/"): v for k, v in
            json.loads(path.read_text(encoding="utf-8")).items()}
    precision, recall = _precision_recall(
        *evaluate.score(gold, Path(evaluate.HERE) / "notes", False))
    assert precision >= 0.95 and recall >= 0.8  # see the sample's test: precision first
