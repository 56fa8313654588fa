"""Every export format users keep notes in, each a note in ``tests/formats/`` with a golden file.

A golden file (``x.result.json`` beside ``x.md``) holds what :func:`read_book` makes of the
note: title, author, tags, every quote with its line, section, the reader's note, tags and
marked words, every glossary definition, and every problem. It does not hold cloze choices,
which belong to another step. After a deliberate change, regenerate with
``QUOTE2ANKI_UPDATE_GOLDEN=1 pytest tests/test_formats.py`` and read the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from quote2anki.book import read_book
from quote2anki.model import Book
from quote2anki.reader import read_source

FORMATS = Path(__file__).parent / "formats"
NAMES = sorted(path.stem for path in FORMATS.glob("*.md"))


def book_json(book: Book) -> dict[str, Any]:
    """The structure of a book as plain JSON, stable across runs and machines."""
    return {
        "kind": book.kind,
        "why": book.why,
        "title": book.title,
        "subtitle": book.subtitle,
        "author": book.author,
        "category": book.category,
        "tags": list(book.tags),
        "quotes": [
            {
                "line": quote.line,
                "text": quote.text,
                "section": quote.section,
                "comment": quote.comment,
                "tags": list(quote.tags),
                "marked": [quote.text[mark.start:mark.end] for mark in quote.marks],
            }
            for quote in book.quotes
        ],
        "definitions": [
            {"line": d.line, "term": d.term, "definition": d.definition, "section": d.section}
            for d in book.definitions
        ],
        "flashcards": [
            {"line": card.line, "front": card.front, "back": card.back, "section": card.section,
             "tags": list(card.tags), "both_ways": card.both_ways}
            for card in book.flashcards
        ],
        "repairs": book.repairs,
        "problems": [f"{p.line}: {p.level}: {p.message}" for p in book.problems],
    }


def read(name: str) -> dict[str, Any]:
    return book_json(read_book(read_source(FORMATS / f"{name}.md", f"{name}.md")))


def test_every_format_has_a_note_and_a_golden_file() -> None:
    assert set(NAMES) >= {"template", "readwise", "readwise-reader", "kindle-layout1",
                          "kindle-layout2", "callouts", "logseq", "dataview", "glossary"}
    for name in NAMES:
        assert (FORMATS / f"{name}.result.json").exists(), name


@pytest.mark.parametrize("name", NAMES)
def test_format_matches_golden(name: str) -> None:
    result = read(name)
    golden = FORMATS / f"{name}.result.json"
    if os.environ.get("QUOTE2ANKI_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
    assert result == json.loads(golden.read_text(encoding="utf-8"))


# The goldens hold everything; the tests below name what each format must get right, so a
# regenerated golden that loses one of these still fails.

def texts(name: str) -> list[str]:
    return [quote["text"] for quote in read(name)["quotes"]]


def test_template_keeps_only_the_quotes_section_and_merges_the_shorter_copy() -> None:
    book = read("template")
    assert (book["title"], book["author"]) == ("Thinking, Fast and Slow", "Daniel Kahneman")
    assert book["tags"] == ["books", "psychology", "thinking/mental-models"]
    quotes = texts("template")
    assert len(quotes) == 5
    assert not any("Two systems" in q or "colleague" in q for q in quotes)
    assert sum(q.startswith("The confidence that individuals") for q in quotes) == 1
    assert "We can be blind to the obvious, and we are also blind to our blindness." in quotes
    assert any("too short" in p for p in book["problems"])


def test_readwise_locations_with_and_without_links_notes_and_tags() -> None:
    book = read("readwise")
    assert (book["title"], book["author"]) == ("The Wealth of Nations", "Adam Smith")
    assert book["tags"] == ["books", "economics", "classics"]
    for quote in book["quotes"]:
        assert "Location" not in quote["text"] and "Page" not in quote["text"]
        assert quote["text"].endswith(".")
    butcher = next(q for q in book["quotes"] if "butcher" in q["text"])
    assert butcher["comment"] == "The most quoted line of the book."
    assert butcher["tags"] == ["self-interest", "favorite"]
    assert any(q["comment"] == "Still true of every industry conference."
               for q in book["quotes"])
    assert len(book["quotes"]) == 5


def test_readwise_reader_chapters_multiline_highlights_and_view_highlight_links() -> None:
    book = read("readwise-reader")
    assert [q["section"] for q in book["quotes"]] == [
        "Deciding What to Work On", "Deciding What to Work On", "Staying Curious",
        "Staying Curious"]
    quotes = texts("readwise-reader")
    assert "If you're not sure what to work on, guess. But pick something and get going." in quotes
    assert any(q.startswith("Curiosity is the best guide. Your curiosity never lies") for q in
               quotes)
    assert not any("View Highlight" in q or "readwise.io" in q for q in quotes)


def test_kindle_plugin_paragraphs_split_by_rules_with_the_readers_note() -> None:
    book = read("kindle-layout1")
    assert (book["title"], book["author"]) == ("Refactoring", "Martin Fowler")
    quotes = book["quotes"]
    assert len(quotes) == 5
    assert not any("location" in q["text"] or "^ref" in q["text"] for q in quotes)
    fool = next(q for q in quotes if q["text"].startswith("Any fool"))
    assert fool["comment"] == ("My favourite line in the book.\n"
                               "It is on a sticky note above my desk.")
    # a highlight directly above its --- is not taken for a heading
    assert any(q["text"].startswith("Refactoring (noun)") for q in quotes)
    assert quotes[-1]["text"] == "Never be afraid to change names to improve clarity."


def test_kindle_plugin_highlight_blocks_with_location_page_and_note() -> None:
    book = read("kindle-layout2")
    assert (book["title"], book["author"]) == ("The Art of Readable Code",
                                                "Dustin Boswell and Trevor Foucher")
    assert book["tags"] == ["Kindle", "books"]
    quotes = book["quotes"]
    assert len(quotes) == 3
    assert all(not q["text"].endswith(tuple("0123456789")) for q in quotes)
    assert quotes[1]["comment"] == ("If adding comments improves the likelihood of "
                                    "understanding, that is better than fewer lines.\n"
                                    "Comments also improve searchability.")


def test_kindle_plugin_frontmatter_gives_title_and_author_when_the_note_does_not() -> None:
    text = (FORMATS / "kindle-layout1.md").read_text(encoding="utf-8")
    body = text.replace("# Refactoring\n", "").replace(
        "* Author: [Martin Fowler](https://www.amazon.comundefined)\n", "")
    from quote2anki.reader import parse_source

    book = read_book(parse_source("k.md", body.encode()))
    # a long subtitle is kept apart: the deck is the title, the Source field shows both
    assert book.title == "Refactoring"
    assert book.full_title == ("Refactoring: Improving the Design of Existing Code "
                               "(Addison-Wesley Signature Series (Fowler))")
    assert book.author == "Martin Fowler"


def test_callouts_and_blockquotes_anywhere_but_not_the_readers_callouts() -> None:
    book = read("callouts")
    sections = {q["text"][:20]: q["section"] for q in book["quotes"]}
    assert sections["All warfare is based"] == "Page 12"
    assert sections["Supreme excellence c"] == "Chapter 3, Attack by Stratagem"
    assert sections["Appear at points whi"] == "Chapter 6"
    assert sections["If you know the enem"] == ""
    quotes = texts("callouts")
    assert ("All warfare is based on deception. Hence, when able to attack, we must seem "
            "unable.") in quotes
    assert not any("org design" in q or "says the reader" in q for q in quotes)
    assert any(q.startswith("Let your plans be dark") for q in quotes)


def test_logseq_properties_and_highlights_without_a_heading() -> None:
    book = read("logseq")
    assert (book["title"], book["author"]) == ("Discover How @MainActor Works",
                                                "Vincent Pradeilles")
    assert book["tags"] == ["Swift", "concurrency", "articles"]
    quotes = texts("logseq")
    assert len(quotes) == 4
    assert quotes[1].startswith("@MainActor can be used") and quotes[1].endswith("closures.")
    assert not any("#Highlight" in q or "id::" in q or "my own" in q for q in quotes)


def test_dataview_fields_are_metadata_not_quotes() -> None:
    book = read("dataview")
    assert (book["title"], book["author"], book["tags"]) == ("Deep Work", "Cal Newport",
                                                              ["books"])
    assert texts("dataview")[1].endswith("free from distraction.")


def test_glossary_lines_in_every_shape() -> None:
    book = read("glossary")
    assert [d["term"] for d in book["definitions"]] == [
        "Linearizability", "Idempotent", "Replication lag", "Write skew", "Partition", "Quorum"]
    assert book["definitions"][5]["definition"].startswith("the minimum number of nodes")
    assert any(p.startswith("15: warning: not a glossary line") for p in book["problems"])


def test_only_an_exports_link_makes_a_highlight_outside_a_quotes_section() -> None:
    from quote2anki.reader import parse_source

    note = ("# My Reading Log\n\nI stopped for the night at the chapter on rent (Page 30)\n\n"
            "- My own list item that ends in (Location 12)\n"
            "- Rent is the price paid for the use of land. ([Location 12](https://readwise.io/x))\n")
    book = read_book(parse_source("log.md", note.encode()))
    assert [q.text for q in book.quotes] == ["Rent is the price paid for the use of land."]
