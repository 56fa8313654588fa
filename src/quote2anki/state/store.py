"""The state file on disk: read a line (a note) at a time, written sorted by GUID so a plain
diff between two builds shows what changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields, replace
from typing import Any, BinaryIO

from ..fields import card_numbers, parse
from ..model import Gap, Note, Problem, Span
from ..output import STATE_FILE, OutputFolder
from .records import Record, Records

FORMAT = "quote2anki-state"
VERSION = 4
READABLE_VERSIONS = (2, 3, 4)
"""Version 2 kept each note's Text field instead of its words and gaps, version 3 had no history
of earlier values; both are read and converted, so upgrading quote2anki never costs a note its
identity."""


def load(folder: OutputFolder, current: Mapping[str, Note] | None = None
         ) -> tuple[Records, Problem | None]:
    """The previous build's record, read a line (a note) at a time to keep memory flat.

    Fields equal to those of the ``current`` note with the same GUID share its strings, so an
    unchanged vault is not held in memory twice.
    """
    path = folder.state
    try:
        with open(path, encoding="utf-8") as handle:
            return _parse(handle, current or {}), None
    except FileNotFoundError:
        return Records(), None
    except OSError as error:
        return Records(found=True), _unusable(str(path), str(error.strerror or error))
    except _Unusable as error:
        return Records(found=True), _unusable(str(path), str(error))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        return Records(found=True), _unusable(str(path), f"not a state file ({error})")


class _Unusable(Exception):
    pass


_HEAD_END = ', "notes": {'
_FIELDS = [field.name for field in fields(Record)]


def _parse(handle: Iterable[str], current: Mapping[str, Note]) -> Records:
    lines = iter(handle)
    head = next(lines, "").rstrip("\n")
    if not head.endswith(_HEAD_END):
        raise _Unusable("not a state file")
    data = json.loads(head.removesuffix(_HEAD_END) + "}")
    if data.get("format") != FORMAT or data.get("version") not in READABLE_VERSIONS:
        raise _Unusable("written by another version")
    names = data.get("fields")
    if not isinstance(names, list) or not {"hash", "mod", "kind", "book", "source"} <= set(names):
        raise _Unusable("its fields are not the ones this version reads")
    moved = _mover(data.get("base"))
    records = Records(forgotten={str(g): int(m) for g, m in
                                 (data.get("forgotten") or {}).items()}, found=True)
    for line in lines:
        line = line.rstrip("\n").removesuffix(",")
        if line in ("}}", ""):
            continue
        guid, values = json.loads("{" + line + "}").popitem()
        record = _record_of(dict(zip(names, values, strict=True)))
        if moved is not None and record.path:
            record = replace(record, source=moved(record.source))
        note = current.get(guid)
        if note is not None and (record.words, record.extra, record.field_source) == (
                note.words, note.extra, note.source):
            record = replace(record, words=note.words, extra=note.extra, field_source=note.source,
                             gaps=note.gaps if record.gaps == note.gaps else record.gaps,
                             tags=note.tags if record.tags == note.tags else record.tags,
                             spans=note.spans if record.spans == note.spans else record.spans)
        records[guid] = record
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
    """Write the record as JSON: the field names once, then one note per line (its values in
    that order), sorted by GUID, so a plain diff between two builds shows what changed. The
    folder the build ran in is kept too: relative paths are relative to it."""
    encode = _encoder()
    head = json.dumps({"format": FORMAT, "version": VERSION, "fields": _FIELDS,
                       "base": os.getcwd(),
                       "forgotten": dict(sorted((forgotten or {}).items()))})[:-1]

    def write(handle: BinaryIO) -> None:
        handle.write(f"{head}{_HEAD_END}".encode())
        separator = "\n"
        batch: list[str] = []
        for guid in sorted(records):
            batch.append(f"{separator}{encode(guid)}: {encode(_values(records[guid]))}")
            separator = ",\n"
            if len(batch) == 1000:  # written in slices: the whole file is never in memory
                handle.write("".join(batch).encode())
                batch.clear()
        handle.write(("".join(batch) + "\n}}\n").encode())

    folder.write_streamed(STATE_FILE, write)


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
