"""What the ranker knows of a candidate: general features of kind, length, rarity in the
quote's language, shape, definitional cues, position and repetition (:data:`FEATURES`)."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ..language import Analysis, is_cjk, zipf
from .candidates import _NOUN, Candidate

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
    "of_phrase",     # a noun phrase of a noun phrase (curse of dimensionality)
    "in_brackets",   # inside brackets: an aside
    "head_count",    # how often its head's stem stands in the quote, log-scaled
)


@dataclass(frozen=True, slots=True)
class _Facts:
    """What every candidate of one quote is compared with, computed once per quote: the
    tokens' lower-case forms and where they stand, each sentence's first verb and index, and
    (filled as candidates ask) each word's rarity and Zipf frequency in the quote's language."""

    lower: tuple[str, ...]
    by_lower: dict[str, tuple[int, ...]]
    by_stem: dict[str, tuple[int, ...]]
    first_verb: dict[tuple[int, int], int]
    folded: str
    sentence_index: dict[tuple[int, int], int]
    rarity: dict[str, float]
    zipf: dict[str, float]


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
    verbs = [t.start for t in analysis.tokens if t.tag.startswith(("VB", "MD"))]
    in_order = all(x <= y for x, y in pairwise(verbs))
    starts = sorted(a for a, _ in analysis.sentences)
    first_verb: dict[tuple[int, int], int] = {}
    sentence_index: dict[tuple[int, int], int] = {}
    for a, b in analysis.sentences:
        if in_order:  # the first verb at or after the sentence's start, if before its end
            k = bisect_left(verbs, a)
            first_verb[(a, b)] = verbs[k] if k < len(verbs) and verbs[k] < b else b
        else:
            first_verb[(a, b)] = next((v for v in verbs if a <= v < b), b)
        sentence_index[(a, b)] = bisect_left(starts, a)  # how many sentences start before
    facts = _Facts(lower, {k: tuple(v) for k, v in by_lower.items()},
                   {k: tuple(v) for k, v in by_stem.items()}, first_verb,
                   analysis.text.casefold(), sentence_index, {}, {})
    _LAST_FACTS[:] = [(analysis, facts)]
    return facts


def _in_brackets(text: str, start: int, end: int) -> bool:
    """Whether ``start:end`` sits inside round brackets (within 200 characters either side).

    >>> _in_brackets("a cache (an LRU one) here", 12, 15), _in_brackets("a cache here", 2, 7)
    (True, False)
    """
    opened = text.rfind("(", max(0, start - 200), start)
    return opened >= 0 and text.rfind(")", opened, start) < 0 and text.find(
        ")", end, end + 200) >= 0


def _word_rarity(facts: _Facts, word: str, language: str) -> float:
    """:func:`_rarity`, remembered for the quote (a word recurs across its candidates)."""
    value = facts.rarity.get(word)
    if value is None:
        value = facts.rarity[word] = _rarity(word, language)
    return value


def _word_zipf(facts: _Facts, word: str, language: str) -> float:
    """:func:`word_zipf`, remembered for the quote."""
    value = facts.zipf.get(word)
    if value is None:
        value = facts.zipf[word] = word_zipf(word, language)
    return value


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
    cjk = is_cjk(language)
    facts = _facts(analysis)
    span = tokens[candidate.first : candidate.last]
    words = [t.text for t in span if t.text[:1].isalnum()]
    n = max(1, len(words)) if not cjk else max(1, (candidate.end - candidate.start) // 2)
    rarities = [_word_rarity(facts, w, language) for w in words if not w[:1].isdigit()] or [0.0]
    rarest = max(rarities)
    before = text[max(0, candidate.start - 30) : candidate.start]
    after = text[candidate.end : candidate.end + 30]
    sentence = next(((a, b) for a, b in analysis.sentences if a <= candidate.start < b + 1),
                    (0, len(text)))
    first_verb = facts.first_verb.get(sentence, sentence[1])
    last = span[-1].text.lower() if span else ""
    repeated = len(last) > 2 and any(
        k < candidate.first or k >= candidate.last for k in facts.by_lower.get(last, ()))
    content = [w.lower() for w in words]
    title = sum(1 for w in content if w in title_words or w.rstrip("s") in title_words)
    stems = {_stem(w) for w in content if len(w) > 3 and not w[:1].isdigit()}
    giveaway = any((k < candidate.first or k >= candidate.last) and facts.lower[k] not in content
                   for stem in stems for k in facts.by_stem.get(stem, ()))
    alpha_zipf = [_word_zipf(facts, w, language) for w in words if w[:1].isalpha()]
    index = facts.sentence_index.get(sentence)
    if index is None:
        index = sum(1 for a, _ in analysis.sentences if a < sentence[0])
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
        rarest / 7.0,
        sum(rarities) / len(rarities) / 7.0,
        float(any(z >= 5.0 for z in alpha_zipf)),
        float(any(z == 0.0 for z in alpha_zipf)),
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
        float(cjk),
        float(language != "en" and not cjk),
        (rarities[-1] if span and not span[-1].text[:1].isdigit() else 0.0) / 7.0,
        float(candidate.outer[1] == candidate.last),
        float(candidate.outer[0] == candidate.first),
        float(kind == "NAME" and sum(1 for w in words if w[:1].isupper()) >= 2),
        float(kind == "NAME" and len(words) == 1 and candidate.start == sentence[0]),
        float(bool(span) and all(t.tag in ("NNP", "NNPS") for t in span)),
        float(sum(1 for t in span if t.tag in _NOUN) >= 2),
        float(_occurrences(facts.folded, text[candidate.start : candidate.end].casefold()) > 1),
        float(rarest >= context[0] - 1e-9),
        (context[0] - rarest) / 7.0,
        float(_WEAK_CUE_BEFORE.search(before) is not None),
        min(1.0, index / 4.0),
        min(1.0, math.log1p(context[1]) / math.log(200)),
        float(kind == "OF"),
        float(_in_brackets(text, candidate.start, candidate.end)),
        min(1.0, math.log1p(len(facts.by_stem.get(_stem(last), ()))) / math.log(8))
        if len(last) > 3 else 0.0,
    ]


def quote_context(analysis: Analysis, pool: Sequence[Candidate]) -> tuple[float, int]:
    """What the features compare a candidate with: the quote's highest candidate rarity and
    how many candidates it has."""
    best = 0.0
    facts = _facts(analysis)
    for c in pool:
        for t in analysis.tokens[c.first : c.last]:
            if t.text[:1].isalpha():
                best = max(best, _word_rarity(facts, t.text, analysis.language))
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
