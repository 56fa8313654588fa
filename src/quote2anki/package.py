"""Writing Anki packages (``.apkg``) with genanki: byte-identical for the same notes, atomically.

genanki stamps every note with the package's timestamp and zips with the file system's clock.
We give each note its own modification time (so "update if newer" only touches notes whose
content changed), keep the notetype's time fixed, and write the zip ourselves with fixed entry
dates. The images the notes show go in as Anki's media (zip entries ``0``, ``1``, ... and the
``media`` map naming them), each once, in the order of their names, so the same notes and
images always give the same bytes. The file appears under its final name only when it is whole.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from .errors import PackageError
from .model import Media, Note
from .notetype import (
    BASIC_FIELDS,
    BASIC_ID,
    FIELDS,
    NOTETYPE_ID,
    NOTETYPE_MOD,
    basic_notetype,
    notetype,
)
from .output import OutputFolder


def note_fields(note: Note) -> list[str]:
    """A note's field values in its notetype's order (:data:`~quote2anki.notetype.FIELDS`, or
    :data:`~quote2anki.notetype.BASIC_FIELDS` for a Basic note); fields a newer version
    appended are empty until it fills them."""
    values = list(note.fields)
    wanted = BASIC_FIELDS if note.basic else FIELDS
    return values + [""] * (len(wanted) - len(values))


class _Note(genanki.Note):  # type: ignore[misc]
    """A genanki note stamped with its own modification time instead of the package's."""

    def __init__(self, mod: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mod = mod

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


def deck_id(name: str) -> int:
    """A stable deck ID from the deck's name, in the range Anki and JSON both handle.

    >>> deck_id("Books::Dune") == deck_id("Books::Dune") != deck_id("Books::Emma")
    True
    """
    digest = hashlib.sha256(f"quote2anki deck\x1f{name}".encode()).digest()
    return (1 << 40) + int.from_bytes(digest[:5], "big")


def _decks(notes: Sequence[Note], descriptions: Mapping[str, str]) -> dict[str, genanki.Deck]:
    decks: dict[str, genanki.Deck] = {}
    for note in notes:
        if note.deck not in decks:
            decks[note.deck] = genanki.Deck(deck_id(note.deck), note.deck,
                                            descriptions.get(note.deck, ""))
    return decks


def _models() -> dict[bool, genanki.Model]:
    """Our notetypes, by whether a note is a Basic one (see :attr:`Note.basic`)."""
    return {False: notetype(), True: basic_notetype()}


def write_with_genanki(cursor: sqlite3.Cursor, notes: Sequence[Note], mods: Sequence[int],
                       descriptions: Mapping[str, str]) -> None:
    """The collection as genanki writes it, note by note: the reference for the fast path."""
    models = _models()
    decks = _decks(notes, descriptions)
    for note, mod in zip(notes, mods, strict=True):
        decks[note.deck].add_note(_Note(mod, model=models[note.basic], fields=note_fields(note),
                                        tags=list(note.tags), guid=note.guid))
    first_id = max(mods, default=NOTETYPE_MOD) * 1000
    genanki.Package(list(decks.values())).write_to_db(cursor, NOTETYPE_MOD,
                                                      itertools.count(first_id))


_NOTE_ROW = "INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?);"
_CARD_ROW = "INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?);"


def write_fast(cursor: sqlite3.Cursor, notes: Sequence[Note], mods: Sequence[int],
               descriptions: Mapping[str, str]) -> None:
    """The same statements genanki executes, in the same order, without its per-note Python.

    genanki spends most of a large build re-deriving each note's cards from the template and
    checking its HTML; here the decks and the notetype still go through genanki, and the rows
    are inserted directly. The result is byte-identical (a test compares them).
    """
    models = _models()
    decks = _decks(notes, descriptions)
    by_deck: dict[str, list[int]] = {name: [] for name in decks}
    for index, note in enumerate(notes):
        by_deck[note.deck].append(index)
    ids = itertools.count(max(mods, default=NOTETYPE_MOD) * 1000)
    cursor.executescript(APKG_SCHEMA)
    cursor.executescript(APKG_COL)
    deck_list = _DeckList(cursor)
    for name, deck in decks.items():
        # the notetypes of the deck's notes, in the order they first appear, as genanki adds them
        used = dict.fromkeys(models[notes[index].basic].model_id for index in by_deck[name])
        deck_list.add(cursor, deck, [m for m in dict.fromkeys(models.values())
                                     if m.model_id in used], list(used))
        identifier = deck.deck_id
        for index in by_deck[name]:
            note, mod = notes[index], mods[index]
            note_id = next(ids)
            tags = " " + " ".join(note.tags) + " "
            fields = "\x1f".join(note_fields(note))
            flashcard = note.basic
            cursor.execute(_NOTE_ROW, (note_id, note.guid, BASIC_ID if flashcard else NOTETYPE_ID,
                                       mod, -1, tags, fields, note.text, 0, 0, ""))
            # a cloze note's cards are the set genanki builds, from the same numbers in the same
            # order, so they come out in its (set) order; a flashcard's are its templates' order
            ords: Iterable[int] = (sorted(number - 1 for number in note.cards) if flashcard else
                                   {number - 1 for number in note.cards})
            for card in ords:
                cursor.execute(_CARD_ROW, (next(ids), note_id, identifier, card, mod, -1, 0, 0,
                                           0, 0, 0, 0, 0, 0, 0, 0, 0, ""))


class _DeckList:
    """genanki's per-deck updates of the collection's deck and notetype JSON, same statements
    and same text, without re-parsing the growing deck list each time (quadratic in decks)."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        (text,) = cursor.execute("SELECT decks FROM col").fetchone()
        self.parts = {key: f"{json.dumps(key)}: {json.dumps(value)}"
                      for key, value in json.loads(text).items()}

    def add(self, cursor: sqlite3.Cursor, deck: genanki.Deck, models: Sequence[genanki.Model],
            order: Sequence[int]) -> None:
        key = str(deck.deck_id)
        self.parts[key] = f"{json.dumps(key)}: {json.dumps(deck.to_json())}"
        cursor.execute("UPDATE col SET decks = ?", ("{" + ", ".join(self.parts.values()) + "}",))
        (text,) = cursor.execute("SELECT models from col").fetchone()
        stored = json.loads(text)
        by_id = {model.model_id: model for model in models}
        stored.update({model_id: by_id[model_id].to_json(NOTETYPE_MOD, deck.deck_id)
                       for model_id in order})
        cursor.execute("UPDATE col SET models = ?", (json.dumps(stored),))


def write_collection(path: Path | str, notes: Sequence[Note], mods: Sequence[int],
                     descriptions: Mapping[str, str], fast: bool = True) -> None:
    """Write the SQLite collection to a new file at ``path`` (as genanki does: on disk)."""
    connection = sqlite3.connect(path)
    try:
        # a scratch file needs no rollback journal, and a killed build then leaves no
        # "-journal" file behind; the collection's bytes are the same either way (checked)
        connection.execute("PRAGMA journal_mode=OFF")
        writer = write_fast if fast else write_with_genanki
        writer(connection.cursor(), notes, mods, descriptions)
        connection.commit()
    finally:
        connection.close()


def write_package(folder: OutputFolder, name: str, notes: Sequence[Note], mods: Sequence[int],
                  descriptions: Mapping[str, str]) -> bool:
    """Write the package for ``notes`` to ``folder/name``, atomically; False if it was already so.

    The collection is built in a temporary file and streamed into the zip, so memory stays
    flat however large the vault; the package replaces the old one only when whole.
    """
    with folder.temporary() as database, folder.temporary() as archive:
        os.unlink(database)  # sqlite creates it
        write_collection(database, notes, mods, descriptions)
        with open(archive, "wb") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
                with open(database, "rb") as source, zipped.open(_entry("collection.anki2"),
                                                                 "w") as target:
                    shutil.copyfileobj(source, target, 1 << 20)
                files = package_media(notes)
                for number, item in enumerate(files):
                    # images are compressed already: stored, not deflated again
                    with open(item.path, "rb") as source, zipped.open(
                            _entry(str(number), zipfile.ZIP_STORED), "w") as target:
                        shutil.copyfileobj(source, target, 1 << 20)
                names = {str(number): item.name for number, item in enumerate(files)}
                zipped.writestr(_entry("media"), json.dumps(names).encode())
            handle.flush()
            os.fsync(handle.fileno())
        return folder.publish(archive, name)


def package_media(notes: Sequence[Note]) -> list[Media]:
    """The images a package carries: every image its notes show, each once, by name."""
    files: dict[str, Media] = {}
    for note in notes:
        for item in note.media:
            files.setdefault(item.name, item)
    return [files[name] for name in sorted(files)]


def _entry(name: str, compression: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A zip entry with a fixed date, so the same collection always gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compression
    # deflate level 1: a fifth of the default level's time, for a package about 10% larger;
    # zipfile only reads the level from this attribute when given a ZipInfo
    info._compresslevel = 1  # type: ignore[attr-defined]
    info.external_attr = 0o644 << 16
    return info


# --- reading a package back: for import, and to rebuild a lost record ------------------------


@dataclass(frozen=True, slots=True)
class PackagedNote:
    """One note of ours as a package holds it."""

    guid: str
    mod: int
    fields: dict[str, str]
    """Its field values by field name."""
    tags: tuple[str, ...]
    deck: str
    """The deck of its cards."""
    cards: tuple[int, ...]
    """The card ordinals (cloze number minus one)."""

    def field(self, name: str) -> str:
        return self.fields.get(name, "")


@dataclass(frozen=True)
class Package:
    """What a package quote2anki wrote holds: its notetype, decks and notes."""

    path: Path
    notetype: dict[str, Any]
    """The notetype as Anki's JSON (``flds``, ``tmpls``, ``css``, ``mod``...)."""
    decks: dict[str, str]
    """Each deck's name and description."""
    notes: tuple[PackagedNote, ...]

    @property
    def field_names(self) -> list[str]:
        return [str(field["name"]) for field in self.notetype.get("flds", [])]


def read_package(path: Path) -> Package:
    """Read a package quote2anki wrote; :class:`~quote2anki.errors.PackageError` (one line, what
    to do) when it is damaged, cut short or another program's."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read("collection.anki2")
    except KeyError as error:
        raise PackageError(f"{path} holds no collection: not a package quote2anki wrote; "
                           "rebuild it with quote2anki build") from error
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as error:
        raise PackageError(f"{path} is not a whole Anki package ({error}); rebuild it with "
                           "quote2anki build") from error
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        (models_json, decks_json) = connection.execute("SELECT models, decks FROM col").fetchone()
        model = json.loads(models_json).get(str(NOTETYPE_ID))
        if not isinstance(model, dict):
            raise PackageError(f"{path} was not written by quote2anki (it has no quote2anki "
                               "notetype); import it with Anki's File › Import")
        decks = {int(key): deck for key, deck in json.loads(decks_json).items()}
        names = [str(field["name"]) for field in model.get("flds", [])]
        cards: dict[int, list[tuple[int, int]]] = {}
        for nid, did, ordinal in connection.execute("SELECT nid, did, ord FROM cards"):
            cards.setdefault(int(nid), []).append((int(did), int(ordinal)))
        notes = []
        for nid, guid, mod, tags, flds in connection.execute(
                "SELECT id, guid, mod, tags, flds FROM notes WHERE mid = ? ORDER BY id",
                (NOTETYPE_ID,)):
            values = str(flds).split("\x1f")
            own = cards.get(int(nid), [])
            deck = decks.get(own[0][0], {}).get("name", "") if own else ""
            notes.append(PackagedNote(str(guid), int(mod), dict(zip(names, values, strict=False)),
                                      tuple(str(tags).split()), str(deck),
                                      tuple(sorted(ordinal for _, ordinal in own))))
    except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError) as error:
        raise PackageError(f"{path} is damaged ({error}); rebuild it with quote2anki build"
                           ) from error
    finally:
        connection.close()
    return Package(path, model, {str(deck.get("name", "")): str(deck.get("desc", ""))
                                 for deck in decks.values()}, tuple(notes))
