"""``quote2anki import``: packages into an Anki collection, keeping everything File › Import loses.

This module alone needs the optional ``anki`` package (``pip install 'quote2anki[anki]'``);
building never does. Anki's own File › Import replaces a whole note when the package's copy is
newer and leaves it alone otherwise; it cannot delete, move or merge. Here, with Anki's own
backend and the record of the build (which knows every value quote2anki ever exported for a
note), each note is merged field by field:

- **Fields we fill** (Text, Back Extra, Source): a field Anki holds as one of our earlier
  versions takes the package's value; a field the user edited in Anki keeps their edit, unless
  our version of it changed after that edit (the newest wins). A Back Extra the user wrote is
  never lost: when the notes give the quote a new note, it replaces our old text inside theirs,
  or is added after it.
- **Fields the user added** to the notetype are never touched.
- **Tags**: the package's tags, plus every tag the user (or Anki: ``marked``, ``leech``) added;
  a tag we exported before and no longer do is taken off. So ``quote2anki::removed`` arrives on
  a removed note whatever was done to it in Anki.
- **Decks**: cards still in a deck quote2anki gave them move to the note's deck now; cards the
  user moved elsewhere stay. Decks quote2anki made that end up empty are removed.
- **Cards**: a card whose cloze number is gone (an empty card) is deleted.
- **The notetype**: created with our ID; fields a newer version appends are added by name;
  templates and CSS are upgraded when the installed version is older (the user's CSS after
  :data:`~quote2anki.notetype.CSS_END` is kept); copies File › Import made (``quote2anki
  cloze+``) are merged back. A note whose notetype the user changed is left alone, and named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import ImportRefused, PackageError
from ..notetype import NOTETYPE_ID
from ..package import Package, PackagedNote, read_package
from ..state import REMOVED_TAG, Record
from .cards import Decks, clear_empty_cards, move_cards, remove_empty_decks
from .collection import collection_rows, default_collection, open_collection, records_beside
from .merge import add_notes, merge_note, model_name, named
from .notetypes import ensure_notetype, merge_copies
from .report import Imported
from .trimmed import any_guid, first_import, import_the_rest

__all__ = ["Imported", "collection_rows", "default_collection", "import_into", "import_packages",
           "open_collection", "records_beside"]


def import_packages(packages: Sequence[Path], collection: Path,
                    records: Mapping[str, Record] | None = None) -> list[Imported]:
    """Import ``packages`` into ``collection`` (see the module's docstring); refuses, without
    touching it, when Anki has it open or a package is damaged. ``records`` default to the
    record of the build in each package's folder."""
    read = [_read(path) for path in packages]  # every package whole before anything changes
    col = open_collection(collection)
    try:
        from anki.errors import AnkiException

        try:
            return [import_into(col, package, records if records is not None
                                else records_beside(package.path)) for package in read]
        except AnkiException as error:
            raise ImportRefused(f"Anki could not finish the import into {collection}: {error}"
                                ) from error
    finally:
        col.close()


def _read(path: Path) -> Package:
    try:
        return read_package(path)
    except PackageError as error:
        raise ImportRefused(f"cannot import {error}") from error


def import_into(col: Any, package: Package, records: Mapping[str, Record]) -> Imported:
    """Import one package into an open collection (the steps of the module's docstring)."""
    report = Imported(package.path)
    if col.models.get(NOTETYPE_ID) is None and not any_guid(col, package):
        return first_import(col, package, report)
    model = ensure_notetype(col, package, report)
    merge_copies(col, model, report)
    model = col.models.get(NOTETYPE_ID)
    names = [str(f["name"]) for f in model["flds"]]
    existing = {str(guid): (int(nid), int(mid), int(mod)) for guid, nid, mid, mod in
                col.db.all("SELECT guid, id, mid, mod FROM notes")}
    contents = {int(nid): (dict(zip(names, str(flds).split("\x1f"), strict=False)),
                           str(tags).split())
                for nid, flds, tags in col.db.all(
                    "SELECT id, flds, tags FROM notes WHERE mid = ?", NOTETYPE_ID)}
    decks = Decks(col, package)
    ours: dict[int, tuple[PackagedNote, frozenset[str]]] = {}
    additions: list[PackagedNote] = []
    for note in package.notes:
        found = existing.get(note.guid)
        if found is None:
            if REMOVED_TAG in note.tags:
                report.not_added += 1  # removed before it ever reached this collection
            else:
                additions.append(note)
            continue
        nid, mid, mod = found
        if mid != NOTETYPE_ID:
            report.conflicts.append(
                f"{named(note)}: its notetype in Anki is {model_name(col, mid)!r}, not "
                f"{model['name']!r}; not updated")
            continue
        record = records.get(note.guid)
        exported = record.exported() if record is not None else frozenset()
        values, tags = contents[nid]
        merge_note(col, nid, mod, values, tags, note, record, exported, names, report)
        ours[nid] = (note, exported)
    for nid, note in add_notes(col, model, additions, decks, names):
        ours[nid] = (note, frozenset())
        report.new += 1
    move_cards(col, ours, decks, report)
    clear_empty_cards(col, set(ours), report)
    remove_empty_decks(col, decks.left, report)
    import_the_rest(col, package, report)
    return report
