"""Clozes, fields and GUIDs: what ends up on the card."""

from __future__ import annotations

import re

import pytest

from quote2anki import Vault, notes_for
from quote2anki.cloze import MAX_CLOZES, STOPWORDS, choose
from quote2anki.fields import listing, render
from quote2anki.identity import guid_for
from quote2anki.model import Book, Mark, Note, Quote

from conftest import SAMPLE

GAP = re.compile(r"\{\{c(\d+)::(.*?)(?:::([^}]*))?\}\}")


def quote_note(text: str, marks: tuple[Mark, ...] = ()) -> Note:
    book = Book(path="b.md", title="Book", quotes=(Quote(text, 1, marks=marks),))
    return notes_for(book)[0]


def test_readers_marks_win_and_switch_off_automatic_choice() -> None:
    text = "Nearly 85% of all emails are spam, says Talos Intelligence."
    spam = text.index("spam")
    gaps = choose(text, [Mark(spam, spam + 4)])
    assert [(text[g.start:g.end], g.number) for g in gaps] == [("spam", 1)]


def test_readers_own_cloze_numbers_and_hints_are_kept() -> None:
    from quote2anki.inline import clean_quote

    text, marks = clean_quote("{{c2::Paris::city}} is the capital of ==France==.")
    expected = "{{c2::Paris::city}} is the capital of {{c1::France}}."
    assert render(text, choose(text, marks)) == expected


@pytest.mark.parametrize("text", [
    "According to Talos Intelligence, as of May 2021, nearly 85% of all emails are spam.",
    "Su et al. showed that 67.97% of the natural images in the Kaggle CIFAR-10 test dataset can "
    "be misclassified by changing just one pixel",
    "Without data, there’s no data science.",
    "It is what it is, and that is that.",
])
def test_automatic_clozes_are_short_distinct_and_never_stopwords(text: str) -> None:
    gaps = choose(text)
    assert 1 <= len(gaps) <= MAX_CLOZES
    assert sorted(g.number for g in gaps) == list(range(1, len(gaps) + 1))
    for gap in gaps:
        hidden = text[gap.start:gap.end]
        assert 1 <= len(hidden.split()) <= 4
        assert not (len(hidden.split()) == 1 and hidden.lower() in STOPWORDS)


def test_numbers_with_units_are_clozed_with_a_hint_and_years_are_not() -> None:
    text = "As of 2019, the average cost to acquire a user is $86.61, and 85% never return."
    gaps = {text[g.start:g.end]: g.hint for g in choose(text)}
    assert gaps.get("$86.61") == "dollars" and gaps.get("85%") == "percent"
    assert "2019" not in gaps


@pytest.mark.sample
def test_every_sample_note_has_between_one_and_three_gaps() -> None:
    for note in Vault([SAMPLE]).notes():
        numbers = {int(n) for n, _, _ in GAP.findall(note.text)}
        assert 1 <= len(numbers) <= MAX_CLOZES, note.text
        assert set(note.cards) == numbers


def test_text_from_a_note_is_escaped_and_cloze_syntax_only_where_we_put_it() -> None:
    note = quote_note('<script>alert(1)</script> uses {{c1::x}} and a::b, [sound:x.mp3] & more.')
    assert "<script>" not in note.text and "&lt;script&gt;" in note.text
    gaps = GAP.findall(note.text)
    assert gaps and all("{" not in hidden and "}" not in hidden for _, hidden, _ in gaps)
    assert "[sound:" not in note.text


def test_guids_depend_on_book_and_words_not_on_punctuation_or_position() -> None:
    assert guid_for("quote", "dune", "fear is the mind killer") != guid_for(
        "quote", "emma", "fear is the mind killer")
    first = quote_note("Fear is the mind-killer.")
    again = quote_note("Fear is the mind killer")
    assert first.guid == again.guid


def test_multiplication_and_code_are_not_reader_markup() -> None:
    from quote2anki.inline import clean_quote

    text, marks = clean_quote("The cost is 2 * 3 * n, and `a == b` holds when x==y in code.")
    assert marks == ()
    assert text == "The cost is 2 * 3 * n, and a == b holds when x==y in code."


def test_numbers_methods_and_people_are_what_gets_hidden() -> None:
    for text, wanted in [
        ("Su et al. showed that 67.97% of the natural images can be misclassified.", "67.97%"),
        ("AWS says Parquet is up to 2x faster to unload than text formats.", "2x"),
        ("One solution is the hashing trick, popularized by the package Vowpal Wabbit.",
         "Vowpal Wabbit"),
        ("According to Frederick P. Brooks, adding people to a late project makes it later.",
         "Frederick P. Brooks"),
    ]:
        hidden = [text[g.start:g.end] for g in choose(text)]
        assert wanted in hidden, (text, hidden)


def test_a_hidden_phrase_is_hidden_wherever_it_repeats_under_one_number() -> None:
    text = ("Keep track of where each sample came from, a technique known as data lineage. "
            "Data lineage helps you debug your models.")
    note = quote_note(text)
    assert note.text.count("{{c1::") == 2
    assert "lineage" not in listing(note)


def test_the_first_word_of_a_quote_is_never_hidden_alone() -> None:
    for text in ["Serendipity favours the prepared mind, said Pasteur.",
                 "Entropy always increases in an isolated system."]:
        assert all(g.start > 0 or text[g.start:g.end].count(" ") for g in choose(text))
