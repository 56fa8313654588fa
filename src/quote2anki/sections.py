"""What a heading says about the section under it: the reader's quotes, a glossary, their own
words, metadata, or nothing (then it inherits its parent's kind)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .inline import parse_inline
from .limits import MAX_TITLE
from .text import squash_spaces

Kind = Literal["quotes", "glossary", "own", "metadata", "note", "none"]

# What a heading says about the section under it. Checked in this order; a heading that matches
# none inherits its parent's kind (``### Chapter 3`` under ``## Highlights`` holds quotes).
_SECTION_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("metadata", re.compile(r"^(?:metadata|book info(?:rmation)?|properties|details)$", re.I)),
    ("note", re.compile(r"^(?:my )?notes?$", re.I)),
    ("quotes", re.compile(
        r"quot|highlight|excerpt|passage|clipping|annotation|underlin|citation|kindle", re.I)),
    ("glossary", re.compile(
        r"definition|glossary|\bterms\b|\bkey terms?\b|vocabular|concepts|keywords|jargon|"
        r"lexicon|terminology", re.I)),
    ("own", re.compile(
        r"impression|summar|sentences|thought|review|takeaway|reflection|who should|how i|"
        r"related|action|question|why i|overview|\bnotes\b|opinion|rating|recommend", re.I)),
)

_LEADING_SYMBOLS = re.compile(r"^[^\w(\"“'‘\[<{]+")


def clean_heading(text: str) -> str:
    """A heading as plain text: no Markdown, no leading emoji or symbols, single spaces.

    >>> clean_heading("✍️ My Top  Quotes")
    'My Top Quotes'
    >>> clean_heading("## *Dune* and [[Dune Messiah|its sequel]] <i>(1969)</i>")
    'Dune and its sequel <i>(1969)</i>'
    """
    text = text[: MAX_TITLE * 5]  # longer is cut to MAX_TITLE anyway; no need to read it all
    return squash_spaces(_LEADING_SYMBOLS.sub("", squash_spaces(parse_inline(text)[0])))


def section_kind(title: str) -> Kind | None:
    """What kind of content a heading announces, or None when it does not say.

    >>> [section_kind(t) for t in ["My Top Quotes", "Key Definitions", "Impressions", "Ch. 3"]]
    ['quotes', 'glossary', 'own', None]
    """
    title = title[:MAX_TITLE]
    for kind, pattern in _SECTION_KINDS:
        if pattern.search(title):
            return kind
    return None


@dataclass
class Section:
    """A heading in force: its level, its title and the kind of content under it."""

    level: int
    title: str
    kind: Kind

    @property
    def label(self) -> str:
        """The section as a card shows it: "Chapter 3" says something, "Highlights" does not."""
        return "" if section_kind(self.title) else self.title
