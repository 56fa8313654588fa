"""What the previous build wrote, kept beside the decks so the next build can compare.

The state file (``.quote2anki-state.json`` in the output folder, one JSON object per note, keyed
by GUID) is what makes re-export safe without writing anything into the user's notes:

- **Identity.** A note's GUID is first derived from its book and its words. When the words
  change a little (a typo fixed, a word changed), or the book's title changes, the new note is
  matched to the one the previous build exported and keeps its GUID, so Anki keeps its history.
- **Modification times.** A note keeps the time it was exported with while its content is
  unchanged, so Anki's "update if newer" leaves edits made inside Anki alone; a changed note
  gets a newer time and is updated.
- **Removals.** A package import cannot delete notes, so a note whose quote disappeared keeps
  being exported, tagged ``quote2anki::removed``, until ``--forget-removed``.

A missing or unreadable state file only means every note counts as new: unchanged quotes keep
their GUIDs (they are derived from the words), so nothing is duplicated in Anki.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import BinaryIO, Literal

from .cards import guid_for
from .model import Note, Problem, plain_text
from .package import write_streamed
from .text import fingerprint

STATE_FILE = ".quote2anki-state.json"
FORMAT = "quote2anki-state"
VERSION = 2
REMOVED_TAG = "quote2anki::removed"

SAME_QUOTE = 0.75
"""Word-level similarity (difflib ratio) from which an edited quote is the same quote.

A typo or a few changed words in a quote of ten words or more stays above it (one word in ten:
0.90; three in twenty: 0.85); two different quotes that merely share a phrase stay below it.
Only quotes of the same book are compared, and each old quote is matched at most once.
"""

Status = Literal["new", "changed", "unchanged", "removed"]


@dataclass(frozen=True, slots=True)
class Record:
    """One exported note, as the state file remembers it (enough to export it again)."""

    hash: str
    mod: int
    kind: str
    book: str
    deck: str
    source: str
    text: str
    extra: str
    field_source: str
    tags: tuple[str, ...]
    term: str | None = None
    removed: bool = False


def content_hash(note: Note) -> str:
    """A hash of everything Anki would update on re-import: fields, tags and deck."""
    parts = (note.text, note.extra, note.source, " ".join(note.tags), note.deck)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def load(folder: Path, current: Mapping[str, Note] | None = None
         ) -> tuple[dict[str, Record], Problem | None]:
    """The previous build's record, read a line (a note) at a time to keep memory flat.

    Fields equal to those of the ``current`` note with the same GUID share its strings, so an
    unchanged vault is not held in memory twice.
    """
    path = folder / STATE_FILE
    try:
        with open(path, encoding="utf-8") as handle:
            return _parse(handle, current or {}), None
    except FileNotFoundError:
        return {}, None
    except OSError as error:
        return {}, _unusable(path, str(error.strerror or error))
    except _Unusable as error:
        return {}, _unusable(path, str(error))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        return {}, _unusable(path, f"not a state file ({error})")


class _Unusable(Exception):
    pass


_HEAD_END = ', "notes": {'


def _parse(handle: Iterable[str], current: Mapping[str, Note]) -> dict[str, Record]:
    lines = iter(handle)
    head = next(lines, "").rstrip("\n")
    if not head.endswith(_HEAD_END):
        raise _Unusable("not a state file")
    data = json.loads(head.removesuffix(_HEAD_END) + "}")
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        raise _Unusable("written by another version")
    if data.get("fields") != _FIELDS:
        raise _Unusable("its fields are not the ones this version writes")
    records = {}
    tags = _FIELDS.index("tags")
    for line in lines:
        line = line.rstrip("\n").removesuffix(",")
        if line in ("}}", ""):
            continue
        guid, values = json.loads("{" + line + "}").popitem()
        values[tags] = tuple(values[tags])
        record = Record(*values)
        note = current.get(guid)
        if note is not None and (record.text, record.extra, record.field_source) == (
                note.text, note.extra, note.source):
            record = replace(record, text=note.text, extra=note.extra, field_source=note.source,
                             tags=note.tags if record.tags == note.tags else record.tags)
        records[guid] = record
    return records


def _unusable(path: Path, why: str) -> Problem:
    return Problem(str(path), None, "warning",
                   f"previous build's record cannot be used ({why}); every note counts as new. "
                   "Unchanged quotes keep their notes in Anki; edited ones arrive as new notes")


_FIELDS = [field.name for field in fields(Record)]


def save(folder: Path, records: Mapping[str, Record]) -> None:
    """Write the record as JSON: the field names once, then one note per line (its values in
    that order), sorted by GUID, so a plain diff between two builds shows what changed."""
    encode = _encoder()
    head = json.dumps({"format": FORMAT, "version": VERSION, "fields": _FIELDS})[:-1]

    def write(handle: BinaryIO) -> None:
        handle.write(f'{head}, "notes": {{'.encode())
        separator = "\n"
        batch: list[str] = []
        for guid in sorted(records):
            values = encode(list(astuple_shallow(records[guid])))
            batch.append(f"{separator}{encode(guid)}: {values}")
            separator = ",\n"
            if len(batch) == 1000:  # written in slices: the whole file is never in memory
                handle.write("".join(batch).encode())
                batch.clear()
        handle.write(("".join(batch) + "\n}}\n").encode())

    write_streamed(folder / STATE_FILE, write)


def astuple_shallow(record: Record) -> tuple[object, ...]:
    return tuple(getattr(record, name) for name in _FIELDS)


def _encoder() -> Callable[[object], str]:
    """json's C encoder, made once: calling json.dumps per note costs more than encoding it."""
    try:
        from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - interpreters without the C accelerator
        return json.JSONEncoder(ensure_ascii=False).encode
    if c_make_encoder is None:  # pragma: no cover
        return json.JSONEncoder(ensure_ascii=False).encode
    make = c_make_encoder(None, None, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(make(value, 0))


@dataclass(frozen=True, slots=True)
class Comparison:
    """The notes to export (GUIDs settled, removed ones included) and how each compares."""

    notes: tuple[Note, ...]
    mods: tuple[int, ...]
    statuses: tuple[Status, ...]
    records: dict[str, Record]


def compare(
    notes: Sequence[Note],
    previous: Mapping[str, Record],
    mtimes: Mapping[str, int],
    forget_removed: bool = False,
) -> Comparison:
    """Settle GUIDs against the previous build, stamp modification times, carry removals.

    An unchanged note keeps the time it was exported with. A new or changed note gets the time
    its file was last saved: an edit made inside Anki after that moment is newer and survives
    ("update if newer" keeps the most recent edit), and the same files always give the same
    package. A changed note's time is also always later than the one it replaces.
    """
    notes = reidentify(notes, previous)
    present = {note.guid for note in notes}
    out_notes: list[Note] = []
    mods: list[int] = []
    statuses: list[Status] = []
    records: dict[str, Record] = {}
    for note in notes:
        old = previous.get(note.guid)
        digest = content_hash(note)
        mod, status = _stamp(digest, old, mtimes.get(note.path, 0))
        out_notes.append(note)
        mods.append(mod)
        statuses.append(status)
        records[note.guid] = _record(note, mod, digest)
    if not forget_removed:
        for guid in sorted(previous):
            old = previous[guid]
            if guid in present:
                continue
            note = removed_note(guid, old)
            digest = content_hash(note)
            mod, _ = _stamp(digest, old, old.mod + 1)
            out_notes.append(note)
            mods.append(mod)
            statuses.append("removed")
            records[guid] = replace(_record(note, mod, digest), removed=True)
    return Comparison(tuple(out_notes), tuple(mods), tuple(statuses), records)


def _stamp(digest: str, old: Record | None, mtime: int) -> tuple[int, Status]:
    if old is not None and old.hash == digest:
        return old.mod, "unchanged"
    if old is None:
        return mtime, "new"
    return max(mtime, old.mod + 1), "changed"


def _record(note: Note, mod: int, digest: str) -> Record:
    return Record(digest, mod, note.kind, note.book, note.deck, note.location,
                  note.text, note.extra, note.source, note.tags, note.term)


def removed_note(guid: str, old: Record) -> Note:
    """The note as it was last exported, tagged so the user can find and delete it in Anki."""
    path, _, line = old.source.rpartition(":")
    tags = tuple(dict.fromkeys((*old.tags, REMOVED_TAG)))
    return Note(kind="definition" if old.kind == "definition" else "quote", guid=guid,
                book=old.book, deck=old.deck, text=old.text, extra=old.extra,
                source=old.field_source, tags=tags, path=path or old.source,
                line=int(line) if line.isdigit() else 0, term=old.term)


def reidentify(notes: Sequence[Note], previous: Mapping[str, Record]) -> list[Note]:
    """Give each note the GUID the previous build exported it under, when it is the same note.

    In order: the same GUID (same book, same words); the same words in another book (the
    book's title changed); then, within one book, the most similar unmatched quote or
    definition at or above :data:`SAME_QUOTE`. Each previous note is claimed at most once, and
    a note never takes a GUID another note of this build has.
    """
    if not previous:
        return list(notes)
    taken = {note.guid for note in notes if note.guid in previous}
    unmatched_old = {guid: record for guid, record in previous.items() if guid not in taken}
    assigned: dict[int, str] = {}
    # the same words under a new title
    by_words: dict[tuple[str, str], list[str]] = {}
    for guid, record in unmatched_old.items():
        by_words.setdefault((record.kind, _identity_words(plain_text(record.text), record.term)),
                            []).append(guid)
    for index, note in enumerate(notes):
        if note.guid in taken:
            continue
        candidates = by_words.get((note.kind, _identity_words(note.words, note.term)), [])
        candidates = [g for g in candidates if g in unmatched_old]
        if candidates:
            same_path = [g for g in candidates if unmatched_old[g].source.rpartition(":")[0]
                         == note.path]
            guid = (same_path or candidates)[0]
            assigned[index] = guid
            del unmatched_old[guid]
    # a book whose title changed: the old title most of its unchanged words were filed under
    votes: dict[str, Counter[str]] = {}
    for index, note in enumerate(notes):
        old = previous.get(assigned.get(index, note.guid))
        if old is not None and (note.guid in taken or index in assigned):
            votes.setdefault(note.book, Counter())[old.book] += 1
    formerly = {book: counts.most_common(1)[0][0] for book, counts in votes.items()}
    # edited words within the same book (same title, former title, or the same file)
    pairs = []
    for index, note in enumerate(notes):
        if note.guid in taken or index in assigned:
            continue
        words = _identity_words(note.words, note.term)
        for guid, record in unmatched_old.items():
            if record.kind != note.kind or (record.book not in (
                    note.book, formerly.get(note.book)) and (
                    record.source.rpartition(":")[0] != note.path)):
                continue
            ratio = similarity(words, _identity_words(plain_text(record.text), record.term),
                               by_words=note.kind == "quote")
            if ratio >= SAME_QUOTE:
                pairs.append((ratio, index, guid))
    for _, index, guid in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if index not in assigned and guid in unmatched_old:
            assigned[index] = guid
            del unmatched_old[guid]
    used = taken | set(assigned.values())
    out = []
    for index, note in enumerate(notes):
        guid = assigned.get(index, note.guid)
        if index not in assigned and note.guid not in taken and note.guid in used:
            guid = guid_for("again", note.guid)  # its natural GUID went to an edited quote
        out.append(note if guid == note.guid else replace(note, guid=guid))
    return out


def _identity_words(words: str, term: str | None) -> str:
    """What identifies a note: a quote's words; a definition's term (its text may change)."""
    return fingerprint(term if term else words)


def similarity(new: str, old: str, by_words: bool = True) -> float:
    """How alike two quotes (by words) or two terms (by letters) are, from 0 to 1.

    >>> round(similarity("the cat sat on the mat today", "the cat sat on a mat today"), 2)
    0.86
    >>> similarity("covarite shift", "covariate shift", by_words=False) > SAME_QUOTE
    True
    """
    a: Sequence[str] = new.split() if by_words else new
    b: Sequence[str] = old.split() if by_words else old
    if min(len(a), len(b)) < 0.6 * max(len(a), len(b)):
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()
