"""The notetype's upgrade path: what a version fixes is pinned to the stamp it ships with.

Anki takes a notetype's templates and CSS on File › Import only when the package's notetype is
newer (its modification time, ``NOTETYPE_MOD``). A template or CSS change without a newer stamp
would silently never reach anyone's Anki. So the fields, templates and CSS are pinned here, by
hash, to the stamp they belong to.

To change the notetype: bump ``NOTETYPE_MOD`` in ``src/quote2anki/notetype.py`` (the date of the
change, as a Unix time) and add one line to ``PINNED`` below with the new stamp and the hash the
failing test prints. Keep the old lines: a stamp is never reused for other contents.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from quote2anki import notetype
from quote2anki.notetype import (
    CSS_END,
    FIELDS,
    NOTETYPE_ID,
    NOTETYPE_MOD,
    VERSION_KEY,
    notetype_digest,
)

from conftest import build

PINNED = {
    # NOTETYPE_MOD: sha256 of fields, templates and CSS (notetype.notetype_digest())
    1764115200: "320eba85c01be423243f8a6bbc88837e7d01d43e7a8deca2e2a5a2fa590284de",
    # 2026-12-02: CSS for formulas, code, images, links; the Basic notetype (flashcards and
    # quotes that ask for their book) joins the digest
    1796169600: "b3ad9cf358c5046229224b033a3ffd4f923b7b03690530a98a681350c2f64c0e",
}

FIRST_FIELDS = ("Text", "Back Extra", "Source")
"""The fields of the first version: a later one may only append to them."""


def test_templates_css_and_fields_cannot_change_without_a_new_stamp() -> None:
    digest = notetype_digest()
    assert PINNED.get(NOTETYPE_MOD) == digest, (
        f"the notetype changed (fields, templates or CSS) but NOTETYPE_MOD is still "
        f"{NOTETYPE_MOD}, pinned to other contents: bump NOTETYPE_MOD in notetype.py and add "
        f"{{<new NOTETYPE_MOD>: {digest!r}}} to PINNED in tests/test_notetype.py"
        if NOTETYPE_MOD in PINNED else
        f"NOTETYPE_MOD {NOTETYPE_MOD} is new: add {{{NOTETYPE_MOD}: {digest!r}}} to PINNED in "
        "tests/test_notetype.py")
    assert max(PINNED) == NOTETYPE_MOD, "a new stamp must be later than every earlier one"
    assert len(set(PINNED.values())) == len(PINNED), "one stamp, one version of the notetype"


def test_fields_are_only_ever_appended() -> None:
    assert FIELDS[:len(FIRST_FIELDS)] == FIRST_FIELDS
    assert len(set(FIELDS)) == len(FIELDS)


def test_packages_carry_the_stamp_the_version_and_the_end_of_our_css(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# A\n## Quotes\n- A quote with a ==gap== long enough to card.\n")
    build([notes], tmp_path / "decks")
    with zipfile.ZipFile(tmp_path / "decks" / "quote2anki.apkg") as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(tmp_path / "c.anki2")
    try:
        (models,) = connection.execute("SELECT models FROM col").fetchone()
    finally:
        connection.close()
    model = json.loads(models)[str(NOTETYPE_ID)]
    assert model["mod"] == NOTETYPE_MOD
    assert model[VERSION_KEY] == {"version": NOTETYPE_MOD}
    assert [f["name"] for f in model["flds"]] == list(FIELDS)
    assert model["css"].rstrip().endswith(CSS_END)
    assert model["css"].startswith(notetype.notetype_css().rstrip())
