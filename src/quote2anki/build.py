"""The build's wiring: compare what was read with the last build, write the packages and the
record.

Each step lives in its own module (reading the vault is :mod:`quote2anki.collect`); this one
only keeps the rules that span steps: when nothing at all can have changed (the manifest), what
to tell when the record of the last build is missing, and which package each note goes to.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import incremental, media
from .errors import BuildError, PackageError
from .inputs import find_inputs
from .model import Note, Problem
from .options import BuildOptions
from .output import DEFAULT_PACKAGE, STATE_FILE, OutputFolder
from .summary import Summary

if TYPE_CHECKING:
    from . import package, state
    from .collect import Collected, Progress

# Reading notes, comparing them and writing packages are imported when a build gets that far:
# a build that finds nothing changed stops before, without paying for their imports.


def compare(collected: Collected, out: OutputFolder, forget_removed: bool = False,
            accept_removals: bool = False, now: int | None = None
            ) -> tuple[Collected, state.Comparison]:
    """The collected notes against the previous build recorded in ``out`` (read only).

    A missing or unusable record is rebuilt from the packages in ``out`` when there are any
    (the last build's output), and said loudly either way: without it, quotes edited since
    they were first exported would arrive in Anki as new notes.
    """
    from . import state
    from .identity import book_key
    from .notes import chooser_keeps, regap

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
    from . import state

    return [state.Exported(note.guid, note.mod, note.field("Text"), note.field("Back Extra"),
                           note.field("Source"), note.tags, note.deck)
            for note in packaged.notes]


def _without_record(out: OutputFolder, collected: Collected, damaged: bool
                    ) -> tuple[state.Records, Problem]:
    """The record rebuilt from the packages in ``out``, or nothing; and what to tell."""
    from . import package, state

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
        from . import database, state
        from .collect import collect
        from .decks import descriptions

        cache_key = options.cache_key(code)
        cache = incremental.load_cache(folder, cache_key)
        collected, results = collect(inputs, options, found, cache, progress, paths)
        del inputs  # the files' bytes are no longer needed
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
            with database.writing(folder) as connection:  # one transaction, changed rows only
                state.write(connection, comparison.records, comparison.forgotten,
                            comparison.changes)
                incremental.save_cache(connection, cache_key, results, cache)
            state.finish(folder)
            incremental.remove_legacy_cache(folder)
            outputs = {path.name: incremental.output_digest(folder, path.name) for path in
                       (*packages, folder / STATE_FILE)}
            images = tuple(lookup for result in results for lookup in result.lookups)
            incremental.save_manifest(folder, incremental.Manifest(key, fingerprints, outputs,
                                                                   lasting.to_json(), images))
        except (OSError, sqlite3.Error) as error:
            raise BuildError(f"cannot write the build record in {folder.path}: "
                             f"{getattr(error, 'strerror', None) or error}") from error
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
    from . import package

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
