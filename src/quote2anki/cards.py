"""Turning books into Anki notes: fields, tags, decks and GUIDs.

A GUID is how Anki recognises a note on re-import, so it is derived from what identifies a
quote (its book and its words), never from a file path, a position or a timestamp.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from . import cloze
from .definitions import Found, find_definitions
from .model import Book, Definition, Note, Problem, Quote
from .text import fingerprint

BASE_TAG = "quote2anki"
DEFINITION_TAG = "quote2anki::definition"
DEFAULT_DECK_PREFIX = "Books"

_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


def guid_for(*parts: str) -> str:
    """A GUID in Anki's own style (base91 of 64 bits), stable for the same ``parts``.

    >>> guid_for("quote", "book", "some text") == guid_for("quote", "book", "some text")
    True
    >>> len(guid_for("x"))
    10
    """
    digest = hashlib.sha256("\x1f".join(("quote2anki", *parts)).encode("utf-8")).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    while number:
        number, remainder = divmod(number, len(_BASE91))
        chars.append(_BASE91[remainder])
    return "".join(reversed(chars)).rjust(10, _BASE91[0])


def anki_tag(tag: str) -> str:
    """A frontmatter tag as a valid Anki tag: ``/`` nests, spaces and stray colons cannot.

    >>> [anki_tag(t) for t in ["thinking/mental-models", "machine learning", "a::b", "#x"]]
    ['thinking::mental-models', 'machine_learning', 'a_b', 'x']
    """
    tag = tag.strip().lstrip("#")
    tag = re.sub(r"\s+", "_", tag)
    tag = re.sub(r":+", "_", tag)
    tag = re.sub(r"[\"]", "", tag)
    parts = [part.strip("_") for part in tag.split("/")]
    return "::".join(part for part in parts if part)


def deck_name(prefix: str, title: str) -> str:
    """``Books::<Title>``; a ``::`` in a title cannot add a level by accident.

    >>> deck_name("Books", "C++: The Good Parts::2nd ed")
    'Books::C++: The Good Parts: 2nd ed'
    """
    title = re.sub(r"\s*::+\s*", ": ", title).strip() or "Untitled"
    parts = [re.sub(r"\s*::+\s*", ": ", part).strip() for part in prefix.split("::")]
    return "::".join([part for part in parts if part] + [title])


def source_field(book: Book, section: str) -> str:
    return _source_field(book.title, book.author, section)


@lru_cache(maxsize=4096)
def _source_field(title: str, author: str, section: str) -> str:
    """One string per book and section, shared by all its notes (a big vault holds many)."""
    parts = [f"<span class=title>{cloze.escape(title)}</span>"]
    if author:
        parts.append(f"<span class=author>{cloze.escape(author)}</span>")
    if section:
        parts.append(f"<span class=section>{cloze.escape(section)}</span>")
    return " · ".join(parts)


def book_key(book: Book) -> str:
    return fingerprint(book.title)


def make_notes(books: Sequence[Book], prefix: str = DEFAULT_DECK_PREFIX) -> tuple[list[Note],
                                                                                  list[Problem]]:
    """Every note the build writes, with problems such as the same quote in two files."""
    return merge_notes(list(book_notes(book, prefix)) for book in books)


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


def book_notes(book: Book, prefix: str = DEFAULT_DECK_PREFIX) -> Iterable[Note]:
    deck = deck_name(prefix, book.title)
    tags = tuple(dict.fromkeys([*(t for t in (anki_tag(tag) for tag in book.tags) if t),
                                BASE_TAG]))
    key = book_key(book)
    defined: set[str] = set()
    definitions: list[Note] = []
    glossary_hints = set_hints([d.term for d in book.definitions])
    for definition in book.definitions:
        if definition.term.casefold() not in defined:
            defined.add(definition.term.casefold())
            definitions.append(_definition_note(book, deck, tags, key, definition, "",
                                                glossary_hints.get(definition.term)))
    for quote in book.quotes:
        found = find_definitions(quote.text) if not quote.marks else ()
        hints = set_hints([item.term for item in found])
        yield _quote_note(book, deck, tags, key, quote, found, hints)
        for item in found:
            names = {name.casefold() for name in (item.term, *item.aliases)}
            if names & defined:
                continue  # one note per term per book: the first definition read wins
            defined |= names
            definition = Definition(item.term, item.definition, quote.text, quote.line,
                                    quote.section, item.aliases)
            definitions.append(_definition_note(book, deck, tags, key, definition, quote.text,
                                                hints.get(item.term)))
    yield from definitions


def set_hints(terms: Sequence[str]) -> dict[str, str]:
    """Hints for terms that belong to a set defined together: the shared head word.

    "Convenience sampling", "Snowball sampling" and "Quota sampling" defined side by side are
    confusable; the hint "sampling" says which set the gap belongs to without giving it away.

    >>> set_hints(["Covariate shift", "Label shift", "Concept drift"])
    {'Covariate shift': 'shift', 'Label shift': 'shift'}
    """
    heads = Counter(term.split()[-1].casefold() for term in terms if len(term.split()) > 1)
    return {term: term.split()[-1].lower() for term in terms
            if len(term.split()) > 1 and heads[term.split()[-1].casefold()] > 1}


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


def term_spans(text: str, found: Sequence[Found], hints: Mapping[str, str] | None = None
               ) -> list[tuple[int, int, str | None]]:
    """Where the defined terms stand in a quote, with an acronym right after a term included:
    "Missing not at random (MNAR)" is one gap, not two."""
    spans = []
    for item in found:
        end = item.end
        for alias in item.aliases:
            if text.startswith(f" ({alias})", end):
                end += len(alias) + 3
        spans.append((item.start, end, (hints or {}).get(item.term)))
    return spans


def _quote_note(book: Book, deck: str, tags: tuple[str, ...], key: str, quote: Quote,
                found: Sequence[Found], hints: Mapping[str, str]) -> Note:
    gaps = cloze.choose(quote.text, quote.marks, term_spans(quote.text, found, hints),
                        topic_words(book))
    own = tuple(t for t in (anki_tag(tag) for tag in quote.tags) if t)
    quote_tags = tuple(dict.fromkeys(tags + own)) if own else tags  # shared when no own tags
    return Note(
        kind="quote",
        guid=guid_for("quote", key, fingerprint(quote.text)),
        book=book.title,
        deck=deck,
        text=cloze.render(quote.text, gaps),
        extra=cloze.escape(quote.comment),
        source=source_field(book, quote.section),
        tags=quote_tags,
        path=book.path,
        line=quote.line,
    )


def _definition_note(book: Book, deck: str, tags: tuple[str, ...], key: str,
                     definition: Definition, context: str, hint: str | None = None) -> Note:
    # an alias the definition itself mentions is a clue to the term, not part of the answer
    aliases = [a for a in definition.aliases
               if not re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", definition.definition, re.I)]
    names = " / ".join((definition.term, *aliases))
    body = f"{names}: {definition.definition}"
    gaps = [cloze.Cloze(0, len(names), 1, hint)]
    for name in (definition.term, *aliases):
        # the term inside its own definition would give the answer away: hide it there too
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I)
        for match in pattern.finditer(body, len(names)):
            if not any(g.start < match.end() and match.start() < g.end for g in gaps):
                gaps.append(cloze.Cloze(match.start(), match.end(), 1))
    return Note(
        kind="definition",
        guid=guid_for("definition", key, fingerprint(definition.term)),
        book=book.title,
        deck=deck,
        text=cloze.render(body, gaps),
        extra=cloze.escape(context) if context and context != definition.definition else "",
        source=source_field(book, definition.section),
        tags=(*tags, DEFINITION_TAG),
        path=book.path,
        line=definition.line,
        term=definition.term,
    )
