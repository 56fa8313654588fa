"""A highlight as pasted, made plain: wrappers around the whole quote, an audiobook's time
stamps and Kindle locations inside it, fenced code blocks kept whole, the places an export's
tail names; then its inline Markdown read by :mod:`quote2anki.inline`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from .exports import split_places
from .inline import Parsed, parse_rich, shift_marks
from .model import Mark, Place, Span
from .rich import shift
from .text import drop_footnote_markers, squash_spaces

_OUTER_QUOTES = {"“": "”", '"': '"', "«": "»", "„": "“"}


def strip_wrapper(text: str) -> str:
    """Remove emphasis or quotation marks wrapped around a whole quote, even half-closed.

    Readers paste highlights as ``*...*``; some lose the closing mark or put it before the final
    full stop. Emphasis that covers only part of the quote is left for :mod:`quote2anki.inline`.

    >>> strip_wrapper("*Without data, there is no data science.* ")
    'Without data, there is no data science.'
    >>> strip_wrapper("*A quote that lost its closing mark")
    'A quote that lost its closing mark'
    >>> strip_wrapper("*model selection, training, and evaluation*.")
    'model selection, training, and evaluation.'
    >>> strip_wrapper("*Deep* learning is *not* magic")
    '*Deep* learning is *not* magic'
    >>> strip_wrapper("“Interesting” in production means catastrophic.")
    '“Interesting” in production means catastrophic.'
    >>> strip_wrapper("*An unclosed quote with *inner* emphasis")
    'An unclosed quote with *inner* emphasis'
    >>> strip_wrapper("*Deep* learning is *not*")
    '*Deep* learning is *not*'
    >>> strip_wrapper("==A highlight the reader marked all of, and never closed.")
    'A highlight the reader marked all of, and never closed.'
    """
    text = text.strip()
    if text.startswith("==") and "==" not in text[2:-2]:
        # the reader highlighted all of it (or lost the closing mark): nothing to hide
        text = text[2:-2] if text.endswith("==") and len(text) > 4 else text[2:]
        text = text.strip()
    for mark in ("***", "**", "*", "___", "__", "_"):
        if not text.startswith(mark) or text[len(mark) : len(mark) + 1] in ("", " ", "*", "_"):
            continue
        rest = text[len(mark) :]
        body = rest.rstrip(".!?,;:")
        tail = rest[len(body) :]
        if len(mark) > 1:  # bold marks a cloze: only a wrapper with nothing inside counts
            if body.endswith(mark) and not _has_run(body[: -len(mark)], mark):
                return (body[: -len(mark)] + tail).strip()
            if not _has_run(rest, mark):
                return rest.strip()
            break
        if body.endswith(mark) and _balanced(body[:-1], mark):
            return (body[:-1] + tail).strip()
        if _balanced(rest, mark):
            return rest.strip()  # the closing mark was lost; inner emphasis stays
        break
    closing = _OUTER_QUOTES.get(text[:1])
    if closing and text.endswith(closing) and len(text) > 2:
        inner = text[1:-1]
        if text[:1] not in inner and closing not in inner:
            return inner.strip()
    return text


def _balanced(text: str, mark: str) -> bool:
    """Whether the runs of a one-character ``mark`` in ``text`` pair up by themselves, the first
    one opening (so none of them closes an opening mark before ``text``)."""
    char = re.escape(mark)
    runs = list(re.finditer(f"(?<!{char}){char}(?!{char})", text))
    if len(runs) % 2:
        return False
    if not runs:
        return True
    first = runs[0].start()
    return (first == 0 or not text[first - 1].isalnum()) and text[first + 1 : first + 2] not in (
        "", " ")


def _has_run(text: str, mark: str) -> bool:
    """Whether ``mark`` occurs in ``text`` as a run of exactly that length."""
    char = re.escape(mark[0])
    return re.search(f"(?<!{char}){re.escape(mark)}(?!{char})", text) is not None


def clean_quote(raw: str) -> tuple[str, tuple[Mark, ...]]:
    """A highlight's plain text and the reader's cloze marks, from the Markdown as written.

    >>> text, marks = clean_quote("*data.2 Stateful training is ==fine-tuning==* ([Loc 1](x))")
    >>> text, [text[m.start:m.end] for m in marks]
    ('data. Stateful training is fine-tuning', ['fine-tuning'])
    """
    highlight = clean_highlight(raw)
    return highlight.text, highlight.marks


# Audiobook and podcast exports stamp a highlight with its time: ``**20:27:**``, ``[1:02:03]``.
_TIMESTAMP = re.compile(
    r"(?:\*\*|__)\(?\d{1,2}:\d{2}(?::\d{2})?\)?:?(?:\*\*|__):?\s*"
    r"|^\s*\[?\(?\d{1,2}:\d{2}(?::\d{2})?\]?\)?(?:\s*[-–—:]\s*|\s+)(?=\S)")
# A Kindle location left inside the text, not only at its end: ``(Location 1520)``.
_LOCATION = re.compile(r"\s?\((?:Kindle )?(?:Location|Loc\.?|Locations)\s+[\d–-]{1,20}+\)", re.I)


def drop_stamps(text: str) -> str:
    """Remove an audiobook's time stamps and Kindle locations left inside a highlight.

    >>> drop_stamps("**20:27:** The best way out is always through.")
    'The best way out is always through.'
    >>> drop_stamps("1:02:03 - Attention is the rarest form of generosity (Location 88).")
    'Attention is the rarest form of generosity.'
    >>> drop_stamps("Meet me at 10:30 tomorrow.")
    'Meet me at 10:30 tomorrow.'
    """
    if ":" in text:
        text = _TIMESTAMP.sub("", text)
    if "(" in text:
        text = _LOCATION.sub("", text)
    return text


class Highlight(NamedTuple):
    """A highlight as read: its text, marks and spans, where the export says it is, and whether
    it ended with an export's location *link* (then it surely is a highlight)."""

    text: str
    marks: tuple[Mark, ...]
    spans: tuple[Span, ...]
    places: tuple[Place, ...]
    located: bool


_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<code>.*?)^(?P=fence)[ \t]*$",
                    re.M | re.S)
_LANGUAGE = re.compile(r"[\w+#.-]{1,30}")


def split_fences(raw: str) -> list[str | tuple[str, str]]:
    """``raw`` as text and fenced code blocks (language, code), in order. The walker writes a
    block it finds inside a highlight back as a fence, so this is exact on its output.

    >>> split_fences("Look:\\n```python\\nx = 1\\n```\\nthen")
    ['Look:', ('python', 'x = 1'), 'then']
    """
    if "```" not in raw and "~~~" not in raw:
        return [raw]
    parts: list[str | tuple[str, str]] = []
    position = 0
    for match in _FENCE.finditer(raw):
        parts.append(raw[position : match.start()].strip("\n"))
        language = _LANGUAGE.match(match["info"].strip())
        parts.append((language.group() if language else "", match["code"].removesuffix("\n")))
        position = match.end()
    parts.append(raw[position:].strip("\n"))
    return [part for part in parts if part != ""]


Piece = tuple[str, tuple[Mark, ...], tuple[Span, ...]]
"""Some text of a highlight, with its marks and spans."""


def clean_highlight(raw: str) -> Highlight:
    """:func:`clean_quote`, with the spans, the places export tails name and whether one was a
    location link. Fenced code blocks inside the highlight are kept whole, line breaks and all.

    >>> highlight = clean_highlight("It *works*. ([Location 12](kindle://book?location=12))")
    >>> highlight.text, highlight.spans[0].kind, highlight.places, highlight.located
    ('It works.', 'em', (Place(label='Location 12', url='kindle://book?location=12'),), True)
    """
    parts = split_fences(raw)
    places: tuple[Place, ...] = ()
    located = False
    if isinstance(parts[-1], str):
        last, places, located = split_places(squash_spaces(parts[-1]))
        parts[-1] = last
    pieces: list[Piece] = []
    for part in parts:
        if isinstance(part, tuple):
            language, code = part
            pieces.append((code, (), (Span(0, len(code), "block", language),)))
            continue
        text = drop_footnote_markers(strip_wrapper(drop_stamps(squash_spaces(part))))
        parsed = parse_rich(text)
        pieces.append(_stripped(parsed))
    text, marks, spans = _joined(pieces)
    return Highlight(text, marks, spans, places, located)


def _joined(pieces: Sequence[Piece]) -> Piece:
    """Pieces of a highlight (text and fenced blocks) as one text, a space between two, their
    marks and spans moved to match; an empty piece adds nothing but its spans.

    >>> _joined([("It runs", (), ()), ("", (), (Span(0, 0, "block", "sh"),))])[0]
    'It runs'
    """
    texts: list[str] = []
    marks: list[Mark] = []
    spans: list[Span] = []
    size = 0
    for text, own_marks, own_spans in pieces:
        if not text and not own_spans:
            continue
        if texts and text:  # an empty fenced block takes no space: the text ends as it ends
            texts.append(" ")
            size += 1
        texts.append(text)
        marks.extend(shift_marks(own_marks, size))
        spans.extend(shift(own_spans, size))
        size += len(text)
    return "".join(texts), tuple(marks), tuple(spans)


def _stripped(parsed: Parsed) -> tuple[str, tuple[Mark, ...], tuple[Span, ...]]:
    """Parsed text without the spaces around it, its marks and spans moved to match."""
    text = parsed.text.strip()
    if len(text) == len(parsed.text):
        return text, parsed.marks, parsed.spans
    lead = len(parsed.text) - len(parsed.text.lstrip())
    marks = tuple(m for m in shift_marks(parsed.marks, -lead)
                  if 0 <= m.start <= m.end <= len(text))
    spans = []
    for span in shift(parsed.spans, -lead):
        if span.start == span.end:  # an image in the spaces around the text: at its edge
            at = min(max(span.start, 0), len(text))
            spans.append(Span(at, at, span.kind, span.target, span.label, span.size))
        elif 0 <= span.start <= span.end <= len(text):
            spans.append(span)
    return text, marks, tuple(spans)


def rich_text(raw: str) -> tuple[str, tuple[Span, ...]]:
    """The reader's own note on a highlight: text and spans, fenced code blocks kept whole,
    ``**bold**`` and ``==highlight==`` shown as such (a note has no gaps).

    >>> rich_text("A **key** point:\\n```\\nrun()\\n```")
    ('A key point: run()', (Span(start=2, end=5, kind='strong', target='', label='', size=''), \
Span(start=13, end=18, kind='block', target='', label='', size='')))
    """
    pieces: list[Piece] = []
    for part in split_fences(raw):
        if isinstance(part, tuple):
            pieces.append((part[1], (), (Span(0, len(part[1]), "block", part[0]),)))
        else:
            text, _, own = _stripped(parse_rich(squash_spaces(part), marks_are_emphasis=True))
            pieces.append((text, (), own))
    text, _, spans = _joined(pieces)
    return text, spans
