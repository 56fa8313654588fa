"""Skipping what cannot have changed, without ever changing what a build writes."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from quote2anki import collect as collect_module
from quote2anki.output import DEFAULT_PACKAGE, MANIFEST_FILE, STATE_FILE

from conftest import T0, build


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, (T0 + 100, T0 + 100))


def forget_cache(out: Path) -> None:
    """What a build keeps only to go faster (the files' results, the manifest), removed."""
    with sqlite3.connect(out / STATE_FILE) as connection:
        connection.execute("DELETE FROM files")
    connection.close()
    (out / MANIFEST_FILE).unlink()


def test_nothing_changed_means_nothing_read_or_written(tmp_path: Path, vault: Path) -> None:
    out = tmp_path / "decks"
    first = build([vault], out)
    package = out / DEFAULT_PACKAGE
    stamp = package.stat().st_mtime_ns
    again = build([vault], out)
    assert again.collected is None and again.written == ()
    assert again.packages == first.packages
    assert package.stat().st_mtime_ns == stamp
    assert (again.summary.quotes, again.summary.cards) == (first.summary.quotes,
                                                           first.summary.cards)
    summary = first.summary
    assert again.status == {"unchanged": summary.quotes + summary.definitions + summary.flashcards}
    # the same warnings, said again; not what only the first build had to say (no record yet)
    assert first.collected is not None and first.collected.notices
    assert again.problems == tuple(p for p in first.problems
                                   if p not in first.collected.notices)


def test_a_changed_option_or_a_touched_output_means_a_real_build(tmp_path: Path, vault: Path
                                                                 ) -> None:
    out = tmp_path / "decks"
    build([vault], out)
    assert build([vault], out, deck_prefix="Reading").collected is not None
    assert build([vault], out, deck_prefix="Reading").collected is None
    (out / DEFAULT_PACKAGE).write_bytes(b"damaged")
    rebuilt = build([vault], out, deck_prefix="Reading")
    assert rebuilt.collected is not None and rebuilt.written == (out / DEFAULT_PACKAGE,)


def test_one_changed_file_is_the_only_one_read_again(tmp_path: Path, vault: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "decks"
    build([vault], out, jobs=1)
    read: list[str] = []
    original = collect_module.read_one

    def counting(task):  # type: ignore[no-untyped-def]
        read.append(Path(task[0]).name)
        return original(task)

    monkeypatch.setattr(collect_module, "read_one", counting)
    edit(vault / "The Art of War.md", "lengthy campaigns", "long campaigns")
    built = build([vault], out, jobs=1)
    assert read == ["The Art of War.md"]
    assert built.status["changed"] == 1 and built.status.get("new", 0) == 0


def test_an_edited_file_re_analyses_only_its_edited_quote(tmp_path: Path, vault: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from quote2anki import definitions, extract, gaps

    out = tmp_path / "decks"
    build([vault], out, jobs=1)
    chosen: list[str] = []
    found: list[str] = []
    choose, find = gaps.choose, definitions.find_definitions

    def counting_choose(analysis: Any, **kwargs: Any) -> Any:
        chosen.append(analysis.text)
        return choose(analysis, **kwargs)

    def counting_find(text: str) -> Any:
        found.append(text)
        return find(text)

    monkeypatch.setattr(gaps, "choose", counting_choose)
    monkeypatch.setattr(extract, "find_definitions", counting_find)
    edit(vault / "The Art of War.md", "lengthy campaigns", "long campaigns")
    built = build([vault], out, jobs=1)
    assert built.status["changed"] == 1
    # the book has ten quotes: only the edited one is analysed again
    assert [text for text in found if "campaigns" in text] == found and len(found) == 1
    assert all("long campaigns" in text for text in chosen) and 1 <= len(chosen) <= 2


def test_cached_and_fresh_builds_write_the_same_bytes(tmp_path: Path, vault: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(T0 + 200))  # one clock: a changed note's time
    out = tmp_path / "decks"
    build([vault], out)
    scratch = tmp_path / "scratch"
    shutil.copytree(out, scratch)
    forget_cache(scratch)  # a full read, against the same previous build
    edit(vault / "The Wealth of Nations.md", "sole end", "only end")
    cached = build([vault], out)
    fresh = build([vault], scratch)
    assert fresh.collected is not None and cached.collected is not None
    assert (out / DEFAULT_PACKAGE).read_bytes() == (scratch / DEFAULT_PACKAGE).read_bytes()


def _add_book(vault: Path) -> None:
    (vault / "Walden.md").write_text(
        "---\ntitle: Walden\nauthor: Henry David Thoreau\n---\n\n"
        "> The mass of men lead lives of quiet desperation, and go to the grave with the song "
        "still in them.\n", encoding="utf-8")
    os.utime(vault / "Walden.md", (T0 + 50, T0 + 50))


STEPS: dict[str, Any] = {
    "nothing changed": lambda vault: None,
    "one quote changed": lambda vault: edit(vault / "The Art of War.md", "lengthy campaigns",
                                            "long campaigns"),
    "one file added": _add_book,
    "one file removed": lambda vault: (vault / "The Wealth of Nations.md").unlink(),
}


@pytest.mark.parametrize("step", [*STEPS, "options changed", "removed notes forgotten"])
def test_every_incremental_path_writes_what_a_full_build_writes(
        tmp_path: Path, vault: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    from quote2anki.output import OutputFolder
    from quote2anki.state import load

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(T0 + 200))
    out, scratch = tmp_path / "decks", tmp_path / "scratch"
    build([vault], out, accept_removals=True)
    if step == "removed notes forgotten":
        STEPS["one file removed"](vault)
        build([vault], out, accept_removals=True)  # tagged removed, then forgotten below
    shutil.copytree(out, scratch)
    forget_cache(scratch)  # what is kept only to go faster, gone: a full build
    before = (out / DEFAULT_PACKAGE).read_bytes()
    options: dict[str, Any] = {"accept_removals": True}
    if step == "options changed":
        options["deck_prefix"] = "Reading"
    elif step == "removed notes forgotten":
        options["forget_removed"] = True
    else:
        STEPS[step](vault)
    incremental = build([vault], out, **options)
    full = build([vault], scratch, **options)
    assert full.collected is not None and full.comparison is not None
    assert (incremental.collected is None) == (step == "nothing changed")
    assert (out / DEFAULT_PACKAGE).read_bytes() == (scratch / DEFAULT_PACKAGE).read_bytes()
    # the record updated in place holds what the full build recorded, row for row
    kept, problem = load(OutputFolder(out))
    assert problem is None and dict(kept) == dict(full.comparison.records)
    assert kept.forgotten == full.comparison.forgotten
    assert ((out / DEFAULT_PACKAGE).read_bytes() == before) == (step == "nothing changed")


def test_several_processes_write_what_one_does(tmp_path: Path, vault: Path) -> None:
    build([vault], tmp_path / "one", jobs=1)
    build([vault], tmp_path / "two", jobs=2)
    assert (tmp_path / "one" / DEFAULT_PACKAGE).read_bytes() == (
        tmp_path / "two" / DEFAULT_PACKAGE).read_bytes()


def test_a_damaged_cache_or_manifest_only_means_a_full_build(tmp_path: Path, vault: Path
                                                             ) -> None:
    out = tmp_path / "decks"
    first = build([vault], out)
    reference = (out / DEFAULT_PACKAGE).read_bytes()
    with sqlite3.connect(out / STATE_FILE) as connection:
        connection.execute("UPDATE files SET result = ?", (b"not a pickle",))
    connection.close()
    (out / MANIFEST_FILE).write_text("{", encoding="utf-8")
    again = build([vault], out)
    assert again.collected is not None and not again.written
    assert (out / DEFAULT_PACKAGE).read_bytes() == reference
    assert again.summary.quotes == first.summary.quotes


def test_a_renamed_book_under_split_leaves_no_stale_package(tmp_path: Path, vault: Path
                                                           ) -> None:
    out = tmp_path / "decks"
    for note in vault.glob("*.md"):  # another Art of War (a translation) would share the deck
        if note.name != "The Art of War.md" and "Art of War" in note.read_text(encoding="utf-8"):
            note.unlink()
    build([vault], out, split=True)
    assert (out / "The Art of War.apkg").exists()
    edit(vault / "The Art of War.md", "title: The Art of War", "title: The Art of War (Giles)")
    build([vault], out, split=True)
    assert not (out / "The Art of War.apkg").exists()
    assert (out / "The Art of War (Giles).apkg").exists()


def test_a_progress_bar_on_a_terminal_only_and_only_once_a_build_takes_a_while() -> None:
    from quote2anki.cli.report import ProgressBar

    def shown(terminal: bool, delay: float) -> str:
        stream = io.StringIO()
        bar = ProgressBar("reading notes", stream, terminal, delay)
        for done in range(0, 11):
            bar(done, 10)
        bar.close()
        return stream.getvalue()

    assert "reading notes" in shown(terminal=True, delay=0.0)
    assert shown(terminal=True, delay=60.0) == ""  # a quick build shows nothing
    assert shown(terminal=False, delay=0.0) == ""  # a log or a pipe gets no bar
