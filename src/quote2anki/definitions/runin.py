"""Run-in glossary heads: ``Covariate shift When P(X) changes ...``, several in one quote."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import ALIAS, Context, Found, defined, rule, zipf

# --- run-in heads ---------------------------------------------------------------------------

# "Covariate shift When P(X) changes ...", "Missing at random (MAR) This is when ...",
# "Type II error This is when ...". The head is a capitalised word and one to four more words in
# lower case (or numerals); the definition opens with a capitalised word. Also after a colon.
_RUN_IN = re.compile(
    r"(?:^|(?<=:\s))(?P<term>[A-Z][\w’'–-]*(?:\s(?:[a-z0-9][\w’'–-]*|[IVX]{1,4}|[A-Z]\d?)){1,4})"
    + ALIAS
    + r"\s(?P<definition>(?P<opener>[A-Z][\w’'-]*)\s.{12,})$"
)
_RUN_IN_ONE = re.compile(
    r"(?:^|(?<=:\s))(?P<term>[A-Z][a-z’'–-]{2,})" + ALIAS
    + r"\s(?P<definition>(?P<opener>[A-Z][\w’'-]*)\s.{12,})$"
)
_NAME_CHAIN = re.compile(r"^[A-Z][a-z]+[,]?\s[A-Z][a-z]+")
_HEADING_SENTENCE = re.compile(r"^(?:step|phase|stage|part|chapter|section|lesson|day|week)\s"
                               r"[\w.]{1,6}\.?$", re.I)
_NOT_DEFINITION_START = re.compile(r"^(?:such as|for example|for instance|e\.g\.|i\.e\.)", re.I)


_ONE_WORD_OPENERS = re.compile(r"^(?:This (?:is|refers)|It is|A|An|The|One of|When|Any|"
                               r"[A-Z][a-z]+(?:ing|ed)? (?:to|of|with|from))\s")


@rule
def _run_in_head(context: Context) -> Iterator[Found]:
    """A one-word head must be a known English word opening a definition-like clause: coined
    names ("Dependabot A bot that ...") and purposes ("Papermill For spawning ...") are tools."""
    match = _RUN_IN.search(context.text) or _RUN_IN_ONE.search(context.text)
    if match is None:
        return
    definition = match["definition"]
    if re.match(r"(?:The|A|An)\s", match["term"]):
        return  # "The C Extension is optional": a sentence, not a head
    if " " not in match["term"] and (not _ONE_WORD_OPENERS.match(definition)
                                     or zipf(match["term"]) == 0.0):
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
    yield from defined(match, context, definition)


