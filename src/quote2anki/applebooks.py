"""What Apple Books adds to a passage copied out of it, and the labelled layout of exports.

Copying from Apple Books pastes the passage, then a footer: ``Excerpt From`` over the title and
the author, and ``This material may be protected by copyright.`` (or, in older versions, one
line: ``Excerpt From: Author. “Title.” Apple Books.``). The footer names the book; it is no
highlight. Export plugins label each part of an entry (``🎯 Highlight: ...``, ``📝 Note: ...``,
``📅 Highlight taken on: ...``); the label is no part of the passage.
"""

from __future__ import annotations

import re

_FROM = r"(?:excerpt from|auszug aus|extrait de|fragmento de|extracto de|trecho de|estratto da|" \
        r"摘录来自|抜粋)"
_COPYRIGHT = re.compile(
    r"^[^\n]{0,80}(?:protected by copyright|urheberrechtlich|droits d.auteur|derechos de autor|"
    r"direitos autorais|diritto d.autore|版权保护|著作権)[^\n]{0,40}$", re.I)
_STACKED = re.compile(rf"(?:^|\n)[ \t]*{_FROM}[ \t]*[:：]?[ \t]*\n(?P<title>[^\n]{{1,300}})\n"
                      rf"(?P<author>[^\n]{{1,200}})$", re.I)
_ONE_LINE = re.compile(rf"(?:^|\s){_FROM}[ \t]*[:：][ \t]*(?P<author>[^\n“\"]{{1,200}}?)\.?[ \t]*"
                       r"[“\"](?P<title>[^\n”\"]{1,300}?)\.?[”\"][^\n]{0,80}$", re.I)
_STORE = re.compile(r"(?:^|\n)[^\n]{0,80}(?:apple books|ibooks|books\.apple\.com|"
                    r"itunes\.apple\.com)[^\n]{0,300}$", re.I)


def split_footer(text: str) -> tuple[str, str, str]:
    """A passage without Apple Books' footer, and the title and author the footer names.

    >>> split_footer("Fog teaches patience.\\n\\nExcerpt From\\nTallow\\nInes Marrow\\n"
    ...              "This material may be protected by copyright.")
    ('Fog teaches patience.', 'Tallow', 'Ines Marrow')
    >>> split_footer("Excerpt From: Ines Marrow. “Tallow.” Apple Books.")
    ('', 'Tallow', 'Ines Marrow')
    >>> split_footer("This material may be protected by copyright.")
    ('', '', '')
    >>> split_footer("An excerpt from the log was read aloud.")
    ('An excerpt from the log was read aloud.', '', '')
    """
    lines = text.rstrip().split("\n")
    dropped = False
    while lines and _is_tail(lines[-1].strip()):
        lines.pop()  # the copyright line, "Check out this book on Apple Books: https://..."
        dropped = True
    rest = "\n".join(lines)
    for pattern in (_STACKED, _ONE_LINE):
        match = pattern.search(rest)
        if match is not None:
            return rest[: match.start()].rstrip(), match["title"].strip(), match["author"].strip()
    return (rest.rstrip() if dropped else text), "", ""


def _is_tail(line: str) -> bool:
    return bool(_COPYRIGHT.match(line)) or (len(line) < 300 and "http" in line
                                            and bool(_STORE.match(line)))


_ENTRY_LABEL = re.compile(
    r"^\s*(?:[^\w\s*_]{1,3}\s*)?(?:\*\*|__)?(?:highlight|quote|excerpt|passage|text)"
    r"(?:\*\*|__)?\s*[:：](?:\*\*|__)?\s+(?=\S)", re.I)
_NOTE_LABEL = re.compile(
    r"^\s*(?:[^\w\s*_]{1,3}\s*)?(?:\*\*|__)?(?:note|notes|comment|my note)(?:\*\*|__)?\s*[:：]"
    r"(?:\*\*|__)?\s*", re.I)


def split_labels(lines: list[str]) -> tuple[list[str], list[str]] | None:
    """A labelled entry's lines (``Highlight: text`` then ``Note: mine``) as the passage's lines
    and the reader's notes; None when the first line has no passage label.

    >>> split_labels(["🎯 Highlight: Fog teaches patience.", "Note: so true"])
    (['Fog teaches patience.'], ['so true'])
    >>> split_labels(["Fog teaches patience."]) is None
    True
    """
    if not lines or not _ENTRY_LABEL.match(lines[0]):
        return None
    text = [_ENTRY_LABEL.sub("", lines[0], count=1)]
    notes: list[str] = []
    for line in lines[1:]:
        if _NOTE_LABEL.match(line) or notes:
            notes.append(_NOTE_LABEL.sub("", line, count=1).strip())
        else:
            text.append(line)
    return text, [note for note in notes if note]
