"""The bounds that keep every step linear and every card readable, in one place."""

from __future__ import annotations

from .model import Problem

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


def capped(tags: list[str], path: str, line: int | None, problems: list[Problem]) -> list[str]:
    """At most :data:`MAX_TAGS` distinct tags of sensible length, with a warning for each tag
    left out."""
    for tag in dict.fromkeys(tag for tag in tags if len(tag) > MAX_TITLE):
        problems.append(Problem(path, line, "warning",
                                f"tag {tag[:40]!r}... is {len(tag)} characters long, more than "
                                f"{MAX_TITLE}; left out"))
    tags = list(dict.fromkeys(tag for tag in tags if len(tag) <= MAX_TITLE))
    if len(tags) > MAX_TAGS:
        problems.append(Problem(path, line, "warning",
                                f"{len(tags)} tags; only the first {MAX_TAGS} are used"))
    return tags[:MAX_TAGS]
