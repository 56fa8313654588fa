"""The term as subject: ``X is a N that ...``, ``X refers to ...``, ``X states that ...``,
``What is X? It is ...``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import (
    ALIAS,
    ARTICLE,
    ASIDE,
    QTERM,
    TERM,
    THING_GLOSS,
    Context,
    Found,
    defined,
    pattern_rule,
    rule_needing,
)

# --- "X refers to / means / is a ..." -------------------------------------------------------

_SUBJECT = rf"^{ARTICLE}{QTERM}{ALIAS}{ASIDE}"

# "Data leakage refers to ...", "Multilabel means that ...", "Overfitting is when ...".
_REFERS = re.compile(
    _SUBJECT + r"\s(?:(?:is\s)?(?:also\s)?(?:refers?|referring) to|means|is defined as|"
    r"are defined as|denotes|is when|are when|occurs when|describes|is said to occur when)\s"
    r"(?P<definition>.{8,})$"
)
# "A strong dollar means that American tourists should ...": reasoning, not a meaning.
_ADVICE = re.compile(r"^(?:that\s)?(?:also\s|we\s|you\s|I\s|they\s|our\s|your\s|one\s|"
                     r"(?:\S+\s){0,4}(?:should|must|ought|need to|have to)\b)", re.I)


@rule_needing('refer', 'mean', 'defined', 'denote', ' when', 'describ')
def _refers_to(context: Context) -> Iterator[Found]:
    match = _REFERS.match(context.text)
    if match and re.search(r"\sas\s[^,;]{2,60}[.!]?$", match["definition"]) and re.match(
            r"(?:is\s)?(?:also\s)?refer", context.text[match.end("term"):].strip(" ,)")):
        return  # "The author refers to the habit of ... as context thrashing": naming.py's
    if match and not _ADVICE.match(match["definition"]) and not match.group().startswith(("“",
                                                                                         '"')):
        yield from defined(match, context)


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


@rule_needing(' is ', ' are ')
def is_a_rule(context: Context) -> Iterator[Found]:
    match = _IS_A.match(context.text)
    if match is None or _GERUND_CLAUSE.match(match["term"]):
        return
    definition = match["definition"]
    first = definition.split()[0].lower()
    if first in _EVALUATIVE or THING_GLOSS.match(definition):
        return  # "ones are better when ..." judges; "Click is a Python package" names a thing
    if not re.match(r"^(?:a|an|the|what|whatever|one)\s", definition) and (
            not context.text.startswith(match["term"])
            or not (match["term"].endswith("s") or match["alias"] or match["acronym"])
            or first.endswith(("ly", "ed", "ing")) or first in _PREDICATE_ADJECTIVES):
        return  # without an article only a bare plural subject qualifies: "Dicta are remarks"
    yield from defined(match, context, definition)


# "Conway's law states that ...", "The Sapir–Whorf hypothesis ... holds that ...".
_LAW = re.compile(
    _SUBJECT + r"\s(?:states|says|holds|asserts|predicts|posits|claims|suggests)\sthat\s"
    r"(?P<definition>.{8,})$"
)
_LAW_HEADS = ("law", "principle", "theorem", "rule", "hypothesis", "razor", "effect", "paradox",
              "conjecture", "postulate", "axiom", "maxim", "fallacy", "theory")


@rule_needing('states', 'says', 'holds', 'asserts', 'predicts', 'posits', 'claims', 'suggests')
def _law_states(context: Context) -> Iterator[Found]:
    match = _LAW.match(context.text)
    if match and match["term"].lower().rstrip("s").endswith(_LAW_HEADS):
        yield from defined(match, context)


# "Gresham's law is usually summed up as ...", "Churn is defined as ..."
_SUMMED_UP = re.compile(
    _SUBJECT + r"\s(?:is|are)\s(?:\w+ly\s)?(?:summed up|described|characteri[sz]ed|defined|"
    r"stated|expressed|understood|best understood|explained)\sas\s(?P<definition>.{8,})$"
)


pattern_rule(_SUMMED_UP, " as ")


# "A degenerate feedback loop can happen when ...", "... is created when ...".
_HAPPENS = re.compile(
    _SUBJECT + r"\s(?:can\s|may\s|is\ssaid\sto\s)?(?:happens?|occurs?|is\screated|arises?|"
    r"exists?)\s(?P<definition>(?:when|if|whenever)\s.{8,})$"
)


pattern_rule(_HAPPENS, "happen", "occur", "created", "arise", "exist")



# "What is a curtain wall? It is an outer skin hung from the building's frame, ..."
_QUESTION = re.compile(rf"^What\s(?:is|are)\s(?:a\s|an\s|the\s)?{QTERM}\?$")
_ANSWER = re.compile(r"^(?:It|They)(?:\s(?:is|are)|’s|'s)\s(?P<definition>.{8,})$")


@rule_needing('what ',)
def _question_answer(context: Context) -> Iterator[Found]:
    match = _QUESTION.match(context.text.strip())
    answer = _ANSWER.match(context.following.strip()) if match else None
    if match and answer:
        yield from defined(match, context, answer["definition"])


# "we discussed a feedback loop as the time it takes from ...", "We define churn as ..."
_DEFINE_AS = re.compile(
    r"\b(?:define[sd]?|defining|describe[sd]?|discussed|think of|thought of|regard(?:ed)?)\s"
    rf"(?:a\s|an\s|the\s)?{QTERM}\sas\s(?P<definition>(?:the|a|an|any|when|how)\s.{{8,}})$"
)


pattern_rule(_DEFINE_AS, " as ", search=True)


# "One such technique is two-phase learning. You first train ...": a term introduced by name,
# explained by the next sentence.
_INTRODUCED = re.compile(
    r"^(?:One|A|An|The|Another)\s(?:[\w-]+\s){0,6}?(?:technique|method|approach|solution|trick|"
    r"strategy|algorithm|idea|remedy|fix)s?\s(?:[\w-]+\s){0,8}?(?:is|are)\s(?:the\s|a\s|an\s)?"
    rf"{QTERM}(?:,\s[^.;]{{0,120}})?[.!]$"
)
_EXPLANATION = re.compile(r"^(?:It|It’s|It's|This|These|The (?:gist|idea|point|trick|key) of|"
                          r"You|We|In it|Here,)\b")


@rule_needing(' is ', ' are ')
def _introduced(context: Context) -> Iterator[Found]:
    match = _INTRODUCED.match(context.text)
    if match and _EXPLANATION.match(context.following):
        yield from defined(match, context, context.following)


# "In the imperative paradigm, you specify the steps needed ...".
_IN_THE = re.compile(
    rf"^In\s(?:the|an?)\s(?P<term>{TERM}\s(?:paradigm|approach|framework|view|school|model|"
    r"setting|style|tradition|regime))\s?,\s(?P<definition>(?:you|we|one|the|a|an|each|every|"
    r"any)\s.{12,})$"
)


@rule_needing('in ',)
def _in_the_paradigm(context: Context) -> Iterator[Found]:
    match = _IN_THE.match(context.text)
    if match and len(match["term"].split()) <= 3:
        yield from defined(match, context)


