"""Hostile text: whatever a note holds, it shows on the card as text and costs linear time.

HTML, cloze syntax, Anki's field separator and NUL bytes are rendered by Anki's own backend
and must read exactly as written; tags and deck names cannot grow levels; and lines built to
make regular expressions backtrack (a 5 MB line, 100,000 asterisks, unbalanced ``==``,
``{{`` and ``**``) finish in well under a second per megabyte wherever they sit in a note.
"""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quote2anki import BuildResult, Vault
from quote2anki.book import read_book
from quote2anki.exports import split_tails
from quote2anki.highlights import clean_quote, rich_text, strip_wrapper
from quote2anki.inline import parse_inline
from quote2anki.output import DEFAULT_PACKAGE
from quote2anki.reader import meta_tags, meta_text, parse_source
from quote2anki.sections import clean_heading, section_kind
from quote2anki.text import drop_footnote_markers, fingerprint, repair, squash_spaces

from anki_import import card_text, element_names, import_package
from conftest import build, collected
from timing import GROWTH, growth, timed

# --- what the card shows ------------------------------------------------------------------------

HOSTILE_QUOTES = {
    "Beware <script>alert(1)</script> in every field, said the page.":
        "Beware <script>alert(1)</script> in every field, said the page.",
    "An image <img src=x onerror=alert(1)> hides in this sentence.":
        "An image <img src=x onerror=alert(1)> hides in this sentence.",
    "A <style>body{display:none}</style> sheet must not hide the card.":
        "A <style>body{display:none}</style> sheet must not hide the card.",
    "A link <a href=javascript:alert(1)>click</a> is only words here.":
        "A link <a href=javascript:alert(1)>click</a> is only words here.",
    "Braces {{ and }} and :: and {{c1:: written as text stay as they are.":
        "Braces {{ and }} and :: and {{c1:: written as text stay as they are.",
    "Template {{Text}} and {{cloze:Text}} and {{FrontSide}} are not fields here.":
        "Template {{Text}} and {{cloze:Text}} and {{FrontSide}} are not fields here.",
    "Code `{{c1::not a gap}}` and an escaped \\{\\{c2::x}} stay text.":
        "Code {{c1::not a gap}} and an escaped {{c2::x}} stay text.",
    "Entities &amp; and &lt;b&gt; and &#123; stay exactly as typed here.":
        "Entities &amp; and &lt;b&gt; and &#123; stay exactly as typed here.",
    "Media [sound:x.mp3] and [[type:Text]] and [latex]x[/latex] do nothing.":  # [[x]]: a link
        "Media [sound:x.mp3] and type:Text and [latex]x[/latex] do nothing.",
    "Field separator a\x1fb and NUL c\x00d must not break the package.":
        "Field separator ab and NUL cd must not break the package.",
}
COMMENT = "<b>not bold</b>, {{ and }} and :: and {{c1:: stay in the reader's note."


def field_counts(package: Path) -> list[int]:
    """How many fields each note of a package has: a stray separator would add one."""
    with zipfile.ZipFile(package) as archive:
        data = archive.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        return [flds.count("\x1f") + 1 for (flds,) in connection.execute("select flds from notes")]
    finally:
        connection.close()


def test_hostile_text_shows_exactly_as_written_on_every_card_in_anki(
    tmp_path: Path, collection: Any
) -> None:
    bullets = "".join(f"- {quote}\n" for quote in HOSTILE_QUOTES)
    note = tmp_path / "hostile.md"
    note.write_text(f"# <i>Hostile</i> & {{{{Book}}}}\n## Quotes\n{bullets}"
                    f"    - Note: {COMMENT}\n", encoding="utf-8")
    built = build([note], tmp_path / "decks")
    package = tmp_path / "decks" / DEFAULT_PACKAGE
    assert field_counts(package) == [4 if note.basic else 3 for note in collected(built).notes]

    import_package(collection, package)
    shown: dict[str, list[str]] = {}
    for card_id in collection.find_cards(""):
        card = collection.get_card(card_id)
        question, answer = card.question(), card.answer()
        # a quote with nothing worth hiding asks for its book: the title is on the back
        which_book = "Which book" in card_text(question, "q2a-source")
        for html in (question, answer):
            # Anki's own <style> with our CSS, then only the template's elements (and <code>
            # for the backticks: markup we write, not markup from the note)
            assert element_names(html)[0] == "style"
            assert set(element_names(html)[1:]) <= {"div", "span", "br", "code"}
            if not which_book:
                assert card_text(html, "q2a-source") == "<i>Hostile</i> & {{Book}}"
        extra = card_text(answer, "q2a-extra")
        if which_book:
            title, _, extra = extra.partition("\n")
            assert title == "<i>Hostile</i> & {{Book}}"
        else:
            assert card_text(question) != card_text(answer)  # the front hides something
        shown.setdefault(card_text(answer), []).append(extra)
    for written, expected in HOSTILE_QUOTES.items():
        assert expected in shown, f"{written!r} did not show as {expected!r}"
    assert shown[list(HOSTILE_QUOTES.values())[-1]] == [COMMENT] * len(
        shown[list(HOSTILE_QUOTES.values())[-1]])


def test_the_readers_own_cloze_still_works_beside_text_that_looks_like_one(
    tmp_path: Path, collection: Any
) -> None:
    note = tmp_path / "paris.md"
    note.write_text("# Geography\n## Quotes\n"
                    "- {{c1::Paris::city}} is the capital, not `{{c2::Lyon}}` or {{c3::.\n",
                    encoding="utf-8")
    build([note], tmp_path / "decks")
    import_package(collection, tmp_path / "decks" / DEFAULT_PACKAGE)
    [card_id] = collection.find_cards("")
    card = collection.get_card(card_id)
    assert card_text(card.question()) == "[city] is the capital, not {{c2::Lyon}} or {{c3::."
    assert card_text(card.answer()) == "Paris is the capital, not {{c2::Lyon}} or {{c3::."


def test_tags_and_deck_names_cannot_add_levels_or_spaces(tmp_path: Path, collection: Any) -> None:
    note = tmp_path / "tags.md"
    note.write_text('---\ntitle: "Hostile::Deck  Name::"\n'
                    'tags: ["a::b", "with space", "x/y", "#z", "::", " ", "t\\x1fu"]\n---\n'
                    "## Quotes\n- A quote to carry the ==tags== and the deck.\n"
                    "    - Tags: [[tab\tand space]] #c::d\n", encoding="utf-8")
    build([note], tmp_path / "decks", deck_prefix="Reading::Books")
    import_package(collection, tmp_path / "decks" / DEFAULT_PACKAGE)
    [note_id] = collection.find_notes("")
    tags = collection.get_note(note_id).tags
    assert sorted(tags) == sorted(["a_b", "with_space", "x::y", "z", "tu", "tab_and_space",
                                   "c_d", "quote2anki"])
    decks = {name.name for name in collection.decks.all_names_and_ids()}
    [leaf] = [name for name in decks if "Hostile" in name]
    assert leaf.startswith("Reading::Books::Hostile: Deck Name")
    assert leaf.count("::") == 2 and "  " not in leaf


# --- time ---------------------------------------------------------------------------------------

MB = 1_000_000
HOSTILE_LINES = {  # the five, each with 100,000 or more of its marker, and two more
    "5 MB line of words": "word " * MB,
    "100,000 asterisks": "*" * 100_000,
    "unbalanced ==": "a == b " * 100_000,
    "unbalanced {{": "{{c1::a " * 100_000,
    "unbalanced **": "**a " * 100_000,
    "unbalanced [[ and (": "[[a|b [c]( " * 30_000,
    "repeated export tails": "([Location 1](https://x.io/a)) ^id " * 10_000,
    "unclosed formulas and code": "$a \\(b \\[c $$d `e " * 30_000,
    "bare URLs and images": "https://x.io/a_b ![[a.png|b ![x](y " * 15_000,
}
PLACES = {
    "bullet in a quotes section": "# Book\n## Quotes\n- {line}\n- A real quote with some words.\n",
    "paragraph and Kindle note": "# Book\n## Highlights\n{line} — location: [1](kindle://x)\n\n"
                                 "{line}\n\n---\nA real quote with some words.\n",
    "blockquote": "---\ntags: books\n---\n# Book\n> {line}\n\n> A real quote with some words.\n",
    "glossary line": "# Book\n## Glossary\n- {line}\n## Quotes\n- A real quote with words.\n",
    "heading": "# {line}\n## Quotes\n- A real quote with some words.\n",
    "frontmatter": "---\ntitle: '{line}'\ntags: '{line}'\n---\n## Quotes\n- A real quote here.\n",
    "Readwise note and tags": "## Highlights\n- A real quote with some words.\n"
                              "    - Note: {line}\n    - Tags: {line}\n",
    "metadata and property": "tags:: {line}\n\n# Book\n## Metadata\n- Author: {line}\n"
                             "## Quotes\n- A real quote with some words.\n",
}


@pytest.fixture(autouse=True, scope="module")
def _warm_linguistic_layer() -> None:
    """The tagger's lexicon loads once per process (about 0.3 s): a start-up cost, not one
    that grows with the input, so it is paid before anything is timed."""
    from quote2anki.definitions import find_definitions

    find_definitions("A ledger is a record of every transfer, which is called a log.")


@pytest.mark.slow
@pytest.mark.parametrize("line_name", sorted(HOSTILE_LINES))
def test_hostile_lines_anywhere_in_a_note_build_in_linear_time(line_name: str, tmp_path: Path
                                                               ) -> None:
    """Each hostile line in every place a note can hold it, through the whole build."""
    line = HOSTILE_LINES[line_name]
    places = PLACES if len(line) <= MB else {k: PLACES[k] for k in (
        "bullet in a quotes section", "heading", "frontmatter")}
    note = tmp_path / "hostile.md"
    for place, template in places.items():

        def build_with(text: str, template: str = template) -> BuildResult:
            note.write_text(template.replace("{line}", text), encoding="utf-8")
            return build([note], tmp_path / "decks")

        ratio = growth(build_with, line)
        assert ratio < GROWTH, f"{line_name} as {place}: 4x the line, {ratio:.1f}x the time"
        built = build_with(line)
        assert built.collected is not None
        assert collected(built).notes, f"{line_name} as {place}: the real quote was lost"
        if "quote" in place and len(line) > 10_000 and line.strip("*"):
            assert any("too long for a card" in p.message for p in built.problems)


PURE_STEPS: dict[str, Callable[[str], object]] = {
    "repair": repair,
    "squash_spaces": squash_spaces,
    "split_tails": split_tails,
    "strip_wrapper": strip_wrapper,
    "drop_footnote_markers": drop_footnote_markers,
    "parse_inline": parse_inline,
    "clean_quote": clean_quote,
    "rich_text": rich_text,
    "fingerprint": fingerprint,
    "clean_heading": clean_heading,
    "section_kind": section_kind,
    "meta_text": meta_text,
    "meta_tags": meta_tags,
}


@pytest.mark.slow
@pytest.mark.parametrize("step", sorted(PURE_STEPS))
def test_every_text_step_is_linear_even_beyond_the_highlight_limit(step: str) -> None:
    """The limit on highlight length is not what keeps us fast: each step is linear itself."""
    for name, line in HOSTILE_LINES.items():
        text = " é “x” " + line[: MB // 2]  # non-ASCII too, so repair runs ftfy
        ratio = growth(PURE_STEPS[step], text)
        assert ratio < GROWTH, f"{step} on {name}: 4x the text, {ratio:.1f}x the time"


@pytest.mark.slow
def test_a_file_of_many_hostile_quotes_is_read_in_linear_time(tmp_path: Path) -> None:
    """Quotes short enough to become cards, each full of unbalanced marks, 1 MB in all."""
    units = ["a == b ", "{{c1::a ", "**a ", "*a ", "[[a ", "`a ", "~~a ", "_a "]

    def note(count: int) -> bytes:
        bullets = "".join(f"- {i} {(units[i % len(units)] * 400)[:2000]}\n"
                          for i in range(count))
        return f"# Book\n## Quotes\n{bullets}".encode()

    def read(count: int) -> float:
        data = note(count)
        return timed(lambda: read_book(parse_source("x.md", data)))

    ratio = read(500) / max(read(125), 0.02)
    assert ratio < GROWTH, f"4x the quotes, {ratio:.1f}x the time"
    assert len(read_book(parse_source("x.md", note(500))).quotes) == 500


def test_a_hostile_note_beside_good_ones_leaves_the_good_ones_whole(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "hostile.md").write_text("# Hostile\n## Quotes\n- Stars " + "*" * 100_000 + "\n")
    (folder / "good.md").write_text("# Good\n## Quotes\n- A perfectly fine quote here.\n")
    collected = Vault([folder])
    assert [note.words for note in collected.notes()] == ["A perfectly fine quote here."]
    assert sorted(str(p) for p in collected.problems) == [
        f"{folder / 'hostile.md'}:1: warning: no quotes or definitions found: quotes are read "
        "from bullets under a heading such as 'Quotes' or 'Highlights', and from > blockquotes "
        "anywhere",
        f"{folder / 'hostile.md'}:3: warning: highlight is 100006 characters long, more than "
        "10000: too long for a card; skipped. Keep the passage worth remembering"]
