"""What a heading says about the section under it: the reader's quotes, a glossary, their own
words, metadata, the whole text of a document, or nothing (then it inherits its parent's kind).

Headings are read by whole words, never by substrings: ``Transactions`` does not say "action",
``Related`` only counts as a word of its own. Under a highlights section a subheading is a
chapter of the book (``### Chapter 4: Transactions``, ``### Questions of Scale``,
``#### Chapter 2. Key Concepts``) and keeps holding highlights, unless the whole heading is the
name of another kind of section (``### Notes``, ``### Summary``, ``### Glossary``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .inline import parse_inline
from .limits import MAX_TITLE
from .text import squash_spaces

Kind = Literal["quotes", "glossary", "own", "metadata", "note", "document", "none"]

# The words that name each kind of section, whole words (a trailing ``s`` and such are spelled
# out). ``strong`` words say it in any heading; ``weak`` words (``Concepts``, ``Terms``) only
# when the heading says nothing else, since "Key Concepts" is a glossary but "Chapter 2: Basic
# Concepts" or "Terms of Trade" are chapters.
_WORDS: tuple[tuple[Kind, str, str], ...] = (
    ("metadata", r"metadata|book info(?:rmation)?|properties|details|book details|"
                 r"bibliographic (?:data|information)", ""),
    ("note", r"notes?|my notes?", ""),
    ("document", r"full document|full text|document contents?", ""),
    ("quotes", r"new highlights added(?: [^\n]*)?|highlights first synced(?: [^\n]*)?|"
               r"quot(?:e|es|ed|ing|ations?)|qoutes?|"
               r"highlights?|highlighted|excerpts?|passages?|clippings?|annotations?|"
               r"underlin(?:e|es|ed|ing)|citations?|kindle|snippets|marginalia|"
               r"(?:favou?rites?|memorable|best|notable|selected|marked|golden|top)"
               r"(?: \d{1,3})? (?:lines|sentences)|lines i (?:liked|loved|marked|underlined)|"
               r"from the book|"
               # the same words in the languages readers keep notes in
               r"zitate|markierungen|hervorhebungen|auszüge|citas|destacados|subrayados|"
               r"fragmentos|extraits|surlignages|destaques|citações|citacoes|trechos|"
               r"citazioni|estratti|evidenziazioni|sottolineature|citaten|markeringen|"
               r"citáty|citaty|úryvky|cytaty|цитаты|выдержки|выделения|"
               r"frases|passagen|pasajes|passagens|"
               r"ハイライト|引用|抜き書き|名言|摘录|摘抄|书摘|划线|標註|标注|金句|好句|语录|語録|"
               r"하이라이트|밑줄|구절", ""),
    ("glossary", r"definitions?|glossary|glossaries|vocabulary|terminology|lexicon|jargon|"
                 r"key terms?|key concepts?|key words|keywords",
     r"terms?|concepts?|words|terms and definitions|main concepts|"
     r"important terms|core concepts"),
    ("own", r"impressions?|summary|summaries|summari[sz]ed?|synopsis|sentences|thoughts?|"
            r"reviews?|takeaways?|key takeaways|reflections?|who should read(?: it)?|"
            r"how i (?:discovered|found|came)|related|actions?|action items|questions?|why i|"
            r"overview|my notes|notes|opinions?|rating|ratings|recommend(?:ed|ations?)?|"
            r"conclusions?|lessons?(?: learned)?|how (?:the book|it) changed me|"
            r"my thoughts|personal notes|what i learned|book review",
     r""),
)
_EXACT_ONLY: frozenset[Kind] = frozenset({"metadata", "note", "document"})
"""Kinds a heading announces only as a whole (``## Notes``, ``## Metadata``): "Highlights and
Notes" holds highlights, "Chapter Details" is a chapter."""
_COMPILED: tuple[tuple[Kind, re.Pattern[str], re.Pattern[str] | None], ...] = tuple(
    (kind, re.compile(rf"(?<![\w-])(?:{strong})(?![\w-])", re.I),
     re.compile(rf"(?<![\w-])(?:{weak})(?![\w-])", re.I) if weak else None)
    for kind, strong, weak in _WORDS)

# Words that add nothing to what a heading announces ("My Top 10 Quotes", "Selected
# Highlights and Notes", "The Book in 3 Sentences").
_FILLER = frozenset(
    "my the a an and or of in from with by for to on this book books top best favourite favorite "
    "favorites favourites selected some all key main important own personal other more "
    "& + - – — / | : , 10 20 5 3 1 2 ten three five few kindle readwise new notes thoughts "
    "comments".split())

# Chapter headings: "Chapter 4", "Ch. 2", "Part II", "Section 3.1", "1.", "2.2.4", "IV.",
# "Lesson 3", "Day 12"... Their words are the book's, never a kind of section.
_NUMBER_WORD = (r"(?:\d{1,4}(?:\.\d{1,3}){0,4}+|[IVXLC]{1,7}|[A-Z]|one|two|three|four|five|six|"
                r"seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                r"seventeen|eighteen|nineteen|twenty|first|second|third|fourth|fifth|sixth|"
                r"seventh|eighth|ninth|tenth|last|final)")
_CHAPTER = re.compile(
    rf"^(?:(?:chapter|ch\.|chap\.|part|section|sect\.|book|lesson|lecture|unit|module|day|"
    rf"week|step|rule|law|item|capítulo|capitulo|kapitel|chapitre|parte|teil)\s*{_NUMBER_WORD}"
    rf"|第\s*[\d一二三四五六七八九十百]{{1,6}}+"
    rf"|\d{{1,3}}(?:\.\d{{1,3}}){{0,4}}+\.?|[IVXLC]{{1,6}}\.|{_NUMBER_WORD}\.)(?=[\s:.)–—-]|$)",
    re.I)

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
    """What kind of content a heading announces by one of its words, or None when it does not.

    >>> [section_kind(t) for t in ["My Top Quotes", "Key Definitions", "Impressions", "Ch. 3"]]
    ['quotes', 'glossary', 'own', None]
    >>> [section_kind(t) for t in ["Chapter 4: Transactions", "Questions of Scale", "Concepts"]]
    [None, 'own', 'glossary']
    >>> [section_kind(t) for t in ["Chapter 2. Key Concepts", "Basic Concepts of Economics"]]
    [None, None]
    >>> [section_kind(t) for t in ["My Highlights and Notes", "Notes", "Book Details"]]
    ['quotes', 'note', 'metadata']
    >>> [section_kind(t) for t in ["Favourite lines", "From the book", "The Book in 3 Sentences"]]
    ['quotes', 'quotes', 'own']
    >>> [section_kind(t) for t in ["金句", "Frases destacadas", "인상 깊은 구절"]]
    ['quotes', 'quotes', 'quotes']
    """
    title = title[:MAX_TITLE]
    if is_chapter(title):
        return None
    for kind, strong, weak in _COMPILED:
        if kind in _EXACT_ONLY:
            if _only(title, strong):
                return kind
        elif strong.search(title) or (weak is not None and _only(title, weak)):
            return kind
    return None


def exact_kind(title: str) -> Kind | None:
    """The kind a heading announces when it says nothing else (``My Notes``, ``Summary``,
    ``Key Concepts``): the only headings that end a highlights section from below it.

    >>> [exact_kind(t) for t in ["Notes", "My Top 10 Quotes", "Questions of Scale", "Summary"]]
    ['note', 'quotes', None, 'own']
    >>> [exact_kind(t) for t in ["Related Work", "Key Takeaways", "Chapter 1: Summary"]]
    [None, 'own', None]
    >>> [exact_kind(t) for t in ["Highlights (23)", "Quotes 2024-05-01", "Highlights of Rome"]]
    ['quotes', 'quotes', None]
    """
    title = title[:MAX_TITLE]
    if is_chapter(title):
        return None
    for kind, strong, weak in _COMPILED:
        if _only(title, strong) or (weak is not None and _only(title, weak)):
            return kind
    return None


def is_chapter(title: str) -> bool:
    """Whether a heading names a part of the book: ``Chapter 4``, ``Part II``, ``2.2.4 ...``.

    >>> [is_chapter(t) for t in ["Chapter 4: Transactions", "2.2.4 Tie your files", "IV. War",
    ...                          "One. Fundamentals", "Part Two", "Notes", "3 Sentences",
    ...                          "Book Details", "Day Trading Concepts"]]
    [True, True, True, True, True, False, False, False, False]
    """
    match = _CHAPTER.match(title.strip())
    if match is None:
        return False
    if match.group()[:1].isdigit() and "." not in match.group():
        return title.strip()[match.end():match.end() + 1] in (":", ".", ")", "")
    return True


def _only(title: str, pattern: re.Pattern[str]) -> bool:
    """Whether ``title`` is nothing but words of ``pattern`` and filler words."""
    rest = pattern.sub(" ", title)
    if rest == title:
        return False
    words = (word.strip("()[]'\"“”‘’!?.#") for word in re.findall(r"[^\s]+", rest.casefold()))
    return all(not word or word in _FILLER or not any(char.isalpha() for char in word)
               for word in words)


def heading_kind(title: str, parent: Kind, *, is_title: bool = False) -> Kind:
    """The kind of the section a heading opens, given the kind of the section around it.

    Under a highlights section a subheading keeps holding highlights unless it is, as a whole,
    the name of another kind of section; elsewhere any whole word of a kind counts. The book's
    title (``is_title``) announces nothing.

    >>> heading_kind("Chapter 4: Transactions", "quotes")
    'quotes'
    >>> heading_kind("Related Work", "quotes"), heading_kind("Related Work", "none")
    ('quotes', 'own')
    >>> heading_kind("Notes", "quotes"), heading_kind("Notes", "none")
    ('note', 'own')
    >>> heading_kind("Key Concepts in Economics", "none", is_title=True)
    'none'
    """
    if is_title:
        return "none"
    if parent == "quotes":
        kind = exact_kind(title) or "quotes"
    elif parent == "document":
        kind = "document"
    else:
        kind = section_kind(title) or parent
    if kind == "note" and parent != "quotes":
        kind = "own"
    return kind


@dataclass
class Section:
    """A heading in force: its level, its title and the kind of content under it."""

    level: int
    title: str
    kind: Kind
    start: int = 0
    """How many quotes the note had when the section opened."""
    passes_on: bool = False
    """The section holds highlights because an empty highlights heading before it said so
    (``## Highlights`` then ``## Introduction``, ``## The Coast``): so do its siblings."""

    @property
    def label(self) -> str:
        """The section as a card shows it: "Chapter 3" says something, "Highlights" does not."""
        return "" if exact_kind(self.title) or not self.title else self.title
