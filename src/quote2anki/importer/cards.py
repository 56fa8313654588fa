"""Cards and decks after a merge: cards follow their note's deck unless the user moved them,
empty cards go, and so do decks quote2anki emptied."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..notetype import NOTETYPE_ID
from ..package import Package, PackagedNote
from ..state import mark
from .report import Imported


class Decks:
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


def move_cards(col: Any, ours: Mapping[int, tuple[PackagedNote, frozenset[str]]],
                decks: Decks, report: Imported) -> None:
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


def clear_empty_cards(col: Any, nids: set[int], report: Imported) -> None:
    """Delete our notes' empty cards (cloze numbers that are gone), never a whole note."""
    if not nids:
        return
    empty = [int(cid) for item in col.get_empty_cards().notes
             if int(item.note_id) in nids and not item.will_delete_note
             for cid in item.card_ids]
    if empty:
        col.remove_cards_and_orphaned_notes(empty)
        report.emptied += len(empty)


def remove_empty_decks(col: Any, dids: Iterable[int], report: Imported) -> None:
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
