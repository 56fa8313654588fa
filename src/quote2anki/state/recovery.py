"""A record of the last build rebuilt from what the user has: the last packages, or the Anki
collection (``quote2anki state --from-collection``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..fields import parse
from ..identity import book_key
from ..model import Gap, Note
from ..notes import BASE_TAG, DEFINITION_TAG
from ..text import fingerprint
from .records import ANKI_TAGS, REMOVED_TAG, Record, Records, content_hash, record_for, record_note


@dataclass(frozen=True, slots=True)
class Exported:
    """One of our notes as a package or an Anki collection holds it."""

    guid: str
    mod: int
    text: str
    extra: str
    source: str
    tags: tuple[str, ...]
    deck: str


_TITLE = re.compile(r"<span class=title>(.*?)</span>")
_TAG = re.compile(r"<(?!br\s*/?>)[^>]*>", re.I)


def rebuilt(rows: Iterable[Exported], current: Sequence[Note], from_anki: bool = False
            ) -> Records:
    """A record of the last build made from the notes a package or a collection holds.

    From a package (what the last build wrote) every note is recorded as it was exported, with
    its time. From an Anki collection, notes of other books than ``current``'s are left out
    (another vault's, unless their words are this vault's: a retitled book), tags and a Back
    Extra that cannot be told for ours are taken for the user's, and a note that differs from
    this build's note with its GUID only in what the user owns there is recorded as this build's
    note, so the next build counts it unchanged and leaves it alone. Paths are unknown:
    :func:`compare` places each record in the file its book is read from.
    """
    by_guid = {note.guid: note for note in current}
    books = {book_key(note.book) for note in current}
    words = {fingerprint(note.words) for note in current}
    records = Records(found=True)
    for row in rows:
        text = row.text
        plain, gaps = parse(_TAG.sub("", text) if from_anki else text)
        match = _TITLE.search(row.source)
        book = html.unescape(match.group(1)) if match else ""
        if from_anki and book_key(book) not in books and fingerprint(plain) not in words:
            continue
        kind = "definition" if DEFINITION_TAG in row.tags else "quote"
        term, aliases = _term_of(plain, gaps) if kind == "definition" else (None, ())
        tags = row.tags
        extra = row.extra
        note = by_guid.get(row.guid)
        if from_anki:
            ours = {tag.casefold() for tag in (note.tags if note is not None else ())}
            tags = tuple(tag for tag in tags if tag.casefold() in ours or (
                tag.casefold().startswith(BASE_TAG) and tag.casefold() not in ANKI_TAGS))
            if note is None or note.extra != extra:
                extra = ""  # a Back Extra we cannot tell for ours is the user's
        removed = REMOVED_TAG in tags
        record = Record("", row.mod, kind, book, row.deck, "", plain, gaps, extra, row.source,
                        tuple(tags), term, aliases, removed)
        if (from_anki and note is not None and not removed and note.text == text
                and note.source == row.source and note.deck == row.deck
                and note.extra in (extra, row.extra)
                and {t.casefold() for t in note.tags} <= {t.casefold() for t in row.tags}):
            record = record_for(note, row.mod, content_hash(note))
        else:
            record = replace(record, hash=content_hash(record_note(row.guid, record, removed)))
        records[row.guid] = record
    return records


def _term_of(words: str, gaps: Sequence[Gap]) -> tuple[str | None, tuple[str, ...]]:
    """A definition's term and aliases: its first gap, ``term / alias / alias``."""
    first = min(gaps, key=lambda g: g.start, default=None)
    if first is None:
        return None, ()
    names = [name.strip() for name in words[first.start:first.end].split(" / ")]
    return names[0], tuple(names[1:])
