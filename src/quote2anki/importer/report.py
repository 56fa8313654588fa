"""What importing one package did, counted for the summary the command prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Imported:
    """What importing one package did."""

    package: Path
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    tagged_removed: int = 0
    """Notes that got ``quote2anki::removed`` in this import."""
    moved: int = 0
    """Cards moved to their note's deck."""
    emptied: int = 0
    """Empty cards deleted (their cloze number is gone)."""
    kept_edits: int = 0
    """Notes whose fields edited in Anki were kept over an older version of ours."""
    decks_removed: list[str] = field(default_factory=list)
    notetype: list[str] = field(default_factory=list)
    """What was done to the notetype, one line each."""
    conflicts: list[str] = field(default_factory=list)
    """Notes (or parts of the notetype) that could not be updated, each by name."""
    stayed: int = 0
    """Cards left in a deck the user chose."""
    not_added: int = 0
    """Notes tagged removed that this collection never had: not added."""
