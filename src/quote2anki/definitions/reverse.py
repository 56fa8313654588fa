"""The term named after its description: ``A program that writes programs is a code
generator``, ``This is the Yagni rule: ...``, and ``this term means ...`` about a term the
sentence before ended on. Candidates only: :mod:`.scorer` decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Context, Found, rule_needing
from .loose import _found, _group_np
from .phrases import np_spans_before, tokens_in

# --- "A program that writes other programs is a code generator." ------------------------------

_NAMED_LAST = re.compile(
    r"^(?P<definition>(?:(?:A|An|Any)\s[^,;:]{2,60}?\s(?:that|which|who|whose|in\swhich|with)\s"
    r"[^;:]{5,}?|[A-Za-z][a-z]+ing\s[^,;:]{8,}?))\s(?:is|are)\s(?:called\s|known\sas\s|termed\s)?"
    r"(?:a\s|an\s|the\s)?(?P<term>[“\"‘']?[\w’'-]+(?:\s[\w’'-]+){0,3}[”\"’']?)[.!]?$"
)


@rule_needing(" is ", " are ")
def named_last(context: Context) -> Iterator[Found]:
    """The description is the subject and the term ends the sentence: an indefinite subject
    with a relative clause, or a gerund phrase.

    >>> from quote2anki.definitions import candidates
    >>> t = "A program that writes other programs is a code generator."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "named_last"]
    [('code generator', 'A program that writes other programs')]
    >>> t = "Turning text into bytes is encoding."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "named_last"]
    [('encoding', 'Turning text into bytes')]
    >>> [f.rule for f in candidates("A man who reads is a man who thinks.")
    ...  if f.rule == "named_last"]
    []
    """
    match = _NAMED_LAST.match(context.text)
    if match is None:
        return
    end, span = _group_np(context, match, "term")
    if span is None or span[1] < end - 1:
        return  # the term must fill the rest of the sentence
    found = _found(context, span, match["definition"])
    if found:
        yield found


# --- "This is the Unix way: write small tools." ------------------------------------------------

_THIS_IS = re.compile(
    r"^(?:This|That|Here|Such)\s(?:is|was)\s(?:the|a|an|what\s(?:[\w’'-]+\s){1,3}calls?)\s"
    r"(?P<term>[^:;,.]{2,60}?):\s(?P<definition>\S.{8,})$"
)


@rule_needing("this is ", "that is ", "here is ", "such is ", "this was ", "that was ")
def this_is_colon(context: Context) -> Iterator[Found]:
    """``This is the X: ...``: a name given to what the words after the colon state.

    >>> from quote2anki.definitions import candidates
    >>> t = "This is the Yagni habit: build nothing before someone needs it."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "this_is_colon"]
    [('Yagni habit', 'build nothing before someone needs it.')]
    """
    match = _THIS_IS.match(context.text)
    if match is None:
        return
    end, span = _group_np(context, match, "term")
    if span is None or span[1] != end:
        return
    definition = match["definition"]
    if context.following and len(definition) < 60:
        definition = f"{definition} {context.following}"
    found = _found(context, span, definition)
    if found:
        yield found


# --- "... could be called a cold start. In this field, the term means ..." --------------------

_TERM_MEANS = re.compile(
    r"^(?:(?:In|For|Within|Outside)\s[^,]{2,50},\s)?(?:[Tt]his|[Tt]he|[Tt]hat)\s(?:term|phrase|word|"
    r"expression|name|label)\s(?:means|refers\sto|describes|denotes|stands\sfor)\s"
    r"(?P<definition>.{8,})$"
)


@rule_needing("term ", "phrase ", "word ", "expression ", "name ", "label ")
def term_means(context: Context) -> Iterator[Found]:
    """``The term means ...`` about the term the sentence before ended on (or quoted).

    >>> from quote2anki.definitions import candidates
    >>> t = "That loss might be considered cold start. Here the term means an empty cache."
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "term_means"]
    [('cold start', 'an empty cache.')]
    """
    match = _TERM_MEANS.match(re.sub(r"^(?:Here|Now|So),\s|^Here\s", "", context.text))
    if match is None or not context.previous:
        return
    previous = context.quote.rfind(context.previous, 0, context.start)
    sentence = context.previous
    if previous >= 0 and not sentence.rstrip().endswith((".", "!", "?", "”", '"', "’")):
        # "In serverless terms, the term means": the lead-in is a clause of its own; the term
        # ends the sentence before it
        sentence = context.quote[:previous].rstrip()
        previous = 0
    if previous < 0 or not sentence:
        return
    quoted = re.search(r"[“\"‘](?P<term>[^”\"’]{2,50})[”\"’][.!?]?$", sentence)
    if quoted:
        span: tuple[int, int] | None = (previous + quoted.start("term"),
                                        previous + quoted.end("term"))
    else:
        end = previous + len(sentence.rstrip(" .!?”\"’'"))
        spans = np_spans_before(context.quote, end)
        span = spans[0] if spans else None
    if span is None:
        return
    words = tokens_in(context.quote, *span)
    while len(words) > 1 and words[0].tag.startswith("VB") and words[0].tag != "VBG":
        words = words[1:]  # "be considered cold start": the verb is not part of the name
        span = (words[0].start, span[1])
    found = _found(context, span, match["definition"])
    if found:
        yield found
