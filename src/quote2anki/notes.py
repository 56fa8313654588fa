"""Making Anki notes of an extracted book: fields, gaps, tags and GUIDs.

A note's GUID is how Anki recognises it on re-import, so it comes from what identifies a quote
(its book and its words, :func:`~quote2anki.identity.guid_for`), never from a path, a position
or a time. Notes leave here without a deck: which deck a book gets depends on the other books
(two can share a title), so :mod:`quote2anki.decks` settles it once all are read.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache, lru_cache
from typing import Any

from . import cloze
from .fields import card_numbers, escape, render, source_field
from .identity import book_key, guid_for
from .model import Book, Definition, Gap, Mark, Note, Problem, Quote
from .text import fingerprint

BASE_TAG = "quote2anki"
DEFINITION_TAG = "quote2anki::definition"
OWN_TAGS = "quote2anki::tag"
"""Where a note's own tag that falls inside quote2anki's namespace goes (``quote2anki/removed``
in a frontmatter must not make a live note look removed)."""


def anki_tag(tag: str) -> str:
    """A frontmatter tag as a valid Anki tag: ``/`` nests, spaces and stray colons cannot.

    >>> [anki_tag(t) for t in ["thinking/mental-models", "machine learning", "a::b", "#x"]]
    ['thinking::mental-models', 'machine_learning', 'a_b', 'x']

    Tags under ``quote2anki::`` are quote2anki's own (``quote2anki::removed`` finds the notes to
    delete); a note's tag there moves under ``quote2anki::tag``:

    >>> anki_tag("quote2anki/removed"), anki_tag("quote2anki")
    ('quote2anki::tag::removed', 'quote2anki')
    """
    tag = tag.strip().lstrip("#")
    tag = re.sub(r"\s+", "_", tag)
    tag = re.sub(r":+", "_", tag)
    tag = re.sub(r"[\"]", "", tag)
    parts = [part.strip("_") for part in tag.split("/")]
    tag = "::".join(part for part in parts if part)
    if tag.casefold().startswith(BASE_TAG + "::"):
        tag = f"{OWN_TAGS}::{tag[len(BASE_TAG) + 2:]}"
    return tag


def merge_notes(per_book: Iterable[Iterable[Note]]) -> tuple[list[Note], list[Problem]]:
    """The notes of all books in order, each GUID once (the first wins, the others are named)."""
    notes: list[Note] = []
    problems: list[Problem] = []
    seen: dict[str, Note] = {}
    for book in per_book:
        for note in book:
            other = seen.get(note.guid)
            if other is not None:
                problems.append(Problem(note.path, note.line, "warning",
                                        f"same {note.kind} as {other.location}; kept once"))
                continue
            seen[note.guid] = note
            notes.append(note)
    return notes, problems


def book_notes(book: Book) -> Iterable[Note]:
    """The notes of one extracted book: its quotes in order, then its definitions."""
    tags = tuple(dict.fromkeys([*(t for t in (anki_tag(tag) for tag in book.tags) if t),
                                BASE_TAG]))
    key = book_key(book.title)
    topic = topic_words(book)
    for quote in book.quotes:
        yield _quote_note(book, tags, key, topic, quote)
    for definition in book.definitions:
        yield _definition_note(book, tags, key, definition)


def topic_words(book: Book) -> frozenset[str]:
    """Words of the book's title: context on every card of the book, not something to recall.

    >>> sorted(topic_words(Book(path="x.md", title="Designing Machine Learning Systems")))
    ['designing', 'dm', 'learning', 'ls', 'machine', 'ml', 'system', 'systems']
    """
    return _title_words(book.title)


@lru_cache(maxsize=1024)
def _title_words(title: str) -> frozenset[str]:
    words = {word.lower() for word in re.findall(r"[^\W\d_]+", title) if len(word) > 2}
    words |= {word[:-1] for word in words if word.endswith("s")}
    initials = "".join(word[0] for word in re.findall(r"[A-Z][a-z]+", title))
    words |= {initials[i : i + 2].lower() for i in range(len(initials) - 1)}
    return frozenset(words)


def _note(book: Book, kind: str, guid: str, words: str, gaps: tuple[Gap, ...], extra: str,
          section: str, tags: tuple[str, ...], line: int, term: str | None = None,
          aliases: tuple[str, ...] = ()) -> Note:
    return Note(kind="definition" if kind == "definition" else "quote", guid=guid,
                book=book.title, deck="", text=render(words, gaps), extra=extra,
                source=source_field(book.title, book.author, section), tags=tags,
                path=book.path, line=line, words=words, gaps=gaps, cards=card_numbers(gaps),
                term=term, aliases=aliases)


@cache
def _chooser_keeps() -> bool:
    """Whether this version's gap chooser takes the phrases of a quote's previous version."""
    return "keep" in inspect.signature(cloze.choose).parameters


def chooser_keeps() -> bool:
    """Whether choosing a note's gaps again with the previous version's phrases can change
    anything (the gap chooser takes them)."""
    return _chooser_keeps()


def quote_gaps(text: str, marks: Sequence[Mark], terms: Sequence[Any], topic: frozenset[str],
               keep: Sequence[str] | None = None) -> tuple[Gap, ...]:
    """The gaps of one quote; ``keep`` holds the phrases its previous version hid (one per
    cloze number, in number order), which the chooser keeps where it can, so a fixed typo or a
    reworded quote does not change what its studied cards ask."""
    choose: Any = cloze.choose
    if keep is not None and _chooser_keeps():
        return tuple(choose(text, marks, terms, topic, keep=tuple(keep)))
    return tuple(choose(text, marks, terms, topic))


def regap(note: Note, marks: Sequence[Mark], terms: Sequence[Any], keep: Sequence[str]) -> Note:
    """A quote note with its gaps chosen again, keeping ``keep`` (see :func:`quote_gaps`)."""
    gaps = quote_gaps(note.words, marks, terms, _title_words(note.book), keep)
    if gaps == note.gaps:
        return note
    return replace(note, text=render(note.words, gaps), gaps=gaps, cards=card_numbers(gaps))


def _quote_note(book: Book, tags: tuple[str, ...], key: str, topic: frozenset[str],
                quote: Quote, keep: Sequence[str] | None = None) -> Note:
    gaps = quote_gaps(quote.text, quote.marks, quote.terms, topic, keep)
    own = tuple(t for t in (anki_tag(tag) for tag in quote.tags) if t)
    quote_tags = tuple(dict.fromkeys(tags + own)) if own else tags  # shared when no own tags
    return _note(book, "quote", guid_for("quote", key, fingerprint(quote.text)), quote.text,
                 gaps, escape(quote.comment), quote.section, quote_tags, quote.line)


def _definition_note(book: Book, tags: tuple[str, ...], key: str,
                     definition: Definition) -> Note:
    # an alias the definition itself mentions is a clue to the term, not part of the answer
    aliases = tuple(a for a in definition.aliases if not re.search(
        rf"(?<![\w-]){re.escape(a)}(?![\w-])", definition.definition, re.I))
    names = " / ".join((definition.term, *aliases))
    body = f"{names}: {definition.definition}"
    gaps = [Gap(0, len(names), 1, definition.hint)]
    for name in (definition.term, *aliases):
        # the term inside its own definition would give the answer away: hide it there too
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I)
        for match in pattern.finditer(body, len(names)):
            if not any(g.start < match.end() and match.start() < g.end for g in gaps):
                gaps.append(Gap(match.start(), match.end(), 1))
    context = definition.context
    extra = escape(context) if context and context != definition.definition else ""
    return _note(book, "definition", guid_for("definition", key, fingerprint(definition.term)),
                 body, tuple(sorted(gaps, key=lambda g: g.start)), extra, definition.section,
                 (*tags, DEFINITION_TAG), definition.line, definition.term, aliases)
