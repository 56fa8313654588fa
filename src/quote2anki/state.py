"""What the previous build wrote, kept beside the decks so the next build can compare.

The state file (``.quote2anki-state.json`` in the output folder, one JSON object per note, keyed
by GUID) is what makes re-export safe without writing anything into the user's notes:

- **Identity.** :mod:`quote2anki.identity` matches this build's notes to the ones recorded here,
  so an edited quote keeps its GUID and Anki keeps its history; the gaps the previous version
  had (:attr:`Record.phrases`) go to the gap chooser, so an edit does not re-choose them.
- **Modification times.** A note keeps the time it was exported with while its content is
  unchanged, so Anki's "update if newer" leaves edits made inside Anki alone. A changed note,
  and a note removed from the notes, gets the build's clock (never a file's time, which can lie
  in the past or the future): newer than any edit made in Anki before the build, so the change
  is delivered (see :func:`compare`).
- **Removals.** A package import cannot delete notes, so a note whose quote disappeared keeps
  being exported, tagged ``quote2anki::removed``, until ``--forget-removed``. A note counts as
  removed only when the file that held it was read and no longer holds it, or the file is gone
  from under the paths built: a build of fewer files, an unreadable file or one that lost most
  of its notes at once (a truncated save) keeps their notes as they were (:class:`Scope`).
- **What was ever exported.** Each record keeps short hashes of every earlier value of its
  fields, tags and deck (:attr:`Record.earlier`), so ``quote2anki import`` can tell a field the
  user edited in Anki from one that only holds an older version of ours.

A missing or unreadable state file is rebuilt from the packages in the folder when it can be
(:func:`rebuilt`), or from the Anki collection (``quote2anki state --from-collection``); the
build says so loudly either way.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, BinaryIO, Literal

from .fields import card_numbers, parse, render
from .identity import book_key, guid_for, reidentify
from .model import Gap, Kind, Note, Problem, Span
from .notes import BASE_TAG, DEFINITION_TAG
from .output import STATE_FILE, OutputFolder
from .text import fingerprint

FORMAT = "quote2anki-state"
VERSION = 4
READABLE_VERSIONS = (2, 3, 4)
"""Version 2 kept each note's Text field instead of its words and gaps, version 3 had no history
of earlier values; both are read and converted, so upgrading quote2anki never costs a note its
identity."""
REMOVED_TAG = "quote2anki::removed"
ANKI_TAGS = frozenset({"marked", "leech"})
"""Tags Anki itself adds to notes: never ours, whatever a collection says."""

Status = Literal["new", "changed", "unchanged", "removed", "kept"]
"""``kept``: a note of a file this build did not read (a build of fewer files, an unreadable
file, a file that lost most of its notes at once), exported as it was last time."""

MASS_LOSS = 5
"""A file that loses at least this many notes at once, and more than half of what it held, is
taken for damaged (a truncated save, a sync conflict): its notes are kept, with a warning, until
a build with ``--accept-removals``."""


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
        first: dict[int, str] = {}
        for gap in sorted(self.gaps, key=lambda g: g.start):
            first.setdefault(gap.number, self.words[gap.start:gap.end])
        return tuple(first[number] for number in sorted(first))

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
    first: dict[int, str] = {}
    for gap in sorted(note.gaps, key=lambda g: g.start):
        first.setdefault(gap.number, note.words[gap.start:gap.end])
    return tuple(first[number] for number in sorted(first))


def clock() -> int:
    """The build's clock: now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(fixed) if fixed.isdigit() else int(time.time())


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


def load(folder: OutputFolder, current: Mapping[str, Note] | None = None
         ) -> tuple[Records, Problem | None]:
    """The previous build's record, read a line (a note) at a time to keep memory flat.

    Fields equal to those of the ``current`` note with the same GUID share its strings, so an
    unchanged vault is not held in memory twice.
    """
    path = folder.state
    try:
        with open(path, encoding="utf-8") as handle:
            return _parse(handle, current or {}), None
    except FileNotFoundError:
        return Records(), None
    except OSError as error:
        return Records(found=True), _unusable(str(path), str(error.strerror or error))
    except _Unusable as error:
        return Records(found=True), _unusable(str(path), str(error))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        return Records(found=True), _unusable(str(path), f"not a state file ({error})")


class _Unusable(Exception):
    pass


_HEAD_END = ', "notes": {'
_FIELDS = [field.name for field in fields(Record)]


def _parse(handle: Iterable[str], current: Mapping[str, Note]) -> Records:
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
    moved = _mover(data.get("base"))
    records = Records(forgotten={str(g): int(m) for g, m in
                                 (data.get("forgotten") or {}).items()}, found=True)
    for line in lines:
        line = line.rstrip("\n").removesuffix(",")
        if line in ("}}", ""):
            continue
        guid, values = json.loads("{" + line + "}").popitem()
        record = _record_of(dict(zip(names, values, strict=True)))
        if moved is not None and record.path:
            record = replace(record, source=moved(record.source))
        note = current.get(guid)
        if note is not None and (record.words, record.extra, record.field_source) == (
                note.words, note.extra, note.source):
            record = replace(record, words=note.words, extra=note.extra, field_source=note.source,
                             gaps=note.gaps if record.gaps == note.gaps else record.gaps,
                             tags=note.tags if record.tags == note.tags else record.tags,
                             spans=note.spans if record.spans == note.spans else record.spans)
        records[guid] = record
    return records


def _mover(base: object) -> Callable[[str], str] | None:
    """Relative paths were recorded from the folder ``base``: seen from here they are others."""
    if not isinstance(base, str) or not base or os.path.abspath(base) == os.getcwd():
        return None

    def moved(source: str) -> str:
        path, _, line = source.rpartition(":")
        if not path or os.path.isabs(path):
            return source
        full = os.path.normpath(os.path.join(base, path))
        try:
            return f"{os.path.relpath(full)}:{line}"
        except ValueError:  # another drive, on Windows
            return f"{full}:{line}"

    return moved


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
                        for s, e, k, t, label, size in values.get("spans") or ()),
                  tuple(values.get("earlier") or ()),
                  tuple(values.get("earlier_extra") or ()),
                  tuple(int(m) for m in values.get("field_mods") or ()))


def _unusable(path: str, why: str) -> Problem:
    return Problem(path, None, "warning",
                   f"previous build's record cannot be used ({why})")


def save(folder: OutputFolder, records: Mapping[str, Record],
         forgotten: Mapping[str, int] | None = None) -> None:
    """Write the record as JSON: the field names once, then one note per line (its values in
    that order), sorted by GUID, so a plain diff between two builds shows what changed. The
    folder the build ran in is kept too: relative paths are relative to it."""
    encode = _encoder()
    head = json.dumps({"format": FORMAT, "version": VERSION, "fields": _FIELDS,
                       "base": os.getcwd(),
                       "forgotten": dict(sorted((forgotten or {}).items()))})[:-1]

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


Place = Literal["read", "damaged", "gone", "outside"]


def _absolute(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


@dataclass(frozen=True)
class Scope:
    """What a build read, and so which earlier notes it may call removed.

    A recorded note that no note of this build claims is **removed** only when its file was
    read (and no longer holds it) or is gone from under the paths built; it is **kept** as it was
    when its file was not read: outside the paths built (a build of fewer files), unreadable, or
    found but not read.
    """

    read: frozenset[str] = frozenset()
    """Every file read into a book (absolute)."""
    damaged: frozenset[str] = frozenset()
    """Files found but not read: unreadable, binary, empty (absolute)."""
    roots: tuple[str, ...] = ()
    """The paths built (absolute): a file under them that no longer exists is gone."""
    books: Mapping[str, str] = field(default_factory=dict)
    """A file read for each book key (:func:`~quote2anki.identity.book_key` of its title): the
    home of records rebuilt without a path."""

    @classmethod
    def of(cls, read: Iterable[str], damaged: Iterable[str], roots: Iterable[str],
           books: Mapping[str, str]) -> Scope:
        return cls(frozenset(map(_absolute, read)), frozenset(map(_absolute, damaged)),
                   tuple(map(_absolute, roots)), dict(books))

    def where(self, path: str) -> Place:
        full = _absolute(path)
        if full in self.read:
            return "read"
        if full in self.damaged:
            return "damaged"
        if os.path.exists(full):
            return "outside"
        for root in self.roots:
            if full == root or full.startswith(root.rstrip(os.sep) + os.sep):
                return "gone"
        return "outside"


@dataclass(frozen=True, slots=True)
class Comparison:
    """The notes to export (GUIDs settled, removed and kept ones included), how each compares,
    what to record, and what the user should hear about it."""

    notes: tuple[Note, ...]
    mods: tuple[int, ...]
    statuses: tuple[Status, ...]
    records: dict[str, Record]
    problems: tuple[Problem, ...] = ()
    """What holds as long as the notes stay as they are (notes kept from a damaged file)."""
    forgotten: dict[str, int] = field(default_factory=dict)
    notices: tuple[Problem, ...] = ()
    """What this build changed that the user should know (cards gone, decks to move): said
    once, not again by a build that finds nothing changed."""


Regap = Callable[[Note, tuple[str, ...]], Note]
"""Choose a quote note's gaps again, keeping the phrases of its previous version."""


def compare(
    notes: Sequence[Note],
    previous: Mapping[str, Record],
    mtimes: Mapping[str, int],
    forget_removed: bool = False,
    *,
    scope: Scope | None = None,
    now: int | None = None,
    accept_removals: bool = False,
    regap: Regap | None = None,
) -> Comparison:
    """Settle GUIDs against the previous build, stamp modification times, carry removals.

    Modification times, which decide what Anki's "update if newer" does:

    - an **unchanged** note keeps the time it was exported with, so edits made in Anki win;
    - a **changed** note (and a note first tagged removed) gets the build's clock, and always a
      time later than before: newer than any edit made in Anki before this build, so the change
      reaches Anki with the next import (File › Import replaces the whole note; ``quote2anki
      import`` merges field by field and keeps the user's tags);
    - a **new** note gets its file's modification time, never later than the build's clock (a
      file dated in the future would otherwise beat every later edit made in Anki), and later
      than any tagged copy a ``--forget-removed`` left in Anki.

    Without a ``scope`` every earlier note whose quote is gone counts as removed.
    """
    now = clock() if now is None else now
    forgotten = dict(getattr(previous, "forgotten", {}))
    previous = _placed(previous, scope)
    notes = reidentify(notes, previous)
    if regap is not None:
        notes = [_regapped(note, previous.get(note.guid), regap) for note in notes]
    notes = [_same_notetype(note, previous.get(note.guid)) for note in notes]
    present = {note.guid for note in notes}
    out_notes: list[Note] = []
    mods: list[int] = []
    statuses: list[Status] = []
    records: dict[str, Record] = {}
    problems: list[Problem] = []
    notices: list[Problem] = []
    moves: Counter[tuple[str, str]] = Counter()
    moved_at: dict[tuple[str, str], str] = {}
    for note in notes:
        old = previous.get(note.guid)
        digest = content_hash(note)
        mod, status = _stamp(digest, old, mtimes.get(note.path, 0), now,
                             forgotten.get(note.guid))
        out_notes.append(note)
        mods.append(mod)
        statuses.append(status)
        records[note.guid] = _record(note, mod, digest, old)
        if old is not None and status == "changed" and not old.removed:
            notices.extend(_lost_cards(note, old))
            if old.deck != note.deck:
                moves[(old.deck, note.deck)] += 1
                moved_at.setdefault((old.deck, note.deck), note.path)
    for (before, after), count in sorted(moves.items()):
        notices.append(Problem(moved_at[(before, after)], None, "info",
                                f"{count} note{'s' if count > 1 else ''} move from deck "
                                f"{before!r} to {after!r}: quote2anki import moves their cards; "
                                "File › Import leaves the cards of notes already in Anki where "
                                "they are (move them in Anki's browser)"))
    guarded = _guarded(previous, present, {note.path for note in notes}, scope,
                       accept_removals, problems)
    kept_unread: Counter[str] = Counter()
    for guid in sorted(previous):
        if guid in present:
            continue
        old = previous[guid]
        if old.removed:
            if forget_removed:
                forgotten[guid] = old.mod
                continue
            note = record_note(guid, old, removed=True)
            out_notes.append(note)
            mods.append(old.mod)
            statuses.append("removed")
            records[guid] = old
            continue
        where: Place = ("read" if scope is None else "outside" if not old.path
                        else scope.where(old.path))
        if where in ("read", "gone") and old.path not in guarded:
            note = record_note(guid, old, removed=True)
            digest = content_hash(note)
            mod = max(now, old.mod + 1)
            out_notes.append(note)
            mods.append(mod)
            statuses.append("removed")
            records[guid] = replace(_record(note, mod, digest, old), removed=True)
        else:
            if where == "damaged":
                kept_unread[old.path] += 1
            out_notes.append(record_note(guid, old))
            mods.append(old.mod)
            statuses.append("kept")
            records[guid] = old
    for path, count in sorted(kept_unread.items()):
        problems.append(Problem(path, None, "info",
                                f"could not be read this time: its {count} "
                                f"note{'s are' if count > 1 else ' is'} kept as last built"))
    forgotten = {guid: mod for guid, mod in forgotten.items() if guid not in records}
    return Comparison(tuple(out_notes), tuple(mods), tuple(statuses), records, tuple(problems),
                      forgotten, tuple(notices))


def _placed(previous: Mapping[str, Record], scope: Scope | None) -> Mapping[str, Record]:
    """Records rebuilt without a path get the file their book was read from this time."""
    if scope is None or all(record.path for record in previous.values()):
        return previous
    placed = Records(previous, getattr(previous, "forgotten", {}))
    for guid, record in previous.items():
        if not record.path:
            home = scope.books.get(book_key(record.book))
            if home is not None:
                placed[guid] = replace(record, source=f"{home}:0")
    return placed


def _same_notetype(note: Note, old: Record | None) -> Note:
    """A note matched to a record of the other notetype (a quote that gained or lost every gap
    it had) becomes a new note: Anki cannot move a note to another notetype on import, so the
    old one is tagged removed instead."""
    if old is None or note.basic == (old.kind == "flashcard" or not old.gaps):
        return note
    return replace(note, guid=guid_for("other notetype", note.guid))


def _regapped(note: Note, old: Record | None, regap: Regap) -> Note:
    if note.kind != "quote" or old is None or old.kind != "quote" or not old.gaps:
        return note  # (a quote that lost every gap gets its old ones back here, if still there)
    keep = old.phrases
    return note if phrases(note) == keep else regap(note, keep)


def _guarded(previous: Mapping[str, Record], present: set[str], holding: set[str],
             scope: Scope | None, accept: bool, problems: list[Problem]) -> set[str]:
    """Files read this time that lost most of their notes at once, or all of them: probably
    damaged (a file deleted on purpose is gone, not empty)."""
    if accept:
        return set()
    held: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    for guid, record in previous.items():
        if record.removed or not record.path:
            continue
        if scope is not None and scope.where(record.path) != "read":
            continue
        held[record.path] += 1
        if guid not in present:
            lost[record.path] += 1
    guarded = {path for path, count in lost.items()
               if (count >= MASS_LOSS and count * 2 > held[path]) or path not in holding}
    for path in sorted(guarded):
        problems.append(Problem(path, None, "warning",
                                f"{lost[path]} of the {held[path]} notes this file held are gone "
                                "at once: kept as they were, in case the file is damaged (a "
                                "truncated save, a sync conflict). If you removed them, build "
                                "again with --accept-removals"))
    return guarded


def _lost_cards(note: Note, old: Record) -> list[Problem]:
    gone = [number for number in card_numbers(old.gaps) if number not in note.cards]
    if not gone:
        return []
    which = ", ".join(str(number) for number in gone)
    many = len(gone) > 1
    return [Problem(note.path, note.line, "info",
                    f"card{'s' if many else ''} {which} of this note {'are' if many else 'is'} "
                    f"gone (the gap{'s' if many else ''} changed): Anki keeps "
                    f"{'them as empty cards' if many else 'it as an empty card'}; quote2anki "
                    "import deletes empty cards (after File › Import: Tools › Empty Cards)")]


def _stamp(digest: str, old: Record | None, mtime: int, now: int, tomb: int | None
           ) -> tuple[int, Status]:
    if old is not None and old.hash == digest:
        return old.mod, "unchanged"
    if old is None:
        mod = min(mtime, now) if mtime > 0 else now
        if tomb is not None:
            mod = max(mod, tomb + 1)
        return mod, "new"
    return max(now, old.mod + 1), "changed"


def _record(note: Note, mod: int, digest: str, old: Record | None = None) -> Record:
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


def removed_note(guid: str, old: Record) -> Note:
    """The note as it was last exported, tagged so the user can find and delete it in Anki."""
    return record_note(guid, old, removed=True)


# --- a record rebuilt from what the user has: the last packages, or the Anki collection -------


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
            record = _record(note, row.mod, content_hash(note))
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

