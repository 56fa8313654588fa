"""The bounds that keep every step linear and every card readable, in one place."""

from __future__ import annotations

import re

from .model import Problem

MIN_WORDS = 3
"""A highlight with fewer words than this (a stray word, or only punctuation) cannot make a
useful card and is skipped, unless the reader gave it a note or a tag (a vocabulary word with
its translation, a term tagged ``#flashcard``); a word has at least one letter or digit."""
MIN_CJK_CHARS = 6
"""Chinese and Japanese are written without spaces between words: a highlight in them needs
this many ideographs or kana instead (a Korean one is counted by its words, which it spaces)."""
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
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


def long_enough(text: str) -> bool:
    """Whether a highlight has enough words for a useful card (:data:`MIN_WORDS`, or
    :data:`MIN_CJK_CHARS` characters of Chinese or Japanese).

    >>> [long_enough(t) for t in ["Only two", "Three real words", "... - ...", "人们把相似度当成"]]
    [False, True, False, True]
    """
    words = 0
    for word in _WORD.finditer(text):
        if any(char.isalnum() for char in word.group()):
            words += 1
            if words >= MIN_WORDS:
                return True
    return len(_CJK.findall(text[:1000])) >= MIN_CJK_CHARS


_WORD = re.compile(r"\S+")
