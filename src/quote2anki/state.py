"""What the previous build wrote, kept beside the decks so the next build can compare.

The state file (``.quote2anki-state.json`` in the output folder, one JSON object per note, keyed
by GUID) is what makes re-export safe without writing anything into the user's notes:

- **Identity.** :mod:`quote2anki.identity` matches this build's notes to the ones recorded here,
  so an edited quote keeps its GUID and Anki keeps its history.
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, BinaryIO, Literal

from .fields import card_numbers, parse, render
from .identity import reidentify
from .model import Gap, Kind, Note, Problem, Span
from .output import STATE_FILE, OutputFolder

FORMAT = "quote2anki-state"
VERSION = 3
READABLE_VERSIONS = (2, 3)
"""Version 2 kept each note's Text field instead of its words and gaps; it is read and
converted, so upgrading quote2anki never costs a note its identity."""
REMOVED_TAG = "quote2anki::removed"

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

    @property
    def path(self) -> str:
        """The note file it came from."""
        return self.source.rpartition(":")[0] or self.source


def content_hash(note: Note) -> str:
    """A hash of everything Anki would update on re-import: fields, tags and deck."""
    parts = (note.text, note.extra, note.source, " ".join(note.tags), note.deck)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def load(folder: OutputFolder, current: Mapping[str, Note] | None = None
         ) -> tuple[dict[str, Record], Problem | None]:
    """The previous build's record, read a line (a note) at a time to keep memory flat.

    Fields equal to those of the ``current`` note with the same GUID share its strings, so an
    unchanged vault is not held in memory twice.
    """
    path = folder.state
    try:
        with open(path, encoding="utf-8") as handle:
            return _parse(handle, current or {}), None
    except FileNotFoundError:
        return {}, None
    except OSError as error:
        return {}, _unusable(str(path), str(error.strerror or error))
    except _Unusable as error:
        return {}, _unusable(str(path), str(error))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        return {}, _unusable(str(path), f"not a state file ({error})")


class _Unusable(Exception):
    pass


_HEAD_END = ', "notes": {'
_FIELDS = [field.name for field in fields(Record)]


def _parse(handle: Iterable[str], current: Mapping[str, Note]) -> dict[str, Record]:
    lines = iter(handle)
    head = next(lines, "").rstrip("\n")
    if not head.endswith(_HEAD_END):
        raise _Unusable("not a state file")
    data = json.loads(head.removesuffix(_HEAD_END) + "}")
    if data.get("format") != FORMAT or data.get("version") not in READABLE_VERSIONS:
        raise _Unusable("written by another version")
    names = data.get("fields")
    if not isinstance(names, list) or not {"hash", "mod", "kind", "book", "source"} <= set(names):
        raise _Unusable("its fields are not the ones this version reads")
    records = {}
    for line in lines:
        line = line.rstrip("\n").removesuffix(",")
        if line in ("}}", ""):
            continue
        guid, values = json.loads("{" + line + "}").popitem()
        record = _record_of(dict(zip(names, values, strict=True)))
        note = current.get(guid)
        if note is not None and (record.words, record.extra, record.field_source) == (
                note.words, note.extra, note.source):
            record = replace(record, words=note.words, extra=note.extra, field_source=note.source,
                             gaps=note.gaps if record.gaps == note.gaps else record.gaps,
                             tags=note.tags if record.tags == note.tags else record.tags,
                             spans=note.spans if record.spans == note.spans else record.spans)
        records[guid] = record
    return records


def _record_of(values: dict[str, Any]) -> Record:
    if "words" in values:
        words = str(values["words"])
        gaps = tuple(Gap(int(s), int(e), int(n), h) for s, e, n, h in values["gaps"])
    else:  # version 2: the Text field itself
        words, gaps = parse(str(values["text"]))
    return Record(str(values["hash"]), int(values["mod"]), str(values["kind"]),
                  str(values["book"]), str(values["deck"]), str(values["source"]), words, gaps,
                  str(values["extra"]), str(values["field_source"]), tuple(values["tags"]),
                  values.get("term"), tuple(values.get("aliases") or ()),
                  bool(values.get("removed")),
                  tuple(values.get("cards") or card_numbers(gaps)),
                  tuple(Span(int(s), int(e), k, t, label, size)
                        for s, e, k, t, label, size in values.get("spans") or ()))


def _unusable(path: str, why: str) -> Problem:
    return Problem(path, None, "warning",
                   f"previous build's record cannot be used ({why}); every note counts as new. "
                   "Unchanged quotes keep their notes in Anki; edited ones arrive as new notes")


def save(folder: OutputFolder, records: Mapping[str, Record]) -> None:
    """Write the record as JSON: the field names once, then one note per line (its values in
    that order), sorted by GUID, so a plain diff between two builds shows what changed."""
    encode = _encoder()
    head = json.dumps({"format": FORMAT, "version": VERSION, "fields": _FIELDS})[:-1]

    def write(handle: BinaryIO) -> None:
        handle.write(f"{head}{_HEAD_END}".encode())
        separator = "\n"
        batch: list[str] = []
        for guid in sorted(records):
            batch.append(f"{separator}{encode(guid)}: {encode(_values(records[guid]))}")
            separator = ",\n"
            if len(batch) == 1000:  # written in slices: the whole file is never in memory
                handle.write("".join(batch).encode())
                batch.clear()
        handle.write(("".join(batch) + "\n}}\n").encode())

    folder.write_streamed(STATE_FILE, write)


def _values(record: Record) -> list[object]:
    values: list[object] = [getattr(record, name) for name in _FIELDS]
    values[_FIELDS.index("gaps")] = [[g.start, g.end, g.number, g.hint] for g in record.gaps]
    values[_FIELDS.index("spans")] = [[s.start, s.end, s.kind, s.target, s.label, s.size]
                                      for s in record.spans]
    return values


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
    return Record(digest, mod, note.kind, note.book, note.deck, note.location, note.words,
                  note.gaps, note.extra, note.source, note.tags, note.term, note.aliases,
                  cards=note.cards, spans=note.spans)


def removed_note(guid: str, old: Record) -> Note:
    """The note as it was last exported, tagged so the user can find and delete it in Anki."""
    _, _, line = old.source.rpartition(":")
    tags = tuple(dict.fromkeys((*old.tags, REMOVED_TAG)))
    kind: Kind = ("definition" if old.kind == "definition" else
                  "flashcard" if old.kind == "flashcard" else "quote")
    return Note(kind=kind, guid=guid,
                book=old.book, deck=old.deck, text=render(old.words, old.gaps, old.spans),
                extra=old.extra, source=old.field_source, tags=tags, path=old.path,
                line=int(line) if line.isdigit() else 0, words=old.words, gaps=old.gaps,
                cards=old.cards or card_numbers(old.gaps), term=old.term, aliases=old.aliases,
                spans=old.spans)
