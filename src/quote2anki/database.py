"""The build's record on disk: one SQLite file in the output folder, updated in place.

The record of the last build (:mod:`quote2anki.state`, a row per note) and the cache of each
note file's results (:mod:`quote2anki.incremental`, a row per file) live in one file,
``.quote2anki.sqlite``. A build writes only the rows that changed, all in one transaction: a
build killed at any moment leaves the file as it was before that build or as the build left
it, never half of each (SQLite's rollback journal, beside it while a transaction runs, puts
it back on the next open). Each committed build stamps a new *generation*, which the manifest
keeps instead of hashing the whole file.

The file is disposable: missing, damaged or written by another program, it is read as empty
(the record is then rebuilt from the packages, as before) and written afresh.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path

from .output import STATE_FILE, OutputFolder

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (guid TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, digest TEXT NOT NULL,
                                  mtime INTEGER NOT NULL, result BLOB NOT NULL);
"""


_FILE_COLUMNS = ("path", "digest", "mtime", "result")


class Damaged(Exception):
    """The file is there but cannot be read as ours (why is the message)."""


def path(folder: OutputFolder) -> Path:
    return folder / STATE_FILE


@contextmanager
def reading(folder: OutputFolder) -> Iterator[sqlite3.Connection | None]:
    """The record opened for reading, or None when there is none; :class:`Damaged` when the
    file is not a database of ours."""
    where = path(folder)
    if not where.is_file():
        yield None
        return
    try:  # read-write: a journal a killed build left is rolled back, as it must be
        connection = sqlite3.connect(where)
    except sqlite3.Error as error:
        raise Damaged(str(error)) from error
    with closing(connection):
        try:
            tables = {name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            raise Damaged(str(error)) from error
        if not {"meta", "records", "files"} <= tables:
            raise Damaged("not a quote2anki record")
        yield connection


def meta(connection: sqlite3.Connection, key: str) -> str | None:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_meta(connection: sqlite3.Connection, key: str, value: str) -> None:
    connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


@contextmanager
def writing(folder: OutputFolder) -> Iterator[sqlite3.Connection]:
    """The record opened for one transaction, committed when the block ends without an
    exception and rolled back otherwise; a damaged file is replaced by an empty one.
    Call with the folder's lock held."""
    connection = _open_for_writing(folder)
    with closing(connection):
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
            set_meta(connection, "generation", os.urandom(8).hex())
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


def _open_for_writing(folder: OutputFolder) -> sqlite3.Connection:
    where = path(folder)
    for attempt in range(2):
        connection = sqlite3.connect(where, isolation_level=None)
        try:
            connection.executescript(_SCHEMA)
            columns = [row[1] for row in connection.execute("PRAGMA table_info(files)")]
            if columns != list(_FILE_COLUMNS):  # a cache laid out otherwise: disposable
                connection.executescript(f"DROP TABLE files; {_SCHEMA}")
            return connection
        except sqlite3.OperationalError:
            connection.close()
            raise
        except sqlite3.DatabaseError:
            connection.close()
            if attempt:
                raise
            for name in (where, where.with_name(where.name + "-journal")):
                with suppress(FileNotFoundError):
                    name.unlink()  # not a database: disposable, written afresh
    raise AssertionError("unreachable")  # pragma: no cover


def generation(folder: OutputFolder) -> str | None:
    """The stamp of the last committed build, or None without a readable record."""
    try:
        with reading(folder) as connection:
            return None if connection is None else meta(connection, "generation")
    except (Damaged, sqlite3.Error):
        return None
