"""Candidate gaps: whole phrases from the linguistic layer (defined terms, names with their
particles, numbers with their unit, noun phrases and the parts of them that end on a noun),
before the hard rules (:mod:`.rules`) and the ranking (:mod:`.features`, :mod:`.choose`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..language import Analysis, Phrase, Token, is_cjk, is_stopword


@dataclass(frozen=True, slots=True)
class Candidate:
    """A phrase that could be hidden: tokens ``first:last``, where it came from, its hint."""

    start: int
    end: int
    first: int
    last: int
    source: str
    """``term``, ``NAME``, ``NUM``, ``NP`` (a whole noun phrase), ``HEAD`` (a part of one) or
    ``OF`` (a noun phrase of a noun phrase: ``curse of dimensionality``)."""
    hint: str | None = None
    outer: tuple[int, int] = (-1, -1)
    """The token range of the noun phrase a ``HEAD`` or ``NP`` candidate comes from."""


_NOUN = frozenset(("NN", "NNS", "NNP", "NNPS"))
_MODIFIER = frozenset(("JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "VBN", "VBG", "CD", "FW"))
_SKIP_HEAD = frozenset(("DT", "PRP", "PRP$", "POS", "WDT", "WP", "WP$", "EX", "CC", "PDT",
                        "RB", "RBR", "RBS", "IN", "TO", "MD", ":", ",", "."))
MAX_TOKENS = 5


def _content(token: Token, language: str) -> bool:
    """A token that may stand in a gap: a word or number, not a stopword, not punctuation."""
    text = token.text
    if not (text[:1].isalnum()):
        return False
    if token.tag in _SKIP_HEAD:
        return False
    return text[:1].isdigit() or not is_stopword(text, language)


def candidates(analysis: Analysis, terms: Sequence[tuple[int, int, str | None]] = ()
               ) -> list[Candidate]:
    """Every phrase that could be a gap, before the hard rules and the ranking: the defined
    terms, names, numbers, whole noun phrases without their determiners, and the parts of a
    noun phrase that end on a noun (``random salt`` in ``a random salt value``).

    >>> from quote2anki.language import analyse
    >>> a = analyse("A random salt value is added by Guido van Rossum in 1,197 cases.")
    >>> sorted({a.text[c.start:c.end] for c in candidates(a)})
    ['1,197', '1,197 cases', 'Guido van Rossum', 'cases', 'random salt', 'random salt value', \
'salt', 'salt value', 'value']
    """
    tokens = analysis.tokens
    language = analysis.language
    out: list[Candidate] = []
    seen: set[tuple[int, int]] = set()

    names = [(p.first, p.last) for p in analysis.phrases if p.kind in ("NAME", "NUM")]

    def add(first: int, last: int, source: str, hint: str | None = None,
            outer: tuple[int, int] = (-1, -1)) -> None:
        if first >= last or (first, last) in seen:
            return
        if any(a < last and first < b and not (first <= a and b <= last) for a, b in names):
            return  # a name or a number is hidden whole: never "Guido van" or "340 pounds"
        seen.add((first, last))
        out.append(Candidate(tokens[first].start, tokens[last - 1].end, first, last, source,
                             hint, outer))

    starts = {t.start: k for k, t in enumerate(tokens)}
    ends = {t.end: k for k, t in enumerate(tokens)}
    for start, end, hint in terms:
        end = _without_aside(analysis.text, start, end)
        first = starts.get(start)
        last = ends.get(end)
        if first is None or last is None:
            first = next((k for k, t in enumerate(tokens) if t.end > start), None)
            last = next((k for k in range(len(tokens) - 1, -1, -1) if tokens[k].start < end),
                        None)
        if first is not None and last is not None and first <= last:
            seen.discard((first, last + 1))
            out.append(Candidate(start, end, first, last + 1, "term", hint))
            seen.add((first, last + 1))
    for phrase in analysis.phrases:
        if phrase.kind == "NUM":
            add(phrase.first, phrase.last, "NUM", _unit_hint(tokens, phrase))
        elif phrase.kind == "NAME":
            add(phrase.first, phrase.last, "NAME")
            if is_cjk(language):
                continue
        elif phrase.kind == "NP":
            _noun_phrase(phrase, tokens, language, add)
    for first, last in _named_laws(tokens):
        add(first, last, "NAME")
    for first, last in _noun_of_noun(tokens, language):
        add(first, last, "OF")
    return out


_PARTITIVE = frozenset("kind kinds sort sorts type types lot lots bunch couple number numbers "
                       "amount amounts way ways part parts piece pieces variety".split())
"""Nouns that measure or sort what follows them (``a lot of X``, ``a kind of X``): X is the
concept, not the pair."""


def _noun_of_noun(tokens: Sequence[Token], language: str) -> Iterable[tuple[int, int]]:
    """Concepts named by two noun phrases joined by *of*: ``the curse of dimensionality``,
    ``division of labour``. Both sides are whole phrases (their content without the article), at
    most five tokens in all; a measure or sort (``a lot of``, ``a kind of``) is no concept.

    >>> from quote2anki.language import analyse
    >>> a = analyse("It is called the curse of sparse features, a kind of compute budget.")
    >>> sorted(a.text[c.start:c.end] for c in candidates(a) if c.source == "OF")
    ['curse of sparse features']
    """
    if language != "en":
        return
    n = len(tokens)

    def modifier(k: int) -> bool:
        return 0 <= k < n and tokens[k].tag in _MODIFIER and _content(tokens[k], language)

    for k in range(1, n - 1):
        if tokens[k].text.lower() != "of" or tokens[k - 1].tag not in ("NN", "NNS"):
            continue
        if not modifier(k - 1) or tokens[k - 1].text.lower() in _PARTITIVE:
            continue
        first = k - 1
        while modifier(first - 1):
            first -= 1
        right = k + 1
        if tokens[right].text.lower() in ("a", "an", "the"):
            right += 1
        end = right
        while modifier(end):
            end += 1
        if end == right or tokens[end - 1].tag not in _NOUN or end - first - (right - k - 1) > (
                MAX_TOKENS):
            continue
        yield first, end


def _without_aside(text: str, start: int, end: int) -> int:
    """Where a term ends without a trailing aside in brackets of more than one word
    (``cognitive dissonance (see Chapter 1)``, ``scenario analysis (also known as ...)``):
    the aside is no part of the answer. An acronym in brackets stays: ``(DoS)``.

    >>> t = "called cognitive dissonance (see Chapter 1) here"
    >>> t[7:_without_aside(t, 7, 43)]
    'cognitive dissonance'
    >>> t = "a Denial-of-Service (DoS) attack"
    >>> t[2:_without_aside(t, 2, len(t))]
    'Denial-of-Service (DoS) attack'
    """
    cut = text.find("(", start, end)
    if cut <= start:
        return end
    close = text.find(")", cut, end)
    inside = text[cut + 1 : close if close >= 0 else end]
    if len(inside.split()) < 2:
        return end
    return len(text[:cut].rstrip()) if text[start:cut].strip() else end


_NAMED_KINDS = frozenset("law effect principle razor paradox theorem rule fallacy dilemma "
                         "hypothesis conjecture equation constant curve test".split())


def _named_laws(tokens: Sequence[Token]) -> Iterable[tuple[int, int]]:
    """Laws, effects and principles named after a person, ``Campbell's law``: the name alone
    would leave what it names showing. The clitic is read by its text: the tagger sometimes
    takes ``'s law`` for a verb (``is lawing``).

    >>> from quote2anki.language import analyse
    >>> a = analyse("This is called Goodhart's law by most economists.")
    >>> [a.text[c.start:c.end] for c in candidates(a) if c.source == "NAME"]
    ["Goodhart's law"]
    """
    for k in range(1, len(tokens) - 1):
        if (tokens[k].text in ("'s", "’s") and tokens[k - 1].tag in ("NNP", "NNPS")
                and tokens[k + 1].text.lower() in _NAMED_KINDS):
            first = k - 1
            while first > 0 and tokens[first - 1].tag in ("NNP", "NNPS"):
                first -= 1
            yield first, k + 2


def _noun_phrase(phrase: Phrase, tokens: Sequence[Token], language: str,
                 add: _Adder) -> None:
    first, last = phrase.first, phrase.last
    while first < last and not _content(tokens[first], language):
        first += 1
    while last > first and not _content(tokens[last - 1], language):
        last -= 1
    if first >= last:
        return
    inner = [k for k in range(first, last) if not _content(tokens[k], language)]
    if inner:  # "simplicity and correctness": cut at the inner "and" / comma
        pieces, left = [], first
        for k in [*inner, last]:
            if k > left:
                pieces.append((left, k))
            left = k + 1
        if len(pieces) > 1 and last - first <= MAX_TOKENS:
            add(first, last, "NP", None, (first, last))
        for a, b in pieces:
            _parts(a, b, tokens, add)
        return
    if last - first <= MAX_TOKENS:
        add(first, last, "NP", None, (first, last))
    _parts(first, last, tokens, add)


def _parts(first: int, last: int, tokens: Sequence[Token], add: _Adder) -> None:
    """Every stretch of the phrase that ends on a noun (or is the whole phrase), up to four
    tokens: the head, the head with its modifiers, a compound before a trailing noun."""
    for b in range(last, first, -1):
        if tokens[b - 1].tag and tokens[b - 1].tag not in _NOUN and b != last:
            continue
        for a in range(b - 1, max(first, b - 4) - 1, -1):
            if tokens[a].tag and tokens[a].tag not in _MODIFIER:
                break
            add(a, b, "NP" if (a, b) == (first, last) else "HEAD", None, (first, last))


class _Adder(Protocol):
    def __call__(self, first: int, last: int, source: str, hint: str | None = None,
                 outer: tuple[int, int] = (-1, -1)) -> None:
        ...


_UNIT_NAMES = {"%": "percent", "$": "dollars", "€": "euros", "£": "pounds", "¥": "yen",
               "x": "times", "×": "times", "ms": "ms", "s": "seconds", "gb": "GB", "mb": "MB",
               "kb": "KB", "tb": "TB"}


def _unit_hint(tokens: Sequence[Token], phrase: Phrase) -> str | None:
    """A hint naming the unit of a number, when the unit is inside the gap (so showing it
    does not give the number away); a plain number gets no hint."""
    words = [tokens[k].text for k in range(phrase.first, phrase.last)]
    if len(words) < 2:
        return None
    if words[0] in _UNIT_NAMES:
        return _UNIT_NAMES[words[0]]
    unit = words[-1].lower()
    return _UNIT_NAMES.get(unit, unit if unit.isalpha() and len(unit) > 1 else None)
