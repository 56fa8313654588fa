"""Making Anki notes of an extracted book: fields, gaps, tags and GUIDs.

A note's GUID is how Anki recognises it on re-import, so it comes from what identifies a quote
(its book and its words, :func:`~quote2anki.identity.guid_for`), never from a path, a position
or a time. Notes leave here without a deck: which deck a book gets depends on the other books
(two can share a title), so :mod:`quote2anki.decks` settles it once all are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from . import gaps, memo
from .fields import card_numbers, escape, render, rich, source_field
from .identity import book_key, guid_for
from .language import analyse
from .limits import long_enough
from .model import (
    Book,
    Definition,
    Flashcard,
    Gap,
    Kind,
    Mark,
    Media,
    Note,
    Place,
    Problem,
    Quote,
    Span,
    Term,
)
from .rich import protected, shift
from .text import fingerprint

BASE_TAG = "quote2anki"
DEFINITION_TAG = "quote2anki::definition"
FLASHCARD_TAG = "quote2anki::flashcard"
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
    """The notes of one extracted book: its quotes in order, then its definitions, then the
    reader's own flashcards. A note that is not a book note makes none."""
    if book.kind != "book":
        return
    tags = tuple(dict.fromkeys([*(t for t in (anki_tag(tag) for tag in book.tags) if t),
                                BASE_TAG]))
    key = book_key(book.title)
    topic = topic_words(book)
    for quote in book.quotes:
        yield _quote_note(book, tags, key, topic, quote)
    for definition in book.definitions:
        yield _definition_note(book, tags, key, definition)
    for card in book.flashcards:
        yield _flashcard_note(book, tags, key, card)


def topic_words(book: Book) -> frozenset[str]:
    """Words of the book's title: context on every card of the book, not something to recall.

    >>> sorted(topic_words(Book(path="x.md", title="Designing Machine Learning Systems")))
    ['designing', 'dm', 'learning', 'ls', 'machine', 'ml', 'system', 'systems']
    """
    return _title_words(book.full_title)


@lru_cache(maxsize=1024)
def _title_words(title: str) -> frozenset[str]:
    words = {word.lower() for word in re.findall(r"[^\W\d_]+", title) if len(word) > 2}
    words |= {word[:-1] for word in words if word.endswith("s")}
    initials = "".join(word[0] for word in re.findall(r"[A-Z][a-z]+", title))
    words |= {initials[i : i + 2].lower() for i in range(len(initials) - 1)}
    return frozenset(words)


def _note(book: Book, kind: Kind, guid: str, words: str, gaps: tuple[Gap, ...], extra: str,
          section: str, tags: tuple[str, ...], line: int, term: str | None = None,
          aliases: tuple[str, ...] = (), spans: tuple[Span, ...] = (),
          places: tuple[Place, ...] = (), shown: tuple[Span, ...] = (),
          cards: tuple[int, ...] | None = None) -> Note:
    return Note(kind=kind, guid=guid, book=book.full_title, deck="",
                text=render(words, gaps, spans), extra=extra,
                source=source_field(book.full_title, book.author, section, book.link, places),
                tags=tags, path=book.path, line=line, words=words, gaps=gaps,
                cards=card_numbers(gaps) if cards is None else cards, term=term, aliases=aliases,
                spans=spans, media=_media(book, (*spans, *shown)))


def _media(book: Book, spans: tuple[Span, ...]) -> tuple[Media, ...]:
    """The images a note's fields show, each once, in the order they appear."""
    names = dict.fromkeys(span.target for span in spans if span.kind == "image")
    if not names:
        return ()
    files = {media.name: media for media in book.media}
    return tuple(files[name] for name in names if name in files)


def chooser_keeps() -> bool:
    """Whether choosing a note's gaps again with the previous version's phrases can change
    anything (the gap chooser takes them: it does)."""
    return True


def quote_gaps(text: str, marks: Sequence[Mark], terms: Sequence[Term], topic: frozenset[str],
               keep: Sequence[str] | None = None, protected: Sequence[tuple[int, int]] = ()
               ) -> tuple[Gap, ...]:
    """The gaps of one quote; ``keep`` holds the phrases its previous version hid (one per
    cloze number, in number order), which the chooser keeps where it can, so a fixed typo or a
    reworded quote does not change what its studied cards ask; ``protected`` spans (formulas,
    code) are never cut by a gap. A highlight of a word or two (a term looked up) gets no
    automatic gap: hiding it would leave nothing to read."""
    if not marks and not long_enough(text):
        return ()
    kept = tuple((phrase, number) for number, phrase in enumerate(keep or (), start=1))
    spans = tuple((term.start, term.end, term.hint) for term in terms)
    key = (text, tuple(marks), spans, topic, kept, tuple(protected))
    return memo.gaps(key, lambda: gaps.choose(analyse(text), marks=marks, terms=spans,
                                              title_words=topic, keep=kept,
                                              protected=protected))


def regap(note: Note, marks: Sequence[Mark], terms: Sequence[Term], keep: Sequence[str]) -> Note:
    """A quote note with its gaps chosen again, keeping ``keep`` (see :func:`quote_gaps`)."""
    chosen = quote_gaps(note.words, marks, terms, _title_words(note.book), keep,
                        protected(note.spans))
    if chosen == note.gaps or not chosen:
        return note
    tags = tuple(tag for tag in note.tags if tag != WHICH_BOOK_TAG)
    return replace(note, text=render(note.words, chosen, note.spans), gaps=chosen,
                   cards=card_numbers(chosen), tags=tags)


def _quote_note(book: Book, tags: tuple[str, ...], key: str, topic: frozenset[str],
                quote: Quote, keep: Sequence[str] | None = None) -> Note:
    gaps = quote_gaps(quote.text, quote.marks, quote.terms, topic, keep, quote.protected)
    own = tuple(t for t in (anki_tag(tag) for tag in quote.tags) if t)
    quote_tags = tuple(dict.fromkeys(tags + own)) if own else tags  # shared when no own tags
    if not gaps:
        return _which_book(book, key, quote, quote_tags)
    return _note(book, "quote", guid_for("quote", key, fingerprint(quote.text)), quote.text,
                 gaps, rich(quote.comment, quote.comment_spans), quote.section, quote_tags,
                 quote.line, spans=quote.spans, places=quote.places,
                 shown=quote.comment_spans)


WHICH_BOOK_TAG = "quote2anki::which-book"
"""A quote with nothing worth hiding (an aphorism, an anecdote, a list of steps): instead of a
cloze that tests trivia, a card that shows the quote and asks which book (and whose) it is."""


def _which_book(book: Book, key: str, quote: Quote, tags: tuple[str, ...]) -> Note:
    """A quote with nothing worth hiding: a Basic note (see :attr:`Note.fields`) with a GUID of
    its own, so that, should the quote later get a gap (the reader marks one), the cloze is a
    new note, never this one changing its notetype under Anki."""
    return _note(book, "quote", guid_for("which book", key, fingerprint(quote.text)), quote.text,
                 (), rich(quote.comment, quote.comment_spans), quote.section,
                 (*tags, WHICH_BOOK_TAG), quote.line, spans=quote.spans, places=quote.places,
                 shown=quote.comment_spans, cards=(1,))


def _flashcard_note(book: Book, tags: tuple[str, ...], key: str, card: Flashcard) -> Note:
    """The reader's own question and answer as a Basic note: the front is the words, the back
    goes to the second field; a card both ways gets the reverse card too."""
    own = tuple(t for t in (anki_tag(tag) for tag in card.tags) if t)
    note_tags = tuple(dict.fromkeys((*tags, *own, FLASHCARD_TAG)))
    cards = (1, 2) if card.both_ways and card.back else (1,)
    return _note(book, "flashcard", guid_for("flashcard", key, fingerprint(card.front)),
                 card.front, (), escape(card.back), card.section, note_tags, card.line,
                 cards=cards)


def _definition_note(book: Book, tags: tuple[str, ...], key: str,
                     definition: Definition) -> Note:
    # an alias the definition itself mentions is a clue to the term, not part of the answer
    aliases = tuple(a for a in definition.aliases if not re.search(
        rf"(?<![\w-]){re.escape(a)}(?![\w-])", definition.definition, re.I))
    names = " / ".join((definition.term, *aliases))
    body = f"{names}: {definition.definition}"
    spans = shift(definition.spans, len(names) + 2)
    kept = protected(spans)
    gaps = [Gap(0, len(names), 1, definition.hint)]
    for name in (definition.term, *aliases):
        # the term inside its own definition would give the answer away: hide it there too
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I)
        for match in pattern.finditer(body, len(names)):
            if not any(g.start < match.end() and match.start() < g.end for g in gaps) and not any(
                    low < match.end() and match.start() < high for low, high in kept):
                gaps.append(Gap(match.start(), match.end(), 1))
    context = definition.context
    shows_context = bool(context) and context != definition.definition
    extra = rich(context, definition.context_spans) if shows_context else ""
    return _note(book, "definition", guid_for("definition", key, fingerprint(definition.term)),
                 body, tuple(sorted(gaps, key=lambda g: g.start)), extra, definition.section,
                 (*tags, DEFINITION_TAG), definition.line, definition.term, aliases, spans,
                 definition.places, definition.context_spans if shows_context else ())
