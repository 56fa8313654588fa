"""The record on disk: a row per note in the output folder's SQLite file (:mod:`..database`),
only the rows that changed written, in the build's one transaction; and the JSON the record
reads as (``quote2anki state --json``), which is also what versions before 5 kept in a file of
their own (``.quote2anki-state.json``, read once and converted).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, fields, replace
from typing import Any, TextIO

from .. import database
from ..fields import card_numbers, parse
from ..model import Gap, Note, Problem, Span
from ..output import OutputFolder
from .records import Record, Records

FORMAT = "quote2anki-state"
VERSION = 5
READABLE_VERSIONS = (2, 3, 4, 5)
"""Version 2 kept each note's Text field instead of its words and gaps, version 3 had no history
of earlier values, version 4 was one JSON file; all are read and converted, so upgrading
quote2anki never costs a note its identity."""


def load(folder: OutputFolder, current: Mapping[str, Note] | None = None
         ) -> tuple[Records, Problem | None]:
    """The previous build's record: from the SQLite file, else from the JSON file an older
    version wrote; empty when there is neither.

    Fields equal to those of the ``current`` note with the same GUID share its strings, so an
    unchanged vault is not held in memory twice.
    """
    where = str(database.path(folder))
    try:
        with database.reading(folder) as connection:
            if connection is not None and database.meta(connection, "format") is not None:
                return _from_database(connection, current or {}), None
    except database.Damaged as error:
        return Records(found=True), _unusable(where, str(error))
    except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        return Records(found=True), _unusable(where, f"not a state file ({error})")
    except _Unusable as error:
        return Records(found=True), _unusable(where, str(error))
    return _load_legacy(folder, current or {})


def _load_legacy(folder: OutputFolder, current: Mapping[str, Note]
                 ) -> tuple[Records, Problem | None]:
    path = folder.legacy_state
    try:
        with open(path, encoding="utf-8") as handle:
            return _parse(handle, current), None
    except FileNotFoundError:
        return Records(), None
    except OSError as error:
        return Records(found=True), _unusable(str(path), str(error.strerror or error))
    except _Unusable as error:
        return Records(found=True), _unusable(str(path), str(error))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        return Records(found=True), _unusable(str(path), f"not a state file ({error})")


def _from_database(connection: sqlite3.Connection, current: Mapping[str, Note]) -> Records:
    head = json.loads(database.meta(connection, "head") or "{}")
    version = database.meta(connection, "version")
    if database.meta(connection, "format") != FORMAT or not (
            version and version.isdigit() and int(version) in READABLE_VERSIONS):
        raise _Unusable("written by another version")
    rows = connection.execute("SELECT guid, value FROM records ORDER BY guid")
    records = _records(head, ((str(guid), json.loads(value)) for guid, value in rows), current)
    records.stored = True
    return records


class _Unusable(Exception):
    pass


_HEAD_END = ', "notes": {'
_FIELDS = [field.name for field in fields(Record)]


def _parse(handle: Iterable[str], current: Mapping[str, Note]) -> Records:
    """The record from its JSON: the head (format, field names, forgotten GUIDs) on the first
    line, then one note per line."""
    lines = iter(handle)
    head = next(lines, "").rstrip("\n")
    if not head.endswith(_HEAD_END):
        raise _Unusable("not a state file")
    data = json.loads(head.removesuffix(_HEAD_END) + "}")
    if data.get("format") != FORMAT or data.get("version") not in READABLE_VERSIONS:
        raise _Unusable("written by another version")

    def rows() -> Iterator[tuple[str, list[Any]]]:
        for line in lines:
            line = line.rstrip("\n").removesuffix(",")
            if line not in ("}}", ""):
                yield json.loads("{" + line + "}").popitem()

    return _records(data, rows(), current)


def _records(head: Mapping[str, Any], rows: Iterable[tuple[str, list[Any]]],
             current: Mapping[str, Note]) -> Records:
    names = head.get("fields")
    if not isinstance(names, list) or not {"hash", "mod", "kind", "book", "source"} <= set(names):
        raise _Unusable("its fields are not the ones this version reads")
    moved = _mover(head.get("base"))
    records = Records(forgotten={str(g): int(m) for g, m in
                                 (head.get("forgotten") or {}).items()}, found=True)
    ours = names == _FIELDS
    for guid, values in rows:
        note = current.get(guid)
        if ours and moved is None:  # written by this version, from this folder: the fast way
            records[guid] = _current(values, note)
            continue
        record = _record_of(dict(zip(names, values, strict=True)))
        if moved is not None and record.path:
            record = replace(record, source=moved(record.source))
        if note is not None and (record.words, record.extra, record.field_source) == (
                note.words, note.extra, note.source):
            record = replace(record, words=note.words, extra=note.extra, field_source=note.source,
                             gaps=note.gaps if record.gaps == note.gaps else record.gaps,
                             tags=note.tags if record.tags == note.tags else record.tags,
                             spans=note.spans if record.spans == note.spans else record.spans)
        records[guid] = record
    if moved is not None:
        records.moved = True
    return records


def _mover(base: object) -> Callable[[str], str] | None:
    """Relative paths were recorded from the folder ``base``: seen from here they are others."""
    if not isinstance(base, str) or not base or os.path.abspath(base) == os.getcwd():
        return None

    def moved(source: str) -> str:
        path, _, line = source.rpartition(":")
        if not path or os.path.isabs(path):
            return source
        full = os.path.normpath(os.path.join(base, path))
        try:
            return f"{os.path.relpath(full)}:{line}"
        except ValueError:  # another drive, on Windows
            return f"{full}:{line}"

    return moved


def _current(values: list[Any], note: Note | None) -> Record:
    """A row in this version's field order (:data:`_FIELDS`), its strings shared with ``note``
    (this build's note of the same GUID) where they are equal: :func:`_record_of` without a
    dictionary, conversions or copies, as a one-quote rebuild reads every row."""
    (digest, mod, kind, book, deck, source, words, gaps, extra, field_source, tags, term,
     aliases, removed, cards, spans, earlier, earlier_extra, field_mods) = values
    gapped = tuple(Gap(start, end, number, hint) for start, end, number, hint in gaps)
    tagged = tuple(tags)
    printed = tuple(Span(*span) for span in spans) if spans else ()
    if note is not None and words == note.words and extra == note.extra and (
            field_source == note.source):
        words, extra, field_source = note.words, note.extra, note.source
        gapped = note.gaps if gapped == note.gaps else gapped
        tagged = note.tags if tagged == note.tags else tagged
        printed = note.spans if printed == note.spans else printed
    return Record(str(digest), int(mod), str(kind), str(book), str(deck), str(source),
                  str(words), gapped, str(extra), str(field_source), tagged, term,
                  tuple(aliases), bool(removed), tuple(cards) if cards else card_numbers(gapped),
                  printed, tuple(earlier), tuple(earlier_extra), tuple(field_mods))


def _record_of(values: dict[str, Any]) -> Record:
    if "words" in values:
        words = str(values["words"])
        gaps = tuple(Gap(int(s), int(e), int(n), h) for s, e, n, h in values["gaps"])
    else:  # version 2: the Text field itself
        words, gaps = parse(str(values["text"]))
    return Record(str(values["hash"]), int(values["mod"]), str(values["kind"]),
                  str(values["book"]), str(values["deck"]), str(values["source"]), words, gaps,
                  str(values["extra"]), str(values["field_source"]), tuple(values["tags"]),
                  values.get("term"), tuple(values.get("aliases") or ()),
                  bool(values.get("removed")),
                  tuple(values.get("cards") or card_numbers(gaps)),
                  tuple(Span(int(s), int(e), k, t, label, size)
                        for s, e, k, t, label, size in values.get("spans") or ()),
                  tuple(values.get("earlier") or ()),
                  tuple(values.get("earlier_extra") or ()),
                  tuple(int(m) for m in values.get("field_mods") or ()))


def _unusable(path: str, why: str) -> Problem:
    return Problem(path, None, "warning",
                   f"previous build's record cannot be used ({why})")


def save(folder: OutputFolder, records: Mapping[str, Record],
         forgotten: Mapping[str, int] | None = None) -> None:
    """Write the record, in a transaction of its own."""
    with database.writing(folder) as connection:
        write(connection, records, forgotten)
    finish(folder)


@dataclass(frozen=True, slots=True)
class Changes:
    """Which rows of the record a build changes: what writing it needs of the record it read,
    so that record can be let go before the packages are written."""

    rows: tuple[str, ...] | None = None
    """The GUIDs whose record differs from the one read; None: every row (the record was read
    from elsewhere, from another folder, or not at all)."""
    gone: tuple[str, ...] = ()
    """The GUIDs read that are recorded no more."""


def changes(records: Mapping[str, Record], previous: Mapping[str, Record]) -> Changes:
    """The rows of ``records`` that differ from ``previous`` as :func:`load` read it."""
    if not getattr(previous, "stored", False) or getattr(previous, "moved", False):
        return Changes()
    return Changes(tuple(guid for guid, record in records.items()
                         if previous.get(guid) != record),
                   tuple(guid for guid in previous if guid not in records))


def write(connection: sqlite3.Connection, records: Mapping[str, Record],
          forgotten: Mapping[str, int] | None = None, changed: Changes = Changes()) -> int:
    """Write the record into an open transaction: only the ``changed`` rows when the file holds
    rows written the same way (this version, this folder), else every row. Returns how many
    rows were written."""
    encode = _encoder()
    rows: Iterable[str] | None = changed.rows
    gone: Iterable[str] = changed.gone
    if rows is None or _head(connection) != (_FIELDS, os.getcwd()):
        connection.execute("DELETE FROM records")
        rows, gone = list(records), ()
    count = 0
    for guid in gone:
        connection.execute("DELETE FROM records WHERE guid = ?", (guid,))
        count += 1
    written = list(rows)
    # encoded as SQLite takes them: a full build's rows are never all in memory at once
    connection.executemany("INSERT OR REPLACE INTO records VALUES (?, ?)",
                           ((guid, encode(_values(records[guid]))) for guid in written))
    count += len(written)
    database.set_meta(connection, "format", FORMAT)
    database.set_meta(connection, "version", str(VERSION))
    database.set_meta(connection, "head", json.dumps(
        {"fields": _FIELDS, "base": os.getcwd(),
         "forgotten": dict(sorted((forgotten or {}).items()))}))
    return count


def _head(connection: sqlite3.Connection) -> tuple[object, object] | None:
    """The field names and folder the stored rows were written with (other ones: rewrite)."""
    try:
        head = json.loads(database.meta(connection, "head") or "null")
    except ValueError:
        return None
    if not isinstance(head, dict) or database.meta(connection, "version") != str(VERSION):
        return None
    return head.get("fields"), head.get("base")


def finish(folder: OutputFolder) -> None:
    """After the record is committed: the JSON file an older version wrote is converted."""
    with suppress(OSError):
        folder.legacy_state.unlink()


def dump(records: Records, out: TextIO) -> None:
    """The record as JSON: the field names once, then one note per line (its values in that
    order), sorted by GUID, so a plain diff between two dumps shows what changed."""
    encode = _encoder()
    head = json.dumps({"format": FORMAT, "version": VERSION, "fields": _FIELDS,
                       "base": os.getcwd(),
                       "forgotten": dict(sorted(records.forgotten.items()))})[:-1]
    out.write(f"{head}{_HEAD_END}")
    separator = "\n"
    for guid in sorted(records):
        out.write(f"{separator}{encode(guid)}: {encode(_values(records[guid]))}")
        separator = ",\n"
    out.write("\n}}\n")


def _values(record: Record) -> list[object]:
    values: list[object] = [getattr(record, name) for name in _FIELDS]
    values[_FIELDS.index("gaps")] = [[g.start, g.end, g.number, g.hint] for g in record.gaps]
    values[_FIELDS.index("spans")] = [[s.start, s.end, s.kind, s.target, s.label, s.size]
                                      for s in record.spans]
    return values


def _encoder() -> Callable[[object], str]:
    """json's C encoder, made once: calling json.dumps per note costs more than encoding it."""
    try:
        from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - interpreters without the C accelerator
        return json.JSONEncoder(ensure_ascii=False).encode
    if c_make_encoder is None:  # pragma: no cover
        return json.JSONEncoder(ensure_ascii=False).encode
    make = c_make_encoder(None, None, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(make(value, 0))
