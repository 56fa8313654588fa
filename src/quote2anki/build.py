"""The build: read notes, extract, make cards, write packages. The CLI is a thin layer over this.

Each step lives in its own module; this one only wires them together and keeps the rules that
span steps: which package a note goes to, what changed since the last build, and the lock
that keeps two builds into one folder from interleaving.
"""

from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import incremental, package, state
from .book import read_book
from .cards import DEFAULT_DECK_PREFIX, book_key, book_notes, deck_name, merge_notes
from .cloze import escape
from .incremental import FileResult
from .model import Book, Note, Problem
from .reader import Source, find_notes, parse_source, read_bytes
from .text import fingerprint

DEFAULT_PACKAGE = "quote2anki.apkg"
LOCK_FILE = ".quote2anki.lock"


class BuildError(Exception):
    """A problem that stops the whole build (not one note): bad output folder, say."""


@dataclass(frozen=True)
class Collected:
    """Everything read from the notes: books, the notes they make, and every problem found."""

    books: tuple[Book, ...]
    """Each note file's book: title, author, tags (its quotes live on in ``notes``)."""
    notes: tuple[Note, ...]
    problems: tuple[Problem, ...]
    mtimes: dict[str, int] = field(default_factory=dict)
    decks: dict[str, str] = field(default_factory=dict)
    """Each book's deck, by the book's path."""

    @property
    def errors(self) -> int:
        return sum(1 for problem in self.problems if problem.level == "error")


Progress = Callable[[int, int], None]
"""Told (done, total) as note files are read, for a progress bar."""


def collect(paths: Iterable[str | os.PathLike[str]], prefix: str = DEFAULT_DECK_PREFIX,
            progress: Progress | None = None) -> Collected:
    """Read every note under ``paths`` and make its Anki notes; never raises for a bad note."""
    files, problems = find_notes(paths)
    inputs = [_input(path) for path in files]
    results = read_all(inputs, prefix, {}, progress)
    return assemble(results, prefix, problems)


@dataclass(frozen=True)
class _Input:
    """A note file as found: its name, bytes (None when unreadable) and what is known of it."""

    path: str
    data: bytes | None
    digest: str
    mtime: int
    unreadable: Source | None


def _input(path: Path) -> _Input:
    data, failed = read_bytes(path)
    try:
        mtime = int(path.stat().st_mtime)
    except OSError:
        mtime = 0
    digest = incremental.content_digest(data) if data is not None else ""
    return _Input(str(path), data, digest, mtime, failed)


def read_all(inputs: Sequence[_Input], prefix: str, cache: Mapping[str, FileResult],
             progress: Progress | None = None, jobs: int | None = None) -> list[FileResult]:
    """Each file's result: from the cache when its bytes are unchanged, else read afresh,
    in several processes when there is enough to read to pay for starting them."""
    results: list[FileResult | None] = []
    todo: list[int] = []
    for index, item in enumerate(inputs):
        cached = cache.get(item.path)
        if item.unreadable is not None:
            results.append(FileResult(item.path, "", item.mtime, None, (),
                                      item.unreadable.problems))
        elif cached is not None and cached.digest == item.digest:
            results.append(replace(cached, mtime=item.mtime))
        else:
            results.append(None)
            todo.append(index)
    done = len(inputs) - len(todo)
    if progress:
        progress(done, len(inputs))
    tasks = [(inputs[i].path, inputs[i].data, inputs[i].digest, inputs[i].mtime, prefix)
             for i in todo]
    workers = _jobs(jobs, tasks)
    if workers > 1:
        context = multiprocessing.get_context("fork" if "fork" in
                                              multiprocessing.get_all_start_methods() else None)
        with context.Pool(workers) as pool:
            for index, result in zip(todo, pool.imap(read_one, tasks, chunksize=2),
                                     strict=True):
                results[index] = result
                done += 1
                if progress:
                    progress(done, len(inputs))
    else:
        for index, task in zip(todo, tasks, strict=True):
            results[index] = read_one(task)
            done += 1
            if progress:
                progress(done, len(inputs))
    return [result for result in results if result is not None]


MIN_PARALLEL_BYTES = 2 * 2**20
"""Below this much text to read, starting worker processes costs more than it saves."""


def _jobs(jobs: int | None, tasks: Sequence[tuple[str, bytes | None, str, int, str]]) -> int:
    if jobs is None:
        configured = os.environ.get("QUOTE2ANKI_JOBS", "")
        jobs = int(configured) if configured.isdigit() else (os.cpu_count() or 1)
        if sum(len(task[1] or b"") for task in tasks) < MIN_PARALLEL_BYTES:
            jobs = 1
    return max(1, min(jobs, len(tasks), 8))


def read_one(task: tuple[str, bytes | None, str, int, str]) -> FileResult:
    """Read one note file's bytes into its book and notes (run in a worker process)."""
    name, data, digest, mtime, prefix = task
    source = parse_source(name, data or b"")
    if not source.body and source.problems:
        return FileResult(name, digest, mtime, None, (), source.problems)
    book = read_book(source)
    notes = tuple(book_notes(book, prefix))
    return FileResult(name, digest, mtime, replace(book, quotes=(), definitions=()), notes,
                      book.problems)


def assemble(results: Sequence[FileResult], prefix: str, problems: Sequence[Problem] = ()
             ) -> Collected:
    """The whole vault from its files' results: books in title order, each GUID once, and
    each book's deck settled (books that share a title)."""
    found = list(problems)
    books: list[tuple[Book, FileResult]] = []
    mtimes: dict[str, int] = {}
    for result in results:
        mtimes[result.path] = result.mtime
        found.extend(result.problems)
        if result.book is not None:
            books.append((result.book, result))
    books.sort(key=lambda pair: (pair[0].title.casefold(), pair[0].path))
    notes, note_problems = merge_notes(result.notes for _, result in books)
    found.extend(note_problems)
    decks, deck_problems = book_decks([book for book, _ in books], prefix)
    found.extend(deck_problems)
    notes = [note if note.deck == decks[note.path] else replace(note, deck=decks[note.path])
             for note in notes]
    return Collected(tuple(book for book, _ in books), tuple(notes), tuple(found), mtimes, decks)


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
class Summary:
    """What a build made and how it compares with the previous build: what the CLI prints."""

    books: int
    quotes: int
    definitions: int
    cards: int
    status: dict[str, int]
    by_book: dict[str, dict[str, int]]
    problems: tuple[Problem, ...]

    @classmethod
    def of(cls, collected: Collected, comparison: state.Comparison) -> Summary:
        notes = collected.notes
        quotes = sum(1 for note in notes if note.kind == "quote")
        by_book: dict[str, dict[str, int]] = {}
        for note, status in zip(comparison.notes, comparison.statuses, strict=True):
            counts = by_book.setdefault(note.book, {})
            counts[status] = counts.get(status, 0) + 1
        cards = sum(len(note.card_numbers) for note in notes)
        return cls(len({note.deck for note in notes}), quotes, len(notes) - quotes, cards,
                   dict(Counter(comparison.statuses)), by_book, collected.problems)

    def to_json(self) -> dict[str, Any]:
        return {"books": self.books, "quotes": self.quotes, "definitions": self.definitions,
                "cards": self.cards, "status": self.status, "by_book": self.by_book,
                "problems": incremental.problems_to_json(self.problems)}

    @classmethod
    def unchanged_since(cls, data: Mapping[str, Any]) -> Summary:
        """The summary of a build that changed nothing, from the last build's: every note
        that was new or changed then is unchanged now; removed notes are still removed."""

        def settle(counts: Mapping[str, int]) -> dict[str, int]:
            settled = {"unchanged": sum(n for key, n in counts.items() if key != "removed")}
            if counts.get("removed"):
                settled["removed"] = counts["removed"]
            return settled

        return cls(int(data["books"]), int(data["quotes"]), int(data["definitions"]),
                   int(data["cards"]), settle(data["status"]),
                   {book: settle(counts) for book, counts in data["by_book"].items()},
                   incremental.problems_from_json(data["problems"]))


@dataclass(frozen=True)
class Built:
    """What a build wrote and how it compares with the previous build."""

    packages: tuple[Path, ...]
    written: tuple[Path, ...]
    summary: Summary
    collected: Collected | None = None
    """What was read; None when nothing had changed and nothing was read."""
    comparison: state.Comparison | None = None

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.summary.problems

    @property
    def errors(self) -> int:
        return sum(1 for problem in self.problems if problem.level == "error")

    @property
    def status(self) -> Counter[str]:
        return Counter(self.summary.status)

    def status_by_book(self) -> dict[str, Counter[str]]:
        return {book: Counter(counts) for book, counts in self.summary.by_book.items()}


def compare(collected: Collected, out: Path, forget_removed: bool = False
            ) -> tuple[Collected, state.Comparison]:
    """The collected notes against the previous build recorded in ``out`` (read only)."""
    current = {note.guid: note for note in collected.notes}
    previous, problem = state.load(out, current) if out.is_dir() else ({}, None)
    del current
    if problem:
        collected = replace(collected, problems=(*collected.problems, problem))
    return collected, state.compare(collected.notes, previous, collected.mtimes, forget_removed)


def build(
    paths: Iterable[str | os.PathLike[str]],
    out: Path,
    prefix: str = DEFAULT_DECK_PREFIX,
    split: bool = False,
    forget_removed: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> Built:
    """Build the packages for the notes under ``paths`` into the folder ``out``.

    Only what can have changed is redone: files whose bytes are unchanged come from the cache,
    and when no file, option or output changed at all the build stops after checking.
    """
    _prepare(out)
    with _locked(out):
        _remove_leftovers(out)
        files, found = find_notes(paths)
        inputs = [_input(path) for path in files]
        key = json.dumps([incremental.code_version(), prefix, split, forget_removed])
        fingerprints = {item.path: item.digest for item in inputs}
        last = incremental.load_manifest(out)
        if (last is not None and last.key == key and last.inputs == fingerprints
                and not found and incremental.outputs_intact(out, last.outputs)):
            kept = tuple(out / name for name in last.outputs if name.endswith(".apkg"))
            return Built(kept, (), Summary.unchanged_since(last.summary))
        cache_key = json.dumps([incremental.code_version(), prefix])
        cache = incremental.load_cache(out, cache_key)
        results = read_all(inputs, prefix, cache, progress, jobs)
        del inputs, cache  # the files' bytes and the old results are no longer needed
        collected, comparison = compare(assemble(results, prefix, found), out, forget_removed)
        notes, mods = comparison.notes, comparison.mods
        descriptions = _descriptions(collected, prefix)
        packages: list[Path] = []
        written: list[Path] = []
        for path, indices in _packages(out, notes, split):
            packages.append(path)
            chosen = [notes[i] for i in indices]
            if _write(path, chosen, [mods[i] for i in indices], descriptions):
                written.append(path)
        for stale in _stale_packages(out, last, packages):
            with suppress(OSError):
                stale.unlink()
        summary = Summary.of(collected, comparison)
        try:
            state.save(out, comparison.records)
            incremental.save_cache(out, cache_key, results)
            outputs = {path.name: incremental.file_digest(path) or "" for path in
                       (*packages, out / state.STATE_FILE)}
            incremental.save_manifest(out, incremental.Manifest(key, fingerprints, outputs,
                                                                summary.to_json()))
        except OSError as error:
            raise BuildError(f"cannot write the build record in {out}: "
                             f"{error.strerror or error}") from error
    return Built(tuple(packages), tuple(written), summary, collected, comparison)


def _stale_packages(out: Path, last: incremental.Manifest | None, packages: Sequence[Path]
                    ) -> list[Path]:
    """Packages the last build wrote that this one does not (a book renamed under --split)."""
    if last is None:
        return []
    current = {path.name for path in packages}
    return [out / name for name in last.outputs
            if name.endswith(".apkg") and name not in current and (out / name).is_file()]


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
