"""The book's title and author, in the many ways real notes write them (issue 12, item 7).

Each case is a whole note of my own in one of the shapes readers keep: bylines in headings and
file names, surname-first authors, a bold author line under the title, the note's own words
around the title ("Book Notes:", "(Summary)"), Notion and Zettelkasten file names. What a
reader sees is the deck's name and the author on every card.
"""

from __future__ import annotations

import pytest

from quote2anki.book import read_book
from quote2anki.model import Book
from quote2anki.reader import parse_source

HIGHLIGHTS = "\n## Highlights\n\n- A lantern is only as good as the oil you are too lazy to buy.\n"


def book_of(text: str, name: str = "note.md") -> Book:
    return read_book(parse_source(name, text.encode("utf-8")))


@pytest.mark.parametrize(("text", "name", "title", "author"), [
    # bylines in the title heading or the file name
    ("# Lanterns — Ines Marrow\n" + HIGHLIGHTS, "x.md", "Lanterns", "Ines Marrow"),
    ("# Lanterns - Ines Marrow\n" + HIGHLIGHTS, "lanterns.md", "Lanterns", "Ines Marrow"),
    (HIGHLIGHTS, "Lanterns - Ines Marrow.md", "Lanterns", "Ines Marrow"),
    (HIGHLIGHTS, "The Quiet Shore (Marrow, Ines).md", "The Quiet Shore", "Ines Marrow"),
    ("---\ntitle: 'Tallow: A Short History of Candles — Ines Marrow'\n---\n" + HIGHLIGHTS,
     "x.md", "Tallow", "Ines Marrow"),
    # a bold or italic name right under the title heading
    ("# The Quiet Shore\n\n**Ines Marrow**\n" + HIGHLIGHTS, "x.md", "The Quiet Shore",
     "Ines Marrow"),
    ("# The Quiet Shore\n\n*by Ines Marrow*\n" + HIGHLIGHTS, "x.md", "The Quiet Shore",
     "Ines Marrow"),
    ("## 灯塔守望者\n\n **伊内丝·马罗**\n" + HIGHLIGHTS, "灯塔守望者.md", "灯塔守望者",
     "伊内丝·马罗"),
    # surname first, "by", "(Author)"
    ("---\nAuthor: Marrow, Ines\n---\n# Lanterns\n" + HIGHLIGHTS, "x.md", "Lanterns",
     "Ines Marrow"),
    ("---\nauthor: by Ines Marrow\n---\n# Lanterns\n" + HIGHLIGHTS, "x.md", "Lanterns",
     "Ines Marrow"),
    ("# Lanterns\n\n- Author: Ines Marrow (Author)\n" + HIGHLIGHTS, "x.md", "Lanterns",
     "Ines Marrow"),
    # the note's own words around the title
    ("# Book Notes: The Quiet Shore\n" + HIGHLIGHTS, "x.md", "The Quiet Shore", ""),
    ("# The Quiet Shore (Summary) ★★★★☆\n" + HIGHLIGHTS, "x.md", "The Quiet Shore", ""),
    ("# Highlights from my reading\n" + HIGHLIGHTS, "The Quiet Shore.md",
     "Highlights from my reading", ""),
    ("# Highlights from The Quiet Shore\n" + HIGHLIGHTS, "x.md", "The Quiet Shore", ""),
    ("# Notes on The Quiet Shore\n" + HIGHLIGHTS, "The Quiet Shore.md", "The Quiet Shore", ""),
    ("# Notes from a Small Harbour\n" + HIGHLIGHTS, "x.md", "Notes from a Small Harbour", ""),
    ("# The Quiet Shore: Summary & Notes\n" + HIGHLIGHTS, "x.md", "The Quiet Shore", ""),
    ("# The Quiet Shore [Book Notes] 📚\n" + HIGHLIGHTS, "x.md", "The Quiet Shore", ""),
    ("# The Quiet Shore (Kindle Edition)\n" + HIGHLIGHTS, "x.md", "The Quiet Shore", ""),
    ("# Reading Notes: The Quiet Shore\n" + HIGHLIGHTS, "x.md", "The Quiet Shore", ""),
    ('# "The Quiet Shore" by Ines Marrow\n' + HIGHLIGHTS, "x.md", "The Quiet Shore",
     "Ines Marrow"),
    ("# The Quiet Shore, by Ines Marrow\n" + HIGHLIGHTS, "x.md", "The Quiet Shore", "Ines Marrow"),
    ("# The Quiet Shore (Ines Marrow, 2019)\n" + HIGHLIGHTS, "x.md", "The Quiet Shore",
     "Ines Marrow"),
    (HIGHLIGHTS, "Ines Marrow - The Quiet Shore.md", "The Quiet Shore", "Ines Marrow"),
    ("# The Quiet Shore - Ines Marrow\n" + HIGHLIGHTS, "x.md", "The Quiet Shore", "Ines Marrow"),
    (HIGHLIGHTS, "The Quiet Shore Notes.md", "The Quiet Shore", ""),
    ("# Chapter 1: The Idea\n" + HIGHLIGHTS, "The Quiet Shore - Chapter 1.md", "The Quiet Shore",
     ""),
    # authors in the words and places templates put them
    ("---\ncreator: Ines Marrow\n---\n# Lanterns\n" + HIGHLIGHTS, "x.md", "Lanterns",
     "Ines Marrow"),
    ("---\nbook-author: Ines Marrow\n---\n# Lanterns\n" + HIGHLIGHTS, "x.md", "Lanterns",
     "Ines Marrow"),
    ("# Lanterns\n\n**Autor:** Ines Marrow\n" + HIGHLIGHTS, "x.md", "Lanterns", "Ines Marrow"),
    ("# Lanterns\n\nAuthor: Ines Marrow | Published: 2019\n" + HIGHLIGHTS, "x.md", "Lanterns",
     "Ines Marrow"),
    ("# Lanterns\nWritten by Ines Marrow.\n" + HIGHLIGHTS, "x.md", "Lanterns", "Ines Marrow"),
    ("# Lanterns\n> by Ines Marrow\n" + HIGHLIGHTS, "x.md", "Lanterns", "Ines Marrow"),
    ("# Lanterns\n**Lanterns** by **Ines Marrow**\n" + HIGHLIGHTS, "x.md", "Lanterns",
     "Ines Marrow"),
    ("# Lanterns\n### by Ines Marrow\n" + HIGHLIGHTS, "x.md", "Lanterns", "Ines Marrow"),
    # file names: a Notion page id, a Zettelkasten id; a number that is the title's own
    (HIGHLIGHTS, "The Quiet Shore 3f2a9c0d4b1e4e6f8a7b6c5d4e3f2a1b.md", "The Quiet Shore", ""),
    (HIGHLIGHTS, "202301051230 The Quiet Shore.md", "The Quiet Shore", ""),
    (HIGHLIGHTS, "12 Rules for Harbours.md", "12 Rules for Harbours", ""),
])
def test_titles_and_authors_as_real_notes_write_them(text: str, name: str, title: str,
                                                     author: str) -> None:
    book = book_of(text, name)
    assert (book.title, book.author) == (title, author)


@pytest.mark.parametrize(("text", "name", "title"), [
    # a subtitle or a part after a dash is no author
    ("# Dune — Part Two\n" + HIGHLIGHTS, "x.md", "Dune — Part Two"),
    ("# Lanterns - A Short History\n" + HIGHLIGHTS, "lanterns.md", "Lanterns - A Short History"),
    # a plain hyphen names an author only when the title is the note's name elsewhere
    ("# Harbour Lights - Evening Tide\n" + HIGHLIGHTS, "x.md", "Harbour Lights - Evening Tide"),
    # a bold line under the title that is a section name, or a line not under the title
    ("# The Quiet Shore\n\n**Key Takeaways**\n" + HIGHLIGHTS, "x.md", "The Quiet Shore"),
    ("# The Quiet Shore\n\nSome words first.\n\n**Ines Marrow**\n" + HIGHLIGHTS, "x.md",
     "The Quiet Shore"),
    # titles that merely start with a note word keep it
    ("# Notes from a Small Harbour\n" + HIGHLIGHTS, "x.md", "Notes from a Small Harbour"),
])
def test_what_is_not_an_author_stays_put(text: str, name: str, title: str) -> None:
    book = book_of(text, name)
    assert (book.title, book.author) == (title, "")


def test_two_authors_are_not_turned_round() -> None:
    book = book_of("---\nauthor: Ines Marrow, Tomas Reed\n---\n# Lanterns\n" + HIGHLIGHTS)
    assert book.author == "Ines Marrow, Tomas Reed"


def test_the_author_line_is_not_a_highlight() -> None:
    book = book_of("# The Quiet Shore\n\n**Ines Marrow**\n" + HIGHLIGHTS)
    assert [q.text for q in book.quotes] == [
        "A lantern is only as good as the oil you are too lazy to buy."]
