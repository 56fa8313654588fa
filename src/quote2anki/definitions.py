"""Finding definitions: glossary lines, and terms defined in the running text of a quote.

Books define terms in a handful of shapes (``X refers to ...``, ``... is called X``, a run-in
glossary head ``Covariate shift When P(X) changes ...``). Each shape is a rule: a bounded
regular expression plus guards against its false friends (``This refers to``, ``According to
Talos Intelligence``). Rules see one sentence at a time, so cost is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from .inline import parse_inline, strip_wrapper
from .text import squash_spaces


@dataclass(frozen=True)
class Found:
    """A definition found in a quote: the term's span in the quote, and what it means."""

    term: str
    definition: str
    start: int
    end: int
    aliases: tuple[str, ...] = ()


# --- glossary lines -------------------------------------------------------------------------

_GLOSSARY_FORMS = (
    # **Term**: definition, **Term:** definition, __Term__ — definition
    re.compile(r"^(?:\*\*|__)(?P<term>[^*_\n]{1,100}?)(?::)?(?:\*\*|__)[ \t]*(?:::|[:=—–]|--?)?"
               r"[ \t]*(?P<definition>\S.*)$", re.S),
    # Term:: definition (Logseq / Dataview)
    re.compile(r"^(?P<term>[^:\n]{1,100}?)[ \t]*::[ \t]*(?P<definition>\S.*)$", re.S),
    # Term — definition, Term – definition, Term - definition
    re.compile(r"^(?P<term>[^—–\n]{1,100}?)[ \t]+(?:[—–]|--?)[ \t]+(?P<definition>\S.*)$", re.S),
    re.compile(r"^(?P<term>[^—–\n]{1,100}?)[ \t]*[—–][ \t]*(?P<definition>\S.*)$", re.S),
    # Term: definition
    re.compile(r"^(?P<term>[^:\n]{1,100}?):[ \t]+(?P<definition>\S.*)$", re.S),
)

MAX_TERM_WORDS = 8


def parse_glossary_line(raw: str) -> tuple[str, str] | None:
    """Term and definition from one line of a glossary section, or None if it is not one.

    >>> parse_glossary_line("**Covariate shift**: P(X) changes, P(Y|X) does not.")
    ('Covariate shift', 'P(X) changes, P(Y|X) does not.')
    >>> parse_glossary_line("Label shift — P(Y) changes")
    ('Label shift', 'P(Y) changes')
    >>> parse_glossary_line("Concept drift:: P(Y|X) changes")
    ('Concept drift', 'P(Y|X) changes')
    >>> parse_glossary_line("Just a sentence with no separator.") is None
    True
    """
    line = squash_spaces(raw)
    for form in _GLOSSARY_FORMS:
        match = form.match(line)
        if match is None:
            continue
        term = squash_spaces(parse_inline(strip_wrapper(match["term"]))[0]).strip(" :")
        definition = squash_spaces(parse_inline(match["definition"])[0])
        if term and definition and len(term.split()) <= MAX_TERM_WORDS:
            return term, definition
    return None


# --- sentences --------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "e.g i.e etc al vs cf fig figs eq no nos vol pp ch sec mr mrs ms dr prof st jr sr inc ltd co "
    "approx ca resp viz ibid op dept est".split()
)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the sentences in ``text``; abbreviations, initials and decimals do not end one.

    >>> s = "Su et al. showed 67.97% of it. P(Y|X) stays, e.g. here. Frederick P. Brooks wrote."
    >>> [s[a:b] for a, b in sentences(s)]
    ['Su et al. showed 67.97% of it.', 'P(Y|X) stays, e.g. here.', 'Frederick P. Brooks wrote.']
    """
    start = 0
    for match in _SENTENCE_END.finditer(text):
        word = text[max(start, match.start() - 12) : match.start()].split()
        last = word[-1].lower().rstrip(".") if word else ""
        if match.group()[0] == "." and (
            last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())
        ):
            continue
        end = match.end()
        yield start, end
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        yield start, len(text.rstrip()) if text.rstrip() else len(text)


# --- definitions in running text ------------------------------------------------------------

_PRONOUNS_AND_DISCOURSE = frozenset(
    """this that these those it its they them he she we you i there here which who what
    according however therefore thus so but and or also moreover furthermore instead
    in on at for with by from to of as if when while because although though since after before
    during once then now often usually sometimes one another each every some any such many most
    all both either neither other others same first second finally overall similarly""".split()
)
_STOPWORDS = frozenset(
    """a an the and or but of to in on at for with by from as is are was were be been being it
    its this that these those which who whom what when where why how than then so such not no
    nor""".split()
)

_WORD = r"[\w][\w'’-]*"
_TERM = rf"{_WORD}(?:[ ]{_WORD}){{0,5}}"
_ACRONYM = r"\((?P<acronym>[A-Z][A-Za-z0-9&/-]{1,10})\)"


def _guard_term(term: str) -> bool:
    """Whether a candidate term looks like a term rather than a sentence fragment.

    >>> [_guard_term(t) for t in ["Data leakage", "This", "According to Talos", "feature of"]]
    [True, False, False, False]
    """
    words = term.split()
    if not words or len(words) > 6:
        return False
    first, last = words[0].lower(), words[-1].lower().strip("()")
    if first in _PRONOUNS_AND_DISCOURSE or last in _STOPWORDS:
        return False
    if any(word.lower() in ("the", "a", "an", "this", "that", "we", "you", "i") for word in words):
        return False
    return any(char.isalpha() for char in term)


Rule = Callable[[str], Iterator[Found]]
_RULES: list[Rule] = []


def _rule(function: Rule) -> Rule:
    _RULES.append(function)
    return function


_REFERS = re.compile(rf"^(?:(?:The|A|An)\s)?(?P<term>{_TERM})\s(?:{_ACRONYM}\s)?"
                     r"(?P<verb>refers to|means|is defined as|denotes)\s(?P<definition>.{4,})$")


@_rule
def _refers_to(sentence: str) -> Iterator[Found]:
    """``Data leakage refers to the phenomenon when ...``, ``Multilabel means that ...``."""
    match = _REFERS.match(sentence)
    if match and _guard_term(match["term"]):
        yield _found(match, match["definition"])


_IS_CALLED = re.compile(
    rf"^(?P<definition>.{{8,}}?)\s(?:is|are)\s(?:also\s|sometimes\s|often\s|commonly\s)?"
    rf"(?:called|known as|termed|referred to as)\s[“\"]?(?P<term>{_TERM})[”\"]?"
    r"(?:,\s(?:which\s)?(?:stands for|is short for)\s(?P<expansion>[^.]{3,80}))?[.!]?$"
)
_KNOWN_AS = re.compile(
    rf"^(?P<definition>.{{8,}}?),\s(?:a|an|the)\s(?:\w+\s)?(?:technique|phenomenon|process|"
    rf"method|practice|concept|approach|problem|practice|strategy|effect)\s(?:\w+\s)?"
    rf"(?:known as|called|termed)\s[“\"]?(?P<term>{_TERM})[”\"]?[.!]?$"
)
_SUBJECT_ANAPHORA = re.compile(r"^(?:this|that|it|these|such)\b", re.I)


@_rule
def _is_called(sentence: str) -> Iterator[Found]:
    """``The process of generating predictions is called inference.``"""
    for pattern in (_IS_CALLED, _KNOWN_AS):
        match = pattern.match(sentence)
        if match and _guard_term(match["term"]):
            definition = match["definition"]
            if pattern is _IS_CALLED and _SUBJECT_ANAPHORA.match(definition):
                definition = ""  # "This process is called X": the previous sentence defines it
            yield _found(match, definition)
            return


def _found(match: re.Match[str], definition: str) -> Found:
    term = match["term"]
    aliases: tuple[str, ...] = ()
    groups = match.groupdict()
    if groups.get("acronym"):
        aliases = (groups["acronym"],)
    definition = squash_spaces(definition).rstrip(" ,;:")
    return Found(term, definition, match.start("term"), match.end("term"), aliases)


def find_definitions(text: str) -> tuple[Found, ...]:
    """Definitions stated in ``text``, one per term, with the term's span in ``text``.

    >>> [(f.term, f.definition) for f in find_definitions(
    ...     "Both are examples. Data leakage refers to the label leaking into the features.")]
    [('Data leakage', 'the label leaking into the features.')]
    >>> [(f.term, f.definition) for f in find_definitions(
    ...     "Scale features to similar ranges. This process is called feature scaling.")]
    [('feature scaling', 'Scale features to similar ranges.')]
    >>> find_definitions("This refers to the first decomposition.")
    ()
    """
    found: dict[str, Found] = {}
    previous = ""
    for start, end in sentences(text):
        sentence = text[start:end]
        for rule in _RULES:
            for item in rule(sentence):
                definition = item.definition or previous
                if not definition:
                    continue
                key = item.term.casefold()
                if key in found:
                    continue
                found[key] = replace(item, definition=definition, start=item.start + start,
                                     end=item.end + start)
        previous = sentence
    return tuple(sorted(found.values(), key=lambda item: item.start))
