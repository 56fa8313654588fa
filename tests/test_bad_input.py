"""Bad input: each problem is named with its file (and line), and the rest still builds.

Broken frontmatter, odd encodings, binary and huge files, empty notes, missing or unwritable
paths, link loops, and books that share a title or a quote. Nothing here may crash or show
a traceback, and nothing good may be lost because something next to it was bad.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quote2anki import Vault
from quote2anki.book import read_book
from quote2anki.cli import main
from quote2anki.model import Problem
from quote2anki.output import DEFAULT_PACKAGE
from quote2anki.reader import MAX_BYTES, parse_source

from anki_import import import_package
from conftest import NOTES, build, collected

GOOD = "# Good Book\n## Quotes\n- *A perfectly fine quote that makes a card.*\n"
QUOTES = "## Quotes\n- *The first quote still counts here.*\n- Second quote, also counted.\n"


def book_of(data: bytes, name: str = "note.md"):  # type: ignore[no-untyped-def]
    return read_book(parse_source(name, data))


def messages(problems: tuple[Problem, ...] | list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def vault_with(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    """A folder of notes: the good one plus ``files``."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return folder


# --- frontmatter -----------------------------------------------------------------------------


@pytest.mark.parametrize(("frontmatter", "line", "says"), [
    ("title: Dune\ntags: [books, sci-fi\nauthor: Frank Herbert\n", 4,
     "not valid YAML (did not find expected ',' or ']', while parsing a flow sequence started "
     "on line 3)"),
    ("title: Dune\n\tauthor: tab-indented\n", 3,
     "not valid YAML (found a tab character that violates indentation"),
    ("\n\ntitle: 'unclosed\n", 5, "not valid YAML (found unexpected end of stream, while "
                                   "scanning a quoted scalar started on line 4)"),
    ("- just\n- a list\n", 2, "is a list, not key: value pairs"),
    ("just a sentence\n", 2, "is a single value, not key: value pairs"),
])
def test_broken_frontmatter_is_a_warning_at_its_line_and_the_quotes_are_used(
    frontmatter: str, line: int, says: str
) -> None:
    book = book_of(f"---\n{frontmatter}---\n# Title From Heading\n{QUOTES}".encode())
    assert [q.text for q in book.quotes] == ["The first quote still counts here.",
                                            "Second quote, also counted."]
    assert book.title == "Title From Heading"
    [problem] = [p for p in book.problems if "frontmatter" in p.message]
    assert problem.level == "warning" and problem.line == line and says in problem.message
    assert "quotes are still used" in problem.message


def test_frontmatter_that_never_closes_is_read_as_text() -> None:
    book = book_of(b"---\ntitle: Dune\n# Dune\n" + QUOTES.encode())
    assert len(book.quotes) == 2
    assert messages(book.problems) == [
        "note.md:1: warning: frontmatter starts with --- but never ends; read as text"]


def test_yaml_escapes_cannot_put_control_characters_into_titles_tags_or_authors() -> None:
    note = ('---\ntitle: "Dune\\x1f\\0 Messiah\\x07"\nauthor: "Frank\\u200b Herbert"\n'
            'tags: ["sci\\x1ffi", "ok"]\n---\n' + QUOTES)
    book = book_of(note.encode())
    assert (book.title, book.author, book.tags) == ("Dune Messiah", "Frank Herbert",
                                                    ("scifi", "ok"))


def test_yaml_alias_bomb_is_bounded() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 12):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    lines.append("tags: *l")
    note = "---\n" + "\n".join(lines) + "\n---\n" + QUOTES
    book = book_of(note.encode())  # 9**12 tags if expanded: must neither hang nor explode
    assert len(book.quotes) == 2
    assert len(book.tags) <= 100


# --- encodings and line endings ---------------------------------------------------------------


def test_windows_1252_is_decoded_with_a_warning_naming_the_file() -> None:
    note = "# Café Society\n## Quotes\n- “Déjà vu” is what the naïve café owner said — twice.\n"
    book = book_of(note.encode("cp1252"), "notes/cafe.md")
    assert book.title == "Café Society"
    assert book.quotes[0].text == "“Déjà vu” is what the naïve café owner said — twice."
    assert messages(book.problems) == [
        "notes/cafe.md:1: warning: not valid UTF-8; read as Windows-1252. Save it as UTF-8 to "
        "be sure"]


def test_latin_1_bytes_that_windows_1252_lacks_still_decode() -> None:
    data = "# Book\n## Quotes\n- Señor, this quote has a stray byte".encode("latin-1")
    book = book_of(data + b" \x81 in it.\n")
    assert book.quotes[0].text.startswith("Señor, this quote has a stray byte")
    assert "read as Latin-1" in book.problems[0].message


def test_bom_crlf_and_mixed_line_endings_read_like_plain_lf() -> None:
    plain = f"---\ntitle: Dune\ntags: [books]\n---\n# Dune\n{QUOTES}\n## Impressions\nMine.\n"
    expected = book_of(plain.encode())
    variants = {
        "bom": b"\xef\xbb\xbf" + plain.encode(),
        "crlf": plain.replace("\n", "\r\n").encode(),
        "bom+crlf": b"\xef\xbb\xbf" + plain.replace("\n", "\r\n").encode(),
        "mixed": "".join(line + ("\r\n" if i % 2 else "\n")
                         for i, line in enumerate(plain.split("\n"))).encode(),
        "old mac": plain.replace("\n", "\r").encode(),
        "no final newline": plain.rstrip("\n").encode(),
        "stray BOM mid-file": plain.replace("Second", "\ufeffSecond").encode(),
    }
    for name, data in variants.items():
        book = book_of(data)
        assert (book.title, book.tags) == ("Dune", ("books",)), name
        assert [(q.text, q.line) for q in book.quotes] == [
            (q.text, q.line) for q in expected.quotes], name
        assert not book.problems, name


# --- files that are not notes -----------------------------------------------------------------


def test_binary_and_huge_files_named_md_are_skipped_and_named(tmp_path: Path) -> None:
    folder = vault_with(tmp_path, {
        "cover.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64,
        "dump.md": b"",
    })
    with open(folder / "dump.md", "wb") as handle:  # sparse: huge on paper, cheap on disk
        handle.truncate(MAX_BYTES + 1)
    result = invoke("build", str(folder), "--out", str(tmp_path / "decks"))
    assert result.exit_code == 1
    assert f"{folder / 'cover.md'}:1: error: binary file, not Markdown text; skipped" in (
        result.output)
    assert (f"{folder / 'dump.md'}:1: error: file is 32 MB, larger than a book note can be "
            "(32 MB); skipped") in result.output
    assert "1 book, 1 quote note" in result.output
    assert (tmp_path / "decks" / DEFAULT_PACKAGE).exists()
    assert isinstance(result.exception, SystemExit)  # a clean exit 1, not a crash


def test_a_few_control_bytes_in_text_do_not_make_it_binary() -> None:
    book = book_of(b"# Book\n## Quotes\n- A quote with a NUL\x00 byte and a \x1f separator.\n")
    assert book.quotes[0].text == "A quote with a NUL byte and a separator."
    assert not book.problems


@pytest.mark.parametrize(("content", "says"), [
    ("", "note is empty"),
    ("\n  \n\t\n", "note is empty"),
    ("---\ntitle: Only Frontmatter\ntags: [books]\n---\n",
     "note has frontmatter but no text; nothing to make cards from"),
    ("# A Book\n\nJust my own thoughts, no quotes section.\n",
     "no quotes or definitions found"),
    ("# A Book\n## Quotes\n", "no quotes or definitions found"),
])
def test_empty_and_quoteless_notes_are_reported_and_the_rest_builds(
    tmp_path: Path, content: str, says: str
) -> None:
    folder = vault_with(tmp_path, {"odd.md": content})
    built = build([folder], tmp_path / "decks")
    [problem] = [p for p in built.problems if p.path.endswith("odd.md")]
    assert problem.level == "warning" and says in problem.message
    assert len(collected(built).notes) >= 1
    assert (tmp_path / "decks" / DEFAULT_PACKAGE).exists()


# --- paths --------------------------------------------------------------------------------------


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A folder this process cannot write in, even as root (then it is made immutable)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a folder unwritable")
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if done.returncode:
            pytest.skip(f"chattr +i not supported here: {done.stderr.decode().strip()}")
        yield folder
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


def test_unwritable_output_folder_is_a_one_line_error(tmp_path: Path, unwritable: Path) -> None:
    result = invoke("build", str(NOTES), "--out", str(unwritable))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert str(unwritable) in lines[0]
    assert not list(unwritable.iterdir())


def test_output_below_a_file_or_onto_a_folder_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = invoke("build", str(NOTES), "--out", str(blocker / "decks"))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: cannot create output folder {blocker / 'decks'}: Not a directory"]
    out = tmp_path / "decks"
    (out / DEFAULT_PACKAGE).mkdir(parents=True)  # a folder where the package must go
    result = invoke("build", str(NOTES), "--out", str(out))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: cannot write {out / DEFAULT_PACKAGE}: Is a directory; the packages written "
        "before it are whole"]
    assert not list(out.glob(".quote2anki-*.tmp"))


def test_symbolic_link_loops_and_links_to_nothing_are_reported_once(tmp_path: Path) -> None:
    folder = vault_with(tmp_path, {"sub/other.md": "# Other\n## Quotes\n- One more good quote.\n"})
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "sub" / "self").symlink_to(folder / "sub", target_is_directory=True)
    (folder / "gone.md").symlink_to(tmp_path / "deleted.md")
    (folder / "alias.md").symlink_to(folder / "good.md")
    collected = Vault([folder, folder / "good.md"])
    assert sorted(book.title for book in collected.books()) == ["Good Book", "Other"]
    assert len(collected.notes()) == 2  # good.md, reached three ways, is read once
    assert sorted(messages(collected.problems)) == sorted([
        f"{folder / 'gone.md'}:1: warning: symbolic link to nothing; skipped",
        f"{folder / 'sub' / 'loop'}:1: warning: folder reached twice (a symbolic link loop?); "
        "read once",
        f"{folder / 'sub' / 'self'}:1: warning: folder reached twice (a symbolic link loop?); "
        "read once",
    ])


# --- books that share a title or a quote --------------------------------------------------------


def test_same_title_same_author_is_one_book_in_one_deck(tmp_path: Path, collection: Any) -> None:
    folder = vault_with(tmp_path, {
        "Dune.md": "---\nauthor: Frank Herbert\n---\n# Dune\n## Quotes\n"
                   "- Fear is the mind-killer, the little death.\n"
                   "- The mystery of life isn't a problem to solve.\n",
        "dune (reread).md": "---\nauthor: frank herbert\n---\n# DUNE\n## Highlights\n"
                            "- Fear is the mind-killer, the little death.\n"
                            "- He who controls the spice controls the universe.\n",
    })
    built = build([folder], tmp_path / "decks")
    decks = {note.deck for note in collected(built).notes if "une" in note.book}
    assert decks == {"Books::Dune"}  # spelled as the first note (by title, then path) spells it
    [duplicate] = [p for p in built.problems if "same quote as" in p.message]
    assert duplicate.level == "warning" and "kept once" in duplicate.message
    first, second = str(folder / "Dune.md"), str(folder / "dune (reread).md")
    assert {duplicate.path, duplicate.message.split("same quote as ")[1].split(":")[0]} == {
        first, second}
    infos = [p for p in built.problems if p.level == "info"]
    assert {p.path for p in infos} == {first, second}
    assert all("read as one book" in p.message for p in infos)
    import_package(collection, tmp_path / "decks" / DEFAULT_PACKAGE)
    names = {collection.decks.name(card.did) for card in
             (collection.get_card(cid) for cid in collection.find_cards("une"))}
    assert names == decks
    texts = [collection.get_note(nid)["Text"] for nid in collection.find_notes("mind")]
    assert len(texts) == 1


def test_same_title_different_authors_get_decks_named_by_author(tmp_path: Path,
                                                                collection: Any) -> None:
    folder = vault_with(tmp_path, {
        "meditations.md": "---\ntitle: Meditations\nauthor: Marcus Aurelius\n---\n## Quotes\n"
                          "- You have power over your mind, not outside events.\n"
                          "- The happiness of your life depends on the quality of your thoughts.\n",
        "descartes.md": "---\ntitle: Meditations\nauthor: René Descartes\n---\n## Quotes\n"
                        "- I think, therefore I am, said the philosopher.\n"
                        "- You have power over your mind, not outside events.\n",
    })
    built = build([folder], tmp_path / "decks", split=True)
    decks = {note.deck for note in collected(built).notes if note.book == "Meditations"}
    assert decks == {"Books::Meditations (Marcus Aurelius)", "Books::Meditations (René Descartes)"}
    assert sorted(p.name for p in built.packages) == [
        "Good Book.apkg", "Meditations (Marcus Aurelius).apkg", "Meditations (René Descartes).apkg"]
    infos = [p for p in built.problems if p.level == "info"]
    assert len(infos) == 2 and all("by different authors" in p.message for p in infos)
    # the documented limit: GUIDs are keyed by title, so a quote in both is kept once
    [twice] = [p for p in built.problems if "same quote as" in p.message]
    assert twice.level == "warning" and twice.line == 6
    for path in built.packages:
        import_package(collection, path)
    names = {collection.decks.name(card.did) for card in
             (collection.get_card(cid) for cid in collection.find_cards(""))}
    assert names >= decks


def test_the_same_quote_in_two_books_is_two_notes(tmp_path: Path, collection: Any) -> None:
    quote = "- All happy families are alike; each unhappy family is unhappy in its own way.\n"
    folder = vault_with(tmp_path, {
        "karenina.md": "# Anna Karenina\n## Quotes\n" + quote,
        "essays.md": "# Essays on Tolstoy\n## Quotes\n" + quote,
    })
    built = build([folder], tmp_path / "decks")
    same = [note for note in collected(built).notes if "happy families" in note.words]
    assert len(same) == 2 and len({note.guid for note in same}) == 2
    assert not [p for p in built.problems if "same quote" in p.message]
    import_package(collection, tmp_path / "decks" / DEFAULT_PACKAGE)
    assert len(collection.find_notes("happy")) == 2
