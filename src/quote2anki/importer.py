"""Importing built packages straight into an Anki collection, with Anki's own backend.

This module alone needs the optional ``anki`` package (``pip install 'quote2anki[anki]'``);
building never does. The import uses the same rules as Anki's File > Import: notes are matched
by GUID and updated only when the package's copy is newer, and review history is kept.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ImportRefused


@dataclass(frozen=True)
class Imported:
    package: Path
    new: int
    updated: int
    unchanged: int


def default_collection() -> Path:
    """Where Anki keeps the first profile's collection on this system."""
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "Anki2"
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home())) / "Anki2"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "Anki2"
    return base / "User 1" / "collection.anki2"


def import_packages(packages: Sequence[Path], collection: Path) -> list[Imported]:
    """Import ``packages`` into ``collection``; refuses (without touching it) when Anki is open."""
    try:
        from anki.collection import (
            Collection,
            ImportAnkiPackageOptions,
            ImportAnkiPackageRequest,
        )
        from anki.errors import AnkiException, DBError
    except ImportError as error:
        raise ImportRefused("importing needs Anki's backend: pip install 'quote2anki[anki]'"
                            ) from error
    if not collection.is_file():
        raise ImportRefused(f"no Anki collection at {collection}; pass --collection with the "
                            "path of your collection.anki2")
    try:
        col = Collection(str(collection))
    except DBError as error:
        raise ImportRefused(f"the collection {collection} is open in Anki (it is locked); "
                            "close Anki and run the import again") from error
    results = []
    try:
        for package in packages:
            request = ImportAnkiPackageRequest(
                package_path=str(package.resolve()),
                options=ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False),
            )
            try:
                log = col.import_anki_package(request).log
            except AnkiException as error:
                raise ImportRefused(f"cannot import {package}: {error}; it is not a whole "
                                    "Anki package (rebuild it with quote2anki build)") from error
            results.append(Imported(package, len(log.new), len(log.updated),
                                    len(log.duplicate)))
    finally:
        col.close()
    return results
