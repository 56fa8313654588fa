"""Zotero's annotations, as its notes and the Obsidian plugins write them.

A Zotero annotation is the passage, then its citation linked back into the PDF, then the
reader's comment: ``“Text.” ([Marrow, 2019, p. 12](zotero://open-pdf/...?page=12)) Mine.``;
templates also write ``[Page 12](zotero://...)`` or ``[(p. 12)](zotero://...)``, and some a
second link (``([pdf](zotero://...))``). The citation is the highlight's place; what follows
it is the reader's.
"""

from __future__ import annotations

import re

_LINK = r"\[(?P<label>[^\[\]\n]{0,200})\]\((?P<url>zotero://[^()\s]{1,2000})\)"
_CITATION = re.compile(rf"[ \t]*(?:\(\s*{_LINK}\s*\)|{_LINK.replace('?P<', '?P<b')})"
                       rf"(?:[ \t]*\(\s*\[[^\[\]\n]{{0,40}}\]\(zotero://[^()\s]{{1,2000}}\)\s*\))*")
_PAGE = re.compile(r"\b(?:p|pp|page)\.?\s*(?P<page>\d{1,5}(?:\s*[–-]\s*\d{1,5})?)\b", re.I)
_URL_PAGE = re.compile(r"[?&]page=(?P<page>\d{1,5})\b")


def has_citation(text: str) -> bool:
    """Whether a block cites its place with a link into Zotero.

    >>> has_citation("Fog. ([Marrow, 2019, p. 3](zotero://open-pdf/library/items/AB?page=3))")
    True
    """
    return "zotero://" in text and _CITATION.search(text) is not None


def split_citation(text: str) -> tuple[str, str, str] | None:
    """The passage before a Zotero citation, the page it names (``""`` if none) and the
    reader's comment after it; None when the text cites nothing in Zotero.

    >>> split_citation("“Fog.” ([Marrow, 2019, p. 12](zotero://open-pdf/x?page=12)) So true.")
    ('“Fog.”', '12', 'So true.')
    >>> split_citation("Fog teaches. [Page 4](zotero://open-pdf/library/items/AB?page=4)")
    ('Fog teaches.', '4', '')
    >>> split_citation("Fog teaches.") is None
    True
    """
    if "zotero://" not in text:
        return None
    match = _CITATION.search(text)
    if match is None or not text[: match.start()].strip():
        return None
    label = match["label"] if match["label"] is not None else match["blabel"]
    url = match["url"] if match["url"] is not None else match["burl"]
    page = _PAGE.search(label or "") or _URL_PAGE.search(url or "")
    return (text[: match.start()].rstrip(), page["page"] if page else "",
            text[match.end():].strip())
