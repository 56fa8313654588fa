"""Anki's collection: where it is, opening it (refused while Anki has it open), and reading
our notes back out of it and the record beside a package."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ImportRefused
from ..notetype import NOTETYPE_ID
from ..output import OutputFolder
from ..state import Exported, Record, load


def default_collection() -> Path:
    """Where Anki keeps the first profile's collection on this system."""
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "Anki2"
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home())) / "Anki2"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "Anki2"
    return base / "User 1" / "collection.anki2"


def open_collection(collection: Path) -> Any:
    """Anki's collection at ``collection``; refused (untouched) when Anki has it open."""
    try:
        from anki.collection import Collection
        from anki.errors import DBError
    except ImportError as error:
        raise ImportRefused("importing needs Anki's backend: pip install 'quote2anki[anki]'"
                            ) from error
    if not collection.is_file():
        raise ImportRefused(f"no Anki collection at {collection}; pass --collection with the "
                            "path of your collection.anki2")
    try:
        return Collection(str(collection))
    except DBError as error:
        raise ImportRefused(f"the collection {collection} is open in Anki (it is locked); "
                            "close Anki and run the import again") from error


def collection_rows(col: Any) -> list[Exported]:
    """Every note of our notetype in a collection, as a record is rebuilt from it."""
    model = col.models.get(NOTETYPE_ID)
    if model is None:
        return []
    names = [str(f["name"]) for f in model["flds"]]
    decks: dict[int, str] = {}
    rows = []
    for guid, mod, flds, tags, did, odid in col.db.all(
            "SELECT n.guid, n.mod, n.flds, n.tags, c.did, c.odid FROM notes n JOIN cards c ON "
            "c.nid = n.id WHERE n.mid = ? GROUP BY n.id HAVING c.ord = MIN(c.ord)",
            NOTETYPE_ID):
        home = int(odid) or int(did)
        if home not in decks:
            decks[home] = str(col.decks.name(home))
        values = dict(zip(names, str(flds).split("\x1f"), strict=False))
        rows.append(Exported(str(guid), int(mod), values.get("Text", ""),
                             values.get("Back Extra", ""), values.get("Source", ""),
                             tuple(str(tags).split()), decks[home]))
    return rows


def records_beside(package: Path) -> Mapping[str, Record]:
    """The record of the build that wrote ``package`` (in its folder), or nothing."""
    records, _ = load(OutputFolder(package.parent))
    return records
