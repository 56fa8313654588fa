"""A deck lived with for months: study in Anki, edit on both sides, lose files, rebuild, re-import.

Every test goes through Anki's own backend: import, review with ``sched.answerCard``, edit in
Anki, change the notes, rebuild, import again, and look at notes, cards, review log, tags and
decks. "File › Import" is Anki's own package import with its default options; "quote2anki
import" is ours. The notes are our own text.
"""

from __future__ import annotations

import os

import pytest

from quote2anki.output import STATE_FILE
from quote2anki.state import REMOVED_TAG

from conftest import compared
from lifecycle import Life, plain

# Each quote has a gap the reader marked (==...==), so every note is a cloze whatever the gap
# chooser thinks of an aphorism (it would ask which book instead): these tests are about
# re-export, not about what is worth hiding.
GARDEN = """---
title: The Slow Garden
author: Mara Quill
tags: [gardening]
---
## Highlights
- Roots grow deepest in the ==seasons== when nothing seems to happen above the soil.
- A gardener who prunes in anger will spend the summer apologising to the ==roses==.
- Last year's leaves become next year's tomatoes if you are patient with the ==compost heap==.
- The best time to plant an oak was ==forty years== ago, and the second best is this afternoon.
- Weeds are only plants whose virtues we have not yet taken the trouble to ==learn==.
- Every seed packet exaggerates a little about how tall the flowers will grow by ==August==.
"""

TIDES = """---
title: Tides of Reason
author: Ilse Varga
---
## Highlights
- An argument that cannot survive a question was never an argument, only a ==mood==.
- Certainty is cheap at the start of a debate and expensive at the end of ==one==.
- The tide does not argue with the ==moon==; it simply keeps the appointment it was given.
"""

def line(quote: str) -> str:
    """The bullet a quote stands on in GARDEN or TIDES (with its marked gap), newline included."""
    for bullet in (GARDEN + TIDES).splitlines():
        if bullet.replace("==", "") == f"- {quote}":
            return bullet + "\n"
    return f"- {quote}\n"


ROOTS = "Roots grow deepest in the seasons when nothing seems to happen above the soil."
PRUNE = "A gardener who prunes in anger will spend the summer apologising to the roses."
TIDE = "The tide does not argue with the moon; it simply keeps the appointment it was given."


def removed(life: Life) -> list[str]:
    return sorted(plain(life.col.get_note(nid)["Text"])
                  for nid in life.col.find_notes(f"tag:{REMOVED_TAG}"))


def two_books(life: Life) -> None:
    life.write("garden.md", GARDEN)
    life.write("tides.md", TIDES)
    life.build()
    life.file_import()


# --- 1. a partial build, an unreadable or truncated file -------------------------------------


def test_a_build_of_one_file_leaves_the_other_books_alone(life: Life) -> None:
    two_books(life)
    cards = life.study(life.note(TIDE))
    built = life.build(life.notes / "garden.md")
    assert built.status["removed"] == 0
    assert built.status["kept"] == 3  # Tides of Reason, not read this time, kept as it was
    life.file_import()
    assert removed(life) == []
    assert len(life.notes_in_anki()) == 9
    full = life.build()
    assert full.status["removed"] == 0 and full.status["kept"] == 0
    life.file_import()
    assert removed(life) == [] and life.reviews(cards[0]) == 1


def test_an_unreadable_or_emptied_file_removes_nothing(life: Life) -> None:
    two_books(life)
    (life.notes / "tides.md").write_bytes(b"\x00\x01\x02 not text \xff\xfe" * 20)  # damaged
    built = life.build()
    assert built.status["removed"] == 0 and built.status["kept"] == 3
    assert any("kept as last built" in p.message for p in built.problems)
    life.file_import()
    assert removed(life) == []
    life.write("tides.md", "")  # truncated to nothing by a sync
    assert life.build().status["removed"] == 0
    life.file_import()
    assert removed(life) == []


def test_a_truncated_file_is_taken_for_damaged_until_the_removal_is_confirmed(life: Life
                                                                              ) -> None:
    two_books(life)
    lines = GARDEN.splitlines(keepends=True)
    life.write("garden.md", "".join(lines[:-5]))  # a save cut short: one highlight of six left
    built = life.build()
    assert built.status["removed"] == 0 and built.status["kept"] == 5
    assert any("gone at once" in p.message and "--accept-removals" in p.message
               for p in built.problems)
    life.file_import()
    assert removed(life) == []
    confirmed = life.build(accept_removals=True)
    assert confirmed.status["removed"] == 5
    life.file_import()
    assert len(removed(life)) == 5


def test_a_deleted_file_is_removed_but_only_by_a_build_of_the_same_paths(life: Life) -> None:
    two_books(life)
    (life.notes / "tides.md").unlink()
    assert life.build(life.notes / "garden.md").status["removed"] == 0
    assert life.build().status["removed"] == 3  # the same paths as before: it is gone
    life.file_import()
    assert len(removed(life)) == 3


def test_relative_paths_recorded_from_another_folder_are_read_right(
        life: Life, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    root = life.notes.parent
    monkeypatch.chdir(root)
    life.write("garden.md", GARDEN)
    life.write("tides.md", TIDES)
    life.build(Path("notes"), out=Path("decks"))  # recorded as notes/garden.md, notes/tides.md
    life.file_import()
    monkeypatch.chdir(life.notes)
    assert life.build(Path("garden.md"), out=Path("../decks")).status["removed"] == 0
    (life.notes / "tides.md").unlink()
    assert life.build(Path("."), out=Path("../decks")).status["removed"] == 3


def test_a_quote_forgotten_then_restored_loses_its_removed_tag(life: Life) -> None:
    two_books(life)
    saved = life.notes / "tides.md"
    backup = saved.read_bytes(), saved.stat().st_mtime
    saved.unlink()  # gone: its notes are removed
    life.build()
    life.file_import()
    assert len(removed(life)) == 3
    life.build(forget_removed=True)  # the user kept them in Anki after all
    saved.write_bytes(backup[0])  # ... and restores the file from a backup, with its old date
    os.utime(saved, (backup[1], backup[1]))
    assert life.build().status["new"] == 3
    life.file_import()
    assert removed(life) == []
    assert REMOVED_TAG not in life.note(TIDE).tags


def test_a_quote_removed_in_a_forget_removed_build_is_still_tagged_first(life: Life) -> None:
    two_books(life)
    life.edit("tides.md", line(TIDE), "")
    assert life.build(forget_removed=True).status["removed"] == 1
    life.file_import()
    assert removed(life) == [TIDE]


# --- 2. a removed note touched in Anki --------------------------------------------------------


@pytest.mark.parametrize("touch", ["edited", "tagged", "marked", "leech"])
def test_a_removed_quote_is_tagged_whatever_was_done_to_it_in_anki(life: Life, touch: str
                                                                   ) -> None:
    two_books(life)
    note = life.note(PRUNE)
    if touch == "edited":
        life.edit_in_anki(note, Back_Extra="My own remark.")
    elif touch == "tagged":
        life.edit_in_anki(note, tags=" ".join([*note.tags, "exam"]))
    elif touch == "marked":
        life.edit_in_anki(note, tags=" ".join([*note.tags, "marked"]))
    else:  # Anki's own leech tag, after lapses
        card_id = note.cards()[0].id
        for _ in range(8):  # eight lapses of a review card make a leech
            life.col.sched.set_due_date([card_id], "0")
            card = life.col.get_card(card_id)
            card.start_timer()
            life.col.sched.answerCard(card, 1)
        assert "leech" in life.col.get_note(note.id).tags
        life.stamp(note)
    life.edit("garden.md", line(PRUNE), "")
    life.build()
    life.file_import()
    assert removed(life) == [PRUNE]


def test_quote2anki_import_tags_a_removed_note_and_keeps_what_was_done_in_anki(life: Life
                                                                               ) -> None:
    two_books(life)
    note = life.note(PRUNE)
    life.edit("garden.md", line(PRUNE), "")
    life.build()
    # edited in Anki *after* the build: File › Import would find Anki's copy newer
    life.edit_in_anki(note, Back_Extra="Mine.", tags=" ".join([*note.tags, "exam"]))
    [report] = life.q2a_import()
    assert report.tagged_removed == 1
    again = life.col.get_note(note.id)
    assert removed(life) == [PRUNE]
    assert again["Back Extra"] == "Mine." and "exam" in again.tags


# --- 3. a lost record -------------------------------------------------------------------------


def test_a_deleted_record_is_rebuilt_from_the_package(life: Life) -> None:
    two_books(life)
    nid = life.note(ROOTS).id
    (life.out / STATE_FILE).unlink()
    life.edit("garden.md", "grow deepest", "grow deeper")
    built = life.build()
    assert any("rebuilt from quote2anki.apkg" in p.message for p in built.problems)
    assert built.status["new"] == 0 and built.status["changed"] == 1
    [log] = life.file_import()
    assert not log.new and len(life.notes_in_anki()) == 9
    assert "deeper" in plain(life.col.get_note(nid)["Text"])


def test_a_new_out_or_a_second_machine_warns_and_the_collection_rebuilds_the_record(
        life: Life) -> None:
    from quote2anki import Vault

    two_books(life)
    note = life.note(ROOTS)
    cards = life.study(note)
    life.edit_in_anki(note, Back_Extra="Remember the winter.")
    life.edit("garden.md", "grow deepest", "grow deeper")
    life.edit("tides.md", "title: Tides of Reason", "title: The Tides of Reason")
    elsewhere = life.out.parent / "elsewhere"
    warned = life.build(out=elsewhere)
    assert any("no record of an earlier build" in p.message and "--from-collection" in p.message
               for p in warned.problems)
    import shutil

    shutil.rmtree(elsewhere)
    with life.closed() as collection:
        count = Vault([life.notes]).rebuild_record(elsewhere, collection=collection)
    assert count == 9
    built = life.build(out=elsewhere)
    assert built.status["new"] == 0, compared(built).statuses
    [report] = life.q2a_import(elsewhere)
    assert report.new == 0 and len(life.notes_in_anki()) == 9
    again = life.col.get_note(note.id)
    assert "deeper" in plain(again["Text"])
    assert again["Back Extra"] == "Remember the winter."
    assert life.reviews(cards[0]) == 1


# --- 7. and 9. containment, short typos, de-hyphenation ---------------------------------------


def test_an_extended_highlight_keeps_its_studied_note(life: Life) -> None:
    two_books(life)
    note = life.note(TIDE)
    cards = life.study(note)
    longer = (TIDE.removesuffix(".") + ", and every sailor who has waited on a quay for the "
              "water to come back knows the appointment is never missed.")
    life.edit("tides.md", line(TIDE), "- " + longer.replace("moon", "==moon==") + "\n")
    built = life.build()
    assert built.status["new"] == 0 and built.status["removed"] == 0
    life.file_import()
    assert removed(life) == []
    assert "never missed" in plain(life.col.get_note(note.id)["Text"])
    assert life.reviews(cards[0]) == 1
    life.edit("tides.md", longer.replace("moon", "==moon=="),
              "The tide does not argue with the ==moon==.")  # cut back
    assert life.build().status["new"] == 0


@pytest.mark.parametrize(("before", "after"), [
    ("==Know== thy enmey.", "==Know== thy enemy."),
    ("==Water== the rots.", "==Water== the roots."),
    ("Ribo-somes read messen-ger ==RNA== and assemble pro-teins one amino acid at a time.",
     "Ribosomes read messenger ==RNA== and assemble proteins one amino acid at a time."),
])
def test_short_typo_fixes_and_ocr_dehyphenation_keep_the_note(life: Life, before: str,
                                                              after: str) -> None:
    life.write("garden.md", GARDEN + f"- {before}\n")
    life.build()
    life.file_import()
    note = life.note(before.replace("==", ""))
    cards = life.study(note)
    life.edit("garden.md", before, after)
    built = life.build()
    assert built.status["new"] == 0 and built.status["removed"] == 0
    life.file_import()
    assert plain(life.col.get_note(note.id)["Text"]) == after.replace("==", "")
    assert life.reviews(cards[0]) == 1 and removed(life) == []


# --- 10. a note file dated in the future ------------------------------------------------------


def test_a_file_dated_in_the_future_does_not_overwrite_anki_edits(life: Life) -> None:
    two_books(life)
    future = life.clock.now + 365 * 86400
    life.edit("garden.md", "## Highlights\n", "## Highlights\n- A new quote written on a "
              "==machine== whose clock runs a year ahead of everyone else's.\n")
    os.utime(life.notes / "garden.md", (future, future))
    built = life.build()
    assert max(compared(built).mods) <= life.clock.now
    life.file_import()
    note = life.note("a year ahead")
    life.edit_in_anki(note, Back_Extra="Written in Anki.")
    life.write("tides.md", TIDES + "- A quote added to the other book to force a rebuild.\n")
    life.build()
    life.file_import()
    assert life.col.get_note(note.id)["Back Extra"] == "Written in Anki."


# --- 11. long non-ASCII titles under --split --------------------------------------------------


def test_split_with_a_long_cjk_title_builds_and_imports(life: Life) -> None:
    title = "長い題名" * 33  # 132 characters, 396 bytes in UTF-8
    life.write("long.md", f"# {title}\n## Highlights\n- A quote from a book whose title is "
               "longer than any file name can be.\n"
               "- Three words here, then more words to make a real card of it.\n")
    built = life.build(split=True)
    [package] = built.packages
    assert len(package.name.encode()) <= 255 and (life.out / STATE_FILE).exists()
    [log] = life.file_import()
    assert len(log.new) == 2
    assert life.build(split=True).written == ()



# --- 13. small losses -------------------------------------------------------------------------


DEFINES = ("- Mulching is the practice of covering the soil with a layer of leaves or bark so "
           "that it keeps its moisture.\n")


def test_marking_a_quote_s_gaps_keeps_its_definition_note(life: Life) -> None:
    life.write("garden.md", GARDEN + DEFINES)
    life.build()
    life.file_import()
    definition = life.note("Mulching: ")
    cards = life.study(definition)
    life.edit("garden.md", "covering the soil", "covering the ==soil==")
    built = life.build()
    assert built.status["removed"] == 0
    life.file_import()
    assert removed(life) == [] and life.reviews(cards[0]) == 1
    assert "{{c1::soil}}" in life.note("Mulching is the practice")["Text"]


def test_a_tag_in_quote2anki_s_namespace_does_not_mark_live_notes_removed(life: Life) -> None:
    life.write("garden.md", GARDEN.replace("tags: [gardening]",
                                           "tags: [gardening, quote2anki/removed]"))
    life.build()
    life.file_import()
    assert removed(life) == []
    assert "quote2anki::tag::removed" in life.note(ROOTS).tags


def test_a_tag_over_200_characters_is_named_not_dropped_silently(life: Life) -> None:
    life.write("garden.md", GARDEN.replace("tags: [gardening]", f"tags: [gardening, {'x' * 210}]"))
    built = life.build()
    assert any("210 characters long" in p.message for p in built.problems)
    life.file_import()
    assert "gardening" in life.note(ROOTS).tags


def test_cloze_syntax_in_the_reader_s_note_is_kept_as_text(life: Life) -> None:
    life.write("garden.md", GARDEN.replace(
        line(ROOTS), f"{line(ROOTS)}    - Note: ask about {{{{c1::clay}}}} and ::hints::\n"))
    life.build()
    life.file_import()
    assert plain(life.note(ROOTS)["Back Extra"]) == "ask about {{c1::clay}} and ::hints::"


def test_an_image_keeps_its_alt_text(life: Life) -> None:
    life.write("garden.md", GARDEN + "- The sketch ![a trellis of beans](beans.png) shows how "
               "the runners climb the strings.\n")
    life.build()
    life.file_import()
    # the card's first field, Text or (for a quote with nothing to hide) Front
    assert "a trellis of beans" in plain(life.note("shows how the runners").fields[0])
