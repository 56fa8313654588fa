"""Reading the vault: every note file found and read (in worker processes when there is enough
to read, from the cache when its bytes are unchanged), then assembled into one set of notes
with each book's deck settled.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from . import media
from .book import read_book
from .decks import book_decks
from .errors import BuildError
from .extract import extract
from .incremental import FileResult
from .inputs import Input
from .memo import Memo, remembering
from .model import Book, Mark, Note, Problem
from .notekind import Selection
from .notes import book_notes, merge_notes
from .options import BuildOptions
from .reader import Source, parse_source

Progress = Callable[[int, int], None]
"""Told (done, total) as note files are read, for a progress bar."""


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
    skipped: int = 0
    """Notes read that are not book notes (a daily note, a meeting note): nothing of them
    becomes a card."""

    damaged: tuple[str, ...] = ()
    """Note files found but not read into a book (unreadable, binary, empty): their notes of
    the last build are kept as they were."""
    roots: tuple[str, ...] = ()
    """The paths read (files or folders): a recorded file under them that is gone is gone."""
    gapping: dict[tuple[str, str], tuple[tuple[Mark, ...], tuple[Any, ...]]] = field(
        default_factory=dict)
    """The reader's marks and the defined terms of quotes that have any, by (path, words)."""
    notices: tuple[Problem, ...] = ()
    """Problems (also in ``problems``) that only this build has to say: about the record, cards
    gone, decks to move. A build that finds nothing changed does not repeat them."""

    @property
    def errors(self) -> int:
        return sum(1 for problem in self.problems if problem.level == "error")

    @property
    def repairs(self) -> int:
        """Words a PDF copy had broken that were put back, over all books."""
        return sum(book.repairs for book in self.books)


def collect(inputs: Sequence[Input], options: BuildOptions, found: Sequence[Problem] = (),
            cache: Mapping[str, FileResult] | None = None, progress: Progress | None = None,
            roots: Iterable[str | os.PathLike[str]] = ()) -> tuple[Collected, list[FileResult]]:
    """Read every input (or take it from ``cache``) and settle the vault's notes and decks."""
    results = read_all(inputs, cache or {}, progress, options.jobs, options.selection,
                       options.obsidian_links)
    collected = assemble(results, options.prefix_for, found)
    return replace(collected, roots=tuple(str(root) for root in roots)), results


def read_all(inputs: Sequence[Input], cache: Mapping[str, FileResult],
             progress: Progress | None = None, jobs: int | None = None,
             selection: Selection = Selection(), links: bool = True) -> list[FileResult]:
    """Each file's result: from the cache when its bytes are unchanged, else read afresh,
    in several processes when there is enough to read to pay for starting them."""
    results: list[FileResult | None] = []
    todo: list[int] = []
    for index, item in enumerate(inputs):
        cached = cache.get(item.path)
        if item.unreadable is not None:
            results.append(FileResult(item.path, "", item.mtime, None, (),
                                      item.unreadable.problems))
        elif (cached is not None and cached.digest == item.digest
              and cached.placement == item.placement and media.unchanged(cached.lookups)):
            results.append(replace(cached, mtime=item.mtime))
        else:
            results.append(None)
            todo.append(index)
    done = len(inputs) - len(todo)
    if progress:
        progress(done, len(inputs))
    tasks = [Task(inputs[i].path, inputs[i].data, inputs[i].digest, inputs[i].mtime,
                  inputs[i].relative, selection, inputs[i].placement, links,
                  _seed(cache.get(inputs[i].path))) for i in todo]
    workers = _workers(jobs, tasks)
    if workers > 1:
        context = multiprocessing.get_context("fork" if "fork" in
                                              multiprocessing.get_all_start_methods() else None)
        try:
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_quiet_worker,
                                     initargs=(os.getpid(),)) as pool:
                for index, result in zip(todo, pool.map(read_one, tasks, chunksize=2),
                                         strict=True):
                    results[index] = result
                    done += 1
                    if progress:
                        progress(done, len(inputs))
        except BrokenProcessPool as error:
            raise BuildError("a worker process reading the notes was killed (out of memory?); "
                             "nothing was written: build again, or with --jobs 1") from error
    else:
        for index, task in zip(todo, tasks, strict=True):
            results[index] = read_one(task)
            done += 1
            if progress:
                progress(done, len(inputs))
    return [result for result in results if result is not None]


MIN_PARALLEL_BYTES = 2 * 2**20
"""Below this much text to read, starting worker processes costs more than it saves."""
MAX_JOBS = 8


def _quiet_worker(parent: int) -> None:
    """A worker reports through its results only: Ctrl-C is the main process's to handle, a
    worker cut off from a main process that died must not print a traceback of its own, and it
    goes when the main process goes (killed, it would otherwise wait forever on its queue)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        sys.stderr = open(devnull, "w")  # noqa: SIM115 - lives as long as the worker
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: Linux ends us with the main process
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the main process died before that took effect
        os._exit(1)

    def watch() -> None:  # elsewhere, look for the main process now and then
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _workers(jobs: int | None, tasks: Sequence[Task]) -> int:
    if jobs is None:
        jobs = os.cpu_count() or 1
        if sum(len(task.data or b"") for task in tasks) < MIN_PARALLEL_BYTES:
            jobs = 1
    return max(1, min(jobs, len(tasks), MAX_JOBS))


class Task(NamedTuple):
    """One note file to read, as a worker process is handed it."""

    path: str
    data: bytes | None
    digest: str
    mtime: int
    relative: str | None
    selection: Selection
    placement: media.Placement | None
    links: bool
    memo: Memo | None = None
    """What the file's previous version's quotes gave: only changed quotes are analysed."""


def _seed(cached: FileResult | None) -> Memo | None:
    return cached.memo if cached is not None else None


def read_one(task: Task) -> FileResult:
    """Read one note file's bytes into its book and notes (run in a worker process)."""
    source = parse_source(task.path, task.data or b"")
    if not source.body and source.problems:
        return FileResult(task.path, task.digest, task.mtime, None, (), source.problems,
                          task.placement)
    with remembering(task.memo) as used:
        book, lookups = make_book(source, task.placement, task.links, task.selection,
                                  task.relative, named=task.relative is None)
        notes = tuple(book_notes(book))
    gapping = tuple((quote.text, quote.marks, tuple(quote.terms)) for quote in book.quotes
                    if quote.marks or quote.terms)
    return FileResult(task.path, task.digest, task.mtime,
                      replace(book, quotes=(), definitions=(), flashcards=(), media=()), notes,
                      book.problems, task.placement, lookups, gapping, used)


def make_book(source: Source, placement: media.Placement | None, links: bool = True,
              selection: Selection = Selection(), relative: str | None = None,
              named: bool = False) -> tuple[Book, tuple[media.Lookup, ...]]:
    """One note's book, its images found and links settled, its definitions extracted."""
    book, lookups = media.settle(read_book(source, selection=selection, relative=relative,
                                           named=named),
                                 placement, links)
    return extract(book), lookups


def assemble(results: Sequence[FileResult], prefix: str | Callable[[str], str],
             problems: Sequence[Problem] = ()) -> Collected:
    """The whole vault from its files' results: books in title order, each GUID once, and
    each book's deck settled (books that share a title). Notes that are not book notes are
    counted and left out."""
    found = list(problems)
    books: list[tuple[Book, FileResult]] = []
    mtimes: dict[str, int] = {}
    skipped = 0
    damaged: list[str] = []
    gapping: dict[tuple[str, str], tuple[tuple[Mark, ...], tuple[Any, ...]]] = {}
    for result in results:
        mtimes[result.path] = result.mtime
        found.extend(result.problems)
        if result.book is not None and result.book.kind != "book":
            skipped += 1
        elif result.book is not None:
            books.append((result.book, result))
            for words, marks, terms in result.gapping:
                gapping[(result.path, words)] = (marks, terms)
        else:
            damaged.append(result.path)
    books.sort(key=lambda pair: (pair[0].title.casefold(), pair[0].path))
    notes, note_problems = merge_notes(result.notes for _, result in books)
    found.extend(note_problems)
    decks, deck_problems = book_decks([book for book, _ in books], prefix)
    found.extend(deck_problems)
    notes = [replace(note, deck=decks[note.path]) for note in notes]
    return Collected(tuple(book for book, _ in books), tuple(notes), tuple(found), mtimes, decks,
                     skipped, tuple(damaged), (), gapping)
