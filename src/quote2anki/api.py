"""The library's public face: what the command line, the benchmarks and the evaluation use.

>>> import quote2anki
>>> book = quote2anki.read_book("# Dune\\n## Quotes\\n- Fear is the mind-killer, said Paul.\\n")
>>> book.title, [quote.text for quote in book.quotes]
('Dune', ['Fear is the mind-killer, said Paul.'])
>>> [note.deck for note in quote2anki.notes_for(book)]
['Books::Dune']
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import build as _build
from .diagnostics import for_screen
from .errors import BuildError
from .fields import listing
from .model import Book, Note, Problem
from .options import DEFAULT_DECK_PREFIX, BuildOptions
from .output import OutputFolder, write_atomic

if TYPE_CHECKING:
    from . import collect as _collect
    from .importer import Imported
    from .state import Comparison, Record

# Reading notes (the walker, the tagger, the definition patterns) and writing packages take
# most of a second to import: each is imported where it is first used, so a build that finds
# nothing changed, or a command that only prints, never pays for them.

__all__ = ["DEFAULT_DECK_PREFIX", "BuildOptions", "BuildResult", "Preview", "Vault",
           "default_collection", "for_screen", "import_packages", "listing", "notes_for",
           "read_book", "sorted_problems"]
# ``listing`` (a note as one line, gaps shown as Anki shows them), ``for_screen`` (problems
# grouped for a summary) and ``sorted_problems`` are how the command line prints: a library user
# printing the same gets the same text.

BuildResult = _build.BuildResult


def read_book(text: str | bytes, path: str = "note.md") -> Book:
    """The book one note's Markdown describes, with its quotes and definitions extracted.

    ``path`` only names the note in problems and notes' sources.
    """
    from .book import read_book as _read_book
    from .extract import extract
    from .reader import parse_source

    data = text.encode("utf-8") if isinstance(text, str) else text
    return extract(_read_book(parse_source(path, data)))


def notes_for(book: Book, options: BuildOptions = BuildOptions()) -> list[Note]:
    """The Anki notes one book makes on its own (its deck as if no other book shared its
    title)."""
    from .decks import book_decks
    from .notes import book_notes, merge_notes

    decks, _ = book_decks([book], options.prefix_for)
    deck = decks[book.path]
    notes, _ = merge_notes([book_notes(book)])  # each GUID once, as a build writes them
    return [replace(note, deck=deck) for note in notes]


@dataclass(frozen=True)
class Preview:
    """What a preview page shows: every note with its status since the last build."""

    path: Path
    notes: tuple[Note, ...]
    statuses: tuple[str, ...]
    problems: tuple[Problem, ...]

    @property
    def cards(self) -> int:
        return sum(len(note.cards) for note in self.notes)


class Vault:
    """The notes under some paths (files, or folders searched for ``*.md``), read once.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "Dune.md").write_text("# Dune\\n## Quotes\\n- Fear is the mind-killer.\\n")
    >>> vault = Vault([folder])
    >>> [book.title for book in vault.books()], len(vault.notes()), vault.problems
    (['Dune'], 1, ())
    """

    def __init__(self, paths: Iterable[str | os.PathLike[str]],
                 options: BuildOptions = BuildOptions()) -> None:
        self.paths = list(paths)
        self.options = options

    @cached_property
    def _collected(self) -> _collect.Collected:
        from . import collect as _collect
        from .inputs import find_inputs

        inputs, found = find_inputs(self.paths, self.options)
        return _collect.collect(inputs, self.options, found, roots=self.paths)[0]

    def books(self) -> tuple[Book, ...]:
        """Each note file's book (title, author, tags), in title order."""
        return self._collected.books

    def notes(self) -> tuple[Note, ...]:
        """Every note a build writes of these files, decks settled, each GUID once."""
        return self._collected.notes

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem found reading the notes, as ``file:line: level: message``."""
        return self._collected.problems

    def build(self, out: str | os.PathLike[str] = "decks",
              progress: _collect.Progress | None = None) -> BuildResult:
        """Write the packages into the folder ``out`` (see :func:`quote2anki.build.build`)."""
        return _build.build(self.paths, Path(out), self.options, progress)

    def compare(self, out: str | os.PathLike[str] = "decks") -> Comparison:
        """This vault's notes against the last build recorded in ``out``; nothing written."""
        return _build.compare(self._collected, OutputFolder(Path(out)),
                              self.options.forget_removed, self.options.accept_removals)[1]

    def rebuild_record(self, out: str | os.PathLike[str] = "decks", *,
                       collection: str | os.PathLike[str] | None = None,
                       package: str | os.PathLike[str] | None = None,
                       force: bool = False) -> int:
        """Rebuild the record of the last build in ``out`` from the notes an Anki
        ``collection`` holds (``quote2anki state --from-collection``) or from a ``package`` an
        earlier build wrote; returns how many notes it records. A record already there is only
        replaced with ``force``."""
        from . import state as _state
        from .package import read_package

        folder = OutputFolder(Path(out))
        folder.prepare()
        with folder.locked():
            existing, problem = _state.load(folder)
            if existing and problem is None and not force:
                raise BuildError(f"{folder.state} already holds the record of the last build; "
                                 "pass --force to replace it")
            if collection is not None:
                from .importer import collection_rows, open_collection

                col = open_collection(Path(collection))
                try:
                    rows = collection_rows(col)
                finally:
                    col.close()
            elif package is not None:
                rows = _build.exported(read_package(Path(package)))
            else:
                raise ValueError("rebuild_record needs a collection or a package")
            records = _state.rebuilt(rows, self.notes(), from_anki=collection is not None)
            try:
                _state.save(folder, records)
            except (OSError, sqlite3.Error) as error:
                why = getattr(error, "strerror", None) or error
                raise BuildError(f"cannot write {folder.state}: {why}") from error
        return len(records)

    def preview(self, out: str | os.PathLike[str] = "decks",
                page: str | os.PathLike[str] | None = None,
                mathjax: str | os.PathLike[str] | None = None) -> Preview:
        """Write one HTML page of every card, front and back, as Anki shows it, marking what
        changed since the last build in ``out`` (the page goes to ``out/preview.html`` unless
        ``page`` says otherwise). The images the cards show are copied into a folder beside
        the page (``preview-media/``); ``mathjax``, a MathJax script such as Anki's own
        ``tex-chtml-full.js``, typesets the formulas."""
        from .package import package_media
        from .preview import render_page

        collected, comparison = _build.compare(self._collected, OutputFolder(Path(out)),
                                               self.options.forget_removed,
                                               self.options.accept_removals)
        target = Path(page) if page is not None else Path(out) / "preview.html"
        statuses = {note.guid: status for note, status in
                    zip(comparison.notes, comparison.statuses, strict=True)}
        target.parent.mkdir(parents=True, exist_ok=True)
        images = package_media(comparison.notes)
        folder = f"{target.stem}-media"
        if images:
            (target.parent / folder).mkdir(exist_ok=True)
            for image in images:
                copy = target.parent / folder / image.name
                if not copy.is_file() or copy.stat().st_size != Path(image.path).stat().st_size:
                    write_atomic(copy, Path(image.path).read_bytes())
        page_html = render_page(comparison.notes, statuses, media=folder if images else None,
                                mathjax=Path(mathjax) if mathjax is not None else None)
        write_atomic(target, page_html.encode("utf-8"))
        return Preview(target, comparison.notes, comparison.statuses, collected.problems)


def write_record_json(out: str | os.PathLike[str], handle: TextIO) -> int:
    """Write the record of the last build in ``out`` to ``handle`` as JSON (its field names
    once, then one note per line, by GUID; ``quote2anki state --json``); returns how many notes
    it holds. :class:`~quote2anki.errors.BuildError` when there is none or it cannot be read."""
    from . import state as _state

    folder = OutputFolder(Path(out))
    records, problem = _state.load(folder)
    if problem is not None:
        raise BuildError(problem.message + f": {problem.path}")
    if not records.found:
        raise BuildError(f"no record of an earlier build in {folder.path}")
    _state.dump(records, handle)
    return len(records)


def default_collection() -> Path:
    """Where Anki keeps the first profile's collection on this system."""
    from .importer import default_collection as where

    return where()


def import_packages(packages: Sequence[Path], collection: Path,
                    records: Mapping[str, Record] | None = None) -> list[Imported]:
    """Import ``packages`` into ``collection``: see :func:`quote2anki.importer.import_packages`
    (Anki's own backend, imported only here)."""
    from .importer import import_packages as into

    return into(packages, collection, records)


def sorted_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Problems in reading order: by file, then line (a file's own problems first)."""
    return sorted(problems, key=lambda p: (p.path, p.line or 0))
