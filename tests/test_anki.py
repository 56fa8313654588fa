"""The real client decides: build, import into Anki's own backend, study, edit, rebuild, re-import.

Nothing here is mocked. The ``anki`` package from PyPI is Anki's backend; we import packages with
the default "update notes if newer" rule and look at what a user would see.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from quote2anki import Vault
from quote2anki.output import DEFAULT_PACKAGE

from anki_import import card_text, import_package
from conftest import SAMPLE, T0, build, collected

CLOZE_FRONT = re.compile(
    r'<span class="cloze" data-cloze="[^"]*" data-ordinal="\d+">\[(.*?)\]</span>')
CLOZE_BACK = re.compile(r'<span class="cloze" data-ordinal="\d+">(.*?)</span>')


def notes_by_guid(col: Any) -> dict[str, Any]:
    return {note.guid: note for note in (col.get_note(nid) for nid in col.find_notes(""))}


def scheduling(col: Any, card_id: int) -> tuple[int, ...]:
    card = col.get_card(card_id)
    return (card.type, card.queue, card.due, card.ivl, card.factor, card.reps, card.lapses)


def strip_tags(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def words(field: str) -> str:
    """A Text field as the reader would say it: tags and cloze syntax removed."""
    return strip_tags(re.sub(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", r"\1", field))


@pytest.fixture(params=[False, True], ids=["without-scheduling", "with-scheduling"])
def with_scheduling(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.mark.sample
def test_sample_imports_with_108_quote_notes_clean_text_tags_and_deck(
    tmp_path: Path, collection: Any
) -> None:
    out = tmp_path / "decks"
    built = build([SAMPLE], out)
    log = import_package(collection, out / DEFAULT_PACKAGE)

    assert len(log.new) == len(collected(built).notes)
    notes = notes_by_guid(collection)
    quotes = [n for n in notes.values() if "quote2anki::definition" not in n.tags]
    assert len(quotes) == 108
    deck_names = {collection.decks.name(card.did) for n in notes.values() for card in n.cards()}
    assert deck_names == {"Books::Designing Machine Learning Systems"}
    for note in notes.values():
        assert {"books", "machine-learning", "system-architecture", "mlops", "quote2anki"} <= set(
            note.tags)
        text = strip_tags(note.fields[0])
        for mojibake in ("‚Äô", "‚Äú", "¬†", "\uf8ff", "Ã", "â€"):
            assert mojibake not in text
    sources = {strip_tags(n.fields[2 if n.note_type()["name"] == "quote2anki cloze" else 1])
               for n in notes.values()}
    assert any(s.startswith("Designing Machine Learning Systems · Chip Huen") for s in sources)


def test_every_card_hides_its_cloze_on_the_front_and_shows_it_on_the_back(
    tmp_path: Path, vault: Path, collection: Any
) -> None:
    out = tmp_path / "decks"
    built = build([vault], out)
    import_package(collection, out / DEFAULT_PACKAGE)
    card_ids = collection.find_cards("")
    assert built.collected is not None
    assert len(card_ids) == sum(len(note.cards) for note in collected(built).notes) > 50
    cloze_cards = [card_id for card_id in card_ids if collection.get_card(card_id).note(
        ).note_type()["name"] == "quote2anki cloze"]
    assert len(cloze_cards) > 50
    for card_id in cloze_cards:
        card = collection.get_card(card_id)
        question, answer = card.question(), card.answer()
        hidden = CLOZE_FRONT.findall(question)
        assert hidden, f"no hidden cloze on the front of {card.note()['Text']!r}"
        shown = CLOZE_BACK.findall(answer)
        assert shown and all(part.strip() for part in shown)
        for part in shown:
            # the hidden text is not on the front (unless it also appears elsewhere in the text)
            if strip_tags(card.note()["Text"]).count(strip_tags(part)) == 1:
                assert f">{part}<" not in question


def test_the_readers_own_flashcards_are_basic_cards_one_way_or_both(
    tmp_path: Path, collection: Any
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "Orchards.md").write_text(
        "---\ntags: [books, flashcards]\n---\n# Orchards\n## Highlights\n"
        "- Apples grow best where ==winters== are cold.\n"
        "## Cards\nWhen is pruning done?::In late winter.\n\nScion:::The grafted shoot\n",
        encoding="utf-8")
    out = tmp_path / "decks"
    built = build([notes], out)
    import_package(collection, out / DEFAULT_PACKAGE)
    basic = [collection.get_card(c) for c in collection.find_cards('"note:quote2anki basic"')]
    asked = {card_text(card.question()): (card_text(card.answer()),
                                          card_text(card.answer(), "q2a-extra"),
                                          card_text(card.question(), "q2a-source"))
             for card in basic}
    assert sorted(asked) == ["Scion", "The grafted shoot", "When is pruning done?"]
    assert asked["When is pruning done?"][1] == "In late winter."
    assert asked["Scion"][1] == "The grafted shoot"
    assert asked["The grafted shoot"][1] == "Scion"  # the reverse card asks with the answer
    assert all("Orchards" in source for _, _, source in asked.values())
    flashcards = [n for n in collected(built).notes if n.kind == "flashcard"]
    assert all("quote2anki::flashcard" in n.tags for n in flashcards) and len(flashcards) == 2
    assert collection.decks.name(basic[0].did) == "Books::Orchards"


def test_reimport_updates_in_place_keeps_reviews_and_anki_edits(
    tmp_path: Path, vault: Path, collection: Any, with_scheduling: bool
) -> None:
    out = tmp_path / "decks"
    first = build([vault], out)
    package = out / DEFAULT_PACKAGE
    first_bytes = package.read_bytes()
    log = import_package(collection, package)
    assert len(log.new) == len(collected(first).notes)

    # Study: answer a few cards of different notes.
    card_ids = collection.find_cards("")[:6]
    for ease, card_id in zip([3, 4, 3, 1, 3, 4], card_ids, strict=True):
        card = collection.get_card(card_id)
        card.start_timer()
        collection.sched.answerCard(card, ease)
    reviewed = {card_id: scheduling(collection, card_id) for card_id in card_ids}
    assert all(s[5] == 1 for s in reviewed.values())  # one review each

    # Edit one note inside Anki (a note whose source will not change).
    notes = notes_by_guid(collection)
    edited_guid = next(g for g, n in notes.items() if "Origin of Species" in n["Source"])
    edited = notes[edited_guid]
    edited["Back Extra"] = "My own remark, written in Anki."
    collection.update_note(edited)

    # Change the reader's note on one Readwise highlight, add a quote and a whole new book.
    wealth = vault / "The Wealth of Nations.md"
    wealth.write_text(
        wealth.read_text(encoding="utf-8").replace(
            "The most quoted line of the book", "The most quoted line in all of economics"),
        encoding="utf-8",
    )
    origin = vault / "On the Origin of Species.md"
    origin.write_text(
        origin.read_text(encoding="utf-8")
        + "- *Natural selection acts solely by accumulating slight, successive, favourable "
        "variations.*\n",
        encoding="utf-8",
    )
    (vault / "Walden.md").write_text(
        "# Walden\n\n## Quotes\n- *The mass of men lead lives of quiet desperation.*\n"
        "- *I went to the woods because I wished to live deliberately.*\n",
        encoding="utf-8",
    )
    for path in (wealth, origin, vault / "Walden.md"):
        os.utime(path, (T0 + 1000, T0 + 1000))

    second = build([vault], out)
    assert second.status["new"] == 3 and second.status["changed"] == 1
    log = import_package(collection, package)
    assert len(log.new) == 3
    assert len(log.updated) == 1

    after = notes_by_guid(collection)
    # nothing lost, nothing duplicated
    assert set(notes) <= set(after)
    assert len(after) == len(notes) + 3
    texts = [words(n.fields[0]) for n in after.values()]
    assert len(texts) == len(set(texts))
    assert sum("quiet desperation" in t for t in texts) == 1
    assert sum("woods because I wished" in t for t in texts) == 1
    assert sum("accumulating slight, successive" in t for t in texts) == 1
    # the changed note was updated in place, keeping its cards
    changed = next(n for n in after.values() if "in all of economics" in n.fields[1])
    assert changed.guid in notes
    # reviewed cards keep their scheduling; the Anki-side edit survives
    assert {card_id: scheduling(collection, card_id) for card_id in card_ids} == reviewed
    assert after[edited_guid]["Back Extra"] == "My own remark, written in Anki."

    # rebuilding with nothing changed writes the very same bytes, and importing it does nothing
    third = build([vault], out)
    assert third.collected is None  # nothing changed: nothing was even read again
    summary = third.summary
    assert third.status["unchanged"] == summary.quotes + summary.definitions + summary.flashcards
    assert not third.written
    unchanged_bytes = package.read_bytes()
    build([vault], out)
    assert package.read_bytes() == unchanged_bytes
    log = import_package(collection, package)
    assert not log.new and not log.updated
    assert first_bytes != package.read_bytes()


def test_same_notes_give_byte_identical_packages_in_any_folder(tmp_path: Path, vault: Path
                                                               ) -> None:
    build([vault], tmp_path / "one")
    build([vault], tmp_path / "two", split=True)
    build([vault], tmp_path / "two", split=True)
    build([vault], tmp_path / "three")
    assert (tmp_path / "one" / DEFAULT_PACKAGE).read_bytes() == (
        tmp_path / "three" / DEFAULT_PACKAGE).read_bytes()
    books = {note.deck for note in Vault([vault]).notes()}
    assert len(list((tmp_path / "two").glob("*.apkg"))) == len(books) > 5


def test_renamed_and_reordered_notes_keep_their_guids(tmp_path: Path, vault: Path) -> None:
    before = {n.guid for n in Vault([vault]).notes()}
    origin = vault / "On the Origin of Species.md"
    lines = origin.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("- *"))
    quotes = [line for line in lines[start:] if line.startswith("- *")]
    origin.write_text("\n".join(lines[:start] + quotes[::-1]) + "\n", encoding="utf-8")
    origin.rename(vault / "darwin-origin.md")
    after = {n.guid for n in Vault([vault]).notes()}
    assert after == before


def test_fast_writer_is_byte_identical_to_genanki(tmp_path: Path, vault: Path) -> None:
    from quote2anki.package import write_collection

    notes = Vault([vault]).notes()
    mods = [T0 + index % 7 for index in range(len(notes))]
    descriptions = {note.deck: f"about {note.book}" for note in notes}
    write_collection(tmp_path / "genanki.anki2", notes, mods, descriptions, fast=False)
    write_collection(tmp_path / "fast.anki2", notes, mods, descriptions, fast=True)
    assert (tmp_path / "fast.anki2").read_bytes() == (tmp_path / "genanki.anki2").read_bytes()


def test_fast_writer_matches_genanki_with_many_decks_and_high_cloze_numbers(tmp_path: Path
                                                                          ) -> None:
    from quote2anki.fields import render
    from quote2anki.model import Gap, Note
    from quote2anki.package import write_collection

    gaps = (Gap(2, 3, 12), Gap(4, 5, 1), Gap(6, 7, 9))  # 12, 1 and 9: not in set order
    notes = [Note(kind="quote", guid=f"g{book}-{i}", book=f"Book {book}",
                  deck=f"Books::Book {book}", text=render(f"a b c d {i}", gaps), extra="",
                  source="s", tags=("quote2anki",), path="x.md", line=i,
                  words=f"a b c d {i}", gaps=gaps, cards=(12, 1, 9))
             for book in range(120) for i in range(3)]
    mods = [T0 + index % 5 for index in range(len(notes))]
    descriptions = {note.deck: "Quotes from “Book” ünï" for note in notes}
    write_collection(tmp_path / "genanki.anki2", notes, mods, descriptions, fast=False)
    write_collection(tmp_path / "fast.anki2", notes, mods, descriptions, fast=True)
    assert (tmp_path / "fast.anki2").read_bytes() == (tmp_path / "genanki.anki2").read_bytes()
