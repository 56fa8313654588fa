"""Broad patterns over the linguistic layer, each proposing candidates for the scorer to judge.

These are looser than the strict families (:mod:`.copula`, :mod:`.naming`, :mod:`.apposition`):
the term's extent is the noun phrase the tagger finds where the pattern points, and the scorer
(:mod:`.scorer`) decides with the features that tell a definition from a look-alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import NOT_TERM_START, TERM_END_WORDS, Context, Found, rule_needing, strip_article
from .phrases import np_after, np_spans_before, tokens_in

CLASS_NOUNS = frozenset("""technique phenomenon process method practice concept approach problem
    strategy effect idea principle pattern situation condition property tendency bias fallacy
    doctrine rule law theory hypothesis heuristic error paradox syndrome mechanism tactic state
    habit illusion trap dilemma model framework convention measure unit style device structure
    quantity ratio term word phrase name notion form kind type class sort category way means
    tool function procedure operation algorithm program system set collection group number value
    measurement statistic metric study science field discipline branch art act action attempt
    ability capacity feature component part element object entity thing person people agent
    place point situation event result outcome consequence cost price amount distribution
    test experiment analysis technique variable parameter attribute file table list key string
    mindset mentality philosophy belief view perspective tactic behavior behaviour response
    reaction feeling emotion tendency pressure force argument strategy game situation
    relationship architecture design policy protocol interface standard specification
    framework service platform software application library language construct expression
    statement clause operator callable routine data information signal effect fallacy record
    sequence series graph tree diagram grid chart document message map matrix network layer
    region period phase stage step activity task effort job role string character symbol
    identifier label code machine device mode technique combination mix blend copy version
    instance example case subset superset member field branch""".split())

_LIGHT_STOP = TERM_END_WORDS | {"all", "some", "any", "many", "most", "each", "every", "other"}


def _term(context: Context, span: tuple[int, int] | None) -> str | None:
    """The words of ``span`` (in the quote) if they can be a term at all."""
    if span is None:
        return None
    span = _without_verb_edges(context.quote, span)
    term = context.quote[span[0]:span[1]].strip("“”\"‘’' ")
    term = strip_article(term)
    repeated = re.match(r"^(\S+)\s(?:(?:A|An|The)\s)?(?=\S)", term)
    if repeated and len(term.split()) > 1 and (
            term.split()[1].lower().rstrip("s") == repeated[1].lower().rstrip("s")
            or re.match(r"^\S+\s(?:A|An|The)\s", term)):
        # a Readwise heading glued to its text: "SHAP SHAP is ...", "Microservices A microservice"
        term = term[repeated.end():]
        term = strip_article(term)
    words = term.split()
    if not words or len(words) > 6 or len(term) > 60:
        return None
    first, last = words[0].lower(), words[-1].lower()
    if first in NOT_TERM_START - {"first", "second", "one"} or last in _LIGHT_STOP:
        return None
    if not re.search(r"[^\W\d_]", term) or re.search(r"[.;:!?()\[\]{}=<>_/\\]", term):
        return None
    return term


def _without_verb_edges(quote: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` without a verb or adverb the tagger glued to the noun phrase's edge: "discovered
    superforecasters", "Reaching a critical mass", "heeding Murphy's law", "proxy essentially".

    >>> t = "They discovered forecasters, people who predict well."
    >>> t[slice(*_without_verb_edges(t, (5, 27)))]
    'forecasters'
    >>> t = "Beware of shallow copying, whereby only the outer list is new."
    >>> t[slice(*_without_verb_edges(t, (10, 25)))]
    'shallow copying'
    """
    tokens = tokens_in(quote, *span)
    if len(tokens) < 2:
        return span
    first, second, last = tokens[0], tokens[1], tokens[-1]
    if first.tag in ("VBD", "RB") or (first.tag == "VBG" and (
            second.tag in ("DT", "NNP", "NNPS"))) or (first.tag == "VB" and second.tag in (
            "NNP", "NNPS") and first.text[:1].isupper()):
        span = (second.start, span[1])
    if last.tag == "RB" and tokens[-2].end > span[0]:
        span = (span[0], tokens[-2].end)
    return span


def _found(context: Context, span: tuple[int, int] | None, definition: str,
           aliases: tuple[str, ...] = ()) -> Found | None:
    term = _term(context, span)
    definition = " ".join(definition.split()).strip(" ,;:—–-")
    if term is None or span is None or len(definition) < 8:
        return None
    start = context.quote.find(term, span[0])
    return Found(term, definition, start, start + len(term), aliases)


def _absolute(context: Context, position: int) -> int:
    return context.start + position


def _group_np(context: Context, match: re.Match[str], group: str
              ) -> tuple[int, tuple[int, int] | None]:
    """Where ``group`` ends in the quote, and the noun phrase that starts where it starts
    (within it): each rule then says how much of the group the phrase must fill."""
    start = _absolute(context, match.start(group))
    end = _absolute(context, match.end(group))
    return end, np_after(context.quote, start, limit=end)


# --- "... called X", "known as X", "we call this X" -------------------------------------------

_NAMING = re.compile(
    r"\b(?P<verb>(?:(?:is|are|was|were|be|been|being)\s)?(?:(?:also|now|often|sometimes|commonly|"
    r"usually|collectively|generally|simply|widely)\s)?(?:called|known\sas|termed|referred\sto\sas|"
    r"dubbed|named|labell?ed)|(?:call|calls|term|terms|name|names|dub|dubs)\s(?:this|it|that|these|"
    r"them|such\s\w+)|(?:known|referred\sto)\sas)\s(?:either\s)?(?P<open>[“\"‘']?)"
)
_AFTER_NAME = re.compile(r"^[”\"’']?\s?(?:\((?P<alias>[^()]{1,40})\)"
                         r"(?P<tail>\s(?!(?:and|or|but|is|are|was|were|to|in|of|on|for|by|with|"
                         r"as|at|from|that|which|who|when|where|because)\b)[a-z][a-z-]{2,20}"
                         r"(?=[.,;!?]|\s(?:and|or|that|which|is|are|to|in)\s|$))?)?\s?(?P<sep>,?\s(?:where|"
                         r"whereby|wherein|in which|which|when|meaning|i\.e\.|describing|that "
                         r"describes|which describes|that|is where|is when)\s|,\s(?:or)\s|:\s|—|"
                         r",\s|\s(?:or|and)\s|$|[.;!?]|\s(?:because|after|by|in|for|from|to|"
                         r"and|studied|coined|named|introduced|until|before|unless|when|so|"
                         r"as|on|at|with)\s|\))")
_ANAPHOR = re.compile(r"^(?:this|that|these|those|it|they|such)\b", re.I)


def _is_acronym(text: str) -> bool:
    """``DoS``, ``DSN``, ``VMs``: two to six letters, most of them capitals.

    >>> _is_acronym("DoS"), _is_acronym("DSN"), _is_acronym("see below")
    (True, True, False)
    """
    return bool(re.fullmatch(r"[A-Za-z]{2,6}", text)) and sum(c.isupper() for c in text) >= 2


@rule_needing("called", "known as", "termed", "referred to as", "dubbed", "named", "call ",
              "calls ", "term ", "name ", "labeled", "labelled")
def called_np(context: Context) -> Iterator[Found]:
    """``... called X`` with or without a verb before it; the definition is the clause before,
    the sentence before when that clause is only "This is", or the ``where`` clause after.

    >>> from quote2anki.definitions import candidates
    >>> [(f.term, f.definition) for f in candidates("Data travels in units called frames.")
    ...  if f.rule == "called_np"]
    [('frames', 'Data travels in units')]
    >>> t = "On the web this pattern is called the echo bubble, where you see only what you like."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "called_np"]
    [('echo bubble', 'where you see only what you like.')]
    """
    for match in _NAMING.finditer(context.text):
        if context.text[max(0, match.start() - 3):match.start()].lower() == "so-":
            continue  # "so-called “limited-time offers”" doubts a name, it gives none
        position = match.end()
        if match["open"]:
            close = re.search(r"[”\"’']", context.text[position:position + 80])
            if close is None:
                continue
            span: tuple[int, int] | None = (_absolute(context, position),
                                            _absolute(context, position + close.start()))
        else:
            span = np_after(context.quote, _absolute(context, position))
        if span is None or span[1] > context.start + len(context.text):
            continue
        rest = context.quote[span[1]:context.start + len(context.text)]
        after = _AFTER_NAME.match(rest)
        if after is None:
            continue
        before = context.text[:match.start()].rstrip(" ,(")
        if re.search(r"\b(?:also|sometimes|often|commonly|usually)\b", match["verb"]) and (
                re.match(r"(?:is|are|was|were|be|been|being)\s", match["verb"])) and not (
                _ANAPHOR.match(before)):
            continue  # "deep learning is sometimes called feature learning": two names of one
            # thing, and the subject is the term (naming.is_called reads it)
        sep = after["sep"].strip(" ,")
        if sep in ("where", "whereby", "wherein", "in which", "which", "when", "meaning",
                   "i.e.", "describing", "that describes", "which describes", "that",
                   "is where", "is when"):
            definition = rest[after.start("sep"):].lstrip(" ,")
            definition = re.sub(r"^(?:is\s|that\s|which\s)", "", definition)
        elif after["sep"].startswith((":", "—")):
            definition = rest[after.end():]
        elif re.search(r",\s(?:this|that|it)$", before, re.I) and context.previous:
            # "If done on purpose, this is known as X": the sentence before, with the condition
            condition = re.sub(r",\s\w+$", "", before)
            definition = f"{context.previous} {condition}"
        elif not before or (_ANAPHOR.match(before) and len(before.split()) <= 5):
            # "This process is called X": the sentence before says what X is
            definition = context.previous
        elif len(before.split()) < 3:
            definition = f"{context.previous} {before}".strip() if context.previous else ""
        else:
            definition = before
        aliases = (after["alias"],) if after["alias"] else ()
        if after["tail"] and after["alias"] and _is_acronym(after["alias"]):
            # "a Data Source Name (DSN) string": the acronym inside the name, its head noun after
            tail = after["tail"]
            found = _found(context, span, definition, (f"{after['alias']}{tail}",))
            if found:
                yield Found(f"{found.term}{tail}", found.definition, found.start, found.end,
                            found.aliases)
            continue
        found = _found(context, span, definition, aliases)
        if found:
            yield found


# --- relative clauses and "where" glosses: "X, which describes ...", "X, where ..." ----------

_RELATIVE = re.compile(
    r"(?P<comma>,|\s—|—)\s?(?P<kind>which\s(?!(?:I|you|we|they|he|she|it|is\swhy|was|were|"
    r"made|makes|means\sthat|can|could|may|might|will|would|should|must|then|also|has|have|had|"
    r"did|does|do|[a-z]+ly)\b)[a-z]+|where|whereby|wherein|in\swhich|meaning|i\.e\.,?|"
    r"that\sis,|(?=(?:a|an|the|those)\s(?!(?:more|less|better|worse|most|least|same|other|first|"
    r"last|only|best|next|former|latter)\b)(?:(?:[\w’'-]+|\([^()\s]{1,20}\)),?\s){0,5}?"
    r"(?:that|which|who|whose|where|of|for|in|"
    r"felt|used|made|between|to|with|by|when)\s)|(?=(?:people|someone|something|those|anyone|"
    r"anything)\s(?:who|that|which|whose)\s))\s?"
)
_PARENTHESIS_BEFORE = re.compile(r"\s?\((?:also\s(?:known\sas|called)\s|or\s|aka\s)?"
                                 r"(?P<alias>[^()]{1,60})\)$")


@rule_needing(", which", ", where", "whereby", "wherein", "in which", "meaning", "i.e.",
              "that is,", "—which", "—where", ", a ", ", an ", ", the ", "—a ", "—an ",
              "—the ", ", people ", ", someone ", ", something ", ", those ", ", anyone ",
              ", anything ", "—people ", "—someone ", "—something ", "—those ", "—anyone ",
              "—anything ")
def relative_gloss(context: Context) -> Iterator[Found]:
    """``X, which describes ...``, ``X, where ...``, ``X, whereby ...``, ``X, a N that ...``:
    the noun phrase before the comma, glossed by the clause after it.

    >>> from quote2anki.definitions import candidates
    >>> t = "Another trap is shallow copying, whereby only the outer list is new."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "relative_gloss"]
    [('shallow copying', 'whereby only the outer list is new.')]
    >>> t = "She hired superplanners, people who plan a year ahead."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "relative_gloss"]
    [('superplanners', 'people who plan a year ahead.')]
    >>> t = "Use a write-ahead log (also known as a journal), which records each change first."
    >>> [(f.term, f.aliases) for f in candidates(t) if f.rule == "relative_gloss"]
    [('write-ahead log', ('a journal',))]
    """
    for match in _RELATIVE.finditer(context.text):
        if re.match(r"(?:a|an|the)\s", match["kind"] or context.text[match.end():]) and (
                _opens_clause(context, match.end())):
            continue  # "..., a few rules of thumb are worth following": a new main clause
        end = match.start()
        aliases: tuple[str, ...] = ()
        parenthesis = _PARENTHESIS_BEFORE.search(context.text, 0, end)
        if parenthesis:
            end, aliases = parenthesis.start(), (parenthesis["alias"].strip(),)
        for span in np_spans_before(context.quote, _absolute(context, end)):
            definition = context.text[match.start("kind"):]
            definition = re.sub(r"^(?:which\s(?:is|are)\s|i\.e\.,?\s|that is,\s|meaning\s)", "",
                                definition)
            found = _found(context, span, definition.split("—")[0] if match["comma"] == "—"
                           else definition, aliases)
            if found:
                yield found


_FINITE = frozenset("VBZ VBP VBD MD".split())
_RELATIVE_WORDS = frozenset("that which who whom whose where when whereby wherein".split())


def _opens_clause(context: Context, position: int) -> bool:
    """Whether the words at ``position`` (in the clause) are the subject of a verb of their own
    (a finite verb before any relative word): then a comma ended one clause and began another.

    >>> from quote2anki.definitions.base import Context
    >>> t = "It has limits, a few rules of thumb are worth following."
    >>> _opens_clause(Context(t, 0, "", "", t, 0), t.index("a few"))
    True
    >>> t = "It uses a pool, a set of threads that the runtime keeps."
    >>> _opens_clause(Context(t, 0, "", "", t, 0), t.index("a set"))
    False
    """
    start = _absolute(context, position)
    tokens = tokens_in(context.quote, start, context.start + len(context.text))[:12]
    for token in tokens:
        if token.text.lower() in _RELATIVE_WORDS or token.text in (",", ";", "(", "—"):
            return False
        if token.tag in _FINITE:
            return True
    return False


# --- parenthetical glosses: "a shallow copy (i.e., only the outer list is new)" ---------------

_PAREN_GLOSS = re.compile(
    r"\s\((?P<gloss>(?P<cue>i\.e\.,?|that is,|meaning|in other words,?)\s[^()]{8,240}|"
    r"(?:a|an)\s(?:[\w’'-]+\s){2,6}[^()]{3,240}|(?P<head>[a-z][\w-]+)\s[^()]{8,240})\)"
)


@rule_needing(" (",)
def paren_gloss(context: Context) -> Iterator[Found]:
    """``X (i.e., ...)``, ``X (a N that ...)``, and ``X (N ...)`` when the parenthesis starts
    with the term's own head noun: the noun phrase before the parenthesis, glossed inside it.

    >>> from quote2anki.definitions import candidates
    >>> t = "Slicing gives a shallow copy (i.e., only the outer list is new) of the data."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "paren_gloss"]
    [('shallow copy', 'only the outer list is new')]
    >>> t = "Declarative code (code that states the result, not the steps) is easy to check."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "paren_gloss"]
    [('Declarative code', 'code that states the result, not the steps')]
    >>> [f.term for f in candidates("It ran twice (once per day) and then stopped.")
    ...  if f.rule == "paren_gloss"]
    []
    >>> [f.term for f in candidates("Look at the true score (i.e., 25 percent) and the peak (the "
    ...                             "spike at 0 on the left).") if f.rule == "paren_gloss"]
    []
    """
    for match in _PAREN_GLOSS.finditer(context.text):
        gloss = match["gloss"]
        if match["cue"]:
            gloss = gloss[len(match["cue"]):]
            if re.match(r"\s*(?:\d|(?:without|with|by|in|on|at|for|from|to|of|as|if|when)\b)",
                        gloss):
                continue  # "(that is, without a referee)", "(i.e., 25 percent)": no gloss of a noun
        for span in np_spans_before(context.quote, _absolute(context, match.start())):
            term = _term(context, span)
            if term is None:
                continue
            if match["head"] and match["head"].rstrip("s") != term.split()[-1].lower().rstrip("s"):
                continue  # "(once per day)": a remark, not a gloss of the phrase before
            found = _found(context, span, gloss)
            if found:
                yield found


# "One concept names the drop in judgment after many choices: decision fatigue.",
# "Remember Hofstadter's law: a plan overruns, even one that allows for overruns."
_COLON_TAIL = re.compile(r":\s(?:the\s|a\s|an\s)?(?P<term>[^\s:;,.]+(?:\s[^\s:;,.]+){0,4})[.!]?$")
_COLON_NAMED = re.compile(r"(?P<before>\S.*?)[’']?:\s(?P<definition>[A-Z].{10,})$")
_NAMED = re.compile(r"(?:law|principle|rule|razor|effect|fallacy|paradox|bias|theorem|"
                    r"hypothesis|problem|dilemma|trap|illusion|syndrome)s?$", re.I)


@rule_needing(": ",)
def colon_tail(context: Context) -> Iterator[Found]:
    """A term named after a colon at the end of a clause that described it, or a named law
    before a colon that states it.

    >>> from quote2anki.definitions import candidates
    >>> t = "One concept names the drop in judgment after many choices: decision fatigue."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "colon_tail"]
    [('decision fatigue', 'One concept names the drop in judgment after many choices')]
    >>> t = "Remember Hofstadter's law: Plans overrun, even those that allow for overruns."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "colon_tail"]
    [("Hofstadter's law", 'Plans overrun, even those that allow for overruns.')]
    """
    tail = _COLON_TAIL.search(context.text)
    if tail:
        span = (_absolute(context, tail.start("term")), _absolute(context, tail.end("term")))
        found = _found(context, span, context.text[:tail.start()])
        if found and len(context.text[:tail.start()].split()) >= 5:
            yield found
        return
    named = _COLON_NAMED.match(context.text)
    if named and _NAMED.search(named["before"]):
        for span in np_spans_before(context.quote, _absolute(context, named.end("before"))):
            found = _found(context, span, named["definition"])
            if found:
                yield found


# --- "Term: definition" inside a quote --------------------------------------------------------

_HEAD_COLON = re.compile(
    r"(?:^|(?<=:\s)|(?<=\.\s))(?P<term>[A-Z“\"][\w’'“”\"/+-]*(?:\s[\w’'“”\"/+-]+){0,4}?)"
    r"(?:\s\((?P<alias>[^()]{1,30})\))?(?:,\s(?:or|aka)\s(?P<alias2>[\w-]{1,20}))?:\d{0,2}\s"
    r"(?P<definition>[A-Z\w“\"].{10,}?)(?=\s[A-Z][\w’'-]+(?:\s[\w’'-]+){0,3}:\s|$)"
)


@rule_needing(": ",)
def head_colon(context: Context) -> Iterator[Found]:
    """``Pure functions: Functions that ...`` in a quote: a glossary line copied
    inside the highlight, several in a row.

    >>> from quote2anki.definitions import candidates
    >>> t = "Pure functions: Functions that have no side effects and always return the same value."
    >>> [(f.term, f.definition[:30]) for f in candidates(t) if f.rule == "head_colon"]
    [('Pure functions', 'Functions that have no side ef')]
    """
    for match in _HEAD_COLON.finditer(context.text):
        term = match["term"]
        if term.lower().split()[0] in NOT_TERM_START or len(term.split()) > 5:
            continue
        span = (_absolute(context, match.start("term")), _absolute(context, match.end("term")))
        aliases = tuple(a for a in (match["alias"], match["alias2"]) if a)
        found = _found(context, span, match["definition"], aliases)
        if found:
            yield found
