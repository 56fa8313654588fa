"""A highlight written as a list item or a block quote, with whatever hangs below it.

Under a highlight's bullet may come the reader's note, ``Note:``/``Tags:`` labels, a question
on it, a group of located highlights, or the rest of the passage itself (a list the book
printed); this module tells them apart. Block quotes and quote callouts are read here too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from markdown_it.tree import SyntaxTreeNode

from .blocks import (
    Collector,
    block_text,
    blockquote_text,
    groups_located,
    item_lines,
    item_text,
    joined_lines,
    sub_item_lines,
    sub_items,
    tail_below,
)
from .exports import CALLOUT, LABEL, QUOTE_CALLOUTS, has_location, split_tails
from .flashcards import Line
from .highlight import add_lines, describe_previous
from .limits import MAX_TITLE
from .metalines import INFO_CALLOUTS, byline_name, glossary_definition, key_lines
from .model import Place
from .owncards import add_cards, is_card_item, item_cards, take_properties
from .reader import meta_tags
from .sections import clean_heading, exact_kind, is_chapter, section_kind
from .text import squash_spaces


def add_list_item(item: SyntaxTreeNode, section: str, out: Collector) -> None:
    raw = item_text(item)
    if raw.startswith(("**", "__")):
        # a highlight that is a glossary line ("**Projects:** Short-term efforts ...") also
        # defines its term
        glossary_definition(raw, out.line(item), section, out)
    own = take_properties(item_lines(item, out), section, out)
    text = joined_lines(own)
    located = has_location(text)
    label = LABEL.match(text) if own else None
    if label and not located:
        describe_previous(label, out)
        return
    if groups_located(item) or _names_part(text, item):
        heading = clean_heading(text)
        label_text = "" if exact_kind(heading) or section_kind(heading) else heading[:MAX_TITLE]
        for sub in sub_items(item):
            add_list_item(sub, label_text or section, out)
        return
    labelled: list[tuple[re.Match[str], SyntaxTreeNode]] = []
    plain: list[SyntaxTreeNode] = []
    for sub in sub_items(item):
        sub_label = LABEL.match(item_text(sub))
        if is_card_item(sub, out):
            item_cards(sub, section, out)  # the reader's question on the highlight above
        elif sub_label is None:
            plain.append(sub)
        else:
            labelled.append((sub_label, sub))
    blocks = {number: 0 for number, _ in own}
    sub_lines: list[Line] = []
    for index, sub in enumerate(plain, start=1):
        lines = take_properties(item_lines(sub, out) + sub_item_lines(sub, out, bullets=False),
                            section, out)
        blocks.update((number, index) for number, _ in lines)
        sub_lines.extend(lines)
    if add_cards(sorted(own + sub_lines), section, out, quote_answer=True, blocks=blocks):
        return
    comments: list[str] = []
    tags: list[str] = []
    continued = _continues(own, item, plain)
    body = list(own)
    if continued:
        body += take_properties(_marked_lines(plain, out), section, out)
    else:
        comments.extend(joined_lines(take_properties(item_lines(sub, out), section, out))
                        for sub in plain)
    for sub_label, sub in labelled:
        name = sub_label["label"].lower()
        if name.startswith(("note", "comment")):
            comments.append(sub_label["value"])
        elif name.startswith("tag"):
            tags.extend(meta_tags(sub_label["value"]))
        item_cards(sub, section, out)
    add_lines(body, section, out, comments, tags)


def _names_part(text: str, item: SyntaxTreeNode) -> bool:
    """Whether a bullet among highlights only names a part of the book for the bullets below it
    (``- Chapter 3`` or ``- Part Two: The Coast`` over its highlights; ``- The Long Tide`` over
    two or more): short, no sentence, and a chapter or in title case."""
    subs = [sub for sub in sub_items(item) if not LABEL.match(item_text(sub))]
    title = clean_heading(text)
    words = title.split()
    if not subs or not words or len(words) > 8 or title[-1] in ".!?…。！？,;" or "\n" in text:
        return False
    if is_chapter(title.rstrip(":")):
        return True
    return len(subs) >= 2 and all(len(word) <= 3 or not word[0].isalpha() or word[0].isupper()
                                  for word in words)


def _marked_lines(items: Sequence[SyntaxTreeNode], out: Collector) -> list[Line]:
    """Sub-items that are part of the highlight, each line starting with its list mark."""
    lines: list[Line] = []
    for number, sub in enumerate(items, start=1):
        own = item_lines(sub, out)
        if own:
            ordered = sub.markup in (".", ")")
            mark = f"{sub.info or number}." if ordered else "•"
            own[0] = (own[0][0], f"{mark} {own[0][1]}")
        lines.extend(own)
        lines.extend(sub_item_lines(sub, out, bullets=True))
    return lines


def _continues(own: Sequence[Line], item: SyntaxTreeNode, plain: Sequence[SyntaxTreeNode]
               ) -> bool:
    """Whether a highlight's sub-list is part of the passage rather than the reader's note.

    It is when the export's location comes after the list, when the text introduces it (ends
    with a colon), or when the outer ``*...*`` opened above closes in the list.
    """
    if not plain:
        return False
    text = split_tails(squash_spaces(joined_lines(own)))[0]
    if has_location(joined_lines(own)):
        return False
    if tail_below(item) or text.rstrip("*_ ").endswith((":", "：")):
        return True
    opened = text[:1] in ("*", "_") and not text.rstrip(".!?,;: ").endswith(text[:1])
    last = item_text(plain[-1]).rstrip(" .!?,;:")
    return opened and last.endswith(text[:1])


def _pdf_callout(node: SyntaxTreeNode, section: str, out: Collector) -> bool:
    """PDF++'s callout: its nested ``> >`` quote is the passage, its title's link names the
    page, and the paragraphs after the passage are the reader's comment."""
    out.signals["callout"] += 1
    lines: list[Line] = []
    remarks: list[str] = []
    page = None
    for child in node.children:
        if child.type == "blockquote":
            text = blockquote_text(child)[0]
            lines.extend((out.line(child) + n, t) for n, t in enumerate(text.split("\n")))
        elif child.type in ("paragraph", "html_block"):
            text = block_text(child)
            page = page or _PDF_PAGE.search(text.split("\n")[0])
            rest = CALLOUT.sub("", text, count=1) if text.startswith("[!") else text
            if lines and rest.strip():
                remarks.append(rest)
    if not lines:
        return False
    count = len(out.quotes)
    add_lines(lines, section, out, remarks)
    if page and len(out.quotes) > count:
        last = out.quotes[-1]
        out.quotes[-1] = replace(last, places=(*last.places, Place(f"Page {page['page']}")))
    return False


_PDF_PAGE = re.compile(r"\.pdf#(?:[^\s|\]]*&)?page=(?P<page>\d{1,5})\b", re.I)


def add_blockquote(node: SyntaxTreeNode, section: str, out: Collector) -> bool:
    """Add a ``>`` quote or quote callout; True when it carried an export's location."""
    text, callout, title = blockquote_text(node)
    if (callout is None and not out.quotes and out.headings <= 1 and not out.byline
            and "\n" not in text.strip() and (name := byline_name(text))):
        out.byline = name  # "> by Name" under the title: who wrote it, not a highlight
        return False
    if callout == "pdf" and any(child.type == "blockquote" for child in node.children):
        return _pdf_callout(node, section, out)
    if callout is None or callout in QUOTE_CALLOUTS:
        out.signals["callout" if callout else "blockquote"] += 1
        start = out.line(node)
        lines = [(start + n, t) for n, t in enumerate(text.split("\n"))]
        lines = take_properties(lines, section, out)
        if add_cards(lines, section, out, quote_answer=True):
            return False
        return add_lines(lines, title[:MAX_TITLE] or section, out)
    if callout in INFO_CALLOUTS:
        key_lines(text.split("\n"), out)  # > [!info] Author: Name ... : the book's metadata
    return False
