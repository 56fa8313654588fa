"""What the previous build wrote, kept beside the decks so the next build can compare.

The state file (``.quote2anki-state.json`` in the output folder) records, for every note, a
hash of its content and the modification time it was exported with. A note keeps its time
while its content is unchanged, so Anki's "update if newer" leaves edits made inside Anki
alone; a changed note gets a newer time and is updated. Nothing is ever written into the
user's notes. A missing or unreadable state file only means every note counts as new.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from .model import Note, Problem
from .package import write_atomic

STATE_FILE = ".quote2anki-state.json"
FORMAT = "quote2anki-state"
VERSION = 1

Status = Literal["new", "changed", "unchanged"]


@dataclass(frozen=True)
class Record:
    """One exported note, as the state file remembers it."""

    hash: str
    mod: int
    kind: str
    book: str
    deck: str
    source: str
    text: str


def content_hash(note: Note) -> str:
    """A hash of everything Anki would update on re-import: fields, tags and deck."""
    parts = (note.text, note.extra, note.source, " ".join(note.tags), note.deck)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def load(folder: Path) -> tuple[dict[str, Record], Problem | None]:
    path = folder / STATE_FILE
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except OSError as error:
        return {}, _unusable(path, str(error.strerror or error))
    try:
        data = json.loads(raw)
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            return {}, _unusable(path, "written by another version")
        records = {guid: Record(**fields) for guid, fields in data["notes"].items()}
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        return {}, _unusable(path, f"not a state file ({error})")
    return records, None


def _unusable(path: Path, why: str) -> Problem:
    return Problem(str(path), None, "warning",
                   f"previous build's record cannot be used ({why}); every note counts as new "
                   "and gets a new modification time. Nothing is duplicated in Anki.")


def save(folder: Path, records: Mapping[str, Record]) -> None:
    data = {
        "format": FORMAT,
        "version": VERSION,
        "notes": {guid: asdict(records[guid]) for guid in sorted(records)},
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomic(folder / STATE_FILE, text.encode("utf-8"))


def stamp(
    notes: Sequence[Note], previous: Mapping[str, Record], mtimes: Mapping[str, int]
) -> tuple[list[int], list[Status], dict[str, Record]]:
    """Modification times and change status for ``notes``, and the records to save.

    An unchanged note keeps the time it was exported with. A new or changed note gets the time
    its file was last saved: an edit made inside Anki after that moment is newer and survives
    ("update if newer" keeps the most recent edit), and the same files always give the same
    package. A changed note's time is also always later than the one it replaces.
    """
    mods: list[int] = []
    statuses: list[Status] = []
    records: dict[str, Record] = {}
    for note in notes:
        digest = content_hash(note)
        old = previous.get(note.guid)
        if old is not None and old.hash == digest:
            mod, status = old.mod, "unchanged"
        else:
            mod = mtimes.get(note.path, 0)
            status = "new" if old is None else "changed"
            if old is not None:
                mod = max(mod, old.mod + 1)
        mods.append(mod)
        statuses.append(status)  # type: ignore[arg-type]
        records[note.guid] = Record(digest, mod, note.kind, note.book, note.deck,
                                    note.location, note.words)
    return mods, statuses, records
