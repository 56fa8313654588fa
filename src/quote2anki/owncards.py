"""The reader's own flashcards and ``key:: value`` properties met during the walk.

A highlight's lines may hold a prompt the reader wrote (``Explain X. #flashcard``), a
``Q:``/``A:`` pair or an obsidian-spaced-repetition card; :mod:`quote2anki.flashcards` reads the
text, and this module decides, line by line, what becomes a card, what goes to the book's
metadata and what is left for the quote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markdown_it.tree import SyntaxTreeNode

from .blocks import Collector, in_fence, item_lines, sub_item_lines, sub_items
from .exports import property_line, split_tails
from .flashcards import (
    Line,
    card,
    inline_card,
    is_card_tag,
    is_question_line,
    question_answer,
    separated_card,
    split_hashtags,
    split_prompt,
)
from .highlight import add_lines
from .limits import MAX_CHARS
from .model import Flashcard, Problem
from .reader import meta_key

METADATA_KEYS = frozenset(
    "title, full title, author, authors, by, tags, tag, category, url, source, id, date, rating, "
    "status, genre, pages, published, type, aliases, alias, cover, isbn, document tags, deck, "
    "collapsed, created, updated, read, finished, started, format, publisher, year, series, "
    "link, asin, highlights, date finished, date started, date read, last highlighted".split(", "))
"""``key:: value`` keys that stay metadata even in a note of flashcards."""


def item_cards(item: SyntaxTreeNode, section: str, out: Collector) -> None:
    """The reader's flashcards in a list item of their own words (and in its sub-items)."""
    own = take_properties(item_lines(item, out), section, out)
    whole = sorted(own + sub_item_lines(item, out, bullets=False))
    if own and add_cards(whole, section, out):
        return
    for sub in sub_items(item):
        item_cards(sub, section, out)


def is_card_item(item: SyntaxTreeNode, out: Collector) -> bool:
    """Whether a sub-item is one of the reader's flashcards (``Q:``, ``Front::Back``, ``?``)."""
    lines = item_lines(item, out)
    if not lines:
        return False
    if is_question_line(lines[0][1]) or separated_card(lines) is not None:
        return True
    found = inline_card(lines[0][1])
    return found is not None and ("?" in found[0] or found[2])


def add_cards(lines: Sequence[Line], section: str, out: Collector, *, quote_answer: bool = False,
           blocks: Mapping[int, int] | None = None) -> bool:
    """Add the reader's flashcard in ``lines``, if they hold one; True if they did.

    With ``quote_answer``, an answer below a ``#flashcard`` prompt is also the highlight it
    answers from (Readwise exports put the reader's prompt above the passage) when it goes on in
    the same block as the prompt; an answer in a sub-bullet of its own is the reader's, and then
    the prompt is the highlight (``blocks`` maps each line to its block).
    """
    if not lines:
        return False
    qa = question_answer(lines) if is_question_line(lines[0][1]) else None
    if qa is not None and (qa[1] or len(lines) == 1):
        _add_card(card(qa[0], qa[1], section), out)
        return True
    separated = separated_card(lines)
    if separated is not None:
        _add_card(card(separated[0], separated[1], section, both_ways=separated[2]), out)
        return True
    prompt = split_prompt(lines)
    if prompt is not None:
        front, back, tags = prompt
        answer_tags = [tag for _, text in back for tag in split_hashtags(text)[1]]
        plain_back = [(n, split_hashtags(split_tails(t)[0])[0]) for n, t in back]
        _add_card(card(front, [line for line in plain_back if line[1].strip()], section,
                       tags + answer_tags), out)
        if quote_answer and front:
            tag_line = max(number for number, text in lines
                           if any(is_card_tag(tag) for tag in split_hashtags(text)[1]))
            if blocks is None or blocks.get(tag_line) == blocks.get(back[0][0]):
                add_lines(back, section, out, tags=tags)
            else:
                add_lines(front, section, out, tags=tags + answer_tags)
        return True
    return False


def _add_card(found: Flashcard | None, out: Collector) -> None:
    if found is None:
        return
    if len(found.front) + len(found.back) > MAX_CHARS:
        out.problems.append(Problem(out.path, found.line, "warning",
                                    f"flashcard is more than {MAX_CHARS} characters long; "
                                    "skipped"))
        return
    out.flashcards.append(found)


def take_properties(lines: Sequence[Line], section: str, out: Collector) -> list[Line]:
    """``lines`` without their ``key:: value`` lines, which go to the book's metadata (or, in a
    note of flashcards, or with a question for a key, become the reader's cards); code in a
    fenced block (``std::vector``) stays."""
    kept: list[Line] = []
    for (number, text), code in zip(lines, in_fence(lines), strict=True):
        if "::" not in text or code:
            kept.append((number, text))
            continue
        found = inline_card(text)
        pair = property_line(text)
        is_card = found is not None and (
            "?" in found[0] or (out.cards_note and (pair is None or meta_key(pair[0])
                                                    not in METADATA_KEYS)))
        if is_card and found is not None:
            front, back, both = found
            _add_card(card([(number, front)], [(number, back)], section, both_ways=both), out)
        elif pair is not None:
            key, value = pair
            out.meta.setdefault(meta_key(key), value)
        else:
            kept.append((number, text))
    return kept
