"""Reading a book note's structure: which sections hold quotes, definitions, or the reader's words.

This module owns markdown-it-py. It walks the CommonMark block tree (inline parsing is switched
off: we only need blocks and their line numbers) and turns a :class:`~quote2anki.reader.Source`
into a :class:`~quote2anki.model.Book`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from .definitions import is_cross_reference, parse_glossary_line
from .inline import parse_inline, strip_wrapper
from .model import Book, Definition, Mark, Problem, Quote
from .reader import Source, meta_key, meta_tags, meta_text
from .text import drop_footnote_markers, fingerprint, squash_spaces

_MD = MarkdownIt("commonmark").disable("inline")

Kind = Literal["quotes", "glossary", "own", "metadata", "note", "none"]

# What a heading says about the section under it. Checked in this order; a heading that matches
# none inherits its parent's kind (``### Chapter 3`` under ``## Highlights`` holds quotes).
_SECTION_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("metadata", re.compile(r"^(?:metadata|book info(?:rmation)?|properties|details)$", re.I)),
    ("note", re.compile(r"^(?:my )?notes?$", re.I)),
    ("quotes", re.compile(
        r"quot|highlight|excerpt|passage|clipping|annotation|underlin|citation|kindle", re.I)),
    ("glossary", re.compile(
        r"definition|glossary|\bterms\b|\bkey terms?\b|vocabular|concepts|keywords|jargon|"
        r"lexicon|terminology", re.I)),
    ("own", re.compile(
        r"impression|summar|sentences|thought|review|takeaway|reflection|who should|how i|"
        r"related|action|question|why i|overview|\bnotes\b|opinion|rating|recommend", re.I)),
)

_LEADING_SYMBOLS = re.compile(r"^[^\w(\"“'‘\[<{]+")

# Tails that exports append to a highlight, each matched alone at the very end of the text:
# Readwise ``([Location 1520](url))``, ``(Location 1520)``, ``(Page 30)`` and
# ``([View Highlight](url))``, the Kindle plugin's ``— location: [612](kindle://...)``; then
# Obsidian block ids (``^ref-612``) and, after a location, Logseq hashtags (``#Highlight``).
_URL = r"(?:[^()\s]|\([^()\s]{0,100}+\)){0,2000}+"
_LOCATION_TAIL = re.compile(
    rf"""(?:^|(?<=\s))(?:
      \(\s*\[(?:Location|Loc\.?|Page|p\.|View\ Highlight)[^\[\]\n]{{0,40}}+\]\({_URL}\)\s*\)
    | \(\s*(?:Location|Loc\.?|Page|p\.)\s*[\w.–-]{{1,20}}+\s*\)
    | [—–-]\s*(?:location|page|loc\.?):\s*(?:\[[^\[\]\n]{{0,40}}+\]\({_URL}\)|[\w.-]{{1,20}}+)
    )\s*$""",
    re.I | re.X,
)
_BLOCK_ID = re.compile(r"(?:^|(?<=\s))\^[\w-]{1,40}+\s*$")
_HASHTAGS = re.compile(
    r"(?:(?:^|(?<=\s))\#(?:\[\[[^\[\]\n]{1,100}+\]\]|[^\s#\[\]]{1,100}+)\s*){1,20}+$")
_TAIL_WINDOW = 2600
"""Tails are looked for in the last characters only, so the cost per quote is bounded."""


def split_tails(text: str) -> tuple[str, bool]:
    """The text without export tails, and whether one was a location or highlight *link*.

    Only a link marks a block as surely an export's highlight: a bare ``(Page 30)`` is removed
    but could end a sentence of the reader's own.

    >>> split_tails("Never be afraid to rename. — location: [619](kindle://x?location=619) ^ref-27")
    ('Never be afraid to rename.', True)
    >>> split_tails("It works. ([View Highlight](https://read.readwise.io/1)) #Highlight #[[2023]]")
    ('It works.', True)
    >>> split_tails("We're #1 in the world ^abc")
    ("We're #1 in the world", False)
    >>> split_tails("I read it up to here (Page 30)")
    ('I read it up to here', False)
    """
    located = False
    for _ in range(10):
        start = max(0, len(text) - _TAIL_WINDOW)
        match = _LOCATION_TAIL.search(text, start) or _BLOCK_ID.search(text, start)
        if match is None:
            tags = _HASHTAGS.search(text, start)
            rest = text[: tags.start()].rstrip() if tags else ""
            if not rest or not _LOCATION_TAIL.search(rest, max(0, len(rest) - _TAIL_WINDOW)):
                break
            text = rest
            continue
        located = located or (match.re is _LOCATION_TAIL and "](" in match.group())
        text = text[: match.start()].rstrip()
    return text, located


def has_location(raw: str) -> bool:
    """Whether a block ends with an export's location or highlight link: a highlight, surely."""
    return split_tails(squash_spaces(raw[-_TAIL_WINDOW * 2 :]))[1]


# Sub-bullets and lines that describe the highlight before them rather than being one.
_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?(?P<label>note|notes|comment|tags?|location|loc\.?|page|added|date|"
    r"highlighted|color|colour|url|chapter)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(?P<value>.*)$",
    re.I | re.S,
)

# Obsidian callout types that hold a quote; other callouts (note, tip, info...) are the reader's.
_QUOTE_CALLOUTS = {"quote", "cite", "highlight", "excerpt"}
_CALLOUT = re.compile(r"^\[!(?P<type>[\w-]+)\][+-]?[ \t]*(?P<title>[^\n]*)\n?")

# Logseq / Dataview properties: ``author:: [[Name]]``.
_PROPERTY = re.compile(r"^\s*(?P<key>[A-Za-z][\w -]{0,30}?)::\s*(?P<value>.*)$")

MIN_WORDS = 3
"""A highlight with fewer words than this (a stray word, or only punctuation) cannot make a
useful card and is skipped; a word has at least one letter or digit."""
MAX_CHARS = 10_000
"""A highlight, note or glossary line longer than this (about 1,500 words, as written) is a
pasted chapter, not a passage: no card can hold it, so it is skipped with a warning. The bound
also keeps the work per quote bounded, whatever a file holds."""
MAX_TITLE = 200
"""Titles and authors are cut to this many characters: they name decks and files."""
MAX_TAGS = 100
"""Tags used at most per book and per highlight; more is a pasted list, not tagging."""


@dataclass
class _Section:
    level: int
    title: str
    kind: Kind

    @property
    def label(self) -> str:
        """The section as a card shows it: "Chapter 3" says something, "Highlights" does not."""
        return "" if section_kind(self.title) else self.title


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

    def problem(self, node: SyntaxTreeNode | None, level: Any, message: str) -> None:
        line = self.line(node) if node is not None else None
        self.problems.append(Problem(self.path, line, level, message))


def read_book(source: Source) -> Book:
    """The book one note describes: title, author, tags, quotes and glossary definitions."""
    collector = _Collector(source.path, source.body_line)
    if source.body:
        tree = SyntaxTreeNode(_MD.parse(source.body))
        _walk(tree, collector)
    front = source.meta
    nested: dict[str, Any] = {}
    for value in front.values():  # kindle-sync: {title: ..., author: ...}
        if isinstance(value, dict):
            for key, item in value.items():
                nested.setdefault(key, item)
    found = collector.meta
    title = _first_text(front.get("title"), collector.first_h1, found.get("full title"),
                        found.get("title"), nested.get("title"), front.get("full title"),
                        PurePath(source.path).stem)
    author = _first_text(*(where.get(key) for where in (front, found, nested)
                           for key in ("author", "authors", "by")))
    meta: dict[str, Any] = {**nested, **found, **front}
    tags = [tag for key in ("tags", "tag", "category", "document tags") for tag in
            meta_tags(meta.get(key))]
    quotes = _merge_duplicates(collector.quotes)
    problems = list(source.problems) + collector.problems
    tags = _capped(tags, source.path, None, problems)
    title, author = _bounded(title, "title", source.path, problems), _bounded(
        author, "author", source.path, problems)
    if source.body.strip() and not quotes and not collector.definitions:
        problems.append(Problem(source.path, None, "warning",
                                "no quotes or definitions found: quotes are read from bullets "
                                "under a heading such as 'Quotes' or 'Highlights', and from "
                                "> blockquotes anywhere"))
    elif not source.body.strip() and not any(p.level == "error" for p in problems):
        problems.append(Problem(source.path, None, "warning",
                                "note has frontmatter but no text; nothing to make cards from"
                                if source.body_line > 1 else "note is empty"))
    return Book(
        path=source.path,
        title=title,
        author=author,
        tags=tuple(dict.fromkeys(tags)),
        quotes=tuple(quotes),
        definitions=tuple(collector.definitions),
        problems=tuple(problems),
    )


def _capped(tags: list[str], path: str, line: int | None, problems: list[Problem]) -> list[str]:
    """At most :data:`MAX_TAGS` distinct tags of sensible length, with a warning if cut."""
    tags = list(dict.fromkeys(tag for tag in tags if len(tag) <= MAX_TITLE))
    if len(tags) > MAX_TAGS:
        problems.append(Problem(path, line, "warning",
                                f"{len(tags)} tags; only the first {MAX_TAGS} are used"))
    return tags[:MAX_TAGS]


def _first_text(*values: Any) -> str:
    """The first value that reads as non-empty text, as a clean one-line heading."""
    for value in values:
        text = clean_heading(meta_text(value))
        if text:
            return text
    return ""


def _bounded(text: str, what: str, path: str, problems: list[Problem]) -> str:
    if len(text) <= MAX_TITLE:
        return text
    problems.append(Problem(path, None, "warning",
                            f"{what} is longer than {MAX_TITLE} characters; cut to its first "
                            f"{MAX_TITLE}"))
    return text[:MAX_TITLE].rstrip()


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
    """What kind of content a heading announces, or None when it does not say.

    >>> [section_kind(t) for t in ["My Top Quotes", "Key Definitions", "Impressions", "Ch. 3"]]
    ['quotes', 'glossary', 'own', None]
    """
    title = title[:MAX_TITLE]
    for kind, pattern in _SECTION_KINDS:
        if pattern.search(title):
            return kind
    return None


def _walk(tree: SyntaxTreeNode, out: _Collector) -> None:
    stack: list[_Section] = []
    for node in tree.children:
        section = stack[-1] if stack else _Section(0, "", "none")
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
            stack.append(_Section(level, "" if is_title else title, kind))
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


def _setext_text(node: SyntaxTreeNode, section: _Section, out: _Collector) -> bool:
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
    """Direct text-bearing children of a list item or block quote."""
    for child in node.children:
        if child.type in ("paragraph", "html_block", "heading"):
            yield child


def _text(node: SyntaxTreeNode) -> str:
    if node.type == "html_block":
        return node.content.strip()
    return _inline(node)


def _item_text(item: SyntaxTreeNode) -> str:
    return "\n".join(_text(part) for part in _paragraphs(item))


def _sub_items(item: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    return [sub for child in item.children if child.type in ("bullet_list", "ordered_list")
            for sub in child.children]


def _located(item: SyntaxTreeNode) -> bool:
    """Whether a list item is a highlight with an export's location tail."""
    return has_location(_without_properties(_item_text(item)))


def _located_children(item: SyntaxTreeNode) -> bool:
    """Whether ``item`` only groups located highlights (Logseq's ``- New highlights added``).

    A ``Note:`` or ``Tags:`` sub-bullet describes its parent even when it ends like a tail.
    """
    return not _located(item) and any(
        not _LABEL.match(_item_text(sub)) and (_located(sub) or _located_children(sub))
        for sub in _sub_items(item))


def _quote_block(node: SyntaxTreeNode, section: str, out: _Collector) -> None:
    if node.type in ("bullet_list", "ordered_list"):
        if out.open_highlight and not any(_located(item) or _LABEL.match(_item_text(item))
                                          for item in node.children):
            _comment_block(node, out)  # a list in a Kindle note, under its highlight
            return
        for item in node.children:
            _list_item(item, section, out)
    elif node.type in ("paragraph", "html_block"):
        text = _text(node)
        label = _LABEL.match(text)
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


def _list_item(item: SyntaxTreeNode, section: str, out: _Collector) -> None:
    parts = [_text(child) for child in _paragraphs(item)]
    parts += [_blockquote_text(child)[0] for child in item.children if child.type == "blockquote"]
    text = "\n".join(part for part in parts if part)
    label = _LABEL.match(text)
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
        sub_label = _LABEL.match(sub_text)
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
    if not out.quotes or not name.startswith(("note", "comment", "tag")):
        return
    last = out.quotes[-1]
    if name.startswith("tag"):
        tags = _capped([*last.tags, *meta_tags(label["value"])], out.path, last.line,
                       out.problems)
        out.quotes[-1] = replace(last, tags=tuple(tags))
    else:
        _comment(label["value"], out)


def _comment_block(node: SyntaxTreeNode, out: _Collector) -> None:
    """Text under a ``### Note`` heading inside a highlights section: the reader's own note."""
    if node.type in ("bullet_list", "ordered_list"):
        for item in node.children:
            _comment(_item_text(item), out)
    elif node.type in ("paragraph", "html_block"):
        _comment(_text(node), out)
    elif node.type == "blockquote":
        _comment(_blockquote_text(node)[0], out)


def _comment(text: str, out: _Collector) -> None:
    if not out.quotes or not text.strip():
        return
    if len(text) > MAX_CHARS:
        out.problems.append(Problem(out.path, out.quotes[-1].line, "warning",
                                    f"note on this highlight is {len(text)} characters long, "
                                    f"more than {MAX_CHARS}; left off the card"))
        return
    text = squash_spaces(parse_inline(text)[0])
    if text:
        last = out.quotes[-1]
        joined = f"{last.comment}\n{text}" if last.comment else text
        out.quotes[-1] = replace(last, comment=joined)


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
    callout = _CALLOUT.match(text)
    if callout is None:
        return text, None, ""
    return text[callout.end():], callout["type"].lower(), clean_heading(callout["title"])


def _add_blockquote(node: SyntaxTreeNode, section: str, out: _Collector) -> bool:
    """Add a ``>`` quote or quote callout; True when it carried an export's location."""
    text, callout, title = _blockquote_text(node)
    if callout is None or callout in _QUOTE_CALLOUTS:
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
    text, marks, located = _clean(raw)
    if not text:
        return located
    words = sum(1 for word in text.split() if any(char.isalnum() for char in word))
    if words < MIN_WORDS:
        out.problems.append(Problem(out.path, line, "warning",
                                    f"highlight {text!r} is too short for a useful card; skipped"))
        return located
    notes = [c for c in comments or () if c.strip()]
    if sum(len(c) for c in notes) > MAX_CHARS:
        out.problems.append(Problem(out.path, line, "warning",
                                    f"note on this highlight is more than {MAX_CHARS} "
                                    "characters long; left off the card"))
        notes = []
    comment = "\n".join(squash_spaces(parse_inline(c)[0]) for c in notes)
    kept_tags = _capped(list(tags or ()), out.path, line, out.problems)
    out.quotes.append(Quote(text, line, section, marks, comment, tuple(kept_tags)))
    return located


def _strip_properties(text: str, out: _Collector) -> str:
    """Logseq/Dataview ``key:: value`` lines go to the book's metadata; the rest is returned."""
    if "::" not in text:
        return text
    kept = []
    for line in text.split("\n"):
        match = _PROPERTY.match(line)
        if match is None:
            kept.append(line)
        else:
            out.meta.setdefault(meta_key(match["key"]), match["value"].strip())
    return "\n".join(kept)


def _without_properties(text: str) -> str:
    """``text`` without its ``key:: value`` lines (Logseq's ``id::`` under a highlight)."""
    if "::" not in text:
        return text
    return "\n".join(line for line in text.split("\n") if not _PROPERTY.match(line))


def clean_quote(raw: str) -> tuple[str, tuple[Mark, ...]]:
    """A highlight's plain text and the reader's cloze marks, from the Markdown as written.

    >>> text, marks = clean_quote("*data.2 Stateful training is ==fine-tuning==* ([Loc 1](x))")
    >>> text, [text[m.start:m.end] for m in marks]
    ('data. Stateful training is fine-tuning', ['fine-tuning'])
    """
    text, marks, _ = _clean(raw)
    return text, marks


def _clean(raw: str) -> tuple[str, tuple[Mark, ...], bool]:
    text, located = split_tails(squash_spaces(raw))
    text = drop_footnote_markers(strip_wrapper(text))
    plain, marks = parse_inline(text)
    stripped = plain.strip()
    if len(stripped) != len(plain):
        shift = len(plain) - len(plain.lstrip())
        marks = tuple(Mark(m.start - shift, m.end - shift, m.number, m.hint) for m in marks)
        marks = tuple(m for m in marks if 0 <= m.start < m.end <= len(stripped))
    return stripped, marks, located


def _glossary_block(node: SyntaxTreeNode, section: str, out: _Collector) -> None:
    if node.type in ("bullet_list", "ordered_list"):
        for item in node.children:
            lines = [_text(part) for part in _paragraphs(item)]
            text = " ".join(lines)
            nested = [
                "\n".join(_text(p) for p in _paragraphs(sub))
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
    context = f"{term}: {definition}"
    out.definitions.append(Definition(term, definition, context, line, section, aliases))


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


def _merge_duplicates(quotes: list[Quote]) -> list[Quote]:
    """One quote per passage: drop quotes that repeat, or sit inside, a longer quote.

    The reader's comment and tags of a dropped copy move to the quote that stays. A longer quote
    is found through the rarest three words in a row of the shorter one, and at most
    :data:`_MAX_CANDIDATES` are compared, so a book with many thousands of highlights (or a
    hostile one) stays linear.
    """
    prints = [fingerprint(quote.text) for quote in quotes]
    order = sorted(range(len(quotes)), key=lambda i: (-len(prints[i]), i))
    kept: dict[int, Quote] = {}
    exact: dict[str, int] = {}
    index: dict[str, list[int]] = {}
    for i in order:
        words = prints[i].split()
        keys = {" ".join(words[start : start + 3]) for start in range(len(words) - 2)}
        host = exact.get(prints[i])
        if host is None and keys:
            candidates = min((index.get(key, []) for key in keys), key=len)
            host = next((j for j in candidates[:_MAX_CANDIDATES]
                         if f" {prints[i]} " in f" {prints[j]} "), None)
        if host is None:
            kept[i] = quotes[i]
            exact[prints[i]] = i
            for key in keys:
                index.setdefault(key, []).append(i)
            continue
        merged = kept[host]
        comment = "\n".join(c for c in (merged.comment, quotes[i].comment) if c)
        comment = "\n".join(dict.fromkeys(comment.split("\n"))) if comment else ""
        tags = tuple(dict.fromkeys(merged.tags + quotes[i].tags))
        kept[host] = replace(merged, comment=comment, tags=tags)
    return [kept[i] for i in sorted(kept)]


_MAX_CANDIDATES = 200
