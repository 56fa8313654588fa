"""The values that flow between the build steps, in Anki's vocabulary where Anki has a word.

Reading makes a :class:`Book` of each note file; extraction fills it with :class:`Quote` and
:class:`Definition` values (the terms a quote defines included); carding turns those into
:class:`Note` values (Anki's word for one set of fields, with its GUID and its cards), and
packaging writes them. Everything is frozen: a step never edits what the step before it made,
which keeps the steps pure and their results cacheable. Data only moves forward: a note carries
its plain words, its gaps and its card numbers, so no later step parses its HTML back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Level = Literal["error", "warning", "info"]
WHICH_BOOK_PROMPT = '<span class="ask">Which book, and whose?</span>'
"""The Source field of a quote with nothing worth hiding: the question its card asks."""
Kind = Literal["quote", "definition", "flashcard"]
SpanKind = Literal["em", "strong", "strike", "highlight", "link", "wikilink", "url", "code",
                   "block", "math", "display", "refused", "image", "local", "remote", "missing"]
"""How a stretch of text was printed. ``wikilink`` and ``local`` (an image not yet looked for)
exist only until the build settles where a note sits (:mod:`quote2anki.media`); ``image`` is an
image found and named by its content, ``missing`` one that was not found, ``remote`` one shown
by its link; ``refused`` is a formula that used a command MathJax must not run."""

ATOMIC: frozenset[str] = frozenset({"code", "block", "math", "display", "refused", "url"})
"""Spans shown whole, exactly as written: never cut by a gap, never a gap unless the reader
marks them."""


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
    """A span of a quote's text that the reader wants hidden as a cloze.

    ``number`` is the cloze number when the reader wrote ``{{cN::...}}`` themselves; ``hint``
    is shown in the gap.
    """

    start: int
    end: int
    number: int | None = None
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """Where a term the quote defines stands in it, and the hint its gap gets (a set's head)."""

    start: int
    end: int
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """How a stretch ``[start, end)`` of some text was printed: emphasis, a link, code, a
    formula or an image (an image takes no text: ``start == end``).

    ``target`` is a link's URL, an image's file (its media name once found) or a code block's
    language; ``label`` an image's alt text or, for a refused formula, the command refused;
    ``size`` an image's width (``300``) or width and height (``300x200``).
    """

    start: int
    end: int
    kind: SpanKind
    target: str = ""
    label: str = ""
    size: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a highlight is in the book, as its export says: ``Location 612``, ``Page 30`` or
    ``View Highlight``, and the export's link there (``kindle://...``, Readwise), if any."""

    label: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Media:
    """An image a note shows: its name in the package (from its content) and its file."""

    name: str
    path: str


@dataclass(frozen=True, slots=True)
class Quote:
    """One highlighted passage, as plain text (markup removed, reader's cloze marks kept apart).

    ``terms`` are the spans of the terms the quote defines, found by extraction. ``spans`` say
    how the text was printed and ``protected`` which stretches no automatic gap may touch
    (code, formulas, URLs: plain ``(start, end)`` pairs, all the gap chooser needs);
    ``comment_spans`` do the same for the reader's note on it (pieces joined by line breaks).
    ``places`` are where the export says the highlight is (its location tail, kept).
    """

    text: str
    line: int
    section: str = ""
    marks: tuple[Mark, ...] = ()
    comment: str = ""
    tags: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()
    spans: tuple[Span, ...] = ()
    protected: tuple[tuple[int, int], ...] = ()
    comment_spans: tuple[Span, ...] = ()
    places: tuple[Place, ...] = ()


@dataclass(frozen=True, slots=True)
class Definition:
    """A term and what it means, found in a glossary line or inside a quote.

    ``context`` is the whole quote or glossary line the definition came from; ``aliases`` are
    other names for the same thing (``fine-tuning`` for ``stateful training``); ``hint`` is the
    head a set of terms defined side by side shares (``shift`` for covariate and label shift).
    ``spans`` and ``context_spans`` say how the definition and its context were printed.
    """

    term: str
    definition: str
    context: str
    line: int
    section: str = ""
    aliases: tuple[str, ...] = ()
    hint: str | None = None
    spans: tuple[Span, ...] = ()
    context_spans: tuple[Span, ...] = ()
    places: tuple[Place, ...] = ()


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
    ``link`` opens the note itself in Obsidian (``obsidian://open?...``), when it sits in a vault;
    ``media`` are the images its quotes show, found and named by their content.
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

    link: str = ""
    media: tuple[Media, ...] = ()

    @property
    def full_title(self) -> str:
        """The title with its subtitle, as the book's cover says it (for the Source field).

        >>> Book("x.md", "Refactoring", subtitle="Improving the Design of Existing Code").full_title
        'Refactoring: Improving the Design of Existing Code'
        """
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    def to_dict(self) -> dict[str, Any]:
        """The book as JSON-ready values: what the format goldens in ``tests/formats`` hold.

        >>> Book("a.md", "Dune", quotes=(Quote("Fear is the mind-killer.", 3, marks=(
        ...     Mark(0, 4),)),)).to_dict()["quotes"][0]["marked"]
        ['Fear']
        """
        return {
            "kind": self.kind,
            "why": self.why,
            "title": self.title,
            "subtitle": self.subtitle,
            "author": self.author,
            "category": self.category,
            "tags": list(self.tags),
            "quotes": [
                {
                    "line": quote.line,
                    "text": quote.text,
                    "section": quote.section,
                    "comment": quote.comment,
                    "tags": list(quote.tags),
                    "marked": [quote.text[mark.start:mark.end] for mark in quote.marks],
                    "places": [[place.label, place.url] for place in quote.places],
                }
                for quote in self.quotes
            ],
            "definitions": [
                {"line": d.line, "term": d.term, "definition": d.definition,
                 "section": d.section}
                for d in self.definitions
            ],
            "flashcards": [
                {"line": card.line, "front": card.front, "back": card.back,
                 "section": card.section, "tags": list(card.tags), "both_ways": card.both_ways}
                for card in self.flashcards
            ],
            "repairs": self.repairs,
            "problems": [f"{p.line}: {p.level}: {p.message}" for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class Gap:
    """One cloze: the span of a note's words it hides, its card number and an optional hint."""

    start: int
    end: int
    number: int
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """One Anki note as we will write it, and what it was made from.

    ``text``, ``extra`` and ``source`` are the fields as HTML, ready for the notetype (a
    flashcard's front, back and source: see :attr:`fields`); ``words``
    is the plain text the Text field shows (the quote, or ``term: definition``) and ``gaps`` the
    spans of it that are clozes, so nothing downstream needs to read the HTML. ``cards`` are the
    cloze numbers in the order they first appear (Anki makes one card per number). ``deck`` is
    settled once every book is known (two books can share a title). ``spans`` say how the
    words were printed (the Text field is rendered from words, gaps and spans) and ``media`` are
    the images the fields show, to be packed with the note.
    """

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
    words: str
    gaps: tuple[Gap, ...]
    cards: tuple[int, ...]
    term: str | None = None
    aliases: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()
    media: tuple[Media, ...] = ()

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def basic(self) -> bool:
        """Whether it is a note of the Basic notetype (front and back) rather than a cloze: the
        reader's own flashcard, or a quote with nothing worth hiding, which asks for its book."""
        return self.kind == "flashcard" or not self.gaps

    @property
    def fields(self) -> tuple[str, ...]:
        """The note's fields in its notetype's order: Text, Back Extra, Source for a cloze;
        Front, Back, Source, Reverse for a Basic note (``text`` is its front, ``extra`` its
        back, and its second card is the reverse one)."""
        if self.kind == "flashcard":
            return (self.text, self.extra, self.source, "y" if 2 in self.cards else "")
        if not self.gaps:
            # a quote with nothing worth hiding asks which book it is: the book goes to the back
            # (on the front it would give the answer away), with the reader's note after it
            back = f"{self.source}<br>{self.extra}" if self.extra else self.source
            return (self.text, back, WHICH_BOOK_PROMPT, "")
        return (self.text, self.extra, self.source)

    def to_dict(self) -> dict[str, Any]:
        """The note as ``quote2anki cards --json`` prints it (and the goldens hold it)."""
        return {
            "kind": self.kind,
            "book": self.book,
            "deck": self.deck,
            "term": self.term,
            "text": self.text,
            "extra": self.extra,
            "tags": list(self.tags),
            "guid": self.guid,
            "source": self.location,
        }
