"""A vault is more than book notes: which notes are read, what they are called, what is said.

Issue 12, items 1, 4, 7 and 8: the book-note test and the path filters, titles and authors as
the book has them, headings read by whole words, and problems grouped for people to read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quote2anki.book import read_book
from quote2anki.diagnostics import for_screen, group_problems
from quote2anki.model import Book, Problem
from quote2anki.notekind import Selection, path_selected
from quote2anki.reader import find_notes, parse_source
from quote2anki.sections import heading_kind, section_kind


def book_of(text: str, name: str = "note.md", **options: object) -> Book:
    return read_book(parse_source(name, text.encode("utf-8")), **options)  # type: ignore[arg-type]


DAILY = "# Monday\n\nCalled the plumber.\n\n> Measure twice, cut once, then measure again.\n"
BOOK = "# A Book\n## Highlights\n- A highlight long enough to make a card.\n"


# --- 1. which notes are book notes --------------------------------------------------------------

def test_a_note_with_only_a_blockquote_is_not_a_book_note() -> None:
    book = book_of(DAILY, "Daily/2024-05-06.md")
    assert book.kind == "other" and book.quotes == ()
    assert "quote2anki: true" in book.why  # says how to have it read


@pytest.mark.parametrize(("text", "name", "why"), [
    ("---\nquote2anki: true\n---\n" + DAILY, "Daily/x.md", "quote2anki: true"),
    ("---\ntags: [books/fiction]\n---\n" + DAILY, "x.md", "tagged #books/fiction"),
    ("---\ntype: book\n---\n" + DAILY, "x.md", "type: book"),
    ("---\nauthor: Someone\n---\n" + DAILY, "x.md", "names an author"),
    (DAILY, "vault/📚 Books/x.md", "'Books' folder"),
    (DAILY.replace("again.", "again. ([Location 4](https://readwise.io/x))"), "x.md",
     "located highlights"),
    ("## Metadata\n- Full Title: A Book\n- Category: #books\n" + DAILY, "x.md", "metadata"),
])
def test_what_makes_a_book_note(text: str, name: str, why: str) -> None:
    book = book_of(text, name)
    assert book.kind == "book", book.why
    assert why in book.why
    assert book.quotes


def test_the_frontmatter_flag_and_templates_say_no() -> None:
    assert book_of("---\nquote2anki: false\n---\n" + BOOK).kind == "other"
    template = "# {{title}}\n## Highlights\n{{highlights}}\n- A highlight long enough to card.\n"
    assert book_of(template).why == "a template"
    assert book_of(BOOK, "Templates/Book note.md").kind == "other"
    assert book_of("# <% tp.file.title %>\n## Highlights\n- A highlight to make a card.\n"
                   ).kind == "other"


def test_tag_selection_replaces_the_shape_rules() -> None:
    wanted = Selection(tags=("#Reading",))
    assert book_of("---\ntags: [reading/2024]\n---\n" + DAILY, selection=wanted).kind == "book"
    assert book_of(BOOK, selection=wanted).kind == "other"
    assert book_of("---\ntags: [reading, ]\nquote2anki: false\n---\n" + BOOK,
                   selection=wanted).kind == "other"
    assert book_of(DAILY, selection=Selection(all_notes=True)).quotes


def test_the_books_folder_rule_looks_below_the_vault_only() -> None:
    assert book_of(DAILY, "/home/me/Books/vault/Daily/x.md",
                   relative="vault/Daily/x.md").kind == "other"
    assert book_of(DAILY, "/home/me/vault/Reading/x.md",
                   relative="vault/Reading/x.md").kind == "book"


def test_include_and_exclude_globs_relative_to_the_vault(tmp_path: Path) -> None:
    for name in ("Books/Dune.md", "Books/Drafts/Dune draft.md", "Daily/2024-05-06.md",
                 "Books/map.excalidraw.md", "Inbox.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(BOOK, encoding="utf-8")

    def found(include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> list[str]:
        files, _ = find_notes([tmp_path], include, exclude)
        return sorted(file.relative_to(tmp_path).as_posix() for file in files)

    assert found(exclude=("daily", "*.excalidraw.md", "drafts/")) == ["Books/Dune.md",
                                                                       "Inbox.md"]
    assert found(include=("Books/**",), exclude=("**/drafts/**",)) == [
        "Books/Dune.md", "Books/map.excalidraw.md"]
    assert found(include=("books/*.md",)) == ["Books/Dune.md", "Books/map.excalidraw.md"]
    assert path_selected("Books/Dune.md", include=["inbox.md"]) is False


# --- 4. headings by whole words, inherited ------------------------------------------------------

@pytest.mark.parametrize(("heading", "parent", "kind"), [
    ("Chapter 4: Transactions", "quotes", "quotes"),
    ("Questions of Scale", "quotes", "quotes"),
    ("Related Work", "quotes", "quotes"),
    ("Chapter 2. Key Concepts", "quotes", "quotes"),
    ("Key Concepts", "quotes", "glossary"),
    ("My Notes", "quotes", "note"),
    ("Summary", "quotes", "own"),
    ("Key Concepts", "none", "glossary"),
    ("Chapter 3: Terms of Trade", "none", "none"),
    ("Transactions", "none", "none"),
    ("Reactions", "none", "none"),
    ("My Favourite Quotes", "own", "quotes"),
    ("Full Document", "none", "document"),
    ("Qoutes", "none", "quotes"),
])
def test_what_a_heading_announces(heading: str, parent: str, kind: str) -> None:
    assert heading_kind(heading, parent) == kind  # type: ignore[arg-type]


def test_a_book_titled_with_a_section_word_is_not_that_section() -> None:
    note = "# Key Concepts of Ecology\n\n- Predators keep grazers moving, and the grass grows.\n"
    book = book_of(note, "Key Concepts of Ecology.md")
    assert book.title == "Key Concepts of Ecology"
    assert book.definitions == () and not any("glossary" in p.message for p in book.problems)
    assert section_kind("Key Concepts of Ecology") == "glossary"  # as a section, it would be


# --- 7. metadata ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "name", "title"), [
    ("# Citations\n- A line the reader kept from the book.\n", "The Long Walk.md", "The Long Walk"),
    ("# Synopsis\nAbout habits.\n# Quotes\n- A line the reader kept from it.\n",
     "The Long Walk.md", "The Long Walk"),
    ("### 1. Start small\n- A point.\n# [The Cheat Sheet](https://x.org)\n- more\n",
     "The Long Walk.md", "The Long Walk"),
    ("# The Long Walk\n## Highlights\n- A line the reader kept from the book.\n", "x.md",
     "The Long Walk"),
    ("# Notes\n", "02_⭐The Long Walk.md", "The Long Walk"),
])
def test_a_books_notes_are_titled_by_the_book_not_by_their_headings(text: str, name: str,
                                                                   title: str) -> None:
    assert book_of(text, name).title == title


def test_long_subtitles_are_kept_apart() -> None:
    book = book_of("# The Slow Hunch: How Ideas Arrive When You Stop Chasing Them\n" + BOOK)
    assert (book.title, book.subtitle) == ("The Slow Hunch",
                                           "How Ideas Arrive When You Stop Chasing Them")
    assert book.full_title == "The Slow Hunch: How Ideas Arrive When You Stop Chasing Them"
    assert book_of("# Dune: Part Two\n" + BOOK).title == "Dune: Part Two"


@pytest.mark.parametrize(("text", "author"), [
    ("---\nAuthor: Pat Reader <pat@example.com>\n---\n## Metadata\n- Author: [[Lena Okafor]]\n",
     "Lena Okafor"),
    ("---\nAuthor: Pat Reader <pat@example.com>\n---\n", ""),
    ("author:: [[Robert Vance]]\\\n\n", "Robert Vance"),
    ("author:: [[None]]\\\n\n", ""),
    ("## Metadata\n- Author: [[hello=news.example.org@mg.example.org]]\n## Full Document\n"
     "by [Jo Marsh](x)\n", "Jo Marsh"),
    ("---\nauthor: Frontmatter Name\n---\n## Metadata\n- Author: [[Export Name]]\n",
     "Export Name"),
])
def test_the_books_author_never_the_note_taker(text: str, author: str) -> None:
    assert book_of(text + BOOK.replace("# A Book\n", "")).author == author


def test_readwise_categories_are_recorded() -> None:
    for category, expected in (("#articles", "articles"), ("#podcasts", "podcasts"),
                               ("#books", "books"), ("[[Tweets]]", "tweets")):
        book = book_of(f"## Metadata\n- Category: {category}\n" + BOOK.replace("# A Book\n", ""))
        assert book.category == expected


# --- 8. problems people read ---------------------------------------------------------------------

def test_duplicates_from_two_versions_of_a_note_are_one_line_with_a_count() -> None:
    problems = [Problem("v2.md", n, "warning", f"same quote as v1.md:{n - 3}; kept once")
                for n in range(10, 40)]
    problems.append(Problem("v2.md", 50, "warning", "highlight 'ok' is too short for a useful "
                                                   "card; skipped"))
    grouped = group_problems(problems)
    assert [str(p) for p in grouped] == [
        "v2.md:10: warning: same quote as v1.md; kept once (30 times: lines 10, 11, 12 and 27 "
        "more)",
        "v2.md:50: warning: highlight 'ok' is too short for a useful card; skipped"]
    shown, hidden = for_screen(problems, limit=1)
    assert "too short" in shown[0].message and hidden == 1  # what lost text comes first


def test_every_dropped_highlight_says_so() -> None:
    book = book_of("# A Book\n## Highlights\n- Two words\n- Note: before anything\n"
                   "### Reflections\n- My own words, not a highlight at all.\n")
    messages = [p.message for p in book.problems]
    assert any("too short" in m for m in messages)
    assert any("'Reflections'" in m and "no cards" in m for m in messages)


def test_highlights_pasted_with_an_indent_are_not_code() -> None:
    note = ("# A Book\n## Highlights\n\n    The first highlight was pasted with four spaces,\n"
            "    and it runs over two lines.\n\n    A second one, also indented, stays apart.\n\n"
            "```\nprint('a code block')\n```\n")
    book = book_of(note)
    assert [(q.line, q.text) for q in book.quotes] == [
        (4, "The first highlight was pasted with four spaces, and it runs over two lines."),
        (7, "A second one, also indented, stays apart.")]
    assert any(p.line == 9 and "code block" in p.message for p in book.problems)


@pytest.mark.parametrize(("text", "name", "title", "author"), [
    ("**Author:** Nell Harrow  \n**Full title:** The Quiet Orchard  \n**Source:** #books\n\n"
     + BOOK.replace("# A Book\n", ""), "x.md", "The Quiet Orchard", "Nell Harrow"),
    ("# Rust Notes\nAuthor: [[@Mira Kestrel]]\nLink: https://example.org\n\nMy words.\n",
     "x.md", "Rust Notes", "Mira Kestrel"),
    ("> [!info] Book\n> 书名: 慢慢读书\n> 作者: 林小雨\n\n" + BOOK.replace("# A Book\n", ""),
     "x.md", "慢慢读书", "林小雨"),
    ("## Metadata\n- Author: [[Blinkist]]\n- Full Title: Money, Briefly\n"
     + BOOK.replace("# A Book\n", ""), "x.md", "Money, Briefly", ""),
    ("## Highlights\n- A highlight long enough to make a card.\n", "the-quiet-orchard.md",
     "The Quiet Orchard", ""),
])
def test_metadata_written_as_lines_callouts_and_file_names(text: str, name: str, title: str,
                                                           author: str) -> None:
    book = book_of(text, name)
    assert (book.title, book.author) == (title, author)


def test_key_lines_are_metadata_only_at_the_top() -> None:
    note = "# A Book\n## Highlights\n- Author: is a word the book uses in this highlight.\n"
    assert book_of(note).author == ""
    note = "# A Book\nNote: a thought of mine at the top\n\n## Highlights\n- A quote of the book.\n"
    assert book_of(note).author == "" and [q.text for q in book_of(note).quotes] == [
        "A quote of the book."]


def test_a_tagged_highlight_with_the_readers_answer_below_stays_the_highlight() -> None:
    note = ("# A Book\n## Highlights\n"
            "- Water the roots, not the leaves, early in the day. #flashcard #blue\n"
            "  - Because wet leaves in the evening invite mildew.\n"
            "- Why stake tomatoes early? #flashcard\n"
            "  Staking before it sprawls keeps the fruit off the ground.\n")
    book = book_of(note)
    assert [(q.text, q.tags) for q in book.quotes] == [
        ("Water the roots, not the leaves, early in the day.", ("flashcard", "blue")),
        ("Staking before it sprawls keeps the fruit off the ground.", ("flashcard",))]
    assert [(c.front, c.back) for c in book.flashcards] == [
        ("Water the roots, not the leaves, early in the day.",
         "Because wet leaves in the evening invite mildew."),
        ("Why stake tomatoes early?", "Staking before it sprawls keeps the fruit off the ground.")]


# --- a file asked for by name, an author in the note, folders in other languages ----------------

HANDMADE = ("# The Quiet Harbor\n\nI read this over the summer.\n\n## Notes\n\n"
            "> A tide table is a forecast of sea level computed from a port's constituents.\n")


def test_a_note_given_by_name_is_read_as_a_book_note() -> None:
    # the same note found inside a folder is not a book note; asked for by name it is
    assert book_of(DAILY, "Daily/x.md", relative="vault/Daily/x.md").kind == "other"
    named = book_of(DAILY, "Daily/x.md", named=True)
    assert named.kind == "book" and named.why == "given by name" and named.quotes


def test_a_note_that_names_its_author_in_the_text_is_a_book_note() -> None:
    assert book_of(HANDMADE, "x.md", relative="vault/x.md").kind == "other"
    book = book_of(HANDMADE.replace("\n\nI read", "\n\nAuthor: Jane Example\n\nI read"),
                   "x.md", relative="vault/x.md")
    assert book.kind == "book" and "names an author" in book.why
    assert book.author == "Jane Example"


@pytest.mark.parametrize("folder", ["Libros", "Livros", "Bücher", "读书笔记", "読書メモ"])
def test_books_folders_in_other_languages(folder: str) -> None:
    assert book_of(DAILY, f"vault/{folder}/x.md", relative=f"vault/{folder}/x.md").kind == "book"


def test_the_cli_reads_a_file_it_is_given_but_filters_a_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from quote2anki.cli import main
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "Harbor.md").write_text(HANDMADE, encoding="utf-8")
    runner = CliRunner()
    folder = runner.invoke(main, ["cards", str(vault), "--json"])
    assert folder.exit_code == 0 and folder.stdout.strip() == ""
    named = runner.invoke(main, ["cards", str(vault / "Harbor.md"), "--json"])
    assert named.exit_code == 0, named.output
    assert "tide table" in named.stdout


def test_page_cited_bullets_of_a_hand_made_note_are_its_highlights() -> None:
    text = ("# The Quiet Harbor\n\nAuthor: Jane Example\n\n## Notes\n\n"
            "- p. 12: A tide table is a forecast of sea level computed for one port.\n"
            "- (p. 40) The keel resists the sideways push of the wind on the sail.\n"
            "- Most harbours silt up within a century unless dredged (p. 53)\n"
            "- p. 63: formal languages\n"
            "- I found the chapter on storms too long.\n")
    book = book_of(text, "x.md", relative="vault/x.md")
    assert [quote.text.split()[:2] for quote in book.quotes] == [
        ["A", "tide"], ["The", "keel"], ["Most", "harbours"]]
    assert [place.label for quote in book.quotes for place in quote.places] == [
        "Page 12", "Page 40", "Page 53"]
    # under a summary the same bullets are the reader's own words
    summary = book_of(text.replace("## Notes", "## Summary"), "x.md", relative="vault/x.md")
    assert summary.quotes == ()
