"""What the cards show, in a real browser with Anki's own MathJax: the formula typeset, the code
block laid out, the image loaded, and hostile formulas inert; for cards rendered by Anki's
backend and for the preview page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quote2anki.cli import main
from quote2anki.output import DEFAULT_PACKAGE

from anki_import import import_package
from conftest import build
from printed import HOSTILE, PLOT, cards, make_vault

pytestmark = pytest.mark.browser


def anki_page(tmp_path: Path, body: str, media: Path, mathjax: Path) -> Path:
    """A page as Anki's reviewer makes one: the card's HTML (Anki's <style> with our CSS
    included) in a .card, the media folder as base address, and MathJax loaded with Anki's
    own settings (its mathjax.js, pointed at the files here), typesetting on request."""
    settings = (mathjax.parents[2] / "mathjax.js").read_text(encoding="utf-8")
    settings = settings.replace('"/_anki/js/vendor/mathjax"', f'"{mathjax.parent.as_uri()}"')
    page = tmp_path / "card.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><base href="{media.as_uri()}/">'
        f"</head><body><div class=\"card\">{body}</div><script>{settings}</script>"
        f'<script src="{mathjax.as_uri()}"></script></body></html>', encoding="utf-8")
    return page


def typeset(page: Any) -> None:
    """What Anki's reviewer does once a card is shown: MathJax.typesetPromise()."""
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise.then(() => MathJax.typesetPromise())")


def visible_size(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, "not laid out"
    return box["width"], box["height"]


def test_ankis_cards_show_a_typeset_formula_a_code_block_and_an_image(
        tmp_path: Path, collection: Any, browser: Any, mathjax: Path) -> None:
    vault = make_vault(tmp_path)
    build([vault], tmp_path / "decks")
    import_package(collection, tmp_path / "decks" / DEFAULT_PACKAGE)
    answers = [answer for _, answer in cards(collection)]
    body = "<hr>".join(a for a in answers if re.search(r"trapezoid|range\(n\)|figure", a))
    page = browser.new_page(viewport={"width": 900, "height": 1400})
    page.goto(anki_page(tmp_path, body, Path(collection.media.dir()), mathjax).as_uri())
    typeset(page)

    formula = page.locator("mjx-container").first
    width, height = visible_size(formula)
    assert width > 20 and height > 8  # MathJax's output element, laid out
    assert "O(h^2)" not in page.locator(".q2a-text").first.inner_text()  # typeset, not source
    block = page.locator("pre code.language-python")
    assert visible_size(block)[1] > 3 * visible_size(page.locator("code").first)[1]  # lines
    assert "total += a[i] * b[i]  # &amp; stays {{c1::as typed}}" in block.inner_text()
    image = page.locator("img").first
    assert image.evaluate("i => i.complete && i.naturalWidth") == 160
    assert visible_size(image)[0] == 240  # the width the note asked for
    shot = tmp_path / "anki-cards.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000


def test_hostile_formulas_are_inert_in_the_browser(tmp_path: Path, collection: Any,
                                                   browser: Any, mathjax: Path) -> None:
    # the check can fail: Anki's MathJax does make a javascript: link of a raw \href
    raw = r"<div class=q2a-text>\(\href{javascript:alert(1)}{click}\)</div>"
    page = browser.new_page()
    page.goto(anki_page(tmp_path, raw, tmp_path, mathjax).as_uri())
    typeset(page)
    assert page.locator('a[href^="javascript"]').count() == 1

    note = tmp_path / "hostile.md"
    bullets = "".join(f"- Formula number {n} is \\({tex}\\) and nothing more.\n"
                      for n, tex in enumerate(HOSTILE))
    note.write_text(f"# Hostile Maths\n## Quotes\n{bullets}- Text that says \\\\(x^2\\\\) "
                    "in words is only words for the reader.\n", encoding="utf-8")
    build([note], tmp_path / "decks")
    import_package(collection, tmp_path / "decks" / DEFAULT_PACKAGE)
    body = "<hr>".join(html for pair in cards(collection) for html in pair)
    page = browser.new_page()
    page.goto(anki_page(tmp_path, body, Path(collection.media.dir()), mathjax).as_uri())
    typeset(page)
    assert page.locator("a").count() == 0  # no link at all: the Source has none here either
    # nothing the hostile formulas asked for: no fixed layer, no loaded URL, no class or id
    assert page.locator('[style*="fixed"], [style*="url("], [style*="inset"], .x, #top, '
                        "[data-mjx-texclass=x]").count() == 0
    refused = page.locator("code.q2a-tex")
    assert refused.count() == 2 * len(HOSTILE)  # on the front and the back of each card
    assert "\\href" in refused.first.inner_text()  # shown as written
    words = page.locator(".q2a-text", has_text="Text that says").first
    assert words.locator("mjx-container").count() == 0
    assert "\\(x^2\\)" in words.inner_text()


def test_the_preview_typesets_with_ankis_mathjax_and_shows_code_and_images(
        tmp_path: Path, browser: Any, mathjax: Path) -> None:
    vault = make_vault(tmp_path)
    page_file = tmp_path / "preview.html"
    result = CliRunner().invoke(main, ["preview", str(vault), "--out", str(tmp_path / "decks"),
                                       "--page", str(page_file), "--mathjax", str(mathjax)])
    assert result.exit_code == 0, result.output
    [copy] = (tmp_path / "preview-media").iterdir()  # the image, by its media name
    assert copy.name.startswith("quote2anki-") and copy.read_bytes() == PLOT
    page = browser.new_page(viewport={"width": 1280, "height": 1600})
    page.goto(page_file.as_uri())
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    note = page.locator("article.note", has_text="trapezoid")
    front, back = note.locator(".side .card").nth(0), note.locator(".side .card").nth(1)
    for side in (front, back):
        width, height = visible_size(side.locator("mjx-container").first)
        assert width > 20 and height > 8
    assert "[...]" in front.inner_text() and "Richardson extrapolation" in back.inner_text()
    code = page.locator("article.note", has_text="range").locator("pre code").first
    assert visible_size(code)[1] > 40
    image = page.locator("article.note", has_text="figure plots").locator("img").first
    assert image.evaluate("i => i.complete && i.naturalWidth") == 160
    links = page.locator("article.note", has_text="trapezoid").locator(".q2a-source a")
    assert links.first.get_attribute("href", timeout=1000) == (
        "obsidian://open?vault=Reading%20Vault&file=Books%2FNumerical%20Methods.md")
    shot = tmp_path / "preview.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
