"""Handlers for the blocks of e-reader and app exports that the walk meets: WeRead's text,
KOReader's and Kindle's stamped entries, a pasted ``My Clippings.txt``.

Each reads one block (or the clippings at a note's end) into the :class:`Collector`, the way
:mod:`quote2anki.items` reads list items; the shapes themselves are described by the pure
helpers of :mod:`quote2anki.weread` and :mod:`quote2anki.clippings`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from markdown_it.tree import SyntaxTreeNode

from . import clippings, weread
from .blocks import Collector, block_text, joined_lines, lines_of
from .exports import LABEL, is_stamp
from .flashcards import Line
from .highlight import add_comment, add_lines
from .limits import MAX_TITLE
from .model import Place
from .sections import Section


def weread_block(node: SyntaxTreeNode, after: SyntaxTreeNode | None, section: Section,
                  out: Collector) -> bool:
    """A paragraph of WeRead's export: its title, author, chapter lines, ``◆`` highlights and
    the reader's thoughts with the ``原文：`` they were written on; True if it was one."""
    lines = lines_of(node, out)
    texts = [text for _, text in lines]
    if (name := weread.author_lines(texts)) and not out.quotes:
        out.byline = out.byline or name
        return True
    if len(texts) == 1 and (title := weread.title_line(texts[0])):
        if not out.first_h1 and not out.quotes:
            out.first_h1 = title
        return True
    if (len(texts) == 1 and section.kind != "own" and weread.chapter_line(texts[0])
            and out.thought is None and weread.plain(texts[0])):
        out.weread_chapter = texts[0].strip()
        return True
    read = False
    for position, (number, text) in enumerate(lines):
        label = out.weread_chapter or section.label
        if weread.is_noise(text):
            read = True
        elif weread.is_thought(text):
            out.thought = []
            read = True
        elif (found := weread.original(text)) is not None and out.thought is not None:
            add_lines([(number, found)], label, out, ["\n".join(out.thought)])
            out.thought = None
            read = True
        elif out.thought is not None:
            out.thought.append(text.strip())
            read = True
        elif (found := weread.entry(text)) is not None:
            last = position == len(lines) - 1
            if last and after is not None and after.type == "blockquote":
                out.weread_chapter = found  # older exports: "◆ chapter" over ">> highlights"
            else:
                add_lines([(number, found)], label, out)
            read = True
    return read


def entry_note(node: SyntaxTreeNode, out: Collector) -> bool:
    """Handle a block under an e-reader's stamp heading once its highlight is read: the
    reader's note on it, or KOReader's ``[View in book](file://...)`` link; True if so."""
    text = block_text(node) if node.type in ("paragraph", "html_block") else ""
    if _BOOK_LINK.fullmatch(text.strip()):
        return True
    if out.entry_start is None or len(out.quotes) <= out.entry_start or not text.strip():
        return False
    add_comment(text, out)
    return True


_BOOK_LINK = re.compile(r"\[[^\]\n]{1,60}\]\(<?file://[^\n]*\)")


def stamped_block(groups: Sequence[tuple[str, list[Line]]], section: str,
                   out: Collector) -> None:
    """Highlights a block holds between e-reader stamps: each its own, with the stamp's place,
    and a ``Note:`` line among its lines as the reader's note."""
    for stamp, group in groups:
        passage: list[Line] = []
        notes: list[str] = []
        for number, text in group:
            label = LABEL.match(text)
            if label and label["label"].lower().startswith(("note", "comment")):
                notes.append(label["value"])
            elif not (label and passage):
                passage.append((number, text))
        count = len(out.quotes)
        add_lines(passage, section, out, notes)
        place = clippings.place_of(stamp)
        if place and len(out.quotes) > count:
            last = out.quotes[-1]
            out.quotes[-1] = replace(last, places=(*last.places, Place(place)))
    out.signals["located"] += 1
    out.open_highlight = False


def read_clippings(entries: Sequence[clippings.Entry], out: Collector) -> None:
    title, author = clippings.book_of(entries)
    out.first_h1 = out.first_h1 or title[:MAX_TITLE]
    out.byline = out.byline or author
    out.signals["located"] += 1
    for entry in entries:
        if entry.kind == "note" and out.quotes:
            add_comment(joined_lines(entry.lines), out)
        elif entry.kind in ("highlight", "clip", "clipping") and entry.lines:
            count = len(out.quotes)
            add_lines(entry.lines, "", out)
            if len(out.quotes) > count and entry.place:
                last = out.quotes[-1]
                out.quotes[-1] = replace(last, places=(*last.places, Place(entry.place)))


def entry_stamp(title: str) -> bool:
    """Whether a heading is an e-reader's stamp over one highlight (``Page 12 @ 04 March 2023``,
    ``Highlight (yellow) - Location 180``), not a bare ``Page 12`` over the reader's words.

    >>> [entry_stamp(t) for t in ["Page 12 @ 04 March 2023 10:12 PM", "Note - Location 182",
    ...                            "Page 12", "Chapter 3"]]
    [True, True, False, False]
    """
    return is_stamp(title) and bool(_ENTRY_WORDS.search(title))


_ENTRY_WORDS = re.compile(r"@|\||·|highlight|note|location|added|\d{4}", re.I)
