"""What Anki's own package import does best: a first import into a collection with nothing
of ours, and the notes and media the field-by-field merge leaves to it, from a trimmed copy
of the package."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ..notetype import BASIC_ID
from ..package import Package
from .report import Imported


def import_the_rest(col: Any, package: Package, report: Imported) -> None:
    """What the field-by-field merge above does not cover, through Anki's own package import
    of a copy of the package that holds only it: the notes of our Basic notetype (the reader's
    flashcards and the quotes that ask for their book: Anki's "update if newer" is right for
    them, they have no Back Extra of the user's to keep) and every image the notes show (the
    media files, named by their content, so an image already there is not copied twice)."""
    import tempfile
    import zipfile

    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with zipfile.ZipFile(package.path) as archive:
        names = set(archive.namelist())
        data = archive.read("collection.anki2")
        media = archive.read("media") if "media" in names else b"{}"
        files = {name: archive.read(name) for name in names
                 if name not in ("collection.anki2", "media")}
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        basic = connection.execute("SELECT COUNT(*) FROM notes WHERE mid = ?",
                                   (BASIC_ID,)).fetchone()[0]
        if not basic and media == b"{}":
            return
        connection.execute("DELETE FROM notes WHERE mid != ?", (BASIC_ID,))
        connection.execute("DELETE FROM cards WHERE nid NOT IN (SELECT id FROM notes)")
        connection.commit()
        copy = connection.serialize()
    finally:
        connection.close()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "rest.apkg"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("collection.anki2", copy)
            archive.writestr("media", media)
            for name, content in files.items():
                archive.writestr(name, content)
        request = ImportAnkiPackageRequest(
            package_path=str(path),
            options=ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False))
        log = col.import_anki_package(request).log
    report.new += len(log.new)
    report.updated += len(log.updated)
    report.unchanged += len(log.duplicate)


def any_guid(col: Any, package: Package) -> bool:
    """Whether the collection holds any note of the package (under whatever notetype)."""
    guids = {note.guid for note in package.notes}
    return any(str(guid) in guids for (guid,) in col.db.all("SELECT guid FROM notes"))


def first_import(col: Any, package: Package, report: Imported) -> Imported:
    """Nothing of ours in the collection yet: Anki's own package import does it all, fast."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(package.path.resolve()),
        options=ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False))
    log = col.import_anki_package(request).log
    report.new, report.updated, report.unchanged = (len(log.new), len(log.updated),
                                                    len(log.duplicate))
    report.notetype.append(f"added the notetype {package.notetype.get('name')!r}")
    return report
