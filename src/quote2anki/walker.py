"""Walking a note's Markdown blocks: which hold the book's highlights, which the reader's words.

This module owns markdown-it-py. It walks the CommonMark block tree (inline parsing is switched
off: we only need blocks and their line numbers) and collects highlights, the reader's own
flashcards, glossary lines, metadata and problems; :mod:`quote2anki.book` makes a
:class:`~quote2anki.model.Book` of them.

A block's text is handled as lines, each with its line number in the file, so that what does not
belong to a highlight can be taken off line by line: ``key:: value`` properties (Logseq's
``id::``), the reader's prompt above a highlight (``Explain the halting problem. #flashcard``),
``Q:``/``A:`` pairs, and the ``#tags`` that end a line (they become the quote's tags).
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from .definitions import glossary_line, is_cross_reference, parse_glossary_line
from .exports import (
    CALLOUT,
    LABEL,
    QUOTE_CALLOUTS,
    has_location,
    is_stamp,
    property_line,
    split_places,
    split_tails,
)
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
from .highlights import clean_highlight, rich_text, strip_wrapper
from .inline import parse_inline, safe_url
from .limits import MAX_CHARS, MAX_TITLE, capped, long_enough
from .model import Definition, Flashcard, Place, Problem, Quote, Span
from .reader import meta_key, meta_tags
from .rich import join, pieces, protected
from .sections import Kind, Section, clean_heading, exact_kind, heading_kind, section_kind
from .text import fingerprint, squash_spaces

_MD = MarkdownIt("commonmark").disable("inline")
_LISTS = ("bullet_list", "ordered_list")

METADATA_KEYS = frozenset(
    "title, full title, author, authors, by, tags, tag, category, url, source, id, date, rating, "
    "status, genre, pages, published, type, aliases, alias, cover, isbn, document tags, deck, "
    "collapsed, created, updated, read, finished, started, format, publisher, year, series, "
    "link, asin, highlights, date finished, date started, date read, last highlighted".split(", "))
"""``key:: value`` keys that stay metadata even in a note of flashcards."""


@dataclass
class _Collector:
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

    def line(self, node: SyntaxTreeNode) -> int:
        return node.map[0] + self.offset if node.map else self.offset


def _walk(tree: SyntaxTreeNode, out: _Collector) -> None:
    stack: list[Section] = []
    nodes = list(_flatten(tree.children))
    quoted = _quoted_runs(nodes)
    for index, node in enumerate(nodes):
        section = stack[-1] if stack else Section(0, "", "none")
        if node.type == "heading" and _setext_text(node, section, out):
            continue
        if node.type == "heading" and node.markup in ("-", "=") and section.kind == "quotes":
            # a short line over a rule among pasted quotes names a part of them; it cannot
            # end the highlights the way a heading of its level would
            title = clean_heading(_inline(node))
            out.open_highlight = False
            while stack and stack[-1].level == _RULED:
                stack.pop()
            stack.append(Section(_RULED, title, heading_kind(title, "quotes")))
            continue
        if node.type == "heading":
            _heading(node, stack, out)
            continue
        if node.type == "hr":
            out.open_highlight = False
        elif section.kind == "document":
            if node.type == "paragraph":  # the whole text of an article: only its byline
                _byline(_lines_of(node, out), out)
        elif section.kind == "quotes" and quoted[index] and node.type in ("paragraph", *_LISTS):
            _reader_block(node, out)  # beside ``>`` highlights, plain text is the reader's
        elif section.kind == "quotes":
            _quote_block(node, section.label, out)
        elif section.kind == "note":
            _comment_block(node, out)
        elif section.kind == "glossary":
            _glossary_block(node, section.label, out)
        elif section.kind == "metadata":
            _metadata_block(node, out)
        else:
            _other_block(node, section, out)


def _quoted_runs(nodes: Sequence[SyntaxTreeNode]) -> list[bool]:
    """For each block, whether the blocks between its headings quote the book with ``>`` and
    have no list: then a plain paragraph there is the reader's own word on the quote above."""
    flags: list[bool] = []
    start = 0
    for end in [*(i for i, node in enumerate(nodes) if node.type == "heading"), len(nodes)]:
        run = nodes[start:end]
        quoted = any(node.type == "blockquote" for node in run) and not any(
            node.type in _LISTS for node in run)
        flags.extend([quoted] * (end - start))
        if end < len(nodes):
            flags.append(False)
        start = end + 1
    return flags[: len(nodes)]


def _reader_block(node: SyntaxTreeNode, out: _Collector) -> None:
    """A paragraph beside ``>`` highlights: an export's located highlight, else the reader's
    note on the quote above it (or their introduction, before any)."""
    lines = _lines_of(node, out) if node.type == "paragraph" else []
    if lines and has_location(_joined(lines)):
        out.open_highlight = _add_lines(lines, "", out)
        return
    if out.quotes:
        _comment_block(node, out)


_RULED = 99
"""The level of a part named by a line over a rule: below every heading, ended by any."""


def _heading(node: SyntaxTreeNode, stack: list[Section], out: _Collector) -> None:
    out.open_highlight = False
    level = int(node.tag[1:])
    title = clean_heading(_inline(node))
    is_title = (level == 1 and not out.first_h1 and out.headings == 0
                and not exact_kind(title))
    out.headings += 1
    while stack and stack[-1].level >= level:
        stack.pop()
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
    if parent == "quotes" and kind in ("own", "document"):
        out.problems.append(Problem(out.path, out.line(node), "info",
                                    f"section {title[:60]!r} inside the highlights is read as "
                                    f"{_KIND_NAMES[kind]}: no cards from it"))
    out.signals[f"{kind} section"] += 1
    stack.append(Section(level, "" if is_title else title, kind))


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
        if node.type not in _LISTS or not any(_heading_item(item) for item in node.children):
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


def _setext_text(node: SyntaxTreeNode, section: Section, out: _Collector) -> bool:
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
    text = _inline(node)
    if has_location(text):
        _add_lines(_lines_of(node, out), section.label, out)
    elif out.open_highlight and section.kind == "quotes":
        _comment(text, out)
    elif section.kind == "quotes" and _prose(text):
        _add_lines(_lines_of(node, out), section.label, out)
    else:
        return False
    out.open_highlight = False
    return True


def _prose(text: str) -> bool:
    """Whether a would-be heading reads as a sentence rather than a title."""
    words = text.split()
    return len(words) >= 8 or (len(words) >= 4 and text.rstrip("*_”\"’' ").endswith(
        (".", "!", "?", "…", "。", "！", "？")))


# --- text of blocks, as numbered lines ----------------------------------------------------------

def _inline(node: SyntaxTreeNode) -> str:
    return "\n".join(child.content for child in node.children if child.type == "inline")


def _paragraphs(node: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    """Direct text-bearing children of a list item or block quote (fenced code included)."""
    for child in node.children:
        if child.type in ("paragraph", "html_block", "heading", "fence"):
            yield child


def _text(node: SyntaxTreeNode) -> str:
    if node.type == "html_block":
        return node.content.strip()
    if node.type == "fence":
        # written back as a fence: inline.split_fences finds it again, line breaks and all
        return f"{node.markup}{node.info}\n{node.content}{node.markup}"
    return _inline(node)


def _lines_of(node: SyntaxTreeNode, out: _Collector) -> list[Line]:
    """A paragraph's (or heading's, or HTML block's) lines with their file line numbers."""
    start = out.line(node)
    return [(start + number, text) for number, text in enumerate(_text(node).split("\n"))]


def _item_lines(item: SyntaxTreeNode, out: _Collector) -> list[Line]:
    """The lines of a list item's own text: its paragraphs and block quotes, not its sub-list."""
    lines: list[Line] = []
    for child in item.children:
        if child.type in ("paragraph", "html_block", "heading", "fence"):
            lines.extend(_lines_of(child, out))  # a fence stays a fence: a code block quoted
        elif child.type == "blockquote":
            text = _blockquote_text(child)[0]
            lines.extend((out.line(child) + n, t) for n, t in enumerate(text.split("\n")))
    return lines


def _item_text(item: SyntaxTreeNode) -> str:
    return "\n".join(_text(part) for part in item.children
                     if part.type in ("paragraph", "html_block", "heading", "fence"))


def _sub_items(item: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    return [sub for child in item.children if child.type in _LISTS for sub in child.children]


def _sub_lines(item: SyntaxTreeNode, out: _Collector, *, bullets: bool) -> list[Line]:
    """The lines of every sub-item below ``item``, in order; with ``bullets``, each sub-item's
    first line starts with its list mark (``•`` or its number), as the book printed it."""
    lines: list[Line] = []
    for child in item.children:
        if child.type not in _LISTS:
            continue
        for number, sub in enumerate(child.children, start=_list_start(child)):
            own = _item_lines(sub, out)
            if bullets and own:
                mark = f"{sub.info or number}." if child.type == "ordered_list" else "•"
                own[0] = (own[0][0], f"{mark} {own[0][1]}")
            lines.extend(own)
            lines.extend(_sub_lines(sub, out, bullets=bullets))
    return lines


def _list_start(node: SyntaxTreeNode) -> int:
    start = node.attrs.get("start") if node.type == "ordered_list" else None
    return int(start) if isinstance(start, (int, str)) and str(start).isdigit() else 1


def _joined(lines: Sequence[Line]) -> str:
    return "\n".join(text for _, text in lines)


def _located(item: SyntaxTreeNode) -> bool:
    """Whether a list item is a highlight with an export's location tail."""
    return has_location(_joined(_without_properties(_item_text(item))))


def _without_properties(text: str) -> list[Line]:
    return [(0, line) for line in text.split("\n") if property_line(line) is None]


def _located_children(item: SyntaxTreeNode) -> bool:
    """Whether ``item`` only groups located highlights (Logseq's ``- New highlights added``).

    Every sub-item (but a ``Note:`` or ``Tags:`` one, which describes its parent even when it
    ends like a tail) must be a located highlight or such a group: a highlight whose own
    sub-list ends with the location (a list the book printed) is one highlight, not a group.
    """
    if _located(item):
        return False
    subs = [sub for sub in _sub_items(item) if not LABEL.match(_item_text(sub))]
    return bool(subs) and all(_located(sub) or _located_children(sub) for sub in subs)


def _tail_below(item: SyntaxTreeNode) -> bool:
    """Whether the location tail of ``item`` ends its sub-list: the list is part of the
    highlight (Readwise puts the tail after the whole passage)."""
    subs = [sub for sub in _sub_items(item) if not LABEL.match(_item_text(sub))]
    if not subs:
        return False
    last = subs[-1]
    return _located(last) or _tail_below(last)


# --- blocks in each kind of section -------------------------------------------------------------

def _quote_block(node: SyntaxTreeNode, section: str, out: _Collector) -> None:
    if node.type in _LISTS:
        if out.open_highlight and not any(_located(item) or LABEL.match(_item_text(item))
                                          for item in node.children):
            _comment_block(node, out)  # a list in a Kindle note, under its highlight
            return
        for item in node.children:
            _list_item(item, section, out)
    elif node.type in ("paragraph", "html_block"):
        lines = _lines_of(node, out)
        label = LABEL.match(_text(node))
        if label and not has_location(_text(node)):
            _describe_previous(label, out)
            return
        if node.type == "paragraph":
            lines = _properties(lines, section, out)
        if not _joined(lines).strip():
            return
        if _cards(lines, section, out):
            return
        if out.open_highlight and not has_location(_joined(lines)):
            _comment(_joined(lines), out)
            return
        out.open_highlight = _add_lines(lines, section, out)
    elif node.type == "blockquote":
        out.open_highlight = _add_blockquote(node, section, out)
    elif node.type == "code_block":
        # text indented by four spaces is code to CommonMark, but among highlights it is a
        # highlight pasted with its indentation
        start = out.line(node)
        block: list[Line] = []
        for number, text in enumerate([*node.content.split("\n"), ""]):
            if text.strip():
                block.append((start + number, text.strip()))
            elif block:  # a blank line ends one highlight
                out.open_highlight = _add_lines(block, section, out)
                block = []
    elif node.type == "fence" and node.content.strip():
        if out.open_highlight:
            _comment(_text(node), out)  # a code block in a Kindle note, under its highlight
        else:
            out.problems.append(Problem(out.path, out.line(node), "info",
                                        "a code block on its own is not a highlight; indent it "
                                        "under the highlight's bullet to keep it with the quote"))


def _other_block(node: SyntaxTreeNode, section: Section, out: _Collector) -> None:
    """A block outside highlights: only an export's located highlight, a ``>`` quote and the
    reader's own flashcards come out of the reader's own words."""
    if node.type == "paragraph":
        lines = _properties(_lines_of(node, out), section.label, out)
        if section.kind == "none" and has_location(_joined(lines)):
            _add_lines(lines, section.label, out)
        elif not (out.headings <= 1 and _key_lines([text for _, text in lines], out)):
            _cards(lines, section.label, out)
            _byline(lines, out)
    elif node.type in _LISTS:
        if out.headings <= 1 and _key_lines([_item_text(item) for item in node.children], out):
            return  # "- Author: Name" bullets at the top of a note: its metadata
        for item in node.children:
            if section.kind == "none" and (_located(item) or _located_children(item)
                                           or _tail_below(item)):
                _list_item(item, section.label, out)
            elif not _glossary_items(item, section.label, out):
                _item_cards(item, section.label, out)
    for quote in _blockquotes(node):
        _add_blockquote(quote, section.label, out)


def _glossary_items(item: SyntaxTreeNode, section: str, out: _Collector) -> bool:
    """Glossary lines among the reader's own bullets (``- **Term:** definition``), nested ones
    too; True when the item itself is one (its sub-items are looked at either way)."""
    found = _glossary_definition(_item_text(item), out.line(item), section, out)
    for sub in _sub_items(item):
        _glossary_items(sub, section, out)
    return found


def _glossary_definition(text: str, line: int, section: str, out: _Collector) -> bool:
    """A definition of a glossary line standing among other text (the reader's bullets, a
    highlight that is one); metadata and properties never count (see ``glossary_line``)."""
    found = glossary_line(text) if len(text) <= MAX_CHARS else None
    if found is None:
        return False
    term, definition, aliases = found
    # (no "glossary line" signal: a line like this among the reader's words does not make a
    # daily note a book note; only a glossary section does)
    out.definitions.append(Definition(term, definition, "", line, section, aliases))
    return True


def _item_cards(item: SyntaxTreeNode, section: str, out: _Collector) -> None:
    """The reader's flashcards in a list item of their own words (and in its sub-items)."""
    own = _properties(_item_lines(item, out), section, out)
    whole = sorted(own + _sub_lines(item, out, bullets=False))
    if own and _cards(whole, section, out):
        return
    for sub in _sub_items(item):
        _item_cards(sub, section, out)


def _is_card(item: SyntaxTreeNode, out: _Collector) -> bool:
    """Whether a sub-item is one of the reader's flashcards (``Q:``, ``Front::Back``, ``?``)."""
    lines = _item_lines(item, out)
    if not lines:
        return False
    if is_question_line(lines[0][1]) or separated_card(lines) is not None:
        return True
    found = inline_card(lines[0][1])
    return found is not None and ("?" in found[0] or found[2])


def _byline(lines: Sequence[Line], out: _Collector) -> None:
    """``by Name`` (or ``by [Name](url)``) alone on a line near the top: a document's author."""
    if out.byline or not lines or lines[0][0] - out.offset > 60:
        return
    for _, text in lines:
        match = _BYLINE.match(text)
        if match:
            name = squash_spaces(parse_inline(match["name"])[0])
            if 2 <= len(name) <= 80 and "@" not in name:
                out.byline = name
                return


_BYLINE = re.compile(r"^\s*(?:by|written by|von|por|par)\s+(?P<name>[^\n]{2,3000})$", re.I)


def _list_item(item: SyntaxTreeNode, section: str, out: _Collector) -> None:
    raw = _item_text(item)
    if raw.startswith(("**", "__")):
        # a highlight that is a glossary line ("**Projects:** Short-term efforts ...") also
        # defines its term
        _glossary_definition(raw, out.line(item), section, out)
    own = _properties(_item_lines(item, out), section, out)
    text = _joined(own)
    located = has_location(text)
    label = LABEL.match(text) if own else None
    if label and not located:
        _describe_previous(label, out)
        return
    if _located_children(item):
        heading = clean_heading(text)
        label_text = "" if exact_kind(heading) or section_kind(heading) else heading[:MAX_TITLE]
        for sub in _sub_items(item):
            _list_item(sub, label_text or section, out)
        return
    labelled: list[tuple[re.Match[str], SyntaxTreeNode]] = []
    plain: list[SyntaxTreeNode] = []
    for sub in _sub_items(item):
        sub_label = LABEL.match(_item_text(sub))
        if _is_card(sub, out):
            _item_cards(sub, section, out)  # the reader's question on the highlight above
        elif sub_label is None:
            plain.append(sub)
        else:
            labelled.append((sub_label, sub))
    blocks = {number: 0 for number, _ in own}
    sub_lines: list[Line] = []
    for index, sub in enumerate(plain, start=1):
        lines = _properties(_item_lines(sub, out) + _sub_lines(sub, out, bullets=False),
                            section, out)
        blocks.update((number, index) for number, _ in lines)
        sub_lines.extend(lines)
    if _cards(sorted(own + sub_lines), section, out, quote_answer=True, blocks=blocks):
        return
    comments: list[str] = []
    tags: list[str] = []
    continued = _continues(own, item, plain)
    body = list(own)
    if continued:
        body += _properties(_marked_lines(plain, out), section, out)
    else:
        comments.extend(_joined(_properties(_item_lines(sub, out), section, out))
                        for sub in plain)
    for sub_label, sub in labelled:
        name = sub_label["label"].lower()
        if name.startswith(("note", "comment")):
            comments.append(sub_label["value"])
        elif name.startswith("tag"):
            tags.extend(meta_tags(sub_label["value"]))
        _item_cards(sub, section, out)
    _add_lines(body, section, out, comments, tags)


def _marked_lines(items: Sequence[SyntaxTreeNode], out: _Collector) -> list[Line]:
    """Sub-items that are part of the highlight, each line starting with its list mark."""
    lines: list[Line] = []
    for number, sub in enumerate(items, start=1):
        own = _item_lines(sub, out)
        if own:
            ordered = sub.markup in (".", ")")
            mark = f"{sub.info or number}." if ordered else "•"
            own[0] = (own[0][0], f"{mark} {own[0][1]}")
        lines.extend(own)
        lines.extend(_sub_lines(sub, out, bullets=True))
    return lines


def _continues(own: Sequence[Line], item: SyntaxTreeNode, plain: Sequence[SyntaxTreeNode]
               ) -> bool:
    """Whether a highlight's sub-list is part of the passage rather than the reader's note.

    It is when the export's location comes after the list, when the text introduces it (ends
    with a colon), or when the outer ``*...*`` opened above closes in the list.
    """
    if not plain:
        return False
    text = split_tails(squash_spaces(_joined(own)))[0]
    if has_location(_joined(own)):
        return False
    if _tail_below(item) or text.rstrip("*_ ").endswith((":", "：")):
        return True
    opened = text[:1] in ("*", "_") and not text.rstrip(".!?,;: ").endswith(text[:1])
    last = _item_text(plain[-1]).rstrip(" .!?,;:")
    return opened and last.endswith(text[:1])


def _describe_previous(label: re.Match[str], out: _Collector) -> None:
    """A ``Note:`` or ``Tags:`` line standing after a highlight belongs to that highlight."""
    name = label["label"].lower()
    if out.quotes and name.startswith(("location", "loc", "page")):
        _add_place(name, label["value"], out)
        return
    if not name.startswith(("note", "comment", "tag")):
        return
    if not out.quotes:
        if label["value"].strip():
            out.problems.append(Problem(out.path, None, "warning",
                                        f"{label['label']}: line before any highlight; left out"))
        return
    last = out.quotes[-1]
    if name.startswith("tag"):
        tags = capped([*last.tags, *meta_tags(label["value"])], out.path, last.line,
                       out.problems)
        out.quotes[-1] = replace(last, tags=tuple(tags))
    else:
        _comment(label["value"], out)


_LABEL_LINK = re.compile(r"^\[(?P<text>[^\[\]\n]{1,40})\]\((?P<url>[^()\s]{1,2000})\)$")


def _add_place(name: str, value: str, out: _Collector) -> None:
    """A ``- Location: [260](kindle://...)`` or ``- Page: 12`` line under a highlight."""
    value = value.strip()
    link = _LABEL_LINK.match(value)
    text, url = (link["text"], link["url"]) if link else (value, "")
    if not text or len(text) > 40:
        return
    kind = "Page" if name.startswith("page") else "Location"
    url = safe_url(url) if url.lower().startswith(("http://", "https://", "kindle://")) else ""
    last = out.quotes[-1]
    place = Place(f"{kind} {squash_spaces(text)}", url)
    if place not in last.places:
        out.quotes[-1] = replace(last, places=(*last.places, place))


def _comment_block(node: SyntaxTreeNode, out: _Collector) -> None:
    """Text under a ``### Note`` heading inside a highlights section: the reader's own note."""
    if node.type in _LISTS:
        for item in node.children:
            _comment(_item_text(item), out)
    elif node.type in ("paragraph", "html_block"):
        _comment(_text(node), out)
    elif node.type == "blockquote":
        _comment(_blockquote_text(node)[0], out)
    elif node.type == "fence":
        _comment(_text(node), out)


def _comment(text: str, out: _Collector) -> None:
    if not text.strip():
        return
    if not out.quotes:
        out.problems.append(Problem(out.path, None, "warning",
                                    "a note stands before any highlight; left out"))
        return
    if len(text) > MAX_CHARS:
        out.problems.append(Problem(out.path, out.quotes[-1].line, "warning",
                                    f"note on this highlight is {len(text)} characters long, "
                                    f"more than {MAX_CHARS}; left off the card"))
        return
    words, spans = rich_text(text)
    if words or spans:
        last = out.quotes[-1]
        _refused(spans, last.line, out)
        joined, joined_spans = join([*pieces(last.comment, last.comment_spans),
                                     (words, spans)])
        out.quotes[-1] = replace(last, comment=joined, comment_spans=joined_spans)


def _blockquotes(node: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    """Block quotes anywhere inside ``node`` (in list items of the reader's notes, say)."""
    if node.type == "blockquote":
        yield node
        return
    for child in node.children:
        if child.type not in ("inline",):
            yield from _blockquotes(child)


def _blockquote_text(node: SyntaxTreeNode) -> tuple[str, str | None, str]:
    """A block quote's text, its callout type (None for a plain ``>`` quote) and title."""
    parts = []
    for child in node.children:
        if child.type == "blockquote":
            parts.append(_blockquote_text(child)[0])
        elif child.type in _LISTS:
            for number, item in enumerate(child.children, start=_list_start(child)):
                mark = f"{item.info or number}." if child.type == "ordered_list" else "•"
                parts.append(f"{mark} {_item_text(item)}")
        else:
            parts.append(_text(child))
    text = "\n".join(part for part in parts if part)
    callout = CALLOUT.match(text)
    if callout is None:
        return text, None, ""
    return text[callout.end():], callout["type"].lower(), clean_heading(callout["title"])


def _add_blockquote(node: SyntaxTreeNode, section: str, out: _Collector) -> bool:
    """Add a ``>`` quote or quote callout; True when it carried an export's location."""
    text, callout, title = _blockquote_text(node)
    if callout is None or callout in QUOTE_CALLOUTS:
        out.signals["callout" if callout else "blockquote"] += 1
        start = out.line(node)
        lines = [(start + n, t) for n, t in enumerate(text.split("\n"))]
        lines = _properties(lines, section, out)
        if _cards(lines, section, out, quote_answer=True):
            return False
        return _add_lines(lines, title[:MAX_TITLE] or section, out)
    if callout in _INFO_CALLOUTS:
        _key_lines(text.split("\n"), out)  # > [!info] Author: Name ... : the book's metadata
    return False


_INFO_CALLOUTS = frozenset({"info", "abstract", "summary", "tldr", "meta", "metadata", "note"})
_KEY_LINE = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<key>[^\W\d_][\w .-]{0,24}?)\s*"
                       r"(?:\*\*|__)?\s*[:：]{1,2}(?:\*\*|__)?\s*(?P<value>\S.{0,500})$")
_METADATA_WORDS = frozenset(
    "author, authors, by, title, full title, book title, subtitle, source, category, tags, url, "
    "link, isbn, published, publisher, rating, my rating, pages, genre, date, date read, status, "
    "type, year, series, translator, 作者, 著者, 书名, 書名, 出版社, 译者, 訳者".split(", "))


def _key_lines(lines: Sequence[str], out: _Collector) -> bool:
    """``Key: value`` lines at the top of a note (``**Author:** Name``, ``Tags: #books``) or in
    an info callout: metadata, when every non-empty line is one and a key says author, title,
    source or the like. True if they were read as such."""
    pairs: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            continue
        match = _KEY_LINE.match(line.rstrip().rstrip("\\").rstrip())
        if match is None:
            return False
        pairs.append((meta_key(match["key"].strip("*_ ")), match["value"].strip().rstrip("\\")))
    if not pairs or not any(key in _METADATA_WORDS for key, _ in pairs):
        return False
    for key, value in pairs:
        key = _KEY_ALIASES.get(key, key)
        if value.strip("*_ "):
            out.meta.setdefault(key, value.strip().strip("*_").strip())
            out.signals["metadata line"] += 1
    return True


_KEY_ALIASES = {"作者": "author", "著者": "author", "书名": "title", "書名": "title",
                "book title": "title"}


# --- the reader's own flashcards ----------------------------------------------------------------

def _cards(lines: Sequence[Line], section: str, out: _Collector, *, quote_answer: bool = False,
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
                _add_lines(back, section, out, tags=tags)
            else:
                _add_lines(front, section, out, tags=tags + answer_tags)
        return True
    return False


def _add_card(found: Flashcard | None, out: _Collector) -> None:
    if found is None:
        return
    if len(found.front) + len(found.back) > MAX_CHARS:
        out.problems.append(Problem(out.path, found.line, "warning",
                                    f"flashcard is more than {MAX_CHARS} characters long; "
                                    "skipped"))
        return
    out.flashcards.append(found)


def _fenced(lines: Sequence[Line]) -> list[bool]:
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


def _properties(lines: Sequence[Line], section: str, out: _Collector) -> list[Line]:
    """``lines`` without their ``key:: value`` lines, which go to the book's metadata (or, in a
    note of flashcards, or with a question for a key, become the reader's cards); code in a
    fenced block (``std::vector``) stays."""
    kept: list[Line] = []
    for (number, text), code in zip(lines, _fenced(lines), strict=True):
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


# --- adding a highlight -------------------------------------------------------------------------

def _add_lines(
    lines: Sequence[Line],
    section: str,
    out: _Collector,
    comments: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> bool:
    """Add the highlight these lines hold; True when it ended with an export's location.

    The ``#tags`` ending a line become the quote's tags; the quote's line is where its text
    starts.
    """
    fenced = _fenced(lines)
    lines = [line for line, code in zip(lines, fenced, strict=True)
             if code or not is_stamp(line[1])]
    fenced = _fenced(lines)
    text, places, located = split_places(_joined(lines).strip())
    kept: list[str] = []
    found_tags = list(tags)
    for line, code in zip(text.split("\n"), fenced, strict=False):
        if code:
            kept.append(line)  # code is code: "#include" is no tag
            continue
        rest, line_tags = split_hashtags(line)
        found_tags.extend(line_tags)
        kept.append(rest)
    start = next((number for number, text in lines if text.strip()), out.offset)
    added = _add_quote("\n".join(kept), start, section, out, list(comments), found_tags,
                       places)
    if located:
        out.signals["located"] += 1
    return located or added


def _add_quote(
    raw: str,
    line: int,
    section: str,
    out: _Collector,
    comments: list[str] | None = None,
    tags: list[str] | None = None,
    places: tuple[Place, ...] = (),
) -> bool:
    """Add one highlight; True when it ended with an export's location (Kindle, Readwise).
    ``places`` are what export tails already taken off said (its page, its location)."""
    if len(raw) > MAX_CHARS:
        out.problems.append(Problem(out.path, line, "warning",
                                    f"highlight is {len(raw)} characters long, more than "
                                    f"{MAX_CHARS}: too long for a card; skipped. Keep the "
                                    "passage worth remembering"))
        return False
    text, marks, spans, own_places, located = clean_highlight(raw)
    places = tuple(dict.fromkeys((*places, *own_places)))
    if not text:
        return located
    marked = any(c.strip() for c in comments or ()) or bool(tags)
    if not long_enough(text) and not (marked and any(char.isalnum() for char in text)):
        # a fragment (a heading, a word) is kept only when the reader said what it is for:
        # a note on it (a vocabulary word and its translation) or a tag (#flashcard)
        out.problems.append(Problem(out.path, line, "warning",
                                    f"highlight {text[:80]!r} is too short for a useful card; "
                                    "skipped"))
        return located
    kept = protected(spans)
    if not marks and not _has_word_outside(text, kept):
        out.problems.append(Problem(out.path, line, "warning",
                                    "highlight is all code or formulas, which are never hidden "
                                    "unless you mark them: mark what to hide with ==...==; "
                                    "skipped"))
        return located
    _refused(spans, line, out)
    notes = [c for c in comments or () if c.strip()]
    if sum(len(c) for c in notes) > MAX_CHARS:
        out.problems.append(Problem(out.path, line, "warning",
                                    f"note on this highlight is more than {MAX_CHARS} "
                                    "characters long; left off the card"))
        notes = []
    comment, comment_spans = join(rich_text(c) for c in notes)
    _refused(comment_spans, line, out)
    kept_tags = capped(list(tags or ()), out.path, line, out.problems)
    out.quotes.append(Quote(text, line, section, marks, comment, tuple(kept_tags), spans=spans,
                            protected=kept, comment_spans=comment_spans, places=places))
    return located


def _refused(spans: tuple[Span, ...], line: int, out: _Collector) -> None:
    """A warning for each formula that was refused (shown as text, see quote2anki.mathjax)."""
    for span in spans:
        if span.kind == "refused":
            out.problems.append(Problem(out.path, line, "warning",
                                        f"formula uses {span.label}, which could run code or "
                                        "change the page in Anki; shown as text, not typeset"))


def _has_word_outside(text: str, kept: tuple[tuple[int, int], ...]) -> bool:
    """Whether a letter or digit of ``text`` lies outside the protected stretches."""
    position = 0
    for start, end in kept:
        if any(char.isalnum() for char in text[position:start]):
            return True
        position = max(position, end)
    return any(char.isalnum() for char in text[position:])


# --- glossaries and metadata --------------------------------------------------------------------

def _glossary_block(node: SyntaxTreeNode, section: str, out: _Collector) -> None:
    if node.type in _LISTS:
        for item in node.children:
            lines = [_text(part) for part in item.children
                     if part.type in ("paragraph", "html_block", "heading")]
            text = " ".join(lines)
            nested = [_item_text(sub) for sub in _sub_items(item)]
            _add_glossary_line(text, nested, out.line(item), section, out)
    elif node.type == "paragraph":
        for number, line in enumerate(_text(node).split("\n")):
            _add_glossary_line(line, [], out.line(node) + number, section, out)
    elif node.type == "blockquote":
        _add_blockquote(node, section, out)


def _add_glossary_line(
    raw: str, nested: list[str], line: int, section: str, out: _Collector
) -> None:
    if not raw.strip() or is_cross_reference(raw):
        return  # "See also: [[Evidence]]" points elsewhere; it defines nothing
    pair = property_line(raw)
    if pair is not None and glossary_line(raw) is None:
        out.meta.setdefault(meta_key(pair[0]), pair[1])
        return  # a Logseq property ("id:: 64f1...", "deck:: Books") is metadata, not a term
    if len(raw) + sum(len(part) for part in nested) > MAX_CHARS:
        out.problems.append(Problem(out.path, line, "warning",
                                    f"glossary entry is more than {MAX_CHARS} characters long: "
                                    "too long for a card; skipped"))
        return
    found = parse_glossary_line(raw)
    if found is None and nested:
        term = squash_spaces(parse_inline(strip_wrapper(raw))[0]).rstrip(":")
        definition = squash_spaces(parse_inline(" ".join(nested))[0])
        found = (term, definition, ()) if term and definition else None
    if found is None:
        out.problems.append(Problem(out.path, line, "warning",
                                    "not a glossary line; write it as 'Term: definition', "
                                    "'**Term**: definition' or 'Term — definition'"))
        return
    term, definition, aliases = found
    out.signals["glossary line"] += 1
    # a glossary line is its own context: the card's back has nothing more to show
    out.definitions.append(Definition(term, definition, "", line, section, aliases))


def _metadata_block(node: SyntaxTreeNode, out: _Collector) -> None:
    """A ``## Metadata`` section: Readwise's ``- Author: [[Name]]`` and ``- Category: #books``,
    Dataview's ``- Author:: Name``, or the Kindle plugin's table ``| **Author** | [Name](url) |``.
    """
    items = node.children if node.type in _LISTS else [node]
    for item in items:
        text = _item_text(item) if item.type == "list_item" else _text(item)
        for line in text.split("\n"):
            if line.lstrip().startswith("|"):
                key, _, value = line.strip().strip("|").partition("|")
            else:
                key, sep, value = line.partition(":")
                if not sep:
                    continue
                value = value.lstrip(":")
            key = meta_key(key.strip().strip("*_ "))
            value = value.strip().strip("|").strip()
            if key and value and key.strip("-: "):
                out.meta.setdefault(key, value)
                out.signals["metadata line"] += 1


def walk(body: str, path: str, offset: int, known_titles: Iterable[str] = (),
         cards_note: bool = False) -> _Collector:
    """Everything the blocks of ``body`` hold; ``offset`` is the file line of its first line.

    ``known_titles`` are what the note is called elsewhere (its frontmatter title, its file
    name); ``cards_note`` says the note is tagged ``#flashcards``.
    """
    collector = _Collector(path, offset, frozenset(fingerprint(t) for t in known_titles if t),
                           cards_note)
    if body:
        _walk(SyntaxTreeNode(_MD.parse(body)), collector)
    return collector
