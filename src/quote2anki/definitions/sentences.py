"""Sentences and clauses: the units every rule reads."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import MAX_SENTENCE

# --- sentences --------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "e.g i.e etc al vs cf fig figs eq no nos vol pp ch sec mr mrs ms dr prof st jr sr inc ltd co "
    "approx ca resp viz ibid op dept est".split()
)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the sentences in ``text``; abbreviations, initials and decimals do not end one.

    >>> s = "Su et al. showed 67.97% of it. P(Y|X) stays, e.g. here. Frederick P. Brooks wrote."
    >>> [s[a:b] for a, b in sentences(s)]
    ['Su et al. showed 67.97% of it.', 'P(Y|X) stays, e.g. here.', 'Frederick P. Brooks wrote.']
    """
    start = 0
    for match in _SENTENCE_END.finditer(text):
        word = text[max(start, match.start() - 12) : match.start()].split()
        last = word[-1].lower().rstrip(".") if word else ""
        if match.group()[0] == "." and (
            last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())
        ):
            continue
        end = match.end()
        yield start, end
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        yield start, len(text.rstrip()) if text.rstrip() else len(text)




def clauses(text: str) -> list[tuple[int, int]]:
    """Sentences, and the parts of a sentence between semicolons, as spans of ``text``."""
    spans = []
    for start, end in sentences(text):
        if end - start > MAX_SENTENCE:
            continue
        position = start
        opener = _CONTRAST_OPENER.match(text, start, end)
        if opener:
            position = opener.end()
        for part in _CLAUSE_BREAK.finditer(text, start, end):
            spans.append((position, part.start() + (1 if part.group().startswith(";") else 0)))
            position = part.end()
        spans.append((position, end))
    return spans


# "Dead load means ... while live load means ...", "Where a meteoroid is ..., a meteor is ...,
# and a meteorite is ...": each side is a clause of its own.
# A hashtag ("... ? #flashcard An abstract data type is ...") ends a clause too.
_CLAUSE_BREAK = re.compile(r";\s|\s#[A-Za-z][\w/-]*(?=\s|$)\s?|[,—]?\s?(?:while|whereas)\s|"
                           r",\s(?:and\s|but\s)?(?=(?:a|an|the)\s"
                           r"[\w’'-]+(?:\s[\w’'-]+)?\s(?:is|are|means)\s)")
_CONTRAST_OPENER = re.compile(r"(?:Where|While|Whereas)\s(?=(?:a|an|the)\s)")

