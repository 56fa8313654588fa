"""Writing Anki packages (``.apkg``) with genanki: byte-identical for the same notes, atomically.

genanki stamps every note with the package's timestamp and zips with the file system's clock.
We give each note its own modification time (so "update if newer" only touches notes whose
content changed), keep the notetype's time fixed, and write the zip ourselves with fixed entry
dates. The file appears under its final name only when it is whole.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

import genanki

from .model import Note

NOTETYPE_ID = 1843107217
"""Fixed forever for this notetype version: Anki recognises our notetype by it on re-import."""
NOTETYPE_NAME = "quote2anki cloze"
NOTETYPE_MOD = 1764115200
"""When this notetype version was made (2025-11-26). Bump it with any template or CSS change."""

FIELDS = ("Text", "Back Extra", "Source")

_FRONT = """<div class="q2a-text">{{cloze:Text}}</div>
<div class="q2a-source">{{Source}}</div>"""
_BACK = """<div class="q2a-text">{{cloze:Text}}</div>
{{#Back Extra}}<div class="q2a-extra">{{Back Extra}}</div>{{/Back Extra}}
<div class="q2a-source">{{Source}}</div>"""


def notetype_css() -> str:
    return files("quote2anki").joinpath("notetype.css").read_text(encoding="utf-8")


class _Notetype(genanki.Model):  # type: ignore[misc]
    """Our cloze notetype, with a modification time that only changes with its version."""

    def to_json(self, timestamp: float, deck_id: int) -> dict[str, Any]:
        return super().to_json(NOTETYPE_MOD, deck_id)  # type: ignore[no-any-return]


class _Note(genanki.Note):  # type: ignore[misc]
    """A genanki note stamped with its own modification time instead of the package's."""

    def __init__(self, mod: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mod = mod

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


def notetype() -> genanki.Model:
    return _Notetype(
        NOTETYPE_ID,
        NOTETYPE_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Cloze", "qfmt": _FRONT, "afmt": _BACK}],
        css=notetype_css(),
        model_type=genanki.Model.CLOZE,
        sort_field_index=0,
    )


def deck_id(name: str) -> int:
    """A stable deck ID from the deck's name, in the range Anki and JSON both handle.

    >>> deck_id("Books::Dune") == deck_id("Books::Dune") != deck_id("Books::Emma")
    True
    """
    digest = hashlib.sha256(f"quote2anki deck\x1f{name}".encode()).digest()
    return (1 << 40) + int.from_bytes(digest[:5], "big")


def collection_bytes(notes: Sequence[Note], mods: Sequence[int], descriptions: dict[str, str]
                     ) -> bytes:
    """The SQLite collection inside the package, built in memory."""
    model = notetype()
    decks: dict[str, genanki.Deck] = {}
    for note, mod in zip(notes, mods, strict=True):
        deck = decks.get(note.deck)
        if deck is None:
            deck = decks[note.deck] = genanki.Deck(deck_id(note.deck), note.deck,
                                                   descriptions.get(note.deck, ""))
        deck.add_note(_Note(mod, model=model, fields=[note.text, note.extra, note.source],
                            tags=list(note.tags), guid=note.guid))
    first_id = (max(mods, default=NOTETYPE_MOD)) * 1000
    connection = sqlite3.connect(":memory:")
    try:
        cursor = connection.cursor()
        genanki.Package(list(decks.values())).write_to_db(cursor, NOTETYPE_MOD,
                                                          itertools.count(first_id))
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


def package_bytes(collection: bytes) -> bytes:
    """The ``.apkg`` zip around a collection, with fixed entry dates: same input, same bytes."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("collection.anki2", collection), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename; False if unchanged.

    A kill at any moment leaves either the old file or the new one, never half of one.
    """
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    with _temporary(path) as temporary:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # as a plain open() would have created it
        os.replace(temporary, path)
    return True


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


TEMP_PREFIX = ".quote2anki-"
TEMP_SUFFIX = ".tmp"


@contextmanager
def _temporary(path: Path) -> Iterator[str]:
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    os.close(handle)
    try:
        yield name
    finally:
        if os.path.exists(name):
            os.unlink(name)
