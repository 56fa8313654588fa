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
from .reader import Source, meta_tags, meta_text
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

_LEADING_SYMBOLS = re.compile(r"^[^\w(\"“'‘\[]+")

# Tails that exports append to a highlight: Readwise locations and View Highlight links, the
# Kindle plugin's "— location: [612](kindle://...) ^ref-612", Obsidian block ids.
_TAILS = re.compile(
    r"""(?:\s*\(\s*\[(?:Location|Page|View\ Highlight|Loc\.?)[^\]\n]{0,40}\]\([^)\n]{0,2000}\)\s*\)
    |\s*[—–-]\s*(?:location|page|loc\.?):\s*(?:\[[^\]\n]{0,40}\]\([^)\n]{0,2000}\)|[\w.-]{1,20})
    |\s+\^[\w-]{1,40}
    )+\s*$""",
    re.I | re.X,
)

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
"""A highlight shorter than this (a stray word) cannot make a useful card and is skipped."""


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
    meta: dict[str, Any] = {**collector.meta, **source.meta}
    title = clean_heading(meta_text(meta.get("title")) or collector.first_h1
                          or meta_text(meta.get("full title")) or PurePath(source.path).stem)
    author = meta_text(meta.get("author") or meta.get("authors") or meta.get("by"))
    tags = [tag for key in ("tags", "tag", "category", "document tags") for tag in
            meta_tags(meta.get(key))]
    quotes = _merge_duplicates(collector.quotes)
    problems = list(source.problems) + collector.problems
    if source.body.strip() and not quotes and not collector.definitions:
        problems.append(Problem(source.path, None, "warning",
                                "no quotes or definitions found: quotes are read from bullets "
                                "under a heading such as 'Quotes' or 'Highlights', and from "
                                "> blockquotes anywhere"))
    elif not source.body.strip() and not any(p.level == "error" for p in problems):
        problems.append(Problem(source.path, None, "warning", "note is empty"))
    return Book(
        path=source.path,
        title=title,
        author=author,
        tags=tuple(dict.fromkeys(tags)),
        quotes=tuple(quotes),
        definitions=tuple(collector.definitions),
        problems=tuple(problems),
    )


def clean_heading(text: str) -> str:
    """A heading without leading emoji or symbols, and with single spaces.

    >>> clean_heading("✍️ My Top  Quotes")
    'My Top Quotes'
    """
    return squash_spaces(_LEADING_SYMBOLS.sub("", squash_spaces(text)))


def section_kind(title: str) -> Kind | None:
    """What kind of content a heading announces, or None when it does not say.

    >>> [section_kind(t) for t in ["My Top Quotes", "Key Definitions", "Impressions", "Ch. 3"]]
    ['quotes', 'glossary', 'own', None]
    """
    for kind, pattern in _SECTION_KINDS:
        if pattern.search(title):
            return kind
    return None


def _walk(tree: SyntaxTreeNode, out: _Collector) -> None:
    stack: list[_Section] = []
    for node in tree.children:
        if node.type == "heading":
            level = int(node.tag[1:])
            title = clean_heading(_inline(node))
            if level == 1 and not out.first_h1:
                out.first_h1 = title
            while stack and stack[-1].level >= level:
                stack.pop()
            parent: Kind = stack[-1].kind if stack else "none"
            kind = section_kind(title) or parent
            if kind == "note" and parent != "quotes":
                kind = "own"
            stack.append(_Section(level, title, kind))
            continue
        section = stack[-1] if stack else _Section(0, "", "none")
        if section.kind == "quotes":
            _quote_block(node, section.label, out)
        elif section.kind == "note":
            _comment_block(node, out)
        elif section.kind == "glossary":
            _glossary_block(node, section.label, out)
        elif section.kind == "metadata":
            _metadata_block(node, out)
        else:
            _properties(node, out)
            for quote in _blockquotes(node):
                _add_blockquote(quote, section.label, out)


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


def _quote_block(node: SyntaxTreeNode, section: str, out: _Collector) -> None:
    if node.type in ("bullet_list", "ordered_list"):
        for item in node.children:
            _list_item(item, section, out)
    elif node.type in ("paragraph", "html_block"):
        text = _text(node)
        label = _LABEL.match(text)
        if label:
            _describe_previous(label, node, out)
        elif not _properties(node, out):
            _add_quote(text, out.line(node), section, out)
    elif node.type == "blockquote":
        _add_blockquote(node, section, out)


def _list_item(item: SyntaxTreeNode, section: str, out: _Collector) -> None:
    parts = [_text(child) for child in _paragraphs(item)]
    parts += [_blockquote_text(child)[0] for child in item.children if child.type == "blockquote"]
    text = "\n".join(part for part in parts if part)
    label = _LABEL.match(text)
    if label:
        _describe_previous(label, item, out)
        return
    comments: list[str] = []
    tags: list[str] = []
    for child in item.children:
        if child.type not in ("bullet_list", "ordered_list"):
            continue
        for sub in child.children:
            sub_text = "\n".join(_text(part) for part in _paragraphs(sub))
            sub_label = _LABEL.match(sub_text)
            if sub_label is None:
                comments.append(sub_text)
            elif sub_label["label"].lower().startswith(("note", "comment")):
                comments.append(sub_label["value"])
            elif sub_label["label"].lower().startswith("tag"):
                tags.extend(meta_tags(sub_label["value"]))
    _add_quote(text, out.line(item), section, out, comments, tags)


def _describe_previous(label: re.Match[str], node: SyntaxTreeNode, out: _Collector) -> None:
    """A ``Note:`` or ``Tags:`` line standing after a highlight belongs to that highlight."""
    name = label["label"].lower()
    if not out.quotes or not name.startswith(("note", "comment", "tag")):
        return
    last = out.quotes[-1]
    if name.startswith("tag"):
        out.quotes[-1] = replace(last, tags=last.tags + tuple(meta_tags(label["value"])))
    else:
        _comment(label["value"], out)


def _comment_block(node: SyntaxTreeNode, out: _Collector) -> None:
    """Text under a ``### Note`` heading inside a highlights section: the reader's own note."""
    if node.type in ("bullet_list", "ordered_list"):
        for item in node.children:
            _comment("\n".join(_text(part) for part in _paragraphs(item)), out)
    elif node.type in ("paragraph", "html_block"):
        _comment(_text(node), out)
    elif node.type == "blockquote":
        _comment(_blockquote_text(node)[0], out)


def _comment(text: str, out: _Collector) -> None:
    text = squash_spaces(parse_inline(text)[0])
    if out.quotes and text:
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
            parts.extend("\n".join(_text(p) for p in _paragraphs(item)) for item in child.children)
        else:
            parts.append(_text(child))
    text = "\n".join(part for part in parts if part)
    callout = _CALLOUT.match(text)
    if callout is None:
        return text, None, ""
    return text[callout.end():], callout["type"].lower(), clean_heading(callout["title"])


def _add_blockquote(node: SyntaxTreeNode, section: str, out: _Collector) -> None:
    text, callout, title = _blockquote_text(node)
    if callout is None or callout in _QUOTE_CALLOUTS:
        _add_quote(text, out.line(node), title or section, out)


def _add_quote(
    raw: str,
    line: int,
    section: str,
    out: _Collector,
    comments: list[str] | None = None,
    tags: list[str] | None = None,
) -> None:
    text, marks = clean_quote(raw)
    if not text:
        return
    words = len(text.split())
    if words < MIN_WORDS:
        out.problems.append(Problem(out.path, line, "warning",
                                    f"highlight {text!r} is too short for a useful card; skipped"))
        return
    comment = "\n".join(squash_spaces(parse_inline(c)[0]) for c in comments or () if c.strip())
    out.quotes.append(Quote(text, line, section, marks, comment, tuple(tags or ())))


def clean_quote(raw: str) -> tuple[str, tuple[Mark, ...]]:
    """A highlight's plain text and the reader's cloze marks, from the Markdown as written.

    >>> text, marks = clean_quote("*data.2 Stateful training is ==fine-tuning==* ([Loc 1](x))")
    >>> text, [text[m.start:m.end] for m in marks]
    ('data. Stateful training is fine-tuning', ['fine-tuning'])
    """
    text = _TAILS.sub("", squash_spaces(raw))
    text = drop_footnote_markers(strip_wrapper(text))
    plain, marks = parse_inline(text)
    stripped = plain.strip()
    if len(stripped) != len(plain):
        shift = len(plain) - len(plain.lstrip())
        marks = tuple(Mark(m.start - shift, m.end - shift, m.number, m.hint) for m in marks)
        marks = tuple(m for m in marks if 0 <= m.start < m.end <= len(stripped))
    return stripped, marks


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
    """Readwise's ``## Metadata`` list: ``- Author: [[Name]]``, ``- Category: #books``."""
    items = node.children if node.type in ("bullet_list", "ordered_list") else [node]
    for item in items:
        for line in "\n".join(_text(p) for p in _paragraphs(item) or [item]).split("\n"):
            key, sep, value = line.partition(":")
            if sep and key.strip() and value.strip():
                out.meta.setdefault(key.strip().strip("*_").casefold(), value.strip())


def _properties(node: SyntaxTreeNode, out: _Collector) -> bool:
    """Logseq/Dataview ``key:: value`` lines; True when the whole block was properties."""
    if node.type != "paragraph":
        return False
    lines = _text(node).split("\n")
    found = [_PROPERTY.match(line) for line in lines]
    if not all(found):
        return False
    for match in found:
        assert match is not None
        out.meta.setdefault(match["key"].strip().casefold(), match["value"].strip())
    return True


def _merge_duplicates(quotes: list[Quote]) -> list[Quote]:
    """One quote per passage: drop quotes that repeat, or sit inside, a longer quote.

    The reader's comment and tags of a dropped copy move to the quote that stays. Candidates are
    found through the first three words, so a book with thousands of highlights stays linear.
    """
    prints = [fingerprint(quote.text) for quote in quotes]
    order = sorted(range(len(quotes)), key=lambda i: (-len(prints[i]), i))
    kept: dict[int, Quote] = {}
    index: dict[str, list[int]] = {}
    for i in order:
        words = prints[i].split()
        key = " ".join(words[:3])
        candidates = index.get(key, []) if len(words) >= 3 else list(kept)
        host = next((j for j in candidates if f" {prints[i]} " in f" {prints[j]} "), None)
        if host is None:
            kept[i] = quotes[i]
            for start in range(max(len(words) - 2, 1)):
                index.setdefault(" ".join(words[start : start + 3]), []).append(i)
            continue
        merged = kept[host]
        comment = "\n".join(c for c in (merged.comment, quotes[i].comment) if c)
        comment = "\n".join(dict.fromkeys(comment.split("\n"))) if comment else ""
        tags = tuple(dict.fromkeys(merged.tags + quotes[i].tags))
        kept[host] = replace(merged, comment=comment, tags=tags)
    return [kept[i] for i in sorted(kept)]
