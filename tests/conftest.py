"""Shared fixtures: the bundled notes, the format notes, the reference sample, and a real Anki
collection.

The reference sample lives outside the repository (``../shared/samples``). Tests that need it
carry the ``sample`` marker and are skipped, saying why, when it is not there: a fresh clone
passes on its own, with the bundled ``notes/`` and ``tests/formats/`` to catch regressions.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quote2anki import BuildOptions, BuildResult, Problem, Vault
from quote2anki.collect import Collected
from quote2anki.state import Comparison

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"
# The shared folder sits beside the checkout (../shared), or beside a folder of worktrees.
SAMPLES = next((parent / "shared" / "samples" for parent in ROOT.parents
                if (parent / "shared" / "samples").is_dir()), ROOT.parent / "shared" / "samples")
SHARED = SAMPLES.parent
"""The shared folder: the reference sample and the labelled real notes (corpus/)."""
SAMPLE = SAMPLES / "Designing Machine Learning Systems.md"
GOLDEN = Path(__file__).parent / "golden"
FORMATS = Path(__file__).parent / "formats"

# A fixed moment well in the past, so that anything Anki stamps "now" is newer than the files.
T0 = 1_700_000_000


def build(paths: list[Path], out: Path, **options: object) -> BuildResult:
    """Build ``paths`` into ``out`` through the library's API, with ``BuildOptions`` fields."""
    return Vault(paths, BuildOptions(**options)).build(out)  # type: ignore[arg-type]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        uses = set(getattr(item, "fixturenames", ()))
        if uses & {"collection", "life"} or item.path.name == "test_anki.py":
            item.add_marker(pytest.mark.anki)
    if SAMPLE.exists():
        return
    skip = pytest.mark.skip(reason=f"the reference sample is not here ({SAMPLE}); these tests "
                                   "run where ../shared/samples sits beside the checkout")
    for item in items:
        if "sample" in item.keywords:
            item.add_marker(skip)


def collected(result: BuildResult) -> Collected:
    """What a build read (a build that found nothing changed reads nothing)."""
    assert result.collected is not None, "the build read nothing"
    return result.collected


def lasting(result: BuildResult) -> tuple[Problem, ...]:
    """What a build found in the notes, without what only a first build says (no record yet)."""
    found = collected(result)
    return tuple(problem for problem in found.problems if problem not in found.notices)


def compared(result: BuildResult) -> Comparison:
    """How a build's notes compare with the previous build's."""
    assert result.comparison is not None, "the build compared nothing"
    return result.comparison


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A vault of our own: the bundled notes and one note per export format (mojibake,
    Readwise, Kindle, Logseq, callouts, glossaries), with old, known modification times."""
    folder = tmp_path / "vault"
    folder.mkdir()
    for note in [*NOTES.glob("*.md"), *FORMATS.glob("*.md")]:
        shutil.copy(note, folder / note.name)
    for file in folder.iterdir():
        os.utime(file, (T0, T0))
    return folder


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, driven by Playwright (which downloads no browser of its
    own here). Skipped, saying why, without Chromium, unless CI requires it."""
    if CHROMIUM is None:
        if os.environ.get("CI_REQUIRE_CHROMIUM"):
            pytest.fail("CI_REQUIRE_CHROMIUM is set but chromium is not installed")
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def anki_mathjax() -> Path | None:
    """Anki's own MathJax (``tex-chtml-full.js``), from the ``aqt`` wheel if it is installed
    (``pip install --no-deps aqt``: only its files are needed, not Qt)."""
    import importlib.util

    spec = importlib.util.find_spec("_aqt")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        script = Path(folder) / "data" / "web" / "js" / "vendor" / "mathjax" / "tex-chtml-full.js"
        if script.is_file():
            return script
    return None


@pytest.fixture
def mathjax() -> Path:
    """Anki's own MathJax script; skipped, saying how to get it, unless CI requires it."""
    script = anki_mathjax()
    if script is None:
        message = ("Anki's MathJax is not installed: pip install --no-deps aqt "
                   "(the aqt wheel ships it; .ci/run installs it)")
        if os.environ.get("CI_REQUIRE_MATHJAX"):
            pytest.fail(message)
        pytest.skip(message)
    return script


@pytest.fixture
def life(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A vault, an output folder and a real Anki collection, on a simulated clock
    (:class:`lifecycle.Life`)."""
    from lifecycle import Clock, Life

    lived = Life(tmp_path, Clock(monkeypatch))
    try:
        yield lived
    finally:
        lived.close()


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[object]:
    """A fresh collection in Anki's own backend (the ``anki`` package from PyPI)."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()
