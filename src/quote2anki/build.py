"""The build's wiring: read notes, extract, make notes, settle decks and identity, write packages.

Each step lives in its own module; this one only keeps the rules that span steps: which files
are read again (the cache), when nothing at all can have changed (the manifest), how many
worker processes read, and which package each note goes to.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from . import incremental, media, package, state
from .book import read_book
from .decks import book_decks, descriptions
from .errors import BuildError
from .extract import extract
from .incremental import FileResult
from .model import Book, Note, Problem
from .notekind import Selection
from .notes import book_notes, merge_notes
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

    @property
    def repairs(self) -> int:
        """Words a PDF copy had broken that were put back, over all books."""
        return sum(book.repairs for book in self.books)

    @property
    def errors(self) -> int:
        return sum(1 for problem in self.problems if problem.level == "error")


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
            cache: Mapping[str, FileResult] | None = None, progress: Progress | None = None
            ) -> tuple[Collected, list[FileResult]]:
    """Read every input (or take it from ``cache``) and settle the vault's notes and decks."""
    results = read_all(inputs, cache or {}, progress, options.jobs, options.selection,
                       options.obsidian_links)
    return assemble(results, options.prefix_for, found), results


"""What a worker reads: a note's name, bytes, digest and time, where it sits, and whether to
link to Obsidian."""


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
                  inputs[i].relative, selection, inputs[i].placement, links) for i in todo]
    workers = _workers(jobs, tasks)
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
MAX_JOBS = 8


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


def read_one(task: Task) -> FileResult:
    """Read one note file's bytes into its book and notes (run in a worker process)."""
    source = parse_source(task.path, task.data or b"")
    if not source.body and source.problems:
        return FileResult(task.path, task.digest, task.mtime, None, (), source.problems,
                          task.placement)
    book, lookups = make_book(source, task.placement, task.links, task.selection, task.relative)
    notes = tuple(book_notes(book))
    return FileResult(task.path, task.digest, task.mtime,
                      replace(book, quotes=(), definitions=(), flashcards=(), media=()), notes,
                      book.problems, task.placement, lookups)


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
    for result in results:
        mtimes[result.path] = result.mtime
        found.extend(result.problems)
        if result.book is not None and result.book.kind != "book":
            skipped += 1
        elif result.book is not None:
            books.append((result.book, result))
    books.sort(key=lambda pair: (pair[0].title.casefold(), pair[0].path))
    notes, note_problems = merge_notes(result.notes for _, result in books)
    found.extend(note_problems)
    decks, deck_problems = book_decks([book for book, _ in books], prefix)
    found.extend(deck_problems)
    notes = [replace(note, deck=decks[note.path]) for note in notes]
    return Collected(tuple(book for book, _ in books), tuple(notes), tuple(found), mtimes, decks,
                     skipped)


def compare(collected: Collected, out: OutputFolder, forget_removed: bool = False
            ) -> tuple[Collected, state.Comparison]:
    """The collected notes against the previous build recorded in ``out`` (read only)."""
    current = {note.guid: note for note in collected.notes}
    previous, problem = state.load(out, current) if out.path.is_dir() else ({}, None)
    del current
    if problem:
        collected = replace(collected, problems=(*collected.problems, problem))
    return collected, state.compare(collected.notes, previous, collected.mtimes, forget_removed)


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
        inputs, found = find_inputs(paths, options)
        code = incremental.code_version()
        key = options.manifest_key(code)
        fingerprints = {item.path: item.fingerprint for item in inputs}
        last = incremental.load_manifest(folder)
        if (last is not None and last.key == key and last.inputs == fingerprints
                and not found and incremental.outputs_intact(folder, last.outputs)
                and media.unchanged(last.images)):
            kept = tuple(folder / name for name in last.outputs if name.endswith(".apkg"))
            return BuildResult(kept, (), Summary.unchanged_since(last.summary))
        cache_key = options.cache_key(code)
        cache = incremental.load_cache(folder, cache_key)
        collected, results = collect(inputs, options, found, cache, progress)
        del inputs, cache  # the files' bytes and the old results are no longer needed
        collected, comparison = compare(collected, folder, options.forget_removed)
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
        try:
            state.save(folder, comparison.records)
            incremental.save_cache(folder, cache_key, results)
            outputs = {path.name: folder.digest(path.name) or "" for path in
                       (*packages, folder / STATE_FILE)}
            images = tuple(lookup for result in results for lookup in result.lookups)
            incremental.save_manifest(folder, incremental.Manifest(key, fingerprints, outputs,
                                                                   summary.to_json(), images))
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
    except OSError as error:
        raise BuildError(f"cannot write {out / name}: {error.strerror or error}; the packages "
                         "written before it are whole") from error


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


def package_name(title: str) -> str:
    """A file name for one book's package, safe on every file system.

    >>> package_name('What/If? "Serious" answers')
    'What_If_ _Serious_ answers.apkg'
    """
    safe = re.sub(r'[\x00-\x1f/\\:*?"<>|]', "_", title).strip(" .") or "book"
    return safe[:120] + ".apkg"
