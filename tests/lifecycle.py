"""Living with a deck for months, in a test: notes on disk, builds, a real Anki collection.

Time is simulated so that every step is strictly later than the one before (a test does in
a second what a user does over weeks): the build's clock is ``SOURCE_DATE_EPOCH``, file times
are set with ``os.utime``, and an edit made "in Anki" is stamped with the same clock. Anki
itself is the real backend (``anki`` from PyPI), never a mock.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from quote2anki import BuildOptions, BuildResult, Vault

from anki_import import import_package


class Clock:
    """Simulated time: each :meth:`tick` is a moment later than any before it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.now = int(time.time()) - 100_000  # well before the real clock: Anki's own stamps
        self.tick()                           # (reviews, tags it adds) are "later" still

    def tick(self, seconds: int = 100) -> int:
        self.now += seconds
        self.monkeypatch.setenv("SOURCE_DATE_EPOCH", str(self.now))
        return self.now


class Life:
    """A vault, an output folder and an Anki collection, and what a user does with them."""

    def __init__(self, root: Path, clock: Clock) -> None:
        self.notes = root / "notes"
        self.notes.mkdir()
        self.out = root / "decks"
        self.path = root / "collection.anki2"
        self.clock = clock
        self._col: Any = None

    # --- the notes ---

    def write(self, name: str, text: str) -> Path:
        """Save a note file now (simulated)."""
        path = self.notes / name
        path.write_text(text, encoding="utf-8")
        stamp = self.clock.tick()
        os.utime(path, (stamp, stamp))
        return path

    def edit(self, name: str, old: str, new: str) -> Path:
        path = self.notes / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        return self.write(name, text.replace(old, new))

    def build(self, *paths: Path, out: Path | None = None, **options: Any) -> BuildResult:
        self.clock.tick()
        return Vault(list(paths) or [self.notes], BuildOptions(**options)).build(
            out or self.out)

    # --- Anki ---

    @property
    def col(self) -> Any:
        if self._col is None:
            from anki.collection import Collection

            self._col = Collection(str(self.path))
        return self._col

    def close(self) -> None:
        if self._col is not None:
            self._col.close()
            self._col = None

    @contextmanager
    def closed(self) -> Iterator[Path]:
        """The collection closed (as Anki must be for ``quote2anki import``), then reopened."""
        self.close()
        try:
            yield self.path
        finally:
            _ = self.col

    def file_import(self, out: Path | None = None) -> list[Any]:
        """Anki's File › Import of every package, with its default options."""
        return [import_package(self.col, package) for package in
                sorted((out or self.out).glob("*.apkg"))]

    def q2a_import(self, out: Path | None = None) -> list[Any]:
        """``quote2anki import`` of every package (into the open collection)."""
        from quote2anki.importer import import_into, records_beside
        from quote2anki.package import read_package

        return [import_into(self.col, read_package(package), records_beside(package))
                for package in sorted((out or self.out).glob("*.apkg"))]

    def notes_in_anki(self) -> list[Any]:
        return [self.col.get_note(nid) for nid in self.col.find_notes("")]

    def note(self, words: str) -> Any:
        """The one note whose Text (or Front), read as plain words, contains ``words``."""
        found = [note for note in self.notes_in_anki() if words in plain(note.fields[0])]
        assert len(found) == 1, f"{len(found)} notes hold {words!r}"
        return found[0]

    def study(self, note: Any, ease: int = 3) -> list[int]:
        """Answer every card of ``note`` once; returns the card ids."""
        ids = []
        for card in note.cards():
            card.start_timer()
            self.col.sched.answerCard(card, ease)
            ids.append(card.id)
        return ids

    def reviews(self, card_id: int) -> int:
        return int(self.col.db.scalar("SELECT count() FROM revlog WHERE cid = ?", card_id))

    def edit_in_anki(self, note: Any, **fields: str) -> None:
        """An edit made in Anki's editor, now (simulated): fields by name, ``tags`` too."""
        for name, value in fields.items():
            if name == "tags":
                note.tags = value.split()
            else:
                note[name.replace("_", " ")] = value
        self.col.update_note(note)
        self.stamp(note)

    def stamp(self, note: Any) -> None:
        """Date the last change of ``note`` in Anki (an edit, a tag Anki added) to now
        (simulated), as if it had been made then."""
        self.col.db.execute("UPDATE notes SET mod = ? WHERE id = ?", self.clock.tick(), note.id)

    def deck_of(self, card_id: int) -> str:
        return str(self.col.decks.name(self.col.get_card(card_id).did))


def plain(field: str) -> str:
    """A field as a reader says it: cloze syntax and tags dropped, entities decoded."""
    import html

    text = re.sub(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", r"\1", field)
    return html.unescape(re.sub(r"<[^>]+>", "", text))
