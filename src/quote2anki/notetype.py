"""Our notetype: its fixed ID, fields, templates and CSS as genanki builds it; its upgrade path.

Anki recognises a notetype on re-import by its ID, and decides what to do with ours by two
things: its *schema* (the names of its fields and templates, in order) and its modification time
(:data:`NOTETYPE_MOD`). What a new version of quote2anki may change, and how:

- **Templates and CSS**: freely, but only together with a newer :data:`NOTETYPE_MOD` (a test pins
  :func:`notetype_digest` to the stamp it belongs to, so a change cannot ship without it). File ›
  Import then updates the notetype in Anki, unless the user changed it in Anki since (Anki's copy
  is then newer); ``quote2anki import`` updates it whenever the installed version
  (:data:`VERSION_KEY` in the notetype) is older, keeping the user's own CSS after
  :data:`CSS_END`.
- **Fields**: only *appended* to :data:`FIELDS`, never renamed, removed or reordered (a field's
  name is how notes keep their content), with a newer :data:`NOTETYPE_MOD`. A changed schema
  makes File › Import put new notes on a copy (``quote2anki cloze+``) and skip the notes already
  in Anki; ``quote2anki import`` adds the missing field to the user's notetype by name, moves
  the copy's notes back, and leaves any field the user added alone.
- **The ID and the kind (cloze)**: never. A notetype that needs either changed is a new notetype.
"""

from __future__ import annotations

import hashlib
from importlib.resources import files
from typing import Any

import genanki

NOTETYPE_ID = 1843107217
"""Fixed forever for this notetype version: Anki recognises our notetype by it on re-import."""
NOTETYPE_NAME = "quote2anki cloze"
NOTETYPE_MOD = 1796169600
"""When this notetype version was made (2026-12-02: CSS for code, formulas, images, links and
the Source field's links; the fields and templates are unchanged). Bump it with any template,
CSS or field change (and pin the new :func:`notetype_digest` in ``tests/test_notetype.py``)."""

FIELDS = ("Text", "Back Extra", "Source")
"""Our fields, in order. A new version may only append to this (see the module's docstring)."""
OWNED_FIELDS = {"Text": "t", "Back Extra": "e", "Source": "s"}
"""Fields quote2anki fills, with the letter their values are recorded under
(:func:`quote2anki.state.mark`)."""

VERSION_KEY = "quote2anki"
"""A key of the notetype's JSON that says which version of ours is installed
(``{"version": NOTETYPE_MOD}``): Anki keeps keys it does not know."""
CSS_END = "/* end of quote2anki's CSS: your own CSS goes below this line and is kept */"
"""Where our CSS ends in the notetype: ``quote2anki import`` replaces what is above it."""

_FRONT = """<div class="q2a-text">{{cloze:Text}}</div>
<div class="q2a-source">{{Source}}</div>"""
_BACK = """<div class="q2a-text">{{cloze:Text}}</div>
{{#Back Extra}}<div class="q2a-extra">{{Back Extra}}</div>{{/Back Extra}}
<div class="q2a-source">{{Source}}</div>"""
TEMPLATE_NAME = "Cloze"


def notetype_css() -> str:
    return files("quote2anki").joinpath("notetype.css").read_text(encoding="utf-8")


def packaged_css() -> str:
    """The notetype's CSS as packages carry it: ours, then the line after which a user's own
    CSS survives upgrades."""
    return f"{notetype_css().rstrip()}\n\n{CSS_END}\n"


def templates() -> tuple[str, str]:
    """The front and back template of our one card template."""
    return _FRONT, _BACK


def notetype_digest() -> str:
    """A hash of everything a notetype version fixes: fields, templates and CSS (of both our
    notetypes: the Basic one shares the cloze one's stamp and CSS).

    ``tests/test_notetype.py`` pins it to :data:`NOTETYPE_MOD`: change any of them and the test
    says to bump the stamp (or Anki would never take the change).
    """
    parts = (*FIELDS, TEMPLATE_NAME, _FRONT, _BACK, packaged_css(),
             *BASIC_FIELDS, _BASIC_FRONT, _BASIC_BACK, _REVERSE_FRONT, _REVERSE_BACK)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class _Notetype(genanki.Model):  # type: ignore[misc]
    """Our cloze notetype, with a modification time that only changes with its version."""

    def to_json(self, timestamp: float, deck_id: int) -> dict[str, Any]:
        data: dict[str, Any] = super().to_json(NOTETYPE_MOD, deck_id)
        data[VERSION_KEY] = {"version": NOTETYPE_MOD}
        return data


def notetype() -> genanki.Model:
    return _Notetype(
        NOTETYPE_ID,
        NOTETYPE_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": TEMPLATE_NAME, "qfmt": _FRONT, "afmt": _BACK}],
        css=packaged_css(),
        model_type=genanki.Model.CLOZE,
        sort_field_index=0,
    )


def installed_version(model: dict[str, Any]) -> int:
    """Which version of our notetype a collection's copy is (0 when it does not say)."""
    marker = model.get(VERSION_KEY)
    if isinstance(marker, dict) and isinstance(marker.get("version"), int):
        return int(marker["version"])
    return 0


BASIC_ID = 1843107219
"""Fixed forever: the reader's own question-and-answer cards (``Question::Answer``, ``Q:``/``A:``,
``#flashcard`` prompts, ``?`` blocks) are notes of this second notetype."""
BASIC_NAME = "quote2anki basic"
BASIC_FIELDS = ("Front", "Back", "Source", "Reverse")
"""``Reverse`` is not empty for a card both ways (``:::`` and ``??``): the second template's
front needs it."""

_BASIC_FRONT = """<div class="q2a-text">{{Front}}</div>
<div class="q2a-source">{{Source}}</div>"""
_BASIC_BACK = """<div class="q2a-text">{{Front}}</div>
<div class="q2a-extra">{{Back}}</div>
<div class="q2a-source">{{Source}}</div>"""
_REVERSE_FRONT = """{{#Reverse}}<div class="q2a-text">{{Back}}</div>
<div class="q2a-source">{{Source}}</div>{{/Reverse}}"""
_REVERSE_BACK = """<div class="q2a-text">{{Back}}</div>
<div class="q2a-extra">{{Front}}</div>
<div class="q2a-source">{{Source}}</div>"""


def basic_notetype() -> genanki.Model:
    """Front and back, and a reverse card when ``Reverse`` is set."""
    return _Notetype(
        BASIC_ID,
        BASIC_NAME,
        fields=[{"name": name} for name in BASIC_FIELDS],
        templates=[{"name": "Card 1", "qfmt": _BASIC_FRONT, "afmt": _BASIC_BACK},
                   {"name": "Card 2", "qfmt": _REVERSE_FRONT, "afmt": _REVERSE_BACK}],
        css=notetype_css(),
        model_type=genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )
