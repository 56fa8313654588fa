"""What editors put inside a highlight's line that is no part of the passage.

Obsidian comments (``%%...%%``), HTML comments, footnote references (``[^1]``) and inline
footnotes (``^[...]``, the reader's aside), a colour dot before the text (``🟡``), and the HTML
tags exporters wrap text in (``<br>``, ``<blockquote>``, ``<span style=...>``). A footnote's
definition (``[^1]: ...``) is the reader's, never a highlight.
"""

from __future__ import annotations

import re

_OBSIDIAN_COMMENT = re.compile(r"%%[^%\n]{0,2000}%%")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]{1,20}\](?!:)")
_INLINE_NOTE = re.compile(r"\^\[(?P<aside>[^\[\]\n]{1,1000})\]")
_COLOUR_DOT = re.compile(r"^(\s*)[🟡🟢🔵🟣🟠🔴⚪⚫🟤🟥🟧🟨🟩🟦🟪🟫⬛⬜]\ufe0f?\s+")
_BREAK = re.compile(r"<br\s{0,3}/?>", re.I)
_WRAPPER = re.compile(r"</?(?:blockquote|p|span|div|font|u|ins)\b[^<>\n]{0,300}>", re.I)
FOOTNOTE_DEFINITION = re.compile(r"^\s*\[\^[^\]\s]{1,20}\]:")
BLOCK_COMMENT = re.compile(r"^\s*%%.*%%\s*$", re.S)
"""A paragraph that is one Obsidian comment."""


def _without_html_comments(line: str) -> str:
    """``line`` with each ``<!-- ... -->`` replaced by a space (found by scanning once)."""
    parts: list[str] = []
    position = 0
    while (start := line.find("<!--", position)) >= 0:
        end = line.find("-->", start + 4)
        if end < 0:
            break
        parts += [line[position:start], " "]
        position = end + 3
    return "".join(parts) + line[position:]


def clean_line(line: str) -> tuple[str, list[str]]:
    """A line of a highlight without editors' marks, and the reader's inline asides.

    >>> clean_line("🟡 Fog teaches.[^1] %%check%% <!-- p. 4 -->Patience.^[mine]")
    ('Fog teaches. Patience.', ['mine'])
    >>> clean_line("Salt<br>and wind, <span style='x'>always</span>.")
    ('Salt and wind, always.', [])
    >>> clean_line("Score 50% or 60% of it.")
    ('Score 50% or 60% of it.', [])
    """
    asides: list[str] = []
    if any(mark in line for mark in ("%%", "<", "[^", "^[")) or _COLOUR_DOT.match(line):
        line = _OBSIDIAN_COMMENT.sub(" ", line)
        line = _without_html_comments(line)
        line = _FOOTNOTE_REF.sub("", line)
        asides = [match["aside"].strip() for match in _INLINE_NOTE.finditer(line)]
        line = _INLINE_NOTE.sub("", line)
        line = _COLOUR_DOT.sub(r"\1", line)
        line = _BREAK.sub(" ", line)
        line = _WRAPPER.sub("", line)
        line = re.sub(r"(?<=\S)[ \t]{2,}", " ", line).rstrip()
    return line, asides
