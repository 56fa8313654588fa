"""``quote2anki import`` against File › Import, in Anki's own backend: what each keeps.

Notetype upgrades and fields added in Anki, gaps that disappear, decks that change, and edits
made on both sides of the same note. Each test says what File › Import does (its limits, as the
README lists them) and what ``quote2anki import`` does instead.
"""

from __future__ import annotations

from typing import Any

import pytest

from quote2anki import gaps, notetype, package
from quote2anki.notetype import CSS_END, FIELDS, NOTETYPE_ID, NOTETYPE_MOD
from quote2anki.state import REMOVED_TAG
from test_lifecycle import GARDEN, PRUNE, ROOTS, TIDE, TIDES, line, removed, two_books

from lifecycle import Life, plain


def our_notetypes(life: Life) -> list[str]:
    return sorted(str(m["name"]) for m in life.col.models.all() if "quote2anki" in m["name"])


def add_field(life: Life, name: str) -> None:
    model = life.col.models.get(NOTETYPE_ID)
    life.col.models.add_field(model, life.col.models.new_field(name))
    life.col.models.save(model)


# --- 4. the notetype: a field added in Anki, a newer version, conflicts by name ---------------


def test_a_field_added_in_anki_stops_file_import_but_not_quote2anki_import(life: Life) -> None:
    two_books(life)
    add_field(life, "My Notes")
    note = life.note(ROOTS)
    cards = life.study(note)
    life.edit_in_anki(note, My_Notes="Ask Grandad about the clay soil.")
    life.edit("garden.md", "grow deepest", "grow deeper")
    life.edit("garden.md", "## Highlights\n",
              "## Highlights\n- A quote added after the ==field== was, to see where it lands.\n")
    life.build()
    [log] = life.file_import()  # Anki's own import: conflicting, and a copy of the notetype
    assert len(log.conflicting) == 9 and not log.updated  # every note already in Anki
    assert our_notetypes(life) == ["quote2anki cloze", "quote2anki cloze+"]
    [report] = life.q2a_import()
    assert report.updated == 1 and report.new == 0
    assert any("cloze+" in line and "back to" in line for line in report.notetype)
    assert any("My Notes" in line and "kept" in line for line in report.notetype)
    assert our_notetypes(life) == ["quote2anki cloze"]
    again = life.col.get_note(note.id)
    assert "deeper" in plain(again["Text"])
    assert again["My Notes"] == "Ask Grandad about the clay soil."
    assert life.reviews(cards[0]) == 1
    assert {n.mid for n in life.notes_in_anki()} == {NOTETYPE_ID}
    assert len(life.notes_in_anki()) == 10


def test_notes_whose_notetype_changed_in_anki_are_named_as_conflicts(life: Life) -> None:
    two_books(life)
    note = life.note(TIDE)
    stock = life.col.models.by_name("Cloze")
    info = life.col.models.change_notetype_info(old_notetype_id=NOTETYPE_ID,
                                                new_notetype_id=stock["id"])
    request = info.input
    request.note_ids.extend([note.id])
    life.col.models.change_notetype_of_notes(request)
    life.edit("tides.md", "simply keeps", "only keeps")
    life.build()
    [report] = life.q2a_import()
    [conflict] = report.conflicts
    assert "The tide does not argue" in conflict and "'Cloze'" in conflict


def newer_version(monkeypatch: pytest.MonkeyPatch, field: str | None = "Context",
                  css: str = ".q2a-new { color: teal; }") -> int:
    """What a later quote2anki would ship: a field appended, new CSS, a newer stamp."""
    mod = NOTETYPE_MOD + 86_400
    for module in (notetype, package):
        monkeypatch.setattr(module, "NOTETYPE_MOD", mod)
    if field:
        monkeypatch.setattr(notetype, "FIELDS", (*FIELDS, field))
        monkeypatch.setattr(package, "FIELDS", (*FIELDS, field))
    original = notetype.notetype_css
    monkeypatch.setattr(notetype, "notetype_css", lambda: original() + "\n" + css + "\n")
    return mod


def test_a_newer_version_s_field_and_css_reach_anki_keeping_the_user_s(
        life: Life, monkeypatch: pytest.MonkeyPatch) -> None:
    two_books(life)
    add_field(life, "Mnemonic")
    model = life.col.models.get(NOTETYPE_ID)
    model["css"] += "\n.card { background: black; }  /* mine */\n"
    model["tmpls"][0]["afmt"] += "\n<div>{{Mnemonic}}</div>"
    life.col.models.save(model)
    note = life.note(PRUNE)
    life.edit_in_anki(note, Mnemonic="roses remember")
    version = newer_version(monkeypatch)
    life.edit("garden.md", "in anger", "in a temper")
    life.build()
    [report] = life.q2a_import()
    model = life.col.models.get(NOTETYPE_ID)
    assert [f["name"] for f in model["flds"]] == ["Text", "Back Extra", "Source", "Mnemonic",
                                                  "Context"]
    assert ".q2a-new" in model["css"] and "/* mine */" in model["css"]
    assert model["css"].index(".q2a-new") < model["css"].index(CSS_END)
    assert model["css"].index(CSS_END) < model["css"].index("/* mine */")
    assert "{{Mnemonic}}" in model["tmpls"][0]["afmt"]
    assert model[notetype.VERSION_KEY] == {"version": version}
    assert any("added the field 'Context'" in line for line in report.notetype)
    again = life.col.get_note(note.id)
    assert again["Mnemonic"] == "roses remember" and "temper" in plain(again["Text"])
    assert our_notetypes(life) == ["quote2anki cloze"]
    card = again.cards()[0]
    assert "roses remember" in card.answer()


def test_a_css_change_reaches_anki_after_the_user_touched_the_notetype(
        life: Life, monkeypatch: pytest.MonkeyPatch) -> None:
    two_books(life)
    model = life.col.models.get(NOTETYPE_ID)
    model["css"] += "\n.cloze { color: purple; }\n"  # a touch in Anki: Anki's copy is newer now
    life.col.models.save(model)
    newer_version(monkeypatch, field=None)
    life.edit("garden.md", "in anger", "in a temper")
    life.build()
    life.file_import()  # File › Import: the notetype in Anki is newer, so the CSS never arrives
    assert ".q2a-new" not in life.col.models.get(NOTETYPE_ID)["css"]
    life.q2a_import()
    css = life.col.models.get(NOTETYPE_ID)["css"]
    assert ".q2a-new" in css and "purple" not in css.partition(CSS_END)[0]


# --- 5. a cloze number that disappears; gaps kept across an edit ------------------------------


MARKED = ("- The ==oak== outlives the ==gardener==, the ==garden== and the fence that went "
          "round it.\n")


def test_a_gap_taken_away_is_said_and_its_empty_card_deleted(life: Life) -> None:
    life.write("garden.md", GARDEN + MARKED)
    life.build()
    life.file_import()
    note = life.note("outlives the gardener")
    cards = life.study(note)
    assert len(cards) == 3
    life.edit("garden.md", MARKED, MARKED.replace("==gardener==, the ==garden==",
                                                  "gardener, the garden"))
    built = life.build()
    assert any("cards 2, 3 of this note are gone" in p.message for p in built.problems)
    life.file_import()
    assert len(life.col.get_empty_cards().notes) == 1  # File › Import leaves them
    [report] = life.q2a_import()
    assert report.emptied == 2
    assert [c.id for c in life.col.get_note(note.id).cards()] == [cards[0]]
    assert life.reviews(cards[0]) == 1
    assert not life.col.get_empty_cards().notes


def test_a_matched_edit_passes_the_previous_gaps_to_the_chooser(
        life: Life, monkeypatch: pytest.MonkeyPatch) -> None:
    from quote2anki.model import Gap

    calls: list[tuple[tuple[str, int], ...]] = []

    def chooser(analysis: Any, *, marks: Any = (), terms: Any = (), title_words: Any = (),
                keep: Any = (), protected: Any = ()) -> tuple[Gap, ...]:
        """A chooser whose own choice moves with any edit, and that keeps what it is told."""
        text = analysis.text
        if keep:
            calls.append(tuple(keep))
            kept = [(text.find(phrase), phrase, number) for phrase, number in keep
                    if phrase in text]
            if kept:
                return tuple(Gap(start, start + len(phrase), number)
                             for start, phrase, number in kept)
        words = [w for w in text.split() if w.isalpha() and len(w) > 3]
        word = words[len(text) % len(words)]
        start = text.index(word)
        return (Gap(start, start + len(word), 1),)

    monkeypatch.setattr(gaps, "choose", chooser)
    try:
        life.write("garden.md", GARDEN)
        life.build()
        life.file_import()
        note = life.note(ROOTS)
        before = life.col.get_note(note.id)["Text"]
        cards = life.study(note)
        life.edit("garden.md", "grow deepest", "grow deepest of all")
        life.build()
        [report] = life.q2a_import()
        after = life.col.get_note(note.id)
        gap = before[before.index("{{c1::"):before.index("}}") + 2]
        assert gap in after["Text"] and "of all" in plain(after["Text"])
        assert calls and report.emptied == 0 and life.reviews(cards[0]) == 1
    finally:
        monkeypatch.undo()


# --- 6. decks ---------------------------------------------------------------------------------


def test_a_new_deck_prefix_moves_cards_with_quote2anki_import_only(life: Life) -> None:
    two_books(life)
    roots = life.note(ROOTS)
    cards = life.study(roots)
    chosen = life.note(PRUNE).cards()[0].id
    life.col.set_deck([chosen], life.col.decks.id("Favourites"))
    built = life.build(deck_prefix="Reading")
    assert any("move from deck 'Books::The Slow Garden' to 'Reading::The Slow Garden'"
               in p.message and "File › Import" in p.message for p in built.problems)
    life.file_import()
    assert life.deck_of(cards[0]) == "Books::The Slow Garden"  # File › Import: cards stay
    [report] = life.q2a_import()
    assert life.deck_of(cards[0]) == "Reading::The Slow Garden"
    assert life.deck_of(chosen) == "Favourites" and report.stayed == 1
    assert {"Books::The Slow Garden", "Books::Tides of Reason", "Books"} <= set(
        report.decks_removed)
    assert life.col.decks.by_name("Books") is None
    assert life.reviews(cards[0]) == 1


def test_a_second_book_of_the_same_title_moves_the_first_one_s_cards(life: Life) -> None:
    two_books(life)
    card = life.note(TIDE).cards()[0].id
    life.write("tides2.md", TIDES.replace("Ilse Varga", "Otto Brandt").replace(
        "## Highlights\n", "## Highlights\n- A different book that happens to share the title "
        "of the first one.\n"))
    life.build()
    life.q2a_import()
    assert life.deck_of(card) == "Books::Tides of Reason (Ilse Varga)"
    assert life.col.decks.by_name("Books::Tides of Reason") is None


# --- 8. edits on both sides, per field --------------------------------------------------------


def test_a_file_fix_keeps_anki_side_tags_and_back_extra(life: Life) -> None:
    two_books(life)
    note = life.note(ROOTS)
    cards = life.study(note)
    life.edit_in_anki(note, Back_Extra="Written in Anki.",
                      tags=" ".join([*note.tags, "marked", "exam::june"]))
    life.edit("garden.md", "grow deepest", "grow deeper")
    life.build()
    [report] = life.q2a_import()
    again = life.col.get_note(note.id)
    assert "deeper" in plain(again["Text"]) and again["Back Extra"] == "Written in Anki."
    assert {"marked", "exam::june", "gardening", "quote2anki"} <= set(again.tags)
    assert report.updated == 1 and life.reviews(cards[0]) == 1


def test_a_file_fix_saved_before_an_anki_side_tag_is_delivered(life: Life) -> None:
    two_books(life)
    note = life.note(ROOTS)
    life.edit("garden.md", "grow deepest", "grow deeper")  # saved first...
    life.edit_in_anki(note, tags=" ".join([*note.tags, "exam"]))  # ... then a tag in Anki
    life.build()
    life.file_import()  # File › Import delivers the fix (the build is newer than the tag) ...
    assert "deeper" in plain(life.col.get_note(note.id)["Text"])
    assert "exam" not in life.col.get_note(note.id).tags  # ... replacing the whole note
    life.edit_in_anki(note := life.col.get_note(note.id), tags=" ".join([*note.tags, "exam"]))
    life.edit("garden.md", "grow deeper", "grow deeper still")
    life.edit_in_anki(life.col.get_note(note.id), Back_Extra="Mine.")
    life.build()
    life.q2a_import()  # quote2anki import delivers it and keeps both
    again = life.col.get_note(note.id)
    assert "deeper still" in plain(again["Text"])
    assert "exam" in again.tags and again["Back Extra"] == "Mine."


def test_an_edit_made_in_anki_after_the_file_s_stays_and_the_rest_arrives(life: Life) -> None:
    life.write("garden.md", GARDEN.replace(
        line(ROOTS), f"{line(ROOTS)}    - Note: from the chapter on winter.\n"))
    life.build()
    life.file_import()
    note = life.note(ROOTS)
    life.edit("garden.md", "from the chapter on winter", "from the chapter on frost")
    life.build()
    fixed = ROOTS.replace("Roots grow", "Roots really grow")
    life.edit_in_anki(note, Text=fixed,  # the user fixes the quote itself in Anki, later
                      Back_Extra=note["Back Extra"] + "<br>And mine.")
    [report] = life.q2a_import()
    again = life.col.get_note(note.id)
    assert plain(again["Text"]) == fixed  # their newer edit of a field we own stays
    assert again["Back Extra"] == "from the chapter on frost.<br>And mine."  # ours, replaced
    assert report.kept_edits == 1


def test_removed_tag_and_user_tags_survive_a_note_that_comes_back(life: Life) -> None:
    two_books(life)
    note = life.note(PRUNE)
    life.edit("garden.md", line(PRUNE), "")
    life.build()
    life.q2a_import()
    life.edit_in_anki(life.col.get_note(note.id),
                      tags=" ".join([*life.col.get_note(note.id).tags, "keep-me"]))
    assert removed(life) == [PRUNE]
    life.edit("garden.md", "## Highlights\n", f"## Highlights\n- {PRUNE}\n")
    life.build()
    life.q2a_import()
    tags = life.col.get_note(note.id).tags
    assert REMOVED_TAG not in tags and "keep-me" in tags


def test_our_notetype_deleted_after_its_notes_moved_to_another(life: Life) -> None:
    two_books(life)
    stock = life.col.models.by_name("Cloze")
    info = life.col.models.change_notetype_info(old_notetype_id=NOTETYPE_ID,
                                                new_notetype_id=stock["id"])
    request = info.input
    request.note_ids.extend(life.col.models.nids(NOTETYPE_ID))
    life.col.models.change_notetype_of_notes(request)
    life.col.models.remove(NOTETYPE_ID)
    life.write("garden.md", GARDEN + "- A quote written after the notetype was deleted.\n")
    life.build()
    [report] = life.q2a_import()
    assert report.new == 1 and len(report.conflicts) == 9
    assert any("added the notetype" in line for line in report.notetype)
    assert life.note("after the notetype was deleted").mid == NOTETYPE_ID


def test_the_commands_say_what_they_did(life: Life) -> None:
    from click.testing import CliRunner

    from quote2anki.cli import main

    two_books(life)
    note = life.note(PRUNE)
    life.edit_in_anki(note, tags=" ".join([*note.tags, "marked"]))
    life.edit("garden.md", line(PRUNE), "")
    life.build(deck_prefix="Reading")
    runner = CliRunner()
    with life.closed() as collection:
        result = runner.invoke(main, ["import", "--out", str(life.out), "--collection",
                                      str(collection)])
        assert result.exit_code == 0, result.output
        assert "1 note tagged quote2anki::removed" in result.output
        assert "cards moved to their book's deck" in result.output
        assert "removed empty decks: " in result.output
        refused = runner.invoke(main, ["state", str(life.notes), "--from-collection",
                                       "--collection", str(collection), "--out",
                                       str(life.out)])
        assert refused.exit_code == 1 and "pass --force" in refused.output
        rebuilt = runner.invoke(main, ["state", str(life.notes), "--from-collection",
                                       "--collection", str(collection), "--out",
                                       str(life.out), "--force"])
        assert rebuilt.exit_code == 0 and "rebuilt the record" in rebuilt.output
        usage = runner.invoke(main, ["state", str(life.notes), "--out", str(life.out)])
        assert usage.exit_code == 2 and "--from-collection" in usage.output
    again = life.build(deck_prefix="Reading")
    assert again.status["new"] == 0 and again.status["changed"] == 0


def test_file_import_with_merge_note_types_ticked_empties_the_user_s_field(life: Life) -> None:
    """The README's word for it: Anki's own "Merge note types" avoids the copy, but an updated
    note comes in without the field the user added, which it empties."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    two_books(life)
    add_field(life, "Mine")
    note = life.note(ROOTS)
    life.edit_in_anki(note, Mine="my words")
    life.edit("garden.md", "grow deepest", "grow deeper")
    life.build()
    request = ImportAnkiPackageRequest(
        package_path=str(life.out / "quote2anki.apkg"),
        options=ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                         merge_notetypes=True))
    log = life.col.import_anki_package(request).log
    assert len(log.updated) == 1 and our_notetypes(life) == ["quote2anki cloze"]
    assert life.col.get_note(note.id)["Mine"] == ""
