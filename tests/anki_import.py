"""Importing packages with Anki's own backend, the way File > Import does by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def import_package(col: Any, path: Path) -> Any:
    """Import ``path`` with Anki's default options ("update notes if newer"); returns the log."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False),
    )
    return col.import_anki_package(request).log
