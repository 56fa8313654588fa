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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import package, state
from .cards import DEFAULT_DECK_PREFIX, book_key, deck_name, make_notes
from .cloze import escape
from .model import Book, Note, Problem
from .reader import find_notes, read_source
from .structure import read_book
from .text import fingerprint

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
    decks: dict[str, str] = field(default_factory=dict)
    """Each book's deck, by the book's path."""

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
    decks, deck_problems = book_decks(books, prefix)
    problems.extend(deck_problems)
    notes = [note if note.deck == decks[note.path] else replace(note, deck=decks[note.path])
             for note in notes]
    return Collected(tuple(books), tuple(notes), tuple(problems), mtimes, decks)


def book_decks(books: Sequence[Book], prefix: str = DEFAULT_DECK_PREFIX
               ) -> tuple[dict[str, str], list[Problem]]:
    """The deck of every book (by path), when several notes carry the same title.

    Notes with the same title and the same author (or no author) are one book: one deck,
    spelled as the first of them spells it. Notes with the same title by different authors are
    different books: each deck is named ``Title (Author)``. Either way the user is told.
    """
    groups: dict[str, list[Book]] = {}
    for book in books:
        groups.setdefault(book_key(book), []).append(book)
    decks: dict[str, str] = {}
    problems: list[Problem] = []
    for group in groups.values():
        authors: dict[str, str] = {}
        for book in group:
            authors.setdefault(fingerprint(book.author), book.author)
        authors.pop("", None)
        title = group[0].title
        for book in group:
            who = authors.get(fingerprint(book.author)) if len(authors) > 1 else None
            decks[book.path] = deck_name(prefix, f"{title} ({who})" if who else title)
        if len(group) == 1:
            continue
        for book in group:
            others = ", ".join(other.path for other in group if other is not book)
            how = ("by different authors, so each has its own deck" if len(authors) > 1 else
                   "so they are read as one book")
            problems.append(Problem(book.path, None, "info",
                                    f"also titled {title!r}: {others}; {how} "
                                    f"(this one: {decks[book.path]!r})"))
    return decks, problems


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
    if problem:
        collected = replace(collected, problems=(*collected.problems, problem))
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
        _remove_leftovers(out)
        collected, comparison = compare(collect(paths, prefix), out, forget_removed)
        notes, mods = comparison.notes, comparison.mods
        descriptions = _descriptions(collected, prefix)
        packages: list[Path] = []
        written: list[Path] = []
        for path, indices in _packages(out, notes, split):
            packages.append(path)
            chosen = [notes[i] for i in indices]
            if _write(path, chosen, [mods[i] for i in indices], descriptions):
                written.append(path)
        try:
            state.save(out, comparison.records)
        except OSError as error:
            raise BuildError(f"cannot write {out / state.STATE_FILE}: "
                             f"{error.strerror or error}") from error
    return Built(collected, tuple(packages), tuple(written), comparison)


def _write(path: Path, notes: Sequence[Note], mods: Sequence[int],
           descriptions: Mapping[str, str]) -> bool:
    try:
        return package.write_package(path, notes, mods, descriptions)
    except OSError as error:
        raise BuildError(f"cannot write {path}: {error.strerror or error}; the packages "
                         "written before it are whole") from error


def _remove_leftovers(out: Path) -> None:
    """Delete temporary files a killed build left behind.

    Called with the lock held: every build writes its temporary files only while it holds the
    lock, so any that exist now belong to a build that no longer runs.
    """
    for leftover in out.glob(f"{package.TEMP_PREFIX}*{package.TEMP_SUFFIX}"):
        with suppress(OSError):
            leftover.unlink()


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
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError as error:
            raise BuildError(f"cannot lock {out / LOCK_FILE}: {error.strerror or error}; the "
                             "output folder must be on a file system that supports locks"
                             ) from error
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


def _descriptions(collected: Collected, prefix: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for book in collected.books:
        by = f" by {book.author}" if book.author else ""
        text = f"Quotes and definitions from {book.title}{by}."
        deck = collected.decks.get(book.path) or deck_name(prefix, book.title)
        out.setdefault(deck, escape(text))
    return out
