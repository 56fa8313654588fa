"""Choosing what to hide in a quote, and writing the Anki field that hides it.

The reader's own marks always win. Otherwise we hide what a careful Anki user would: the terms
the quote defines, numbers with their units, names, and rare technical phrases, at most
:data:`MAX_CLOZES` gaps of 1-4 words, each its own card. Word rarity comes from wordfreq's
English list, which ships inside the package (nothing is downloaded).

"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from .model import Gap, Mark, Term

MAX_CLOZES = 3
MAX_WORDS = 4


class Candidate(NamedTuple):
    """A span worth hiding, and how much it is worth (a tuple: made by the thousand)."""

    start: int
    end: int
    score: float
    hint: str | None = None


# --- word rarity ------------------------------------------------------------------------------


@cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict  # loaded on first use: 0.15 s, not at start-up

    return get_frequency_dict("en", wordlist="best")


def zipf(word: str) -> float:
    """How common ``word`` is on the Zipf scale: 7 for "the", 3 for "lineage", 0 if unknown.

    >>> zipf("the") > 7 > zipf("lineage") > zipf("covariate") > 0 == zipf("xqzv")
    True
    """
    key = word.lower().strip("'’").removesuffix("'s").removesuffix("’s")
    frequency = _frequencies().get(key)
    if frequency is None and key.endswith("s"):
        frequency = _frequencies().get(key[:-1])
    return math.log10(frequency) + 9 if frequency else 0.0


STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even ever few
    for from further had has have having he her here hers herself him himself his how however i if
    in into is it its itself just let like made make many may me might more most much must my
    myself never no nor not now of off often on once one only or other ought our ours ourselves
    out over own per quite rather really same say says shall she should so some such than that
    the their theirs them themselves then there these they this those though through thus to too
    under until up upon us usually very via was way we well were what whatever when where whether
    which while who whom whose why will with within without would yet you your yours yourself
    yourselves get gets got getting go goes going gone thing things something anything everything
    nothing lot lots kind sort new old good bad better best big small first last next another
    able based using used use uses want wants need needs know known whereas ones""".split()
)

_COMMON_CAPITALISED = frozenset(
    """i january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday english chapter chapters figure
    figures fig table tables section sections page pages part step appendix note""".split()
)

# A word right after one of these is almost always a verb ("to classify", "we scrape").
_VERB_CUES = frozenset(
    """to can could will would should must might may shall we you they i he she it who which
    that not don't doesn't didn't won't can't cannot also just often usually always never
    then""".split()
)
# Common verbs that a rarity list cannot tell from nouns; they are never a cloze on their own.
_VERBS = frozenset(
    """say said says tell told think thought know knew seem seemed seems become became becomes
    show showed shown shows help helped helps give gave given gives take took taken takes come
    came comes find found finds keep kept keeps leave left try tried tries call called calls
    allow allowed allows require required requires include included includes provide provided
    provides consider considered considers mean meant means work worked works look looked looks
    turn turned turns start started starts learn learned learns change changed changes add added
    adds follow followed follows remain remained remains happen happened happens apply applied
    applies produce produced produces expect expected expects decide decided decides lead led
    leads let lets put puts set sets run ran runs suggest suggested suggests found discussed
    discuss describe described recommend recommended announced incorporated combined compare
    compared generate generated generates encode encoded encodes leverage leveraged classify
    classified outputs output predict predicts predicted scrape select selected selects""".split()
)

_TOKEN = re.compile(r"[^\W_](?:[\w’'&+.-]*[^\W_])?%?")
_CONTRACTION = re.compile(r"(?:[’'](?:ll|re|ve|d|m|s|t)|n[’']t)$", re.I)


class _Word(NamedTuple):
    start: int
    end: int
    text: str
    rarity: float
    name: bool
    """Capitalised where a sentence does not start, or an acronym: a name, a tool, a method."""
    stop: bool
    verb: bool
    topic: bool


@dataclass(frozen=True, slots=True)
class _Lexeme:
    """What a token's spelling alone says about it; cached, since vocabularies repeat."""

    lower: str
    base: str
    stop: bool
    parts: tuple[str, ...]
    rarities: tuple[float, ...]
    acronym: bool
    capitalised_name: bool
    """Capitalised, and not a month, a weekday or "Chapter": a name if not sentence-initial."""
    rare: bool
    verbish: bool


_SENTENCE_GAP = re.compile(r"[.!?:;—\"“(]\s*$")
_INNER_DOT = re.compile(r"\.\w")
_NEGATION = re.compile(r"n[’']t$")


@lru_cache(maxsize=262_144)
def _lexeme(token: str) -> _Lexeme:
    lower = token.lower()
    base = _CONTRACTION.sub("", lower)
    stop = (lower in STOPWORDS or base in STOPWORDS or _NEGATION.search(lower) is not None
            or (len(token) == 1 and not token.isdigit()))
    parts = tuple(part for part in base.split("-") if part and part not in STOPWORDS)
    rarities = tuple(max(0.0, 7.0 - zipf(part)) for part in parts)
    acronym = len(token) >= 2 and token.isupper() and token.isalpha()
    return _Lexeme(
        lower=lower, base=base, stop=stop, parts=parts, rarities=rarities, acronym=acronym,
        capitalised_name=token[0].isupper() and lower not in _COMMON_CAPITALISED,
        rare=zipf(base) < 3.0,
        verbish=lower in _VERBS or (lower.endswith("ly") and len(lower) > 4),
    )


def _words(text: str, topic: frozenset[str] = frozenset()) -> list[_Word]:
    words: list[_Word] = []
    previous_end = 0
    previous = ""
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.endswith(("’s", "'s")):
            token = token[:-2]
        if token.endswith(".") and not _INNER_DOT.search(token):
            token = token[:-1]
        if not token:
            continue
        lexeme = _lexeme(token)
        start, end = match.start(), match.start() + len(token)
        initial = len(token) == 1 and token.isupper() and text.startswith(".", end)
        stop = lexeme.stop and not initial
        sentence_start = not words or (
            _SENTENCE_GAP.search(text, previous_end, start) is not None
            and not (len(words[-1].text) == 1 and words[-1].text.isupper()))
        if stop or token[0].isdigit() or not lexeme.parts:
            rarity = 0.0
        else:
            rarity = max(min(1.0, r) if part in topic else r
                         for part, r in zip(lexeme.parts, lexeme.rarities, strict=True))
        name = lexeme.capitalised_name and (not sentence_start or lexeme.acronym or lexeme.rare)
        verb = not stop and not name and (lexeme.verbish or previous in _VERB_CUES)
        if name and words and words[-1].text[:1].isupper() and not words[-1].name and (
                not words[-1].stop and text[words[-1].end : start] == " "):
            words[-1] = words[-1]._replace(name=True, verb=False)  # "Andrew Ng", at a start
        topic_word = bool(lexeme.parts) and all(part in topic for part in lexeme.parts)
        words.append(_Word(start, end, token, rarity, name, stop, verb, topic_word))
        previous_end = end
        previous = lexeme.lower
    return words


# --- candidates -----------------------------------------------------------------------------

_UNITS = {
    "%": "percent", "percent": "percent", "per cent": "percent", "x": "times", "×": "times",
    "times": "times", "ms": "ms", "milliseconds": "ms", "seconds": "seconds", "s": "seconds",
    "minutes": "minutes", "hours": "hours", "days": "days", "weeks": "weeks", "months": "months",
    "years": "years", "gb": "GB", "mb": "MB", "tb": "TB", "kb": "KB", "bits": "bits",
    "bytes": "bytes", "million": "million", "billion": "billion", "trillion": "trillion",
    "thousand": "thousand", "k": "thousand", "m": "million", "bn": "billion", "km": "km",
    "kg": "kg", "layers": "layers", "parameters": "parameters",
}
_CURRENCIES = {"$": "dollars", "€": "euros", "£": "pounds", "¥": "yen"}
_NUMBER = re.compile(
    r"(?<![\w.$€£¥/-])(?P<currency>[$€£¥])?(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>%|×|x\b|\s?(?:per cent|percent|milliseconds|seconds|minutes|hours|days|weeks|"
    r"months|years|ms|s|GB|MB|TB|KB|bits|bytes|million|billion|trillion|thousand|bn|k|km|kg|"
    r"layers|parameters|times)\b)?(?P<per>/[a-z]+\b)?(?![\w-]|\.\d)",
    re.I,
)
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)s?$")


def _numbers(text: str) -> Iterable[Candidate]:
    """Numbers worth recalling: with a unit or currency most, plain counts less, years never.

    >>> [text[c.start:c.end] for text in ["About 85% of mail, $86.61 each, 2x faster in 2019."]
    ...  for c in _numbers(text)]
    ['85%', '$86.61', '2x']
    """
    for match in _NUMBER.finditer(text):
        value, unit, currency = match["value"], match["unit"], match["currency"]
        if not unit and not currency and not match["per"]:
            before = text[max(0, match.start() - 12) : match.start()].split()
            if _YEAR.match(value) or value in ("0", "1") or (
                    before and before[-1][:1].isupper() and before[-1].lower().rstrip(".") in
                    _COMMON_CAPITALISED):
                continue  # years stay visible; "Chapter 3" is a reference, not a fact
            following = text[match.end() : match.end() + 20].split()
            noun = following and following[0].isalpha() and following[0].lower() not in STOPWORDS
            yield Candidate(match.start(), match.end(), 5.0 if noun else 1.0, "number")
            continue
        hint = _CURRENCIES.get(currency or "") or _UNITS.get((unit or "").strip().lower())
        yield Candidate(match.start(), match.end(), 8.5, hint or "number")


def _phrases(words: Sequence[_Word], text: str) -> Iterable[Candidate]:
    """Runs of content words (no stopwords, verbs or punctuation between), scored as clozes."""
    run: list[_Word] = []
    for word in [*words, None]:
        if word is not None and run and (not _adjacent(text, run[-1], word)
                                         or word.name != run[-1].name):
            yield from _windows(run, text)
            run = []
        if word is None or word.stop or word.verb or word.text[0].isdigit():
            yield from _windows(run, text)
            run = []
        else:
            run.append(word)


def _adjacent(text: str, left: _Word, right: _Word) -> bool:
    """Two words belong to one phrase only when just a space (or hyphen) separates them, or an
    initial's full stop ("Frederick P. Brooks")."""
    gap = text[left.end : right.start]
    return gap in (" ", "-") or (gap == ". " and len(left.text) == 1)


def _windows(run: Sequence[_Word], text: str) -> Iterable[Candidate]:
    """Every window of one to four words in a run, scored: rarer is better, a name or a
    compound is better than a lone word, and a lone -ing or -ed word is usually a verb."""
    for size in range(1, min(MAX_WORDS, len(run)) + 1):
        for left in range(len(run) - size + 1):
            window = run[left : left + size]
            rarities = sorted((w.rarity for w in window), reverse=True)
            score = rarities[0] + sum(0.4 if r >= 2.0 else -0.8 for r in rarities[1:])
            last = window[-1].text.lower()
            if size == 1 and not window[0].name and last.endswith(("ing", "ed")):
                score -= 1.5
            if last.endswith("ed") and not window[-1].name:
                score -= 1.0
            if all(w.topic for w in window):
                score = 0.5  # "ML" in a book about machine learning: context, not a fact
            elif window[0].name:
                score = 4.0 + 0.5 * score
                if size < len(run) and len(run) <= MAX_WORDS:
                    score -= 3.0  # a name is hidden whole: "Vowpal Wabbit", not "Wabbit"
            yield Candidate(window[0].start, window[-1].end, score)


TERM_SCORE = 10.0
"""A term the quote defines beats everything else, and may be longer than four words."""
MIN_SCORE = 3.6
"""Below this a phrase is too guessable to be a second or third gap (Zipf ~3.4: "lineage")."""


def choose(
    text: str,
    marks: Sequence[Mark] = (),
    terms: Sequence[Term] = (),
    topic: frozenset[str] = frozenset(),
    protected: Sequence[tuple[int, int]] = (),
) -> tuple[Gap, ...]:
    """The gaps for one quote.

    ``marks`` are the reader's (they win and switch off automatic choice); ``terms`` are spans
    (and hints) of terms the quote defines; ``topic`` holds words of the book's title, which
    are context rather than something to recall; ``protected`` are ``(start, end)`` stretches
    (code, formulas, URLs) that no automatic gap may cut or be. The choice depends on nothing
    else, so a quote keeps its gaps when other quotes are added. A quote with nothing rare
    still gets one gap on its most informative phrase, so no quote is dropped.

    >>> text = "According to Talos Intelligence, as of May 2021, nearly 85% of all emails are spam."
    >>> [(text[c.start:c.end], c.number, c.hint) for c in choose(text)]
    [('Talos Intelligence', 1, None), ('85%', 2, 'percent')]
    >>> spam = text.index("spam")
    >>> [(text[c.start:c.end], c.number) for c in choose(text, [Mark(spam, spam + 4)])]
    [('spam', 1)]
    """
    if marks:
        return _from_marks(marks)
    words = _words(text, topic)
    candidates = [Candidate(term.start, term.end, TERM_SCORE, term.hint) for term in terms]
    candidates += _numbers(text)
    candidates += _phrases(words, text)
    chosen: list[Candidate] = []
    hidden: list[Candidate] = []  # the chosen gaps and every other place their words occur
    first = words[0] if words else None
    if protected:
        candidates = [c for c in candidates if not _in(c.start, c.end, protected)]
    for candidate in sorted(candidates, key=lambda c: (-c.score, c.start, -c.end)):
        span = text[candidate.start : candidate.end]
        if any(_touches(text, candidate, c) for c in hidden) or any(
                span.casefold() in text[c.start : c.end].casefold() for c in chosen):
            continue
        if first and (candidate.start, candidate.end) == (first.start, first.end) and len(
                words) > 1:
            continue  # never the first word alone: it is the easiest gap to guess
        if (len(span.split()) > MAX_WORDS and candidate.score < TERM_SCORE) or (
                candidate.score < MIN_SCORE and chosen):
            continue
        chosen.append(candidate)
        hidden.extend(_repeats(text, candidate, hidden, protected))
        if len(chosen) == MAX_CLOZES:
            break
    if not chosen:
        chosen = _fallback([w for w in words if not _in(w.start, w.end, protected)])
        hidden = _repeats(text, chosen[0], [], protected) if chosen else []
    numbers = {(c.start, c.end): n for n, c in enumerate(sorted(chosen, key=lambda c: c.start), 1)}
    gaps = []
    for gap in sorted(hidden, key=lambda c: c.start):
        origin = next(c for c in chosen if text[c.start : c.end].casefold() == text[
            gap.start : gap.end].casefold())
        gaps.append(Gap(gap.start, gap.end, numbers[(origin.start, origin.end)], origin.hint))
    return tuple(gaps)


def _in(start: int, end: int, protected: Sequence[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` overlaps a protected stretch."""
    return any(low < end and start < high for low, high in protected)


def _repeats(text: str, gap: Candidate, taken: Sequence[Candidate],
             protected: Sequence[tuple[int, int]] = ()) -> list[Candidate]:
    """A gap plus the other places its words occur (to be hidden under the same number): a
    card that hides "data lineage" must not show "Data lineage helps ..." two lines below."""
    out = [gap]
    words = text[gap.start : gap.end].casefold()
    if len(words) < 3:
        return out
    folded = text.casefold() if len(text.casefold()) == len(text) else None
    if folded is None:
        return out  # casefolding changed lengths (ß): positions would not line up
    position = folded.find(words)
    while position >= 0:
        end = position + len(words)
        bounded = (position == 0 or not _wordish(text[position - 1])) and (
            end == len(text) or not _wordish(text[end]))
        if bounded and not _in(position, end, protected) and not any(
                o.start < end and position < o.end for o in (*taken, *out)):
            out.append(Candidate(position, end, gap.score, gap.hint))
        position = folded.find(words, position + 1)
    return out


def _wordish(char: str) -> bool:
    return char.isalnum() or char in "_-"


def _touches(text: str, a: Candidate, b: Candidate) -> bool:
    """Whether two gaps overlap or stand side by side with no word between ("[...] [...]")."""
    if a.start < b.end and b.start < a.end:
        return True
    between = text[min(a.end, b.end) : max(a.start, b.start)]
    return not re.search(r"\w", between)


def _fallback(words: Sequence[_Word]) -> list[Candidate]:
    """Every quote gets at least one card: the rarest content word other than the first, or,
    in a quote made only of small words, its last three words (never a lone stopword)."""
    content = [w for w in words[1:] if not w.stop] or [w for w in words if not w.stop]
    if content:
        best = max(content, key=lambda w: (w.rarity, -w.start))
        return [Candidate(best.start, best.end, best.rarity)]
    if not words:
        return []
    tail = words[-min(3, len(words)) :]
    return [Candidate(tail[0].start, tail[-1].end, 0.0)]


def _from_marks(marks: Sequence[Mark]) -> tuple[Gap, ...]:
    """Reader's marks as clozes: their own numbers kept, the rest numbered in reading order."""
    used = {mark.number for mark in marks if mark.number}
    numbers = (n for n in range(1, 1000) if n not in used)
    clozes = []
    last_end = -1
    for mark in sorted(marks, key=lambda m: m.start):
        if mark.start < last_end:
            continue  # Anki cannot nest or overlap clozes; the first mark wins
        clozes.append(Gap(mark.start, mark.end, mark.number or next(numbers), mark.hint))
        last_end = mark.end
    return tuple(clozes)
