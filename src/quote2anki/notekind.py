"""Which notes of a vault are book notes, and which notes a build reads at all.

A vault holds daily notes, meeting notes and templates beside the book notes, and a ``>``
blockquote in a daily note is not a highlight of a book. :func:`classify` decides from what a
note shows, in this order, and says why:

1. the frontmatter's own word: ``quote2anki: true`` (or ``false``);
2. a template (Templater's ``<% ... %>``, ``{{title}}``-style placeholders, a ``Templates``
   folder) is never a book note;
3. a file the user gave by name (``quote2anki build "Dune.md"``) is one: only the notes
   found inside a folder are sorted by the rules below;
4. a highlights or quotes section (``## Highlights``, ``# My Top Quotes``...);
5. an export's located highlights (``([Location 12](https://readwise.io/...))``, Kindle's
   ``— location: [612](kindle://...)``);
6. an export's shape: the Kindle plugin's ``kindle-sync:`` frontmatter, Readwise's
   ``## Metadata`` with ``Category``/``Full Title``;
7. a books tag (``#books``, ``#book``, ``type/book``, ``reading``...) or a book-ish frontmatter
   (``author:``, ``isbn:``, ``type: book``), or an author named in the note itself
   (``Author: Jane Doe``, ``by Jane Doe`` under the title);
8. a books folder (``Books/``, ``Reading/``, ``Readwise/``, ``Kindle/``, ``Highlights/``...);
9. a glossary section with definitions.

Anything else is another kind of note, and nothing in it becomes a card. With ``--tag`` the user
names the tags of their book notes instead: a note is read if it has one of them (or one below
it: ``books`` covers ``books/fiction``), whatever its shape; ``quote2anki: false`` still wins.

Paths are chosen before any of this with ``--include`` and ``--exclude`` globs, relative to the
folder given on the command line (see :func:`path_selected`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath, PurePosixPath
from typing import Any

from .model import BookKind

BOOK_TAGS = frozenset(
    "book books booknote booknotes book-notes book-note reading readinglist reading-notes "
    "literature literature-note literature-notes lit-notes readwise kindle highlights "
    "quotes audiobook audiobooks ebook ebooks nonfiction non-fiction fiction".split())
"""Tags that mark a book note, matched against every level of a tag (``type/book``)."""

BOOK_FOLDERS = frozenset(
    "book books book notes booknotes book-notes reading readings library literature "
    "literature notes readwise kindle highlights kindlehighlights kindle highlights quotes "
    "bookshelf reading notes audiobooks".split(" ")) | frozenset(
    "libros lecturas livros leituras libri letture livres lectures bücher buecher lektüre "
    "boeken böcker 读书 读书笔记 阅读 书摘 讀書 讀書筆記 書籍 読書 読書メモ "
    "読書ノート 독서".split())
"""Folder names (any case, any emoji or number in front) that hold book notes, in the
languages readers write their vaults in."""

TEMPLATE_FOLDERS = frozenset({"template", "templates", "_templates", "templater"})

_TEMPLATER = re.compile(r"<%[-_*~]?\s*(?:tp\.|tR\b|await\b)")
_PLACEHOLDER = re.compile(
    r"\{\{\s*(title|date|time|author|full_title|highlights?|text|location|note|tags|category|"
    r"url|book_title|cover_image_url|source_url|highlight_location|highlight_note|"
    r"highlight_text|highlight_tags)\b[^{}\n]{0,200}\}\}")


@dataclass(frozen=True)
class Selection:
    """What the user asked to read: the CLI's ``--tag``, ``--include``, ``--exclude`` and
    ``--all-notes`` (every note read as a book note)."""

    tags: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    all_notes: bool = False


@dataclass(frozen=True)
class Evidence:
    """What a read of one note found that bears on whether it is a book note."""

    frontmatter: Mapping[str, Any]
    tags: Sequence[str] = ()
    folders: Sequence[str] = ()
    """The folders between the vault and the note, outermost first."""
    quotes_section: bool = False
    located: int = 0
    export_metadata: bool = False
    glossary: bool = False
    template: bool = False
    named: bool = False
    """The user gave this file by name, not a folder holding it: naming a note says it is one
    to read (a folder of a vault is filtered, a file asked for is not)."""
    author: bool = False
    """The note names its book's author (frontmatter, an ``Author:`` line, a ``by`` line)."""


def classify(evidence: Evidence, selection: Selection = Selection()) -> tuple[BookKind, str]:
    """Whether a note is a book note, and why (a phrase for the summary and ``check``).

    >>> classify(Evidence({}, quotes_section=True))
    ('book', 'a highlights or quotes section')
    >>> classify(Evidence({"quote2anki": False}, quotes_section=True))
    ('other', 'quote2anki: false in its frontmatter')
    >>> classify(Evidence({}, folders=["Daily"]))[0]
    'other'
    >>> classify(Evidence({}, folders=["📚 Books"]))
    ('book', "in a 'Books' folder")
    >>> classify(Evidence({}, tags=["type/book"]))
    ('book', 'tagged #type/book')
    >>> classify(Evidence({}, tags=["meeting"]), Selection(tags=("meeting",)))
    ('book', 'tagged #meeting (--tag)')
    """
    flag = _flag(evidence.frontmatter.get("quote2anki"))
    if flag is False:
        return "other", "quote2anki: false in its frontmatter"
    if flag is True:
        return "book", "quote2anki: true in its frontmatter"
    if selection.all_notes:
        return "book", "every note is read (--all-notes)"
    if selection.tags:
        found = next((tag for tag in evidence.tags if has_tag([tag], selection.tags)), None)
        if found is not None:
            return "book", f"tagged #{found} (--tag)"
        return "other", "none of the tags asked for (--tag " + ", ".join(selection.tags) + ")"
    if evidence.template or any(folder.casefold() in TEMPLATE_FOLDERS
                                for folder in evidence.folders):
        return "other", "a template"
    if evidence.named:
        return "book", "given by name"
    if evidence.quotes_section:
        return "book", "a highlights or quotes section"
    if evidence.located:
        return "book", "an export's located highlights (Readwise, Kindle)"
    front = evidence.frontmatter
    if evidence.export_metadata or "kindle sync" in front:
        return "book", "an export's metadata (Readwise, Kindle)"
    tag = next((tag for tag in evidence.tags if _book_tag(tag)), None)
    if tag is not None:
        return "book", f"tagged #{tag}"
    for key in ("type", "category", "kind", "media", "medium"):
        value = front.get(key)
        if isinstance(value, str) and _book_tag(value.strip().lstrip("#")):
            return "book", f"{key}: {value.strip()} in its frontmatter"
    if any(front.get(key) for key in ("author", "authors", "isbn", "isbn13", "asin")):
        return "book", "its frontmatter names an author"
    if evidence.author:
        return "book", "it names an author"
    folder = next((folder for folder in evidence.folders if _folder_name(folder) in
                   BOOK_FOLDERS), None)
    if folder is not None:
        return "book", f"in a {_folder_name(folder).title()!r} folder"
    if evidence.glossary:
        return "book", "a glossary section"
    return "other", ("not a book note: no highlights section, export, books tag or folder "
                     "(add quote2anki: true to its frontmatter to read it)")


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in ("true", "yes", "on", "book", "read", "1"):
            return True
        if word in ("false", "no", "off", "skip", "ignore", "0"):
            return False
    return None


def _book_tag(tag: str) -> bool:
    return any(part.casefold() in BOOK_TAGS for part in tag.split("/"))


_NOT_NAME = re.compile(r"^[\W\d_]+")


def _folder_name(folder: str) -> str:
    """A folder's name without the emoji or numbers in front: ``📚 Books``, ``03 - Books``."""
    return " ".join(_NOT_NAME.sub("", folder).casefold().split())


def looks_like_template(body: str) -> bool:
    """Whether a note is a template: Templater code or export placeholders, not a book.

    The reader's own cloze marks (``{{c1::term}}``) are not placeholders.

    >>> looks_like_template("# {{title}}\\n## Highlights\\n{{highlights}}")
    True
    >>> looks_like_template("- The {{c1::hashing trick}} came from Vowpal Wabbit.")
    False
    >>> looks_like_template("Anki's {{Text}} and {{FrontSide}} are field names.")
    False
    """
    head = body[:200_000]
    if _TEMPLATER.search(head):
        return True
    names = set()
    for match in _PLACEHOLDER.finditer(head):
        names.add(match[1])
        if len(names) >= 2:
            return True
    return False


def has_tag(tags: Iterable[str], wanted: Iterable[str]) -> bool:
    """Whether one of ``tags`` is one of ``wanted`` or below it, in any case, ``#`` or not.

    >>> has_tag(["books/fiction", "sci-fi"], ["#Books"])
    True
    >>> has_tag(["bookshelf"], ["books"])
    False
    """
    keys = [tag.strip().lstrip("#").strip("/").casefold() for tag in tags]
    for want in wanted:
        want = want.strip().lstrip("#").strip("/").casefold()
        if want and any(key == want or key.startswith(want + "/") for key in keys):
            return True
    return False


def folders_of(path: str | PurePath, vault: str | PurePath | None = None) -> list[str]:
    """The folders between ``vault`` and the note at ``path`` (all of them without a vault).

    >>> folders_of("/home/me/vault/Books/Fiction/Dune.md", "/home/me/vault")
    ['Books', 'Fiction']
    >>> folders_of("notes/Dune.md")
    ['notes']
    """
    pure = PurePath(path)
    if vault is not None:
        with suppress(ValueError):
            pure = pure.relative_to(vault)
    return list(pure.parts[:-1]) if pure.anchor == "" else list(pure.parts[1:-1])


def path_selected(relative: str | PurePath, include: Sequence[str] = (),
                  exclude: Sequence[str] = ()) -> bool:
    """Whether a note passes ``--include`` and ``--exclude``.

    ``relative`` is the note's path relative to the folder given on the command line. Patterns
    are globs in the gitignore style, matched without regard to case: ``*`` is any text within
    one folder or file name, ``?`` one character, ``**`` any number of folders; a pattern with
    no ``/`` matches a file or folder name at any depth (``Daily`` skips every ``Daily/``
    folder, ``*.excalidraw.md`` those files); a pattern with a ``/`` is anchored at the folder
    given (``Books/**`` or ``Books/``). A note is read when it matches some ``--include`` (or
    none is given) and no ``--exclude``: exclusion wins.

    >>> path_selected("Daily/2024-05-01.md", exclude=["daily"])
    False
    >>> path_selected("Books/Fiction/Dune.md", include=["Books/**"])
    True
    >>> path_selected("Archive/Books/Dune.md", include=["Books/**"])
    False
    >>> path_selected("Books/Dune.md", include=["Books/"], exclude=["*.excalidraw.md"])
    True
    """
    path = PurePosixPath(PurePath(relative).as_posix()).as_posix().casefold().lstrip("/")
    if include and not any(_glob(pattern).search(path) for pattern in include):
        return False
    return not any(_glob(pattern).search(path) for pattern in exclude)


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    """A gitignore-style glob as a regular expression over a lower-case POSIX path.

    >>> bool(_glob("**/drafts/*.md").search("a/b/drafts/x.md"))
    True
    >>> bool(_glob("*.md").search("a/b.md")), bool(_glob("a/*.md").search("a/b/c.md"))
    (True, False)
    """
    text = pattern.strip().replace("\\", "/").casefold()
    folder = text.endswith("/")
    text = text.strip("/")
    anchored = "/" in text
    out = []
    i = 0
    while i < len(text):
        if text.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            i += 2
        elif text[i] == "*":
            out.append("[^/]*")
            i += 1
        elif text[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(text[i]))
            i += 1
    body = "".join(out)
    start = "^" if anchored else "(?:^|/)"
    end = "/" if folder else "(?:/|$)"
    return re.compile(start + body + end)
