"""Appositions and glosses after a term: ``idempotence—the property that ...``,
``X, the N that ..., is ...``, ``up-scaling (expanding the resources ...)``,
``X, which stands for Y``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..text import squash_spaces
from .base import (
    ARTICLE,
    MAIN_VERB,
    NOT_TERM_START,
    QTERM,
    SUPERLATIVE,
    TERM_END_WORDS,
    THING_GLOSS,
    Context,
    Found,
    defined,
    guard_term,
    noun_phrase_before,
    rule_needing,
    zipf,
)

# --- appositions: a dash, a comma or a parenthesis after the term ---------------------------

# "Most companies do stateless retraining—the model is trained from scratch each time.",
# "Watch for a yield curve inversion—short-term government bonds paying higher yields ..."
_DASH = re.compile(r"(?P<before>[\w’' -]{3,80})—(?P<definition>[^—]{8,300}?)(?=—|[.;!?]|$)")
_NOUN_GLOSS = re.compile(r"^(?:the|a|an)\s(?:[\w-]+\s){0,3}?[\w-]+\s(?:that|which|of|in|for|"
                         r"where|used|made|formed|between)\s")
_DASH_START = re.compile(r"^(?:the|a|an|when|where|in which|[a-z][\w-]*)\s", re.I)


@rule_needing('—',)
def _dash_apposition(context: Context) -> Iterator[Found]:
    from .words import STOPWORDS

    for match in _DASH.finditer(context.text):
        definition = match["definition"]
        first = definition.split()[0].lower() if definition.split() else ""
        if (not _DASH_START.match(definition) or first in STOPWORDS - {"the", "a", "an", "when",
                                                                       "where"}
                or first in NOT_TERM_START - {"when"} or definition[:1].isupper()):
            continue
        term_words = noun_phrase_before(match["before"])
        term = " ".join(term_words)
        if not term_words or not guard_term(term):
            continue
        if len(term_words) < 2 and not _NOUN_GLOSS.match(definition):
            continue  # one word: only with a noun-phrase gloss ("gluten—the elastic network that")
        start = context.start + match.end("before") - len(term)
        yield Found(term, squash_spaces(definition), start, start + len(term), ())




# wedge-shaped stone at the crown of an arch, is ...", "... runs on the half-life, the time it
# takes for half the atoms of a radioactive isotope to decay; ..."
_COMMA_GLOSS = re.compile(
    rf"^{ARTICLE}{QTERM},\s(?P<definition>(?:(?:the|a|an)\s|where\s|in which\s)[^;()]{{10,160}}?)"
    r",\s(?P<rest>[a-z].{8,})$"
)
_MID_GLOSS = re.compile(
    r"\b(?:the|a|an)\s(?P<term>[a-z][\w’'-]*(?:\s[a-z][\w’'-]*){0,2}),\s(?P<definition>(?:the|a|"
    r"an)\s[a-z][\w’'-]*(?:\s[\w’'-]+){2,25}?\s(?:of|that|which|it|for|in|to)\s[^,;()]{5,120})"
    r"(?=[;.]|$)"
)
# "... to the public, the best way to achieve this is to ...": the "gloss" is the subject of
# the sentence's main clause, not an apposition.



@rule_needing(', ',)
def _comma_gloss(context: Context) -> Iterator[Found]:
    match = _COMMA_GLOSS.match(context.text)
    if match is not None and not THING_GLOSS.match(match["definition"]):
        term = match["term"]
        common = max(zipf(word) for word in term.split()) >= 4.0 and " " not in term
        if not common or term[:1].islower():
            yield from defined(match, context)
    for mid in _MID_GLOSS.finditer(context.text):
        if (not THING_GLOSS.match(mid["definition"]) and mid.start() > 0
                and not MAIN_VERB.search(mid["definition"])
                and not SUPERLATIVE.match(mid["definition"])):
            yield from defined(mid, context, mid["definition"])


# "... up-scaling (expanding the resources to handle growth) and down-scaling (reducing ...)",
# "software systems failures (failures that also happen to non-ML systems)".
_GLOSS = re.compile(
    r"(?<![\w-])(?P<before>[a-z][\w-]*(?:\s[a-z][\w-]*){0,2})\s\((?P<definition>[a-z][\w-]*"
    r"\s[^()]{8,120})\)"
)


@rule_needing('(',)
def _parenthetical_gloss(context: Context) -> Iterator[Found]:
    for match in _GLOSS.finditer(context.text):
        definition = match["definition"]
        words = match["before"].split()
        head = words[-1].lower().rstrip("s") if words else ""
        gerund = re.match(r"^(?!including|excluding|especially|regarding|according)[a-z]+ing\s",
                          definition) is not None
        restates = bool(head) and re.match(rf"^(?:the\s)?{re.escape(head)}s?\s(?:that|which|"
                                           r"where|when|in which)\s", definition) is not None
        term_words = noun_phrase_before(match["before"], common=restates)
        if not term_words or not (gerund or restates) or (restates and len(term_words) < 2):
            continue
        term = " ".join(term_words)
        if gerund and not ("-" in term or zipf(term_words[-1]) < 3.5):
            continue
        if guard_term(term):
            start = context.start + match.end("before") - len(term)
            yield Found(term, squash_spaces(definition), start, start + len(term), ())


# --- abbreviations: "X, which stands for Y" ------------------------------------------------

# "pubsub, which is short for publish-subscribe", "ETL, which stands for extract, ...".
_WORD_LIST = re.compile(r"^[\w-]+(?:, [\w-]+)+,? (?:and|or) [\w-]+$")
_STANDS_FOR = re.compile(
    r"(?P<before>[\w’' -]{2,80}?),\s(?:which\s)?(?:stands for|is short for|is an abbreviation "
    r"for|is an acronym for)\s(?P<definition>[^.;()]{3,100})"
)


@rule_needing('stands for', 'short for', 'abbreviation', 'acronym')
def _stands_for(context: Context) -> Iterator[Found]:
    for match in _STANDS_FOR.finditer(context.text):
        words = match["before"].split()
        term_words: list[str] = []
        for word in reversed(words):
            if word.lower() in TERM_END_WORDS or word.lower() in NOT_TERM_START or word.lower() in (
                    "called", "named", "known", "termed", "as") or len(term_words) == 3:
                break
            term_words.insert(0, word)
        term = " ".join(term_words)
        if term and guard_term(term):
            start = context.start + match.end("before") - len(term)
            definition = match["definition"].strip()
            if not _WORD_LIST.match(definition):
                definition = definition.split(",")[0]
            yield Found(term, squash_spaces(definition), start, start + len(term), ())




# --- an acronym with its expansion in parentheses: "DMP (Data Management Platform)" ----------

_ACRONYM_EXPANDED = re.compile(
    r"(?<![\w-])(?P<term>[A-Z][A-Za-z]*[A-Z](?:\s[A-Z][A-Za-z]*)?s?)\s?[(（]"
    r"(?P<definition>[A-Z][\w-]*(?:\s[\w-]+){1,6})[)）]"
    r"|[(（](?P<term2>[A-Z][A-Za-z]*(?:\s[A-Z][A-Za-z]*)?)\s?[:：]\s?"
    r"(?P<definition2>[A-Z][\w-]*(?:\s[\w-]+){1,6})[)）]"
)


def _capitals(text: str) -> str:
    """The capitals that begin the words (and hyphenated parts) of ``text``.

    >>> _capitals("Denial-of-Service"), _capitals("Auto ML"), _capitals("Data Management Platform")
    ('DS', 'AML', 'DMP')
    """
    return "".join(c for c in text if c.isupper())


@rule_needing('(', '（')
def _acronym_expanded(context: Context) -> Iterator[Found]:
    """An acronym followed by its expansion in parentheses, the expansion's capitals being the
    acronym's: the acronym is the term, the expansion what it means.

    >>> from quote2anki.definitions import candidates
    >>> t = "Buy data from a DMP (Data Management Platform) when you lack your own."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "acronym_expanded"]
    [('DMP', 'Data Management Platform')]
    >>> t = "The tool automates model building (Auto ML: Automated Machine Learning) end to end."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "acronym_expanded"]
    [('Auto ML', 'Automated Machine Learning')]
    >>> [f.term for f in candidates("Ask the CEO (Jane Smith) first.")
    ...  if f.rule == "acronym_expanded"]
    []
    """
    for match in _ACRONYM_EXPANDED.finditer(context.text):
        name = "term" if match["term"] else "term2"
        term, definition = match[name], match["definition" if name == "term" else "definition2"]
        if _capitals(term).rstrip("S") != _capitals(definition).rstrip("S") and (
                _capitals(term) != _capitals(definition)):
            continue
        start = context.start + match.start(name)
        yield Found(term, squash_spaces(definition), start, start + len(term), ())
