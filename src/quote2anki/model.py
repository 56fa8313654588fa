"""The values that flow between the build steps.

Reading makes :class:`Book` values, extraction fills them with :class:`Quote` and
:class:`Definition` values, carding turns them into :class:`Note` values (Anki's word for one
set of fields), and packaging writes those. Everything is frozen: a step never edits what the
step before it produced, which keeps the steps pure and their results cacheable.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning", "info"]
CLOZE_GAP = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}")
"""One gap in a Text field we wrote: its number, its words, its hint (escaping keeps the
field's own braces and colons out of the way)."""
Kind = Literal["quote", "definition"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a note the user should know about, located as precisely as we can.

    ``error`` means part of a note could not be used (the build exits 1); ``warning`` means it
    was used but perhaps not as the user meant.
    """

    path: str
    line: int | None
    level: Level
    message: str

    def __str__(self) -> str:
        """``file:line: level: message``, the shape editors jump to; a problem with a whole
        file (or folder) points at its line 1.

        >>> str(Problem("notes/a.md", None, "error", "binary file, not Markdown text; skipped"))
        'notes/a.md:1: error: binary file, not Markdown text; skipped'
        """
        return f"{self.path}:{self.line or 1}: {self.level}: {self.message}"


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of a quote's text that the reader (or our chooser) wants hidden as a cloze.

    ``number`` is the cloze number when the reader wrote ``{{cN::...}}`` themselves; ``hint``
    is shown in the gap.
    """

    start: int
    end: int
    number: int | None = None
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """One highlighted passage, as plain text (markup removed, reader's cloze marks kept apart)."""

    text: str
    line: int
    section: str = ""
    marks: tuple[Mark, ...] = ()
    comment: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Definition:
    """A term and what it means, found in a glossary line or inside a quote.

    ``context`` is the whole quote or glossary line the definition came from; ``aliases`` are
    other names for the same thing (``fine-tuning`` for ``stateful training``).
    """

    term: str
    definition: str
    context: str
    line: int
    section: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Flashcard:
    """A question and answer the reader wrote themselves (``Question::Answer``, ``Q:``/``A:``,
    ``Question #flashcard`` with the answer below, ``?`` blocks): a Basic note, front and back,
    never part of a quote. ``both_ways`` is ``:::`` or ``??``: a card each way."""

    front: str
    back: str
    line: int
    section: str = ""
    tags: tuple[str, ...] = ()
    both_ways: bool = False


BookKind = Literal["book", "other"]


@dataclass(frozen=True, slots=True)
class Book:
    """Everything one Markdown note says about one book.

    ``kind`` says whether the note is a book note at all (``"other"``: a daily note, a
    meeting note; nothing of it becomes a card) and ``why`` says what decided it, for the
    summary and ``check``. ``subtitle`` is what followed the title's colon when the title was
    long (``Title: Subtitle``); ``category`` is the export's kind of document (Readwise's
    ``books``, ``articles``, ``podcasts``, ``tweets``...), lower case, or empty. ``repairs``
    counts words whose letters a PDF copy had lost and that were put back (``fnding``).
    """

    path: str
    title: str
    author: str = ""
    tags: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    definitions: tuple[Definition, ...] = ()
    problems: tuple[Problem, ...] = ()
    flashcards: tuple[Flashcard, ...] = ()
    subtitle: str = ""
    category: str = ""
    kind: BookKind = "book"
    why: str = ""
    repairs: int = 0

    @property
    def full_title(self) -> str:
        """The title with its subtitle, as the book's cover says it (for the Source field).

        >>> Book("x.md", "Refactoring", subtitle="Improving the Design of Existing Code").full_title
        'Refactoring: Improving the Design of Existing Code'
        """
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title


@dataclass(frozen=True, slots=True)
class Note:
    """One Anki note as we will write it: fields are HTML, ready for the notetype."""

    kind: Kind
    guid: str
    book: str
    deck: str
    text: str
    extra: str
    source: str
    tags: tuple[str, ...]
    path: str
    line: int
    term: str | None = None

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def card_numbers(self) -> list[int]:
        """The cards Anki makes of this note: one per distinct cloze number, in order.

        >>> Note("quote", "g", "b", "d", "{{c2::a}} {{c1::b}} {{c2::c}}", "", "", (), "p",
        ...      1).card_numbers
        [1, 2]
        """
        return sorted({int(match[1]) for match in CLOZE_GAP.finditer(self.text)})

    @property
    def words(self) -> str:
        """The plain text the note was made from (the quote, or "term: definition")."""
        return plain_text(self.text)

    @property
    def listing(self) -> str:
        """The plain text with each gap shown as Anki shows it (``[...]`` or ``[hint]``)."""
        return html.unescape(CLOZE_GAP.sub(lambda m: f"[{m[3] or '...'}]", self.text)).replace(
            "<br>", "\n")


def plain_text(field: str) -> str:
    """A Text field back to the words it was made from: gaps filled, HTML escapes undone.

    Every character from a note is escaped on the way in, so this is an exact inverse.

    >>> plain_text("a &lt;b&gt; {{c1::x&#58;y::hint}} and {{c2::z}}")
    'a <b> x:y and z'
    """
    return html.unescape(CLOZE_GAP.sub(lambda m: m[2], field).replace("<br>", "\n"))
