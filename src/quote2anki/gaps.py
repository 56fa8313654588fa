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

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Protocol

from .language import Analysis, Phrase, Token, is_cjk, is_stopword, zipf
from .model import Gap

__all__ = ["Candidate", "candidates", "choose", "features", "is_code", "is_damaged"]


class MarkLike(Protocol):
    """A reader's mark (``==x==``, ``**x**``, ``{{c1::x}}``): a span, maybe a number and hint."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def number(self) -> int | None: ...
    @property
    def hint(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    """A phrase that could be hidden: tokens ``first:last``, where it came from, its hint."""

    start: int
    end: int
    first: int
    last: int
    source: str
    """``term``, ``NAME``, ``NUM``, ``NP`` (a whole noun phrase) or ``HEAD`` (a part of one)."""
    hint: str | None = None
    outer: tuple[int, int] = (-1, -1)
    """The token range of the noun phrase a ``HEAD`` or ``NP`` candidate comes from."""


# --- hard rules ----------------------------------------------------------------------------------

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


# --- candidates -----------------------------------------------------------------------------------

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
    return out


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


# --- features ------------------------------------------------------------------------------------

_CUE_BEFORE = re.compile(
    r"(?:called|named|termed|dubbed|known as|referred to as|so-called|the term|the word|"
    r"the concept of|the idea of|the principle of|the law of|the rule of|principle|"
    r"stands for|is the|are the|is a|are)\s*(?:(?:the|a|an)\s+)?[“\"‘']?$", re.I)
_WEAK_CUE_BEFORE = re.compile(r"(?:\bis|\bare|\bwas|:|means|as)\s+(?:(?:the|a|an)\s+)?$", re.I)
_CUE_AFTER = re.compile(
    r"^[”\"’']?\s*(?:\([^)]{1,40}\)\s*)?(?:is|are|was|refers to|means|describes|"
    r"stands for|happens|occurs|:|—|-{1,2}\s)", re.I)
_QUOTED_BEFORE = frozenset("“\"‘'")

FEATURES = (
    "bias",
    "term",          # a term the quote defines (found by the definitions finder)
    "name",          # a proper name with its particles (NAME phrase)
    "number_unit",   # a number with its unit or currency
    "number_plain",  # a bare number (a count)
    "whole_np",      # the whole noun phrase, determiners removed
    "head_part",     # a part of a noun phrase that ends on a noun
    "tokens1",       # one token long
    "tokens2",       # two tokens long
    "tokens3",       # three tokens long
    "tokens4plus",   # four or more tokens long
    "rarity_max",    # rarity of its rarest word: (7 - Zipf) / 7 in the quote's language
    "rarity_mean",   # mean rarity of its words
    "common_word",   # holds a word among the 1,000 or so most frequent (Zipf >= 5)
    "unknown_word",  # holds a word the language's list does not know (jargon or a name)
    "capitalised",   # capitalised where a sentence does not start
    "acronym",       # an all-capitals word (ML, LRU, DOS)
    "hyphenated",    # holds a hyphenated compound (first-class, zero-based)
    "plural_head",   # its last word is a plural noun
    "adjective_first",  # starts with an adjective
    "cue_before",    # a naming cue right before: "called X", "known as X", "X" after "is a"
    "cue_after",     # a defining cue right after: "X is", "X refers to", "X (Y)", "X:"
    "quoted",        # in quotation marks
    "parenthesised_after",  # followed by a parenthesis (an acronym or a gloss)
    "subject",       # before the first verb of its sentence
    "first_sentence",  # in the quote's first sentence
    "position",      # where it starts, 0 at the quote's start and 1 at its end
    "repeated",      # its last word occurs again in the quote
    "title_share",   # share of its words that are words of the book's title
    "giveaway",      # a word of it shows elsewhere on the card in another form
    "quote_tokens",  # log of the quote's length in tokens, scaled
    "extends_np",    # a noun phrase part that leaves out words of its phrase
    "cjk",           # the quote is Chinese or Japanese
    "foreign",       # the quote is in a language other than English, not CJK
    "head_rarity",   # rarity of its last word (the head of a noun phrase)
    "ends_at_head",  # ends where its noun phrase ends (on the phrase's head)
    "starts_at_np",  # starts where its noun phrase's content starts
    "multiword_name",  # a name of two or more capitalised words
    "initial_name",  # a one-word name at the start of a sentence (often no name at all)
    "proper_nouns",  # every word tagged a proper noun
    "noun_compound",  # two or more nouns in a row (query execution plan)
    "phrase_repeated",  # the whole phrase occurs more than once in the quote
    "rarest_here",   # holds the rarest word among the quote's candidates
    "rarity_gap",    # how far its rarest word is from the quote's rarest (0 = it is)
    "weak_cue",      # right after "is", "are", ":", "means", "as" (the predicate of a gloss)
    "sentence_index",  # which sentence it is in, 0 for the first, 1 for the fifth or later
    "many_candidates",  # log of the number of candidates in the quote, scaled
)


@dataclass(frozen=True, slots=True)
class _Facts:
    """What every candidate of one quote is compared with, computed once per quote."""

    lower: tuple[str, ...]
    by_lower: dict[str, tuple[int, ...]]
    by_stem: dict[str, tuple[int, ...]]
    first_verb: dict[tuple[int, int], int]
    folded: str


_LAST_FACTS: list[tuple[Analysis, _Facts]] = []


def _facts(analysis: Analysis) -> _Facts:
    if _LAST_FACTS and _LAST_FACTS[0][0] is analysis:
        return _LAST_FACTS[0][1]
    lower = tuple(t.text.lower() for t in analysis.tokens)
    by_lower: dict[str, list[int]] = {}
    by_stem: dict[str, list[int]] = {}
    for k, word in enumerate(lower):
        by_lower.setdefault(word, []).append(k)
        if len(word) > 3:
            by_stem.setdefault(_stem(word), []).append(k)
    first_verb: dict[tuple[int, int], int] = {}
    for a, b in analysis.sentences:
        first_verb[(a, b)] = next((t.start for t in analysis.tokens if a <= t.start < b
                                   and t.tag.startswith(("VB", "MD"))), b)
    facts = _Facts(lower, {k: tuple(v) for k, v in by_lower.items()},
                   {k: tuple(v) for k, v in by_stem.items()}, first_verb,
                   analysis.text.casefold())
    _LAST_FACTS[:] = [(analysis, facts)]
    return facts


def _occurrences(folded: str, phrase: str) -> int:
    """How often ``phrase`` stands in ``folded`` as whole words."""
    count = 0
    position = folded.find(phrase)
    while position >= 0 and phrase:
        end = position + len(phrase)
        if (position == 0 or not folded[position - 1].isalnum()) and (
                end == len(folded) or not folded[end].isalnum()):
            count += 1
        position = folded.find(phrase, position + 1)
    return count


@lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    """A crude stem that joins "greedy"/"greed", "algorithms"/"algorithm"."""
    w = word.lower()
    for suffix in ("ies", "es", "s", "ing", "ed", "ly", "y"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: len(w) - len(suffix)][:6]
    return w[:6]


def features(analysis: Analysis, candidate: Candidate,
             title_words: frozenset[str] = frozenset(),
             context: tuple[float, int] = (0.0, 1)) -> list[float]:
    """The feature vector of one candidate (in the order of :data:`FEATURES`); ``context`` is
    the highest rarity among the quote's candidates and how many there are."""
    tokens = analysis.tokens
    text = analysis.text
    language = analysis.language
    span = tokens[candidate.first : candidate.last]
    words = [t.text for t in span if t.text[:1].isalnum()]
    n = max(1, len(words)) if not is_cjk(language) else max(1, (candidate.end - candidate.start
                                                                ) // 2)
    rarities = [_rarity(w, language) for w in words if not w[:1].isdigit()] or [0.0]
    before = text[max(0, candidate.start - 30) : candidate.start]
    after = text[candidate.end : candidate.end + 30]
    sentence = next(((a, b) for a, b in analysis.sentences if a <= candidate.start < b + 1),
                    (0, len(text)))
    facts = _facts(analysis)
    first_verb = facts.first_verb.get(sentence, sentence[1])
    last = span[-1].text.lower() if span else ""
    repeated = len(last) > 2 and any(
        k < candidate.first or k >= candidate.last for k in facts.by_lower.get(last, ()))
    content = [w.lower() for w in words]
    title = sum(1 for w in content if w in title_words or w.rstrip("s") in title_words)
    stems = {_stem(w) for w in content if len(w) > 3 and not w[:1].isdigit()}
    giveaway = any((k < candidate.first or k >= candidate.last) and facts.lower[k] not in content
                   for stem in stems for k in facts.by_stem.get(stem, ()))
    kind = candidate.source
    is_num = kind == "NUM"
    return [
        1.0,
        float(kind == "term"),
        float(kind == "NAME"),
        float(is_num and len(span) > 1),
        float(is_num and len(span) == 1),
        float(kind == "NP"),
        float(kind == "HEAD"),
        float(n == 1),
        float(n == 2),
        float(n == 3),
        float(n >= 4),
        max(rarities) / 7.0,
        sum(rarities) / len(rarities) / 7.0,
        float(any(word_zipf(w, language) >= 5.0 for w in words if w[:1].isalpha())),
        float(any(word_zipf(w, language) == 0.0 for w in words if w[:1].isalpha())),
        float(any(t.text[:1].isupper() and t.start != sentence[0] for t in span)),
        float(any(len(w) > 1 and w.isupper() and w.isalpha() for w in words)),
        float(any("-" in w for w in words)),
        float(span[-1].tag in ("NNS", "NNPS") if span else 0.0),
        float(bool(span) and span[0].tag.startswith("JJ")),
        float(_CUE_BEFORE.search(before) is not None),
        float(_CUE_AFTER.search(after) is not None),
        float(before[-1:] in _QUOTED_BEFORE),
        float(after.lstrip()[:1] == "("),
        float(candidate.start < first_verb),
        float(candidate.start < (analysis.sentences[0][1] if analysis.sentences else 0) + 1),
        candidate.start / max(1, len(text)),
        float(repeated),
        title / max(1, len(content)),
        float(giveaway),
        min(1.0, math.log1p(len(tokens)) / math.log(400)),
        float(kind == "HEAD"),
        float(is_cjk(language)),
        float(language != "en" and not is_cjk(language)),
        (rarities[-1] if span and not span[-1].text[:1].isdigit() else 0.0) / 7.0,
        float(candidate.outer[1] == candidate.last),
        float(candidate.outer[0] == candidate.first),
        float(kind == "NAME" and sum(1 for w in words if w[:1].isupper()) >= 2),
        float(kind == "NAME" and len(words) == 1 and candidate.start == sentence[0]),
        float(bool(span) and all(t.tag in ("NNP", "NNPS") for t in span)),
        float(sum(1 for t in span if t.tag in _NOUN) >= 2),
        float(_occurrences(facts.folded, text[candidate.start : candidate.end].casefold()) > 1),
        float(max(rarities) >= context[0] - 1e-9),
        (context[0] - max(rarities)) / 7.0,
        float(_WEAK_CUE_BEFORE.search(before) is not None),
        min(1.0, sum(1 for a, _ in analysis.sentences if a < sentence[0]) / 4.0),
        min(1.0, math.log1p(context[1]) / math.log(200)),
    ]


def quote_context(analysis: Analysis, pool: Sequence[Candidate]) -> tuple[float, int]:
    """What the features compare a candidate with: the quote's highest candidate rarity and
    how many candidates it has."""
    best = 0.0
    for c in pool:
        for t in analysis.tokens[c.first : c.last]:
            if t.text[:1].isalpha():
                best = max(best, _rarity(t.text, analysis.language))
    return best, len(pool)


def _rarity(word: str, language: str) -> float:
    """How rare a word is, 0 (very common) to 7 (unknown), in its own language."""
    if is_cjk(language):
        return max(0.0, 7.0 - zipf(word, language)) if zipf(word, language) else 5.0
    return max(0.0, 7.0 - word_zipf(word, language))


@lru_cache(maxsize=65_536)
def word_zipf(word: str, language: str = "en") -> float:
    """A word's Zipf frequency, a hyphenated compound's from its parts (as wordfreq joins
    the words of a phrase): ``open-ended`` is two common words, not an unknown one, so it is
    not taken for a rare term.

    >>> 3.0 < word_zipf("open-ended") < 5.0 and word_zipf("xqzv-ended") == 0.0
    True
    """
    known = zipf(word, language)
    parts = [part for part in word.split("-") if part]
    if known or len(parts) < 2:
        return known
    scores = [zipf(part, language) for part in parts]
    if not all(scores):
        return 0.0
    return -math.log10(sum(10.0 ** -z for z in scores))


# --- the model -----------------------------------------------------------------------------------

@cache
def _weights() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The learned weights and the thresholds of the first, second and third gap."""
    data = json.loads(resources.files("quote2anki").joinpath("gap_weights.json").read_text(
        encoding="utf-8"))
    weights = tuple(float(data["weights"].get(name, 0.0)) for name in FEATURES)
    thresholds = tuple(float(t) for t in data["thresholds"])
    return weights, thresholds


def score(vector: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """The model's probability that a candidate is a phrase a careful reader would hide."""
    w = weights if weights is not None else _weights()[0]
    z = sum(a * b for a, b in zip(vector, w, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def allowed(analysis: Analysis, candidate: Candidate,
            title_words: frozenset[str] = frozenset()) -> bool:
    """The hard rules: what may never be a gap whatever its score.

    >>> from quote2anki.language import analyse
    >>> a = analyse("In the 1980s the optimizer at https://x.org used fnding and #flashcard.")
    >>> [a.text[c.start:c.end] for c in candidates(a) if allowed(a, c)]
    ['optimizer']
    """
    tokens = analysis.tokens
    text = analysis.text
    span = tokens[candidate.first : candidate.last]
    if not span:
        return False
    language = analysis.language
    if candidate.source == "term":
        return True
    words = [t for t in span if t.text[:1].isalnum()]
    if not words:
        return False
    if all(is_stopword(t.text, language) and not t.text[:1].isdigit() for t in words):
        return False
    for k in range(candidate.first, candidate.last):
        token = tokens[k]
        if token.text.startswith(("http", "www.", "#")) or "/" in token.text:
            return False
        if token.tag.startswith(("VB", "MD")) and candidate.source != "NAME":
            return False
        if not is_cjk(language) and (is_code(tokens, k, text) or is_damaged(token.text, language)):
            return False
        if _YEAR.match(token.text) and (candidate.source != "NUM" or len(span) == 1 or
                                        token.text.endswith("s")):
            return False
    if candidate.source == "NUM" and len(span) == 1 and _plain_reference(tokens, candidate):
        return False
    content = [t.text.lower() for t in words if not t.text[:1].isdigit()]
    if content and all(w in title_words or w.rstrip("s") in title_words for w in content):
        return False
    if _in_heading(analysis, candidate):
        return False
    if candidate.source in ("NP", "HEAD") and _noun_before_name(analysis, candidate):
        return False
    return not (is_cjk(language) and candidate.end - candidate.start < 2)


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


# --- choosing ------------------------------------------------------------------------------------

MAX_GAPS = 3
_WITH_UNIT = re.compile(r"\d\s?(?:%|[^\W\d_])|[$€£¥]\s?\d")
NUMBER_WITH_UNIT = 0.45
"""A number with its unit or currency (``85%``, ``$86.61``, ``3 ms``) is worth a gap whatever the
ranker thinks of its words: the labelling rules put it second only to a defined term. (The
listwise model spreads one quote's probability over its candidates, so a quote with several
good ones gives each little; this floor is what the rule needs.)"""


def ranked(analysis: Analysis, terms: Sequence[tuple[int, int, str | None]] = (),
           title_words: frozenset[str] = frozenset()) -> list[tuple[float, Candidate]]:
    """The allowed candidates with their scores, best first (a term always first)."""
    out = []
    pool = [c for c in candidates(analysis, terms) if allowed(analysis, c, title_words)]
    context = quote_context(analysis, pool)
    for candidate in pool:
        p = score(features(analysis, candidate, title_words, context))
        if candidate.source == "term":
            p = max(p, 0.999)
        elif candidate.source == "NUM" and _WITH_UNIT.search(
                analysis.text[candidate.start:candidate.end]):
            p = max(p, NUMBER_WITH_UNIT)
        out.append((p, candidate))
    out.sort(key=lambda pc: (-pc[0], pc[1].start, -pc[1].end))
    return out


def choose(analysis: Analysis, *, marks: Sequence[MarkLike] = (),
           terms: Sequence[tuple[int, int, str | None]] = (),
           title_words: frozenset[str] = frozenset(),
           keep: Sequence[str | tuple[str, int]] = (),
           protected: Sequence[tuple[int, int]] = ()) -> tuple[Gap, ...]:
    """The gaps of one quote, in reading order.

    The reader's ``marks`` win and switch automatic choice off. ``keep`` are phrases (or
    (phrase, number) pairs) the quote's previous version hid: where still present they keep
    their gaps. Then the best candidates that clear the bar for the first, second and third
    gap, never two that overlap, touch, or share a word. A quote with nothing worth hiding
    gets no gap at all.

    >>> from quote2anki.language import analyse
    >>> a = analyse("Since release 2.1, a random salt value is mixed into every stored password.")
    >>> [(a.text[g.start:g.end], g.number) for g in choose(a)]
    [('random salt value', 1)]
    >>> [(a.text[g.start:g.end], g.number) for g in choose(a, keep=[("password", 3)])]
    [('random salt value', 1), ('password', 3)]
    """
    text = analysis.text
    if marks:
        return _from_marks(marks)
    chosen: list[tuple[Candidate, int | None]] = []
    for item in keep:
        phrase, number = (item, None) if isinstance(item, str) else item
        span = _find(text, phrase, [c for c, _ in chosen])
        if span is not None:
            chosen.append((Candidate(span[0], span[1], -1, -1, "keep"), number))
    thresholds = _weights()[1]
    for p, candidate in ranked(analysis, terms, title_words):
        if len(chosen) >= MAX_GAPS:
            break
        if any(s < candidate.end and candidate.start < e for s, e in protected):
            continue
        if p < thresholds[min(len(chosen), len(thresholds) - 1)] and candidate.source != "term":
            continue
        if any(_clash(text, candidate, other) for other, _ in chosen):
            continue
        chosen.append((candidate, None))
    return _numbered(text, chosen, protected)


def _find(text: str, phrase: str, taken: Sequence[Candidate]) -> tuple[int, int] | None:
    if not phrase:
        return None
    for pattern in (re.escape(phrase), re.escape(phrase.casefold())):
        for match in re.finditer(rf"(?<!\w){pattern}(?!\w)", text if pattern == re.escape(
                phrase) else text.casefold()):
            if not any(c.start < match.end() and match.start() < c.end for c in taken):
                if len(text.casefold()) != len(text) and pattern != re.escape(phrase):
                    return None
                return match.span()
    return None


def _clash(text: str, a: Candidate, b: Candidate) -> bool:
    """Two gaps overlap, stand side by side with no word between, or share a word (two
    defined terms may share one: "Covariate shift" and "Label shift" are a confusable set)."""
    if a.start < b.end and b.start < a.end:
        return True
    between = text[min(a.end, b.end) : max(a.start, b.start)]
    if not re.search(r"\w", between):
        return True
    if a.source == "term" and b.source == "term":
        return False
    words_a = {w.lower() for w in re.findall(r"\w+", text[a.start : a.end]) if len(w) > 3}
    words_b = {w.lower() for w in re.findall(r"\w+", text[b.start : b.end]) if len(w) > 3}
    return bool(words_a & words_b)


def _numbered(text: str, chosen: Sequence[tuple[Candidate, int | None]],
              protected: Sequence[tuple[int, int]] = ()) -> tuple[Gap, ...]:
    """Numbers in reading order (kept ones keep theirs), and every other place a chosen
    phrase occurs hidden under the same number, so the card never shows its own answer."""
    used = {n for _, n in chosen if n}
    free = (n for n in range(1, 1000) if n not in used)
    numbers: dict[tuple[int, int], int] = {}
    for candidate, number in sorted(chosen, key=lambda cn: cn[0].start):
        numbers[(candidate.start, candidate.end)] = number or next(free)
    gaps: list[Gap] = []
    spans = [(c.start, c.end) for c, _ in chosen] + list(protected)
    for candidate, _ in chosen:
        number = numbers[(candidate.start, candidate.end)]
        gaps.append(Gap(candidate.start, candidate.end, number, candidate.hint))
        for start, end in _repeats(text, candidate.start, candidate.end):
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
                gaps.append(Gap(start, end, number, candidate.hint))
    return tuple(sorted(gaps, key=lambda g: g.start))


def _repeats(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    phrase = text[start:end]
    if len(phrase) < 3 or len(text.casefold()) != len(text):
        return
    for match in re.finditer(rf"(?<![\w-]){re.escape(phrase.casefold())}(?![\w-])",
                             text.casefold()):
        if match.start() != start:
            yield match.span()


def _from_marks(marks: Sequence[MarkLike]) -> tuple[Gap, ...]:
    """Reader's marks as gaps: their own numbers kept, the rest numbered in reading order."""
    used = {mark.number for mark in marks if mark.number}
    numbers = (n for n in range(1, 1000) if n not in used)
    gaps = []
    last_end = -1
    for mark in sorted(marks, key=lambda m: m.start):
        if mark.start < last_end:
            continue  # Anki cannot nest or overlap clozes; the first mark wins
        gaps.append(Gap(mark.start, mark.end, mark.number or next(numbers), mark.hint))
        last_end = mark.end
    return tuple(gaps)
