"""The shapes export tools give a highlight: location tails, label lines, callouts, properties.

Readwise, the Kindle plugin, Logseq and Obsidian each wrap a highlight in their own marks. This
module knows those marks, so the walker can ask "is this a highlight?" and "what is its text?"
without knowing any export by name. Every pattern is bounded and anchored, so a hostile line
costs time linear in its length.
"""

from __future__ import annotations

import re

from .model import Place
from .text import squash_spaces
from .zotero import has_citation

# Tails that exports append to a highlight, each matched alone at the very end of the text:
# Readwise ``([Location 1520](url))``, ``(Location 1520)``, ``(Page 30)`` and
# ``([View Highlight](url))``, the Kindle plugin's ``— location: [612](kindle://...)``; then
# Obsidian block ids (``^ref-612``) and, after a location, Logseq hashtags (``#Highlight``).
_URL = r"(?:[^()\s]|\([^()\s]{0,100}+\)){0,2000}+"
_PAGE_NUMBER = r"(?:\d{1,5}(?:\s*[–-]\s*\d{1,5})?|[ivxlc]{1,8})"
_LOCATION_TAIL = re.compile(
    rf"""(?:^|(?<=\s))(?:
      \(\s*\[(?P<label>(?:Location|Loc\.?|Page|p\.|View\ Highlight)[^\[\]\n]{{0,40}}+)\]
        \((?P<url>{_URL})\)\s*\)
    | \(\s*(?P<kind>Location|Loc\.?|Page|pp?\.|pg\.?)\s*(?P<number>[\w.–-]{{1,20}}+)\s*\)
    | [—–-]\s*(?P<dkind>location|page|loc\.?):\s*(?:\[(?P<dlabel>[^\[\]\n]{{0,40}}+)\]
        \((?P<durl>{_URL})\)|(?P<dnumber>[\w.-]{{1,20}}+))
    | \[\s*(?P<bkind>p|pp|pg|page|loc|location)\.?\s*(?P<bnumber>{_PAGE_NUMBER})\s*\]
    | [—–]\s*(?P<ekind>p|pp|pg|page)\.?\s*(?P<enumber>{_PAGE_NUMBER})
    )\s*$""",
    re.I | re.X,
)
_END_PAGE = re.compile(rf"(?<=[”\"’.!?])\s+(?P<ekind>p|pp|pg|page)\.?\s*(?P<enumber>{_PAGE_NUMBER})"
                       r"\s*$", re.I)
"""A page cited after a sentence or a closing quotation mark: ``“...home.” p. 51``."""
_BLOCK_ID = re.compile(r"(?:^|(?<=\s))\^[\w-]{1,40}+\s*$")
_HASHTAGS = re.compile(
    r"(?:(?:^|(?<=\s))\#(?:\[\[[^\[\]\n]{1,100}+\]\]|[^\s#\[\]]{1,100}+)\s*){1,20}+$")
_TAIL_WINDOW = 2600
_TAIL_KEYS = ("location", "page", "loc", "p.", "^", "#", "view highlight", "[p", "pg", " p")
"""Every tail holds one of these: text without them has no tail to look for."""
"""Tails are looked for in the last characters only, so the cost per quote is bounded."""
_PLACE_LINKS = ("http://", "https://", "kindle://")
"""Where an export's link may lead: the web (Readwise) or the Kindle app."""


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
    text, _, located = split_places(text)
    return text, located


def split_places(text: str) -> tuple[str, tuple[Place, ...], bool]:
    """:func:`split_tails`, and what the location tails said: the highlight's places in the
    book, each with the export's link there when it has one (only ``http(s)`` and ``kindle``).

    >>> split_places("Rename. — location: [619](kindle://book?location=619) ^ref-27")
    ('Rename.', (Place(label='Location 619', url='kindle://book?location=619'),), True)
    >>> split_places("Trade is old. (Page 145)")
    ('Trade is old.', (Place(label='Page 145', url=''),), False)
    >>> [split_places(t)[:2] for t in ["Salt. — p. 15", "Fog. [p. 51]", "“Home.” p. 6"]]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Salt.', (Place(label='Page 15', url=''),)), ('Fog.', (Place(label='Page 51', url=''),)),
     ('“Home.”', (Place(label='Page 6', url=''),))]
    >>> split_places("We met on page 5 and p 6")[0], split_places("Turn to — Page")[0]
    ('We met on page 5 and p 6', 'Turn to — Page')
    """
    located = False
    places: list[Place] = []
    window = text[-_TAIL_WINDOW:].casefold()
    if not any(key in window for key in _TAIL_KEYS):
        return text, (), False
    for _ in range(10):
        start = max(0, len(text) - _TAIL_WINDOW)
        match = (_LOCATION_TAIL.search(text, start) or _END_PAGE.search(text, start)
                 or _BLOCK_ID.search(text, start))
        if match is None:
            tags = _HASHTAGS.search(text, start)
            rest = text[: tags.start()].rstrip() if tags else ""
            if not rest or not _LOCATION_TAIL.search(rest, max(0, len(rest) - _TAIL_WINDOW)):
                break
            text = rest
            continue
        if match.re is not _BLOCK_ID:
            located = located or "](" in match.group()
            places.append(_place(match))
        text = text[: match.start()].rstrip()
    return text, tuple(reversed(places)), located


def _place(match: re.Match[str]) -> Place:
    groups = {key: value for key, value in match.groupdict().items() if value is not None}
    url = groups.get("url") or groups.get("durl") or ""
    if not url.lower().startswith(_PLACE_LINKS) or any(c.isspace() for c in url):
        url = ""
    if "label" in groups:
        return Place(squash_spaces(groups["label"]), url)
    kind = next((groups[key] for key in ("kind", "dkind", "bkind", "ekind") if key in groups),
                "").lower().rstrip(".")
    number = next((groups[key] for key in ("number", "dlabel", "dnumber", "bnumber", "enumber")
                   if key in groups), "")
    name = "Page" if kind in ("page", "p", "pp", "pg") else "Location"
    return Place(f"{name} {squash_spaces(number)}", url)


def split_lead_page(text: str) -> tuple[str, Place | None]:
    """A page written before a highlight (``Page 60: ...``, ``p. 12 - ...``, as hand-made notes
    cite), taken off as its place.

    >>> split_lead_page("p. 70 - Salt keeps what the sea gives back.")
    ('Salt keeps what the sea gives back.', Place(label='Page 70', url=''))
    >>> split_lead_page("Page 3 of the log is missing.")
    ('Page 3 of the log is missing.', None)
    >>> split_lead_page("(p. 40) The keel resists the push of the wind.")[1]
    Place(label='Page 40', url='')
    >>> split_lead_page("pág. 9: La marea sube dos veces al día.")[1]
    Place(label='Page 9', url='')
    """
    match = _LEAD_PAGE.match(text)
    if match is None:
        return text, None
    return text[match.end():], Place(f"Page {squash_spaces(match['number'])}", "")


_LEAD_PAGE = re.compile(
    rf"^\s*(?:(?P<open>[(\[])\s*)?(?:p|pp|pg|page|pag|pág|página|pagina|seite)\.?\s*"
    rf"(?P<number>{_PAGE_NUMBER})\s*(?(open)[)\]]\s*[:—–-]?|[:)\]—–-])\s+(?=\S)", re.I)


_JUMP_LINK = re.compile(r"\[[ \t]{0,3}[^\w\s\[\]]{1,6}[ \t]{0,3}\]\(https?://[^()\s]{1,2000}\)")


def split_jump_link(text: str) -> tuple[str, str] | None:
    """A passage that ends in a link drawn as a symbol back to where it was highlighted
    (Omnivore's ``[⤴️](https://omnivore.app/...)``) and the reader's words after it; None
    when there is no such link.

    >>> split_jump_link("Fog teaches patience. [⤴️](https://omnivore.app/me/x#a1) So true.")
    ('Fog teaches patience.', 'So true.')
    >>> split_jump_link("See [the docs](https://example.org).") is None
    True
    """
    if "](" not in text:
        return None
    match = _JUMP_LINK.search(text)
    if match is None or not text[: match.start()].strip():
        return None
    return text[: match.start()].rstrip(), text[match.end():].strip()


def has_location(raw: str) -> bool:
    """Whether a block ends with an export's location or highlight link: a highlight, surely."""
    return (split_tails(squash_spaces(raw[-_TAIL_WINDOW * 2 :]))[1]
            or has_citation(raw[:_TAIL_WINDOW * 4])
            or split_jump_link(raw[:_TAIL_WINDOW * 4]) is not None)



# Sub-bullets and lines that describe the highlight before them rather than being one.
LABEL = re.compile(
    r"^\s*(?:[^\w\s*_#>\[(\"“'‘-]{1,3}\s*)?(?P<open>\*\*|__|\*|_)?"
    r"(?P<label>note|notes|comment|tags?|location|loc\.?|page|added|date|highlighted|color|colour|url|chapter|context|"
    r"highlight (?:taken|last modified|created|added) on)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*"
    r"(?P<value>.*)$",
    re.I | re.S,
)

_STAMP_WORDS = frozenset(
    "your highlight highlights note notes bookmark on at page pages location locations loc "
    "loc. p. pp. added created modified date time yellow blue pink orange purple green red "
    "color colour chapter am pm @ | · - – — , : ; ( ) [ ] monday tuesday wednesday thursday "
    "friday saturday sunday january february march april may june july august september "
    "october november december jan feb mar apr jun jul aug sep sept oct nov dec".split())
_STAMP_TOKEN = re.compile(r"[|·,;:()\[\]–—@-]|[^\s|·,;:()\[\]–—@-]+")
_PLACE_WORD = re.compile(r"^(?:page|pages|location|locations|loc\.?|p\.|pp\.)$", re.I)


def is_stamp(line: str) -> bool:
    """Whether a line only says where and when something was highlighted, as e-readers and
    clipping tools write it above or below the text (``Your Highlight on page 12 | Location
    180-181 | Added on Monday``, ``Yellow highlight | Page: 45``, ``*Page 12 | 2023-01-05*``).

    >>> [is_stamp(t) for t in ["- Your Highlight on page 12 | Location 180-181 | Added on "
    ...                        "Monday, March 4, 2024 9:12:03 PM", "Yellow highlight | Page: 45",
    ...                        "*Page 12 | 2023-01-05 10:12*", "Location 1520",
    ...                        "Page 12 @ 04 March 2023 10:12:05 PM"]]
    [True, True, True, True, True]
    >>> [is_stamp(t) for t in ["Turn to page 12 for the proof.", "Page 12", "Notes on page"]]
    [False, True, False]
    """
    text = line.strip().strip("*_>#-• \t")
    if not text or len(text) > 200:
        return False
    tokens = _STAMP_TOKEN.findall(text.casefold())
    places = sum(1 for token in tokens if _PLACE_WORD.match(token))
    if not places:
        return False
    numbers = 0
    for token in tokens:
        if token in _STAMP_WORDS:
            continue
        if re.fullmatch(r"[\d./:-]{1,20}", token):
            numbers += 1
            continue
        return False
    return numbers > 0


# Obsidian callout types that hold a quote; other callouts (note, tip, info...) are the reader's.
QUOTE_CALLOUTS = frozenset({"quote", "cite", "highlight", "excerpt", "pdf"})
"""``pdf`` is PDF++'s: ``> [!PDF|yellow] [[book.pdf#page=12&selection=...|book, p.12]]`` over
``> > the passage`` and the reader's comment."""
CALLOUT = re.compile(r"^\[!(?P<type>[\w-]+)(?:\|[^\]\n]{0,60})?\][+-]?[ \t]*(?P<title>[^\n]*)\n?")
"""A callout's first line; ``|...`` after the type is metadata (PDF++'s colour, ``#ffd400``)."""

# Logseq / Dataview properties: ``author:: [[Name]]``.
_FENCE_LINE = re.compile(r"^(`{3,}|~{3,})")
_PROPERTY = re.compile(r"^\s*(?:[-*+]\s+)?(?P<key>[A-Za-z][\w-]{0,30}+(?: [\w-]{1,30}+){0,3}+)"
                       r"::(?!:)\s*(?P<value>.*)$")


def property_line(line: str) -> tuple[str, str] | None:
    """The key and value of a Logseq/Dataview ``key:: value`` line, or None.

    Logseq's Readwise template ends each property with a backslash (a Markdown hard break):
    it is not part of the value.

    >>> property_line("author:: [[Robert C. Martin]]\\\\")
    ('author', '[[Robert C. Martin]]')
    >>> property_line("A sentence with :: inside") is None
    True
    """
    if "::" not in line:
        return None
    match = _PROPERTY.match(line)
    if match is None:
        return None
    return match["key"].strip(), match["value"].strip().rstrip("\\").strip()


def split_properties(text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` without its Logseq/Dataview ``key:: value`` lines, and those lines' pairs.

    Lines inside a fenced code block are code (``std::vector``), never properties.

    >>> split_properties("A quote that stays.\\nid:: 64f0\\nauthor:: [[Someone]]")
    ('A quote that stays.', [('id', '64f0'), ('author', '[[Someone]]')])
    >>> split_properties("```\\nstd::vector v;\\n```")[1]
    []
    """
    if "::" not in text:
        return text, []
    kept = []
    pairs = []
    fence = ""
    for line in text.split("\n"):
        opening = _FENCE_LINE.match(line)
        if opening and (not fence or opening[1].startswith(fence)):
            fence = "" if fence else opening[1]
        pair = None if fence or opening else property_line(line)
        if pair is None:
            kept.append(line)
        else:
            pairs.append(pair)
    return "\n".join(kept), pairs


def without_properties(text: str) -> str:
    """``text`` without its ``key:: value`` lines (Logseq's ``id::`` under a highlight)."""
    return split_properties(text)[0]
