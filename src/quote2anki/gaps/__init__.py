"""Choosing what to hide in a quote: whole phrases a careful reader would recall.

Candidates are whole phrases from :mod:`quote2anki.language` (noun phrases and their heads,
proper names with their particles, numbers with their unit), the terms the quote defines and
the reader's marks. Hard rules remove what must never be a gap (a stopword, a verb, a title
word, code, a URL, a ``#tag``, a year, a typo or a PDF-damaged word, a word the card shows
elsewhere). What is left is ranked by a logistic model over general features (phrase kind,
rarity in the quote's language, shape, definitional cues, position, repetition, length); its
weights are learned from hand-labelled real notes (``eval/gaps/train_ranker.py``) and ship as
``gap_weights.json``. A gap must clear a bar: a quote with nothing worth hiding gets none.

The interface is small and pure: :func:`choose` takes an :class:`~quote2anki.language.Analysis`
and returns :class:`Gap` values.
"""

from __future__ import annotations

from .candidates import Candidate, candidates
from .choose import (
                     MAX_GAPS,
                     NUMBER_WITH_UNIT,
                     WITH_UNIT,
                     MarkLike,
                     _clash,
                     _weights,
                     choose,
                     ranked,
                     score,
)
from .features import FEATURES, features, quote_context, word_zipf
from .rules import allowed, is_code, is_damaged

__all__ = [
           "FEATURES",
           "MAX_GAPS",
           "NUMBER_WITH_UNIT",
           "WITH_UNIT",
           "Candidate",
           "MarkLike",
           "_clash",
           "_weights",
           "allowed",
           "candidates",
           "choose",
           "features",
           "is_code",
           "is_damaged",
           "quote_context",
           "ranked",
           "score",
           "word_zipf",
]
