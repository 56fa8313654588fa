"""A Kindle's ``My Clippings.txt``, pasted into a note as it is.

Each entry is the book's line (``Title (Author)``), the stamp (``- Your Highlight on page 12 |
Location 180-182 | Added on ...``), a blank line, the text, and a line of ``==========``. To
Markdown the text over ``==========`` is a heading, so the walk never sees these entries as
highlights; this module reads them as the Kindle wrote them. A ``Your Note`` entry is the
reader's note on the highlight before it; bookmarks hold no text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from .exports import is_stamp

_SEPARATOR = re.compile(r"^\s*={8,}\s*$")
_KIND = re.compile(r"^\s*[-*]?\s*(?:your\s+)?(?P<kind>highlight|note|bookmark|clip(?:ping)?)\b",
                   re.I)
_PAGE = re.compile(r"\bpage[:\s]\s*(?P<page>[\divxlc]+(?:-[\divxlc]+)?)", re.I)
_LOCATION = re.compile(r"\blocation[:\s]\s*(?P<location>\d+(?:-\d+)?)", re.I)
_BOOK = re.compile(r"^(?P<title>.{1,300}?)\s*\((?P<author>[^()]{2,160})\)\s*$")


class Entry(NamedTuple):
    """One clipping: its book line, its kind (highlight, note, bookmark), its place and its
    numbered text lines."""

    book: str
    kind: str
    place: str
    lines: tuple[tuple[int, str], ...]


def _is_stamp(line: str) -> bool:
    return bool(_KIND.match(line)) and ("|" in line or is_stamp(line))


def start(lines: Sequence[str]) -> int | None:
    """The index of the first entry's book line when ``lines`` hold clippings (a stamp under a
    book line, and a ``==========`` after it), else None.

    >>> start(["# Notes", "", "Tallow (Ines Marrow)", "- Your Highlight on page 3 | Location 40",
    ...        "", "Wax remembers the shape of the hand.", "=========="])
    2
    >>> start(["Tallow", "=========="]) is None
    True
    """
    last = max((index for index, line in enumerate(lines) if _SEPARATOR.match(line)),
               default=-1)
    for index in range(1, last):
        if lines[index - 1].strip() and _is_stamp(lines[index]):
            return index - 1
    return None


def entries(lines: Sequence[str], first: int, offset: int) -> list[Entry]:
    """The clippings in ``lines`` from index ``first``; ``offset`` is the file line of index 0.

    >>> [entry] = entries(["Tallow (Ines Marrow)", "- Your Highlight on page 3 | Location 40-41",
    ...                    "", "Wax remembers the shape of the hand.", "=========="], 0, 1)
    >>> entry.book, entry.kind, entry.place, entry.lines
    ('Tallow (Ines Marrow)', 'highlight', 'Page 3', ((4, 'Wax remembers the shape of the hand.'),))
    """
    found: list[Entry] = []
    block: list[tuple[int, str]] = []
    for index in range(first, len(lines) + 1):
        if index < len(lines) and not _SEPARATOR.match(lines[index]):
            block.append((index + offset, lines[index]))
            continue
        filled = [(number, text) for number, text in block if text.strip()]
        block = []
        if len(filled) < 2 or not _is_stamp(filled[1][1]):
            continue
        stamp = filled[1][1]
        kind = _KIND.match(stamp)
        place = place_of(stamp)
        found.append(Entry(filled[0][1].strip().lstrip("\ufeff"),
                           kind["kind"].lower() if kind else "highlight", place,
                           tuple(filled[2:])))
    return found


def place_of(stamp: str) -> str:
    """The page (else the location) a stamp names.

    >>> place_of("Highlight (blue) - Page 14 · Location 201"), place_of("Note - Location 182")
    ('Page 14', 'Location 182')
    >>> place_of("Yellow highlight | Location: 180")
    'Location 180'
    """
    page, location = _PAGE.search(stamp), _LOCATION.search(stamp)
    return (f"Page {page['page']}" if page else
            f"Location {location['location']}" if location else "")


def is_note(stamp: str) -> bool:
    """Whether a stamp heads the reader's note rather than a highlight.

    >>> is_note("Note - Location 182"), is_note("Your Note on page 3"), is_note("Highlight - p 3")
    (True, True, False)
    """
    kind = _KIND.match(stamp)
    return kind is not None and kind["kind"].lower() == "note"


def stamped_groups(lines: Sequence[tuple[int, str]]
                   ) -> list[tuple[str, list[tuple[int, str]]]] | None:
    """The highlights of a block where e-reader stamps stand between them (Kindle's notebook
    copied from the web: ``Yellow highlight | Location: 180``, the text, the next stamp...),
    each with its stamp; None when fewer than two stamps split it.

    >>> groups = stamped_groups([(1, "Yellow highlight | Location: 180"), (2, "Wax remembers."),
    ...                          (3, "Blue highlight | Page: 14"), (4, "Salt keeps.")])
    >>> [(stamp[:6], group) for stamp, group in groups or []]
    [('Yellow', [(2, 'Wax remembers.')]), ('Blue h', [(4, 'Salt keeps.')])]
    """
    stamps = [index for index, (_, text) in enumerate(lines) if is_stamp(text)]
    if len(stamps) < 2:
        return None
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    if stamps[0] > 0:
        groups.append(("", list(lines[: stamps[0]])))
    for at, end in zip(stamps, [*stamps[1:], len(lines)], strict=True):
        groups.append((lines[at][1], list(lines[at + 1:end])))
    return [(stamp, group) for stamp, group in groups if group]


def book_of(found: Sequence[Entry]) -> tuple[str, str]:
    """The title and author of the book most entries come from.

    >>> book_of([Entry("Tallow (Ines Marrow)", "highlight", "", ())])
    ('Tallow', 'Ines Marrow')
    """
    if not found:
        return "", ""
    book = Counter(entry.book for entry in found).most_common(1)[0][0]
    match = _BOOK.match(book)
    return (match["title"].strip(), match["author"].strip()) if match else (book, "")
