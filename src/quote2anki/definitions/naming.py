"""Naming forms: ``... is called X``, ``a technique known as X``, ``we call this X``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from .base import (
    ALIAS,
    ARTICLE,
    QTERM,
    TERM,
    Context,
    Found,
    at,
    clean_definition,
    defined,
    guard_term,
    make,
    rule_needing,
    strip_article,
)
from .copula import is_a_rule

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


@rule_needing('called', 'known as', 'termed', 'referred to as', 'named', 'dubbed')
def _is_called(context: Context) -> Iterator[Found]:
    match = _CALLED.match(context.text)
    if match is None:
        return
    if re.match(r",\s(?:where|whereby|wherein|in which|which|when|meaning)\s",
                context.text[match.end():]):
        return  # "... is called X, where ...": the right half says what X is (loose.called_np)
    subject = _LEADING_CLAUSE.sub("", match["subject"])
    names = [strip_article(re.sub(r"[“”\"‘’]", "", n))
             for n in re.split(r",?\s(?:or|and)\s|,\s", match["names"])]
    names = [n for n in names if n]
    if not names:
        return
    if match["also"] and guard_term(strip_article(subject)) and not re.match(
            r"^[A-Z]?[a-z]+ing\s\w", subject):  # "Addressing X is often called Y": Y is the term
        # "X is also known as Y or Z": X is the term, Y and Z other names for it
        found = at(context, subject)
        if found:
            yield replace(found, definition=clean_definition(context.previous or context.text),
                          aliases=tuple(names))
        return
    found = at(context, names[0], match.start("names"))
    if found is None:
        return
    definition = "" if _ANAPHORA.match(subject) else subject
    expansion = (match["expansion"].strip(),) if match["expansion"] else ()
    if definition or context.previous:
        yield replace(found, definition=clean_definition(definition or context.previous),
                      aliases=(*names[1:], *expansion))


# "X, also known as Y, is ...", "The basic reproduction number, written R0, is ...".
_APPOSED_ALIAS = re.compile(
    rf"^{ARTICLE}{QTERM},\s(?:also\s|sometimes\s|often\s|commonly\s)?(?:called|known as|"
    r"referred to as|written|denoted|abbreviated(?: as)?|or)\s[“\"]?(?P<alias>[^,]{1,60}?)[”\"]?,"
    r"\s(?P<definition>.{8,})$"
)


@rule_needing(', ',)
def _apposed_alias(context: Context) -> Iterator[Found]:
    match = _APPOSED_ALIAS.match(context.text)
    if match:
        definition = re.sub(r"^(?:is|are)\s", "", match["definition"])
        yield from defined(match, context, definition)


_CATEGORY = (r"(?:technique|phenomenon|process|method|practice|concept|approach|problem|"
             r"strategy|effect|idea|principle|pattern|situation|condition|property|tendency|bias|"
             r"fallacy|doctrine|rule|law|theory|hypothesis|heuristic|error|paradox|syndrome|"
             r"disorder|mechanism|tactic|state|habit|illusion|trap|dilemma|model|framework|"
             r"convention|measure|unit|style|practice|device|structure|property|quantity|ratio)")

# "..., a technique known as data lineage.", "... are following a strategy known as predatory
# pricing.", "... under a doctrine vividly named the fruit of the poisonous tree."
_KNOWN_AS = re.compile(
    rf"^(?P<definition>.{{8,600}}?)(?:(?P<comma>,)?\s|\s(?P<comma2>\())(?:a|an|the)\s"
    rf"(?:[\w-]+\s){{0,2}}?{_CATEGORY}"
    r"\s(?:[\w-]+\s)?(?:known as|called|termed|named|dubbed|referred to as)\s(?:the\s)?"
    rf"{QTERM}(?=[,.;!)]|$)"
)


@rule_needing('known as', 'called', 'termed', 'named', 'dubbed', 'referred to as')
def _known_as(context: Context) -> Iterator[Found]:
    match = _KNOWN_AS.match(context.text)
    if match:
        # with a comma the clause before it is the definition; without one, the whole sentence
        # ("..., a problem known as X" and "... (a problem known as X)" alike)
        definition = _LEADING_CLAUSE.sub("", match["definition"]) if (
            match["comma"] or match["comma2"] is not None) else (
            context.text)
        yield from defined(match, context, definition)


# "economists call this incomplete pass-through", "Festinger gave the name cognitive dissonance
# to a specific kind of discomfort: the tension we feel when ..."
_CALL_THIS = re.compile(  # "call it a breakthrough" (with an article) is praise, not a name
    r"\b(?:call|calls|called|name|names|named|term|terms|termed|dub|dubs|dubbed)\s(?:this|it|"
    rf"that|these|them)\s(?!(?:a|an|the)\s){QTERM}[.!]?$"
)
# "This preservation of favourable variations ..., I call Natural Selection."
_WE_CALL = re.compile(
    r"^(?P<definition>.{12,400}?),?\s(?:I|we|they|one|\w+ists|people)\s(?:shall\s|will\s|now\s|"
    rf"can\s|might\s)?(?:call|term|name|dub)\s(?!(?:a|an|the|it|this|that)\s){QTERM}[.!]?$"
)
_GAVE_NAME = re.compile(
    rf"\b(?:gave|give|gives|coined)\s(?:it\s|this\s)?the\s(?:name|term|label)\s{QTERM}\sto\s"
    r"(?P<definition>.{8,})$"
)


@rule_needing('call', 'name', 'term', 'dub', 'coined', 'gave', 'give')
def _call_this(context: Context) -> Iterator[Found]:
    match = _CALL_THIS.search(context.text)
    if match:
        before = context.text[: match.start()].rstrip(" ;,")
        yield from defined(match, context, before or context.previous)
    yield from defined(_WE_CALL.match(context.text), context)
    match = _GAVE_NAME.search(context.text)
    if match:
        yield from defined(match, context, match["definition"].split(": ", 1)[-1])


# "... the concept of a labeling function (LF): a function that encodes heuristics.",
# "a technique commonly used is log transformation: apply the log function to ...".
_NAMED_COLON = re.compile(
    r"(?:\b(?:is|are|called|known as|referred to as|named|concept of|notion of|idea of|term)\s)"
    rf"(?:a\s|an\s|the\s)?{QTERM}{ALIAS}:\s(?!(?:you|we|they|it|i|he|she)\s)"
    r"(?P<definition>(?:[a-z]|A\s|An\s|The\s).{8,})$"
)


_METAPHOR_COLON = re.compile(rf"^{ARTICLE}{TERM}\s(?:is|are)\s[a-z]+:\s")


@rule_needing(': ',)
def _named_colon(context: Context) -> Iterator[Found]:
    if context.text.rstrip().endswith("?") or any(is_a_rule(context)) or _METAPHOR_COLON.match(
            context.text):
        return  # "Bootstrapping is a resampling technique: ...", "The tonic is home: ..."
    position = 0
    while match := _NAMED_COLON.search(context.text, position):
        found = make(match, context, match["definition"])
        if found and len(found.term.split()) <= 4:
            yield found
            return
        position = match.start() + 1


# Other ways writers hand a word its meaning. Each names the term explicitly, so the pattern
# itself is the guard.
_NAMING_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Cooks use the word fond for the brown crust ...", "Astronomers reserve the word nebula for"
    (re.compile(r"\b(?:use|uses|used|reserve|reserves|reserved|keep|apply|applies)\s(?:the\s)?"
                rf"(?:word|term|name|label|phrase|expression)\s{QTERM}\s(?:for|to mean|to "
                r"describe)\s(?P<definition>.{8,})$"), "definition"),
    # "The author refers to the habit of checking mail every minute as context thrashing."
    (re.compile(r"\b(?:refers?|referred|referring)\sto\s(?P<definition>(?:the|a|an|any|this)\s"
                rf"[^,;]{{8,240}}?)\sas\s(?:the\s|an?\s)?{QTERM}[.!]?$"), "definition"),
    # "The name retrogradation is given to the slow recrystallizing of cooked starch ..."
    (re.compile(rf"^The\s(?:name|term|word|label)\s{QTERM}\s(?:is|was)\s(?:given|applied)\sto\s"
                r"(?P<definition>.{8,})$"), "definition"),
    # "The trick of squeezing concrete ... goes by the name of prestressing: steel tendons ..."
    # "This feature goes by the odd name of name mangling." (an adjective before "name")
    (re.compile(r"^(?P<definition>.{8,300}?)\s(?:goes|go|went)\sby\sthe\s(?:[a-z]+\s)?name\s"
                r"(?:of\s)?"
                rf"{QTERM}(?::\s(?P<after>.{{8,}}))?[.!]?$"), "after|definition"),
    # "By a truss, engineers mean any framework of straight members ..."
    (re.compile(rf"^By\s(?:a\s|an\s|the\s)?{QTERM},\s(?:\w+\s){{1,2}}mean\s"
                r"(?P<definition>.{8,})$"), "definition"),
    # 'Architects sometimes speak of "the fifth façade," meaning the roof, ...'
    (re.compile(r"[“\"](?:the\s|a\s|an\s)?(?P<term>[^“”\"]{2,60}?)(?:,[”\"]|[”\"],)\smeaning\s"
                r"(?P<definition>[^.;]{3,200})"), "definition"),
    # "We say that a star is circumpolar when, seen from a given latitude, it never dips ..."
    (re.compile(r"\b(?:[Ww]e|[Oo]ne|[Yy]ou|\w+ers|\w+ists)\ssay\s(?:that\s)?(?:a|an|the)\s"
                rf"[\w ]{{1,30}}?\s(?:is|are)\s{QTERM}\s(?P<definition>(?:when|if)\b.{{8,}})$"),
     "definition"),
    # "... because of what astronomers call tidal locking: a body spins exactly once ..."
    # "... what psychologists call anchoring—we lean on the first number we hear."
    (re.compile(r"\bwhat\s(?:\w+\s){1,2}(?:call|calls|term|terms|name|names)\s"
                rf"{QTERM}(?:(?::\s|—|\s–\s|\s—\s)(?P<after>.{{8,}}))?[.!]?$"),
     "after|sentence"),
    # "The leading tone is so called because it leads: it sits a semitone below the tonic ..."
    (re.compile(rf"^{ARTICLE}{QTERM}\s(?:is|are)\sso\scalled\sbecause\s[^:]{{3,120}}:\s"
                r"(?P<definition>.{8,})$"), "definition"),
    # "The tonic is home: the note a key is named after, the one a melody wants ..."
    (re.compile(rf"^{ARTICLE}{QTERM}\s(?:is|are)\s[a-z]+:\s(?P<definition>(?:the|a|an)\s.{{8,}})$"),
     "definition"),
    # "An arched prop that carries the outward push of a vault ...: the flying buttress."
    (re.compile(r"^(?P<definition>(?:A|An)\s[^:]{20,400}?):\s(?:the|a|an)\s"
                rf"{QTERM}[.!]?$"), "definition"),
)


@rule_needing('word', 'name', 'term', 'label', 'mean', 'say', 'call', 'so called', ': ', 'phrase',
              'expression', 'refer')
def _naming_forms(context: Context) -> Iterator[Found]:
    for pattern, source in _NAMING_FORMS:
        match = pattern.search(context.text)
        if match is None:
            continue
        definition = ""
        for name in source.split("|"):
            definition = context.text if name == "sentence" else (match.groupdict().get(name) or "")
            if definition:
                break
        found = make(match, context, definition)
        if found and len(found.term.split()) <= 5:
            yield found
