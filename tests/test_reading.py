"""Reading notes: frontmatter in every shape, titles, tags, mojibake, and the sample's quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from quote2anki.book import read_book
from quote2anki.reader import parse_source, read_source

from conftest import NOTES, SAMPLE


def book_of(text: str, name: str = "note.md"):  # type: ignore[no-untyped-def]
    return read_book(parse_source(name, text.encode("utf-8")))


@pytest.mark.sample
def test_sample_yields_108_clean_quotes_and_nothing_from_the_impressions() -> None:
    book = read_book(read_source(SAMPLE))
    assert book.title == "Designing Machine Learning Systems"
    assert book.author == "Chip Huen"
    assert len(book.quotes) == 108
    texts = [quote.text for quote in book.quotes]
    assert not any("good introduction to the entire" in text for text in texts)
    assert not any("Data scientists in small companies" in text for text in texts)
    for text in texts:
        assert not text.startswith(("*", "_")) and not text.endswith("*")
        for mojibake in ("‚Äô", "‚Äú", "¬†", "\uf8ff", "\xa0"):
            assert mojibake not in text
    assert "In English, “predict” means “estimate a value in the future.”" in texts
    # footnote markers glued to sentence ends are gone
    assert any("on new data. Stateful training is also known as" in text for text in texts)
    assert any("is $86.61. The acquisition cost for Lyft" in text for text in texts)
    # the shorter copy of a quote inside a longer one became one note: the longer
    assert sum("Data leakage refers to the phenomenon" in text for text in texts) == 1
    assert any(text.startswith("Both of these are examples of data leakage.") for text in texts)
    # a quote without its closing asterisk, and one with it before the full stop
    assert any(text.endswith("Designing Data-Intensive Applications") for text in texts)
    assert any(text.endswith("model selection, training, and evaluation.") for text in texts)


@pytest.mark.sample
def test_sample_headings_come_out_with_their_emoji() -> None:
    source = read_source(SAMPLE)
    assert "# 🚀 The Book in 3 Sentences" in source.body
    assert "# 🎨 Impressions" in source.body
    assert "# ✍️ My Top  Quotes" in source.body


@pytest.mark.sample
def test_sample_tags_are_read_from_a_yaml_list_with_a_hash() -> None:
    book = read_book(read_source(SAMPLE))
    assert book.tags == ("books", "machine-learning", "data-science", "data-engineering",
                         "system-architecture", "mlops", "non-fiction")


def test_frontmatter_keys_in_any_case_and_tags_in_every_shape() -> None:
    book = book_of("---\nTitle: Dune\nAUTHOR: Frank Herbert\nTags: \"books, sci-fi\"\n---\n")
    assert (book.title, book.author, book.tags) == ("Dune", "Frank Herbert", ("books", "sci-fi"))
    book = book_of("---\ntags: [\"#books\", thinking/mental-models]\n---\n# Heading Title\n")
    assert book.title == "Heading Title"
    assert book.tags == ("books", "thinking/mental-models")
    book = book_of("---\ntags:\n---\nno heading here\n", name="notes/My Book.md")
    assert book.title == "My Book" and book.tags == ()


def test_invalid_or_list_frontmatter_is_a_warning_and_quotes_still_count() -> None:
    body = "# Book\n## Quotes\n- *A quote that still counts here.*\n"
    book = book_of("---\ntitle: [unclosed\n---\n" + body)
    assert [q.text for q in book.quotes] == ["A quote that still counts here."]
    assert any(p.level == "warning" and "not valid YAML" in p.message and p.line
               for p in book.problems)
    book = book_of("---\n- a\n- b\n---\n" + body)
    assert len(book.quotes) == 1
    assert any("not key: value" in p.message for p in book.problems)


def test_readwise_export_locations_notes_and_tags() -> None:
    book = read_book(read_source(NOTES / "The Wealth of Nations.md"))
    assert book.title == "The Wealth of Nations"
    assert book.author == "Adam Smith"
    assert set(book.tags) >= {"books", "economics", "classics"}
    assert len(book.quotes) == 10
    assert not any("Location" in q.text or "readwise.io" in q.text for q in book.quotes)
    butcher = next(q for q in book.quotes if "butcher" in q.text)
    assert butcher.comment.startswith("The most quoted line of the book")
    assert butcher.tags == ("self-interest", "favorite")
    assert not any("Summary" in q.text for q in book.quotes)


def test_callouts_blockquotes_glossary_and_own_notes() -> None:
    book = read_book(read_source(NOTES / "The Art of War.md"))
    texts = [q.text for q in book.quotes]
    assert "All warfare is based on deception." in texts[0]
    assert book.quotes[0].section == "Chapter 1, Laying Plans"
    assert any(t.startswith("If you know the enemy") for t in texts)
    assert not any("org design" in t for t in texts)  # a [!note] callout is the reader's
    assert not any("reader's own words" in t for t in texts)
    assert not any("Giles translation" in t for t in texts)
    assert [d.term for d in book.definitions] == ["Moral Law", "Heaven", "Earth",
                                                   "Method and discipline"]
    victory = next(q for q in book.quotes if "victory" in q.text)
    assert [victory.text[m.start:m.end] for m in victory.marks] == ["victory"]
    assert book.tags == ("books", "strategy", "thinking/mental-models")


def test_duplicate_quotes_merge_into_the_longer(tmp_path: Path) -> None:
    book = read_book(read_source(NOTES / "On the Origin of Species.md"))
    texts = [q.text for q in book.quotes]
    start = "Natural selection can act only by the preservation"
    assert sum(t.startswith(start) for t in texts) == 1
    assert any(t.endswith("each profitable to the preserved being") for t in texts)


@pytest.mark.sample
def test_quotes_come_with_their_line_numbers() -> None:
    book = read_book(read_source(SAMPLE))
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    for quote in book.quotes:
        assert lines[quote.line - 1].startswith("- *")
