"""Lines that say something about the book rather than quote it: metadata, bylines, glossaries.

``## Metadata`` sections, ``Key: value`` lines at the top of a note or in an info callout, a
document's ``by Name`` byline, and glossary lines (``**Term:** definition``) in a glossary
section or among the reader's bullets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.tree import SyntaxTreeNode

from .blocks import LISTS, Collector, block_text, item_text, sub_items
from .definitions import glossary_line, is_cross_reference, parse_glossary_line
from .exports import property_line
from .flashcards import Line
from .highlights import strip_wrapper
from .inline import parse_inline
from .limits import MAX_CHARS
from .model import Definition, Problem
from .names import looks_like_name
from .reader import meta_key
from .sections import exact_kind, section_kind
from .text import fingerprint, squash_spaces


def glossary_items(item: SyntaxTreeNode, section: str, out: Collector) -> bool:
    """Glossary lines among the reader's own bullets (``- **Term:** definition``), nested ones
    too; True when the item itself is one (its sub-items are looked at either way)."""
    found = glossary_definition(item_text(item), out.line(item), section, out)
    for sub in sub_items(item):
        glossary_items(sub, section, out)
    return found


def glossary_definition(text: str, line: int, section: str, out: Collector) -> bool:
    """A definition of a glossary line standing among other text (the reader's bullets, a
    highlight that is one); metadata and properties never count (see ``glossary_line``)."""
    found = glossary_line(text) if len(text) <= MAX_CHARS else None
    if found is None:
        return False
    term, definition, aliases = found
    # (no "glossary line" signal: a line like this among the reader's words does not make a
    # daily note a book note; only a glossary section does)
    out.definitions.append(Definition(term, definition, "", line, section, aliases))
    return True


def read_byline(lines: Sequence[Line], out: Collector) -> None:
    """``by Name`` (or ``by [Name](url)``, ``*by Name*``) alone on a line near the top: a
    document's author."""
    if out.byline or not lines or lines[0][0] - out.offset > 60:
        return
    for _, text in lines:
        if out.first_h1 and (name := byline_name(text, out.first_h1)):
            out.byline = name  # "**Title** by **Author**" under the title heading
            return
        match = _BYLINE.match(squash_spaces(parse_inline(text)[0])) if _BY.search(text) else None
        if match:
            name = match["name"].strip()
            if 2 <= len(name) <= 80 and "@" not in name and len(name.split()) <= 8:
                out.byline = name
                return


def byline_name(text: str, title: str = "") -> str:
    """The name a byline gives (``by Name``, or ``Title by Name`` for the book's ``title``),
    when it reads as a person's name; else ``""``.

    >>> byline_name("by Ines Marrow"), byline_name("Tallow by Ines Marrow", "Tallow")
    ('Ines Marrow', 'Ines Marrow')
    >>> byline_name("by the sea"), byline_name("Stand by Me", "Tallow")
    ('', '')
    """
    text = squash_spaces(parse_inline(text)[0]).strip()
    match = _BYLINE.match(text)
    if match is None and title:
        head, sep, name = text.rpartition(" by ")
        if sep and fingerprint(head) == fingerprint(title):
            match = _BYLINE.match(f"by {name}")
    if match is None:
        return ""
    name = match["name"].strip().rstrip(".")
    return name if looks_like_name(name) else ""


_BY = re.compile(r"\b(?:by|von|por|par)\s", re.I)
_BYLINE = re.compile(r"^\s*(?:by|written by|von|por|par)\s+(?P<name>[^\n]{2,3000})$", re.I)


def read_name_line(lines: Sequence[Line], out: Collector) -> bool:
    """A line that is only a name in bold or italics right under the book's title heading
    (``# Title`` then ``**Author**``, as WeRead and many templates write it): the author. True
    if it was read as such."""
    if out.byline or len(lines) != 1:
        return False
    match = _EMPHASIS_LINE.match(lines[0][1])
    if match is None:
        return False
    name = squash_spaces(parse_inline(match["name"])[0])
    name = re.sub(r"^(?:by|written by|von|por|par)\s+", "", name, flags=re.I)
    if not looks_like_name(name) or exact_kind(name) or section_kind(name):
        return False
    out.byline = name
    return True


_EMPHASIS_LINE = re.compile(r"^\s*(\*\*|__|\*|_)(?P<name>[^*_\n]{2,120})\1\s*$")


INFO_CALLOUTS = frozenset({"info", "abstract", "summary", "tldr", "meta", "metadata", "note"})


_KEY_LINE = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<key>[^\W\d_][\w .-]{0,24}?)\s*"
                       r"(?:\*\*|__)?\s*[:：]{1,2}(?:\*\*|__)?\s*(?P<value>\S.{0,500})$")


_METADATA_WORDS = frozenset(
    "author, authors, by, title, full title, book title, subtitle, source, category, tags, url, "
    "link, isbn, published, publisher, rating, my rating, pages, genre, date, date read, status, "
    "type, year, series, translator, 作者, 著者, 书名, 書名, 出版社, 译者, 訳者, book author, "
    "writer, written by, autor, autora, autores, autorin, auteur, autore, titel, titre, título, "
    "titolo".split(", "))


def key_lines(lines: Sequence[str], out: Collector) -> bool:
    """``Key: value`` lines at the top of a note (``**Author:** Name``, ``Tags: #books``) or in
    an info callout: metadata, when every non-empty line is one and a key says author, title,
    source or the like. True if they were read as such."""
    pairs: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            continue
        match = _KEY_LINE.match(line.rstrip().rstrip("\\").rstrip())
        if match is None:
            return False
        pairs.append((meta_key(match["key"].strip("*_ ")), match["value"].strip().rstrip("\\")))
    if not pairs or not any(key in _METADATA_WORDS for key, _ in pairs):
        return False
    for key, value in pairs:
        key = _KEY_ALIASES.get(key, key)
        value = _NEXT_FIELD.sub("", value)
        if value.strip("*_ "):
            out.meta.setdefault(key, value.strip().strip("*_").strip())
            out.signals["metadata line"] += 1
    return True


_KEY_ALIASES = {"作者": "author", "著者": "author", "书名": "title", "書名": "title",
                "book title": "title", "book author": "author", "writer": "author",
                "written by": "author", "autor": "author", "autora": "author",
                "autores": "author", "autorin": "author", "auteur": "author", "autore": "author",
                "titel": "title", "titre": "title", "título": "title", "titolo": "title"}
"""Keys that name the author or title in other words or languages (``**Autor:** Name``)."""
_NEXT_FIELD = re.compile(r"\s+[|·•]\s+(?:\*\*|__)?[^\W\d_][\w .-]{0,24}(?:\*\*|__)?\s*[:：].*$")
"""``Author: Name | Published: 2019``: the next field on the same line."""


def add_glossary_line(
    raw: str, nested: list[str], line: int, section: str, out: Collector
) -> None:
    if not raw.strip() or is_cross_reference(raw):
        return  # "See also: [[Evidence]]" points elsewhere; it defines nothing
    pair = property_line(raw)
    if pair is not None and glossary_line(raw) is None:
        out.meta.setdefault(meta_key(pair[0]), pair[1])
        return  # a Logseq property ("id:: 64f1...", "deck:: Books") is metadata, not a term
    if len(raw) + sum(len(part) for part in nested) > MAX_CHARS:
        out.problems.append(Problem(out.path, line, "warning",
                                    f"glossary entry is more than {MAX_CHARS} characters long: "
                                    "too long for a card; skipped"))
        return
    found = parse_glossary_line(raw)
    if found is None and nested:
        term = squash_spaces(parse_inline(strip_wrapper(raw))[0]).rstrip(":")
        definition = squash_spaces(parse_inline(" ".join(nested))[0])
        found = (term, definition, ()) if term and definition else None
    if found is None:
        out.problems.append(Problem(out.path, line, "warning",
                                    "not a glossary line; write it as 'Term: definition', "
                                    "'**Term**: definition' or 'Term — definition'"))
        return
    term, definition, aliases = found
    out.signals["glossary line"] += 1
    # a glossary line is its own context: the card's back has nothing more to show
    out.definitions.append(Definition(term, definition, "", line, section, aliases))


def metadata_block(node: SyntaxTreeNode, out: Collector) -> None:
    """A ``## Metadata`` section: Readwise's ``- Author: [[Name]]`` and ``- Category: #books``,
    Dataview's ``- Author:: Name``, or the Kindle plugin's table ``| **Author** | [Name](url) |``.
    """
    items = node.children if node.type in LISTS else [node]
    for item in items:
        text = item_text(item) if item.type == "list_item" else block_text(item)
        for line in text.split("\n"):
            if line.lstrip().startswith("|"):
                key, _, value = line.strip().strip("|").partition("|")
            else:
                key, sep, value = line.partition(":")
                if not sep:
                    continue
                value = value.lstrip(":")
            key = meta_key(key.strip().strip("*_ "))
            value = value.strip().strip("|").strip()
            if key and value and key.strip("-: "):
                out.meta.setdefault(key, value)
                out.signals["metadata line"] += 1
