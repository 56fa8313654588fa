"""Choosing what to hide in a quote, and writing the Anki field that hides it.

The reader's own marks always win. Otherwise we hide what a careful Anki user would: the terms
the quote defines, numbers with their units, names, and rare technical phrases, at most
:data:`MAX_CLOZES` gaps of 1-4 words, each its own card. Word rarity comes from wordfreq's
English list, which ships inside the package (nothing is downloaded).

This module also owns escaping: every character of a quote reaches Anki as text, never as
markup or cloze syntax.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from .model import Mark

MAX_CLOZES = 3
MAX_WORDS = 4


@dataclass(frozen=True)
class Cloze:
    """One gap: the span of the quote it hides, its card number and an optional hint."""

    start: int
    end: int
    number: int
    hint: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A span worth hiding, and how much it is worth."""

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
    able based using used use uses want wants need needs know known""".split()
)

_COMMON_CAPITALISED = frozenset(
    """i january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday english""".split()
)

_TOKEN = re.compile(r"[^\W_](?:[\w’'&+.-]*[^\W_])?%?")


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str
    rarity: float
    capital: bool
    sentence_start: bool
    stop: bool


def _words(text: str) -> list[_Word]:
    words: list[_Word] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.endswith(".") and not re.search(r"\.\w", token):
            token = token[:-1]
        start, end = match.start(), match.start() + len(token)
        gap = text[previous_end:start]
        sentence_start = not words or bool(re.search(r"[.!?:;—\"“(]\s*$", gap))
        lower = token.lower()
        stop = lower in STOPWORDS or (len(token) == 1 and not token.isdigit())
        rarity = 0.0 if stop or token[0].isdigit() else max(0.0, 7.0 - zipf(token))
        words.append(_Word(start, end, token, rarity, token[0].isupper(), sentence_start, stop))
        previous_end = end
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
            if _YEAR.match(value) or value in ("0", "1"):
                continue
            following = text[match.end() : match.end() + 20].split()
            score = 2.0 if following and following[0].lower() not in STOPWORDS else 0.5
            yield Candidate(match.start(), match.end(), score, "number")
            continue
        hint = _CURRENCIES.get(currency or "") or _UNITS.get((unit or "").strip().lower())
        yield Candidate(match.start(), match.end(), 6.0, hint or "number")


def _phrases(words: Sequence[_Word], text: str) -> Iterable[Candidate]:
    """Runs of rare content words and names, 1-4 words, scored by their rarest word."""
    run: list[_Word] = []

    def flush() -> Iterable[Candidate]:
        if run:
            yield from _best_windows(run, text)
        run.clear()

    for word in words:
        joined = not run or _adjacent(text, run[-1], word)
        if word.stop or word.text[0].isdigit() or not joined:
            yield from flush()
        if not word.stop and not word.text[0].isdigit():
            run.append(word)
    yield from flush()


def _adjacent(text: str, left: _Word, right: _Word) -> bool:
    """Two words belong to one phrase only when just a space (or hyphen) separates them."""
    return text[left.end : right.start] in (" ", "-", ". ") and (
        text[left.end : right.start] != ". " or len(left.text) == 1
    )


def _best_windows(run: Sequence[_Word], text: str) -> Iterable[Candidate]:
    """From a run of content words, the windows of up to four words around its rare words."""
    names = [w for w in run if w.capital and not w.sentence_start and w.text.lower()
             not in _COMMON_CAPITALISED]
    if names and len(names) == len(run) and len(run) <= MAX_WORDS:
        score = max(w.rarity for w in run) + 1.0
        yield Candidate(run[0].start, run[-1].end, score, None)
        return
    seeds = sorted(range(len(run)), key=lambda i: -run[i].rarity)[:3]
    for seed in seeds:
        if run[seed].rarity < 2.5:
            continue
        left = right = seed
        while (right + 1 < len(run) and right - left < MAX_WORDS - 1
               and run[right + 1].rarity >= 1.8):
            right += 1
        while left > 0 and right - left < MAX_WORDS - 1 and run[left - 1].rarity >= 2.2:
            left -= 1
        window = run[left : right + 1]
        score = max(w.rarity for w in window) + 0.3 * (len(window) - 1)
        yield Candidate(window[0].start, window[-1].end, score, None)


def choose(
    text: str,
    marks: Sequence[Mark] = (),
    terms: Sequence[tuple[int, int]] = (),
) -> tuple[Cloze, ...]:
    """The gaps for one quote.

    ``marks`` are the reader's (they win and switch off automatic choice); ``terms`` are spans
    of terms the quote defines. A quote with nothing rare still gets one gap on its most
    informative phrase, so no quote is dropped.

    >>> text = "According to Talos Intelligence, as of May 2021, nearly 85% of all emails are spam."
    >>> [(text[c.start:c.end], c.number, c.hint) for c in choose(text)]
    [('Talos Intelligence', 1, None), ('85%', 2, 'percent')]
    >>> spam = text.index("spam")
    >>> [(text[c.start:c.end], c.number) for c in choose(text, [Mark(spam, spam + 4)])]
    [('spam', 1)]
    """
    if marks:
        return _from_marks(marks)
    words = _words(text)
    candidates = [Candidate(start, end, 10.0) for start, end in terms]
    candidates += _numbers(text)
    candidates += _phrases(words, text)
    chosen: list[Candidate] = []
    seen: set[str] = set()
    first = words[0] if words else None
    for candidate in sorted(candidates, key=lambda c: (-c.score, c.start)):
        span = text[candidate.start : candidate.end]
        if span.casefold() in seen or any(_overlaps(candidate, c) for c in chosen):
            continue
        if first and candidate.start == first.start and candidate.end == first.end and (
            len(words) > 1
        ):
            continue
        if len(span.split()) > MAX_WORDS or (candidate.score < 3.0 and chosen):
            continue
        chosen.append(candidate)
        seen.add(span.casefold())
        if len(chosen) == MAX_CLOZES:
            break
    if not chosen:
        chosen = _fallback(words)
    chosen.sort(key=lambda c: c.start)
    return tuple(Cloze(c.start, c.end, number, c.hint) for number, c in enumerate(chosen, 1))


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


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _from_marks(marks: Sequence[Mark]) -> tuple[Cloze, ...]:
    """Reader's marks as clozes: their own numbers kept, the rest numbered in reading order."""
    used = {mark.number for mark in marks if mark.number}
    numbers = (n for n in range(1, 1000) if n not in used)
    clozes = []
    last_end = -1
    for mark in sorted(marks, key=lambda m: m.start):
        if mark.start < last_end:
            continue  # Anki cannot nest or overlap clozes; the first mark wins
        clozes.append(Cloze(mark.start, mark.end, mark.number or next(numbers), mark.hint))
        last_end = mark.end
    return tuple(clozes)


# --- writing the field ------------------------------------------------------------------------

_FIELD_ESCAPES = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
                                "\n": "<br>"})
_CLOZE_ESCAPES = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
                                ":": "&#58;", "\n": " "})


def escape(text: str) -> str:
    """Text as HTML that Anki shows verbatim: no markup, no cloze syntax, no ``[sound:]`` tag.

    >>> escape("<b>{{c1::x}}</b> [sound:a.mp3]")
    '&lt;b&gt;&#123;&#123;c1::x&#125;&#125;&lt;/b&gt; &#91;sound:a.mp3&#93;'
    """
    return html.escape(text, quote=False).translate(_FIELD_ESCAPES)


def _escape_in_cloze(text: str) -> str:
    return html.escape(text, quote=False).translate(_CLOZE_ESCAPES)


def render(text: str, clozes: Sequence[Cloze]) -> str:
    """The Text field: ``text`` escaped, with ``{{cN::...}}`` exactly where the clozes are.

    >>> render("a <b> c::d e", [Cloze(11, 12, 1, "x")])
    'a &lt;b&gt; c::d {{c1::e::x}}'
    """
    out = []
    position = 0
    for cloze in sorted(clozes, key=lambda c: c.start):
        out.append(escape(text[position : cloze.start]))
        hint = f"::{_escape_in_cloze(cloze.hint)}" if cloze.hint else ""
        out.append(f"{{{{c{cloze.number}::{_escape_in_cloze(text[cloze.start:cloze.end])}{hint}}}}}")
        position = cloze.end
    out.append(escape(text[position:]))
    return "".join(out)


def blank(text: str, clozes: Sequence[Cloze]) -> str:
    """Plain text with every gap shown as ``[...]``, for listings in the terminal.

    >>> blank("nearly 85% of all emails", [Cloze(7, 10, 1)])
    'nearly [...] of all emails'
    """
    out = []
    position = 0
    for cloze in sorted(clozes, key=lambda c: c.start):
        out.append(text[position : cloze.start])
        out.append("[...]")
        position = cloze.end
    out.append(text[position:])
    return "".join(out)
