"""``quote2anki import``: packages into an Anki collection, keeping everything File › Import loses.

This module alone needs the optional ``anki`` package (``pip install 'quote2anki[anki]'``);
building never does. Anki's own File › Import replaces a whole note when the package's copy is
newer and leaves it alone otherwise; it cannot delete, move or merge. Here, with Anki's own
backend and the record of the build (which knows every value quote2anki ever exported for a
note), each note is merged field by field:

- **Fields we fill** (Text, Back Extra, Source): a field Anki holds as one of our earlier
  versions takes the package's value; a field the user edited in Anki keeps their edit, unless
  our version of it changed after that edit (the newest wins). A Back Extra the user wrote is
  never lost: when the notes give the quote a new note, it replaces our old text inside theirs,
  or is added after it.
- **Fields the user added** to the notetype are never touched.
- **Tags**: the package's tags, plus every tag the user (or Anki: ``marked``, ``leech``) added;
  a tag we exported before and no longer do is taken off. So ``quote2anki::removed`` arrives on
  a removed note whatever was done to it in Anki.
- **Decks**: cards still in a deck quote2anki gave them move to the note's deck now; cards the
  user moved elsewhere stay. Decks quote2anki made that end up empty are removed.
- **Cards**: a card whose cloze number is gone (an empty card) is deleted.
- **The notetype**: created with our ID; fields a newer version appends are added by name;
  templates and CSS are upgraded when the installed version is older (the user's CSS after
  :data:`~quote2anki.notetype.CSS_END` is kept); copies File › Import made (``quote2anki
  cloze+``) are merged back. A note whose notetype the user changed is left alone, and named.
"""

from __future__ import annotations

import html
import os
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ImportRefused, PackageError
from .notes import BASE_TAG
from .notetype import (
    BASIC_ID,
    CSS_END,
    NOTETYPE_ID,
    OWNED_FIELDS,
    TEMPLATE_NAME,
    VERSION_KEY,
    installed_version,
)
from .output import OutputFolder
from .package import Package, PackagedNote, read_package
from .state import REMOVED_TAG, Exported, Record, load, mark

MAX_NAMED = 10
"""Conflicts named one by one before the rest are counted."""


@dataclass
class Imported:
    """What importing one package did."""

    package: Path
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    tagged_removed: int = 0
    """Notes that got ``quote2anki::removed`` in this import."""
    moved: int = 0
    """Cards moved to their note's deck."""
    emptied: int = 0
    """Empty cards deleted (their cloze number is gone)."""
    kept_edits: int = 0
    """Notes whose fields edited in Anki were kept over an older version of ours."""
    decks_removed: list[str] = field(default_factory=list)
    notetype: list[str] = field(default_factory=list)
    """What was done to the notetype, one line each."""
    conflicts: list[str] = field(default_factory=list)
    """Notes (or parts of the notetype) that could not be updated, each by name."""
    stayed: int = 0
    """Cards left in a deck the user chose."""
    not_added: int = 0
    """Notes tagged removed that this collection never had: not added."""


def default_collection() -> Path:
    """Where Anki keeps the first profile's collection on this system."""
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "Anki2"
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home())) / "Anki2"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "Anki2"
    return base / "User 1" / "collection.anki2"


def open_collection(collection: Path) -> Any:
    """Anki's collection at ``collection``; refused (untouched) when Anki has it open."""
    try:
        from anki.collection import Collection
        from anki.errors import DBError
    except ImportError as error:
        raise ImportRefused("importing needs Anki's backend: pip install 'quote2anki[anki]'"
                            ) from error
    if not collection.is_file():
        raise ImportRefused(f"no Anki collection at {collection}; pass --collection with the "
                            "path of your collection.anki2")
    try:
        return Collection(str(collection))
    except DBError as error:
        raise ImportRefused(f"the collection {collection} is open in Anki (it is locked); "
                            "close Anki and run the import again") from error


def import_packages(packages: Sequence[Path], collection: Path,
                    records: Mapping[str, Record] | None = None) -> list[Imported]:
    """Import ``packages`` into ``collection`` (see the module's docstring); refuses, without
    touching it, when Anki has it open or a package is damaged. ``records`` default to the
    record of the build in each package's folder."""
    read = [_read(path) for path in packages]  # every package whole before anything changes
    col = open_collection(collection)
    try:
        from anki.errors import AnkiException

        try:
            return [import_into(col, package, records if records is not None
                                else records_beside(package.path)) for package in read]
        except AnkiException as error:
            raise ImportRefused(f"Anki could not finish the import into {collection}: {error}"
                                ) from error
    finally:
        col.close()


def _read(path: Path) -> Package:
    try:
        return read_package(path)
    except PackageError as error:
        raise ImportRefused(f"cannot import {error}") from error


def collection_rows(col: Any) -> list[Exported]:
    """Every note of our notetype in a collection, as a record is rebuilt from it."""
    model = col.models.get(NOTETYPE_ID)
    if model is None:
        return []
    names = [str(f["name"]) for f in model["flds"]]
    decks: dict[int, str] = {}
    rows = []
    for guid, mod, flds, tags, did, odid in col.db.all(
            "SELECT n.guid, n.mod, n.flds, n.tags, c.did, c.odid FROM notes n JOIN cards c ON "
            "c.nid = n.id WHERE n.mid = ? GROUP BY n.id HAVING c.ord = MIN(c.ord)",
            NOTETYPE_ID):
        home = int(odid) or int(did)
        if home not in decks:
            decks[home] = str(col.decks.name(home))
        values = dict(zip(names, str(flds).split("\x1f"), strict=False))
        rows.append(Exported(str(guid), int(mod), values.get("Text", ""),
                             values.get("Back Extra", ""), values.get("Source", ""),
                             tuple(str(tags).split()), decks[home]))
    return rows


def records_beside(package: Path) -> Mapping[str, Record]:
    """The record of the build that wrote ``package`` (in its folder), or nothing."""
    records, _ = load(OutputFolder(package.parent))
    return records


def import_into(col: Any, package: Package, records: Mapping[str, Record]) -> Imported:
    """Import one package into an open collection (the steps of the module's docstring)."""
    report = Imported(package.path)
    if col.models.get(NOTETYPE_ID) is None and not _any_guid(col, package):
        return _first_import(col, package, report)
    model = _ensure_notetype(col, package, report)
    _merge_copies(col, model, report)
    model = col.models.get(NOTETYPE_ID)
    names = [str(f["name"]) for f in model["flds"]]
    existing = {str(guid): (int(nid), int(mid), int(mod)) for guid, nid, mid, mod in
                col.db.all("SELECT guid, id, mid, mod FROM notes")}
    contents = {int(nid): (dict(zip(names, str(flds).split("\x1f"), strict=False)),
                           str(tags).split())
                for nid, flds, tags in col.db.all(
                    "SELECT id, flds, tags FROM notes WHERE mid = ?", NOTETYPE_ID)}
    decks = _Decks(col, package)
    ours: dict[int, tuple[PackagedNote, frozenset[str]]] = {}
    additions: list[PackagedNote] = []
    for note in package.notes:
        found = existing.get(note.guid)
        if found is None:
            if REMOVED_TAG in note.tags:
                report.not_added += 1  # removed before it ever reached this collection
            else:
                additions.append(note)
            continue
        nid, mid, mod = found
        if mid != NOTETYPE_ID:
            report.conflicts.append(
                f"{_named(note)}: its notetype in Anki is {_model_name(col, mid)!r}, not "
                f"{model['name']!r}; not updated")
            continue
        record = records.get(note.guid)
        exported = record.exported() if record is not None else frozenset()
        values, tags = contents[nid]
        _merge(col, nid, mod, values, tags, note, record, exported, names, report)
        ours[nid] = (note, exported)
    for nid, note in _add(col, model, additions, decks, names):
        ours[nid] = (note, frozenset())
        report.new += 1
    _move_cards(col, ours, decks, report)
    _clear_empty_cards(col, set(ours), report)
    _remove_empty_decks(col, decks.left, report)
    _import_the_rest(col, package, report)
    return report


def _import_the_rest(col: Any, package: Package, report: Imported) -> None:
    """What the field-by-field merge above does not cover, through Anki's own package import
    of a copy of the package that holds only it: the notes of our Basic notetype (the reader's
    flashcards and the quotes that ask for their book: Anki's "update if newer" is right for
    them, they have no Back Extra of the user's to keep) and every image the notes show (the
    media files, named by their content, so an image already there is not copied twice)."""
    import tempfile
    import zipfile

    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with zipfile.ZipFile(package.path) as archive:
        names = set(archive.namelist())
        data = archive.read("collection.anki2")
        media = archive.read("media") if "media" in names else b"{}"
        files = {name: archive.read(name) for name in names
                 if name not in ("collection.anki2", "media")}
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        basic = connection.execute("SELECT COUNT(*) FROM notes WHERE mid = ?",
                                   (BASIC_ID,)).fetchone()[0]
        if not basic and media == b"{}":
            return
        connection.execute("DELETE FROM notes WHERE mid != ?", (BASIC_ID,))
        connection.execute("DELETE FROM cards WHERE nid NOT IN (SELECT id FROM notes)")
        connection.commit()
        copy = connection.serialize()
    finally:
        connection.close()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "rest.apkg"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("collection.anki2", copy)
            archive.writestr("media", media)
            for name, content in files.items():
                archive.writestr(name, content)
        request = ImportAnkiPackageRequest(
            package_path=str(path),
            options=ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False))
        log = col.import_anki_package(request).log
    report.new += len(log.new)
    report.updated += len(log.updated)
    report.unchanged += len(log.duplicate)


def _any_guid(col: Any, package: Package) -> bool:
    guids = {note.guid for note in package.notes}
    return any(str(guid) in guids for (guid,) in col.db.all("SELECT guid FROM notes"))


def _first_import(col: Any, package: Package, report: Imported) -> Imported:
    """Nothing of ours in the collection yet: Anki's own package import does it all, fast."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(package.path.resolve()),
        options=ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False))
    log = col.import_anki_package(request).log
    report.new, report.updated, report.unchanged = (len(log.new), len(log.updated),
                                                    len(log.duplicate))
    report.notetype.append(f"added the notetype {package.notetype.get('name')!r}")
    return report


# --- the notetype ---------------------------------------------------------------------------


def _ensure_notetype(col: Any, package: Package, report: Imported) -> dict[str, Any]:
    incoming = package.notetype
    model: dict[str, Any] | None = col.models.get(NOTETYPE_ID)
    if model is None:  # our GUIDs are in the collection under another notetype: add ours
        import json

        col._backend.add_or_update_notetype(json=json.dumps(incoming).encode(),
                                            preserve_usn_and_mtime=True, skip_checks=False)
        report.notetype.append(f"added the notetype {incoming.get('name')!r}")
        return dict(col.models.get(NOTETYPE_ID))
    if int(model.get("type", 0)) != 1:
        raise ImportRefused(f"the notetype {model['name']!r} in the collection has quote2anki's "
                            "ID but is not a cloze notetype; rename it or delete it in Anki")
    changed = False
    names = [str(f["name"]) for f in model["flds"]]
    for name in package.field_names:
        if name not in names:
            col.models.add_field(model, col.models.new_field(name))
            report.notetype.append(f"added the field {name!r} to {model['name']!r} (Anki asks "
                                   "for a one-way sync after a change of fields)")
            changed = True
    mine = [name for name in names if name not in package.field_names]
    if mine:
        report.notetype.append(f"kept your own field{'s' if len(mine) > 1 else ''} "
                               f"{', '.join(map(repr, mine))}: quote2anki never writes "
                               f"{'them' if len(mine) > 1 else 'it'}")
    version = int((incoming.get(VERSION_KEY) or {}).get("version") or incoming.get("mod") or 0)
    template = next((t for t in incoming.get("tmpls", []) if t.get("name") == TEMPLATE_NAME),
                    None)
    installed = installed_version(model)
    if template is not None and (version > installed or (
            installed == 0 and _differs(model, template, incoming))):
        changed |= _upgrade(model, template, str(incoming.get("css", "")), version, report)
    if changed:
        col.models.save(model)
    return model


def _differs(model: Mapping[str, Any], template: Mapping[str, Any],
             incoming: Mapping[str, Any]) -> bool:
    current = model["tmpls"][0] if model.get("tmpls") else {}
    ours = str(incoming.get("css", "")).split(CSS_END)[0]
    return (current.get("qfmt"), current.get("afmt")) != (template.get("qfmt"), template.get(
        "afmt")) or not str(model.get("css", "")).startswith(ours)


def _upgrade(model: dict[str, Any], template: Mapping[str, Any], css: str, version: int,
             report: Imported) -> bool:
    """Our templates and CSS into the collection's notetype, the user's CSS and fields kept."""
    current = model["tmpls"][0]
    ours = {str(f) for f in OWNED_FIELDS}
    theirs = [str(f["name"]) for f in model["flds"] if str(f["name"]) not in ours]
    back = str(template.get("afmt", ""))
    shown = [name for name in theirs if "{{" + name + "}}" in str(current.get("afmt", ""))
             and "{{" + name + "}}" not in back]
    for name in shown:  # a field the user showed on the back stays there
        back += f'\n{{{{#{name}}}}}<div class="q2a-yours">{{{{{name}}}}}</div>{{{{/{name}}}}}'
    own_css = str(model.get("css", "")).partition(CSS_END)[2] if CSS_END in str(
        model.get("css", "")) else ""
    new = {"qfmt": str(template.get("qfmt", "")), "afmt": back}
    new_css = css.rstrip("\n") + own_css if own_css.strip() else css
    if (current.get("qfmt"), current.get("afmt"), model.get("css")) == (
            new["qfmt"], new["afmt"], new_css) and installed_version(model) == version:
        return False
    current.update(new)
    model["css"] = new_css
    model[VERSION_KEY] = {"version": version}
    report.notetype.append(f"updated the card template and CSS of {model['name']!r} to "
                           f"quote2anki's version {version}" + (
                               f", still showing your field{'s' if len(shown) > 1 else ''} "
                               f"{', '.join(map(repr, shown))} on the back" if shown else ""))
    return True


def _merge_copies(col: Any, model: Mapping[str, Any], report: Imported) -> None:
    """Notes File › Import put on a copy of our notetype (``quote2anki cloze+``, made when the
    user's notetype had a field more) go back to ours, and the copy goes."""
    for other in list(col.models.all()):
        if int(other["id"]) == NOTETYPE_ID or other.get("originalId") != NOTETYPE_ID:
            continue
        if int(other.get("type", 0)) != 1:
            continue
        nids = col.models.nids(other["id"])
        if nids:
            info = col.models.change_notetype_info(old_notetype_id=other["id"],
                                                   new_notetype_id=NOTETYPE_ID)
            request = info.input
            request.note_ids.extend(nids)
            col.models.change_notetype_of_notes(request)
        col.models.remove(other["id"])
        report.notetype.append(f"moved {len(nids)} note{'s' if len(nids) != 1 else ''} of "
                               f"{other['name']!r} (a copy File › Import made) back to "
                               f"{model['name']!r}")


# --- notes ----------------------------------------------------------------------------------


def _same(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)


def _field_mod(record: Record | None, kind: str, fallback: int) -> int:
    """When our value of one field last changed (the note's time when the record cannot say)."""
    if record is None or not record.field_mods:
        return fallback
    index = "tes".find(kind)
    return record.field_mods[index] if 0 <= index < len(record.field_mods) else fallback


def _merge(col: Any, nid: int, anki_mod: int, current: Mapping[str, str],
           current_tags: Sequence[str], incoming: PackagedNote, record: Record | None,
           exported: frozenset[str], names: Sequence[str], report: Imported) -> None:
    """One note already in Anki, merged field by field (see the module's docstring); the note
    is only loaded and saved when something changes."""
    values = dict(current)
    changed = kept = False
    conflicts: list[str] = []
    for name in names:
        if name not in incoming.fields:
            continue
        ours, theirs = incoming.field(name), values.get(name, "")
        if _same(ours, theirs):
            continue
        kind = OWNED_FIELDS.get(name)
        if kind is None:  # a field a newer version added: ours to fill, never to overwrite
            if not theirs:
                values[name], changed = ours, True
            continue
        if mark(kind, theirs) in exported:
            values[name] = ours  # Anki holds an older version of ours: no edit of the user's
        elif kind == "e" and _holds_ours(theirs, record):
            values[name] = _merged_extra(theirs, ours, record)  # our old text inside theirs
        elif _field_mod(record, kind, incoming.mod) <= anki_mod:
            kept = True  # the user's edit in Anki is newer than ours: it stays
            continue
        elif kind == "e":
            values[name] = _merged_extra(theirs, ours, record)
        else:
            values[name] = ours
            conflicts.append(f"{_named(incoming)}: your edit of {name} in Anki was older than "
                             "the change in your notes, which replaced it")
        changed = changed or values[name] != theirs
    tags = _merged_tags(current_tags, incoming.tags, exported)
    folded = {t.casefold() for t in current_tags}
    if {t.casefold() for t in tags} != folded:
        if REMOVED_TAG in incoming.tags and REMOVED_TAG not in folded:
            report.tagged_removed += 1
        changed = True
    report.kept_edits += kept
    if not changed:
        report.unchanged += 1
        return
    report.conflicts.extend(conflicts)
    note = col.get_note(nid)
    for name, value in values.items():
        if name in note and value != current.get(name):
            note[name] = value
    note.tags = tags
    col.update_note(note)
    report.updated += 1
    if all(_same(values.get(name, ""), incoming.field(name)) for name in names
           if name in incoming.fields) and (
            {t.casefold() for t in tags} == {t.casefold() for t in incoming.tags}):
        # exactly the package's note: its time, as Anki's own import keeps it, so a later
        # File › Import of a newer package still updates it
        col.db.execute("UPDATE notes SET mod = ? WHERE id = ?", incoming.mod, nid)


def _holds_ours(theirs: str, record: Record | None) -> bool:
    """Whether a Back Extra the user edited still holds a text we exported before."""
    return record is not None and any(old and old in theirs
                                      for old in (*record.earlier_extra, record.extra))


def _merged_extra(theirs: str, ours: str, record: Record | None) -> str:
    """A Back Extra the user wrote in Anki, with the notes' new text for it: our old text inside
    theirs replaced, else ours added after theirs (nothing of theirs is lost)."""
    if not ours or ours in theirs:
        return theirs
    earlier = [*(record.earlier_extra if record else ()), *([record.extra] if record else [])]
    for old in sorted((e for e in earlier if e), key=len, reverse=True):
        if old in theirs:
            return theirs.replace(old, ours, 1)
    return f"{theirs}<br><br>{ours}" if theirs.strip() else ours


def _merged_tags(theirs: Sequence[str], ours: Sequence[str], exported: frozenset[str]
                 ) -> list[str]:
    """Our tags now, and every tag of the note that was never ours."""
    def ever_ours(tag: str) -> bool:
        folded = tag.casefold()
        return (folded == BASE_TAG or folded.startswith(BASE_TAG + "::")
                or mark("g", tag) in exported)

    merged = list(dict.fromkeys(ours))
    have = {tag.casefold() for tag in merged}
    for tag in theirs:
        if tag.casefold() not in have and not ever_ours(tag):
            merged.append(tag)
            have.add(tag.casefold())
    return merged


def _add(col: Any, model: Mapping[str, Any], notes: Sequence[PackagedNote], decks: _Decks,
         names: Sequence[str]) -> Iterable[tuple[int, PackagedNote]]:
    """New notes, with the package's GUID, fields, tags and time, cards in their deck."""
    from anki.collection import AddNoteRequest
    from anki.decks import DeckId

    requests = []
    made = []
    for incoming in notes:
        note = col.new_note(model)
        for name in names:
            if name in incoming.fields:
                note[name] = incoming.field(name)
        note.tags = list(incoming.tags)
        note.guid = incoming.guid
        requests.append(AddNoteRequest(note=note, deck_id=DeckId(decks.id(incoming.deck))))
        made.append((note, incoming))
    if requests:
        col.add_notes(requests)
    for note, incoming in made:
        col.db.execute("UPDATE notes SET mod = ? WHERE id = ?", incoming.mod, note.id)
        yield int(note.id), incoming


def _named(note: PackagedNote) -> str:
    """A note as the user would recognise it: its first words, and where it came from."""
    words = html.unescape(re.sub(r"<[^>]+>|\{\{c\d+::|::[^}]*\}\}|\}\}", "", note.field("Text")))
    words = " ".join(words.split())
    short = words if len(words) <= 60 else words[:57].rstrip() + "..."
    return f"{short!r} ({note.deck})" if note.deck else repr(short)


def _model_name(col: Any, mid: int) -> str:
    model = col.models.get(mid)
    return str(model["name"]) if model else str(mid)


# --- decks, cards -----------------------------------------------------------------------------


class _Decks:
    """The package's decks in the collection, made on first use, with their descriptions."""

    def __init__(self, col: Any, package: Package) -> None:
        self.col = col
        self.descriptions = package.decks
        self.ids: dict[str, int] = {}
        self.names: dict[int, str] = {}
        self.left: set[int] = set()
        """Decks cards were moved out of: removed if that leaves them empty."""

    def id(self, name: str) -> int:
        found = self.ids.get(name)
        if found is None:
            existing = self.col.decks.by_name(name)
            found = int(self.col.decks.id(name))
            if existing is None and self.descriptions.get(name):
                deck = self.col.decks.get(found)
                deck["desc"] = self.descriptions[name]
                self.col.decks.save(deck)
            self.ids[name] = found
        return found

    def name(self, did: int) -> str:
        found = self.names.get(did)
        if found is None:
            found = self.names[did] = str(self.col.decks.name(did))
        return found


def _move_cards(col: Any, ours: Mapping[int, tuple[PackagedNote, frozenset[str]]],
                decks: _Decks, report: Imported) -> None:
    """Cards of our notes that sit in a deck quote2anki gave them go to the note's deck now."""
    if not ours:
        return
    ours_decks = set(decks.descriptions)
    moves: dict[int, list[int]] = {}
    for cid, nid, did, odid in col.db.all(
            "SELECT c.id, c.nid, c.did, c.odid FROM cards c JOIN notes n ON n.id = c.nid "
            "WHERE n.mid = ?", NOTETYPE_ID):
        if int(nid) not in ours:
            continue
        incoming, exported = ours[int(nid)]
        target = decks.id(incoming.deck) if incoming.deck else None
        if target is None or int(did) == target or int(odid):
            continue  # in its deck, or in a filtered deck for now
        where = decks.name(int(did))
        if where in ours_decks or mark("d", where) in exported:
            moves.setdefault(target, []).append(int(cid))
            decks.left.add(int(did))
        else:
            report.stayed += 1
    for target, cards in moves.items():
        col.set_deck(cards, target)
        report.moved += len(cards)


def _clear_empty_cards(col: Any, nids: set[int], report: Imported) -> None:
    """Delete our notes' empty cards (cloze numbers that are gone), never a whole note."""
    if not nids:
        return
    empty = [int(cid) for item in col.get_empty_cards().notes
             if int(item.note_id) in nids and not item.will_delete_note
             for cid in item.card_ids]
    if empty:
        col.remove_cards_and_orphaned_notes(empty)
        report.emptied += len(empty)


def _remove_empty_decks(col: Any, dids: Iterable[int], report: Imported) -> None:
    """Decks cards were moved out of, and their parents, when nothing is left in them."""
    todo = sorted(set(dids), key=lambda did: -str(col.decks.name(did)).count("::"))
    seen: set[int] = set()
    while todo:
        did = todo.pop(0)
        if did in seen or did == 1:
            continue
        seen.add(did)
        deck = col.decks.get(did, default=False)
        if deck is None or deck.get("dyn") or col.decks.children(did):
            continue
        if col.decks.card_count(did, include_subdecks=True):
            continue
        name = str(deck["name"])
        col.decks.remove([did])
        report.decks_removed.append(name)
        parent = name.rpartition("::")[0]
        if parent:
            found = col.decks.by_name(parent)
            if found is not None:
                todo.append(int(found["id"]))
