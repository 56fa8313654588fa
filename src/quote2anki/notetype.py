"""Our notetype: its fixed ID, fields, templates and CSS, as genanki builds it.

Anki recognises a notetype on re-import by its ID; if the fields or templates change under the
same ID, Anki asks to convert or forks it. So everything here is versioned deliberately: change a
template or the CSS only together with :data:`NOTETYPE_MOD`.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import genanki

NOTETYPE_ID = 1843107217
"""Fixed forever for this notetype version: Anki recognises our notetype by it on re-import."""
NOTETYPE_NAME = "quote2anki cloze"
NOTETYPE_MOD = 1796169600
"""When this notetype version was made (2026-12-02: CSS for code, formulas, images, links and
the Source field's links; the fields and templates are unchanged). Bump it with any template
or CSS change."""

FIELDS = ("Text", "Back Extra", "Source")

_FRONT = """<div class="q2a-text">{{cloze:Text}}</div>
<div class="q2a-source">{{Source}}</div>"""
_BACK = """<div class="q2a-text">{{cloze:Text}}</div>
{{#Back Extra}}<div class="q2a-extra">{{Back Extra}}</div>{{/Back Extra}}
<div class="q2a-source">{{Source}}</div>"""


def notetype_css() -> str:
    return files("quote2anki").joinpath("notetype.css").read_text(encoding="utf-8")


class _Notetype(genanki.Model):  # type: ignore[misc]
    """Our cloze notetype, with a modification time that only changes with its version."""

    def to_json(self, timestamp: float, deck_id: int) -> dict[str, Any]:
        return super().to_json(NOTETYPE_MOD, deck_id)  # type: ignore[no-any-return]


def notetype() -> genanki.Model:
    return _Notetype(
        NOTETYPE_ID,
        NOTETYPE_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Cloze", "qfmt": _FRONT, "afmt": _BACK}],
        css=notetype_css(),
        model_type=genanki.Model.CLOZE,
        sort_field_index=0,
    )


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
