"""The one home of field HTML: escaping, writing clozes, and showing a card's sides.

Every character from a note reaches Anki as text, never as markup or cloze syntax: text is
escaped here, and ``{{cN::...}}`` appears only where a :class:`~quote2anki.model.Gap` puts it.
The preview and the ``cards`` listing render from a note's words and gaps, not from its HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache

from .model import Gap, Note

CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}")
"""One cloze in a Text field we wrote: its number, its words, its hint (escaping keeps the
field's own braces and colons out of the way, so this is exact on our own fields)."""

_FIELD_ESCAPES = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
                                "\n": "<br>"})
_CLOZE_ESCAPES = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
                                ":": "&#58;", "\n": " "})


def escape(text: str) -> str:
    """Text as HTML that Anki shows verbatim: no markup, no cloze syntax, no ``[sound:]`` tag.

    >>> escape("<b>{{c1::x}}</b> [sound:a.mp3]")
    '&lt;b&gt;&#123;&#123;c1::x&#125;&#125;&lt;/b&gt; &#91;sound:a.mp3&#93;'
    """
    return html.escape(text, quote=False).translate(_FIELD_ESCAPES)


def _escape_in_cloze(text: str) -> str:
    return html.escape(text, quote=False).translate(_CLOZE_ESCAPES)


def render(text: str, gaps: Sequence[Gap]) -> str:
    """The Text field: ``text`` escaped, with ``{{cN::...}}`` exactly where the gaps are.

    >>> render("a <b> c::d e", [Gap(11, 12, 1, "x")])
    'a &lt;b&gt; c::d {{c1::e::x}}'
    """
    out = []
    position = 0
    for gap in sorted(gaps, key=lambda g: g.start):
        out.append(escape(text[position : gap.start]))
        hint = f"::{_escape_in_cloze(gap.hint)}" if gap.hint else ""
        out.append(f"{{{{c{gap.number}::{_escape_in_cloze(text[gap.start:gap.end])}{hint}}}}}")
        position = gap.end
    out.append(escape(text[position:]))
    return "".join(out)


def card_numbers(gaps: Sequence[Gap]) -> tuple[int, ...]:
    """The cards a note makes: each cloze number once, in the order it first appears.

    >>> card_numbers([Gap(9, 10, 1), Gap(0, 1, 2), Gap(4, 5, 1)])
    (2, 1)
    """
    return tuple(dict.fromkeys(gap.number for gap in sorted(gaps, key=lambda g: g.start)))


def source_field(title: str, author: str, section: str) -> str:
    """The Source field: the book, its author and the section, escaped."""
    return _source_field(title, author, section)


@lru_cache(maxsize=4096)
def _source_field(title: str, author: str, section: str) -> str:
    """One string per book and section, shared by all its notes (a big vault holds many)."""
    parts = [f"<span class=title>{escape(title)}</span>"]
    if author:
        parts.append(f"<span class=author>{escape(author)}</span>")
    if section:
        parts.append(f"<span class=section>{escape(section)}</span>")
    return " · ".join(parts)


def side(note: Note, number: int, back: bool) -> str:
    """The Text field of card ``number``, front or back, as Anki's ``{{cloze:Text}}`` shows it:
    the card's own gaps hidden (``[...]`` or ``[hint]``) or revealed, the others as text.

    >>> from quote2anki.model import Note
    >>> words, gaps = "a b c", (Gap(2, 3, 1, "hint"), Gap(4, 5, 2))
    >>> note = Note("quote", "g", "B", "D", "", "", "", (), "p", 1, words, gaps, (1, 2))
    >>> side(note, 1, back=False), side(note, 1, back=True)
    ('a <span class="cloze">[hint]</span> c', 'a <span class="cloze">b</span> c')
    """
    out = []
    position = 0
    for gap in sorted(note.gaps, key=lambda g: g.start):
        out.append(escape(note.words[position : gap.start]))
        hidden = escape(note.words[gap.start : gap.end])
        if gap.number == number:
            shown = hidden if back else f"[{html.escape(gap.hint or '...', quote=False)}]"
            out.append(f'<span class="cloze">{shown}</span>')
        else:
            out.append(hidden)
        position = gap.end
    out.append(escape(note.words[position:]))
    return "".join(out)


def listing(note: Note) -> str:
    """The note's words with each gap as Anki shows it on the front (``[...]`` or ``[hint]``).

    >>> from quote2anki.model import Note
    >>> listing(Note("quote", "g", "B", "D", "", "", "", (), "p", 1, "85% of mail",
    ...              (Gap(0, 3, 1, "percent"),), (1,)))
    '[percent] of mail'
    """
    out = []
    position = 0
    for gap in sorted(note.gaps, key=lambda g: g.start):
        out.append(note.words[position : gap.start])
        out.append(f"[{gap.hint or '...'}]")
        position = gap.end
    out.append(note.words[position:])
    return "".join(out)


def parse(field: str) -> tuple[str, tuple[Gap, ...]]:
    """A Text field we wrote back to its words and gaps; only for records of older versions,
    which kept the field and not its parts. Every character was escaped on the way in, so this
    is an exact inverse.

    >>> parse("a &lt;b&gt; {{c1::x&#58;y::hint}} and {{c2::z}}")
    ('a <b> x:y and z', (Gap(start=6, end=9, number=1, hint='hint'), Gap(start=14, end=15, \
number=2, hint=None)))
    """
    words: list[str] = []
    gaps: list[Gap] = []
    size = 0
    position = 0
    for match in CLOZE.finditer(field):
        before = _unescape(field[position : match.start()])
        inner = _unescape(match[2])
        words += [before, inner]
        size += len(before)
        gaps.append(Gap(size, size + len(inner), int(match[1]),
                        _unescape(match[3]) if match[3] else None))
        size += len(inner)
        position = match.end()
    words.append(_unescape(field[position:]))
    return "".join(words), tuple(gaps)


def _unescape(text: str) -> str:
    return html.unescape(text.replace("<br>", "\n"))
