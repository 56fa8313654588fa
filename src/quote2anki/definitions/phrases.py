"""Noun phrases around a position: the extent of a term, from the linguistic layer's tags.

"Flask has transitive dependencies": the term before a comma or after ``called`` is the noun
phrase standing there, not the words back to the start of the clause.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..language import Analysis, Token, analyse

_NOUNISH = frozenset("NN NNS NNP NNPS JJ JJR VBG VBN CD FW POS HYPH".split())
_NOUNS = frozenset("NN NNS NNP NNPS FW VBG CD".split())
_DETERMINERS = frozenset("the a an this that these those its their our your his her my".split())
_BREAK_WORDS = frozenset("""is are was were be been being has have had do does did can could will
    would should may might must which who whom whose that where when while whereby wherein and or
    but because if than as so not also then there here it its they we you he she i""".split())
_QUOTES = "“”\"‘’'"


@lru_cache(maxsize=64)
def analysed(text: str) -> Analysis:
    """The analysis of a whole quote, shared by every rule that asks about it."""
    return analyse(text)


def _token_ending(tokens: tuple[Token, ...], end: int) -> int:
    """Index of the last token ending at or before ``end``, or -1."""
    low, high = 0, len(tokens)
    while low < high:
        middle = (low + high) // 2
        if tokens[middle].end <= end:
            low = middle + 1
        else:
            high = middle
    return low - 1


def _token_starting(tokens: tuple[Token, ...], start: int) -> int:
    for index in range(max(0, _token_ending(tokens, start)), len(tokens)):
        if tokens[index].start >= start:
            return index
    return len(tokens)


def _part_of_term(token: Token) -> bool:
    word = token.text.lower().strip(_QUOTES)
    return bool(word) and word not in _BREAK_WORDS and word not in _DETERMINERS and (
        token.tag in _NOUNISH or (not token.tag and word.isalnum()) or "-" in word)


def np_spans_before(text: str, end: int) -> list[tuple[int, int]]:
    """The noun phrase ending at ``end``, and, when it joins two with "of", the part after
    "of" too ("the tale of the wooden horse": both "tale of the wooden horse" and "wooden
    horse"); the scorer picks one."""
    span = np_before(text, end)
    if span is None:
        return []
    inner = re.search(r"\sof\s(?:the\s|a\s|an\s)?(?=\S)", text[span[0]:span[1]])
    if inner is None:
        return [span]
    return [span, (span[0] + inner.end(), span[1])]


def np_before(text: str, end: int, most: int = 5) -> tuple[int, int] | None:
    """The span of the noun phrase that ends at ``end`` in ``text`` (a quote), or None.

    >>> t = "Django brings transitive dependencies, which its own packages need."
    >>> span = np_before(t, t.index(","))
    >>> t[slice(*span)]
    'transitive dependencies'
    >>> t = "It arises from the tragedy of the commons, where each takes too much."
    >>> t[slice(*np_before(t, t.index(",")))]
    'tragedy of the commons'
    """
    tokens = analysed(text).tokens
    last = _token_ending(tokens, end)
    if last < 0 or text[tokens[last].end:end].strip(" " + _QUOTES):
        return None
    while last >= 0 and tokens[last].text in _QUOTES:
        last -= 1
    if last < 0 or tokens[last].tag not in _NOUNS or not _part_of_term(tokens[last]):
        return None
    first = last
    while first > 0 and last - first + 1 < most:
        previous = tokens[first - 1]
        if _part_of_term(previous):
            first -= 1
            continue
        # "tragedy of the commons": of (the) joins two nouns
        word = previous.text.lower()
        back = first - 2 if word == "of" else first - 3 if (
            word in ("the", "a") and first >= 3 and tokens[first - 2].text.lower() == "of") else -1
        if back >= 0 and tokens[back].tag in _NOUNS and _part_of_term(tokens[back]):
            first = back
            continue
        break
    while first < last and tokens[first].tag in ("POS", "CD"):
        first += 1
    return tokens[first].start, tokens[last].end


def np_after(text: str, start: int, most: int = 5, limit: int | None = None
             ) -> tuple[int, int] | None:
    """The span of the noun phrase that starts at ``start`` (an article is skipped), or None;
    with ``limit``, it ends there at the latest.

    >>> t = "Data is sent in units called frames, which hold a header."
    >>> t[slice(*np_after(t, t.index("frames")))]
    'frames'
    >>> t = "This is called the tragedy of the commons."
    >>> t[slice(*np_after(t, t.index("the")))]
    'tragedy of the commons'
    """
    tokens = analysed(text).tokens
    if limit is not None:
        tokens = tokens[: _token_ending(tokens, limit) + 1]
    first = _token_starting(tokens, start)
    while first < len(tokens) and (tokens[first].text in _QUOTES or tokens[first].text.lower()
                                   in _DETERMINERS):
        first += 1
    if first >= len(tokens) or not _part_of_term(tokens[first]):
        return None
    last = first
    while last + 1 < len(tokens) and last - first + 1 < most:
        following = tokens[last + 1]
        if _part_of_term(following) and following.tag not in ("VBN",):
            last += 1
            continue
        if following.text.lower() == "of":
            step = 2 if last + 2 < len(tokens) and tokens[last + 2].text.lower() == "the" else 1
            nxt = last + 1 + step
            if nxt < len(tokens) and tokens[nxt].tag in _NOUNS | {"JJ"} and _part_of_term(
                    tokens[nxt]):
                last = nxt
                continue
        break
    while last > first and tokens[last].tag not in _NOUNS:
        last -= 1
    if tokens[last].tag not in _NOUNS and tokens[last].tag not in ("JJ", ""):
        return None
    return tokens[first].start, tokens[last].end


def tokens_in(text: str, start: int, end: int) -> list[Token]:
    """The tokens of ``text`` (a quote, analysed once) that lie inside ``start``..``end``."""
    tokens = analysed(text).tokens
    index = _token_starting(tokens, start)
    out = []
    while index < len(tokens) and tokens[index].end <= end:
        out.append(tokens[index])
        index += 1
    return out


def tags(text: str, start: int, end: int) -> list[str]:
    """The tags of the tokens inside ``text[start:end]``."""
    tokens = analysed(text).tokens
    index = _token_starting(tokens, start)
    out = []
    while index < len(tokens) and tokens[index].end <= end:
        out.append(tokens[index].tag)
        index += 1
    return out
