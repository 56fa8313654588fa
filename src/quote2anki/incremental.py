"""Skipping what cannot have changed: a cache of each note file's results, and a manifest.

Both live in the output folder beside the state file and are disposable: delete them and the
next build is a full one, with the same output.

- The **cache** (a row per note file in ``.quote2anki.sqlite``, :mod:`.database`) keeps, for
  every note file, what reading it made (its book, notes and problems), keyed by the file's
  content. A file whose bytes did not change is not read again, and only the rows of files
  read again are written. Each row is a Python pickle, so it is only ever read from the
  output folder the build itself writes to.
- The **manifest** (``.quote2anki-build.json``) records what the last build read (each
  file's content hash, the options) and wrote (each package's hash), with its summary. When
  all of it still holds, nothing can have changed and the build stops there: the packages on
  disk already are exactly what a full build would write.

Both are keyed by the code itself (a hash of this package's source), so a new version of
quote2anki never reuses results an older one made.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from . import __version__, database
from .media import Lookup, Placement
from .memo import Memo
from .model import Book, Mark, Note, Problem
from .output import LEGACY_CACHE_FILE, MANIFEST_FILE, STATE_FILE, OutputFolder


@cache
def code_version() -> str:
    """quote2anki's version and a hash of its source and data (subpackages included): results
    made by other code, or with other weights or word lists, are not reused."""
    digest = hashlib.sha256(__version__.encode())

    def add(folder: Traversable, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir() and not entry.name.startswith(("_", ".")):
                add(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith((".py", ".css", ".json", ".txt")):
                digest.update(f"{prefix}{entry.name}".encode() + b"\0" + entry.read_bytes())

    add(files("quote2anki"), "")
    return digest.hexdigest()[:16]


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one note file gives, as a pure function of its bytes, its name, where it sits, the
    images it shows and the options."""

    path: str
    digest: str
    mtime: int
    book: Book | None
    """The book's title, author and tags (its quotes live on in ``notes``); None if unread."""
    notes: tuple[Note, ...]
    problems: tuple[Problem, ...]
    placement: Placement | None = None
    lookups: tuple[Lookup, ...] = ()
    """Every image the note looked for: if looking again finds other files, it is read again."""
    gapping: tuple[tuple[str, tuple[Mark, ...], tuple[Any, ...]], ...] = ()
    """The reader's marks and the defined terms of each quote that has any, by its words: what
    choosing its gaps again (keeping the previous version's) needs besides the note."""
    memo: Memo | None = None
    """What analysing its quotes gave (definitions, gaps), by their words: a new version of the
    file re-analyses only the quotes whose words changed."""


def load_cache(out: OutputFolder, key: str) -> dict[str, FileResult]:
    """The cached results, or nothing if the cache is missing, damaged or made otherwise."""
    results: dict[str, FileResult] = {}
    try:
        with database.reading(out) as connection:
            if connection is None or database.meta(connection, "cache") != key:
                return {}
            for mtime, blob in connection.execute("SELECT mtime, result FROM files"):
                result = pickle.loads(blob)
                if not isinstance(result, FileResult):
                    return {}
                results[result.path] = replace(result, mtime=int(mtime))
    except (database.Damaged, sqlite3.Error, EOFError, pickle.UnpicklingError, AttributeError,
            KeyError, TypeError, ValueError, ImportError, IndexError):
        return {}  # a missing, old or damaged cache only means a full read
    return results


def save_cache(connection: sqlite3.Connection, key: str, results: Sequence[FileResult],
               cached: Mapping[str, FileResult]) -> int:
    """Write, into an open transaction, the results that differ from ``cached`` (what
    :func:`load_cache` gave this build), one pickle per file; returns how many rows changed."""
    if database.meta(connection, "cache") != key:
        connection.execute("DELETE FROM files")
        cached = {}
        database.set_meta(connection, "cache", key)
    paths = {result.path for result in results}
    gone = [(path,) for path in cached if path not in paths]
    connection.executemany("DELETE FROM files WHERE path = ?", gone)
    changed = [result for result in results if not _same(result, cached.get(result.path))]
    # pickled as SQLite takes them: a full build's results are never all pickled at once
    connection.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                           ((result.path, result.digest, result.mtime,
                             pickle.dumps(replace(result, mtime=0), pickle.HIGHEST_PROTOCOL))
                            for result in changed))
    touched = [(result.mtime, result.path) for result in results
               if (cached_result := cached.get(result.path)) is not None
               and cached_result.mtime != result.mtime and _same(result, cached_result)]
    connection.executemany("UPDATE files SET mtime = ? WHERE path = ?", touched)
    return len(changed) + len(gone) + len(touched)


def _same(result: FileResult, cached: FileResult | None) -> bool:
    """Whether the row of ``cached`` already holds ``result`` but for its modification time
    (a file not read again: its bytes did not change)."""
    return cached is not None and result.memo is not None and result.memo is cached.memo and (
        result.digest, result.placement, result.lookups) == (
        cached.digest, cached.placement, cached.lookups)


def remove_legacy_cache(out: OutputFolder) -> None:
    """The whole-file pickle cache earlier versions wrote: never read, removed."""
    with suppress(OSError):
        (out / LEGACY_CACHE_FILE).unlink()


@dataclass(frozen=True, slots=True)
class Manifest:
    """The last build's inputs, outputs and summary, as recorded in the output folder."""

    key: str
    inputs: dict[str, str]
    outputs: dict[str, str]
    summary: dict[str, Any]
    images: tuple[Lookup, ...] = ()
    """Every image the notes looked for, and what was found."""


def load_manifest(out: OutputFolder) -> Manifest | None:
    try:
        data = json.loads(out.manifest.read_text(encoding="utf-8"))
        images = tuple(Lookup(tuple(str(c) for c in item[0]), str(item[1]), str(item[2]),
                              str(item[3])) for item in data.get("images", ()))
        return Manifest(str(data["key"]), dict(data["inputs"]), dict(data["outputs"]),
                        dict(data["summary"]), images)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def save_manifest(out: OutputFolder, manifest: Manifest) -> None:
    images = sorted({(lookup.candidates, lookup.found, lookup.stamp, lookup.root)
                     for lookup in manifest.images})
    data = {"key": manifest.key, "inputs": manifest.inputs, "outputs": manifest.outputs,
            "summary": manifest.summary,
            "images": [[list(candidates), found, stamp, root]
                       for candidates, found, stamp, root in images]}
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    out.write_bytes(MANIFEST_FILE, text.encode("utf-8"))


GENERATION = "generation:"
"""The manifest keeps the record's generation (:func:`.database.generation`), not its hash:
hashing the whole record on every build would cost as much as reading it."""


def output_digest(out: OutputFolder, name: str) -> str:
    """What the manifest keeps of one output: its hash, or the record's generation."""
    if name == STATE_FILE:
        stamp = database.generation(out)
        return GENERATION + stamp if stamp else ""
    return out.digest(name) or ""


def outputs_intact(out: OutputFolder, outputs: Mapping[str, str]) -> bool:
    """Whether every file the last build wrote is still there, unchanged."""
    return all(bool(digest) and output_digest(out, name) == digest
               for name, digest in outputs.items())
