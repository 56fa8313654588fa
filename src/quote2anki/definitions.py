"""Finding definitions: glossary lines, and terms defined in the running text of a quote.

Books define terms in a handful of shapes (``X refers to ...``, ``... is called X``, a run-in
glossary head ``Covariate shift When P(X) changes ...``). Each shape is a rule: a bounded
regular expression plus guards against its false friends (``This refers to``, ``According to
Talos Intelligence``). Rules see one sentence at a time, so cost is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from .inline import parse_inline, strip_wrapper
from .text import squash_spaces


@dataclass(frozen=True, slots=True)
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
#
# Every rule sees one clause (a sentence, or a part of one between semicolons) with its
# neighbours, and answers with zero or more Found values. Patterns are anchored or bounded, and
# no clause longer than MAX_SENTENCE characters is searched, so the cost stays linear.

# A term never starts with these: pronouns, discourse markers, prepositions, quantifiers.
_NOT_TERM_START = frozenset(
    """this that these those it its they them their he she his her we our you your i my me there
    here which who what whose according however therefore thus so but and or also moreover
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
_STOPWORDS = frozenset(
    """a an the and or but of to in on at for with by from as is are was were be been being it
    its this that these those which who whom what when where why how than then so such not no
    nor like can could will would should may might must do does did has have had behind about
    into onto over under between among through one ones version above below""".split()
)
# Words a term cannot contain at all ("the" only after "of": "fruit of the poisonous tree").
_NEVER_IN_TERM = frozenset(
    """a an this that these those is are was were be been being it its we you he she they our
    your my their his her can could will would should may might must do does did has have had
    there here""".split()
)
# Small words allowed inside a term: "Missing not at random", "Theory of mind".
_INNER_SMALL = frozenset("of at not to and in for on by with from or the".split())

_AUXILIARY = (r"(?!(?:can|may|is|are|was|were|will|would|should|could|might|must|has|have|had|"
              r"do|does|did|be|been)\b)")
_WORD = rf"{_AUXILIARY}(?:[^\W\d_][\w'’–-]*|\d[\w'’–-]*[^\W\d_][\w'’–-]*)"
_TERM = rf"(?:{_WORD})(?:[ ](?:{_WORD})){{0,5}}"
_QTERM = rf"[“\"‘']?(?P<term>{_TERM})[”\"’']?"
# An acronym or short-for right after a term: "(MNAR)", "(short for obiter dicta)".
_ALIAS = (r"(?:\s\((?:(?:short for|or|also|abbreviated|from|[A-Z]\w+ (?:say|call it|write))\s"
          r"(?P<alias>[^()]{2,40})|(?P<acronym>[A-Z][A-Za-z0-9&/-]{0,9}[A-Z0-9])|"
          r"(?:Latin|Greek|French|German|Japanese|Spanish|Italian|Arabic|Chinese) for [^()]{2,40}"
          r")\))?")
_ARTICLE = r"(?:(?:[Tt]he|[Aa]n?)\s)?"
# An aside between a term and its verb: ", by contrast,", ", a word coined by ... in 1908,",
# "—the name is short for “parallax second”—".
_ASIDE = r"(?:,\s[^,;:()]{3,120},|\s?—[^—]{3,100}—)?"
MAX_SENTENCE = 1200
"""Longer "sentences" (a pasted table, a 5 MB line) are not searched for definitions."""


def _guard_term(term: str) -> bool:
    """Whether a candidate term looks like a term rather than a sentence fragment.

    >>> [_guard_term(t) for t in ["Data leakage", "This", "According to Talos", "feature of",
    ...                           "Missing not at random", "ML in this book", "usually means"]]
    [True, False, False, False, True, False, False]
    """
    words = term.split()
    if not words or len(words) > 6:
        return False
    lowered = [re.split(r"[’']", word.lower())[0] for word in words]
    if lowered[0] in _NOT_TERM_START or lowered[-1] in _STOPWORDS or lowered[-1] in _INNER_SMALL:
        return False
    if any(word in _NEVER_IN_TERM for word in lowered):
        return False
    if any(word == "the" and (i == 0 or lowered[i - 1] != "of") for i, word in enumerate(lowered)):
        return False
    if any(word.endswith("ly") and len(word) > 4 for word in (lowered[0], lowered[-1])):
        return False
    if _is_name(words) or any(
            w[:1].isupper() and not re.fullmatch(r"[IVX]+|[A-Z]\d?", w) and prev[:1].islower()
            for prev, w in pairwise(words)):
        return False  # "Snowball sampling Future samples": a run-in head ran into its text
    return sum(1 for word in lowered if word not in _INNER_SMALL) <= 4


def _is_name(words: Sequence[str]) -> bool:
    """A name of one thing, not a term: every word capitalised ("Very Large Telescope",
    "Grand Canyon") or a word with an inner capital ("PanPilot", "TikTok").

    >>> [_is_name(t.split()) for t in ["Grand Canyon", "PanPilot", "Type I error", "ETL"]]
    [True, True, False, False]
    """
    big = [w for w in words if w.lower() not in _INNER_SMALL]
    if len(big) >= 2 and all(w[:1].isupper() and not w.isupper() for w in big):
        return True
    return any(re.search(r"[a-z][A-Z]", w) for w in words)


def _strip_article(term: str) -> str:
    return re.sub(r"^(?:The|the|A|An|a|an)\s", "", term.strip("“”\"‘’' "))


@dataclass(frozen=True, slots=True)
class _Context:
    """One clause, the clauses around it, and where it starts in the quote."""

    text: str
    start: int
    previous: str
    following: str


Rule = Callable[[_Context], Iterator[Found]]
_RULES: list[Rule] = []


_NEEDS: dict[Rule, tuple[str, ...]] = {}


def _rule(function: Rule) -> Rule:
    _RULES.append(function)
    return function


def _rule_needing(*words: str) -> Callable[[Rule], Rule]:
    """Register a rule that can only match a clause containing one of ``words`` (lower case):
    the check is a plain substring search, far cheaper than the rule's regular expressions."""

    def register(function: Rule) -> Rule:
        _NEEDS[function] = words
        return _rule(function)

    return register


def _at(context: _Context, term: str, near: int = 0) -> Found | None:
    """A Found for ``term`` placed where it stands in the clause (at or after ``near``)."""
    term = _strip_article(term)
    if not _guard_term(term):
        return None
    start = context.text.find(term, near)
    if start < 0:
        start = context.text.find(term)
    if start < 0:
        return None
    start += context.start
    return Found(term, "", start, start + len(term))


def _make(match: re.Match[str], context: _Context, definition: str,
          aliases: Iterable[str] = ()) -> Found | None:
    found = _at(context, match["term"], match.start("term"))
    if found is None:
        return None
    groups = match.groupdict()
    names = [groups.get("acronym"), groups.get("alias"), *aliases]
    return replace(found, definition=_clean_definition(definition),
                   aliases=tuple(dict.fromkeys(
                       _strip_article(n) for n in names if n and n.strip() != found.term)))


def _defined(match: re.Match[str] | None, context: _Context, definition: str | None = None
             ) -> Iterator[Found]:
    """The match's term, defined by ``definition`` (by default its ``definition`` group)."""
    if match is None:
        return
    found = _make(match, context, match["definition"] if definition is None else definition)
    if found:
        yield found


def _pattern_rule(pattern: re.Pattern[str], *needs: str, search: bool = False) -> Rule:
    """Register a rule that is its pattern alone: the ``term`` it matches, the ``definition``
    it captures."""

    def rule(context: _Context) -> Iterator[Found]:
        yield from _defined((pattern.search if search else pattern.match)(context.text), context)

    return _rule_needing(*needs)(rule)


def _clean_definition(text: str) -> str:
    text = squash_spaces(text).strip(" ,;:—–-")
    return re.sub(r"^(?:that|which)\s", "", text)


# --- run-in heads ---------------------------------------------------------------------------

# "Covariate shift When P(X) changes ...", "Missing at random (MAR) This is when ...",
# "Type II error This is when ...". The head is a capitalised word and one to four more words in
# lower case (or numerals); the definition opens with a capitalised word. Also after a colon.
_RUN_IN = re.compile(
    r"(?:^|(?<=:\s))(?P<term>[A-Z][\w’'–-]*(?:\s(?:[a-z0-9][\w’'–-]*|[IVX]{1,4}|[A-Z]\d?)){1,4})"
    + _ALIAS
    + r"\s(?P<definition>(?P<opener>[A-Z][\w’'-]*)\s.{12,})$"
)
_RUN_IN_ONE = re.compile(
    r"(?:^|(?<=:\s))(?P<term>[A-Z][a-z’'–-]{2,})" + _ALIAS
    + r"\s(?P<definition>(?P<opener>[A-Z][\w’'-]*)\s.{12,})$"
)
_NAME_CHAIN = re.compile(r"^[A-Z][a-z]+[,]?\s[A-Z][a-z]+")
_HEADING_SENTENCE = re.compile(r"^(?:step|phase|stage|part|chapter|section|lesson|day|week)\s"
                               r"[\w.]{1,6}\.?$", re.I)
_NOT_DEFINITION_START = re.compile(r"^(?:such as|for example|for instance|e\.g\.|i\.e\.)", re.I)


_ONE_WORD_OPENERS = re.compile(r"^(?:This (?:is|refers)|It is|A|An|The|One of|When|Any|"
                               r"[A-Z][a-z]+(?:ing|ed)? (?:to|of|with|from))\s")


@_rule
def _run_in_head(context: _Context) -> Iterator[Found]:
    """A one-word head must be a known English word opening a definition-like clause: coined
    names ("Dependabot A bot that ...") and purposes ("Papermill For spawning ...") are tools."""
    match = _RUN_IN.search(context.text) or _RUN_IN_ONE.search(context.text)
    if match is None:
        return
    definition = match["definition"]
    if re.match(r"(?:The|A|An)\s", match["term"]):
        return  # "The C Extension is optional": a sentence, not a head
    if " " not in match["term"] and (not _ONE_WORD_OPENERS.match(definition)
                                     or _zipf(match["term"]) == 0.0):
        return
    if (_NAME_CHAIN.match(definition) or _NOT_DEFINITION_START.match(definition)
            or len(definition.split()) < 4 or _HEADING_SENTENCE.match(context.previous.strip())):
        return
    if definition.rstrip().endswith("?"):
        # "Random baseline If our model just predicts at random, what's the expected ...?"
        # The answer that follows is the definition.
        if not context.following or context.following.rstrip().endswith("?"):
            return
        definition = context.following
    definition = re.sub(r"^(?:This|It) (?:is|refers to|happens|occurs) (?=when|where|if)", "",
                        definition)
    yield from _defined(match, context, definition)


# --- "X refers to / means / is a ..." -------------------------------------------------------

_SUBJECT = rf"^{_ARTICLE}{_QTERM}{_ALIAS}{_ASIDE}"

# "Data leakage refers to ...", "Multilabel means that ...", "Overfitting is when ...".
_REFERS = re.compile(
    _SUBJECT + r"\s(?:(?:is\s)?(?:also\s)?(?:refers?|referring) to|means|is defined as|"
    r"are defined as|denotes|is when|are when|occurs when|describes|is said to occur when)\s"
    r"(?P<definition>.{8,})$"
)
# "A strong dollar means that American tourists should ...": reasoning, not a meaning.
_ADVICE = re.compile(r"^(?:that\s)?(?:also\s|we\s|you\s|I\s|they\s|our\s|your\s|one\s|"
                     r"(?:\S+\s){0,4}(?:should|must|ought|need to|have to)\b)", re.I)


@_rule_needing('refer', 'mean', 'defined', 'denote', ' when', 'describ')
def _refers_to(context: _Context) -> Iterator[Found]:
    match = _REFERS.match(context.text)
    if match and not _ADVICE.match(match["definition"]) and not match.group().startswith(("“",
                                                                                         '"')):
        yield from _defined(match, context)


# "Machine learning is an approach to learning ...", "Price optimization is the process of
# estimating ...", "Bootstrapping is a resampling technique: we draw ...", "Dicta are remarks
# in a judgment that ...", "antigenic shift, by contrast, is the sudden swap of ...".
_IS_A = re.compile(
    _SUBJECT + r"\s(?:is|are)\s(?:nothing more than\s|nothing but\s|simply\s|essentially\s|"
    r"basically\s|merely\s|just\s)?(?P<definition>(?:what\s|whatever\s|"
    r"one\s(?:that|which|whose|in which)\s|"
    r"(?:(?:a|an|the)\s(?:[\w’'-]+\s){0,3}?|(?:[\w’'-]+\s){1,2}?)"
    r"(?:that|which|who|whose|of|for|to|where|whereby|when|in which|by which|in|on|at|with|"
    r"between|from|among|within|across|through|used|\w+ed\s(?:by|from|in|with|to|at|on|into)|"
    r"[\w-]+:)\s).{8,})$"
)
_PREDICATE_ADJECTIVES = frozenset("""due ready available able responsible free open safe
    common rare important useful possible necessary true false optional required""".split())
_EVALUATIVE = frozenset("""better worse best worst more less easier harder faster slower likely
    unlikely able usually often always never also still""".split())
_GERUND_CLAUSE = re.compile(r"^[A-Z]?[a-z]+ing\s\w+\s")  # "Adding noise to samples is ..."


@_rule_needing(' is ', ' are ')
def _is_a(context: _Context) -> Iterator[Found]:
    match = _IS_A.match(context.text)
    if match is None or _GERUND_CLAUSE.match(match["term"]):
        return
    definition = match["definition"]
    first = definition.split()[0].lower()
    if first in _EVALUATIVE or _THING_GLOSS.match(definition):
        return  # "ones are better when ..." judges; "Click is a Python package" names a thing
    if not re.match(r"^(?:a|an|the|what|whatever|one)\s", definition) and (
            not context.text.startswith(match["term"])
            or not (match["term"].endswith("s") or match["alias"] or match["acronym"])
            or first.endswith(("ly", "ed", "ing")) or first in _PREDICATE_ADJECTIVES):
        return  # without an article only a bare plural subject qualifies: "Dicta are remarks"
    yield from _defined(match, context, definition)


# "Conway's law states that ...", "The Sapir–Whorf hypothesis ... holds that ...".
_LAW = re.compile(
    _SUBJECT + r"\s(?:states|says|holds|asserts|predicts|posits|claims|suggests)\sthat\s"
    r"(?P<definition>.{8,})$"
)
_LAW_HEADS = ("law", "principle", "theorem", "rule", "hypothesis", "razor", "effect", "paradox",
              "conjecture", "postulate", "axiom", "maxim", "fallacy", "theory")


@_rule_needing('states', 'says', 'holds', 'asserts', 'predicts', 'posits', 'claims', 'suggests')
def _law_states(context: _Context) -> Iterator[Found]:
    match = _LAW.match(context.text)
    if match and match["term"].lower().rstrip("s").endswith(_LAW_HEADS):
        yield from _defined(match, context)


# "Gresham's law is usually summed up as ...", "Churn is defined as ..."
_SUMMED_UP = re.compile(
    _SUBJECT + r"\s(?:is|are)\s(?:\w+ly\s)?(?:summed up|described|characteri[sz]ed|defined|"
    r"stated|expressed|understood|best understood|explained)\sas\s(?P<definition>.{8,})$"
)


_pattern_rule(_SUMMED_UP, " as ")


# "A degenerate feedback loop can happen when ...", "... is created when ...".
_HAPPENS = re.compile(
    _SUBJECT + r"\s(?:can\s|may\s|is\ssaid\sto\s)?(?:happens?|occurs?|is\screated|arises?|"
    r"exists?)\s(?P<definition>(?:when|if|whenever)\s.{8,})$"
)


_pattern_rule(_HAPPENS, "happen", "occur", "created", "arise", "exist")


# --- naming: "... is called X", "a technique known as X", "economists call this X" ---------

_NAMES = r"[“\"‘']?(?P<names>[^,.;:!?()]{2,120}?)[”\"’']?"

# "The process of generating predictions is called inference.", "This process is called ETL,
# which stands for extract, transform, and load.", "deep learning is sometimes called feature
# learning" (then the subject is the term and the name an alias).
_CALLED = re.compile(
    r"^(?P<subject>.{3,400}?)\s(?:is|are)\s(?P<also>(?:also|sometimes|often|commonly|"
    r"usually|simply|variously)\s)?(?:called|known as|termed|referred to as|named|dubbed)\s"
    rf"(?:the\s|an?\s)?{_NAMES}"
    r"(?:,\s(?:which\s)?(?:stands for|is short for)\s(?P<expansion>[^.]{3,80}))?(?=[,.;!]|$)"
)
_ANAPHORA = re.compile(r"^(?:this|that|these|it|such)\b", re.I)
_LEADING_CLAUSE = re.compile(r"^[A-Z][\w’'-]*(?:\s[\w’'-]+){0,4},\s")


@_rule_needing('called', 'known as', 'termed', 'referred to as', 'named', 'dubbed')
def _is_called(context: _Context) -> Iterator[Found]:
    match = _CALLED.match(context.text)
    if match is None:
        return
    subject = _LEADING_CLAUSE.sub("", match["subject"])
    names = [_strip_article(re.sub(r"[“”\"‘’]", "", n))
             for n in re.split(r",?\s(?:or|and)\s|,\s", match["names"])]
    names = [n for n in names if n]
    if not names:
        return
    if match["also"] and _guard_term(_strip_article(subject)):
        # "X is also known as Y or Z": X is the term, Y and Z other names for it
        found = _at(context, subject)
        if found:
            yield replace(found, definition=_clean_definition(context.previous or context.text),
                          aliases=tuple(names))
        return
    found = _at(context, names[0], match.start("names"))
    if found is None:
        return
    definition = "" if _ANAPHORA.match(subject) else subject
    expansion = (match["expansion"].strip(),) if match["expansion"] else ()
    if definition or context.previous:
        yield replace(found, definition=_clean_definition(definition or context.previous),
                      aliases=(*names[1:], *expansion))


# "X, also known as Y, is ...", "The basic reproduction number, written R0, is ...".
_APPOSED_ALIAS = re.compile(
    rf"^{_ARTICLE}{_QTERM},\s(?:also\s|sometimes\s|often\s|commonly\s)?(?:called|known as|"
    r"referred to as|written|denoted|abbreviated(?: as)?|or)\s[“\"]?(?P<alias>[^,]{1,60}?)[”\"]?,"
    r"\s(?P<definition>.{8,})$"
)


@_rule_needing(', ',)
def _apposed_alias(context: _Context) -> Iterator[Found]:
    match = _APPOSED_ALIAS.match(context.text)
    if match:
        definition = re.sub(r"^(?:is|are)\s", "", match["definition"])
        yield from _defined(match, context, definition)


_CATEGORY = (r"(?:technique|phenomenon|process|method|practice|concept|approach|problem|"
             r"strategy|effect|idea|principle|pattern|situation|condition|property|tendency|bias|"
             r"fallacy|doctrine|rule|law|theory|hypothesis|heuristic|error|paradox|syndrome|"
             r"disorder|mechanism|tactic|state|habit|illusion|trap|dilemma|model|framework|"
             r"convention|measure|unit|style|practice|device|structure|property|quantity|ratio)")

# "..., a technique known as data lineage.", "... are following a strategy known as predatory
# pricing.", "... under a doctrine vividly named the fruit of the poisonous tree."
_KNOWN_AS = re.compile(
    rf"^(?P<definition>.{{8,600}}?)(?P<comma>,)?\s(?:a|an|the)\s(?:[\w-]+\s){{0,2}}?{_CATEGORY}"
    r"\s(?:[\w-]+\s)?(?:known as|called|termed|named|dubbed|referred to as)\s(?:the\s)?"
    rf"{_QTERM}(?=[,.;!]|$)"
)


@_rule_needing('known as', 'called', 'termed', 'named', 'dubbed', 'referred to as')
def _known_as(context: _Context) -> Iterator[Found]:
    match = _KNOWN_AS.match(context.text)
    if match:
        # with a comma the clause before it is the definition; without one, the whole sentence
        definition = _LEADING_CLAUSE.sub("", match["definition"]) if match["comma"] else (
            context.text)
        yield from _defined(match, context, definition)


# "economists call this incomplete pass-through", "Festinger gave the name cognitive dissonance
# to a specific kind of discomfort: the tension we feel when ..."
_CALL_THIS = re.compile(  # "call it a breakthrough" (with an article) is praise, not a name
    r"\b(?:call|calls|called|name|names|named|term|terms|termed|dub|dubs|dubbed)\s(?:this|it|"
    rf"that|these|them)\s(?!(?:a|an|the)\s){_QTERM}[.!]?$"
)
# "This preservation of favourable variations ..., I call Natural Selection."
_WE_CALL = re.compile(
    r"^(?P<definition>.{12,400}?),?\s(?:I|we|they|one|\w+ists|people)\s(?:shall\s|will\s|now\s|"
    rf"can\s|might\s)?(?:call|term|name|dub)\s(?!(?:a|an|the|it|this|that)\s){_QTERM}[.!]?$"
)
_GAVE_NAME = re.compile(
    rf"\b(?:gave|give|gives|coined)\s(?:it\s|this\s)?the\s(?:name|term|label)\s{_QTERM}\sto\s"
    r"(?P<definition>.{8,})$"
)


@_rule_needing('call', 'name', 'term', 'dub', 'coined', 'gave', 'give')
def _call_this(context: _Context) -> Iterator[Found]:
    match = _CALL_THIS.search(context.text)
    if match:
        before = context.text[: match.start()].rstrip(" ;,")
        yield from _defined(match, context, before or context.previous)
    yield from _defined(_WE_CALL.match(context.text), context)
    match = _GAVE_NAME.search(context.text)
    if match:
        yield from _defined(match, context, match["definition"].split(": ", 1)[-1])


# "... the concept of a labeling function (LF): a function that encodes heuristics.",
# "a technique commonly used is log transformation: apply the log function to ...".
_NAMED_COLON = re.compile(
    r"(?:\b(?:is|are|called|known as|referred to as|named|concept of|notion of|idea of|term)\s)"
    rf"(?:a\s|an\s|the\s)?{_QTERM}{_ALIAS}:\s(?!(?:you|we|they|it|i|he|she)\s)"
    r"(?P<definition>(?:[a-z]|A\s|An\s|The\s).{8,})$"
)


_METAPHOR_COLON = re.compile(rf"^{_ARTICLE}{_TERM}\s(?:is|are)\s[a-z]+:\s")


@_rule_needing(': ',)
def _named_colon(context: _Context) -> Iterator[Found]:
    if context.text.rstrip().endswith("?") or any(_is_a(context)) or _METAPHOR_COLON.match(
            context.text):
        return  # "Bootstrapping is a resampling technique: ...", "The tonic is home: ..."
    position = 0
    while match := _NAMED_COLON.search(context.text, position):
        found = _make(match, context, match["definition"])
        if found and len(found.term.split()) <= 4:
            yield found
            return
        position = match.start() + 1


# Other ways writers hand a word its meaning. Each names the term explicitly, so the pattern
# itself is the guard.
_NAMING_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Cooks use the word fond for the brown crust ...", "Astronomers reserve the word nebula for"
    (re.compile(r"\b(?:use|uses|used|reserve|reserves|reserved|keep|apply|applies)\s(?:the\s)?"
                rf"(?:word|term|name|label)\s{_QTERM}\s(?:for|to mean|to describe)\s"
                r"(?P<definition>.{8,})$"), "definition"),
    # "The name retrogradation is given to the slow recrystallizing of cooked starch ..."
    (re.compile(rf"^The\s(?:name|term|word|label)\s{_QTERM}\s(?:is|was)\s(?:given|applied)\sto\s"
                r"(?P<definition>.{8,})$"), "definition"),
    # "The trick of squeezing concrete ... goes by the name of prestressing: steel tendons ..."
    (re.compile(r"^(?P<definition>.{8,300}?)\s(?:goes|go|went)\sby\sthe\sname\s(?:of\s)?"
                rf"{_QTERM}(?::\s(?P<after>.{{8,}}))?[.!]?$"), "after|definition"),
    # "By a truss, engineers mean any framework of straight members ..."
    (re.compile(rf"^By\s(?:a\s|an\s|the\s)?{_QTERM},\s(?:\w+\s){{1,2}}mean\s"
                r"(?P<definition>.{8,})$"), "definition"),
    # 'Architects sometimes speak of "the fifth façade," meaning the roof, ...'
    (re.compile(r"[“\"](?:the\s|a\s|an\s)?(?P<term>[^“”\"]{2,60}?)(?:,[”\"]|[”\"],)\smeaning\s"
                r"(?P<definition>[^.;]{3,200})"), "definition"),
    # "We say that a star is circumpolar when, seen from a given latitude, it never dips ..."
    (re.compile(r"\b(?:[Ww]e|[Oo]ne|[Yy]ou|\w+ers|\w+ists)\ssay\s(?:that\s)?(?:a|an|the)\s"
                rf"[\w ]{{1,30}}?\s(?:is|are)\s{_QTERM}\s(?P<definition>(?:when|if)\b.{{8,}})$"),
     "definition"),
    # "... because of what astronomers call tidal locking: a body spins exactly once ..."
    (re.compile(r"\bwhat\s(?:\w+\s){1,2}(?:call|calls|term|terms|name|names)\s"
                rf"{_QTERM}(?::\s(?P<after>.{{8,}}))?[.!]?$"), "after|sentence"),
    # "The leading tone is so called because it leads: it sits a semitone below the tonic ..."
    (re.compile(rf"^{_ARTICLE}{_QTERM}\s(?:is|are)\sso\scalled\sbecause\s[^:]{{3,120}}:\s"
                r"(?P<definition>.{8,})$"), "definition"),
    # "The tonic is home: the note a key is named after, the one a melody wants ..."
    (re.compile(rf"^{_ARTICLE}{_QTERM}\s(?:is|are)\s[a-z]+:\s(?P<definition>(?:the|a|an)\s.{{8,}})$"),
     "definition"),
    # "An arched prop that carries the outward push of a vault ...: the flying buttress."
    (re.compile(r"^(?P<definition>(?:A|An)\s[^:]{20,400}?):\s(?:the|a|an)\s"
                rf"{_QTERM}[.!]?$"), "definition"),
)


@_rule_needing('word', 'name', 'term', 'label', 'mean', 'say', 'call', 'so called', ': ')
def _naming_forms(context: _Context) -> Iterator[Found]:
    for pattern, source in _NAMING_FORMS:
        match = pattern.search(context.text)
        if match is None:
            continue
        definition = ""
        for name in source.split("|"):
            definition = context.text if name == "sentence" else (match.groupdict().get(name) or "")
            if definition:
                break
        found = _make(match, context, definition)
        if found and len(found.term.split()) <= 5:
            yield found


# "What is a curtain wall? It is an outer skin hung from the building's frame, ..."
_QUESTION = re.compile(rf"^What\s(?:is|are)\s(?:a\s|an\s|the\s)?{_QTERM}\?$")
_ANSWER = re.compile(r"^(?:It|They)(?:\s(?:is|are)|’s|'s)\s(?P<definition>.{8,})$")


@_rule_needing('what ',)
def _question_answer(context: _Context) -> Iterator[Found]:
    match = _QUESTION.match(context.text.strip())
    answer = _ANSWER.match(context.following.strip()) if match else None
    if match and answer:
        yield from _defined(match, context, answer["definition"])


# "we discussed a feedback loop as the time it takes from ...", "We define churn as ..."
_DEFINE_AS = re.compile(
    r"\b(?:define[sd]?|defining|describe[sd]?|discussed|think of|thought of|regard(?:ed)?)\s"
    rf"(?:a\s|an\s|the\s)?{_QTERM}\sas\s(?P<definition>(?:the|a|an|any|when|how)\s.{{8,}})$"
)


_pattern_rule(_DEFINE_AS, " as ", search=True)


# "One such technique is two-phase learning. You first train ...": a term introduced by name,
# explained by the next sentence.
_INTRODUCED = re.compile(
    r"^(?:One|A|An|The|Another)\s(?:[\w-]+\s){0,6}?(?:technique|method|approach|solution|trick|"
    r"strategy|algorithm|idea|remedy|fix)s?\s(?:[\w-]+\s){0,8}?(?:is|are)\s(?:the\s|a\s|an\s)?"
    rf"{_QTERM}(?:,\s[^.;]{{0,120}})?[.!]$"
)
_EXPLANATION = re.compile(r"^(?:It|It’s|It's|This|These|The (?:gist|idea|point|trick|key) of|"
                          r"You|We|In it|Here,)\b")


@_rule_needing(' is ', ' are ')
def _introduced(context: _Context) -> Iterator[Found]:
    match = _INTRODUCED.match(context.text)
    if match and _EXPLANATION.match(context.following):
        yield from _defined(match, context, context.following)


# "In the imperative paradigm, you specify the steps needed ...".
_IN_THE = re.compile(
    rf"^In\s(?:the|an?)\s(?P<term>{_TERM}\s(?:paradigm|approach|framework|view|school|model|"
    r"setting|style|tradition|regime))\s?,\s(?P<definition>(?:you|we|one|the|a|an|each|every|"
    r"any)\s.{12,})$"
)


@_rule_needing('in ',)
def _in_the_paradigm(context: _Context) -> Iterator[Found]:
    match = _IN_THE.match(context.text)
    if match and len(match["term"].split()) <= 3:
        yield from _defined(match, context)


# --- appositions: a dash, a comma or a parenthesis after the term ---------------------------

# "Most companies do stateless retraining—the model is trained from scratch each time.",
# "Watch for a yield curve inversion—short-term government bonds paying higher yields ..."
_DASH = re.compile(r"(?P<before>[\w’' -]{3,80})—(?P<definition>[^—]{8,300}?)(?=—|[.;!?]|$)")
_NOUN_GLOSS = re.compile(r"^(?:the|a|an)\s(?:[\w-]+\s){0,3}?[\w-]+\s(?:that|which|of|in|for|"
                         r"where|used|made|formed|between)\s")
_DASH_START = re.compile(r"^(?:the|a|an|when|where|in which|[a-z][\w-]*)\s", re.I)


@_rule_needing('—',)
def _dash_apposition(context: _Context) -> Iterator[Found]:
    from .cloze import STOPWORDS

    for match in _DASH.finditer(context.text):
        definition = match["definition"]
        first = definition.split()[0].lower() if definition.split() else ""
        if (not _DASH_START.match(definition) or first in STOPWORDS - {"the", "a", "an", "when",
                                                                       "where"}
                or first in _NOT_TERM_START - {"when"} or definition[:1].isupper()):
            continue
        term_words = _noun_phrase_before(match["before"])
        term = " ".join(term_words)
        if not term_words or not _guard_term(term):
            continue
        if len(term_words) < 2 and not _NOUN_GLOSS.match(definition):
            continue  # one word: only with a noun-phrase gloss ("gluten—the elastic network that")
        start = context.start + match.end("before") - len(term)
        yield Found(term, squash_spaces(definition), start, start + len(term), ())


def _noun_phrase_before(text: str, most: int = 3, common: bool = False) -> list[str]:
    """The last few words of ``text`` that can form a term: no small words, no common verbs
    (and, unless ``common``, no very common words at all).

    >>> _noun_phrase_before("Continual learning means also allowing stateful training")
    ['stateful', 'training']
    """
    from .cloze import STOPWORDS

    words = re.split(r"\s+|:\s*", text.strip())
    if not words or words[-1].lower() in STOPWORDS:
        return []
    out = [words[-1]]
    for word in reversed(words[:-1]):
        lower = word.lower()
        if (not word or lower in STOPWORDS or lower in _STOPWORDS or lower in _NOT_TERM_START
                or len(out) == most or (lower.endswith(("ing", "ed")) and _zipf(word) >= 3.5)
                or (not common and _zipf(word) >= 5.0)):
            break
        out.insert(0, word)
    return out


# "Immunosenescence, the gradual decline of immune function with age, helps explain ..."
# "Subduction, where one plate dives beneath another ..., builds ...", "The keystone, the
# wedge-shaped stone at the crown of an arch, is ...", "... runs on the half-life, the time it
# takes for half the atoms of a radioactive isotope to decay; ..."
_COMMA_GLOSS = re.compile(
    rf"^{_ARTICLE}{_QTERM},\s(?P<definition>(?:(?:the|a|an)\s|where\s|in which\s)[^;()]{{10,160}}?)"
    r",\s(?P<rest>[a-z].{8,})$"
)
_MID_GLOSS = re.compile(
    r"\b(?:the|a|an)\s(?P<term>[a-z][\w’'-]*(?:\s[a-z][\w’'-]*){0,2}),\s(?P<definition>(?:the|a|"
    r"an)\s[a-z][\w’'-]*(?:\s[\w’'-]+){2,25}?\s(?:of|that|which|it|for|in|to)\s[^,;()]{5,120})"
    r"(?=[;.]|$)"
)
# "... to the public, the best way to achieve this is to ...": the "gloss" is the subject of
# the sentence's main clause, not an apposition.
_MAIN_VERB = re.compile(r"\s(?:is|are|was|were|will|would|can|should|must)\s")
_SUPERLATIVE = re.compile(r"^(?:the|a|an)\s(?:best|worst|only|first|last|same|most|least|next|"
                          r"other|main)\b")
# A gloss that names a company, a product or a place is an identification, not a definition.
_THING_GLOSS = re.compile(r"^(?:\w+\s)?(?:the|a|an)\s(?:(?!(?:that|which|who|whose|your|their|our|"
                          r"its|of|by|for|to)\s)[\w-]+\s){0,3}?(?:company|firm|startup|"
                          r"app|tool|library|package|linter|product|service|brand|band|city|town|"
                          r"country|river|university|website|magazine|newspaper|bank|team|club|"
                          r"group|agency|plugin|add-on|extension|program|software)\b")


@_rule_needing(', ',)
def _comma_gloss(context: _Context) -> Iterator[Found]:
    match = _COMMA_GLOSS.match(context.text)
    if match is not None and not _THING_GLOSS.match(match["definition"]):
        term = match["term"]
        common = max(_zipf(word) for word in term.split()) >= 4.0 and " " not in term
        if not common or term[:1].islower():
            yield from _defined(match, context)
    for mid in _MID_GLOSS.finditer(context.text):
        if (not _THING_GLOSS.match(mid["definition"]) and mid.start() > 0
                and not _MAIN_VERB.search(mid["definition"])
                and not _SUPERLATIVE.match(mid["definition"])):
            yield from _defined(mid, context, mid["definition"])


# "... up-scaling (expanding the resources to handle growth) and down-scaling (reducing ...)",
# "software systems failures (failures that also happen to non-ML systems)".
_GLOSS = re.compile(
    r"(?<![\w-])(?P<before>[a-z][\w-]*(?:\s[a-z][\w-]*){0,2})\s\((?P<definition>[a-z][\w-]*"
    r"\s[^()]{8,120})\)"
)


@_rule_needing('(',)
def _parenthetical_gloss(context: _Context) -> Iterator[Found]:
    for match in _GLOSS.finditer(context.text):
        definition = match["definition"]
        words = match["before"].split()
        head = words[-1].lower().rstrip("s") if words else ""
        gerund = re.match(r"^(?!including|excluding|especially|regarding|according)[a-z]+ing\s",
                          definition) is not None
        restates = bool(head) and re.match(rf"^(?:the\s)?{re.escape(head)}s?\s(?:that|which|"
                                           r"where|when|in which)\s", definition) is not None
        term_words = _noun_phrase_before(match["before"], common=restates)
        if not term_words or not (gerund or restates) or (restates and len(term_words) < 2):
            continue
        term = " ".join(term_words)
        if gerund and not ("-" in term or _zipf(term_words[-1]) < 3.5):
            continue
        if _guard_term(term):
            start = context.start + match.end("before") - len(term)
            yield Found(term, squash_spaces(definition), start, start + len(term), ())


# --- abbreviations: "X, which stands for Y" ------------------------------------------------

# "pubsub, which is short for publish-subscribe", "ETL, which stands for extract, ...".
_WORD_LIST = re.compile(r"^[\w-]+(?:, [\w-]+)+,? (?:and|or) [\w-]+$")
_STANDS_FOR = re.compile(
    r"(?P<before>[\w’' -]{2,80}?),\s(?:which\s)?(?:stands for|is short for|is an abbreviation "
    r"for|is an acronym for)\s(?P<definition>[^.;()]{3,100})"
)


@_rule_needing('stands for', 'short for', 'abbreviation', 'acronym')
def _stands_for(context: _Context) -> Iterator[Found]:
    for match in _STANDS_FOR.finditer(context.text):
        words = match["before"].split()
        term_words: list[str] = []
        for word in reversed(words):
            if word.lower() in _STOPWORDS or word.lower() in _NOT_TERM_START or word.lower() in (
                    "called", "named", "known", "termed", "as") or len(term_words) == 3:
                break
            term_words.insert(0, word)
        term = " ".join(term_words)
        if term and _guard_term(term):
            start = context.start + match.end("before") - len(term)
            definition = match["definition"].strip()
            if not _WORD_LIST.match(definition):
                definition = definition.split(",")[0]
            yield Found(term, squash_spaces(definition), start, start + len(term), ())


def _zipf(word: str) -> float:
    from .cloze import zipf

    return zipf(word)


def _clauses(text: str) -> list[tuple[int, int]]:
    """Sentences, and the parts of a sentence between semicolons, as spans of ``text``."""
    spans = []
    for start, end in sentences(text):
        if end - start > MAX_SENTENCE:
            continue
        position = start
        opener = _CONTRAST_OPENER.match(text, start, end)
        if opener:
            position = opener.end()
        for part in _CLAUSE_BREAK.finditer(text, start, end):
            spans.append((position, part.start() + (1 if part.group().startswith(";") else 0)))
            position = part.end()
        spans.append((position, end))
    return spans


# "Dead load means ... while live load means ...", "Where a meteoroid is ..., a meteor is ...,
# and a meteorite is ...": each side is a clause of its own.
_CLAUSE_BREAK = re.compile(r";\s|[,—]?\s?(?:while|whereas)\s|,\s(?:and\s|but\s)?(?=(?:a|an|the)\s"
                           r"[\w’'-]+(?:\s[\w’'-]+)?\s(?:is|are|means)\s)")
_CONTRAST_OPENER = re.compile(r"(?:Where|While|Whereas)\s(?=(?:a|an|the)\s)")


def find_definitions(text: str) -> tuple[Found, ...]:
    """Definitions stated in ``text``, one per term, with the term's span in ``text``.

    Forms found twice for one term (``stateful training—the model continues ...`` and
    ``Stateful training is also known as fine-tuning``) merge: one definition, all names.

    >>> [(f.term, f.definition) for f in find_definitions(
    ...     "Both are examples. Data leakage refers to the label leaking into the features.")]
    [('Data leakage', 'the label leaking into the features.')]
    >>> [(f.term, f.definition) for f in find_definitions(
    ...     "Scale features to similar ranges. This process is called feature scaling.")]
    [('feature scaling', 'Scale features to similar ranges.')]
    >>> find_definitions("This refers to the first decomposition.")
    ()
    """
    spans = _clauses(text)
    found: dict[str, Found] = {}
    for index, (start, end) in enumerate(spans):
        previous = text[slice(*spans[index - 1])] if index else ""
        following = text[slice(*spans[index + 1])] if index + 1 < len(spans) else ""
        context = _Context(text[start:end].rstrip(";"), start, previous, following)
        lowered = context.text.lower()
        for rule in _RULES:
            needs = _NEEDS.get(rule)
            if needs is not None and not any(word in lowered for word in needs):
                continue
            for item in rule(context):
                if item.definition:
                    _merge(found, item)
    return tuple(sorted(found.values(), key=lambda item: item.start))


_GENERIC_HEAD = re.compile(r"\s(?:model|approach|paradigm|framework|method|technique|setting)s?$",
                           re.I)


def _names(item: Found) -> set[str]:
    """Every way to name ``item``: "the pubsub model" is the pubsub already defined."""
    names = {name.casefold() for name in (item.term, *item.aliases)}
    return names | {_GENERIC_HEAD.sub("", name) for name in names}


def _merge(found: dict[str, Found], item: Found) -> None:
    """Add ``item``; a term already known (by any of its names) gains the new names."""
    keys = _names(item)
    for key, other in found.items():
        if keys & _names(other):
            names = tuple(dict.fromkeys(
                n for n in (*other.aliases, item.term, *item.aliases)
                if n.casefold() != other.term.casefold()))
            found[key] = replace(other, aliases=names)
            return
    found[item.term.casefold()] = item
