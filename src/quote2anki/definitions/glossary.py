"""Glossary lines: ``Term: definition``, ``**Term**: definition``, ``Term — definition``,
``Term:: definition``."""

from __future__ import annotations

import re

from ..highlights import strip_wrapper
from ..inline import parse_inline
from ..text import squash_spaces

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
    # Term = definition
    re.compile(r"^(?P<term>[^=\n]{1,100}?)[ \t]+=[ \t]+(?P<definition>\S.*)$", re.S),
)

MAX_TERM_WORDS = 8


def parse_glossary_line(raw: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Term, definition and aliases from one glossary line, or None if it is not one.

    >>> parse_glossary_line("**Covariate shift**: P(X) changes, P(Y|X) does not.")
    ('Covariate shift', 'P(X) changes, P(Y|X) does not.', ())
    >>> parse_glossary_line("Label shift — P(Y) changes")
    ('Label shift', 'P(Y) changes', ())
    >>> parse_glossary_line("Mid-ocean ridge (MOR) – an underwater mountain chain")
    ('Mid-ocean ridge', 'an underwater mountain chain', ('MOR',))
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
        if re.match(r"^(?:see|cf\.?)\s", definition, re.I):
            return None  # "Basalt — see Igneous rock." is a cross-reference
        aliases: tuple[str, ...] = ()
        acronym = re.fullmatch(r"(.+?)\s\(([^()]{1,40})\)", term)
        if acronym:
            term, aliases = acronym[1], (acronym[2],)
        if term and definition and len(term.split()) <= MAX_TERM_WORDS:
            return term, definition, aliases
    return None


def is_cross_reference(raw: str) -> bool:
    """A glossary line that only points elsewhere: "See also: ...", "Basalt — see Igneous rock."

    >>> [is_cross_reference(t) for t in ["See also: [[Evidence]]", "Basalt — see Igneous rock.",
    ...                                  "Heaven — night and day"]]
    [True, True, False]
    """
    return _CROSS_REFERENCE.match(raw.strip()) is not None


_CROSS_REFERENCE = re.compile(r"^\W*(?:see also|see|cf\.?|related|tags|sources?|links)\W*:|"
                              r"^[^:—–=]{1,100}[:—–=-]\s*(?:see|cf\.?)\s", re.I)




# --- glossary lines anywhere in a note: the guarded predicate ---------------------------------

METADATA_KEYS = frozenset("""author authors by tags tag id uid uuid deck source sources url link
    links date dates title subtitle category categories type kind rating stars score status
    published publisher isbn isbn10 isbn13 asin pages genre genres started finished read
    recommended format year created updated modified aliases alias cover image location page
    chapter highlights highlight note notes comment comments collapsed template public
    language lang edition translator series progress priority topic topics related see also
    next previous parent children up down reviewed review last first full document
    ref reference references citation cite doi publication journal volume issue time duration
    length words mood medium platform via from to cc bcc subject""".split())
_PROPERTY = re.compile(r"^\s*[A-Za-z][\w-]{0,30}::")
_LINKISH = re.compile(r"^(?:\[\[|https?://|www\.|\(\(|!\[|#\w|\d[\d\s/.:-]*$)")
_SENTENCE_TERM = re.compile(r"\b(?:is|are|was|were|I|you|we|my|our|will|would|can|should|this|"
                            r"that|it|mine|me|us|your|his|her|their|some|any|these|those|"
                            r"[Ss]ome|[Tt]hey|[Hh]e|[Ss]he)\b")


def glossary_line(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Term, definition and aliases when ``text`` (one bullet or line of a note, as written) is
    a glossary line a reader wrote among their own notes; None for everything else.

    Stricter than :func:`parse_glossary_line`, which reads lines under a Glossary heading: the
    term is short and shaped like a term, the definition has at least three words, and metadata
    (``Author: ...``, ``Tags: ...``, Logseq properties such as ``id:: ...`` or ``deck:: ...``)
    never counts.

    >>> glossary_line("**Habit stacking:** Pair a new habit with one you already do.")
    ('Habit stacking', 'Pair a new habit with one you already do.', ())
    >>> glossary_line("Lag measures — the outcome you finally care about, counted late.")
    ('Lag measures', 'the outcome you finally care about, counted late.', ())
    >>> [glossary_line(t) for t in ["Author: Cal Newport", "deck:: Books::Deep Work",
    ...                              "id:: 64f1c2a0-1b2c", "Tags: [[productivity]] [[focus]]",
    ...                              "I loved this: it changed how I work every day",
    ...                              "Source: https://example.org/some/page"]]
    [None, None, None, None, None, None]
    """
    raw = text.strip()
    if not raw or "\n" in raw.strip() or _CROSS_REFERENCE.match(raw):
        return None
    bold = raw.startswith(("**", "__"))
    if _PROPERTY.match(raw) and not bold:
        key = raw.split("::", 1)[0].strip()
        # Logseq and Dataview properties are keys: one lower-case word, or a known key
        if (" " not in key and key.islower()) or key.lower() in METADATA_KEYS:
            return None
    found = parse_glossary_line(raw)
    if found is None:
        return None
    term, definition, aliases = found
    words = term.split()
    key = re.sub(r"[^\w ]", "", term.lower()).strip()
    if (not words or not key or len(words) > 5 or key in METADATA_KEYS or (
            key.split()[0] in METADATA_KEYS and len(words) == 1)):
        return None
    if not bold and (_SENTENCE_TERM.search(term) or not term[:1].isalpha()
                     or not (term[:1].isupper() or term.isupper())):
        return None
    if len(definition.split()) < 3 or _LINKISH.match(definition.strip()):
        return None
    if re.search(r"[.!?]$", term) or re.search(r"\d{3,}", term) or not any(
            char.isalpha() for char in term):
        return None  # "**20:27:** ..." is an audiobook's time, not a term
    if len(words) == 1 and _is_imperative(term):
        return None  # "Remember: ...", "Note: ...", "Try: ...": a reminder, not a term
    return term, definition, aliases


def _is_imperative(word: str) -> bool:
    """Whether a lone capitalised word is a verb telling the reader to do something.

    >>> [_is_imperative(w) for w in ["Remember", "Try", "Entropy", "Habits"]]
    [True, True, False, False]
    """
    from ..language import analyse

    tokens = analyse(f"{word} the list.").tokens
    return bool(tokens) and tokens[0].tag == "VB"
