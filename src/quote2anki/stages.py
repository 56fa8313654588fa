"""Each step of a build timed on its own, in one process: where a build's time goes.

For benchmarks and profiling, not for building: it repeats what a build does, one step over
the whole vault at a time, without worker processes, the cache or the manifest.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from .book import read_book
from .decks import book_decks, descriptions
from .extract import extract
from .inputs import find_inputs
from .media import settle as settle_media
from .model import Note
from .notes import book_notes, merge_notes
from .options import BuildOptions
from .output import OutputFolder
from .package import write_package
from .reader import parse_source
from .state import compare

T = TypeVar("T")


@dataclass(frozen=True)
class Profile:
    """Seconds per step (``read``, ``walk``, ``extract``, ``notes``, ``decks``, ``identity``,
    ``package``) and what they made (notes, cards, package bytes)."""

    times: dict[str, float]
    counts: dict[str, int]


def profile(paths: Iterable[str | os.PathLike[str]], options: BuildOptions = BuildOptions()
            ) -> Profile:
    """Time every step of a full build of ``paths`` (nothing is written but a scratch file)."""
    times: dict[str, float] = {}

    def timed(name: str, step: Callable[[], T]) -> T:
        start = time.perf_counter()
        result = step()
        times[name] = time.perf_counter() - start
        return result

    inputs, _ = timed("find", lambda: find_inputs(paths, options))
    sources = timed("read", lambda: [parse_source(item.path, item.data or b"")
                                     for item in inputs])
    books = timed("walk", lambda: [
        settle_media(read_book(source, selection=options.selection, relative=item.relative,
                               named=item.relative is None),
                     item.placement, options.obsidian_links)[0]
        for source, item in zip(sources, inputs, strict=True)])
    books = [book for book in books if book.kind == "book"]
    books = timed("extract", lambda: [extract(book) for book in books])
    books.sort(key=lambda book: (book.title.casefold(), book.path))
    per_book = timed("notes", lambda: [list(book_notes(book)) for book in books])

    def settle() -> tuple[list[Note], dict[str, str]]:
        notes, _ = merge_notes(per_book)
        decks, _ = book_decks(books, options.prefix_for)
        return [replace(note, deck=decks[note.path]) for note in notes], decks

    notes, decks = timed("decks", settle)
    mtimes = {item.path: item.mtime for item in inputs}
    comparison = timed("identity", lambda: compare(notes, {}, mtimes))
    with tempfile.TemporaryDirectory() as scratch:
        folder = OutputFolder(Path(scratch))
        about = descriptions(books, decks)
        timed("package", lambda: write_package(folder, "profile.apkg", comparison.notes,
                                               comparison.mods, about))
        size = (folder / "profile.apkg").stat().st_size
    quotes = sum(1 for note in notes if note.kind == "quote")
    counts = {"files": len(inputs), "quote_notes": quotes, "definition_notes": len(notes) - quotes,
              "cards": sum(len(note.cards) for note in notes), "apkg_bytes": size}
    return Profile(times, counts)
