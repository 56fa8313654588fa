"""Choosing a quote's gaps: the learned score (weights in ``gap_weights.json``), the bar a
gap must clear, no two gaps that clash, every repeat of an answer hidden with it."""

from __future__ import annotations

import json
import math
import operator
import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Protocol

from ..language import Analysis
from ..model import Gap
from .candidates import Candidate, candidates
from .features import FEATURES, features, quote_context
from .rules import allowed


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



@cache
def _weights() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The learned weights and the thresholds of the first, second and third gap."""
    data = json.loads(resources.files("quote2anki").joinpath("gap_weights.json").read_text(
        encoding="utf-8"))
    weights = tuple(float(data["weights"].get(name, 0.0)) for name in FEATURES)
    thresholds = tuple(float(t) for t in data["thresholds"])
    return weights, thresholds


@cache
def margin() -> float:
    """How far below the quote's first gap a later one may score (``gap_weights.json``): a
    second card must be nearly as good as the first, not merely clear its own bar."""
    data = json.loads(resources.files("quote2anki").joinpath("gap_weights.json").read_text(
        encoding="utf-8"))
    return float(data.get("margin", 1.0))


def score(vector: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """The model's probability that a candidate is a phrase a careful reader would hide."""
    w = weights if weights is not None else _weights()[0]
    if len(vector) != len(w):
        raise ValueError(f"{len(vector)} features but {len(w)} weights")
    z = sum(map(operator.mul, vector, w))  # the same sum, in the same order, without a generator
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))



MAX_GAPS = 3
WITH_UNIT = re.compile(r"\d\s?(?:%|[^\W\d_])|[$€£¥]\s?\d")
NUMBER_WITH_UNIT = 0.5
"""A number with its unit or currency (``85%``, ``$86.61``, ``3 ms``) is worth a gap whatever the
ranker thinks of its words: the labelling rules put it second only to a defined term. (The
listwise model spreads one quote's probability over its candidates, so a quote with several
good ones gives each little; this floor is what the rule needs. It clears the second gap's
bar in ``gap_weights.json``, so a number can be a quote's second card.)"""


def _with_unit(text: str, candidate: Candidate) -> bool:
    """A number with its unit or currency: never held back by the margin either."""
    return candidate.source == "NUM" and WITH_UNIT.search(
        text[candidate.start : candidate.end]) is not None


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
        elif _with_unit(analysis.text, candidate):
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
    gap, a later one scoring within :func:`margin` of the first automatic one, never two
    that overlap, touch, or share a word. A quote with nothing worth hiding
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
    first: float | None = None
    for p, candidate in ranked(analysis, terms, title_words):
        if len(chosen) >= MAX_GAPS:
            break
        if any(s < candidate.end and candidate.start < e for s, e in protected):
            continue
        if candidate.source != "term" and (
                p < thresholds[min(len(chosen), len(thresholds) - 1)]
                or (first is not None and p < first - margin()
                    and not _with_unit(text, candidate))):
            continue
        if any(_clash(text, candidate, other) for other, _ in chosen):
            continue
        chosen.append((candidate, None))
        first = p if first is None else first
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
    """Every other place the phrase at ``start:end`` stands as whole words (case folded).

    A plain ``str.find`` scan, not a regular expression made per phrase: a pattern per phrase
    costs a compile each time and pushes the module's own patterns out of ``re``'s cache.
    """
    phrase = text[start:end]
    folded = text.casefold()
    if len(phrase) < 3 or len(folded) != len(text):
        return
    needle = phrase.casefold()
    position = folded.find(needle)
    while position >= 0:
        after = position + len(needle)
        if _free(folded, position - 1) and _free(folded, after):
            if position != start:
                yield position, after
            position = folded.find(needle, after)
        else:
            position = folded.find(needle, position + 1)


def _free(text: str, k: int) -> bool:
    """Whether ``text[k]`` is outside the text or no word character or hyphen (a phrase's edge)."""
    if k < 0 or k >= len(text):
        return True
    c = text[k]
    return not (c.isalnum() or c in "_-")


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
