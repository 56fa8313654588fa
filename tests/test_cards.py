"""Clozes, fields and GUIDs: what ends up on the card."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from quote2anki import Vault, gaps, notes_for
from quote2anki.fields import listing, render
from quote2anki.gaps import MAX_GAPS
from quote2anki.identity import guid_for
from quote2anki.language import analyse, is_stopword
from quote2anki.model import Book, Gap, Mark, Note, Quote
from quote2anki.notes import WHICH_BOOK_TAG

from conftest import SAMPLE


def choose(text: str, marks: Sequence[Mark] = ()) -> tuple[Gap, ...]:
    """The gaps the chooser picks for ``text`` alone (no title, no defined terms)."""
    return gaps.choose(analyse(text), marks=marks)


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
    from quote2anki.highlights import clean_quote

    text, marks = clean_quote("{{c2::Paris::city}} is the capital of ==France==.")
    expected = "{{c2::Paris::city}} is the capital of {{c1::France}}."
    assert render(text, choose(text, marks)) == expected


@pytest.mark.parametrize("text", [
    "According to Talos Intelligence, as of May 2021, nearly 85% of all emails are spam.",
    "Su et al. showed that 67.97% of the natural images in the Kaggle CIFAR-10 test dataset can "
    "be misclassified by changing just one pixel",
])
def test_automatic_clozes_are_short_distinct_and_never_stopwords(text: str) -> None:
    gaps = choose(text)
    assert 1 <= len(gaps) <= MAX_GAPS
    assert sorted(g.number for g in gaps) == list(range(1, len(gaps) + 1))
    for gap in gaps:
        hidden = text[gap.start:gap.end]
        assert 1 <= len(hidden.split()) <= 4
        assert not (len(hidden.split()) == 1 and is_stopword(hidden.lower()))


@pytest.mark.parametrize("text", [
    "Without data, there’s no data science.",
    "It is what it is, and that is that.",
])
def test_an_aphorism_gets_no_gap_and_asks_for_its_book(text: str) -> None:
    assert choose(text) == ()
    note = quote_note(text)
    assert note.basic and note.cards == (1,) and WHICH_BOOK_TAG in note.tags
    assert note.fields[0] == note.text and "Which book" in note.fields[2]
    assert "Book" in note.fields[1]  # the answer, on the back


def test_numbers_with_units_are_clozed_with_a_hint_and_years_are_not() -> None:
    text = "As of 2019, the average cost to acquire a user is $86.61, and 85% never return."
    gaps = {text[g.start:g.end]: g.hint for g in choose(text)}
    assert gaps.get("$86.61") == "dollars" and gaps.get("85%") == "percent"
    assert "2019" not in gaps


@pytest.mark.sample
def test_every_sample_note_has_at_most_three_gaps_or_asks_for_its_book() -> None:
    for note in Vault([SAMPLE]).notes():
        numbers = {int(n) for n, _, _ in GAP.findall(note.text)}
        assert len(numbers) <= MAX_GAPS, note.text
        if numbers:
            assert set(note.cards) == numbers
        else:  # nothing worth hiding: a Basic card asks which book it is
            assert note.cards == (1,) and WHICH_BOOK_TAG in note.tags and note.basic


def test_text_from_a_note_is_escaped_and_cloze_syntax_only_where_we_put_it() -> None:
    text = '<script>alert(1)</script> uses {{c1::x}} and a::b, [sound:x.mp3] & more.'
    note = quote_note(text, (Mark(text.index("more"), text.index("more") + 4),))
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
    from quote2anki.highlights import clean_quote

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


def test_a_word_or_two_highlighted_in_an_export_asks_for_its_book_instead_of_hiding_all() -> None:
    from quote2anki.book import read_book
    from quote2anki.reader import parse_source

    link = "https://readwise.io/to_kindle?action=open&asin=X&location={}"
    text = ("# Harbour Lights\n\n## Highlights\n\n"
            f"- Tidal memory ([Location 14]({link.format(14)}))\n"
            "- Loose words\n"
            f"- A lighthouse is a promise made to strangers. ([Location 20]({link.format(20)}))\n")
    book = read_book(parse_source("h.md", text.encode()))
    assert [quote.text for quote in book.quotes] == [
        "Tidal memory", "A lighthouse is a promise made to strangers."]
    short = notes_for(book)[0]
    assert short.basic and WHICH_BOOK_TAG in short.tags and short.fields[0] == "Tidal memory"
