"""Who said a quote, as the line under it names them: ``— Author`` is no part of the quote.

Collections of quotes and blockquotes sign each passage, on a line of its own (``> — Ines
Marrow``, ``-- Ines Marrow, *Harbour Lights*``) or after its last sentence (``... strangers.
— Ines Marrow``). The signature leaves the text for the reader's note, where the card's back
still shows it.
"""

from __future__ import annotations

import re

from .names import looks_like_name

_DASH = r"(?:—|–|―|--|~)"
_OWN_LINE = re.compile(rf"\n[ \t]*[*_]*[ \t]*{_DASH}[ \t]*(?P<who>[^\n]{{2,160}})$")
_SAME_LINE = re.compile(rf"(?<=[.!?…”\"’*_])[ \t]+{_DASH}[ \t]*(?P<who>[^\n—–]{{2,160}})$")
_WORK = re.compile(r"\s*(?:,|\bin\b|\bfrom\b|\()\s*.*$")


def signer(signature: str) -> str:
    """The person a signature names, without the work after them.

    >>> signer("Ines Marrow, *Harbour Lights*"), signer("Ines Marrow")
    ('Ines Marrow', 'Ines Marrow')
    """
    return _WORK.sub("", signature.strip("*_")).strip(" .*_")


def split_attribution(text: str) -> tuple[str, str]:
    """A quote's text without the signature at its end, and the signature (``""`` when none).

    The signature must name someone: two to four name words (or a CJK name) before any ``,
    Work``.

    >>> split_attribution("A lighthouse is a promise.\\n— Ines Marrow")
    ('A lighthouse is a promise.', 'Ines Marrow')
    >>> split_attribution("A lighthouse is a promise. -- Ines Marrow, *Harbour Lights*")
    ('A lighthouse is a promise.', 'Ines Marrow, *Harbour Lights*')
    >>> split_attribution("We sailed at dawn — all of us, even the cook.")
    ('We sailed at dawn — all of us, even the cook.', '')
    >>> split_attribution("The rule holds.\\n— see chapter 3")
    ('The rule holds.\\n— see chapter 3', '')
    """
    for pattern in (_OWN_LINE, _SAME_LINE):
        match = pattern.search(text)
        if match is None:
            continue
        who = match["who"].strip()
        for mark in "*_":
            if who.count(mark) % 2:  # "*— Ines Marrow*": the line's emphasis, not the name's
                who = who.rstrip(mark).strip()
        name = signer(who)
        if looks_like_name(name) and match.start() > 0 and text[: match.start()].strip():
            return text[: match.start()].rstrip(), who
    return text, ""
