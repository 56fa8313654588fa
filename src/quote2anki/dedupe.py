"""One quote per passage: a quote pasted twice, or contained in a longer one, is kept once."""

from __future__ import annotations

from dataclasses import replace

from .model import Quote
from .rich import join, pieces
from .text import fingerprint


def merge_duplicates(quotes: list[Quote], *, contained: bool = True) -> list[Quote]:
    """One quote per passage: drop quotes that repeat, or sit inside, a longer quote.

    With ``contained`` false only quotes that repeat another word for word are merged: in an
    export each entry is a highlight of its own, and a heading the reader highlighted apart
    from the paragraph that repeats it is still theirs to study.

    The reader's comment and tags of a dropped copy move to the quote that stays. A longer quote
    is found through the rarest three words in a row of the shorter one, and at most
    :data:`_MAX_CANDIDATES` are compared, so a book with many thousands of highlights (or a
    hostile one) stays linear.
    """
    prints = [fingerprint(quote.text) for quote in quotes]
    order = sorted(range(len(quotes)), key=lambda i: (-len(prints[i]), i))
    kept: dict[int, Quote] = {}
    exact: dict[str, int] = {}
    index: dict[str, list[int]] = {}
    for i in order:
        words = prints[i].split()
        keys = {" ".join(words[start : start + 3]) for start in range(len(words) - 2)}
        host = exact.get(prints[i])
        if host is None and keys and contained:
            candidates = min((index.get(key, []) for key in keys), key=len)
            host = next((j for j in candidates[:_MAX_CANDIDATES]
                         if f" {prints[i]} " in f" {prints[j]} "), None)
        if host is None:
            kept[i] = quotes[i]
            exact[prints[i]] = i
            for key in keys:
                index.setdefault(key, []).append(i)
            continue
        merged = kept[host]
        other = quotes[i]
        comment, spans = join([*pieces(merged.comment, merged.comment_spans),
                               *pieces(other.comment, other.comment_spans)])
        tags = tuple(dict.fromkeys(merged.tags + other.tags))
        places = tuple(dict.fromkeys(merged.places + other.places))
        kept[host] = replace(merged, comment=comment, comment_spans=spans, tags=tags,
                             places=places)
    return [kept[i] for i in sorted(kept)]


_MAX_CANDIDATES = 200
