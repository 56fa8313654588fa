"""One exported note as the record of the last build remembers it, and what identifies its
values: enough to export the note again, to tell our values from the user's, and to hash its
content.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..fields import card_numbers, render
from ..model import Gap, Kind, Note, Span

REMOVED_TAG = "quote2anki::removed"
ANKI_TAGS = frozenset({"marked", "leech"})
"""Tags Anki itself adds to notes: never ours, whatever a collection says."""


@dataclass(frozen=True, slots=True)
class Record:
    """One exported note, as the state file remembers it (enough to export it again)."""

    hash: str
    mod: int
    kind: str
    book: str
    deck: str
    source: str
    words: str
    gaps: tuple[Gap, ...]
    extra: str
    field_source: str
    tags: tuple[str, ...]
    term: str | None = None
    aliases: tuple[str, ...] = ()
    removed: bool = False
    cards: tuple[int, ...] = ()
    """The cards it made (a flashcard's reverse card is not in its gaps)."""
    spans: tuple[Span, ...] = ()
    """How the words were printed, so a removed note is exported again exactly as it was."""
    earlier: tuple[str, ...] = ()
    """:func:`mark` of every value an earlier version of this note exported (fields, tags,
    deck): what a collection may still hold of ours."""
    earlier_extra: tuple[str, ...] = ()
    """Earlier non-empty Back Extra values, so an import can replace our old text inside a
    field the user added to in Anki."""
    field_mods: tuple[int, ...] = ()
    """When the Text, Back Extra and Source fields last took their values (a note's ``mod`` is
    when any of them, its tags or its deck did): an import lets an edit made in Anki stand
    against an older value of that field, whatever else changed since."""

    @property
    def path(self) -> str:
        """The note file it came from ('' when the record was rebuilt from a package)."""
        return self.source.rpartition(":")[0] or self.source

    @property
    def text(self) -> str:
        """The Text field it exported."""
        return render(self.words, self.gaps)

    @property
    def phrases(self) -> tuple[str, ...]:
        """The words of each gap, one per cloze number in number order: what the gap chooser
        keeps when the quote is edited (``gaps.choose(..., keep=...)``)."""
        return _phrases(self.words, self.gaps)

    def exported(self) -> frozenset[str]:
        """:func:`mark` of every value this note's fields, tags and deck ever had in a package."""
        return frozenset(self.earlier) | _marks(self.text, self.extra, self.field_source,
                                                self.tags, self.deck)


def mark(kind: str, value: str) -> str:
    """A short hash of one exported value: ``kind`` is ``t`` (Text), ``e`` (Back Extra), ``s``
    (Source), ``g`` (a tag, by its lower case) or ``d`` (a deck).

    >>> mark("t", "caf\\u00e9") == mark("t", "cafe\\u0301")  # Anki may normalise to NFC
    True
    """
    value = unicodedata.normalize("NFC", value)
    if kind == "g":
        value = value.casefold()
    return kind + hashlib.sha256(f"{kind}\x1f{value}".encode()).hexdigest()[:12]


def _marks(text: str, extra: str, source: str, tags: Iterable[str], deck: str) -> frozenset[str]:
    return frozenset((mark("t", text), mark("e", extra), mark("s", source), mark("d", deck),
                      *(mark("g", tag) for tag in tags)))


def content_hash(note: Note) -> str:
    """A hash of everything Anki would update on re-import: fields, tags and deck."""
    parts = (note.text, note.extra, note.source, " ".join(note.tags), note.deck)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def phrases(note: Note) -> tuple[str, ...]:
    """:attr:`Record.phrases` of a note."""
    return _phrases(note.words, note.gaps)


def _phrases(words: str, gaps: Iterable[Gap]) -> tuple[str, ...]:
    first: dict[int, str] = {}
    for gap in sorted(gaps, key=lambda g: g.start):
        first.setdefault(gap.number, words[gap.start:gap.end])
    return tuple(first[number] for number in sorted(first))


class Records(dict[str, Record]):
    """The records by GUID, and what the state file keeps beside them."""

    def __init__(self, records: Mapping[str, Record] | None = None,
                 forgotten: Mapping[str, int] | None = None, found: bool = False) -> None:
        super().__init__(records or {})
        self.forgotten: dict[str, int] = dict(forgotten or {})
        """GUIDs forgotten with ``--forget-removed``, with the time they were last exported
        with: a quote that comes back later must be newer than its tagged copy in Anki."""
        self.found = found
        """Whether a state file was there (empty or not)."""
        self.stored = False
        """Whether these are the rows of the record's file as read, unchanged: writing the
        record again then writes only the rows that differ."""
        self.moved = False
        """Whether paths were converted on reading (the record was written from another
        folder): every row is written again."""


def record_for(note: Note, mod: int, digest: str, old: Record | None = None) -> Record:
    """What to record of ``note``, exported with ``mod`` and hashing to ``digest``: the history
    of ``old`` (its record last time) carried on, with the values it had added to it when they
    changed, and each field's own time kept where that field did not change."""
    earlier: tuple[str, ...] = ()
    earlier_extra: tuple[str, ...] = ()
    field_mods: tuple[int, ...] = (mod, mod, mod)
    if old is not None:
        earlier, earlier_extra = old.earlier, old.earlier_extra
        before = old.field_mods if len(old.field_mods) == 3 else (old.mod,) * 3
        field_mods = before
        if old.hash != digest:
            earlier = tuple(sorted(frozenset(earlier) | old.exported()))
            if old.extra and old.extra != note.extra and old.extra not in earlier_extra:
                earlier_extra = (*earlier_extra, old.extra)
            same = (old.words == note.words and old.gaps == note.gaps, old.extra == note.extra,
                    old.field_source == note.source)
            field_mods = tuple(b if kept else mod for b, kept in zip(before, same, strict=True))
    return Record(digest, mod, note.kind, note.book, note.deck, note.location, note.words,
                  note.gaps, note.extra, note.source, note.tags, note.term, note.aliases, False,
                  note.cards, note.spans, earlier, earlier_extra, field_mods)


def record_note(guid: str, old: Record, removed: bool = False) -> Note:
    """The note as it was last exported; tagged ``quote2anki::removed`` when ``removed``, so the
    user can find it and delete it in Anki."""
    _, _, line = old.source.rpartition(":")
    tags = tuple(dict.fromkeys((*old.tags, REMOVED_TAG))) if removed else tuple(
        tag for tag in old.tags if tag != REMOVED_TAG)
    kind: Kind = ("definition" if old.kind == "definition" else
                  "flashcard" if old.kind == "flashcard" else "quote")
    return Note(kind=kind, guid=guid,
                book=old.book, deck=old.deck, text=render(old.words, old.gaps, old.spans),
                extra=old.extra, source=old.field_source, tags=tags, path=old.path,
                line=int(line) if line.isdigit() else 0, words=old.words, gaps=old.gaps,
                cards=old.cards or card_numbers(old.gaps), term=old.term, aliases=old.aliases,
                spans=old.spans)
