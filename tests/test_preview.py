"""The preview page, checked in a real browser for what only a browser shows: the hidden gap,
the layout of front and back, and night mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quote2anki.cli import main

from conftest import build

pytestmark = pytest.mark.browser

WALDEN = "# Walden\n## Quotes\n- *The mass of men lead lives of ==quiet desperation==.*\n"


def preview(tmp_path: Path, vault: Path) -> Path:
    out = tmp_path / "decks"
    build([vault], out)
    (vault / "Walden.md").write_text(WALDEN, encoding="utf-8")
    page = tmp_path / "preview.html"
    result = CliRunner().invoke(main, ["preview", str(vault), "--out", str(out),
                                       "--page", str(page)])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    return page


def walden(page: Any) -> Any:
    return page.locator("article.note", has_text="mass of men").first


def test_the_front_hides_the_gap_and_the_back_shows_it(tmp_path: Path, vault: Path,
                                                       browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(preview(tmp_path, vault).as_uri())
    note = walden(page)
    front, back = note.locator(".side .card").nth(0), note.locator(".side .card").nth(1)
    assert "The mass of men lead lives of [...]." in front.inner_text()
    assert "quiet desperation" not in front.inner_text()
    assert "quiet desperation" in back.inner_text()
    assert note.locator(".status.new").is_visible()
    shot = tmp_path / "preview.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one


def test_front_and_back_side_by_side_on_a_wide_screen_stacked_on_a_narrow_one(
        tmp_path: Path, vault: Path, browser: Any) -> None:
    uri = preview(tmp_path, vault).as_uri()
    for width, side_by_side in ((1280, True), (600, False)):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(uri)
        sides = walden(page).locator(".side")
        front, back = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
        if side_by_side:
            assert abs(front["y"] - back["y"]) < 1 and back["x"] >= front["x"] + front["width"]
        else:
            assert back["y"] >= front["y"] + front["height"]
        page.close()


def test_night_mode_follows_the_system_and_the_button(tmp_path: Path, vault: Path,
                                                      browser: Any) -> None:
    uri = preview(tmp_path, vault).as_uri()

    def background(page: Any) -> str:
        return str(walden(page).locator(".side .card").first.evaluate(
            "e => getComputedStyle(e).backgroundColor"))

    light = browser.new_page(color_scheme="light")
    light.goto(uri)
    assert background(light) == "rgb(251, 250, 247)"  # the notetype's light card
    dark = browser.new_page(color_scheme="dark")
    dark.goto(uri)
    assert background(dark) == "rgb(29, 31, 33)"  # the notetype's night mode
    dark.click("#night")
    assert background(dark) == "rgb(251, 250, 247)"
