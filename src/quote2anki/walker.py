"""Walking a note's Markdown blocks: which hold the book's highlights, which the reader's words.

This module owns markdown-it-py. It walks the CommonMark block tree (inline parsing is switched
off: we only need blocks and their line numbers) and collects highlights, the reader's own
flashcards, glossary lines, metadata and problems; :mod:`quote2anki.book` makes a
:class:`~quote2anki.model.Book` of them.

A block's text is handled as lines, each with its line number in the file, so that what does not
belong to a highlight can be taken off line by line: ``key:: value`` properties (Logseq's
``id::``), the reader's prompt above a highlight (``Explain the halting problem. #flashcard``),
``Q:``/``A:`` pairs, and the ``#tags`` that end a line (they become the quote's tags).

This module holds the walk itself (sections, headings, which handler a block goes to); the
handlers live in :mod:`~quote2anki.blocks` (a block's text as lines), :mod:`~quote2anki.items`
(list items and block quotes), :mod:`~quote2anki.highlight` (adding a quote and the reader's
note), :mod:`~quote2anki.owncards` (the reader's cards, ``key:: value`` lines) and
:mod:`~quote2anki.metalines` (metadata, bylines, glossary lines).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from . import clippings, weread
from .blocks import (
    LISTS,
    Collector,
    block_text,
    blockquotes_in,
    groups_located,
    inline_text,
    is_located,
    item_text,
    joined_lines,
    lines_of,
    sub_items,
    tail_below,
)
from .entries import entry_note, entry_stamp, read_clippings, stamped_block, weread_block
from .exports import LABEL, has_location, split_lead_page, split_places, split_tails
from .flashcards import Line
from .highlight import add_comment, add_lines, comment_block, describe_previous
from .items import add_blockquote, add_list_item
from .limits import MAX_TITLE
from .metalines import (
    add_glossary_line,
    byline_name,
    glossary_items,
    key_lines,
    metadata_block,
    read_byline,
    read_name_line,
)
from .model import Place, Problem
from .noise import BLOCK_COMMENT, FOOTNOTE_DEFINITION
from .owncards import add_cards, item_cards, take_properties
from .sections import (
    Kind,
    Section,
    clean_heading,
    exact_kind,
    heading_kind,
    is_chapter,
    section_kind,
)
from .tables import table_rows
from .text import fingerprint

_MD = MarkdownIt("commonmark").disable("inline")


def _walk(tree: SyntaxTreeNode, out: Collector) -> None:
    stack: list[Section] = []
    nodes = list(_flatten(tree.children))
    quoted = _quoted_runs(nodes)
    out.weread = any(node.type == "paragraph" and any(
        weread.entry(text) or weread.is_thought(text) for text in block_text(node).split("\n"))
        for node in nodes)
    if out.weread:
        out.signals["located"] += 1  # an export: its entries are highlights, wherever they are
    for index, node in enumerate(nodes):
        section = stack[-1] if stack else Section(0, "", "none")
        if node.type == "heading" and _setext_text(node, section, out):
            continue
        if node.type == "heading" and node.markup in ("-", "=") and section.kind == "quotes":
            # a short line over a rule among pasted quotes names a part of them; it cannot
            # end the highlights the way a heading of its level would
            title = clean_heading(inline_text(node))
            out.open_highlight = False
            while stack and stack[-1].level == _RULED:
                stack.pop()
            stack.append(Section(_RULED, title, heading_kind(title, "quotes")))
            continue
        if (node.type == "heading" and index and out.headings == 1
                and _names_book(nodes[index - 1], out)
                and (node.tag in ("h4", "h5", "h6") or byline_name(inline_text(node)))
                and read_name_line([(out.line(node), f"**{inline_text(node)}**")], out)):
            continue  # KOReader: "# Title" then "##### Author"; "### by Author"
        if node.type == "heading" and section.kind == "quotes" and _heading_quote(node, stack):
            add_lines(lines_of(node, out), section.label, out)  # "### A sentence of the book."
            out.open_highlight = False
            continue
        if node.type == "heading":
            _heading(node, stack, out)
            continue
        if out.entry_start is not None and node.type != "hr" and entry_note(node, out):
            continue
        if (out.weread and node.type == "paragraph"
                and section.kind in ("none", "quotes", "own")
                and weread_block(node, nodes[index + 1] if index + 1 < len(nodes) else None,
                                  section, out)):
            continue
        if (node.type == "paragraph" and index and out.headings == 1
                and _names_book(nodes[index - 1], out)
                and read_name_line(lines_of(node, out), out)):
            continue
        if node.type == "hr":
            out.open_highlight = False
        elif section.kind == "document":
            if node.type == "paragraph":  # the whole text of an article: only its byline
                read_byline(lines_of(node, out), out)
        elif section.kind == "quotes" and (part := _part_name(node)):
            # "**Chapter 2**" alone on a line among highlights names a part of them
            while stack and stack[-1].level == _RULED:
                stack.pop()
            stack.append(Section(_RULED, part, heading_kind(part, "quotes")))
            out.open_highlight = False
        elif section.kind == "quotes" and quoted[index] and node.type in ("paragraph", *LISTS):
            _reader_block(node, out)  # beside ``>`` highlights, plain text is the reader's
        elif section.kind == "quotes":
            count = len(out.quotes)
            _quote_block(node, section.label, out)
            if out.entry_start == count and len(out.quotes) > count and out.entry_place:
                last = out.quotes[-1]  # the page the stamp heading named
                place = Place(out.entry_place)
                if place not in last.places:
                    out.quotes[-1] = replace(last, places=(*last.places, place))
        elif section.kind == "note":
            comment_block(node, out)
        elif section.kind == "glossary":
            _glossary_block(node, section.label, out)
        elif section.kind == "metadata":
            metadata_block(node, out)
        else:
            _other_block(node, section, out)


def _names_book(node: SyntaxTreeNode, out: Collector) -> bool:
    """Whether ``node`` is the heading that names the book (its H1 title, or a heading saying
    what the note is called elsewhere)."""
    if node.type != "heading":
        return False
    title = clean_heading(inline_text(node))
    return fingerprint(title) in out.known_titles or bool(out.first_h1 and title == out.first_h1)


def _quoted_runs(nodes: Sequence[SyntaxTreeNode]) -> list[bool]:
    """For each block, whether the blocks between its headings quote the book with ``>`` and
    have no list: then a plain paragraph there is the reader's own word on the quote above."""
    flags: list[bool] = []
    start = 0
    for end in [*(i for i, node in enumerate(nodes) if node.type == "heading"), len(nodes)]:
        run = nodes[start:end]
        quoted = any(node.type == "blockquote" for node in run) and not any(
            node.type in LISTS for node in run)
        flags.extend([quoted] * (end - start))
        if end < len(nodes):
            flags.append(False)
        start = end + 1
    return flags[: len(nodes)]


def _reader_block(node: SyntaxTreeNode, out: Collector) -> None:
    """A paragraph beside ``>`` highlights: an export's located highlight, else the reader's
    note on the quote above it (or their introduction, before any)."""
    lines = lines_of(node, out) if node.type == "paragraph" else []
    if lines and has_location(joined_lines(lines)):
        out.open_highlight = add_lines(lines, "", out)
        return
    label = LABEL.match(joined_lines(lines)) if lines else None
    if label:  # "Note: ..." under a quote: the reader's note, without its label
        describe_previous(label, out)
        return
    if out.quotes:
        comment_block(node, out)


def _part_name(node: SyntaxTreeNode) -> str:
    """The title a paragraph gives when it is only a short bold line in title case or a chapter
    (``**Chapter 2**``, ``**The Long Tide**``): a part of the highlights, not a highlight."""
    if node.type != "paragraph":
        return ""
    match = _BOLD_LINE.match(inline_text(node))
    if match is None:
        return ""
    title = clean_heading(match["title"])
    words = title.split()
    if not words or len(words) > 8 or title[-1] in ".!?…。！？,;:":
        return ""
    if is_chapter(title) or all(len(word) <= 3 or not word[0].isalpha() or word[0].isupper()
                                for word in words):
        return title[:MAX_TITLE]
    return ""


_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<title>[^*_\n]{1,200})\1\s*$")


_RULED = 99
"""The level of a part named by a line over a rule: below every heading, ended by any."""


def _heading(node: SyntaxTreeNode, stack: list[Section], out: Collector) -> None:
    out.open_highlight = False
    out.entry_start = None
    level = int(node.tag[1:])
    title = clean_heading(inline_text(node))
    if out.headings and entry_stamp(title):
        # KOReader: "### Page 12 @ 04 March 2023 10:12 PM" heads one highlight of the chapter
        # above it, which stays the card's section
        out.headings += 1
        while stack and stack[-1].level >= level:
            stack.pop()
        chapter = stack[-1].label if stack else ""
        stack.append(Section(level, chapter, "quotes", len(out.quotes)))
        # Kindle's notebook: "### Note - Location 182" heads the reader's note on the last one
        out.entry_start = len(out.quotes) - 1 if clippings.is_note(title) else len(out.quotes)
        out.entry_place = clippings.place_of(title)
        out.signals["located"] += 1
        return
    is_title = (level == 1 and not out.first_h1 and out.headings == 0
                and not exact_kind(title) and not is_chapter(title))
    out.headings += 1
    passes_on = False
    sibling: Kind = "none"
    announces = False
    while stack and stack[-1].level >= level:
        popped = stack.pop()
        if popped.level == level:
            sibling = popped.kind
            announces = popped.kind == "quotes" and (popped.passes_on
                                                     or len(out.quotes) == popped.start)
    parent: Kind = stack[-1].kind if stack else "none"
    if is_title:
        out.first_h1 = title
        # The book's title announces nothing ("Key Concepts in Economics"), unless it is not
        # known as the title elsewhere and says "quotes" in so many words.
        known = fingerprint(title) in out.known_titles
        kind: Kind = "none" if known else (section_kind(title) or "none")
        if kind in ("glossary", "own", "metadata", "note", "document"):
            kind = "none"
    else:
        kind = heading_kind(title, parent)
        if kind == "none" and sibling == "quotes" and is_chapter(title):
            kind = "quotes"  # "## Highlights", then "## Chapter 2": the book's next chapter
        elif (kind == "none" and announces and parent in ("none", "quotes")
              and not _NOT_A_CHAPTER.search(title)):
            kind, passes_on = "quotes", True  # an empty "## Highlights", then its chapters
    if parent == "quotes" and kind in ("own", "document"):
        out.problems.append(Problem(out.path, out.line(node), "info",
                                    f"section {title[:60]!r} inside the highlights is read as "
                                    f"{_KIND_NAMES[kind]}: no cards from it"))
    out.signals[f"{kind} section"] += 1
    stack.append(Section(level, "" if is_title else title, kind, len(out.quotes), passes_on))


_NOT_A_CHAPTER = re.compile(
    r"(?<![\w-])(?:links?|references?|resources?|see also|backlinks?|connections?|further reading|"
    r"bibliography|sources?|tags?|to ?do|index|(?:table of )?contents|outline|info|cover|"
    r"characters|people|timeline|appendix)(?![\w-])", re.I)
"""Headings that follow an empty highlights heading without being chapters of the book."""


_KIND_NAMES: dict[Kind, str] = {
    "quotes": "highlights", "glossary": "a glossary", "own": "your own words",
    "metadata": "metadata", "note": "your notes on the highlight above",
    "document": "the document's full text", "none": "your own words"}


def _flatten(nodes: Iterable[SyntaxTreeNode]) -> Iterator[SyntaxTreeNode]:
    """Top-level blocks, with headings written as list items (``- ## Highlights``) lifted out.

    Some exports and linters put every block of a note in one bullet list; a bullet holding a
    heading still opens a section.
    """
    for node in nodes:
        if node.type not in LISTS or not any(_heading_item(item) for item in node.children):
            yield node
            continue
        run: list[SyntaxTreeNode] = []
        for item in node.children:
            if _heading_item(item):
                if run:
                    yield _list_of(node, run)
                    run = []
                yield from item.children
            else:
                run.append(item)
        if run:
            yield _list_of(node, run)


def _heading_item(item: SyntaxTreeNode) -> bool:
    return bool(item.children) and item.children[0].type == "heading"


def _list_of(node: SyntaxTreeNode, items: list[SyntaxTreeNode]) -> SyntaxTreeNode:
    part = copy.copy(node)
    part.children = items
    return part


def _setext_text(node: SyntaxTreeNode, section: Section, out: Collector) -> bool:
    """Handle a ``text`` + ``---`` "heading" that is really a highlight or a note; True if so.

    CommonMark reads a line followed by ``---`` (or ``===``) as a heading. In exports and in
    quotes pasted one after another the rule separates highlights, so a located line there is a
    highlight, a line inside an open highlight's block is the reader's note on it, and in a
    highlights section a line that reads as prose (a sentence, or eight words and more) is a
    highlight too; any other such line stays a heading.
    """
    if node.markup not in ("-", "=") or section.kind in ("own", "glossary", "metadata",
                                                          "document"):
        return False
    text = inline_text(node)
    if has_location(text):
        add_lines(lines_of(node, out), section.label, out)
    elif out.open_highlight and section.kind == "quotes":
        add_comment(text, out)
    elif section.kind == "quotes" and _prose(text):
        add_lines(lines_of(node, out), section.label, out)
    else:
        return False
    out.open_highlight = False
    return True


def _heading_quote(node: SyntaxTreeNode, stack: list[Section]) -> bool:
    """Whether a heading inside a highlights section (below its heading) is a highlight written
    as a heading: wrapped in quotation marks, or a sentence of eight words or more; a chapter's
    title (``### Why Do Keepers Stay?``) is neither."""
    level = int(node.tag[1:])
    if not any(section.kind == "quotes" and section.level < level for section in stack):
        return False
    text = clean_heading(inline_text(node))
    if exact_kind(text) or is_chapter(text):
        return False
    quoted = any(text.startswith(left) and text.endswith(right) and len(text.split()) >= 4
                 for left, right in _QUOTE_PAIRS[:5])
    words = text.split()
    sentence = len(words) >= 8 and text.rstrip("*_”\"’' ").endswith(
        (".", "!", "?", "…", "。", "！", "？"))
    return quoted or sentence


def _prose(text: str) -> bool:
    """Whether a would-be heading reads as a sentence rather than a title."""
    words = text.split()
    return len(words) >= 8 or (len(words) >= 4 and text.rstrip("*_”\"’' ").endswith(
        (".", "!", "?", "…", "。", "！", "？")))


def _quote_block(node: SyntaxTreeNode, section: str, out: Collector) -> None:
    if node.type in LISTS:
        if out.open_highlight and not any(is_located(item) or LABEL.match(item_text(item))
                                          for item in node.children):
            comment_block(node, out)  # a list in a Kindle note, under its highlight
            return
        for item in node.children:
            add_list_item(item, section, out)
    elif node.type in ("paragraph", "html_block"):
        lines = lines_of(node, out)
        if FOOTNOTE_DEFINITION.match(block_text(node)) or BLOCK_COMMENT.match(block_text(node)) \
                or block_text(node).strip().startswith("<!--"):
            return  # "[^1]: ...", "%% ... %%", "<!-- ... -->": the reader's, no highlight
        label = LABEL.match(block_text(node))
        if label and not has_location(block_text(node)):
            describe_previous(label, out)
            return
        rows = table_rows(lines) if node.type == "paragraph" else None
        if rows is not None:
            for number, text, note in rows:
                add_lines([(number, text)], section, out, [note] if note else [])
            return
        if node.type == "paragraph":
            lines = take_properties(lines, section, out)
        if not joined_lines(lines).strip():
            return
        groups = clippings.stamped_groups(lines)
        if groups is not None:
            stamped_block(groups, section, out)
            return
        if add_cards(lines, section, out):
            return
        if out.open_highlight and not has_location(joined_lines(lines)):
            add_comment(joined_lines(lines), out)
            return
        out.open_highlight = add_lines(lines, section, out)
    elif node.type == "blockquote":
        out.open_highlight = add_blockquote(node, section, out)
    elif node.type == "code_block":
        # text indented by four spaces is code to CommonMark, but among highlights it is a
        # highlight pasted with its indentation
        start = out.line(node)
        block: list[Line] = []
        for number, text in enumerate([*node.content.split("\n"), ""]):
            if text.strip():
                block.append((start + number, text.strip()))
            elif block:  # a blank line ends one highlight
                out.open_highlight = add_lines(block, section, out)
                block = []
    elif node.type == "fence" and node.content.strip():
        if out.open_highlight:
            add_comment(block_text(node), out)  # a code block in a Kindle note, under its highlight
        else:
            out.problems.append(Problem(out.path, out.line(node), "info",
                                        "a code block on its own is not a highlight; indent it "
                                        "under the highlight's bullet to keep it with the quote"))


def _other_block(node: SyntaxTreeNode, section: Section, out: Collector) -> None:
    """A block outside highlights: only an export's located highlight, a ``>`` quote and the
    reader's own flashcards come out of the reader's own words."""
    if node.type == "paragraph":
        lines = take_properties(lines_of(node, out), section.label, out)
        if section.kind == "none" and has_location(joined_lines(lines)):
            add_lines(lines, section.label, out)
        elif not (out.headings <= 1 and key_lines([text for _, text in lines], out)):
            add_cards(lines, section.label, out)
            read_byline(lines, out)
    elif node.type in LISTS:
        if out.headings <= 1 and key_lines([item_text(item) for item in node.children], out):
            return  # "- Author: Name" bullets at the top of a note: its metadata
        export = _export_top(section, out)
        for item in node.children:
            if section.kind in ("none", "own") and _names_quotes(item):
                # Logseq and outliners: "- Highlights" (no heading mark) over the highlights
                out.signals["quotes section"] += 1
                for child in item.children:
                    if child.type in LISTS:
                        _quote_block(child, section.label, out)
            elif section.kind == "none" and (export or is_located(item) or groups_located(item)
                                           or tail_below(item)
                                           or _quoted_item(item, italics=bool(section.title))
                                           or _cited_item(item)):
                add_list_item(item, section.label, out)
            elif (section.kind == "own" and section_kind(section.title) == "note"
                  and _cited_item(item)):
                # "## Notes" of a hand-made book note: a bullet the reader cited a page for is
                # a passage of the book; the others are the reader's own notes
                add_list_item(item, section.label, out)
            elif not glossary_items(item, section.label, out):
                item_cards(item, section.label, out)
    for quote in blockquotes_in(node):
        add_blockquote(quote, section.label, out)


def _quoted_item(item: SyntaxTreeNode, *, italics: bool = True) -> bool:
    """Whether a bullet outside any highlights section is, as a whole, a quotation: wrapped in
    quotation marks (``- “...”``, a page cited after it allowed) or in italics (``- *...*``),
    four words or more. Book notes that file highlights under chapter headings write them so.
    Italics count only under such a heading (``italics``): at the top of a note they are as
    often the reader's own aside.

    >>> def item(text):
    ...     return SyntaxTreeNode(_MD.parse(text)).children[0].children[0]
    >>> [_quoted_item(item(t)) for t in ["- “Fog teaches patience to the hurried.” (p. 4)",
    ...  "- *Salt keeps what the sea gives.*", "- I liked “Fog” a lot.", "- *Rating: 5*"]]
    [True, True, False, False]
    """
    text = split_tails(item_text(item).strip())[0].strip()
    if len(text.split()) < 4 or len(text) > 3000:
        return False
    for left, right in _QUOTE_PAIRS if italics else _QUOTE_PAIRS[:-2]:
        if text.startswith(left) and text.endswith(right) and left not in text[1:-1] \
                and right not in text[1:-1]:
            return True
    return False


def _cited_item(item: SyntaxTreeNode) -> bool:
    """Whether a bullet outside any highlights section cites the page it was copied from, before
    or after its text (``- p. 12: ...``, ``- (p. 40) ...``, ``- ... (p. 51)``), with six words
    or more of text: hand-made book notes mark their passages so, and a bare pointer
    (``- p. 63: formal languages``) is the reader's.

    >>> def item(text):
    ...     return SyntaxTreeNode(_MD.parse(text)).children[0].children[0]
    >>> [_cited_item(item(t)) for t in ["- p. 12: A tide table is a forecast of the sea level.",
    ...  "- The keel resists the sideways push of the wind (p. 40)", "- p. 63: formal languages",
    ...  "- Page 3 of the log is missing, as the keeper said."]]
    [True, True, False, False]
    """
    text = item_text(item).strip().split("\n")[0]
    rest, lead = split_lead_page(text)
    if lead is None:
        rest, places, _ = split_places(text)
        if not any(place.label.startswith("Page") for place in places):
            return False
    return len(split_tails(rest)[0].split()) >= 6


_QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("«", "»"), ("„", "“"), ("「", "」"), ("*", "*"),
                ("_", "_"))


def _names_quotes(item: SyntaxTreeNode) -> bool:
    """Whether a list item's own text is only the name of a highlights section
    (``- Highlights``, ``- **Quotes**``, ``- [[Highlights]]``) and it has a sub-list below."""
    text = item_text(item)
    return ("\n" not in text and len(text) <= 120 and bool(sub_items(item))
            and exact_kind(clean_heading(text).rstrip(":：")) == "quotes")


def _export_top(section: Section, out: Collector) -> bool:
    """Whether the top of the note, before any heading but its title, is an export's highlights:
    ``Full title:`` lines there (a Readwise template with no ``## Highlights`` heading, say)
    name the book it was exported from, so the bullets below them are its highlights."""
    return (section.kind == "none" and out.headings <= 1 and "full title" in out.meta
            and out.signals["metadata line"] > 0 and not out.signals["quotes section"])


def _glossary_block(node: SyntaxTreeNode, section: str, out: Collector) -> None:
    if node.type in LISTS:
        for item in node.children:
            lines = [block_text(part) for part in item.children
                     if part.type in ("paragraph", "html_block", "heading")]
            text = " ".join(lines)
            nested = [item_text(sub) for sub in sub_items(item)]
            add_glossary_line(text, nested, out.line(item), section, out)
    elif node.type == "paragraph":
        for number, line in enumerate(block_text(node).split("\n")):
            add_glossary_line(line, [], out.line(node) + number, section, out)
    elif node.type == "blockquote":
        add_blockquote(node, section, out)


def walk(body: str, path: str, offset: int, known_titles: Iterable[str] = (),
         cards_note: bool = False) -> Collector:
    """Everything the blocks of ``body`` hold; ``offset`` is the file line of its first line.

    ``known_titles`` are what the note is called elsewhere (its frontmatter title, its file
    name); ``cards_note`` says the note is tagged ``#flashcards``.
    """
    collector = Collector(path, offset, frozenset(fingerprint(t) for t in known_titles if t),
                           cards_note)
    lines = body.split("\n")
    first = clippings.start(lines)
    if first is not None:  # a pasted My Clippings.txt: the walk reads what comes before it
        body = "\n".join(lines[:first])
    if body:
        _walk(SyntaxTreeNode(_MD.parse(body)), collector)
    if first is not None:
        read_clippings(clippings.entries(lines, first, offset), collector)
    return collector
