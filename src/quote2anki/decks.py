"""Which deck each book's notes go to, decided once, when every book of the vault is known.

A deck is ``<prefix>::<Title>``. Notes with the same title and the same author (or none) are
one book: one deck, spelled as the first of them spells it. Notes with the same title by
different authors are different books: each deck is ``Title (Author)`` while the clash lasts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from .fields import escape
from .identity import book_key
from .model import Book, Problem
from .options import DEFAULT_DECK_PREFIX
from .text import fingerprint


def deck_name(prefix: str, title: str) -> str:
    """``Books::<Title>``; a ``::`` in a title cannot add a level by accident.

    >>> deck_name("Books", "C++: The Good Parts::2nd ed")
    'Books::C++: The Good Parts: 2nd ed'
    """
    title = re.sub(r"\s*::+\s*", ": ", title).strip() or "Untitled"
    parts = [re.sub(r"\s*::+\s*", ": ", part).strip() for part in prefix.split("::")]
    return "::".join([part for part in parts if part] + [title])


def book_decks(books: Sequence[Book],
               prefix: str | Callable[[str], str] = DEFAULT_DECK_PREFIX
               ) -> tuple[dict[str, str], list[Problem]]:
    """The deck of every book (by the path of its note), and an info line for each clash.

    ``prefix`` is the parent deck, or a function giving it for a book's category (articles and
    podcasts can go elsewhere than books).
    """
    parent = prefix if callable(prefix) else (lambda category: prefix)
    groups: dict[str, list[Book]] = {}
    for book in books:
        groups.setdefault(book_key(book.title), []).append(book)
    decks: dict[str, str] = {}
    problems: list[Problem] = []
    for group in groups.values():
        authors: dict[str, str] = {}
        for book in group:
            authors.setdefault(fingerprint(book.author), book.author)
        authors.pop("", None)
        title = group[0].title
        for book in group:
            who = authors.get(fingerprint(book.author)) if len(authors) > 1 else None
            decks[book.path] = deck_name(parent(book.category),
                                         f"{title} ({who})" if who else title)
        if len(group) == 1:
            continue
        for book in group:
            others = ", ".join(other.path for other in group if other is not book)
            how = ("by different authors, so each has its own deck" if len(authors) > 1 else
                   "so they are read as one book")
            problems.append(Problem(book.path, None, "info",
                                    f"also titled {title!r}: {others}; {how} "
                                    f"(this one: {decks[book.path]!r})"))
    return decks, problems


def descriptions(books: Sequence[Book], decks: Mapping[str, str]) -> dict[str, str]:
    """Each deck's description (HTML): the book and its author."""
    out: dict[str, str] = {}
    for book in books:
        by = f" by {book.author}" if book.author else ""
        out.setdefault(decks[book.path],
                       escape(f"Quotes and definitions from {book.full_title}{by}."))
    return out
