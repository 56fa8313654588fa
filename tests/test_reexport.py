"""Re-export like a pro: identity that survives editing, visible removals, preview, import."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from quote2anki import Vault
from quote2anki.cli import main
from quote2anki.identity import SAME_QUOTE, similarity
from quote2anki.output import DEFAULT_PACKAGE, LEGACY_STATE_FILE, STATE_FILE
from quote2anki.state import REMOVED_TAG

from anki_import import import_package
from conftest import T0, build, compared

QUOTE = ("The control of a large force is the same principle as the control of a few men: it is "
         "merely a question of dividing up their numbers.")
NOTE = """---
title: The Art of Command
author: Sun Tzu
tags: [books]
---
## Quotes
- {first}
- All warfare is based on deception, and the wise general hides his strength until the hour.
- Victorious warriors win first and then go to war, while defeated warriors go to war first.
"""


def write(folder: Path, text: str, name: str = "war.md", mtime: int = T0) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def guids(folder: Path) -> dict[str, str]:
    return {note.words: note.guid for note in Vault([folder]).notes() if note.kind == "quote"}


def notes_in(col: Any) -> list[Any]:
    return [col.get_note(nid) for nid in col.find_notes("")]


def test_similarity_threshold_both_sides_of_the_line() -> None:
    typo = QUOTE.replace("merely", "merley")
    few_words = QUOTE.replace("large force", "big army").replace("few men", "small band")
    assert similarity(QUOTE.lower(), typo.lower()) >= SAME_QUOTE
    assert similarity(QUOTE.lower(), few_words.lower()) >= SAME_QUOTE
    other = ("The control of a large force is the job of the general, who must know the ground "
             "and the weather before the battle.")
    assert similarity(QUOTE.lower(), other.lower()) < SAME_QUOTE


def test_typo_fix_reorder_rename_and_retitle_keep_guids(tmp_path: Path) -> None:
    notes, out = tmp_path / "notes", tmp_path / "decks"
    notes.mkdir()
    write(notes, NOTE.format(first=QUOTE))
    build([notes], out)
    before = {note.words: note.guid for note in Vault([notes]).notes()}

    edited = NOTE.format(first=QUOTE.replace("merely", "simply")).replace(
        "The Art of Command", "Art of Command (Giles)")
    lines = edited.split("\n")
    quotes = [line for line in lines if line.startswith("- ")]
    reordered = "\n".join([line for line in lines if not line.startswith("- ")] + quotes[::-1])
    (notes / "war.md").unlink()
    write(notes, reordered, name="sun-tzu.md", mtime=T0 + 100)
    built = build([notes], out)

    after = {note.words: note.guid for note in compared(built).notes}
    assert set(after.values()) == set(before.values())
    assert after[QUOTE.replace("merely", "simply")] == before[QUOTE]
    assert built.status["removed"] == 0 and built.status["new"] == 0


def test_two_different_quotes_are_never_merged(tmp_path: Path) -> None:
    notes, out = tmp_path / "notes", tmp_path / "decks"
    notes.mkdir()
    write(notes, NOTE.format(first=QUOTE))
    build([notes], out)
    other = ("The control of a large force is the job of the general, who must know the ground "
             "and the weather before the battle.")
    write(notes, NOTE.format(first=other), mtime=T0 + 100)
    built = build([notes], out)
    statuses = {note.words: status for note, status in
                zip(compared(built).notes, compared(built).statuses, strict=True)}
    assert statuses[other] == "new"
    assert statuses[QUOTE] == "removed"


def test_a_typo_fix_in_a_definition_keeps_its_note(tmp_path: Path) -> None:
    notes, out = tmp_path / "notes", tmp_path / "decks"
    notes.mkdir()
    glossary = "# G\n## Glossary\n- **Covariate shift**: {d}\n"
    write(notes, glossary.format(d="P(X) changes but P(Y|X) stays."))
    first = compared(build([notes], out)).notes[0].guid
    write(notes, glossary.format(d="P(X) changes, but P(Y|X) stays the same.").replace(
        "Covariate", "Covarite"), mtime=T0 + 5)
    second = build([notes], out)
    assert [n.guid for n in compared(second).notes] == [first]
    assert compared(second).statuses == ("changed",)


def test_removed_quotes_stay_tagged_until_forgotten(tmp_path: Path) -> None:
    notes, out = tmp_path / "notes", tmp_path / "decks"
    notes.mkdir()
    write(notes, NOTE.format(first=QUOTE))
    build([notes], out)
    write(notes, NOTE.format(first=""), mtime=T0 + 50)
    result = CliRunner().invoke(main, ["build", str(notes), "--out", str(out)])
    assert "1 removed" in result.output and "tag:quote2anki::removed" in result.output
    again = CliRunner().invoke(main, ["build", str(notes), "--out", str(out)])
    assert "1 removed" in again.output  # said again on every build until forgotten
    assert [r.words for r in removed_records(out)] == [QUOTE]
    assert REMOVED_TAG in package_tags(out)
    result = CliRunner().invoke(main, ["build", str(notes), "--out", str(out),
                                       "--forget-removed"])
    assert result.exit_code == 0 and "tag:quote2anki::removed" not in result.output
    assert not removed_records(out) and REMOVED_TAG not in package_tags(out)


def removed_records(out: Path) -> list[Any]:
    from quote2anki.output import OutputFolder
    from quote2anki.state import load

    return [record for record in load(OutputFolder(out))[0].values() if record.removed]


def package_tags(out: Path) -> str:
    import sqlite3
    import zipfile

    with zipfile.ZipFile(out / DEFAULT_PACKAGE) as archive:
        (out / "unpacked.anki2").write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(out / "unpacked.anki2")
    try:
        return " ".join(row[0] for row in connection.execute("SELECT tags FROM notes"))
    finally:
        connection.close()
        (out / "unpacked.anki2").unlink()


def test_missing_or_corrupt_state_degrades_gracefully(tmp_path: Path) -> None:
    notes, out = tmp_path / "notes", tmp_path / "decks"
    notes.mkdir()
    write(notes, NOTE.format(first=QUOTE))
    first = {n.guid for n in compared(build([notes], out)).notes}
    (out / STATE_FILE).write_text("{ not json", encoding="utf-8")
    second = build([notes], out)
    assert {n.guid for n in compared(second).notes} == first
    assert any("cannot be used" in p.message for p in second.problems)
    (out / STATE_FILE).unlink()
    assert {n.guid for n in compared(build([notes], out)).notes} == first


def test_the_record_prints_as_json_one_note_per_line(tmp_path: Path) -> None:
    notes, out = tmp_path / "notes", tmp_path / "decks"
    notes.mkdir()
    write(notes, NOTE.format(first=QUOTE))
    build([notes], out)
    result = CliRunner().invoke(main, ["state", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "quote2anki-state" and len(data["notes"]) == 3
    assert len(result.output.splitlines()) == 3 + 2
    assert QUOTE.split()[0] in result.output
    missing = CliRunner().invoke(main, ["state", "--json", "--out", str(tmp_path / "none")])
    assert missing.exit_code != 0 and "no record" in missing.output


def test_the_record_printed_into_a_pipe_closed_early_ends_without_an_error(tmp_path: Path
                                                                          ) -> None:
    import subprocess
    import sys

    notes, out = tmp_path / "notes", tmp_path / "decks"
    notes.mkdir()
    for number in range(200):  # more than a pipe's buffer holds
        write(notes, NOTE.format(first=f"{QUOTE} Number {number}."), name=f"war{number}.md")
    build([notes], out)
    printing = subprocess.Popen([sys.executable, "-m", "quote2anki", "state", "--json", "--out",
                                 str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert printing.stdout is not None and printing.stderr is not None
    assert printing.stdout.read(10)
    printing.stdout.close()
    assert printing.wait() != 0
    assert b"Error" not in printing.stderr.read()


def test_a_record_an_older_version_wrote_as_json_is_read_once_and_converted(
        tmp_path: Path) -> None:
    notes, out = tmp_path / "notes", tmp_path / "decks"
    notes.mkdir()
    write(notes, NOTE.format(first=QUOTE))
    first = {n.guid for n in compared(build([notes], out)).notes}
    legacy = CliRunner().invoke(main, ["state", "--json", "--out", str(out)]).output
    (out / STATE_FILE).unlink()
    (out / LEGACY_STATE_FILE).write_text(legacy.replace('"version": 5', '"version": 4'),
                                         encoding="utf-8")
    write(notes, NOTE.format(first=QUOTE.replace(".", "!", 1)))  # an edit: still the same note
    again = build([notes], out)
    assert {n.guid for n in compared(again).notes} == first
    assert not any("record" in p.message for p in again.problems)
    assert not (out / LEGACY_STATE_FILE).exists() and (out / STATE_FILE).exists()


def test_real_anki_typo_reorder_rename_and_removal(tmp_path: Path, collection: Any) -> None:
    notes, out = tmp_path / "notes", tmp_path / "decks"
    notes.mkdir()
    write(notes, NOTE.format(first=QUOTE))
    write(notes, "# Walden\n## Quotes\n- The mass of men lead lives of quiet desperation, said "
                 "Thoreau at the pond.\n- I went to the woods because I wished to live "
                 "deliberately and to front only the essential facts.\n", name="walden.md")
    build([notes], out)
    import_package(collection, out / DEFAULT_PACKAGE)
    cards_before = len(collection.find_cards(""))
    # study the quote that will get a typo fix
    target = next(n for n in notes_in(collection) if "dividing up their numbers" in n.fields[0]
                  or "dividing" in re.sub(r"\{\{c\d+::|\}\}", "", n.fields[0]))
    card = target.cards()[0]
    card.start_timer()
    collection.sched.answerCard(card, 3)
    reviewed = collection.get_card(card.id)
    schedule = (reviewed.type, reviewed.queue, reviewed.due, reviewed.ivl, reviewed.reps)

    # typo fix in the reviewed quote, reorder and rename the file, remove one Walden quote
    fixed = NOTE.format(first=QUOTE.replace("merely", "simply"))
    lines = fixed.split("\n")
    quotes = [line for line in lines if line.startswith("- ")]
    (notes / "war.md").unlink()
    write(notes, "\n".join([ln for ln in lines if not ln.startswith("- ")] + quotes[::-1]),
          name="art-of-command.md", mtime=T0 + 500)
    write(notes, "# Walden\n## Quotes\n- The mass of men lead lives of quiet desperation, said "
                 "Thoreau at the pond.\n", name="walden.md", mtime=T0 + 500)
    build([notes], out)
    log = import_package(collection, out / DEFAULT_PACKAGE)
    assert len(log.new) == 0

    after = notes_in(collection)
    assert len(after) == len({n.guid for n in after})
    assert len(collection.find_cards("")) == cards_before
    again = collection.get_note(target.id)
    assert "simply" in again.fields[0]
    card = collection.get_card(card.id)
    assert (card.type, card.queue, card.due, card.ivl, card.reps) == schedule
    tagged = collection.find_notes(f"tag:{REMOVED_TAG}")
    assert len(tagged) == 1
    assert "woods" in collection.get_note(tagged[0]).fields[0]


def test_import_command_imports_and_refuses_a_locked_collection(tmp_path: Path) -> None:
    from anki.collection import Collection

    notes, out = tmp_path / "notes", tmp_path / "decks"
    notes.mkdir()
    write(notes, NOTE.format(first=QUOTE))
    build([notes], out)
    path = tmp_path / "col.anki2"
    Collection(str(path)).close()
    runner = CliRunner()
    result = runner.invoke(main, ["import", "--out", str(out), "--collection", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 new" in result.output
    again = runner.invoke(main, ["import", "--out", str(out), "--collection", str(path)])
    assert "0 new, 0 updated, 3 unchanged" in again.output
    held = Collection(str(path))
    try:
        locked = runner.invoke(main, ["import", "--out", str(out), "--collection", str(path)])
    finally:
        held.close()
    assert locked.exit_code == 1
    assert "open in Anki" in locked.output and isinstance(locked.exception, SystemExit)
    missing = runner.invoke(main, ["import", "--out", str(out), "--collection",
                                   str(tmp_path / "none.anki2")])
    assert missing.exit_code == 1 and "no Anki collection" in missing.output
