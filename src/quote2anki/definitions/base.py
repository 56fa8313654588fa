"""What every rule shares: the Found value, the clause a rule sees, the shape of a term.

A rule sees one clause (a sentence, or a part of one between semicolons) with its neighbours,
and answers with zero or more :class:`Found` candidates. Patterns are anchored or bounded, and
no clause longer than :data:`MAX_SENTENCE` characters is searched, so the cost stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from ..text import squash_spaces


@dataclass(frozen=True, slots=True)
class Found:
    """A definition found in a quote: the term's span in the quote, and what it means.

    ``rule`` names the pattern that proposed it; ``clause`` is the span of the clause it was
    found in (the scorer reads the words around the term there).
    """

    term: str
    definition: str
    start: int
    end: int
    aliases: tuple[str, ...] = ()
    rule: str = ""
    clause: tuple[int, int] = (0, 0)


# A term never starts with these: pronouns, discourse markers, prepositions, quantifiers.
NOT_TERM_START = frozenset(
    """not no never nor this that these those it its they them their he she his her we our you
    your i my me there here which who what whose according however therefore thus so but and or
    also moreover
    furthermore instead hence yet still in on at for with by from to of as if when while because
    although though since after before during once then now often usually sometimes one another
    each every some any such many most much more less all both either neither other others same
    first second third next last finally overall similarly typically note let suppose imagine
    consider see here there today yesterday without within whichever whatever whenever watch
    something anything nothing everything somebody anybody
    example instance case goal result reason idea point answer question thing way key purpose
    aim problem people someone everyone nobody firms teams studies researchers""".split()
)
# Words a term cannot end with.
TERM_END_WORDS = frozenset(
    """a an the and or but of to in on at for with by from as is are was were be been being it
    its this that these those which who whom what when where why how than then so such not no
    nor like can could will would should may might must do does did has have had behind about
    into onto over under between among through one ones version above below""".split()
)
# Words a term cannot contain at all ("the" only after "of": "fruit of the poisonous tree").
NEVER_IN_TERM = frozenset(
    """a an this that these those is are was were be been being it its we you he she they our
    your my their his her can could will would should may might must do does did has have had
    there here""".split()
)
# Small words allowed inside a term: "Missing not at random", "Theory of mind".
INNER_SMALL = frozenset("of at not to and in for on by with from or the".split())

AUXILIARY = (r"(?!(?:can|may|is|are|was|were|will|would|should|could|might|must|has|have|had|"
              r"do|does|did|be|been)\b)")
WORD = rf"{AUXILIARY}(?:[^\W\d_][\w'’–-]*|\d[\w'’–-]*[^\W\d_][\w'’–-]*)"
TERM = rf"(?:{WORD})(?:[ ](?:{WORD})){{0,5}}"
QTERM = rf"[“\"‘']?(?P<term>{TERM})[”\"’']?"
# An acronym or short-for right after a term: "(MNAR)", "(short for obiter dicta)".
ALIAS = (r"(?:\s\((?:(?:short for|or|also|abbreviated|from|[A-Z]\w+ (?:say|call it|write))\s"
          r"(?P<alias>[^()]{2,40})|(?P<acronym>[A-Z][A-Za-z0-9&/-]{0,9}[A-Z0-9])|"
          r"(?:Latin|Greek|French|German|Japanese|Spanish|Italian|Arabic|Chinese) for [^()]{2,40}"
          r")\))?")
ARTICLE = r"(?:(?:[Tt]he|[Aa]n?)\s)?"
# An aside between a term and its verb: ", by contrast,", ", a word coined by ... in 1908,",
# "—the name is short for “parallax second”—".
ASIDE = r"(?:,\s[^,;:()]{3,120},|\s?—[^—]{3,100}—)?"
MAX_SENTENCE = 1200
"""Longer "sentences" (a pasted table, a 5 MB line) are not searched for definitions."""


def guard_term(term: str) -> bool:
    """Whether a candidate term looks like a term rather than a sentence fragment.

    >>> [guard_term(t) for t in ["Data leakage", "This", "According to Talos", "feature of",
    ...                           "Missing not at random", "ML in this book", "usually means"]]
    [True, False, False, False, True, False, False]
    """
    words = term.split()
    if not words or len(words) > 6:
        return False
    lowered = [re.split(r"[’']", word.lower())[0] for word in words]
    if lowered[0] in NOT_TERM_START or lowered[-1] in TERM_END_WORDS or lowered[-1] in INNER_SMALL:
        return False
    if any(word in NEVER_IN_TERM for word in lowered):
        return False
    if any(word == "the" and (i == 0 or lowered[i - 1] != "of") for i, word in enumerate(lowered)):
        return False
    if any(word.endswith("ly") and len(word) > 4 for word in (lowered[0], lowered[-1])):
        return False
    if is_name(words) or any(
            w[:1].isupper() and not re.fullmatch(r"[IVX]+|[A-Z]\d?", w) and prev[:1].islower()
            for prev, w in pairwise(words)):
        return False  # "Snowball sampling Future samples": a run-in head ran into its text
    return sum(1 for word in lowered if word not in INNER_SMALL) <= 4


def is_name(words: Sequence[str]) -> bool:
    """A name of one thing, not a term: every word capitalised ("Very Large Telescope",
    "Grand Canyon") or a word with an inner capital ("PanPilot", "TikTok").

    >>> [is_name(t.split()) for t in ["Grand Canyon", "PanPilot", "Type I error", "ETL"]]
    [True, True, False, False]
    """
    big = [w for w in words if w.lower() not in INNER_SMALL]
    if len(big) >= 2 and all(w[:1].isupper() and not w.isupper() for w in big):
        return True
    return any(re.search(r"[a-z][A-Z]", w) for w in words)


_NAME_LEAD = re.compile(r"^(?:(?:The|the|A|An|a|an)\s(?:[A-Z]\w+\s)?(?:phrase|word|term|expression|"
                        r"concept|notion)\s|[A-Z][a-z]+\s(?:phrase|word|term|expression)\s(?=\S)|"
                        r"(?:The|the|A|An|a|an)\s)")


def strip_article(term: str) -> str:
    """``term`` without a leading article, or "The Japanese phrase" before the phrase itself.

    >>> [strip_article(t) for t in ["The Japanese phrase poka-yoke", "a ledger", "Theory X",
    ...                             "Latin phrase ad hoc"]]
    ['poka-yoke', 'ledger', 'Theory X', 'ad hoc']
    """
    return _NAME_LEAD.sub("", term.strip("“”\"‘’' "))


@dataclass(frozen=True, slots=True)
class Context:
    """One clause, the clauses around it, and where it starts in the quote."""

    text: str
    start: int
    previous: str
    following: str
    quote: str = ""
    index: int = 0
    """The clause's place among the quote's clauses (0: the first)."""


Rule = Callable[[Context], Iterator[Found]]
RULES: list[Rule] = []


NEEDS: dict[Rule, tuple[str, ...]] = {}


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function


def rule_needing(*words: str) -> Callable[[Rule], Rule]:
    """Register a rule that can only match a clause containing one of ``words`` (lower case):
    the check is a plain substring search, far cheaper than the rule's regular expressions."""

    def register(function: Rule) -> Rule:
        NEEDS[function] = words
        return rule(function)

    return register


def at(context: Context, term: str, near: int = 0) -> Found | None:
    """A Found for ``term`` placed where it stands in the clause (at or after ``near``)."""
    term = strip_article(term)
    if not guard_term(term):
        return None
    start = context.text.find(term, near)
    if start < 0:
        start = context.text.find(term)
    if start < 0:
        return None
    start += context.start
    return Found(term, "", start, start + len(term))


def make(match: re.Match[str], context: Context, definition: str,
          aliases: Iterable[str] = ()) -> Found | None:
    found = at(context, match["term"], match.start("term"))
    if found is None:
        return None
    groups = match.groupdict()
    names = [groups.get("acronym"), groups.get("alias"), *aliases]
    return replace(found, definition=clean_definition(definition),
                   aliases=tuple(dict.fromkeys(
                       strip_article(n) for n in names if n and n.strip() != found.term)))


def defined(match: re.Match[str] | None, context: Context, definition: str | None = None
             ) -> Iterator[Found]:
    """The match's term, defined by ``definition`` (by default its ``definition`` group)."""
    if match is None:
        return
    found = make(match, context, match["definition"] if definition is None else definition)
    if found:
        yield found


def pattern_rule(pattern: re.Pattern[str], *needs: str, search: bool = False) -> Rule:
    """Register a rule that is its pattern alone: the ``term`` it matches, the ``definition``
    it captures."""

    def rule(context: Context) -> Iterator[Found]:
        yield from defined((pattern.search if search else pattern.match)(context.text), context)

    return rule_needing(*needs)(rule)


def clean_definition(text: str) -> str:
    text = squash_spaces(text).strip(" ,;:—–-")
    return re.sub(r"^(?:that|which)\s", "", text)



def noun_phrase_before(text: str, most: int = 3, common: bool = False) -> list[str]:
    """The last few words of ``text`` that can form a term: no small words, no common verbs
    (and, unless ``common``, no very common words at all).

    >>> noun_phrase_before("Continual learning means also allowing stateful training")
    ['stateful', 'training']
    """
    from .words import STOPWORDS

    words = re.split(r"\s+|:\s*", text.strip())
    if not words or words[-1].lower() in STOPWORDS:
        return []
    out = [words[-1]]
    for word in reversed(words[:-1]):
        lower = word.lower()
        if (not word or lower in STOPWORDS or lower in TERM_END_WORDS or lower in NOT_TERM_START
                or len(out) == most or (lower.endswith(("ing", "ed")) and zipf(word) >= 3.5)
                or (not common and zipf(word) >= 5.0)):
            break
        out.insert(0, word)
    return out


# "Immunosenescence, the gradual decline of immune function with age, helps explain ..."
# "Subduction, where one plate dives beneath another ..., builds ...", "The keystone, the


def zipf(word: str) -> float:
    from .words import zipf

    return zipf(word)



MAIN_VERB = re.compile(r"\s(?:is|are|was|were|will|would|can|should|must)\s")
SUPERLATIVE = re.compile(r"^(?:the|a|an)\s(?:best|worst|only|first|last|same|most|least|next|"
                          r"other|main)\b")
# A gloss that names a company, a product or a place is an identification, not a definition.
THING_GLOSS = re.compile(r"^(?:\w+\s)?(?:the|a|an)\s(?:(?!(?:that|which|who|whose|your|their|our|"
                          r"its|of|by|for|to)\s)[\w-]+\s){0,3}?(?:company|firm|startup|"
                          r"app|tool|library|package|linter|product|service|brand|band|city|town|"
                          r"country|river|university|website|magazine|newspaper|bank|team|club|"
                          r"group|agency|plugin|add-on|extension|program|software)\b")

