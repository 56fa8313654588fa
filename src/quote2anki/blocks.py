"""A note's Markdown blocks as text: the walk's collector and each block's numbered lines.

The walk (:mod:`quote2anki.walker`) hands every kind of block to its handler; they all need the
same views of a markdown-it node: its text, its lines with file line numbers, a list item's own
lines apart from its sub-list, whether it carries an export's location. Those live here, with
:class:`Collector`, which gathers what the walk finds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.tree import SyntaxTreeNode

from .exports import CALLOUT, LABEL, has_location, property_line
from .flashcards import Line
from .model import Definition, Flashcard, Problem, Quote
from .sections import clean_heading

LISTS = ("bullet_list", "ordered_list")


@dataclass
class Collector:
    """What the walk of one note found so far, and where it is (file, line offset)."""

    path: str
    offset: int
    known_titles: frozenset[str] = frozenset()
    """Fingerprints of what the note is called elsewhere (frontmatter title, file name): an H1
    saying that is the book's title, never a section heading."""
    cards_note: bool = False
    """The note is tagged ``#flashcards``: its ``Front::Back`` lines are cards."""
    quotes: list[Quote] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    flashcards: list[Flashcard] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    first_h1: str = ""
    headings: int = 0
    byline: str = ""
    """An author named in a ``by Name`` line near the top (a document's byline)."""
    signals: Counter[str] = field(default_factory=Counter)
    """What the walk saw that says "book note": a quotes section, located highlights..."""
    open_highlight: bool = False
    """A located highlight (Kindle ``— location:``) was read and no ``---`` or heading has
    closed its block yet: a plain paragraph now is the reader's note on it."""
    signatures: Counter[str] = field(default_factory=Counter)
    """Who the quotes' signatures (``— Author``) name, and how often."""
    weread: bool = False
    """The note holds WeRead's ``◆`` entries (:mod:`quote2anki.weread`)."""
    weread_chapter: str = ""
    """The chapter WeRead's last chapter line named."""
    thought: list[str] | None = None
    """The lines of the WeRead thought being read, until its ``原文：`` line."""
    entry_start: int | None = None
    entry_place: str = ""
    """The page or location the stamp heading names, for the entry's highlight."""
    """Under a heading that is an e-reader's stamp (KOReader's ``### Page 12 @ 04 March 2023
    10:12 PM``), how many quotes there were when it opened: its first block is the highlight,
    every later one (after KOReader's ``---``) the reader's note on it."""

    def line(self, node: SyntaxTreeNode) -> int:
        return node.map[0] + self.offset if node.map else self.offset


def inline_text(node: SyntaxTreeNode) -> str:
    return "\n".join(child.content for child in node.children if child.type == "inline")


def _paragraphs(node: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    """Direct text-bearing children of a list item or block quote (fenced code included)."""
    for child in node.children:
        if child.type in ("paragraph", "html_block", "heading", "fence"):
            yield child


def block_text(node: SyntaxTreeNode) -> str:
    if node.type == "html_block":
        return node.content.strip()
    if node.type == "fence":
        # written back as a fence: highlights.split_fences finds it again, line breaks and all
        return f"{node.markup}{node.info}\n{node.content}{node.markup}"
    return inline_text(node)


def lines_of(node: SyntaxTreeNode, out: Collector) -> list[Line]:
    """A paragraph's (or heading's, or HTML block's) lines with their file line numbers."""
    start = out.line(node)
    return [(start + number, text) for number, text in enumerate(block_text(node).split("\n"))]


def item_lines(item: SyntaxTreeNode, out: Collector) -> list[Line]:
    """The lines of a list item's own text: its paragraphs and block quotes, not its sub-list."""
    lines: list[Line] = []
    for child in item.children:
        if child.type in ("paragraph", "html_block", "heading", "fence"):
            lines.extend(lines_of(child, out))  # a fence stays a fence: a code block quoted
        elif child.type == "blockquote":
            text = blockquote_text(child)[0]
            lines.extend((out.line(child) + n, t) for n, t in enumerate(text.split("\n")))
    return lines


def item_text(item: SyntaxTreeNode) -> str:
    return "\n".join(block_text(part) for part in item.children
                     if part.type in ("paragraph", "html_block", "heading", "fence"))


def sub_items(item: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    return [sub for child in item.children if child.type in LISTS for sub in child.children]


def sub_item_lines(item: SyntaxTreeNode, out: Collector, *, bullets: bool) -> list[Line]:
    """The lines of every sub-item below ``item``, in order; with ``bullets``, each sub-item's
    first line starts with its list mark (``•`` or its number), as the book printed it."""
    lines: list[Line] = []
    for child in item.children:
        if child.type not in LISTS:
            continue
        for number, sub in enumerate(child.children, start=_list_start(child)):
            own = item_lines(sub, out)
            if bullets and own:
                mark = f"{sub.info or number}." if child.type == "ordered_list" else "•"
                own[0] = (own[0][0], f"{mark} {own[0][1]}")
            lines.extend(own)
            lines.extend(sub_item_lines(sub, out, bullets=bullets))
    return lines


def _list_start(node: SyntaxTreeNode) -> int:
    start = node.attrs.get("start") if node.type == "ordered_list" else None
    return int(start) if isinstance(start, (int, str)) and str(start).isdigit() else 1


def joined_lines(lines: Sequence[Line]) -> str:
    return "\n".join(text for _, text in lines)


def is_located(item: SyntaxTreeNode) -> bool:
    """Whether a list item is a highlight with an export's location tail."""
    return has_location(joined_lines(_without_properties(item_text(item))))


def _without_properties(text: str) -> list[Line]:
    return [(0, line) for line in text.split("\n") if property_line(line) is None]


def groups_located(item: SyntaxTreeNode) -> bool:
    """Whether ``item`` only groups located highlights (Logseq's ``- New highlights added``).

    Every sub-item (but a ``Note:`` or ``Tags:`` one, which describes its parent even when it
    ends like a tail) must be a located highlight or such a group: a highlight whose own
    sub-list ends with the location (a list the book printed) is one highlight, not a group.
    """
    if is_located(item):
        return False
    subs = [sub for sub in sub_items(item) if not LABEL.match(item_text(sub))]
    return bool(subs) and all(is_located(sub) or groups_located(sub) for sub in subs)


def tail_below(item: SyntaxTreeNode) -> bool:
    """Whether the location tail of ``item`` ends its sub-list: the list is part of the
    highlight (Readwise puts the tail after the whole passage)."""
    subs = [sub for sub in sub_items(item) if not LABEL.match(item_text(sub))]
    if not subs:
        return False
    last = subs[-1]
    return is_located(last) or tail_below(last)


def blockquotes_in(node: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    """Block quotes anywhere inside ``node`` (in list items of the reader's notes, say)."""
    if node.type == "blockquote":
        yield node
        return
    for child in node.children:
        if child.type not in ("inline",):
            yield from blockquotes_in(child)


def blockquote_text(node: SyntaxTreeNode) -> tuple[str, str | None, str]:
    """A block quote's text, its callout type (None for a plain ``>`` quote) and title."""
    parts = []
    for child in node.children:
        if child.type == "blockquote":
            parts.append(blockquote_text(child)[0])
        elif child.type in LISTS:
            for number, item in enumerate(child.children, start=_list_start(child)):
                mark = f"{item.info or number}." if child.type == "ordered_list" else "•"
                parts.append(f"{mark} {item_text(item)}")
        else:
            parts.append(block_text(child))
    text = "\n".join(part for part in parts if part)
    callout = CALLOUT.match(text)
    if callout is None:
        return text, None, ""
    return text[callout.end():], callout["type"].lower(), clean_heading(callout["title"])


def in_fence(lines: Sequence[Line]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (the fences included)."""
    out: list[bool] = []
    fence = ""
    for _, text in lines:
        opening = _FENCE_LINE.match(text)
        if opening and (not fence or opening[1].startswith(fence)):
            out.append(True)
            fence = "" if fence else opening[1]
            continue
        out.append(bool(fence))
    return out


_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")
