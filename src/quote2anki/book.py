"""A book from one note: its title, author and tags, and the highlights the walker found.

The title is the frontmatter's ``title``, else the note's title heading (the first ``# H1``, when
no other heading comes before it and it is not a section name such as ``# Highlights``), else a
``Full Title`` or ``Title`` in the note's metadata, else the Kindle plugin's
``kindle-sync: title``, else the file name. A long subtitle (``Title: Subtitle``, the subtitle
three words or more) is kept apart: decks are named by the title, the Source field shows both.

The author is the book's, not the note-taker's: an export's own record (a ``## Metadata``
section, ``author::`` properties) wins over the frontmatter, and a name with an e-mail address
(``Jimmy Doe <jimmy@example.com>``: a note-taker's signature), an e-mail address, ``[[None]]``
or an empty link is no author. Tags come from the frontmatter, the metadata section or
``key:: value`` lines, in that order.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from .blocks import Collector
from .dedupe import merge_duplicates
from .limits import MAX_TITLE, capped
from .model import Book, Problem
from .names import unreversed
from .notekind import Evidence, Selection, classify, folders_of, looks_like_template
from .reader import Source, meta_tags, meta_text
from .sections import clean_heading
from .titles import clean_title, file_title, split_byline, split_subtitle, without_note_words
from .walker import walk

# obsidian-spaced-repetition reads cards only in notes tagged #flashcards (or #flashcards/deck).
_CARDS_TAG = re.compile(r"(?<![^\s(])#flashcards(?:/[\w-]+)*(?![\w/-])", re.I)


_EVERY_BOOK_NOTE = Selection()


def read_book(source: Source, *, selection: Selection = _EVERY_BOOK_NOTE,
              relative: str | None = None, named: bool = False) -> Book:
    """The book one note describes: title, author, tags, quotes, the reader's flashcards and
    glossary definitions.

    A note that is not a book note (see :mod:`quote2anki.notekind`) comes back with
    ``kind="other"`` and no quotes, definitions or flashcards: a daily note's blockquote never
    becomes a card. ``relative`` is the note's path from the folder the user gave (for the
    books-folder rule); without it, every folder of ``source.path`` counts. ``named`` says the
    user gave this file by name (not a folder holding it), which makes it a book note.
    """
    front = source.meta
    stem = file_title(PurePath(source.path).stem)
    front_tags = [tag for key in ("tags", "tag") for tag in meta_tags(front.get(key))]
    cards_note = (any(_CARDS_TAG.fullmatch("#" + tag) for tag in front_tags)
                  or _CARDS_TAG.search(source.body[:2_000_000]) is not None)
    collector = walk(source.body, source.path, source.body_line,
                     (meta_text(front.get("title")), stem), cards_note)
    nested: dict[str, Any] = {}
    for value in front.values():  # kindle-sync: {title: ..., author: ...}
        if isinstance(value, dict):
            for key, item in value.items():
                nested.setdefault(key, item)
    found = collector.meta
    title = _first_text(front.get("title"), collector.first_h1, found.get("full title"),
                        found.get("title"), nested.get("title"), front.get("full title"), stem)
    author = _first_author(*(where.get(key) for where in (found, front, nested)
                             for key in _AUTHOR_KEYS), collector.byline)
    names_author = bool(author)
    meta: dict[str, Any] = {**nested, **found, **front}
    tags = [tag for key in ("tags", "tag", "category", "document tags") for tag in
            meta_tags(meta.get(key))]
    problems = list(source.problems) + collector.problems
    quotes = merge_duplicates(collector.quotes, contained=not collector.signals["located"])
    tags = capped(tags, source.path, None, problems)
    known = (stem, meta_text(front.get("title")))
    title = without_note_words(title, known) or title
    title, byline = split_byline(title, author, known)
    title = without_note_words(title, known) or title
    author = author or byline or _signed_by(collector)
    title, subtitle = split_subtitle(_bounded(title, "title", source.path, problems))
    author = _bounded(author, "author", source.path, problems)
    evidence = Evidence(
        frontmatter=front,
        tags=tags,
        folders=folders_of(relative if relative is not None else source.path),
        quotes_section=collector.signals["quotes section"] > 0,
        located=collector.signals["located"],
        export_metadata=bool({"full title", "category"} & found.keys()),
        glossary=bool(collector.definitions),
        template=looks_like_template(source.body),
        named=named,
        author=names_author,
    )
    kind, why = classify(evidence, selection)
    flashcards = tuple(collector.flashcards)
    definitions = tuple(collector.definitions)
    if kind == "other":
        quotes, definitions, flashcards = [], (), ()
        problems = [p for p in problems if p.level == "error" or "frontmatter" in p.message
                    or "UTF-8" in p.message]
    elif source.body.strip() and not quotes and not definitions and not flashcards:
        problems.append(Problem(source.path, None, "warning",
                                "no quotes or definitions found: quotes are read from bullets "
                                "under a heading such as 'Quotes' or 'Highlights', and from "
                                "> blockquotes anywhere"))
    elif not source.body.strip() and not any(p.level == "error" for p in problems):
        problems.append(Problem(source.path, None, "warning",
                                "note has frontmatter but no text; nothing to make cards from"
                                if source.body_line > 1 else "note is empty"))
    return Book(
        path=source.path,
        title=title,
        author=author,
        tags=tuple(dict.fromkeys(tags)),
        quotes=tuple(quotes),
        definitions=definitions,
        problems=tuple(problems),
        flashcards=flashcards,
        subtitle=subtitle,
        category=category_of(meta.get("category")),
        kind=kind,
        why=why,
        repairs=source.repairs,
    )


_AUTHOR_KEYS = ("author", "authors", "by", "book author", "book authors", "writer", "creator",
                "creators", "autor", "auteur", "autore", "作者", "著者")
"""Frontmatter and metadata keys that name the book's author, in the words templates use."""


def _signed_by(collector: Collector) -> str:
    """The author every signed quote names (``> ... — Ines Marrow``), when two or more are
    signed, all by one person, and they are most of the note's quotes."""
    signed = collector.signatures
    if len(signed) != 1:
        return ""
    name, count = next(iter(signed.items()))
    return name if count >= 2 and 2 * count >= len(collector.quotes) else ""


def _first_text(*values: Any) -> str:
    """The first value that reads as non-empty text, as a clean one-line heading."""
    for value in values:
        text = without_note_words(clean_title(meta_text(value)))
        if text:
            return text
    return ""


_NOT_A_NAME = re.compile(
    r"^(?:none|null|nil|n/?a|unknown|author|anonymous\?|-+|\?+|tbd|blinkist|readwise|kindle|"
    r"medium|substack|instapaper|pocket|omnivore|matter|reader|youtube|twitter|x|goodreads|"
    r"audible|libby|google books|apple books|koreader|weread|微信读书)$", re.I)
"""Values an author field holds that name no author: placeholders, and the services a summary or
an article came through (Readwise files a Blinkist summary under the author "Blinkist")."""
_BY_PREFIX = re.compile(r"^(?:written\s+)?by\s+(?=\S)", re.I)
_ROLE = re.compile(r"\s*\((?:author|authors|editor|editors|ed\.|eds\.)\)", re.I)
"""``(Author)`` after a name, as a bookshop's page shows it when copied."""
_EMAIL = re.compile(r"[\w.+=-]+@[\w-]+(?:\.[\w-]+)+")


def clean_author(value: Any) -> str:
    """An author's name, or ``""`` when the value names no author.

    >>> clean_author("[[Robert C. Martin]]\\\\")
    'Robert C. Martin'
    >>> [clean_author(v) for v in ["[[None]]", "hello=news.example@mg.example.to", "n/a"]]
    ['', '', '']
    >>> clean_author("Jimmy Doe <jimmy@example.com>")
    ''
    >>> clean_author(["Gabriel Weinberg", "[[Lauren McCann]]"])
    'Gabriel Weinberg, Lauren McCann'
    >>> clean_author("[[@Mira Kestrel]]"), clean_author("[[Blinkist]]")
    ('Mira Kestrel', '')
    >>> clean_author("by Mira Kestrel"), clean_author("Mira Kestrel (Author)")
    ('Mira Kestrel', 'Mira Kestrel')
    >>> clean_author("Written by Mira Kestrel."), clean_author("Mira J. Kestrel Jr.")
    ('Mira Kestrel', 'Mira J. Kestrel Jr.')
    """
    text = clean_heading(meta_text(value)).rstrip("\\").strip().strip("\"'“”").strip()
    text = _ROLE.sub("", _BY_PREFIX.sub("", text)).strip()
    text = ", ".join(part.strip().lstrip("@").strip() for part in text.split(", "))
    if text.endswith(".") and not re.search(r"(?:^|[\s.])(?:\w|jr|sr|ph\.?d|esq|md)\.$", text,
                                            re.I):
        text = text[:-1].rstrip()  # "Written by Mira Kestrel." ends a sentence; "Jr." stays
    if not text or _NOT_A_NAME.match(text) or _EMAIL.search(text):
        return ""
    return unreversed(text)


def _first_author(*values: Any) -> str:
    for value in values:
        text = clean_author(value)
        if text:
            return text
    return ""


_CATEGORY_PLURALS = {"book": "books", "article": "articles", "podcast": "podcasts",
                     "tweet": "tweets", "video": "videos", "supplemental": "supplementals",
                     "email": "emails", "pdf": "pdfs", "epub": "epubs"}


def category_of(value: Any) -> str:
    """An export's category (Readwise's ``Category: #articles``) as one lower-case word.

    >>> [category_of(v) for v in ["#articles", "[[Podcasts]]", "#Type/Highlight/Book", None]]
    ['articles', 'podcasts', 'books', '']
    """
    text = meta_text(value).strip().lstrip("#").strip()
    if not text or "," in text:
        return ""
    word = text.split("/")[-1].strip().casefold()
    return _CATEGORY_PLURALS.get(word, word) if re.fullmatch(r"[\w-]{1,40}", word) else ""


def _bounded(text: str, what: str, path: str, problems: list[Problem]) -> str:
    if len(text) <= MAX_TITLE:
        return text
    problems.append(Problem(path, None, "warning",
                            f"{what} is longer than {MAX_TITLE} characters; cut to its first "
                            f"{MAX_TITLE}"))
    return text[:MAX_TITLE].rstrip()
