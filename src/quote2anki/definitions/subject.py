"""The term as the subject of its clause: ``X is a N ...`` after a lead-in, definitions by
what a thing does, the term introduced after the copula by a generic subject, and the Spanish
copula. Candidates only: :mod:`.scorer` decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Context, Found, rule_needing
from .loose import _absolute, _found, _group_np
from .phrases import np_after

# --- the term as subject: "X is a N ...", with lead-ins ------------------------------------

_LEAD_IN = (r"(?:(?:Put\ssimply|Simply\sput|In\sshort|In\sother\swords|Basically|Formally|"
            r"Technically|Essentially|Informally|Roughly|Broadly|In\sessence|Strictly\sspeaking|"
            r"In\s(?:[A-Z]?[a-z]+\s){1,3}?(?:terms|parlance|jargon)|In\s(?:statistics|economics|"
            r"physics|biology|psychology|medicine|computer\sscience|mathematics|chemistry|"
            r"finance|programming|software|engineering|philosophy|law|business|marketing|"
            r"Python|SQL|general|practice|theory|this\scontext|our\scontext)|Here|Thus|So|"
            r"(?:In|From|Within|For)\s(?:the\s|a\s)?[\w’'-]+(?:\s[\w’'-]+){0,3}|"
            r"(?:As|By)\sa\s[\w-]+(?:\s[\w-]+)?|Also|Now|However|Similarly|Likewise|Finally|"
            r"Conversely|By\scontrast|In\scontrast|On\sthe\sother\shand|"
            r"(?:Like|Unlike)\s[\w’'-]+(?:\s[\w’'-]+){0,2}),\s)?")
_SUBJECT_COPULA = re.compile(
    rf"^{_LEAD_IN}(?:The\s(?:best\s|simplest\s|formal\s|usual\s|standard\s|classic\s)?"
    r"(?:definition|meaning)\sof\s)?(?P<subject>[^,;:()]{2,80}?)(?:\s\((?P<alias>[A-Z][A-Za-z0-9]{1,7})"
    r"\))?\s(?P<verb>is|are|means|refers\sto|"
    r"is\sdefined\sas|are\sdefined\sas|can\sbe\sdefined\sas|describes|denotes|is\sessentially|"
    r"are\sessentially|is\sbasically|is\ssimply|is\sjust)\s(?P<definition>.{8,})$"
)


@rule_needing(" is ", " are ", " means ", "refers to", "defined as", "describes", "denotes")
def subject_copula(context: Context) -> Iterator[Found]:
    """``X is a N ...`` after a lead-in or with adjectives, ``The best definition of X is``.

    >>> from quote2anki.definitions import candidates
    >>> t = "Put simply, a ledger is an ordered record of every transfer."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "subject_copula"]
    [('ledger', 'an ordered record of every transfer.')]
    """
    match = _SUBJECT_COPULA.match(context.text)
    if match is None:
        return
    end, span = _group_np(context, match, "subject")
    if span is None or span[1] != end:
        # the noun phrase must fill the subject: "The Ops team occasionally is" is no term
        start = _absolute(context, match.start("subject"))
        subject = context.quote[start:end]
        if not re.fullmatch(r"[“\"‘']?[\w’'-]+(?:\s[\w’'-]+){0,4}[”\"’']?", subject):
            return
        span = (start + len(subject) - len(subject.lstrip("“\"‘'")), end)
        if re.match(r"(?:the|a|an)\s", context.quote[span[0]:span[1]], re.I):
            span = (span[0] + context.quote[span[0]:].index(" ") + 1, span[1])
    found = _found(context, span, match["definition"],
                   (match["alias"],) if match["alias"] else ())
    if found:
        yield found


# --- an acronym spelled out: "TLDR stands for “too long, didn't read”" ----------------------

_STANDS_FOR = re.compile(
    r"^(?:(?P<heading>\S+)\s(?=(?P=heading)\s))?(?:The\s(?:acronym|abbreviation|letters|initials)\s)?(?P<subject>[A-Za-z0-9&/-]*[A-Z][A-Za-z0-9&/-]*[A-Z0-9]"
    r"[A-Za-z0-9&/-]*)\s(?:stands?\sfor|is\sshort\sfor|is\san\s(?:acronym|abbreviation)\s(?:for|of))\s"
    r"(?P<definition>.{4,})$"
)


@rule_needing("stands for", "stand for", "short for", "acronym", "abbreviation")
def acronym_spelled(context: Context) -> Iterator[Found]:
    """An acronym at the start of a clause, spelled out.

    >>> from quote2anki.definitions import candidates
    >>> t = "TLDR stands for “too long, didn’t read.” It marks a summary."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "acronym_spelled"]
    [('TLDR', '“too long, didn’t read.”')]
    >>> t = "MVP MVP stands for minimum viable product."  # a Readwise heading glued to its text
    >>> [(f.term, f.start) for f in candidates(t) if f.rule == "acronym_spelled"]
    [('MVP', 4)]
    """
    match = _STANDS_FOR.match(context.text)
    if match is None:
        return
    span = (_absolute(context, match.start("subject")), _absolute(context, match.end("subject")))
    found = _found(context, span, match["definition"])
    if found:
        yield found


# --- definitions by what a thing does: "the modulo operator returns the remainder ..." -------

_ACTION = re.compile(
    rf"^{_LEAD_IN}(?:The\s|An?\s)?(?P<subject>[^,;:]{{2,60}}?)\s(?P<verb>returns|computes|"
    r"calculates|measures|converts|represents|work\sby|works\sby|focus(?:es)?\son|deals?\swith|"
    r"involves?|consists?\sof|captures?|describes|tells\syou|lets\syou|allows\syou\sto|"
    r"run|runs|change|changes|takes|maps|stores|holds|counts|tracks|ensures|guarantees|"
    r"emulates|isolates|encodes|decodes|translates|occurs|happens|arises|applies\sto|"
    r"summarizes|states|is\sabout|are\sabout)\s(?P<definition>.{8,})$"
)


@rule_needing("returns", "computes", "calculates", "measures", "converts", "represents",
              "work by", "works by", "focus", "deal", "involve", "consist", "captur", "describes",
              "tells you", "lets you", "allows you", "run", "change", "takes", "maps", "stores",
              "holds", "counts", "tracks", "ensures", "guarantees", "emulates", "isolates",
              "encodes", "decodes", "translates", "occurs", "happens", "arises", "applies to",
              "summarizes", "states", "is about", "are about")
def action_verb(context: Context) -> Iterator[Found]:
    """A definition by what the thing does, at the start of a clause.

    >>> from quote2anki.definitions import candidates
    >>> t = "The modulo operator returns the remainder of a division."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "action_verb"]
    [('modulo operator', 'returns the remainder of a division.')]
    """
    match = _ACTION.match(context.text)
    if match is None:
        return
    end, span = _group_np(context, match, "subject")
    if span is None or span[1] != end:
        return
    found = _found(context, span, f"{match['verb']} {match['definition']}")
    if found:
        yield found


# --- Spanish: "Un contenedor es una unidad de software que ..." --------------------------------

_ES_COPULA = re.compile(
    r"^(?:Un|Una|El|La|Los|Las)\s(?P<term>[^\W\d_]+(?:\s(?:de\s)?[^\W\d_]+){0,3}?)"
    r"(?:\s\([^()]{1,40}\))?\s(?:es|son)\s(?P<definition>(?:un|una|el|la|los|las)\s.{8,})$"
)


@rule_needing(" es ", " son ")
def spanish_copula(context: Context) -> Iterator[Found]:
    """
    >>> from quote2anki.definitions import candidates
    >>> t = "Un hipervisor es una capa de software que reparte la máquina entre sistemas."
    >>> [(f.term, f.rule) for f in candidates(t)]
    [('hipervisor', 'spanish_copula')]
    """
    match = _ES_COPULA.match(context.text)
    if match:
        span = (_absolute(context, match.start("term")), _absolute(context, match.end("term")))
        found = _found(context, span, match["definition"])
        if found:
            yield found


# --- the term after the copula: "A related tactic is flypaper defence, which draws ..." -------

_GENERIC = (r"(?:model|tactic|technique|method|approach|strategy|concept|idea|principle|tool|"
            r"way|trap|bias|effect|fallacy|phenomenon|framework|heuristic|rule|law|pattern|"
            r"practice|measure|type|kind|form|solution|remedy|trick|term|name|cause|problem|"
            r"situation|mistake|error|process|mechanism|philosophy|mindset|exercise|habit)")
_INTRODUCING = re.compile(
    rf"^{_LEAD_IN}(?:A|An|Another|One|The|This|Our|Your|Such\sa)\s(?P<subject>(?:[^,;:]{{0,80}}?\s)?"
    rf"{_GENERIC}s?(?:\s[^,;:]{{0,80}}?)?)\s(?:is|was)\s(?:called\s|known\sas\s|named\s)?"
    r"(?P<rest>.{3,})$"
)
_GLOSS_AFTER = re.compile(r"^[”\"’']?\s?(?:\((?P<alias>[^()]{1,40})\))?(?:,\s(?:or\s"
                          r"(?P<or>[^,.;]{1,30})(?=[,.;]|$)[,.]?\s?)?(?P<gloss>(?:which|where|"
                          r"whereby|wherein|in which|meaning|a|an|the)\s.{8,})?|[.!]?$|"
                          r":\s(?P<colon>.{8,}))")
_EXPLAINS = re.compile(r"^(?:It|It’s|It's|This|These|They|The\s(?:idea|gist|point|trick|key)|"
                       r"In\sit|Here)\b")


@rule_needing(" is ", " was ")
def introduced_term(context: Context) -> Iterator[Found]:
    """A generic subject ("a related tactic", "one such technique") names the term after the
    copula; the gloss after it, or the next sentence, says what it is.

    >>> from quote2anki.definitions import candidates
    >>> t = "A related tactic is flypaper defence, which draws attackers to one place."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "introduced_term"]
    [('flypaper defence', 'which draws attackers to one place.')]
    >>> t = "One such technique is time boxing. It caps the hours a task may take."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "introduced_term"]
    [('time boxing', 'It caps the hours a task may take.')]
    """
    match = _INTRODUCING.match(context.text)
    if match is None or re.search(r"\bexamples?\b", match["subject"]):
        return
    start = _absolute(context, match.start("rest"))
    span = np_after(context.quote, start)
    if span is None:
        return
    rest = context.quote[span[1]:context.start + len(context.text)]
    after = _GLOSS_AFTER.match(rest)
    if after is None:
        return
    definition = after["gloss"] or after["colon"] or ""
    if not definition and _EXPLAINS.match(context.following):
        definition = context.following
    aliases = tuple(a.strip() for a in (after["alias"], after["or"]) if a)
    found = _found(context, span, definition, aliases)
    if found:
        yield found
