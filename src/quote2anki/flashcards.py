"""The reader's own flashcards: questions and answers they wrote, not passages of the book.

Readers who study in Anki or Obsidian already write cards into their book notes, and those lines
must never be merged into a quote. The shapes read here:

- ``Question #flashcard`` (or ``#card``, ``#flashcards``) with the answer on the lines below or in
  the sub-bullets (Logseq, and Readwise exports to Logseq that put the reader's prompt above the
  highlight);
- ``Q: question`` then ``A: answer`` (also ``Question:``/``Answer:``, bold or not);
- obsidian-spaced-repetition: ``Front::Back`` and ``Front:::Back`` (both ways) on one line, and
  multi-line cards whose front and back are split by a line holding only ``?`` (or ``??``, both
  ways). Like the plugin itself, one-line ``::`` cards are read only in notes tagged
  ``#flashcards`` (or with a question mark in the front), since everywhere else ``key:: value`` is
  a Dataview or Logseq property.

Every function here is pure and works on text (or on ``(line, text)`` pairs): the walker decides
where a card can be, this module what a card is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .exports import split_tails
from .inline import parse_inline
from .model import Flashcard
from .text import squash_spaces

CARD_TAGS = frozenset({"flashcard", "flashcards", "card", "cards"})
"""Tags that mark a line as the front of a card (``#flashcards/deck`` counts too)."""

_TRAILING_TAGS = re.compile(
    r"(?:(?<=\s)|^)((?:\#(?:\[\[[^\[\]\n]{1,100}+\]\]|[^\s#\[\]]{1,100}+)[ \t]*){1,20}+)$")
_ONE_TAG = re.compile(r"\#(?:\[\[([^\[\]\n]{1,100}+)\]\]|([^\s#\[\]]{1,100}+))")
_Q = re.compile(r"^\s*(?:\*\*|__)?(?:Q|Question|Pregunta|Frage)(?:\*\*|__)?\s*[:：](?:\*\*|__)?\s*"
                r"(?P<text>\S.*)$", re.I)
_A = re.compile(r"^\s*(?:\*\*|__)?(?:A|Answer|Respuesta|Antwort)(?:\*\*|__)?\s*[:：](?:\*\*|__)?"
                r"\s*(?P<text>.*)$", re.I)
_INLINE_CARD = re.compile(r"^\s*(?P<front>(?:[^:\n]|:(?!:)){1,500}+)"
                          r"(?P<sep>:::|::)(?!:)\s*(?P<back>\S.{0,2000}+)$")
_READERS_CLOZE = re.compile(r"\{\{c\d{1,3}::")
_SEPARATOR = re.compile(r"^\s*(\?\??)\s*$")

Line = tuple[int, str]
"""A line of a note: its 1-based number in the file and its text."""


def is_tag(word: str) -> bool:
    """Whether ``#word`` would be a tag in Obsidian or Logseq: not only digits (``#1``).

    >>> [is_tag(w) for w in ["flashcard", "1", "2023-08-08", "blue", "c++"]]
    [True, False, True, True, True]
    """
    return bool(word) and not word.isdigit()


def split_hashtags(line: str) -> tuple[str, list[str]]:
    """A line without the run of ``#tags`` that ends it, and those tags.

    >>> split_hashtags("Passing a boolean is a terrible practice. #flashcard  #blue #azul ")
    ('Passing a boolean is a terrible practice.', ['flashcard', 'blue', 'azul'])
    >>> split_hashtags("We're #1 in the world")
    ("We're #1 in the world", [])
    >>> split_hashtags("It compiles in C# and F#")
    ('It compiles in C# and F#', [])
    >>> split_hashtags("#[[machine learning]] #ml")
    ('', ['machine learning', 'ml'])
    """
    if "#" not in line:
        return line, []
    match = _TRAILING_TAGS.search(line, max(0, len(line) - 2200))
    if match is None:
        return line, []
    tags = [m[1] or m[2] for m in _ONE_TAG.finditer(match.group(1))]
    if not tags or not all(is_tag(tag) for tag in tags):
        return line, []
    return line[: match.start()].rstrip(), tags


def is_card_tag(tag: str) -> bool:
    """Whether a tag marks a flashcard: ``flashcard``, ``card``, ``flashcards/biology``...

    >>> [is_card_tag(t) for t in ["flashcard", "Flashcards/bio", "cardiology", "blue"]]
    [True, True, False, False]
    """
    return tag.casefold().split("/")[0] in CARD_TAGS


def split_prompt(lines: Sequence[Line]) -> tuple[list[Line], list[Line], list[str]] | None:
    """The reader's prompt above an answer: ``Question #flashcard`` then the answer's lines.

    Returns the prompt's lines (tags removed), the answer's lines and the prompt's tags, or None
    when no line but the last carries a card tag (``highlight #flashcard`` is a highlight the
    reader tagged, not a question).

    >>> split_prompt([(5, "Explain the halting problem. #flashcard #cs"), (6, "Turing showed it.")])
    ([(5, 'Explain the halting problem.')], [(6, 'Turing showed it.')], ['flashcard', 'cs'])
    >>> split_prompt([(5, "Good joinery does one job well. #flashcard #pink")]) is None
    True
    """
    marked = None
    tags: list[str] = []
    for index, (_, text) in enumerate(lines):
        rest, found = split_hashtags(text)
        if any(is_card_tag(tag) for tag in found):
            marked, tags = index, found
    if marked is None or not any(_content(text) for _, text in lines[marked + 1 :]):
        return None
    front = [(number, text) for number, text in lines[:marked] if text.strip()]
    number, text = lines[marked]
    rest = split_hashtags(text)[0]
    if rest.strip():
        front.append((number, rest))
    back = [(n, t) for n, t in lines[marked + 1 :] if t.strip()]
    return front, back, tags


def _content(line: str) -> bool:
    """Whether a line says something: not empty, not only an export's tail or tags."""
    text = split_tails(line.strip())[0]
    return bool(split_hashtags(text)[0].strip())


def question_answer(lines: Sequence[Line]) -> tuple[list[Line], list[Line]] | None:
    """``Q: ...`` / ``A: ...`` lines: the question's lines and the answer's, or None.

    >>> question_answer([(3, "Q: What limits a quorum?"), (4, "A: The number of replicas.")])
    ([(3, 'What limits a quorum?')], [(4, 'The number of replicas.')])
    >>> question_answer([(3, "Q is for quality.")]) is None
    True
    """
    start = next((i for i, (_, text) in enumerate(lines) if _Q.match(text)), None)
    if start is None:
        return None
    answer = next((i for i in range(start + 1, len(lines)) if _A.match(lines[i][1])), None)
    question_match = _Q.match(lines[start][1])
    assert question_match is not None
    front = [(lines[start][0], question_match["text"])]
    if answer is None:
        front += [line for line in lines[start + 1 :] if line[1].strip()]
        return front, []
    front += [line for line in lines[start + 1 : answer] if line[1].strip()]
    answer_match = _A.match(lines[answer][1])
    assert answer_match is not None
    back = [(lines[answer][0], answer_match["text"])] if answer_match["text"].strip() else []
    back += [line for line in lines[answer + 1 :] if line[1].strip()]
    return front, back


def is_question_line(text: str) -> bool:
    """Whether a line opens a ``Q:`` question.

    >>> is_question_line("**Q:** Why?"), is_question_line("Quote: it is")
    (True, False)
    """
    return _Q.match(text) is not None


def is_answer_line(text: str) -> bool:
    """Whether a line opens an ``A:`` answer.

    >>> is_answer_line("A: Because."), is_answer_line("Also: this")
    (True, False)
    """
    return _A.match(text) is not None


def inline_card(text: str) -> tuple[str, str, bool] | None:
    """An obsidian-spaced-repetition one-line card ``Front::Back`` (``:::`` both ways).

    Returns front, back and whether it goes both ways; None if the line is not one.

    >>> inline_card("What does CAP stand for?::Consistency, availability, partition tolerance")
    ('What does CAP stand for?', 'Consistency, availability, partition tolerance', False)
    >>> inline_card("Idempotent:::safe to retry")
    ('Idempotent', 'safe to retry', True)
    >>> inline_card("No card here: just a colon") is None
    True
    >>> inline_card("Is this a card?? {{c1::No}}, the reader's own cloze") is None
    True
    """
    if "::" not in text or _READERS_CLOZE.search(text):
        return None
    match = _INLINE_CARD.match(text)
    if match is None:
        return None
    return match["front"].strip(), match["back"].strip(), match["sep"] == ":::"


def separated_card(lines: Sequence[Line]) -> tuple[list[Line], list[Line], bool] | None:
    """A multi-line card: front lines, a line with only ``?`` (``??``: both ways), back lines.

    >>> separated_card([(1, "What is a quorum?"), (2, "?"), (3, "A majority of the nodes.")])
    ([(1, 'What is a quorum?')], [(3, 'A majority of the nodes.')], False)
    """
    for index, (_, text) in enumerate(lines):
        match = _SEPARATOR.match(text)
        if match is None:
            continue
        front = [line for line in lines[:index] if line[1].strip()]
        back = [line for line in lines[index + 1 :] if line[1].strip()]
        if front and back:
            return front, back, match.group(1) == "??"
        return None
    return None


def card(front: Sequence[Line], back: Sequence[Line], section: str = "",
         tags: Sequence[str] = (), both_ways: bool = False) -> Flashcard | None:
    """A :class:`Flashcard` of the front's and back's lines (inline Markdown made plain), or None
    when the front is empty.

    >>> card([(4, "What is **SRP**?")], [(5, "One reason to change.")], "Ch. 10", ["flashcard"])
    Flashcard(front='What is SRP?', back='One reason to change.', line=4, section='Ch. 10', \
tags=('flashcard',), both_ways=False)
    """
    def plain(lines: Sequence[Line]) -> str:
        texts = (squash_spaces(parse_inline(text)[0]) for _, text in lines)
        return "\n".join(text for text in texts if text)

    front_text = plain(front)
    if not front_text:
        return None
    return Flashcard(front_text, plain(back), front[0][0], section, tuple(dict.fromkeys(tags)),
                     both_ways)
