"""The build: read notes, extract, make cards, write packages. The CLI is a thin layer over this.

Each step lives in its own module; this one only wires them together and keeps the rules that
span steps: which package a note goes to, what changed since the last build, and the lock
that keeps two builds into one folder from interleaving.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import package, state
from .cards import DEFAULT_DECK_PREFIX, deck_name, make_notes
from .cloze import escape
from .model import Book, Note, Problem
from .reader import find_notes, read_source
from .structure import read_book

DEFAULT_PACKAGE = "quote2anki.apkg"
LOCK_FILE = ".quote2anki.lock"


class BuildError(Exception):
    """A problem that stops the whole build (not one note): bad output folder, say."""


@dataclass(frozen=True)
class Collected:
    """Everything read from the notes: books, the notes they make, and every problem found."""

    books: tuple[Book, ...]
    notes: tuple[Note, ...]
    problems: tuple[Problem, ...]
    mtimes: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for problem in self.problems if problem.level == "error")


def collect(paths: Iterable[str | os.PathLike[str]], prefix: str = DEFAULT_DECK_PREFIX
            ) -> Collected:
    """Read every note under ``paths`` and make its Anki notes; never raises for a bad note."""
    files, problems = find_notes(paths)
    books: list[Book] = []
    mtimes: dict[str, int] = {}
    for path in files:
        source = read_source(path)
        try:
            mtimes[source.path] = int(path.stat().st_mtime)
        except OSError:
            mtimes[source.path] = 0
        book = read_book(source) if source.body or not source.problems else None
        if book is None:
            problems.extend(source.problems)
            continue
        books.append(book)
        problems.extend(book.problems)
    books.sort(key=lambda book: (book.title.casefold(), book.path))
    notes, note_problems = make_notes(books, prefix)
    problems.extend(note_problems)
    return Collected(tuple(books), tuple(notes), tuple(problems), mtimes)


@dataclass(frozen=True)
class Built:
    """What a build wrote and how it compares with the previous build."""

    collected: Collected
    packages: tuple[Path, ...]
    written: tuple[Path, ...]
    comparison: state.Comparison

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.collected.problems

    @property
    def status(self) -> Counter[str]:
        return Counter(self.comparison.statuses)

    def status_by_book(self) -> dict[str, Counter[str]]:
        books: dict[str, Counter[str]] = {}
        for note, status in zip(self.comparison.notes, self.comparison.statuses, strict=True):
            books.setdefault(note.book, Counter())[status] += 1
        return books


def compare(collected: Collected, out: Path, forget_removed: bool = False
            ) -> tuple[Collected, state.Comparison]:
    """The collected notes against the previous build recorded in ``out`` (read only)."""
    previous, problem = state.load(out) if out.is_dir() else ({}, None)
    problems = collected.problems + ((problem,) if problem else ())
    collected = Collected(collected.books, collected.notes, problems, collected.mtimes)
    return collected, state.compare(collected.notes, previous, collected.mtimes, forget_removed)


def build(
    paths: Iterable[str | os.PathLike[str]],
    out: Path,
    prefix: str = DEFAULT_DECK_PREFIX,
    split: bool = False,
    forget_removed: bool = False,
) -> Built:
    """Build the packages for the notes under ``paths`` into the folder ``out``."""
    _prepare(out)
    with _locked(out):
        collected, comparison = compare(collect(paths, prefix), out, forget_removed)
        notes, mods = comparison.notes, comparison.mods
        packages: list[Path] = []
        written: list[Path] = []
        for path, indices in _packages(out, notes, split):
            packages.append(path)
            chosen = [notes[i] for i in indices]
            if package.write_package(path, chosen, [mods[i] for i in indices],
                                     _descriptions(collected.books, prefix)):
                written.append(path)
        state.save(out, comparison.records)
    return Built(collected, tuple(packages), tuple(written), comparison)


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise BuildError(f"output path {out} is a file, not a folder; pass --out with a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildError(f"cannot create output folder {out}: {error.strerror or error}") from error
    if not os.access(out, os.W_OK):
        raise BuildError(f"output folder {out} is not writable; pass --out with another folder")


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """One build at a time per output folder: a second one waits for the first to finish."""
    try:
        handle = open(out / LOCK_FILE, "a")  # noqa: SIM115 - held for the whole build
    except OSError as error:
        raise BuildError(f"cannot write in output folder {out}: {error.strerror or error}"
                         ) from error
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _packages(out: Path, notes: Sequence[Note], split: bool
              ) -> Iterator[tuple[Path, list[int]]]:
    if not notes:
        return
    if not split:
        yield out / DEFAULT_PACKAGE, list(range(len(notes)))
        return
    groups: dict[str, list[int]] = {}
    for index, note in enumerate(notes):
        groups.setdefault(note.deck, []).append(index)
    used: set[str] = set()
    for deck, indices in groups.items():
        name = package_name(deck.rsplit("::", 1)[-1])
        while name.casefold() in used:
            name = name.removesuffix(".apkg") + "_.apkg"
        used.add(name.casefold())
        yield out / name, indices


def package_name(title: str) -> str:
    """A file name for one book's package, safe on every file system.

    >>> package_name('What/If? "Serious" answers')
    'What_If_ _Serious_ answers.apkg'
    """
    safe = re.sub(r'[\x00-\x1f/\\:*?"<>|]', "_", title).strip(" .") or "book"
    return safe[:120] + ".apkg"


def _descriptions(books: Sequence[Book], prefix: str) -> dict[str, str]:
    out = {}
    for book in books:
        by = f" by {book.author}" if book.author else ""
        text = f"Quotes and definitions from {book.title}{by}."
        out[deck_name(prefix, book.title)] = escape(text)
    return out
