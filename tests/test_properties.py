"""Property-based tests: random Markdown notes in every shape, checked end to end.

Hypothesis writes notes with random frontmatter (valid, invalid, lists, nested), headings,
bullets with Readwise sub-bullets, paragraphs, callouts, Kindle and Readwise tails, glossary
and property lines, reader's markup, HTML, cloze syntax, emoji, CJK, control characters, odd
encodings and line endings. Whatever it writes:

- reading and carding never raise, and every problem names the file and a real line;
- every quote is clean text, and every note's Text field says exactly that text, escaped;
- the package imports into Anki's own backend, every card renders, and the card shows the
  quote's words (the slower test, with fewer examples).
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quote2anki import notes_for
from quote2anki.book import read_book
from quote2anki.extract import extract
from quote2anki.limits import long_enough
from quote2anki.model import Note
from quote2anki.output import DEFAULT_PACKAGE
from quote2anki.reader import parse_source

from anki_import import card_text, element_names, import_package
from conftest import build, collected

pytestmark = pytest.mark.slow  # hundreds of random notes, imported into Anki: seconds

# --- what a note is made of ---------------------------------------------------------------------

WORDS = ["data", "model", "Covariate", "shift", "the", "of", "is", "85%", "$86.61", "2x",
         "2019", "e.g.", "P(Y|X)", "café", "naïve", "東京", "ｆｕｌｌ", "🚀", "suÿcient",
         "‚Äú", "it’s", "“quoted”", "—", "-", "a", "I", "Stateful", "training", "refers",
         "to", "called", "known", "as", "Lyft", "#tag", "[[Link]]", "[[Target|alias]]",
         "[text](https://x.io/a_(b))", "`code`", "\\*", "&amp;", "&lt;", "<b>", "</b>",
         "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{", "}}", "::",
         "{{c1::", "{{c2::gap::hint}}", "{{c1::x}}", "[sound:a.mp3]", "^ref-12", "5.",
         "data.2", "Note:", "Tags:", "x::y", "\u00a0", "\u200b", "\ufeff", "\x00", "\x1f",
         "\x07", "\t", "*", "**", "==", "_", "__", "~~", "[", "]", "(", ")", "|", ">"]

word = st.one_of(
    st.sampled_from(WORDS),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1,
            max_size=8),
)


@st.composite
def phrase(draw: Any, min_words: int = 1, max_words: int = 14) -> str:
    """Words with markup wrapped around some of them, the way readers mark a highlight."""
    parts = draw(st.lists(word, min_size=min_words, max_size=max_words))
    for index in draw(st.lists(st.integers(0, max(len(parts) - 1, 0)), max_size=3)):
        if parts:
            mark = draw(st.sampled_from(["*", "**", "==", "_", "`", "~~", "{{c1::"]))
            close = "}}" if mark == "{{c1::" else mark
            parts[index] = f"{mark}{parts[index]}{close}"
    return " ".join(parts)


TAILS = ["", "", "", " ([Location 1520](https://readwise.io/to_kindle?location=1520))",
         " (Location 98)", " (Page 30)", " ([View Highlight](https://read.readwise.io/read/01h))",
         " — location: [612](kindle://book?action=open&asin=B0&location=612) ^ref-612",
         " ^block-id", " ([View Highlight](https://read.readwise.io/r)) #Highlight #[[2023]]"]
HEADINGS = ["My Top  Quotes", "✍️ Highlights", "Key Definitions", "Glossary", "Impressions",
            "🚀 The Book in 3 Sentences", "Metadata", "Chapter 3", "Notes", "Note", "Highlight",
            "New highlights added March 3, 2024", "Summary", "Passages"]


@st.composite
def block(draw: Any) -> str:
    """One Markdown block as exports and hand-written notes hold them."""
    kind = draw(st.sampled_from([
        "heading", "heading", "bullet", "bullet", "bullet", "paragraph", "blockquote",
        "callout", "rule", "glossary", "property", "blank", "fence", "nested"]))
    text = draw(phrase())
    tail = draw(st.sampled_from(TAILS))
    if kind == "heading":
        title = draw(st.one_of(st.sampled_from(HEADINGS), phrase(max_words=4)))
        return f"{'#' * draw(st.integers(1, 6))} {title}\n"
    if kind == "bullet":
        wrap = draw(st.sampled_from(["", "*", "_", "“"]))
        close = draw(st.sampled_from(["", wrap, "”"])) if wrap else ""
        lines = [f"{draw(st.sampled_from(['-', '*', '+', '1.']))} {wrap}{text}{close}{tail}"]
        for sub in draw(st.lists(st.sampled_from(["Note", "Tags", "Location", ""]),
                                 max_size=2)):
            lines.append(f"    - {sub + ': ' if sub else ''}{draw(phrase())}")
        return "\n".join(lines) + "\n"
    if kind == "paragraph":
        return f"{text}{tail}\n"
    if kind == "blockquote":
        return f"> {text}{tail}\n> {draw(phrase())}\n"
    if kind == "callout":
        kind_name = draw(st.sampled_from(["quote", "cite", "note", "tip"]))
        return f"> [!{kind_name}]{draw(st.sampled_from(['', '+', '-']))} {draw(phrase())}\n" \
               f"> {text}{tail}\n"
    if kind == "rule":
        return "---\n"
    if kind == "glossary":
        term = draw(st.sampled_from(["**Term**:", "Term —", "Term::", "Term:", "**Term:**"]))
        return f"- {term} {text}\n"
    if kind == "property":
        return f"{draw(st.sampled_from(['author', 'title', 'tags', 'id']))}:: {text}\n"
    if kind == "fence":
        return f"```\n{text}\n" + str(draw(st.sampled_from(["```\n", ""])))
    if kind == "nested":
        return f"- {text}\n  - {draw(phrase())}{tail}\n    - {draw(phrase())}{tail}\n"
    return str(draw(st.sampled_from(["\n", " \n", "\t\n"])))


yaml_scalar = st.one_of(phrase(max_words=4), st.integers(), st.booleans(), st.none(),
                        st.sampled_from(['"\\x1f\\0x"', "'[[Link]]'", "2024-01-06T15:04",
                                         ">-\n  folded\n  title", "|\n  block"]))


@st.composite
def frontmatter(draw: Any) -> str:
    kind = draw(st.sampled_from(["none", "none", "mapping", "mapping", "broken", "list",
                                 "kindle", "unclosed"]))
    if kind == "none":
        return ""
    if kind == "broken":
        return f"---\n{draw(phrase())}: [{draw(phrase())}\n\tbad: '{draw(phrase())}\n---\n"
    if kind == "list":
        return f"---\n- {draw(phrase())}\n- {draw(phrase())}\n---\n"
    if kind == "unclosed":
        return f"---\ntitle: {draw(phrase(max_words=3))}\n"
    lines = []
    for key in draw(st.lists(st.sampled_from(["title", "Title", "author", "Author", "tags",
                                              "tags", "Date Finished", "full-title"]),
                             max_size=5)):
        if key == "tags" and draw(st.booleans()):
            items = draw(st.lists(phrase(max_words=2), max_size=4))
            lines.append("tags:\n" + "".join(f"  - {item!r}\n" for item in items))
        else:
            lines.append(f"{key}: {draw(yaml_scalar)}\n")
    if kind == "kindle":
        lines.append(f"kindle-sync:\n  title: >-\n    {draw(phrase(max_words=5))}\n"
                     f"  author: {draw(phrase(max_words=3))}\n")
    return "---\n" + "".join(lines) + "---\n"


@st.composite
def note_bytes(draw: Any) -> bytes:
    """A whole note file: frontmatter, blocks, then an encoding and line endings."""
    text = draw(frontmatter()) + "".join(draw(st.lists(block(), min_size=0, max_size=14)))
    ending = draw(st.sampled_from(["\n", "\n", "\r\n", "\r", "mixed"]))
    if ending == "mixed":
        text = "".join(line + ("\r\n" if i % 2 else "\n")
                       for i, line in enumerate(text.split("\n")))
    elif ending != "\n":
        text = text.replace("\n", ending)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252"]))
    return bytes(text.encode(encoding, errors="replace" if encoding == "cp1252" else "strict"))


# --- properties -------------------------------------------------------------------------------

SCALE = float(os.environ.get("QUOTE2ANKI_HYPOTHESIS_SCALE", "1"))
"""Multiplies the example counts: ``QUOTE2ANKI_HYPOTHESIS_SCALE=20 pytest tests/test_properties.py``
hunts longer than CI does."""

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufeff\u200b]")
GAP = re.compile(r"\{\{c(\d+)::(.*?)(?:::([^{}]*?))?\}\}")


OURS = {"div", "span", "br", "em", "strong", "s", "mark", "a", "code", "pre", "img"}
"""The elements a card may hold: the template's, and those we write for what was printed."""


def shown_text(field: str) -> str:
    """The text a Text field shows once every gap is filled in (tags dropped)."""
    filled = GAP.sub(lambda m: m.group(2), field).replace("<br>", "\n")
    return html.unescape(re.sub(r"<[^>]*>", "", filled))


def printed(note: Note) -> str:
    """The text the card should show: the note's words with the formulas' delimiters and
    the names of images that are not shown (an independent oracle for the renderer)."""
    inserts: list[tuple[int, int, str]] = []
    for span in note.spans:
        opening, closing = {"math": ("\\(", "\\)"), "display": ("\\[ ", " \\]")}.get(
            span.kind, ("", ""))
        if span.kind == "refused":
            opening, closing = ("\\[", "\\]") if span.target == "display" else ("\\(", "\\)")
        if opening:
            inserts += [(span.start, 1, opening), (span.end, 0, closing)]
        elif span.kind == "remote":
            inserts.append((span.start, 2, span.label or "image"))
        elif span.kind in ("local", "missing"):
            inserts.append((span.start, 2, span.label or span.target.rsplit("/", 1)[-1]))
    out, position = [], 0
    for at, _, text in sorted(inserts):
        out += [note.words[position:at], text]
        position = at
    return "".join(out) + note.words[position:]


@settings(max_examples=int(300 * SCALE), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(note_bytes())
# found by Hypothesis: an empty tilde fence (`~~~~data~~~~`) at a quote's end left a space
@example(b"# My Top  Quotes\n> data\n> data\n> [!quote] data\n> ~~~~data~~~~\n")
@example(b"# My Top  Quotes\ndata ([Location 1520](https://readwise.io/to_kindle?location=1520))\n")
def test_any_note_is_read_and_carded_without_error_and_every_quote_is_kept(data: bytes) -> None:
    name = "vault/Some Book.md"
    book = read_book(parse_source(name, data))
    lines = data.count(b"\n") + data.count(b"\r") + 2
    for problem in book.problems:
        assert problem.path == name and problem.level in ("error", "warning", "info")
        assert problem.line is None or 1 <= problem.line <= lines
        assert "\n" not in str(problem)
    assert book.title and "\n" not in book.title and not CONTROL.search(book.title)
    assert not CONTROL.search(book.author + "".join(book.tags))
    for quote in book.quotes:
        assert quote.text == quote.text.strip()
        # long enough for a card, a fragment the reader gave a note or a tag, or a word or two
        # an e-reader exported with its place (a term highlighted to look up)
        assert long_enough(quote.text) or quote.comment or quote.tags or quote.places
        assert not CONTROL.search(quote.text + quote.comment)
        for mark in quote.marks:
            assert 0 <= mark.start < mark.end <= len(quote.text)

    notes = notes_for(extract(book))
    assert len([n for n in notes if n.kind == "quote"]) == len(book.quotes)
    assert len({note.guid for note in notes}) == len(notes)
    for note in notes:
        assert GAP.search(note.text) or note.basic, note.text  # a Basic note: no cloze
        for field in (note.text, note.extra, note.source, " ".join(note.tags), note.deck):
            assert "\x1f" not in field and "\x00" not in field
        outside = GAP.sub("", note.text)
        assert set(element_names(note.text)) <= OURS
        assert "{{" not in outside and "}}" not in outside
        assert all(" " not in tag for tag in note.tags)
        if note.kind == "quote":
            assert shown_text(note.text) == printed(note)


@settings(max_examples=int(40 * SCALE), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(note_bytes(), min_size=1, max_size=3))
def test_any_notes_build_a_package_that_anki_imports_and_every_card_shows_its_quote(
    files: list[bytes],
) -> None:
    from anki.collection import Collection

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        vault = root / "vault"
        vault.mkdir()
        for index, data in enumerate(files):
            (vault / f"note {index}.md").write_bytes(data)
        built = build([vault], root / "decks")
        notes = collected(built).notes
        if not notes:
            assert not (root / "decks" / DEFAULT_PACKAGE).exists()
            return
        col = Collection(str(root / "collection.anki2"))
        try:
            log = import_package(col, root / "decks" / DEFAULT_PACKAGE)
            assert len(log.new) == len(notes)
            by_guid = {note.guid: note for note in notes}
            for card_id in col.find_cards(""):
                card = col.get_card(card_id)
                ours = by_guid[card.note().guid]
                question, answer = card.question(), card.answer()
                for rendered in (question, answer):
                    assert set(element_names(rendered)[1:]) <= OURS
                if ours.kind == "quote":
                    expected = unicodedata.normalize("NFC", printed(ours))
                    assert unicodedata.normalize("NFC", card_text(answer)) == expected
                    if not ours.basic:
                        assert card_text(question) != card_text(answer)  # a gap is hidden
                back = ours.fields[1]  # Back Extra, or a Basic note's Back
                comment = card_text(f'<div class="q2a-extra">{back}</div>', "q2a-extra")
                assert card_text(answer, "q2a-extra") == unicodedata.normalize("NFC", comment)
        finally:
            col.close()
