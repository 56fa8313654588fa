"""The command line as a user meets it: commands, summaries, JSON, exit codes, messages."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from quote2anki import __version__
from quote2anki.cli import main

from conftest import NOTES, SAMPLE


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version_and_help_with_an_example_on_every_command() -> None:
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output
    for command in main.commands:
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output and f"quote2anki {command}" in result.output


def test_build_writes_one_package_and_prints_a_summary(tmp_path: Path) -> None:
    result = run("build", str(NOTES), str(SAMPLE), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    package = tmp_path / "quote2anki.apkg"
    assert zipfile.is_zipfile(package)
    assert f"wrote {package}" in result.output
    assert re.search(r"4 books, 1\d\d quote notes, \d+ definition notes, \d+ cards", result.output)
    assert re.search(r"since the last build: \d+ new, 0 changed, 0 unchanged", result.output)
    again = run("build", str(NOTES), str(SAMPLE), "--out", str(tmp_path))
    assert re.search(r"0 new, 0 changed, \d+ unchanged", again.output)
    assert f"unchanged {package}" in again.output


def test_build_split_and_deck_prefix(tmp_path: Path) -> None:
    result = run("build", str(NOTES), "--out", str(tmp_path), "--split", "--deck-prefix",
                 "Reading::Books")
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.glob("*.apkg")) == [
        "On the Origin of Species.apkg", "The Art of War.apkg", "The Wealth of Nations.apkg"]
    cards = run("cards", str(NOTES), "--json", "--deck-prefix", "Reading::Books")
    decks = {json.loads(line)["deck"] for line in cards.output.splitlines()}
    assert "Reading::Books::The Art of War" in decks


def test_cards_json_has_one_object_per_note_with_the_documented_keys() -> None:
    result = run("cards", str(SAMPLE), "--json")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {tuple(sorted(row)) for row in rows} == {
        ("book", "deck", "extra", "guid", "kind", "source", "tags", "term", "text")}
    quotes = [row for row in rows if row["kind"] == "quote"]
    definitions = [row for row in rows if row["kind"] == "definition"]
    assert len(quotes) == 108
    assert all(row["term"] is None for row in quotes)
    assert definitions and all(row["term"] for row in definitions)
    assert all(re.search(r"\{\{c\d+::", row["text"]) for row in rows)
    assert all(re.fullmatch(r".+\.md:\d+", row["source"]) for row in rows)
    assert len({row["guid"] for row in rows}) == len(rows)


def test_cards_listing_shows_gaps_as_brackets() -> None:
    result = run("cards", str(NOTES / "The Art of War.md"))
    assert result.exit_code == 0
    assert "The Art of War" in result.output
    assert "let your great object be [...], not lengthy campaigns." in result.output


def test_missing_input_is_a_usage_error_without_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output and "Traceback" not in result.output


def test_output_path_that_is_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = CliRunner().invoke(main, ["build", str(NOTES), "--out", str(target)])
    assert result.exit_code == 1
    assert "is a file, not a folder" in result.output
    assert "Traceback" not in result.output


def test_a_broken_note_is_named_and_the_others_still_build(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text("# Good\n## Quotes\n- *A perfectly fine quote here.*\n")
    (notes / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 40)
    out = tmp_path / "decks"
    result = CliRunner().invoke(main, ["build", str(notes), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{notes / 'binary.md'}: error: binary file" in result.output
    assert "1 book, 1 quote note" in result.output
    assert (out / "quote2anki.apkg").exists()


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "quote2anki", "--help"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and "build" in done.stdout
