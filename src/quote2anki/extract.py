"""Finishing extraction: the definitions inside quotes, and the hints of terms defined together.

Reading gives each book its quotes and glossary lines. Here each quote is searched for the
terms it defines, each term gets its span in the quote (for its gap: unless the reader marked
the quote's gaps themselves) and one :class:`~quote2anki.model.Definition` per term per book
(the first read wins: a glossary line, then quotes in reading order). Marking a quote's gaps
never costs it its definition notes. Carding then only turns what it is given into notes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from . import memo
from .definitions import Found, find_definitions
from .model import Book, Definition, Quote, Span, Term
from .rich import cut


def extract(book: Book) -> Book:
    """``book`` with its quotes' defined terms located and their definitions added."""
    defined: set[str] = set()
    definitions: list[Definition] = []
    glossary_hints = set_hints([d.term for d in book.definitions])
    for definition in book.definitions:
        if definition.term.casefold() not in defined:
            defined.add(definition.term.casefold())
            definitions.append(replace(definition, hint=glossary_hints.get(definition.term)))
    quotes: list[Quote] = []
    for quote in book.quotes:
        found: tuple[Found, ...] = memo.definitions(quote.text, partial(find_definitions,
                                                                        quote.text))
        if quote.protected:  # a "term" inside code or a formula is not one
            found = tuple(item for item in found if not any(
                low < item.end and item.start < high for low, high in quote.protected))
        if not found:
            quotes.append(quote)
            continue
        hints = set_hints([item.term for item in found])
        # the reader's own marks choose the quote's gaps; its definitions are still notes
        quotes.append(quote if quote.marks else replace(
            quote, terms=term_spans(quote.text, found, hints)))
        for item in found:
            names = {name.casefold() for name in (item.term, *item.aliases)}
            if names & defined:
                continue  # one note per term per book: the first definition read wins
            defined |= names
            definitions.append(Definition(item.term, item.definition, quote.text, quote.line,
                                          quote.section, item.aliases, hints.get(item.term),
                                          spans_of(quote, item.definition), quote.spans,
                                          quote.places))
    return replace(book, quotes=tuple(quotes), definitions=tuple(definitions))


def spans_of(quote: Quote, part: str) -> tuple[Span, ...]:
    """The spans of ``part``, a stretch of the quote's text (a definition cut out of it).

    >>> quote = Quote("Entropy is H = -sum p log p, in bits.", 1, spans=(Span(11, 27, "math"),))
    >>> spans_of(quote, "H = -sum p log p, in bits")
    (Span(start=0, end=16, kind='math', target='', label='', size=''),)
    """
    if not quote.spans:
        return ()
    start = quote.text.find(part)
    return cut(quote.spans, start, start + len(part)) if start >= 0 else ()


def set_hints(terms: Sequence[str]) -> dict[str, str]:
    """Hints for terms that belong to a set defined together: the shared head word.

    "Convenience sampling", "Snowball sampling" and "Quota sampling" defined side by side are
    confusable; the hint "sampling" says which set the gap belongs to without giving it away.

    >>> set_hints(["Covariate shift", "Label shift", "Concept drift"])
    {'Covariate shift': 'shift', 'Label shift': 'shift'}
    """
    heads = Counter(term.split()[-1].casefold() for term in terms if len(term.split()) > 1)
    return {term: term.split()[-1].lower() for term in terms
            if len(term.split()) > 1 and heads[term.split()[-1].casefold()] > 1}


def term_spans(text: str, found: Sequence[Found], hints: dict[str, str]) -> tuple[Term, ...]:
    """Where the defined terms stand in a quote, with an acronym right after a term included:
    "Missing not at random (MNAR)" is one gap, not two.

    >>> text = "Missing not at random (MNAR) This is when the reason is the value itself."
    >>> term_spans(text, [Found("Missing not at random", "", 0, 21, ("MNAR",))], {})
    (Term(start=0, end=28, hint=None),)
    """
    spans = []
    for item in found:
        end = item.end
        for alias in item.aliases:
            if text.startswith(f" ({alias})", end):
                end += len(alias) + 3
        spans.append(Term(item.start, end, hints.get(item.term)))
    return tuple(spans)
