"""Cards show what the book printed and lead back to it: formulas, code, images, emphasis and
links, checked in Anki's own backend (the card's question and answer, the collection's media
folder) and in the package itself."""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from quote2anki import BuildOptions, Vault, notes_for, read_book
from quote2anki.fields import render
from quote2anki.gaps import choose
from quote2anki.inline import parse_rich
from quote2anki.language import analyse
from quote2anki.mathjax import refused_command
from quote2anki.model import Note
from quote2anki.output import DEFAULT_PACKAGE

from anki_import import card_text, import_package
from conftest import build, collected, compared, lasting
from printed import HOSTILE, PLOT, cards, make_vault, png


def one_note(markdown: str) -> Note:
    [note] = notes_for(read_book(f"# A Book of Tests\n## Quotes\n- {markdown}\n"))
    return note


# --- one note with all four, in Anki --------------------------------------------------------


def test_formula_code_image_and_links_render_in_ankis_backend(tmp_path: Path,
                                                               collection: Any) -> None:
    vault = make_vault(tmp_path)
    built = build([vault], tmp_path / "decks")
    assert not lasting(built)
    import_package(collection, tmp_path / "decks" / DEFAULT_PACKAGE)
    shown = cards(collection)
    answers = "\n".join(answer for _, answer in shown)

    # the formula reaches MathJax as Anki's delimiter, on the front and the back
    formula = next(pair for pair in shown if "trapezoid" in pair[0])
    assert r"\(O(h^2)\)" in formula[0] and r"\(O(h^2)\)" in formula[1]
    assert "Richardson extrapolation" not in card_text(formula[0])
    # the code block keeps its lines and its characters, and nothing in it is a gap
    assert '<pre><code class="language-python">total = 0\nfor i in range(n):\n' in answers
    code = next(pair for pair in shown if "range(n)" in pair[0])
    assert "&amp;amp; stays &#123;&#123;c1::as typed&#125;&#125;" in code[1]
    assert "[...]" in card_text(code[0]) and "dot product" not in card_text(code[0])
    assert "<code>for i in range(n)</code>" in code[0]
    # the image, by its content's name, on the card and in the collection's media folder
    name = f"quote2anki-{hashlib.sha256(PLOT).hexdigest()[:16]}.png"
    assert f'<img src="{name}" alt="" width="240">' in answers
    assert (Path(collection.media.dir()) / name).read_bytes() == PLOT
    # links: the reader's note keeps its links, clickable; the Source leads back to the note
    # in Obsidian and to the highlight's place in the book
    assert '<a href="https&#58;//dlmf.nist.gov">NIST handbook</a>' in formula[1]
    assert ('href="obsidian&#58;//open?vault=Reading%20Vault&amp;file=Romberg%20integration"'
            in formula[1])
    assert "<em>the</em>" in formula[1]
    source = ('<a class=title href="obsidian&#58;//open?vault=Reading%20Vault&amp;'
              'file=Books%2FNumerical%20Methods.md">Numerical Methods for the Curious</a>')
    assert source in formula[0]
    assert ('<a class=place href="https&#58;//readwise.io/to_kindle?action=open&amp;'
            'asin=B0TESTBOOK&amp;location=1520">Location 1520</a>') in formula[0]
    kindle = next(pair for pair in shown if "Kindle keeps" in pair[0])
    assert ('<a class=place href="kindle&#58;//book?action=open&amp;asin=B0TESTBOOK&amp;'
            'location=612">Location 612</a>') in kindle[0]


def test_the_obsidian_link_can_be_switched_off_and_needs_a_vault(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    off = Vault([vault], BuildOptions(obsidian_links=False)).notes()
    assert not any("obsidian://" in note.source + note.extra or "obsidian&#58;" in
                   note.source + note.extra for note in off)
    assert "Romberg integration" in off[0].extra  # the wikilink's text stays
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "Book.md").write_text("# Plain\n## Quotes\n- A note outside any vault links "
                                   "nowhere, see [[Another Note]].\n", encoding="utf-8")
    [note] = Vault([plain]).notes()
    assert "obsidian" not in note.source + note.text
    assert note.source == "<span class=title>Plain</span>"


# --- formulas -------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "formula"), [
    ("the rule $E = mc^2$ holds", r"\(E = mc^2\)"),
    (r"the sum $$\sum_i x_i$$ holds", r"\[ \sum_i x_i \]"),
    (r"the rule \(a + b\) holds", r"\(a + b\)"),
    (r"the sum \[\int f\] holds", r"\[ \int f \]"),
])
def test_every_delimiter_becomes_ankis(written: str, formula: str) -> None:
    note = one_note(f"In this book {written} for every reader who checks it.")
    assert formula in note.text


@pytest.mark.parametrize("money", [
    "The book cost $86.61 in the shop, more than the ebook did.",
    "Tickets were $5 and $10 for members of the club last year.",
    "Budgets ran from $20-$30 per head, or $5/$10 a day for snacks.",
])
def test_money_stays_text(money: str) -> None:
    note = one_note(money)
    assert r"\(" not in note.text and not note.spans
    assert note.words == money


def test_a_formula_is_never_cut_or_hidden_unless_the_reader_marks_it() -> None:
    # the rare words sit inside formulas; the gaps go elsewhere, never into a formula
    for quote in [
        r"The Kullback divergence $D_{\mathrm{KL}}(P \| Q) = \sum P \log(P/Q)$ is asymmetric.",
        r"Bayes wrote $P(\mathrm{hypothesis} \mid \mathrm{evidence})$ in his famous essay.",
        r"Softmax \(\sigma(z)_i = e^{z_i} / \sum_j e^{z_j}\) normalises logits into probabilities.",
    ]:
        note = one_note(quote)
        formulas = [(s.start, s.end) for s in note.spans if s.kind == "math"]
        assert formulas
        for gap in note.gaps:
            assert all(gap.end <= start or end <= gap.start for start, end in formulas), quote
    marked = one_note("Einstein's ==$E = mc^2$== ties mass to energy for every physicist.")
    [gap] = marked.gaps
    assert marked.words[gap.start:gap.end] == "E = mc^2"
    assert r"{{c1::\(E = mc^2\)}}" in marked.text


def test_the_gap_chooser_keeps_out_of_protected_spans() -> None:
    text = "Covariate shift happens when the input distribution moves."
    protected = ((0, 15),)
    assert all(gap.start >= 15 for gap in choose(analyse(text), protected=protected))




@pytest.mark.parametrize("tex", HOSTILE)
def test_hostile_mathjax_is_refused_and_named(tex: str) -> None:
    book = read_book(f"# Hostile Maths\n## Quotes\n- The formula $${tex}$$ must not run at all.\n",
                     "maths.md")
    [note] = notes_for(book)
    assert r"\[" not in note.text.replace('<code class="q2a-tex">\\[', "")
    assert '<code class="q2a-tex">' in note.text
    [problem] = book.problems
    assert str(problem).startswith("maths.md:3: warning: formula uses \\")


def test_hostile_mathjax_is_inert_in_ankis_backend(tmp_path: Path, collection: Any) -> None:
    note = tmp_path / "hostile.md"
    bullets = "".join(f"- Formula number {n} is \\({tex}\\) and nothing more.\n"
                      for n, tex in enumerate(HOSTILE))
    note.write_text(f"# Hostile Maths\n## Quotes\n{bullets}- Text that says \\\\(x\\\\) in "
                    "words is only words for the reader.\n", encoding="utf-8")
    build([note], tmp_path / "decks")
    import_package(collection, tmp_path / "decks" / DEFAULT_PACKAGE)
    for question, answer in cards(collection):
        for html in (question, answer):
            # outside <code> (which MathJax skips) every formula left to typeset is safe
            outside = re.sub(r"<code[^>]*>.*?</code>", "", html, flags=re.S)
            for formula in re.findall(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", outside, re.S):
                assert refused_command("".join(formula)) is None, html
            assert "<a " not in html.split('<div class="q2a-source">')[0]
    words = [card_text(answer) for _, answer in cards(collection)]
    assert "Text that says \\(x\\) in words is only words for the reader." in words


# --- code -----------------------------------------------------------------------------------


def test_code_is_never_a_gap_nor_unescaped() -> None:
    note = one_note("Call `Vowpal_Wabbit.fit(&amp;x)` before the `covariate_shift` check runs, "
                    "which takes 3 ms.")
    codes = [(s.start, s.end) for s in note.spans if s.kind == "code"]
    assert len(codes) == 2 and note.gaps
    for gap in note.gaps:
        assert all(gap.end <= start or end <= gap.start for start, end in codes)
    assert "<code>Vowpal_Wabbit.fit(&amp;amp;x)</code>" in note.text
    marked = one_note("The entry point is ==`main()`== in every program of this chapter.")
    assert "{{c1::<code>main()</code>}}" in marked.text


def test_a_code_block_in_the_readers_note_keeps_its_lines() -> None:
    book = read_book("# Code Book\n## Quotes\n- A highlight about loops in plain words.\n"
                     "    - Note: try it:\n\n      ```sh\n      for f in *; do\n"
                     "        echo \"$f\"\n      done\n      ```\n")
    [note] = notes_for(book)
    assert note.extra == ('try it: <pre><code class="language-sh">for f in *; do\n'
                          '  echo "$f"\ndone</code></pre>')


# --- emphasis and links ---------------------------------------------------------------------


def test_italic_and_long_bold_render_and_short_bold_is_a_gap() -> None:
    note = one_note("It is *not* magic: **gradient descent follows the slope of the loss "
                    "downhill** until it reaches **a minimum**.")
    assert "<em>not</em>" in note.text
    assert ("<strong>gradient descent follows the slope of the loss downhill</strong>"
            in note.text)
    assert [note.words[g.start:g.end] for g in note.gaps] == ["a minimum"]


def test_links_keep_their_text_and_only_safe_schemes_are_clickable() -> None:
    note = one_note("Read [the paper](https://arxiv.org/abs/1706.03762), not "
                    "[this](javascript:alert(1)) or [that](data:text/html,x), at https://x.org "
                    "for ==everyone==.")
    assert '<a href="https&#58;//arxiv.org/abs/1706.03762">the paper</a>' in note.text
    assert '<a href="https&#58;//x.org">https://x.org</a> for {{c1::everyone}}.' in note.text
    assert "javascript" not in note.text and "data&#58;" not in note.text
    assert note.words == "Read the paper, not this or that, at https://x.org for everyone."
    # a gap inside a link cuts the link in two, so the tags always nest
    cut = one_note("See [the ==original== paper](https://arxiv.org/abs/1706.03762) today.")
    assert cut.text == ('See <a href="https&#58;//arxiv.org/abs/1706.03762">the </a>{{c1::<a '
                        'href="https&#58;//arxiv.org/abs/1706.03762">original</a>}}<a href="'
                        'https&#58;//arxiv.org/abs/1706.03762"> paper</a> today.')


# --- images ---------------------------------------------------------------------------------


def image_vault(root: Path, notes: dict[str, str], images: dict[str, bytes]) -> Path:
    vault = root / "Vault"
    (vault / ".obsidian").mkdir(parents=True, exist_ok=True)
    for name, data in images.items():
        (vault / name).parent.mkdir(parents=True, exist_ok=True)
        (vault / name).write_bytes(data)
    for name, text in notes.items():
        (vault / name).parent.mkdir(parents=True, exist_ok=True)
        (vault / name).write_text(text, encoding="utf-8")
    return vault


def media_of(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as archive:
        names = json.loads(archive.read("media"))
        return {name: archive.read(number) for number, name in names.items()}


RED, BLUE = png(8, 8, (200, 30, 30)), png(8, 8, (30, 30, 200))


def test_each_image_once_per_package_named_by_content_and_bytes_stable(tmp_path: Path) -> None:
    vault = image_vault(tmp_path, {
        "Books/One.md": "# One\n## Quotes\n- The red square shows the first case. ![[red.png]]\n"
                        "- The same red square, drawn again. ![again](../pics/copy.png)\n",
        "Books/Two.md": "# Two\n## Quotes\n- A second book shows the red one ![[red.png|64]] "
                        "and the blue one ![[blue.png]] side by side.\n",
        "Books/Three.md": "# Three\n## Quotes\n- The figure ![[Other Note]] is a note, and "
                          "![remote](https://example.org/chart.png) is never downloaded.\n",
    }, {"Books/red.png": RED, "pics/copy.png": RED, "blue.png": BLUE})
    first = build([vault], tmp_path / "a")
    assert not lasting(first)
    package = tmp_path / "a" / DEFAULT_PACKAGE
    media = media_of(package)
    red = f"quote2anki-{hashlib.sha256(RED).hexdigest()[:16]}.png"
    blue = f"quote2anki-{hashlib.sha256(BLUE).hexdigest()[:16]}.png"
    assert media == {red: RED, blue: BLUE}  # three references to red, one file
    texts = {note.book: note.text for note in collected(first).notes}
    assert f'<img src="{red}" alt="" width="64">' in texts["Two"]
    assert ('<a class="q2a-image-link" href="https&#58;//example.org/chart.png">remote</a>'
            in texts["Three"])
    assert 'alt="again"' in "".join(n.text for n in collected(first).notes if n.book == "One")
    # the same inputs give the same bytes, in another folder and when rebuilt
    build([vault], tmp_path / "b")
    assert (tmp_path / "b" / DEFAULT_PACKAGE).read_bytes() == package.read_bytes()
    again = build([vault], tmp_path / "a")
    assert again.written == () and again.collected is None


def test_a_changed_image_is_noticed_even_when_no_note_changed(tmp_path: Path) -> None:
    vault = image_vault(tmp_path, {"Book.md": "# Book\n## Quotes\n- The chart shows the trend "
                                              "well. ![[chart.png]]\n"}, {"chart.png": RED})
    out = tmp_path / "decks"
    build([vault], out)
    (vault / "chart.png").write_bytes(BLUE)
    os.utime(vault / "chart.png", ns=(1, 2))
    rebuilt = build([vault], out)
    assert rebuilt.collected is not None  # read again: the manifest saw the image change
    assert list(media_of(out / DEFAULT_PACKAGE).values()) == [BLUE]
    assert dict(rebuilt.status) == {"changed": 1}


def test_a_missing_image_is_named_with_file_and_line_and_shown_by_name(tmp_path: Path) -> None:
    vault = image_vault(tmp_path, {"Book.md": "# Book\n## Quotes\n- A quote about nothing much "
                                              "here.\n- The lost figure ![[lost.png]] was here "
                                              "once.\n"}, {})
    built = build([vault], tmp_path / "decks")
    [problem] = lasting(built)
    assert str(problem) == (f"{vault / 'Book.md'}:4: warning: image 'lost.png' not found (looked "
                            "beside the note, in the vault's attachment folder or at its root); "
                            "the card shows its name")
    assert any('<span class="q2a-missing">lost.png</span>' in n.text
               for n in collected(built).notes)
    # found later: the next build reads the note again and packs it
    (vault / "lost.png").write_bytes(BLUE)
    again = build([vault], tmp_path / "decks")
    assert again.collected is not None and not lasting(again)
    assert list(media_of(tmp_path / "decks" / DEFAULT_PACKAGE).values()) == [BLUE]


def test_images_outside_the_vault_are_never_packed(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(RED)
    vault = image_vault(tmp_path, {"Book.md": "# Book\n## Quotes\n- The secret ![x](../secret.png)"
                                              " stays outside the package always.\n- A link "
                                              "inside the vault ![[inside.png]] leads out.\n"},
                        {})
    (vault / "inside.png").symlink_to(tmp_path / "secret.png")
    built = build([vault], tmp_path / "decks")
    assert media_of(tmp_path / "decks" / DEFAULT_PACKAGE) == {}
    assert [p.message.split(" (")[0] for p in lasting(built)] == [
        "image '../secret.png' not found", "image 'inside.png' not found"]


def test_an_image_shows_in_ankis_collection_once(tmp_path: Path, collection: Any) -> None:
    vault = image_vault(tmp_path, {"Book.md": "# Book\n## Quotes\n- The red square ![[red.png]] "
                                              "and its twin ![[red.png]] are one file.\n"},
                        {"red.png": RED})
    out = tmp_path / "decks"
    build([vault], out)
    import_package(collection, out / DEFAULT_PACKAGE)
    import_package(collection, out / DEFAULT_PACKAGE)  # re-import: nothing duplicated
    assert os.listdir(collection.media.dir()) == [
        f"quote2anki-{hashlib.sha256(RED).hexdigest()[:16]}.png"]
    [(question, answer)] = cards(collection)
    assert question.count("<img ") == answer.count("<img ") == 2


# --- what flows between steps ---------------------------------------------------------------


def test_a_removed_note_is_exported_exactly_as_it_was(tmp_path: Path) -> None:
    vault = image_vault(tmp_path, {"Book.md": "# Book\n## Quotes\n- Keep this plain quote about "
                                              "reading.\n- The formula $a^2 + b^2 = c^2$ is "
                                              "*old*, said the teacher.\n"}, {})
    out = tmp_path / "decks"
    first = build([vault], out)
    before = next(n.text for n in collected(first).notes if "formula" in n.words)
    (vault / "Book.md").write_text("# Book\n## Quotes\n- Keep this plain quote about reading.\n",
                                   encoding="utf-8")
    second = build([vault], out)
    removed = [n for n in compared(second).notes if "formula" in n.words]
    assert [n.text for n in removed] == [before]
    assert dict(second.status) == {"unchanged": 1, "removed": 1}


def test_text_that_only_looks_like_markup_reads_as_written() -> None:
    parsed = parse_rich(r"Escaped \$5, \`tick\`, \\(not maths\\) and a lone $ sign.")
    assert parsed.text == r"Escaped $5, `tick`, \(not maths\) and a lone $ sign."
    assert parsed.spans == ()
    html = render(parsed.text, ())
    assert "\\(" not in html and "<span>\\</span>(" in html


def test_a_hostile_formula_in_the_readers_note_is_refused_too() -> None:
    book = read_book("# Notes\n## Quotes\n- A highlight with a plain sentence in it.\n"
                     "    - Note: my own \\(\\style{position:fixed}{x}\\) remark\n", "n.md")
    [note] = notes_for(book)
    assert note.extra == ('my own <code class="q2a-tex">\\(\\style&#123;position:fixed&#125;'
                          '&#123;x&#125;\\)</code> remark')
    assert [str(p) for p in book.problems] == [
        "n.md:3: warning: formula uses \\style, which could run code or change the page in "
        "Anki; shown as text, not typeset"]
