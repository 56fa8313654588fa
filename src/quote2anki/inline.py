"""Turning a quote's inline Markdown into plain text, keeping the reader's cloze marks apart.

The reader's own markup decides what to hide: ``==x==`` (highlight), ``**x**`` (bold) and
``{{c1::x}}`` (Anki's own syntax). Everything else (links, emphasis, code) is reduced to its
text. The result is data: plain text plus spans, never HTML, so escaping later is simple.

Every body below is bounded in length, never crosses a line and stops at the next opening
delimiter of its kind; nested parts are possessive (``{1,300}+``). So each position costs a
bounded scan that ends where the next candidate begins, and a hostile line (100,000 asterisks,
an unbalanced ``==`` or ``{{c1::``) costs time linear in its length.
"""

from __future__ import annotations

import re

from .exports import split_tails
from .model import Mark
from .text import drop_footnote_markers, squash_spaces

_TOKEN = re.compile(
    r"""
    (?P<cloze>\{\{c(?P<num>\d{1,3})::(?P<cbody>(?:[^\n{}:]|:(?!:)){1,300}+)
        (?:::(?P<hint>[^\n{}]{0,100}+))?\}\})
    | (?P<tick>`{1,3})(?P<code>[^`\n]{1,300}?)(?P=tick)
    | (?P<image>!\[\[[^\[\]\n]{0,300}+\]\]|!\[[^\[\]\n]{0,300}+\]\([^()\s]{0,500}+\))
    | \[\[(?P<wtarget>[^\[\]|\n]{1,300}+)(?:\|(?P<walias>[^\[\]\n]{1,300}+))?\]\]
    | \[(?P<ltext>[^\[\]\n]{1,300}+)\]\((?P<lurl>(?:[^()\s]|\([^()\s]{0,100}+\)){0,500}+)\)
    | (?<![\w=])==(?P<hl>[^\s=](?:[^=\n]{0,300}?[^\s=])?)==(?![\w=])
    | (?<![\w*])\*\*(?P<strong>[^\s*](?:[^*\n]{0,300}?[^\s*])?)\*\*(?![\w*])
    | (?P<dunder>(?<![\w_])__[a-z][a-z0-9]{0,40}+(?:_[a-z0-9]{1,40}+){0,5}+__(?![\w_]))
    | (?<![\w_])__(?P<strong2>[^\s_](?:[^_\n]{0,300}?[^\s_])?)__(?![\w_])
    | (?<![\w*])\*(?P<em>[^\s*](?:[^*\n]{0,300}?[^\s*])?)\*(?![\w*])
    | (?<![\w_])_(?P<em2>[^\s_](?:[^_\n]{0,300}?[^\s_])?)_(?![\w_])
    | ~~(?P<strike>[^~\n]{1,300}?)~~
    | \\(?P<escaped>[\\`*_{}\[\]()#+\-.!=~|])
    """,
    re.VERBOSE,
)


def parse_inline(source: str) -> tuple[str, tuple[Mark, ...]]:
    """Plain text of ``source`` and the spans the reader marked for clozing.

    >>> text, marks = parse_inline("The ==hashing trick== came from **Vowpal Wabbit**.")
    >>> text, [text[m.start:m.end] for m in marks]
    ('The hashing trick came from Vowpal Wabbit.', ['hashing trick', 'Vowpal Wabbit'])
    >>> parse_inline("See [the docs](https://x.org), *really*, and [[Snorkel|this tool]].")
    ('See the docs, really, and this tool.', ())
    >>> parse_inline("__eq__ and __init__.py are names; __Bold__ is bold")[0]
    '__eq__ and __init__.py are names; Bold is bold'
    >>> parse_inline("{{c2::Paris::city}} is big; 2 * 3 * 4 = 24; `a == b`")
    ('Paris is big; 2 * 3 * 4 = 24; a == b', (Mark(start=0, end=5, number=2, hint='city'),))
    """
    out: list[str] = []
    marks: list[Mark] = []
    size = 0
    pos = 0
    for match in _TOKEN.finditer(source):
        before = source[pos : match.start()]
        out.append(before)
        size += len(before)
        pos = match.end()
        kind = match.lastgroup
        groups = match.groupdict()
        if groups["cloze"] is not None:
            body, _ = parse_inline(groups["cbody"])
            hint = (groups["hint"] or "").strip() or None
            marks.append(Mark(size, size + len(body), int(groups["num"]) or None, hint))
        elif groups["image"] is not None:
            body = ""
        elif groups["wtarget"] is not None:
            body = groups["walias"] or groups["wtarget"].split("#")[-1]
        elif groups["ltext"] is not None:
            body = groups["ltext"]
        elif kind == "escaped":
            body = groups["escaped"]
        elif groups["dunder"] is not None:
            body = groups["dunder"]  # Python's __eq__ and __init__.py are names, not bold
        elif groups["code"] is not None:
            body = groups["code"]
        else:
            inner = next(
                groups[name]
                for name in ("hl", "strong", "strong2", "em", "em2", "strike")
                if groups[name] is not None
            )
            body, inner_marks = parse_inline(inner)
            if groups["hl"] is not None or groups["strong"] is not None:
                marks.append(Mark(size, size + len(body)))
            else:
                marks.extend(
                    Mark(m.start + size, m.end + size, m.number, m.hint) for m in inner_marks
                )
        out.append(body)
        size += len(body)
    out.append(source[pos:])
    return "".join(out), tuple(marks)


_OUTER_QUOTES = {"“": "”", '"': '"', "«": "»", "„": "“"}


def strip_wrapper(text: str) -> str:
    """Remove emphasis or quotation marks wrapped around a whole quote, even half-closed.

    Readers paste highlights as ``*...*``; some lose the closing mark or put it before the final
    full stop. Emphasis that covers only part of the quote is left for :func:`parse_inline`.

    >>> strip_wrapper("*Without data, there is no data science.* ")
    'Without data, there is no data science.'
    >>> strip_wrapper("*A quote that lost its closing mark")
    'A quote that lost its closing mark'
    >>> strip_wrapper("*model selection, training, and evaluation*.")
    'model selection, training, and evaluation.'
    >>> strip_wrapper("*Deep* learning is *not* magic")
    '*Deep* learning is *not* magic'
    >>> strip_wrapper("“Interesting” in production means catastrophic.")
    '“Interesting” in production means catastrophic.'
    >>> strip_wrapper("*An unclosed quote with *inner* emphasis")
    'An unclosed quote with *inner* emphasis'
    >>> strip_wrapper("*Deep* learning is *not*")
    '*Deep* learning is *not*'
    >>> strip_wrapper("==A highlight the reader marked all of, and never closed.")
    'A highlight the reader marked all of, and never closed.'
    """
    text = text.strip()
    if text.startswith("==") and "==" not in text[2:-2]:
        # the reader highlighted all of it (or lost the closing mark): nothing to hide
        text = text[2:-2] if text.endswith("==") and len(text) > 4 else text[2:]
        text = text.strip()
    for mark in ("***", "**", "*", "___", "__", "_"):
        if not text.startswith(mark) or text[len(mark) : len(mark) + 1] in ("", " ", "*", "_"):
            continue
        rest = text[len(mark) :]
        body = rest.rstrip(".!?,;:")
        tail = rest[len(body) :]
        if len(mark) > 1:  # bold marks a cloze: only a wrapper with nothing inside counts
            if body.endswith(mark) and not _has_run(body[: -len(mark)], mark):
                return (body[: -len(mark)] + tail).strip()
            if not _has_run(rest, mark):
                return rest.strip()
            break
        if body.endswith(mark) and _balanced(body[:-1], mark):
            return (body[:-1] + tail).strip()
        if _balanced(rest, mark):
            return rest.strip()  # the closing mark was lost; inner emphasis stays
        break
    closing = _OUTER_QUOTES.get(text[:1])
    if closing and text.endswith(closing) and len(text) > 2:
        inner = text[1:-1]
        if text[:1] not in inner and closing not in inner:
            return inner.strip()
    return text


def _balanced(text: str, mark: str) -> bool:
    """Whether the runs of a one-character ``mark`` in ``text`` pair up by themselves, the first
    one opening (so none of them closes an opening mark before ``text``)."""
    char = re.escape(mark)
    runs = list(re.finditer(f"(?<!{char}){char}(?!{char})", text))
    if len(runs) % 2:
        return False
    if not runs:
        return True
    first = runs[0].start()
    return (first == 0 or not text[first - 1].isalnum()) and text[first + 1 : first + 2] not in (
        "", " ")


def _has_run(text: str, mark: str) -> bool:
    """Whether ``mark`` occurs in ``text`` as a run of exactly that length."""
    char = re.escape(mark[0])
    return re.search(f"(?<!{char}){re.escape(mark)}(?!{char})", text) is not None


def clean_quote(raw: str) -> tuple[str, tuple[Mark, ...]]:
    """A highlight's plain text and the reader's cloze marks, from the Markdown as written.

    >>> text, marks = clean_quote("*data.2 Stateful training is ==fine-tuning==* ([Loc 1](x))")
    >>> text, [text[m.start:m.end] for m in marks]
    ('data. Stateful training is fine-tuning', ['fine-tuning'])
    """
    text, marks, _ = clean_highlight(raw)
    return text, marks


# Audiobook and podcast exports stamp a highlight with its time: ``**20:27:**``, ``[1:02:03]``.
_TIMESTAMP = re.compile(
    r"(?:\*\*|__)\(?\d{1,2}:\d{2}(?::\d{2})?\)?:?(?:\*\*|__):?\s*"
    r"|^\s*\[?\(?\d{1,2}:\d{2}(?::\d{2})?\]?\)?(?:\s*[-–—:]\s*|\s+)(?=\S)")
# A Kindle location left inside the text, not only at its end: ``(Location 1520)``.
_LOCATION = re.compile(r"\s?\((?:Kindle )?(?:Location|Loc\.?|Locations)\s+[\d–-]{1,20}+\)", re.I)


def drop_stamps(text: str) -> str:
    """Remove an audiobook's time stamps and Kindle locations left inside a highlight.

    >>> drop_stamps("**20:27:** The best way out is always through.")
    'The best way out is always through.'
    >>> drop_stamps("1:02:03 - Attention is the rarest form of generosity (Location 88).")
    'Attention is the rarest form of generosity.'
    >>> drop_stamps("Meet me at 10:30 tomorrow.")
    'Meet me at 10:30 tomorrow.'
    """
    if ":" in text:
        text = _TIMESTAMP.sub("", text)
    if "(" in text:
        text = _LOCATION.sub("", text)
    return text


def clean_highlight(raw: str) -> tuple[str, tuple[Mark, ...], bool]:
    """:func:`clean_quote`, and whether the highlight ended with an export's location link."""
    text, located = split_tails(squash_spaces(raw))
    text = drop_footnote_markers(strip_wrapper(drop_stamps(text)))
    plain, marks = parse_inline(text)
    stripped = plain.strip()
    if len(stripped) != len(plain):
        shift = len(plain) - len(plain.lstrip())
        marks = tuple(Mark(m.start - shift, m.end - shift, m.number, m.hint) for m in marks)
        marks = tuple(m for m in marks if 0 <= m.start < m.end <= len(stripped))
    return stripped, marks, located
