"""The command line as a user meets it: commands, summaries, JSON, exit codes, messages."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quote2anki import Vault, __version__
from quote2anki.cli import main

from conftest import FORMATS, NOTES


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version_and_help_with_an_example_on_every_command() -> None:
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output
    for command in main.commands:
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output and f"quote2anki {command}" in result.output


def test_build_writes_one_package_and_prints_a_summary(tmp_path: Path) -> None:
    result = run("build", str(NOTES), str(FORMATS / "template.md"), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    package = tmp_path / "quote2anki.apkg"
    assert zipfile.is_zipfile(package)
    assert f"wrote {package}" in result.output
    vault = Vault([NOTES, FORMATS / "template.md"])
    quotes = sum(1 for note in vault.notes() if note.kind == "quote")
    cards = sum(len(note.cards) for note in vault.notes())
    assert (f"4 books, {quotes} quote notes, {len(vault.notes()) - quotes} definition notes, "
            f"{cards} cards") in result.output
    assert f"since the last build: {len(vault.notes())} new, 0 changed, 0 unchanged" in (
        result.output)
    again = run("build", str(NOTES), str(FORMATS / "template.md"), "--out", str(tmp_path))
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
    result = run("cards", str(NOTES), str(FORMATS), "--json")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {tuple(sorted(row)) for row in rows} == {
        ("book", "deck", "extra", "guid", "kind", "source", "tags", "term", "text")}
    quotes = [row for row in rows if row["kind"] == "quote"]
    definitions = [row for row in rows if row["kind"] == "definition"]
    assert [row["guid"] for row in rows] == [note.guid for note in Vault([NOTES, FORMATS]).notes()]
    assert len(quotes) > 40
    assert all(row["term"] is None for row in quotes)
    assert definitions and all(row["term"] for row in definitions)
    # a cloze in every quote, unless it had nothing worth hiding (then it asks for its book)
    assert all(re.search(r"\{\{c\d+::", row["text"]) or "quote2anki::which-book" in row["tags"]
               for row in quotes + definitions)
    assert any("quote2anki::which-book" in row["tags"] for row in quotes)
    assert sum(bool(re.search(r"\{\{c\d+::", row["text"])) for row in quotes) > len(quotes) / 2
    assert {row["kind"] for row in rows} == {"quote", "definition", "flashcard"}
    assert all(re.fullmatch(r".+\.md:\d+", row["source"]) for row in rows)
    assert len({row["guid"] for row in rows}) == len(rows)


def test_cards_listing_shows_gaps_as_brackets() -> None:
    result = run("cards", str(NOTES / "The Art of War.md"))
    assert result.exit_code == 0
    assert "The Art of War" in result.output
    assert "let your great object be [...], not lengthy campaigns." in result.output


def test_missing_input_is_a_one_line_usage_error_without_traceback(tmp_path: Path) -> None:
    for command in ("build", "cards", "check"):
        result = CliRunner().invoke(main, [command, str(NOTES), str(tmp_path / "nope")])
        assert result.exit_code == 2
        assert result.output.strip().splitlines() == [
            f"Error: no such file or folder: {tmp_path / 'nope'}; pass notes that exist, "
            "e.g. quote2anki build ~/vault/Books"]
        assert not (tmp_path / "decks").exists()


def test_output_path_that_is_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = CliRunner().invoke(main, ["build", str(NOTES), "--out", str(target)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: output path {target} is a file, not a folder; pass --out with a folder"]
    assert target.read_text() == "x"


def test_a_broken_note_is_named_and_the_others_still_build(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text("# Good\n## Quotes\n- *A perfectly fine quote here.*\n")
    (notes / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 40)
    out = tmp_path / "decks"
    result = CliRunner().invoke(main, ["build", str(notes), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{notes / 'binary.md'}:1: error: binary file" in result.output
    assert "1 book, 1 quote note" in result.output
    assert (out / "quote2anki.apkg").exists()


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "quote2anki", "--help"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and "build" in done.stdout


def test_check_lists_every_problem_as_file_line_level_message_without_building(
    tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    short = "\n".join(f"- Word{i}." for i in range(20))  # 20 highlights too short for a card
    (notes / "short.md").write_text(f"# Short\n## Quotes\n{short}\n- A fine quote here.\n")
    (notes / "broken.md").write_text("---\ntags: [a\n---\n# Broken\n## Quotes\n- Still a quote.\n")
    (notes / "cover.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 40)
    result = CliRunner().invoke(main, ["check", str(notes)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 22  # all of them, never cut short
    assert all(re.fullmatch(r".+\.md:\d+: (error|warning|info): .+", line) for line in lines)
    assert lines[0] == f"{notes / 'broken.md'}:3: warning: frontmatter is not valid YAML " \
        "(did not find expected ',' or ']', while parsing a flow sequence started on line 2); " \
        "its title, author and tags are ignored, the quotes are still used"
    assert lines[1] == f"{notes / 'cover.md'}:1: error: binary file, not Markdown text; skipped"
    assert lines[2] == f"{notes / 'short.md'}:3: warning: highlight 'Word0.' is too short for " \
        "a useful card; skipped"
    assert [int(line.split(":")[1]) for line in lines[2:]] == list(range(3, 23))
    assert result.stderr.strip() == "2 notes read: 1 error, 21 warnings"
    assert not (tmp_path / "decks").exists() and not list(tmp_path.glob("**/*.apkg"))


def test_check_exits_0_with_only_warnings_or_nothing_to_say(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(NOTES)])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.strip() == "3 notes read: 0 errors, 0 warnings"
    (tmp_path / "a.md").write_text("# A\n## Quotes\n- Hi.\n")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'a.md'}:1: warning: no quotes or definitions found: quotes are read from "
        "bullets under a heading such as 'Quotes' or 'Highlights', and from > blockquotes "
        "anywhere",
        f"{tmp_path / 'a.md'}:3: warning: highlight 'Hi.' is too short for a useful card; "
        "skipped"]


def test_build_groups_repeated_problems_and_points_to_check_for_the_rest(tmp_path: Path) -> None:
    short = "\n".join(f"- Word{i}." for i in range(20))
    (tmp_path / "a.md").write_text(f"# A\n## Quotes\n{short}\n- A fine quote here.\n")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--out",
                                                       str(tmp_path / "decks")])
    assert result.exit_code == 0
    assert "0 errors, 21 warnings:" in result.stderr
    # 20 short highlights, and a first build's warning that there is no record of an earlier one
    # twenty skipped highlights of one file are one line, first: they lose text
    assert ("a.md:3: warning: highlight 'Word0.' is too short for a useful card; skipped (and "
            "19 more like it: lines 3, 4, 5 and 17 more)") in result.stderr
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.stdout.count("too short for a useful card") == 20


@pytest.mark.anki
def test_user_errors_are_one_line_without_a_traceback_in_a_real_process(tmp_path: Path) -> None:
    """Run as a user runs it (a process, not CliRunner, which never prints a traceback)."""
    import subprocess
    import sys

    from anki.collection import Collection

    Collection(str(tmp_path / "collection.anki2")).close()
    (tmp_path / "damaged.apkg").write_bytes(b"not a zip at all " * 64)
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    cases = {
        ("build", str(tmp_path / "missing")): (2, "no such file or folder"),
        ("build", str(NOTES), "--out", str(tmp_path / "a-file")): (1, "is a file, not a folder"),
        ("import", str(tmp_path / "damaged.apkg"), "--collection",
         str(tmp_path / "collection.anki2")): (1, "not a whole Anki package"),
    }
    for args, (code, message) in cases.items():
        done = subprocess.run([sys.executable, "-m", "quote2anki", *args], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == code, (args, done.stderr)
        assert message in done.stderr and done.stderr.startswith("Error: ")
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


POSIX_ONLY = {"fcntl", "termios", "pwd", "grp", "resource", "posix", "tty", "pty", "crypt"}


def test_no_module_imports_a_posix_only_module_at_import_time() -> None:
    """What a test can show of Windows: nothing quote2anki imports at start-up is POSIX-only
    (``import fcntl`` at the top of one module once made the whole CLI unimportable there)."""
    import ast

    package = Path(__file__).resolve().parents[1] / "src" / "quote2anki"
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only: a lazy import inside a function is fine
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in POSIX_ONLY, f"{path.name} imports {name}"


def test_a_vault_reads_only_book_notes_and_says_how_many_it_skipped(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "Daily").mkdir(parents=True)
    (vault / "Books").mkdir()
    (vault / "Daily" / "2024-03-01.md").write_text(
        "# Meeting with Bob\n> We ship the orchard app on Friday, whatever happens.\n")
    (vault / "Books" / "Dune.md").write_text(
        "# Dune\n> Fear is the mind-killer, the little death.\n")
    (vault / "Books" / "Emma.md").write_text(
        "# Emma\n## Quotes\n- Silly things do cease to be silly if they are done by sensible "
        "people.\n")

    def decks(*options: str) -> tuple[set[str], str]:
        out = tmp_path / ("decks" + "-".join(options).replace("/", "_").replace("*", "_"))
        result = run("build", str(vault), "--out", str(out), *options)
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in run("cards", str(vault), "--json", *options
                                                  ).stdout.splitlines()]
        return {row["deck"] for row in rows}, result.output

    found, output = decks()
    # Dune is in the Books folder; Emma has a quotes section; the daily note has neither
    assert found == {"Books::Dune", "Books::Emma"}
    assert "1 note skipped as not book notes" in output
    assert decks("--all-notes")[0] == {"Books::Dune", "Books::Emma", "Books::Meeting with Bob"}
    assert decks("--exclude", "Books/Emma.md")[0] == {"Books::Dune"}
    assert decks("--include", "Daily/**", "--all-notes")[0] == {"Books::Meeting with Bob"}
