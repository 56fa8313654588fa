"""A book from one note: its title, author and tags, and the highlights the walker found.

The title is the frontmatter's ``title``, else the first ``# H1``, else a ``Full Title`` or
``Title`` in the note's metadata, else the Kindle plugin's ``kindle-sync: title``, else the file
name; the author and tags come from the frontmatter, the metadata section or ``key:: value``
lines, in that order.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from .dedupe import merge_duplicates
from .limits import MAX_TITLE, capped
from .model import Book, Problem
from .reader import Source, meta_tags, meta_text
from .sections import clean_heading
from .walker import walk


def read_book(source: Source) -> Book:
    """The book one note describes: title, author, tags, quotes and glossary definitions."""
    collector = walk(source.body, source.path, source.body_line)
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
    quotes = merge_duplicates(collector.quotes)
    problems = list(source.problems) + collector.problems
    tags = capped(tags, source.path, None, problems)
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

