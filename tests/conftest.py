"""Shared fixtures: the reference sample, the bundled notes, and a real Anki collection."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"
# The shared folder sits beside the checkout (../shared), or beside a folder of worktrees.
SAMPLES = next((parent / "shared" / "samples" for parent in ROOT.parents
                if (parent / "shared" / "samples").is_dir()), ROOT.parent / "shared" / "samples")
SAMPLE = SAMPLES / "Designing Machine Learning Systems.md"
GOLDEN = Path(__file__).parent / "golden"

# A fixed moment well in the past, so that anything Anki stamps "now" is newer than the files.
T0 = 1_700_000_000


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A copy of the sample note and the bundled notes, with old, known modification times."""
    folder = tmp_path / "vault"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    for note in NOTES.glob("*.md"):
        shutil.copy(note, folder / note.name)
    for file in folder.iterdir():
        os.utime(file, (T0, T0))
    return folder


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[object]:
    """A fresh collection in Anki's own backend (the ``anki`` package from PyPI)."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()
