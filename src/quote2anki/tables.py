"""Highlights kept in a Markdown pipe table (Notion databases and some templates export them so).

CommonMark has no tables, so the walker sees a paragraph of ``| ... |`` lines. Among highlights
each row is one highlight: the column headed like "Highlight" or "Quote" (else the one with the
most text) is its text, a "Note" column is the reader's note, a "Page" or "Location" column its
place. Pure functions on numbered lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .flashcards import Line

_DELIMITER = re.compile(r"^\s*:?-{1,}:?\s*$")
_TEXT_HEAD = re.compile(r"highlights?|quotes?|quotations?|text|passages?|excerpts?|content|"
                        r"zitat|cita|citation", re.I)
_NOTE_HEAD = re.compile(r"(?:my\s+)?(?:notes?|comments?|thoughts?|reflections?)", re.I)
_PLACE_HEAD = re.compile(r"(?P<kind>page|pg|p|location|loc)\.?", re.I)


def cells(line: str) -> list[str] | None:
    """The cells of one table row, or None when the line is not one.

    >>> cells("| Tides turn. | 12 |"), cells("no pipes here")
    (['Tides turn.', '12'], None)
    """
    text = line.strip()
    if not (text.startswith("|") and text.endswith("|")) or len(text) < 2:
        return None
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", text[1:-1])]


def table_rows(lines: Sequence[Line]) -> list[tuple[int, str, str]] | None:
    """Each row of a pipe table of highlights as (line, text, the reader's note); None when the
    lines are no table (a header row, a ``---`` row, then rows).

    The place a "Page" or "Location" column gives is written after the text as an export's
    tail would be (``(Page 12)``), so it becomes the highlight's place like any other.

    >>> table_rows([(3, "| Highlight | Page | Note |"), (4, "|---|---|---|"),
    ...             (5, "| Tides turn twice a day. | 12 | check |")])
    [(5, 'Tides turn twice a day. (Page 12)', 'check')]
    """
    rows = [cells(text) for _, text in lines]
    if len(rows) < 3 or any(row is None for row in rows):
        return None
    header, delimiter = rows[0], rows[1]
    assert header is not None and delimiter is not None
    if not delimiter or not all(_DELIMITER.match(cell) for cell in delimiter):
        return None
    body = [(number, row) for (number, _), row in zip(lines[2:], rows[2:], strict=True)
            if row is not None and any(row)]
    width = len(header)
    text_col = next((i for i, head in enumerate(header) if _TEXT_HEAD.fullmatch(head)), None)
    if text_col is None:
        lengths = [sum(len(row[i]) for _, row in body if i < len(row)) for i in range(width)]
        text_col = max(range(width), key=lambda i: (lengths[i], -i))
    note_col = next((i for i, head in enumerate(header)
                     if i != text_col and _NOTE_HEAD.fullmatch(head)), None)
    place_col = next((i for i, head in enumerate(header)
                      if i != text_col and _PLACE_HEAD.fullmatch(head)), None)
    found: list[tuple[int, str, str]] = []
    for number, row in body:
        text = row[text_col] if text_col < len(row) else ""
        if not text:
            continue
        place = row[place_col] if place_col is not None and place_col < len(row) else ""
        if place and re.fullmatch(r"[\w.–-]{1,20}", place):
            kind = "Location" if header[place_col or 0].lower().startswith("l") else "Page"
            text = f"{text} ({kind} {place})"
        note = row[note_col] if note_col is not None and note_col < len(row) else ""
        found.append((number, text.replace("\\|", "|"), note.replace("\\|", "|")))
    return found
