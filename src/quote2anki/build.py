"""The build's wiring: read notes, extract, make notes, settle decks and identity, write packages.

Each step lives in its own module; this one only keeps the rules that span steps: which files
are read again (the cache), when nothing at all can have changed (the manifest), how many
worker processes read, and which package each note goes to.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from . import incremental, media, package, state
from .book import read_book
from .decks import book_decks, descriptions
from .errors import BuildError, PackageError
from .extract import extract
from .identity import book_key
from .incremental import FileResult
from .memo import Memo, remembering
from .model import Book, Mark, Note, Problem
from .notekind import Selection
from .notes import book_notes, chooser_keeps, merge_notes, regap
from .options import BuildOptions
from .output import DEFAULT_PACKAGE, STATE_FILE, OutputFolder
from .reader import Source, find_notes, parse_source, read_bytes
from .summary import Summary

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


@dataclass(frozen=True)
class Input:
    """A note file as found: its name, bytes (None when unreadable) and what is known of it."""

    path: str
    data: bytes | None
    digest: str
    mtime: int
    unreadable: Source | None
    relative: str | None = None
    """Its path from the parent of the folder it was found in (so that folder's own name, such
    as ``Books/``, counts for the books-folder rule); None for a file given by name."""
    placement: media.Placement | None = None
    """Where the note sits: its vault (or the folder given), for its images and links."""

    @property
    def fingerprint(self) -> str:
        """What the manifest compares: the content and where the note sits."""
        where = self.placement
        if where is None:
            return self.digest
        return f"{self.digest} {where.root}\x1f{where.vault}\x1f{where.attachments}"


def find_inputs(paths: Iterable[str | os.PathLike[str]],
                options: BuildOptions = BuildOptions()) -> tuple[list[Input], list[Problem]]:
    """Every note file under ``paths`` (within the options' globs), read into memory, and
    problems finding them."""
    given = [Path(path) for path in paths]
    files, problems = find_notes(given, options.include, options.exclude)
    folders = [path for path in given if path.is_dir()]
    roots = [_root(path, given) for path in files]
    where = media.placements([str(path) for path in files], roots)
    return [_input(path, _relative(path, folders), place)
            for path, place in zip(files, where, strict=True)], problems


def _relative(path: Path, folders: Sequence[Path]) -> str | None:
    for folder in folders:
        with suppress(ValueError):
            return path.relative_to(folder.parent).as_posix()
    return None


def _root(path: Path, given: Sequence[Path]) -> str:
    """The folder given to the build that holds ``path`` (the deepest), else its own folder."""
    absolute = os.path.abspath(path)
    folders = [os.path.abspath(folder) for folder in given if folder.is_dir()]
    holding = [folder for folder in folders if absolute.startswith(folder.rstrip(os.sep) + os.sep)]
    return max(holding, key=len) if holding else os.path.dirname(absolute)


def _input(path: Path, relative: str | None = None,
           placement: media.Placement | None = None) -> Input:
    data, failed = read_bytes(path)
    try:
        mtime = int(path.stat().st_mtime)
    except OSError:
        mtime = 0
    digest = incremental.content_digest(data) if data is not None else ""
    return Input(str(path), data, digest, mtime, failed, relative, placement)


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
                                  task.relative)
        notes = tuple(book_notes(book))
    gapping = tuple((quote.text, quote.marks, tuple(quote.terms)) for quote in book.quotes
                    if quote.marks or quote.terms)
    return FileResult(task.path, task.digest, task.mtime,
                      replace(book, quotes=(), definitions=(), flashcards=(), media=()), notes,
                      book.problems, task.placement, lookups, gapping, used)


def make_book(source: Source, placement: media.Placement | None, links: bool = True,
              selection: Selection = Selection(), relative: str | None = None
              ) -> tuple[Book, tuple[media.Lookup, ...]]:
    """One note's book, its images found and links settled, its definitions extracted."""
    book, lookups = media.settle(read_book(source, selection=selection, relative=relative),
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


def compare(collected: Collected, out: OutputFolder, forget_removed: bool = False,
            accept_removals: bool = False, now: int | None = None
            ) -> tuple[Collected, state.Comparison]:
    """The collected notes against the previous build recorded in ``out`` (read only).

    A missing or unusable record is rebuilt from the packages in ``out`` when there are any
    (the last build's output), and said loudly either way: without it, quotes edited since
    they were first exported would arrive in Anki as new notes.
    """
    current = {note.guid: note for note in collected.notes}
    previous, problem = state.load(out, current) if out.path.is_dir() else (state.Records(),
                                                                             None)
    del current
    notices = [problem] if problem else []
    if not previous and not (previous.found and problem is None):
        previous, told = _without_record(out, collected, problem is not None)
        notices.append(told)
    scope = state.Scope.of(
        (book.path for book in collected.books), collected.damaged, collected.roots,
        {book_key(book.title): book.path for book in reversed(collected.books)})
    gapping = collected.gapping

    def again(note: Note, keep: tuple[str, ...]) -> Note:
        marks, terms = gapping.get((note.path, note.words), ((), ()))
        return regap(note, marks, terms, keep)

    comparison = state.compare(collected.notes, previous, collected.mtimes, forget_removed,
                               scope=scope, now=now, accept_removals=accept_removals,
                               regap=again if chooser_keeps() else None)
    notices.extend(comparison.notices)
    added = (*notices, *comparison.problems)
    if added:
        collected = replace(collected, problems=(*collected.problems, *added),
                            notices=(*collected.notices, *notices))
    return collected, comparison


def exported(packaged: package.Package) -> list[state.Exported]:
    """The notes of a package, as a record is rebuilt from them."""
    return [state.Exported(note.guid, note.mod, note.field("Text"), note.field("Back Extra"),
                           note.field("Source"), note.tags, note.deck)
            for note in packaged.notes]


def _without_record(out: OutputFolder, collected: Collected, damaged: bool
                    ) -> tuple[state.Records, Problem]:
    """The record rebuilt from the packages in ``out``, or nothing; and what to tell."""
    where = str(out.state)
    rows: list[state.Exported] = []
    names: list[str] = []
    for path in sorted(out.path.glob("*.apkg")) if out.path.is_dir() else []:
        try:
            rows.extend(exported(package.read_package(path)))
        except PackageError:
            continue
        names.append(path.name)
    if rows:
        records = state.rebuilt(rows, collected.notes)
        how = "unusable" if damaged else "missing"
        return records, Problem(where, None, "warning",
                                f"the record of the last build was {how}; rebuilt from "
                                f"{', '.join(names)} ({len(records)} notes), so edited quotes "
                                "keep their notes")
    return state.Records(), Problem(
        where, None, "warning",
        "no record of an earlier build here: every note counts as new. If these notes were "
        "imported into Anki before (from another --out, another machine, or before the record "
        f"was deleted), run 'quote2anki state --from-collection --out {out.path}' first: "
        "otherwise quotes edited since are added to Anki again as new notes")


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, and its summary (always there, even when nothing was read)."""

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
        return self.summary.errors

    @property
    def status(self) -> Counter[str]:
        """How many notes are new, changed, unchanged or removed since the last build."""
        return Counter(self.summary.status)


def build(paths: Iterable[str | os.PathLike[str]], out: Path | str,
          options: BuildOptions = BuildOptions(), progress: Progress | None = None
          ) -> BuildResult:
    """Build the packages for the notes under ``paths`` into the folder ``out``.

    Only what can have changed is redone: files whose bytes are unchanged come from the cache,
    and when no file, option or output changed at all the build stops after checking.
    """
    folder = OutputFolder(out)
    folder.prepare()
    with folder.locked():
        paths = list(paths)
        inputs, found = find_inputs(paths, options)
        code = incremental.code_version()
        # the paths built belong to the key: the same files found under other paths can
        # mean a file gone (removed) or a build of fewer files (kept)
        key = json.dumps([options.manifest_key(code),
                          sorted(os.path.abspath(path) for path in paths)])
        fingerprints = {item.path: item.fingerprint for item in inputs}
        last = incremental.load_manifest(folder)
        if (last is not None and last.key == key and last.inputs == fingerprints
                and not found and incremental.outputs_intact(folder, last.outputs)
                and media.unchanged(last.images)):
            kept = tuple(folder / name for name in last.outputs if name.endswith(".apkg"))
            return BuildResult(kept, (), Summary.unchanged_since(last.summary))
        cache_key = options.cache_key(code)
        cache = incremental.load_cache(folder, cache_key)
        collected, results = collect(inputs, options, found, cache, progress, paths)
        del inputs, cache  # the files' bytes and the old results are no longer needed
        collected, comparison = compare(collected, folder, options.forget_removed,
                                        options.accept_removals)
        notes, mods = comparison.notes, comparison.mods
        about = descriptions(collected.books, collected.decks)
        packages: list[Path] = []
        written: list[Path] = []
        for name, indices in _packages(notes, options.split):
            packages.append(folder / name)
            if _write(folder, name, [notes[i] for i in indices], [mods[i] for i in indices],
                      about):
                written.append(folder / name)
        for stale in _stale_packages(folder, last, packages):
            with suppress(OSError):
                stale.unlink()
        summary = Summary.of(collected.notes, comparison.notes, comparison.statuses,
                             collected.problems, collected.skipped, collected.repairs)
        lasting = Summary.of(collected.notes, comparison.notes, comparison.statuses,
                             [p for p in collected.problems if p not in collected.notices],
                             collected.skipped, collected.repairs)
        try:
            state.save(folder, comparison.records, comparison.forgotten)
            incremental.save_cache(folder, cache_key, results)
            outputs = {path.name: folder.digest(path.name) or "" for path in
                       (*packages, folder / STATE_FILE)}
            images = tuple(lookup for result in results for lookup in result.lookups)
            incremental.save_manifest(folder, incremental.Manifest(key, fingerprints, outputs,
                                                                   lasting.to_json(), images))
        except OSError as error:
            raise BuildError(f"cannot write the build record in {folder.path}: "
                             f"{error.strerror or error}") from error
    return BuildResult(tuple(packages), tuple(written), summary, collected, comparison)


def _stale_packages(out: OutputFolder, last: incremental.Manifest | None,
                    packages: Sequence[Path]) -> list[Path]:
    """Packages the last build wrote that this one does not (a book renamed under --split)."""
    if last is None:
        return []
    current = {path.name for path in packages}
    return [out / name for name in last.outputs
            if name.endswith(".apkg") and name not in current and (out / name).is_file()]


def _write(out: OutputFolder, name: str, notes: Sequence[Note], mods: Sequence[int],
           about: Mapping[str, str]) -> bool:
    try:
        return package.write_package(out, name, notes, mods, about)
    except (OSError, sqlite3.Error) as error:
        why = getattr(error, "strerror", None) or error
        raise BuildError(f"cannot write {out / name}: {why}; the packages written before it "
                         "are whole") from error


def _packages(notes: Sequence[Note], split: bool) -> Iterator[tuple[str, list[int]]]:
    if not notes:
        return
    if not split:
        yield DEFAULT_PACKAGE, list(range(len(notes)))
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
        yield name, indices


MAX_NAME_BYTES = 180
"""File systems allow 255 bytes per name (not characters: a CJK character takes 3 in UTF-8);
this leaves room for the ``_`` that tell two books apart and for ``.apkg``."""


def package_name(title: str) -> str:
    """A file name for one book's package, safe on every file system: at most
    :data:`MAX_NAME_BYTES` bytes of the title, cut between characters.

    >>> package_name('What/If? "Serious" answers')
    'What_If_ _Serious_ answers.apkg'
    >>> len(package_name("長" * 130).encode())
    185
    """
    safe = re.sub(r'[\x00-\x1f/\\:*?"<>|]', "_", title).strip(" .") or "book"
    cut = safe.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    return (cut or "book") + ".apkg"
