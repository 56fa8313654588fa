"""Walking a note's Markdown blocks: which hold the book's highlights, which the reader's words.

This module owns markdown-it-py. It walks the CommonMark block tree (inline parsing is switched
off: we only need blocks and their line numbers) and collects highlights, glossary lines,
metadata and problems; :mod:`quote2anki.book` makes a :class:`~quote2anki.model.Book` of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from .definitions import is_cross_reference, parse_glossary_line
from .exports import (
    CALLOUT,
    LABEL,
    QUOTE_CALLOUTS,
    has_location,
    split_properties,
    without_properties,
)
from .inline import clean_highlight, parse_inline, rich_text, safe_url, strip_wrapper
from .limits import MAX_CHARS, MAX_TITLE, MIN_WORDS, capped
from .model import Definition, Place, Problem, Quote, Span
from .reader import meta_key, meta_tags
from .rich import join, pieces, protected
from .sections import Kind, Section, clean_heading, section_kind
from .text import squash_spaces

_MD = MarkdownIt("commonmark").disable("inline")


@dataclass
class _Collector:
    path: str
    offset: int
    quotes: list[Quote] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    first_h1: str = ""
    open_highlight: bool = False
    """A located highlight (Kindle ``— location:``) was read and no ``---`` or heading has
    closed its block yet: a plain paragraph now is the reader's note on it."""

    def line(self, node: SyntaxTreeNode) -> int:
        return node.map[0] + self.offset if node.map else self.offset




def _walk(tree: SyntaxTreeNode, out: _Collector) -> None:
    stack: list[Section] = []
    for node in tree.children:
        section = stack[-1] if stack else Section(0, "", "none")
        if node.type == "heading" and _setext_text(node, section, out):
            continue
        if node.type == "heading":
            out.open_highlight = False
            level = int(node.tag[1:])
            title = clean_heading(_inline(node))
            is_title = level == 1 and not out.first_h1
            if is_title:
                out.first_h1 = title
            while stack and stack[-1].level >= level:
                stack.pop()
            parent: Kind = stack[-1].kind if stack else "none"
            kind = section_kind(title) or parent
            if kind == "note" and parent != "quotes":
                kind = "own"
            stack.append(Section(level, "" if is_title else title, kind))
            continue
        if node.type == "hr":
            out.open_highlight = False
        elif section.kind == "quotes":
            _quote_block(node, section.label, out)
        elif section.kind == "note":
            _comment_block(node, out)
        elif section.kind == "glossary":
            _glossary_block(node, section.label, out)
        elif section.kind == "metadata":
            _metadata_block(node, out)
        else:
            if node.type == "paragraph":
                text = _strip_properties(_text(node), out)
                if section.kind == "none" and has_location(text):
                    _add_quote(text, out.line(node), section.label, out)
            elif node.type in ("bullet_list", "ordered_list") and section.kind == "none":
                for item in node.children:
                    if _located(item) or _located_children(item):
                        _list_item(item, section.label, out)
            for quote in _blockquotes(node):
                _add_blockquote(quote, section.label, out)


def _setext_text(node: SyntaxTreeNode, section: Section, out: _Collector) -> bool:
    """Handle a ``text`` + ``---`` "heading" that is really a highlight or a note; True if so.

    CommonMark reads a line followed by ``---`` as a heading. In exports the ``---`` separates
    highlights, so a located line there is a highlight, and a line inside an open highlight's
    block is the reader's note on it; any other such line stays a heading.
    """
    if node.markup not in ("-", "=") or section.kind in ("own", "glossary", "metadata"):
        return False
    text = _inline(node)
    if has_location(text):
        _add_quote(text, out.line(node), section.label, out)
    elif out.open_highlight and section.kind == "quotes":
        _comment(text, out)
    else:
        return False
    out.open_highlight = False
    return True


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


def _item_text(item: SyntaxTreeNode) -> str:
    return "\n".join(_text(part) for part in _paragraphs(item))


def _sub_items(item: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    return [sub for child in item.children if child.type in ("bullet_list", "ordered_list")
            for sub in child.children]


def _located(item: SyntaxTreeNode) -> bool:
    """Whether a list item is a highlight with an export's location tail."""
    return has_location(without_properties(_item_text(item)))


def _located_children(item: SyntaxTreeNode) -> bool:
    """Whether ``item`` only groups located highlights (Logseq's ``- New highlights added``).

    A ``Note:`` or ``Tags:`` sub-bullet describes its parent even when it ends like a tail.
    """
    return not _located(item) and any(
        not LABEL.match(_item_text(sub)) and (_located(sub) or _located_children(sub))
        for sub in _sub_items(item))


def _quote_block(node: SyntaxTreeNode, section: str, out: _Collector) -> None:
    if node.type in ("bullet_list", "ordered_list"):
        if out.open_highlight and not any(_located(item) or LABEL.match(_item_text(item))
                                          for item in node.children):
            _comment_block(node, out)  # a list in a Kindle note, under its highlight
            return
        for item in node.children:
            _list_item(item, section, out)
    elif node.type in ("paragraph", "html_block"):
        text = _text(node)
        label = LABEL.match(text)
        if label:
            _describe_previous(label, node, out)
            return
        text = _strip_properties(text, out) if node.type == "paragraph" else text
        if not text.strip():
            return
        if out.open_highlight and not has_location(text):
            _comment(text, out)
            return
        out.open_highlight = _add_quote(text, out.line(node), section, out)
    elif node.type == "blockquote":
        out.open_highlight = _add_blockquote(node, section, out)
    elif node.type == "fence":
        if out.open_highlight:
            _comment(_text(node), out)  # a code block in a Kindle note, under its highlight
        else:
            out.problems.append(Problem(out.path, out.line(node), "info",
                                        "a code block on its own is not a highlight; indent it "
                                        "under the highlight's bullet to keep it with the quote"))


def _list_item(item: SyntaxTreeNode, section: str, out: _Collector) -> None:
    parts = [_text(child) for child in _paragraphs(item)]
    parts += [_blockquote_text(child)[0] for child in item.children if child.type == "blockquote"]
    text = "\n".join(part for part in parts if part)
    label = LABEL.match(text)
    if label:
        _describe_previous(label, item, out)
        return
    if _located_children(item):
        heading = clean_heading(text)
        label_text = "" if section_kind(heading) else heading[:MAX_TITLE]
        for sub in _sub_items(item):
            _list_item(sub, label_text or section, out)
        return
    comments: list[str] = []
    tags: list[str] = []
    for sub in _sub_items(item):
        sub_text = _item_text(sub)
        sub_label = LABEL.match(sub_text)
        if sub_label is None:
            comments.append(sub_text)
        elif sub_label["label"].lower().startswith(("note", "comment")):
            comments.append(sub_label["value"])
        elif sub_label["label"].lower().startswith("tag"):
            tags.extend(meta_tags(sub_label["value"]))
    _add_quote(_strip_properties(text, out), out.line(item), section, out, comments, tags)


def _describe_previous(label: re.Match[str], node: SyntaxTreeNode, out: _Collector) -> None:
    """A ``Note:`` or ``Tags:`` line standing after a highlight belongs to that highlight."""
    name = label["label"].lower()
    if out.quotes and name.startswith(("location", "loc", "page")):
        _add_place(name, label["value"], out)
        return
    if not out.quotes or not name.startswith(("note", "comment", "tag")):
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
    if node.type in ("bullet_list", "ordered_list"):
        for item in node.children:
            _comment(_item_text(item), out)
    elif node.type in ("paragraph", "html_block"):
        _comment(_text(node), out)
    elif node.type == "blockquote":
        _comment(_blockquote_text(node)[0], out)
    elif node.type == "fence":
        _comment(_text(node), out)


def _comment(text: str, out: _Collector) -> None:
    if not out.quotes or not text.strip():
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
        elif child.type in ("bullet_list", "ordered_list"):
            parts.extend(_item_text(item) for item in child.children)
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
        return _add_quote(text, out.line(node), title[:MAX_TITLE] or section, out)
    return False


def _add_quote(
    raw: str,
    line: int,
    section: str,
    out: _Collector,
    comments: list[str] | None = None,
    tags: list[str] | None = None,
) -> bool:
    """Add one highlight; True when it ended with an export's location (Kindle, Readwise)."""
    if len(raw) > MAX_CHARS:
        out.problems.append(Problem(out.path, line, "warning",
                                    f"highlight is {len(raw)} characters long, more than "
                                    f"{MAX_CHARS}: too long for a card; skipped. Keep the "
                                    "passage worth remembering"))
        return False
    text, marks, spans, places, located = clean_highlight(raw)
    if not text:
        return located
    words = sum(1 for word in text.split() if any(char.isalnum() for char in word))
    if words < MIN_WORDS:
        out.problems.append(Problem(out.path, line, "warning",
                                    f"highlight {text!r} is too short for a useful card; skipped"))
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





def _strip_properties(text: str, out: _Collector) -> str:
    """Logseq/Dataview ``key:: value`` lines go to the book's metadata; the rest is returned."""
    text, pairs = split_properties(text)
    for key, value in pairs:
        out.meta.setdefault(meta_key(key), value)
    return text


def _glossary_block(node: SyntaxTreeNode, section: str, out: _Collector) -> None:
    if node.type in ("bullet_list", "ordered_list"):
        for item in node.children:
            lines = [_text(part) for part in _paragraphs(item) if part.type != "fence"]
            text = " ".join(lines)
            nested = [
                "\n".join(_text(p) for p in _paragraphs(sub) if p.type != "fence")
                for child in item.children if child.type in ("bullet_list", "ordered_list")
                for sub in child.children
            ]
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
    # a glossary line is its own context: the card's back has nothing more to show
    out.definitions.append(Definition(term, definition, "", line, section, aliases))


def _metadata_block(node: SyntaxTreeNode, out: _Collector) -> None:
    """A ``## Metadata`` section: Readwise's ``- Author: [[Name]]`` and ``- Category: #books``,
    Dataview's ``- Author:: Name``, or the Kindle plugin's table ``| **Author** | [Name](url) |``.
    """
    items = node.children if node.type in ("bullet_list", "ordered_list") else [node]
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




def walk(body: str, path: str, offset: int) -> _Collector:
    """Everything the blocks of ``body`` hold; ``offset`` is the file line of its first line."""
    collector = _Collector(path, offset)
    if body:
        _walk(SyntaxTreeNode(_MD.parse(body)), collector)
    return collector
