"""Text with spans: moving, cutting and joining the spans that say how text was printed.

Text and its :class:`~quote2anki.model.Span` values travel together (a quote, the reader's note
on it, a definition cut out of a quote); these helpers keep the spans pointing at the same
characters when the text is shifted, cut or joined. A reader's note holds pieces joined by
``\\n``; a line break inside a code block is not a piece's end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import ATOMIC, Span


def shift(spans: Iterable[Span], by: int) -> tuple[Span, ...]:
    """``spans`` moved ``by`` characters (to the right when positive).

    >>> shift([Span(0, 2, "em")], 3)
    (Span(start=3, end=5, kind='em', target='', label='', size=''),)
    """
    if not by:
        return tuple(spans)
    return tuple(Span(s.start + by, s.end + by, s.kind, s.target, s.label, s.size)
                 for s in spans)


def cut(spans: Iterable[Span], start: int, end: int) -> tuple[Span, ...]:
    """The spans of ``text[start:end]``, relative to it. Emphasis and links that run past an
    end are cut there; code, formulas and URLs cut short are dropped (half a formula is not
    one), their text kept as plain text.

    >>> cut([Span(0, 4, "em"), Span(5, 9, "math"), Span(6, 6, "image")], 2, 8)
    (Span(start=0, end=2, kind='em', target='', label='', size=''), Span(start=4, end=4, \
kind='image', target='', label='', size=''))
    """
    out = []
    for span in spans:
        if span.start == span.end:
            if start <= span.start <= end:
                out.append(Span(span.start - start, span.start - start, span.kind,
                                span.target, span.label, span.size))
            continue
        low, high = max(span.start, start), min(span.end, end)
        if low >= high or (span.kind in ATOMIC and (low, high) != (span.start, span.end)):
            continue
        out.append(Span(low - start, high - start, span.kind, span.target, span.label,
                        span.size))
    return tuple(out)


def protected(spans: Iterable[Span]) -> tuple[tuple[int, int], ...]:
    """The stretches no automatic gap may touch: code, formulas and URLs, in order.

    >>> protected([Span(4, 9, "code"), Span(0, 3, "em"), Span(10, 12, "math")])
    ((4, 9), (10, 12))
    """
    return tuple(sorted((s.start, s.end) for s in spans if s.kind in ATOMIC))


def pieces(text: str, spans: Sequence[Span]) -> list[tuple[str, tuple[Span, ...]]]:
    """A reader's note split into its pieces at the line breaks outside code blocks.

    >>> [t for t, _ in pieces("one\\ntwo x\\ny", [Span(8, 11, "block")])]
    ['one', 'two x\\ny']
    """
    blocks = [(s.start, s.end) for s in spans if s.kind == "block"]
    out = []
    begin = 0
    for index, char in enumerate(text):
        if char == "\n" and not any(a <= index < b for a, b in blocks):
            out.append((text[begin:index], cut(spans, begin, index)))
            begin = index + 1
    out.append((text[begin:], cut(spans, begin, len(text))))
    return out


def join(parts: Iterable[tuple[str, Sequence[Span]]], separator: str = "\n"
         ) -> tuple[str, tuple[Span, ...]]:
    """Texts and their spans joined into one text, each piece once, in order.

    >>> join([("a", ()), ("b", [Span(0, 1, "em")]), ("a", ())])
    ('a\\nb', (Span(start=2, end=3, kind='em', target='', label='', size=''),))
    """
    texts: list[str] = []
    spans: list[Span] = []
    seen: set[tuple[str, tuple[Span, ...]]] = set()
    size = 0
    for text, own in parts:
        key = (text, tuple(own))
        if (not text and not own) or key in seen:
            continue
        seen.add(key)
        if texts:
            size += len(separator)
        texts.append(text)
        spans.extend(shift(own, size))
        size += len(text)
    return separator.join(texts), tuple(spans)
