"""This build's notes against the last build's record: GUIDs settled, modification times
stamped, removals carried, and what the user should hear about it.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from ..fields import card_numbers
from ..identity import book_key, guid_for, reidentify
from ..model import Note, Problem
from .records import Record, Records, content_hash, phrases, record_for, record_note
from .store import Changes, changes

Status = Literal["new", "changed", "unchanged", "removed", "kept"]
"""``kept``: a note of a file this build did not read (a build of fewer files, an unreadable
file, a file that lost most of its notes at once), exported as it was last time."""

MASS_LOSS = 5
"""A file that loses at least this many notes at once, and more than half of what it held, is
taken for damaged (a truncated save, a sync conflict): its notes are kept, with a warning, until
a build with ``--accept-removals``."""


def clock() -> int:
    """The build's clock: now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(fixed) if fixed.isdigit() else int(time.time())



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
    _places: dict[str, Place] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, read: Iterable[str], damaged: Iterable[str], roots: Iterable[str],
           books: Mapping[str, str]) -> Scope:
        return cls(frozenset(map(_absolute, read)), frozenset(map(_absolute, damaged)),
                   tuple(map(_absolute, roots)), dict(books))

    def where(self, path: str) -> Place:
        """Where ``path`` stands (asked once per recorded note: answered once per file)."""
        seen = self._places.get(path)
        if seen is None:
            seen = self._places[path] = self._where(path)
        return seen

    def _where(self, path: str) -> Place:
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
    changes: Changes = field(default_factory=Changes)
    """Which rows of ``records`` differ from the record compared against, as read: writing
    the record writes only those."""


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
    as_read = previous
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
        records[note.guid] = record_for(note, mod, digest, old)
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
            records[guid] = replace(record_for(note, mod, digest, old), removed=True)
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
                      forgotten, tuple(notices), changes(records, as_read))


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
    if note.gaps is old.gaps or (note.gaps == old.gaps and note.words == old.words):
        return note  # the same gaps in the same words: the same phrases (most notes, most days)
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
