"""The linguistic layer: tokens with part-of-speech tags, phrase chunks, sentences, language.

This is the one module that owns the language dependencies, behind one small interface
(:func:`analyse`, :func:`detect_language`, :func:`zipf`, :func:`is_stopword`), so that a better
tagger can replace the one used here without touching its callers. Every model ships inside a
wheel; nothing is downloaded at run time:

- **Tags** (English): Brill's transformation-based tagger, with the lexicon, morphological and
  contextual rules and the named-entity list that Pattern published and TextBlob ships
  (``textblob/en/en-*.txt``). We read those files directly: TextBlob's own ``PatternTagger``
  applies the lexicon and a few suffix rules only (not the context rules) and imports NLTK;
  reading the data here is faster, keeps exact character offsets and applies the whole method.
  Other languages get no tags (``""``) and phrases from word shapes.
- **Chunks**: Pattern's chunk grammar (NP, VP, PP, ADJP, ADVP) over the tags, plus two kinds
  of our own: ``NUM`` (a number with its currency, multiplier and unit) and ``NAME`` (a run of
  capitalised words with its particles: ``Guido van Rossum``, ``The Art of the Deal``).
- **Language**: py3langid (its model ships in its wheel), asked only when a quote does not
  plainly read as English; Chinese and Japanese are told apart by their scripts.
- **Frequencies and stopwords** (:mod:`quote2anki.lexicon`): wordfreq, for each language it
  has; a stopword is one of the most frequent words of that language (a data-driven list,
  not a hand-grown one).
- **Chinese and Japanese phrases**: budoux's segmenter (its ja/zh models ship in its wheel),
  in :mod:`quote2anki.cjk`.

Everything is pure and deterministic; :func:`analyse` is cached by text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from .lexicon import STOPWORD_RANK, detect_language, is_cjk, is_stopword, zipf
from .tagger import TAGGER as _TAGGER
from .tagger import split_sentences, split_tokens

__all__ = ["STOPWORD_RANK", "Analysis", "Phrase", "Token", "analyse", "detect_language", "is_cjk",
           "is_stopword", "zipf"]


@dataclass(frozen=True, slots=True)
class Token:
    """A word, number or mark: ``text[start:end]`` and its Penn tag ("" where no tagger)."""

    start: int
    end: int
    text: str
    tag: str


@dataclass(frozen=True, slots=True)
class Phrase:
    """A chunk: characters ``start:end``, its kind, and token indices ``first:last``.

    Kinds: ``NP``, ``VP``, ``PP``, ``ADJP``, ``ADVP`` (these never overlap one another),
    ``NUM`` (a number with its unit or currency) and ``NAME`` (a proper name with its
    particles); ``NUM`` and ``NAME`` lie on top of the others and may span several of them.
    """

    start: int
    end: int
    kind: str
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """One text analysed: its language, tokens, phrases and sentences (character spans)."""

    text: str
    language: str
    tokens: tuple[Token, ...]
    phrases: tuple[Phrase, ...]
    sentences: tuple[tuple[int, int], ...]


# --- languages, frequencies, stopwords ---------------------------------------------------------

# --- chunks ------------------------------------------------------------------------------------

_NN = r"(?:NNPS|NNP|NNS|NN|PRP\$|PRP)"
_VB = r"(?:VBD|VBG|VBN|VBP|VBZ|VB)"
_JJ = r"(?:JJR|JJS|JJ)"
_RB = r"(?:RBR|RBS|RB)"
_CHUNKS = (  # Pattern's chunk grammar for English, ADJP before VP as Pattern orders it
    ("NP", re.compile(rf"(?:{_NN}/)*(?:(?:DT|CD|CC)/)*(?:(?:{_RB}|{_JJ})/)*(?:{_NN}/)+")),
    ("ADJP", re.compile(rf"(?:(?:CC|{_RB}|{_JJ})/)*(?:{_JJ}/)+")),
    ("VP", re.compile(rf"(?:(?:(?:MD|{_RB})/)*(?:{_VB}/)+)+")),
    ("VP", re.compile(r"(?:MD/)")),
    ("PP", re.compile(r"(?:(?:IN|TO)/)+")),
    ("ADVP", re.compile(rf"(?:(?:{_RB}|WRB)/)+")),
)


def _chunks(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Non-overlapping chunks (kind, first token, last token exclusive) of one sentence."""
    return list(_chunks_of(tuple(tags)))


@lru_cache(maxsize=8192)
def _chunks_of(tags: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """:func:`_chunks`, remembered by the tag sequence: short sentences ("It is.", a heading)
    share one, and a rebuild in the same process repeats them all."""
    joined = "/".join(tags) + "/" if tags else ""
    index = {position: k for k, position in enumerate(accumulate(
        (len(tag) + 1 for tag in tags), initial=0))}
    owner: list[str | None] = [None] * len(tags)
    found: list[tuple[str, int, int]] = []
    for kind, rule in _CHUNKS:
        for match in rule.finditer(joined):
            first, last = index.get(match.start()), index.get(match.end())
            if first is None or last is None:
                continue
            while first < last and tags[first] == "CC":
                first += 1  # a conjunction does not start a chunk
            k = first
            while k < last:
                if owner[k] is not None:
                    if k > first:
                        found.append((kind, first, k))
                    while k < last and owner[k] is not None:
                        k += 1
                    first = k
                    continue
                owner[k] = kind
                k += 1
            if first < last:
                found.append((kind, first, last))
    return tuple(sorted(found, key=lambda c: c[1]))


# Units a number is read with, by how they are written; measurement names, not corpus words.
_UNIT_WORDS = frozenset(
    """% percent per cent percentage points pp x × times fold ms millisecond milliseconds
    μs µs us ns s sec secs second seconds min mins minute minutes h hr hrs hour hours day days
    week weeks month months year years decade decades century centuries b kb mb gb tb pb kib
    mib gib tib byte bytes bit bits kbps mbps gbps hz khz mhz ghz w kw mw kwh v mm cm m km
    mi mile miles ft feet foot inch inches yd yards meter meters metre metres kilometer
    kilometers kilometre kilometres g kg mg lb lbs pound pounds ounce ounces oz ton tons tonne
    tonnes l ml litre litres liter liters gallon gallons °c °f c f k dollar dollars cents cent
    euro euros yen usd eur gbp jpy cny rmb calories kcal mph kph rpm dpi ppi px pt
    """.split())
_MULTIPLIERS = frozenset("k m bn b thousand million billion trillion hundred lakh crore".split())
_CURRENCY = frozenset("$ € £ ¥ ₹ ₩ ₽".split())
_CURRENCY_CODES = frozenset("usd eur gbp jpy cny rmb chf cad aud inr".split())
_PARTICLES = frozenset("van von der den de del della di da du le la of the bin al ibn ten "
                       "ter zu".split())


def _is_number(token: str) -> bool:
    return token[:1].isdigit()


def _num_phrases(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token ranges of numbers with their currency, multiplier and unit, and ``per`` unit:
    ``$86.61``, ``1,197 pounds``, ``1.2GB``, ``4.2MB per year``, ``85%``, ``2x``."""
    spans: list[tuple[int, int]] = []
    n = len(tokens)
    i = 0
    while i < n:
        token = tokens[i]
        if not _is_number(token.text):
            i += 1
            continue
        first, last = i, i + 1
        if i > 0 and (tokens[i - 1].text in _CURRENCY or tokens[i - 1].text.lower() in
                      _CURRENCY_CODES) and _touching(text, tokens[i - 1], token, allow_space=
                                                     tokens[i - 1].text.isalpha()):
            first = i - 1
        if last < n and tokens[last].text.lower() in _MULTIPLIERS and _touching(
                text, tokens[last - 1], tokens[last], allow_space=True):
            last += 1
        if last < n and (tokens[last].text.lower() in _UNIT_WORDS
                         or tokens[last].text.lower() in _CURRENCY_CODES) and _touching(
                text, tokens[last - 1], tokens[last], allow_space=True):
            last += 1
            if (last + 1 < n and tokens[last].text.lower() in ("per", "a", "an", "/")
                    and tokens[last + 1].text[:1].isalpha() and (
                        tokens[last + 1].text.lower() in _UNIT_WORDS
                        or tokens[last].text.lower() in ("per", "/"))
                    and tokens[last + 1].tag in ("NN", "NNS", "", "NNP")):
                last += 2
        spans.append((first, last))
        i = last
    return spans


def _touching(text: str, left: Token, right: Token, allow_space: bool) -> bool:
    gap = text[left.end : right.start]
    return gap == "" or (allow_space and gap in (" ", "\u00a0", "\u202f"))


def _name_phrases(text: str, tokens: Sequence[Token], sentence_first: set[int],
                  language: str = "en") -> list[tuple[int, int]]:
    """Token ranges of proper names: capitalised words (not a sentence's first word unless
    the tagger calls it a name), joined by particles such as ``van``, ``of``, ``de``."""

    def capital(k: int) -> bool:
        tok = tokens[k]
        if not tok.text[:1].isupper() or not tok.text[:1].isalpha():
            return False
        if k in sentence_first or (k > 0 and tokens[k - 1].text in ("\"", "“", "(", ":")):
            return tok.tag in ("NNP", "NNPS") or (
                tok.tag == "" and len(tok.text) > 1 and not is_stopword(tok.text, language))
        return tok.tag not in ("PRP", "DT", "IN", "CC", "MD", "WDT", "WP", "WRB", "EX")

    spans: list[tuple[int, int]] = []
    n = len(tokens)
    i = 0
    while i < n:
        if not capital(i):
            i += 1
            continue
        last = i + 1
        while last < n:
            gap = text[tokens[last - 1].end : tokens[last].start]
            if gap not in (" ", "-", "\u00a0") and not (gap == " " or (
                    gap == "" and tokens[last].text == ".")):
                break
            if capital(last) and last not in sentence_first:
                last += 1
                continue
            if (tokens[last].text == "." and gap == "" and last + 1 < n
                    and len(tokens[last - 1].text) == 1 and tokens[last - 1].text.isupper()
                    and capital(last + 1)):
                last += 1  # an initial's full stop: "Frederick P. Brooks" is one name
                continue
            k = last
            while k < n and tokens[k].text.lower() in _PARTICLES and tokens[k].text.islower() \
                    and text[tokens[k - 1].end : tokens[k].start] == " ":
                k += 1
            if k > last and k < n and capital(k) and k not in sentence_first and text[
                    tokens[k - 1].end : tokens[k].start] == " ":
                last = k + 1
                continue
            break
        spans.append((i, last))
        i = last
    return spans


@lru_cache(maxsize=4096)
def analyse(text: str) -> Analysis:
    """Tokens, tags, phrases and sentences of ``text``: pure, deterministic, cached.

    >>> a = analyse("Guido van Rossum dropped by; the optimizer chooses a plan in 4.2MB.")
    >>> [(text_of(a, p), p.kind) for p in a.phrases if p.kind in ("NAME", "NUM", "NP")]
    [('Guido van Rossum', 'NP'), ('Guido van Rossum', 'NAME'), ('the optimizer', 'NP'), \
('a plan', 'NP'), ('4.2MB', 'NP'), ('4.2MB', 'NUM')]
    >>> [t.tag for t in a.tokens][:5]
    ['NNP', 'NNP', 'NNP', 'VBN', 'IN']
    """
    language = detect_language(text)
    if is_cjk(language):
        from .cjk import analyse_cjk  # imported here: cjk builds on this module's types

        return analyse_cjk(text, language)
    raw = split_tokens(text)
    sentence_ranges = split_sentences(text, raw)
    words = [token for _, _, token in raw]
    tags: list[str] = [""] * len(raw)
    if language == "en":
        for first, last in sentence_ranges:
            tags[first:last] = _TAGGER(words[first:last])
    tokens = tuple(Token(start, end, token, tag)
                   for (start, end, token), tag in zip(raw, tags, strict=True))
    phrases: list[Phrase] = []
    sentence_first = {first for first, _ in sentence_ranges}
    if language == "en":
        for first, last in sentence_ranges:
            for kind, a, b in _chunks(tags[first:last]):
                phrases.append(Phrase(tokens[first + a].start, tokens[first + b - 1].end, kind,
                                      first + a, first + b))
    else:
        phrases.extend(_plain_phrases(tokens, language, sentence_ranges))
    for a, b in _num_phrases(text, tokens):
        phrases.append(Phrase(tokens[a].start, tokens[b - 1].end, "NUM", a, b))
    in_number = {k for p in phrases if p.kind == "NUM" for k in range(p.first, p.last)}
    for a, b in _name_phrases(text, tokens, sentence_first, language):
        if in_number.intersection(range(a, b)):
            continue  # "MB" of "4.2MB" is a unit, not a name
        phrases.append(Phrase(tokens[a].start, tokens[b - 1].end, "NAME", a, b))
    phrases.sort(key=lambda p: (p.start, p.kind not in ("NP", "VP", "PP", "ADJP", "ADVP"),
                                -p.end))
    sentences = tuple((tokens[a].start, tokens[b - 1].end) for a, b in sentence_ranges)
    return Analysis(text, language, tokens, tuple(phrases), sentences)


def _plain_phrases(tokens: Sequence[Token], language: str,
                   sentence_ranges: Sequence[tuple[int, int]]) -> list[Phrase]:
    """Without a tagger: runs of words that are not stopwords of the language, cut at
    punctuation, as NP (the closest we can say without tags)."""
    phrases: list[Phrase] = []
    for first, last in sentence_ranges:
        run_start = None
        for k in range(first, last + 1):
            ok = k < last and tokens[k].text[:1].isalpha() and not is_stopword(
                tokens[k].text, language) and (run_start is None or tokens[k].start - tokens[
                    k - 1].end == 1)
            if ok and run_start is None:
                run_start = k
            elif not ok and run_start is not None:
                phrases.append(Phrase(tokens[run_start].start, tokens[k - 1].end, "NP",
                                      run_start, k))
                run_start = None
                if k < last and tokens[k].text[:1].isalpha() and not is_stopword(
                        tokens[k].text, language):
                    run_start = k
    return phrases


def text_of(analysis: Analysis, phrase: Phrase) -> str:
    """The characters of ``phrase``."""
    return analysis.text[phrase.start : phrase.end]


def normalise(text: str) -> str:
    """NFKC, as the scorer and the reader see characters (fullwidth digits are digits)."""
    return unicodedata.normalize("NFKC", text)
