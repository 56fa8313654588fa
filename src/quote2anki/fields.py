"""The one home of field HTML: escaping, writing clozes, and showing a card's sides.

Every character from a note reaches Anki as text, never as markup or cloze syntax: text is
escaped here, and ``{{cN::...}}`` appears only where a :class:`~quote2anki.model.Gap` puts it.
The preview and the ``cards`` listing render from a note's words and gaps, not from its HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from .model import Gap, Note, Place, Span
from .rich import cut

CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}")
"""One cloze in a Text field we wrote: its number, its words, its hint (escaping keeps the
field's own braces and colons out of the way, so this is exact on our own fields)."""

_FIELD_ESCAPES = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
                                "\n": "<br>"})
_CLOZE_ESCAPES = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
                                ":": "&#58;", "\n": " "})


_ATTRIBUTE_ESCAPES = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
                                    ":": "&#58;"})
_DELIMITER = re.compile(r"\\(?=[()\[\]])")
r"""A backslash before a bracket: ``\(`` or ``\[`` in text would start a formula for Anki's
MathJax. A tag between the two keeps MathJax from seeing one (it reads text between tags as
separate strings), and the reader still sees ``\(``."""


def escape(text: str) -> str:
    r"""Text as HTML that Anki shows verbatim: no markup, no cloze syntax, no ``[sound:]`` tag,
    no formula (``\(`` in text is not MathJax's delimiter).

    >>> escape("<b>{{c1::x}}</b> [sound:a.mp3]")
    '&lt;b&gt;&#123;&#123;c1::x&#125;&#125;&lt;/b&gt; &#91;sound:a.mp3&#93;'
    >>> escape(r"\(x\)")
    '<span>\\</span>(x<span>\\</span>)'
    """
    return _text(text, in_cloze=False)


def _text(text: str, in_cloze: bool) -> str:
    escaped = html.escape(text, quote=False).translate(_CLOZE_ESCAPES if in_cloze
                                                       else _FIELD_ESCAPES)
    if "\\" in escaped:
        escaped = _DELIMITER.sub(r"<span>\\</span>", escaped)
    return escaped


def _escape_in_cloze(text: str) -> str:
    return _text(text, in_cloze=True)


def _code(text: str, in_cloze: bool) -> str:
    """Code as written: escaped (never unescaped), line breaks kept for ``<pre>``."""
    escaped = html.escape(text, quote=False)
    return escaped.translate(_ATTRIBUTE_ESCAPES if in_cloze else _FIELD_ESCAPES_CODE)


_FIELD_ESCAPES_CODE = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;"})


def attribute(value: str) -> str:
    """A value for an HTML attribute (a link, an image's name or alt text), quotes escaped and
    nothing Anki could read as cloze or media syntax.

    >>> attribute('https://x.org/?a=1&b="2"')
    'https&#58;//x.org/?a=1&amp;b=&quot;2&quot;'
    """
    return html.escape(value, quote=True).translate(_ATTRIBUTE_ESCAPES)


def render(text: str, gaps: Sequence[Gap], spans: Sequence[Span] = ()) -> str:
    r"""The Text field: ``text`` escaped, with ``{{cN::...}}`` exactly where the gaps are, and
    shown as it was printed (``spans``): formulas for MathJax, code, emphasis, links, images.

    >>> render("a <b> c::d e", [Gap(11, 12, 1, "x")])
    'a &lt;b&gt; c::d {{c1::e::x}}'
    >>> render("Energy is E=mc^2.", [Gap(0, 6, 1)], [Span(10, 16, "math")])
    '{{c1::Energy}} is \\(E=mc^2\\).'
    """
    if not spans:
        out = []
        position = 0
        for gap in sorted(gaps, key=lambda g: g.start):
            out.append(escape(text[position : gap.start]))
            hint = f"::{_escape_in_cloze(gap.hint)}" if gap.hint else ""
            out.append(f"{{{{c{gap.number}::{_escape_in_cloze(text[gap.start:gap.end])}"
                       f"{hint}}}}}")
            position = gap.end
        out.append(escape(text[position:]))
        return "".join(out)

    def cloze(gap: Gap, inner: str) -> str:
        hint = f"::{_escape_in_cloze(gap.hint)}" if gap.hint else ""
        return f"{{{{c{gap.number}::{inner}{hint}}}}}"

    return _html(text, gaps, spans, cloze, field=True)


def rich(text: str, spans: Sequence[Span] = ()) -> str:
    r"""Text with no gaps (the reader's note, a definition's context) as it was printed.

    >>> rich("see f(x)\nand why", [Span(4, 8, "code"), Span(13, 16, "em")])
    'see <code>f(x)</code><br>and <em>why</em>'
    """
    if not spans:
        return escape(text)
    return _html(text, (), spans, lambda gap, inner: inner, field=True)


def _html(text: str, gaps: Sequence[Gap], spans: Sequence[Span],
          gap_html: Callable[[Gap, str], str], field: bool) -> str:
    """The one renderer: the text in pieces inside and outside the gaps, each piece with the
    spans that fall in it (emphasis and links cut at a gap's edge, so tags always nest; code
    and formulas are never cut, since gaps never cut them). An image (which takes no text)
    belongs to a gap only when inside it or when the gap is nothing but it."""
    ordered = sorted(gaps, key=lambda g: (g.start, g.end))
    points = [s for s in spans if s.start == s.end]
    owner: dict[int, int] = {}
    for index, point in enumerate(points):
        for number, around in enumerate(ordered):
            if around.start < point.start < around.end or (
                    around.start == around.end == point.start):
                owner[index] = number
                break
    out = []
    position = 0
    for number in range(len(ordered) + 1):
        gap = ordered[number] if number < len(ordered) else None
        end = gap.start if gap is not None else len(text)
        outside = [p for i, p in enumerate(points) if i not in owner
                   and position <= p.start <= end]
        out.append(_styled(text, position, end, spans, outside, in_cloze=False))
        if gap is None:
            break
        inside = [p for i, p in enumerate(points) if owner.get(i) == number]
        out.append(gap_html(gap, _styled(text, gap.start, gap.end, spans, inside,
                                         in_cloze=field)))
        position = gap.end
    return "".join(out)


def _styled(text: str, start: int, end: int, spans: Sequence[Span], points: Sequence[Span],
            in_cloze: bool) -> str:
    """``text[start:end]`` with the spans over it as HTML, and the given images."""
    pieces = [span for span in cut(spans, start, end) if span.start != span.end]
    pieces += [Span(p.start - start, p.end - start, p.kind, p.target, p.label, p.size)
               for p in points]
    pieces.sort(key=lambda s: (s.start, s.start != s.end, -s.end))
    return _nest(text[start:end], 0, end - start, pieces, in_cloze)


def _nest(text: str, start: int, end: int, spans: Sequence[Span], in_cloze: bool) -> str:
    out = []
    position = start
    index = 0
    while index < len(spans):
        span = spans[index]
        children = []
        index += 1
        while index < len(spans) and _inside(spans[index], span):
            children.append(spans[index])
            index += 1
        out.append(_text(text[position : span.start], in_cloze))
        out.append(_span(text, span, children, in_cloze))
        position = max(position, span.end)
    out.append(_text(text[position:end], in_cloze))
    return "".join(out)


def _inside(child: Span, parent: Span) -> bool:
    if parent.start == parent.end:
        return False
    if child.start == child.end:
        return parent.start < child.start < parent.end
    return parent.start <= child.start and child.end <= parent.end


_TAGS = {"em": "em", "strong": "strong", "strike": "s", "highlight": "mark"}


def _span(text: str, span: Span, children: Sequence[Span], in_cloze: bool) -> str:
    inner = text[span.start : span.end]
    kind = span.kind
    if kind in _TAGS:
        tag = _TAGS[kind]
        return f"<{tag}>{_nest(text, span.start, span.end, children, in_cloze)}</{tag}>"
    if kind in ("link", "url"):
        return (f'<a href="{attribute(span.target)}">'
                f"{_nest(text, span.start, span.end, children, in_cloze)}</a>")
    if kind == "code":
        return f"<code>{_code(inner, in_cloze)}</code>"
    if kind == "block":
        language = f' class="language-{attribute(span.target)}"' if span.target else ""
        return f"<pre><code{language}>{_code(inner, in_cloze)}</code></pre>"
    if kind == "math":
        return f"\\({_code(inner, in_cloze)}\\)"
    if kind == "display":
        # "\[ " never reads as Anki's [sound:...] or [$] tag, whatever the formula starts with
        return f"\\[ {_code(inner, in_cloze)} \\]"
    if kind == "refused":
        opening, closing = ("\\[", "\\]") if span.target == "display" else ("\\(", "\\)")
        return (f'<code class="q2a-tex">{_code(opening + inner + closing, in_cloze)}</code>')
    if kind == "image":
        size = _size(span.size)
        return (f'<img src="{attribute(span.target)}" alt="{attribute(span.label)}"{size}>')
    if kind == "remote":
        label = _text(span.label or "image", in_cloze)
        return f'<a class="q2a-image-link" href="{attribute(span.target)}">{label}</a>'
    if kind in ("local", "missing"):
        shown = span.label or span.target.rsplit("/", 1)[-1]
        return f'<span class="q2a-missing">{_text(shown, in_cloze)}</span>'
    # a wikilink not settled into a link (no vault, or links switched off): its text
    return _nest(text, span.start, span.end, children, in_cloze)


def _size(size: str) -> str:
    if not size:
        return ""
    width, _, height = size.partition("x")
    return f' width="{width}"' + (f' height="{height}"' if height else "")


def card_numbers(gaps: Sequence[Gap]) -> tuple[int, ...]:
    """The cards a note makes: each cloze number once, in the order it first appears.

    >>> card_numbers([Gap(9, 10, 1), Gap(0, 1, 2), Gap(4, 5, 1)])
    (2, 1)
    """
    return tuple(dict.fromkeys(gap.number for gap in sorted(gaps, key=lambda g: g.start)))


def source_field(title: str, author: str, section: str, link: str = "",
                 places: tuple[Place, ...] = ()) -> str:
    """The Source field: the book (a link to its note in Obsidian when ``link`` is one), its
    author, the section, and where the highlight is (linked when the export gave a link).

    >>> source_field("Dune", "Frank Herbert", "", "obsidian://open?vault=V&file=Dune.md",
    ...              (Place("Location 12", "kindle://book?location=12"), Place("Page 3")))
    '<a class=title href="obsidian&#58;//open?vault=V&amp;file=Dune.md">Dune</a> · \
<span class=author>Frank Herbert</span> · <a class=place href="kindle&#58;//book?location=12">\
Location 12</a> · <span class=place>Page 3</span>'
    """
    return _source_field(title, author, section, link, places)


@lru_cache(maxsize=4096)
def _source_field(title: str, author: str, section: str, link: str,
                  places: tuple[Place, ...]) -> str:
    """One string per book, section and place, shared by all its notes (a big vault holds
    many)."""
    if link:
        parts = [f'<a class=title href="{attribute(link)}">{escape(title)}</a>']
    else:
        parts = [f"<span class=title>{escape(title)}</span>"]
    if author:
        parts.append(f"<span class=author>{escape(author)}</span>")
    if section:
        parts.append(f"<span class=section>{escape(section)}</span>")
    for place in places:
        if place.url:
            parts.append(f'<a class=place href="{attribute(place.url)}">{escape(place.label)}</a>')
        else:
            parts.append(f"<span class=place>{escape(place.label)}</span>")
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

    def shown(gap: Gap, inner: str) -> str:
        if gap.number != number:
            return inner
        if back:
            return f'<span class="cloze">{inner}</span>'
        return f'<span class="cloze">[{escape(gap.hint or "...")}]</span>'

    return _html(note.words, note.gaps, note.spans, shown, field=False)


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
