"""One package note against the collection's: fields, tags and Back Extra merged, or added
anew with the package's GUID and time."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..notes import BASE_TAG
from ..notetype import OWNED_FIELDS
from ..package import PackagedNote
from ..state import REMOVED_TAG, Record, mark
from .cards import Decks
from .report import Imported


def _same(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)


def _field_mod(record: Record | None, kind: str, fallback: int) -> int:
    """When our value of one field last changed (the note's time when the record cannot say)."""
    if record is None or not record.field_mods:
        return fallback
    index = "tes".find(kind)
    return record.field_mods[index] if 0 <= index < len(record.field_mods) else fallback


def merge_note(col: Any, nid: int, anki_mod: int, current: Mapping[str, str],
           current_tags: Sequence[str], incoming: PackagedNote, record: Record | None,
           exported: frozenset[str], names: Sequence[str], report: Imported) -> None:
    """One note already in Anki, merged field by field (see the module's docstring); the note
    is only loaded and saved when something changes."""
    values = dict(current)
    changed = kept = False
    conflicts: list[str] = []
    for name in names:
        if name not in incoming.fields:
            continue
        ours, theirs = incoming.field(name), values.get(name, "")
        if _same(ours, theirs):
            continue
        kind = OWNED_FIELDS.get(name)
        if kind is None:  # a field a newer version added: ours to fill, never to overwrite
            if not theirs:
                values[name], changed = ours, True
            continue
        if mark(kind, theirs) in exported:
            values[name] = ours  # Anki holds an older version of ours: no edit of the user's
        elif kind == "e" and _holds_ours(theirs, record):
            values[name] = _merged_extra(theirs, ours, record)  # our old text inside theirs
        elif _field_mod(record, kind, incoming.mod) <= anki_mod:
            kept = True  # the user's edit in Anki is newer than ours: it stays
            continue
        elif kind == "e":
            values[name] = _merged_extra(theirs, ours, record)
        else:
            values[name] = ours
            conflicts.append(f"{named(incoming)}: your edit of {name} in Anki was older than "
                             "the change in your notes, which replaced it")
        changed = changed or values[name] != theirs
    tags = _merged_tags(current_tags, incoming.tags, exported)
    folded = {t.casefold() for t in current_tags}
    if {t.casefold() for t in tags} != folded:
        if REMOVED_TAG in incoming.tags and REMOVED_TAG not in folded:
            report.tagged_removed += 1
        changed = True
    report.kept_edits += kept
    if not changed:
        report.unchanged += 1
        return
    report.conflicts.extend(conflicts)
    note = col.get_note(nid)
    for name, value in values.items():
        if name in note and value != current.get(name):
            note[name] = value
    note.tags = tags
    col.update_note(note)
    report.updated += 1
    if all(_same(values.get(name, ""), incoming.field(name)) for name in names
           if name in incoming.fields) and (
            {t.casefold() for t in tags} == {t.casefold() for t in incoming.tags}):
        # exactly the package's note: its time, as Anki's own import keeps it, so a later
        # File › Import of a newer package still updates it
        col.db.execute("UPDATE notes SET mod = ? WHERE id = ?", incoming.mod, nid)


def _holds_ours(theirs: str, record: Record | None) -> bool:
    """Whether a Back Extra the user edited still holds a text we exported before."""
    return record is not None and any(old and old in theirs
                                      for old in (*record.earlier_extra, record.extra))


def _merged_extra(theirs: str, ours: str, record: Record | None) -> str:
    """A Back Extra the user wrote in Anki, with the notes' new text for it: our old text inside
    theirs replaced, else ours added after theirs (nothing of theirs is lost)."""
    if not ours or ours in theirs:
        return theirs
    earlier = [*(record.earlier_extra if record else ()), *([record.extra] if record else [])]
    for old in sorted((e for e in earlier if e), key=len, reverse=True):
        if old in theirs:
            return theirs.replace(old, ours, 1)
    return f"{theirs}<br><br>{ours}" if theirs.strip() else ours


def _merged_tags(theirs: Sequence[str], ours: Sequence[str], exported: frozenset[str]
                 ) -> list[str]:
    """Our tags now, and every tag of the note that was never ours."""
    def ever_ours(tag: str) -> bool:
        folded = tag.casefold()
        return (folded == BASE_TAG or folded.startswith(BASE_TAG + "::")
                or mark("g", tag) in exported)

    merged = list(dict.fromkeys(ours))
    have = {tag.casefold() for tag in merged}
    for tag in theirs:
        if tag.casefold() not in have and not ever_ours(tag):
            merged.append(tag)
            have.add(tag.casefold())
    return merged


def add_notes(col: Any, model: Mapping[str, Any], notes: Sequence[PackagedNote], decks: Decks,
         names: Sequence[str]) -> Iterable[tuple[int, PackagedNote]]:
    """New notes, with the package's GUID, fields, tags and time, cards in their deck."""
    from anki.collection import AddNoteRequest
    from anki.decks import DeckId

    requests = []
    made = []
    for incoming in notes:
        note = col.new_note(model)
        for name in names:
            if name in incoming.fields:
                note[name] = incoming.field(name)
        note.tags = list(incoming.tags)
        note.guid = incoming.guid
        requests.append(AddNoteRequest(note=note, deck_id=DeckId(decks.id(incoming.deck))))
        made.append((note, incoming))
    if requests:
        col.add_notes(requests)
    for note, incoming in made:
        col.db.execute("UPDATE notes SET mod = ? WHERE id = ?", incoming.mod, note.id)
        yield int(note.id), incoming


def named(note: PackagedNote) -> str:
    """A note as the user would recognise it: its first words, and where it came from."""
    words = html.unescape(re.sub(r"<[^>]+>|\{\{c\d+::|::[^}]*\}\}|\}\}", "", note.field("Text")))
    words = " ".join(words.split())
    short = words if len(words) <= 60 else words[:57].rstrip() + "..."
    return f"{short!r} ({note.deck})" if note.deck else repr(short)


def model_name(col: Any, mid: int) -> str:
    """A notetype as the user knows it: its name (its ID when it is gone)."""
    model = col.models.get(mid)
    return str(model["name"]) if model else str(mid)
