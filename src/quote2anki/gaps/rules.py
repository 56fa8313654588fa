"""The hard rules: what may never be a gap whatever its score (a stopword, a verb, a URL, a
``#tag``, code, a year, a typo or a damaged word, a title word, a pasted heading)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from ..language import Analysis, Token, is_cjk, is_stopword, zipf
from .candidates import Candidate, candidates

__all__ = ["allowed", "candidates", "is_code", "is_damaged"]


_IDENTIFIER = re.compile(
    r"[a-z0-9]_[a-z0-9]|^_|[a-z][A-Z]|^[a-z_]+\.[a-z_]+|[a-z]\d+[a-z]|^[a-z]+[A-Z][a-z]")
_CODE_KEYWORDS = frozenset("def class import return lambda var let const fn func print self "
                           "elif async await yield".split())
_YEAR = re.compile(r"^(?:1[0-9]|20)\d\d(?:s)?$|^'?\d0s$|^\d\d?th$")
_LETTERS_FROM_DAMAGE = frozenset("ÿ˙ﬁﬂﬀﬃﬄ�")


def is_code(tokens: Sequence[Token], k: int, text: str) -> bool:
    """Whether token ``k`` is code: an identifier shape (``snake_case``, ``a.b``,
    ``camelCase``), a name after ``def``/``class``, or a word glued to brackets or operators.

    >>> from quote2anki.language import analyse
    >>> a = analyse("Call count.index or my_list, then def countdown(n) and getValue here.")
    >>> [t.text for k, t in enumerate(a.tokens) if is_code(a.tokens, k, a.text)]
    ['count.index', 'my_list', 'countdown', 'getValue']
    """
    token = tokens[k].text
    if _IDENTIFIER.search(token) and not token.isupper():
        return True
    if k > 0 and tokens[k - 1].text in _CODE_KEYWORDS and tokens[k - 1].text.islower() and (
            k < 2 or tokens[k - 2].text in ".:;\n" or tokens[k - 1].start == 0 or
            text[tokens[k].end : tokens[k].end + 1] in ("(", ":")):
        return True
    after = text[tokens[k].end : tokens[k].end + 1]
    before = text[tokens[k].start - 1 : tokens[k].start] if tokens[k].start else ""
    return after in ("(", "[", "=", "{", ">") or before in ("=", "[", ".", "@", "<", "/", "\\")


@lru_cache(maxsize=65_536)
def is_damaged(word: str, language: str = "en") -> bool:
    """Whether ``word`` is a typo or a PDF-damaged word: unknown to the language's word list
    but one edit away from a common word (``fnding``, ``habbits``), or holding a letter
    that only PDF damage puts in a word (``suÿcient``).

    >>> [is_damaged(w) for w in ["fnding", "habbits", "suÿcient", "finding", "genexp"]]
    [True, True, True, False, False]
    """
    if any(c in _LETTERS_FROM_DAMAGE for c in word):
        return True
    lower = word.lower()
    known = zipf(lower, language)
    if not lower.isalpha() or len(lower) < 4 or known >= 2.0:
        return False
    if not word.islower():
        return False  # a capitalised unknown word is a name, not a typo
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(lower[:i], lower[i:]) for i in range(len(lower) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in letters}
    edits |= {a + c + b for a, b in splits for c in letters}
    bar = max(3.0, known + 2.5) if known else 3.0
    return any(zipf(e, language) >= bar for e in edits if e != lower)


def allowed(analysis: Analysis, candidate: Candidate,
            title_words: frozenset[str] = frozenset()) -> bool:
    """The hard rules: what may never be a gap whatever its score.

    >>> from quote2anki.language import analyse
    >>> a = analyse("In the 1980s the optimizer at https://x.org used fnding and #flashcard.")
    >>> [a.text[c.start:c.end] for c in candidates(a) if allowed(a, c)]
    ['optimizer']
    """
    tokens = analysis.tokens
    span = tokens[candidate.first : candidate.last]
    if not span:
        return False
    language = analysis.language
    words = [t for t in span if t.text[:1].isalnum()]
    if candidate.source == "term":  # a defined term is a gap unless it is the book's title
        return not _title_only(words, title_words)
    if not words:
        return False
    if all(is_stopword(t.text, language) and not t.text[:1].isdigit() for t in words):
        return False
    for k in range(candidate.first, candidate.last):
        token = tokens[k]
        if _is_barred(analysis, k):
            return False
        if token.tag.startswith(("VB", "MD")) and candidate.source != "NAME":
            return False
        if _YEAR.match(token.text) and (candidate.source != "NUM" or len(span) == 1 or
                                        token.text.endswith("s")):
            return False
    if candidate.source == "NUM" and len(span) == 1 and _plain_reference(tokens, candidate):
        return False
    if _title_only(words, title_words):
        return False
    if _in_heading(analysis, candidate):
        return False
    if candidate.source in ("NP", "HEAD") and _noun_before_name(analysis, candidate):
        return False
    if _meta_noun_before(span) or any(a.text.lower() == b.text.lower()
                                       for a, b in pairwise(span)):
        return False  # "the expression ataraxia": the words after it are the concept
    return not (is_cjk(language) and candidate.end - candidate.start < 2)


def _title_only(words: Sequence[Token], title_words: frozenset[str]) -> bool:
    """Whether every word (numbers aside) is a word of the book's title, in either number."""
    content = [t.text.lower() for t in words if not t.text[:1].isdigit()]
    return bool(content) and all(w in title_words or w.rstrip("s") in title_words
                                 or w + "s" in title_words for w in content)


_LAST_BARRED: list[tuple[Analysis, dict[int, bool]]] = []


def _is_barred(analysis: Analysis, k: int) -> bool:
    """Whether token ``k`` bars every candidate that holds it (a URL, a path, a ``#tag``,
    code, a damaged word): judged once per quote, not once per candidate that holds it."""
    if not _LAST_BARRED or _LAST_BARRED[0][0] is not analysis:
        _LAST_BARRED[:] = [(analysis, {})]
    known = _LAST_BARRED[0][1]
    verdict = known.get(k)
    if verdict is None:
        tokens, language = analysis.tokens, analysis.language
        word = tokens[k].text
        verdict = known[k] = word.startswith(("http", "www.", "#")) or "/" in word or (
            not is_cjk(language) and (is_code(tokens, k, analysis.text)
                                      or is_damaged(word, language)))
    return verdict


_META_NOUNS = frozenset("phrase phrases expression expressions acronym abbreviation notion "
                        "neologism".split())
"""Nouns that name a word rather than a thing; "term", "word", "concept" and "label" are left
out, since they begin compounds (term frequency, word embeddings, concept drift)."""


def _meta_noun_before(span: Sequence[Token]) -> bool:
    """Whether a noun that names a word (``phrase``, ``expression``, ``acronym``) stands
    before other words of the span: in "the Greek expression ataraxia" the concept is what
    follows it.

    >>> from quote2anki.language import analyse
    >>> a = analyse("Stoics used the Greek expression ataraxia for a calm mind.")
    >>> sorted(a.text[c.start:c.end] for c in candidates(a) if allowed(a, c))[:4]
    ['Greek', 'Greek expression', 'Stoics', 'ataraxia']
    """
    return any(t.text.lower() in _META_NOUNS and t.tag.startswith("NN") for t in span[:-1])


def _noun_before_name(analysis: Analysis, candidate: Candidate) -> bool:
    """Whether a noun phrase runs a common noun into a name: "package Vowpal Wabbit",
    "appointment Isaac Newton" cross a phrase boundary (the name is the gap, alone).

    >>> from quote2anki.language import analyse
    >>> a = analyse("It was popularized by the package Vowpal Wabbit.")
    >>> [a.text[c.start:c.end] for c in candidates(a) if allowed(a, c)]
    ['Vowpal Wabbit', 'package']
    """
    tokens = analysis.tokens
    for phrase in analysis.phrases:
        if (phrase.kind == "NAME" and candidate.first < phrase.first < candidate.last
                and any(tokens[k].tag.startswith("NN") and tokens[k].text[:1].islower()
                        for k in range(candidate.first, phrase.first))):
            return True
    return False


def _plain_reference(tokens: Sequence[Token], candidate: Candidate) -> bool:
    """A bare number that is a reference, a footnote or a small count: "Chapter 3",
    "data.2", "1" and "2"."""
    token = tokens[candidate.first]
    if token.text in ("0", "1", "2"):
        return True
    k = candidate.first
    if k > 0 and tokens[k - 1].text[:1].isupper() and tokens[k - 1].tag in ("NNP", "NN"):
        return True  # "Chapter 3", "Python 3" stays visible as context
    return k > 0 and tokens[k - 1].text == "." and tokens[k - 1].end == token.start


def _in_heading(analysis: Analysis, candidate: Candidate) -> bool:
    """A stretch of capitals at a sentence's start glued to the text: a pasted heading."""
    span = analysis.tokens[candidate.first : candidate.last]
    if not all(t.text.isupper() for t in span if t.text[:1].isalpha()):
        return False
    for a, b in analysis.sentences:
        if a <= candidate.start and candidate.end <= b:
            words = [t for t in analysis.tokens if a <= t.start < b and t.text[:1].isalpha()]
            return len(words) >= 2 and all(t.text.isupper() for t in words)
    return False
