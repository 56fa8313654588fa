r"""Turning a highlight's inline Markdown into plain text, the reader's cloze marks and spans.

The reader's own markup decides what to hide: ``==x==`` (highlight), ``**x**`` (bold of at most
:data:`MAX_MARK_WORDS` words) and ``{{c1::x}}`` (Anki's own syntax). Everything else is kept as
:class:`~quote2anki.model.Span` values over the plain text, saying how it was printed:
``*italic*``, longer bold, links, inline code, formulas (``$...$``, ``$$...$$``, ``\(...\)``,
``\[...\]``; a ``$`` that is money stays text) and images. The result is data, never HTML,
so escaping later is simple.

Code, formulas and URLs are taken out first (their insides are never read as markup), each
replaced by a placeholder the second pass puts back. Every body below is bounded in length,
never crosses a line and stops at the next opening delimiter of its kind; nested parts are
possessive (``{1,300}+``). So each position costs a bounded scan that ends where the next
candidate begins, and a hostile line (100,000 asterisks or dollars, an unbalanced ``==`` or
``{{c1::``) costs time linear in its length.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote

from .mathjax import refused_command
from .model import Mark, Span
from .rich import shift

MAX_MARK_WORDS = 6
"""Bold of more words than this is the book's emphasis, not something to hide."""

_ATOM = re.compile(
    r"""
    (?P<pair>\\\\)
    | \\\[(?P<bmath>(?:[^\\]|\\[^\[\]]){1,4000}?)\\\]
    | \\\((?P<pmath>(?:[^\\]|\\[^()]){1,4000}?)\\\)
    | (?P<escape>\\[`*_{}\[\]()#+\-.!=~|$<>])
    | (?P<tick>`{1,3})(?P<code>[^`\n]{1,2000}?)(?P=tick)
    | \$\$(?P<dmath>[^$]{1,4000}?)\$\$
    | (?<![\w$])\$(?P<imath>[^\s$](?:[^$\n]{0,2000}?[^\s$\\])?)\$(?![\d$])
    | <(?P<auto>https?://[^\s<>]{1,2000}+)>
    | (?<![\w/@.])(?P<url>https?://[^\s<>\[\]()"'`\x00\x01]{1,2000}+)
    """,
    re.VERBOSE,
)
"""What is taken whole before anything else is read: code, formulas and URLs (escapes are
matched so that ``\\$5`` is money and ``\\```` is a backtick, then left for the second pass)."""

_URL_END = ".,;:!?*_~'\u2019\u201d"

_TOKEN = re.compile(
    r"""
    (?P<atom>\x00(?P<index>\d{1,6})\x01)
    | (?P<cloze>\{\{c(?P<num>\d{1,3})::(?P<cbody>(?:[^\n{}:]|:(?!:)){1,300}+)
        (?:::(?P<hint>[^\n{}]{0,100}+))?\}\})
    | !\[\[(?P<wimage>[^\[\]\n]{1,300}+)\]\]
    | !\[(?P<alt>[^\[\]\n]{0,300}+)\]\((?P<isrc><[^<>\n]{1,500}+>|[^()\s]{1,500}+)
        (?:[ ]{1,10}+"[^"\n]{0,200}+")?\)
    | \[\[(?P<wtarget>[^\[\]|\n]{1,300}+)(?:\|(?P<walias>[^\[\]\n]{1,300}+))?\]\]
    | \[(?P<ltext>[^\[\]\n]{1,300}+)\]\((?P<lurl>(?:[^()\s]|\([^()\s]{0,100}+\)){0,500}+)\)
    | (?<![\w=])==(?P<hl>[^\s=](?:[^=\n]{0,300}?[^\s=])?)==(?![\w=])
    | (?<![\w*])\*\*(?P<strong>[^\s*](?:[^*\n]{0,300}?[^\s*])?)\*\*(?![\w*])
    | (?P<dunder>(?<![\w_])__[a-z][a-z0-9]{0,40}+(?:_[a-z0-9]{1,40}+){0,5}+__(?![\w_]))
    | (?<![\w_])__(?P<strong2>[^\s_](?:[^_\n]{0,300}?[^\s_])?)__(?![\w_])
    | (?<![\w*])\*(?P<em>[^\s*](?:[^*\n]{0,300}?[^\s*])?)\*(?![\w*])
    | (?<![\w_])_(?P<em2>[^\s_](?:[^_\n]{0,300}?[^\s_])?)_(?![\w_])
    | ~~(?P<strike>[^~\n]{1,300}?)~~
    | \\(?P<escaped>[\\`*_{}\[\]()#+\-.!=~|$<>])
    """,
    re.VERBOSE,
)
_PLACEHOLDER = re.compile(r"\x00(\d{1,6})\x01")
_IMAGE_FILES = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|bmp|avif|apng|tiff?)$", re.I)
_SIZE = re.compile(r"^\d{1,5}(?:x\d{1,5})?$")
LINK_SCHEMES = ("http://", "https://", "obsidian://", "kindle://")
"""The only links a card carries: the web, a note in Obsidian, a place in a Kindle book."""


def safe_url(url: str) -> str:
    """``url`` if a card may link to it (http(s), ``obsidian://``, ``kindle://``), else "".

    >>> safe_url("https://x.org/a"), safe_url("javascript:alert(1)"), safe_url(" JavaScript:x")
    ('https://x.org/a', '', '')
    >>> safe_url("KINDLE://book?action=open&asin=B01&location=612")
    'KINDLE://book?action=open&asin=B01&location=612'
    """
    url = url.strip()
    if not url.lower().startswith(LINK_SCHEMES) or any(c.isspace() or ord(c) < 32 for c in url):
        return ""
    return url


class Parsed(NamedTuple):
    """Plain text, the reader's cloze marks over it, and how it was printed."""

    text: str
    marks: tuple[Mark, ...]
    spans: tuple[Span, ...]


class _Atom(NamedTuple):
    source: str
    text: str
    span: Span


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
    parsed = parse_rich(source)
    return parsed.text, parsed.marks


def parse_rich(source: str, marks_are_emphasis: bool = False) -> Parsed:
    """Plain text of ``source``, the reader's cloze marks and the spans saying how it was
    printed. With ``marks_are_emphasis`` (a reader's note, which has no gaps), ``**x**`` is bold
    and ``==x==`` highlighted.

    >>> parsed = parse_rich("Energy is $E = mc^2$, not $5 and $10: see `f(x)` and *why*.")
    >>> parsed.text
    'Energy is E = mc^2, not $5 and $10: see f(x) and why.'
    >>> [(parsed.text[s.start:s.end], s.kind) for s in parsed.spans]
    [('E = mc^2', 'math'), ('f(x)', 'code'), ('why', 'em')]
    >>> parse_rich(r"\\(\\href{javascript:alert(1)}{x}\\)").spans[0].kind
    'refused'
    """
    atoms: list[_Atom] = []
    masked = _ATOM.sub(lambda match: _stash(match, atoms), source.replace("\x00", "")
                       .replace("\x01", ""))
    return _parse(masked, atoms, marks_are_emphasis)


def _stash(match: re.Match[str], atoms: list[_Atom]) -> str:
    groups = match.groupdict()
    if groups["pair"] is not None or groups["escape"] is not None:
        return match.group()
    tail = ""
    span: Span
    if groups["code"] is not None:
        text, span = groups["code"], Span(0, len(groups["code"]), "code")
    elif groups["url"] is not None or groups["auto"] is not None:
        text = groups["url"] or groups["auto"]
        if groups["url"] is not None:
            kept = text.rstrip(_URL_END)
            text, tail = kept, text[len(kept):]
        span = Span(0, len(text), "url", text)
    else:
        display = groups["dmath"] is not None or groups["bmath"] is not None
        tex = next(groups[name] for name in ("bmath", "pmath", "dmath", "imath")
                   if groups[name] is not None)
        text = tex.strip()
        if not text:
            return match.group()
        refused = refused_command(text)
        if refused is not None:
            span = Span(0, len(text), "refused", "display" if display else "inline", refused)
        else:
            span = Span(0, len(text), "display" if display else "math")
    atoms.append(_Atom(match.group()[: len(match.group()) - len(tail)], text, span))
    return f"\x00{len(atoms) - 1}\x01{tail}"


def _restore(text: str, atoms: list[_Atom]) -> str:
    """``text`` with its placeholders back as the source they stood for."""
    if "\x00" not in text:
        return text
    return _PLACEHOLDER.sub(lambda match: atoms[int(match[1])].source, text)


def _parse(source: str, atoms: list[_Atom], emphasis: bool) -> Parsed:
    out: list[str] = []
    marks: list[Mark] = []
    spans: list[Span] = []
    size = 0
    pos = 0
    for match in _TOKEN.finditer(source):
        before = source[pos : match.start()]
        out.append(before)
        size += len(before)
        pos = match.end()
        groups = match.groupdict()
        body = ""
        if groups["atom"] is not None:
            atom = atoms[int(groups["index"])]
            body = atom.text
            spans.append(shift([atom.span], size)[0])
        elif groups["cloze"] is not None:
            inner = _parse(groups["cbody"], atoms, emphasis)
            if emphasis:
                # a reader's note has no gaps: cloze syntax in it is the reader's text, kept as
                # written (fields.py escapes the braces, so Anki shows it and hides nothing)
                opening = f"{{{{c{groups['num']}::"
                hint = groups["hint"]
                body = (opening + inner.text
                        + ("" if hint is None else "::" + _restore(hint, atoms)) + "}}")
                spans.extend(shift(inner.spans, size + len(opening)))
            else:
                body = inner.text
                spans.extend(shift(inner.spans, size))
                hint = _restore(groups["hint"] or "", atoms).strip() or None
                marks.append(Mark(size, size + len(body), int(groups["num"]) or None, hint))
        elif groups["wimage"] is not None:
            spans.extend(_wiki_image(_restore(groups["wimage"], atoms), size))
        elif groups["isrc"] is not None:
            spans.extend(_markdown_image(_restore(groups["alt"], atoms),
                                         _restore(groups["isrc"], atoms), size))
        elif groups["wtarget"] is not None:
            target = _restore(groups["wtarget"], atoms)
            alias = groups["walias"]
            if alias is not None:
                inner = _parse(alias, atoms, emphasis)
                body = inner.text
                marks.extend(shift_marks(inner.marks, size))
                spans.extend(shift((s for s in inner.spans if s.kind not in ("url", "link")),
                                   size))
            else:
                body = target.split("#")[-1]
            if body:
                spans.append(Span(size, size + len(body), "wikilink", target.strip()))
        elif groups["ltext"] is not None:
            inner = _parse(groups["ltext"], atoms, emphasis)
            body = inner.text
            marks.extend(shift_marks(inner.marks, size))
            url = safe_url(_restore(groups["lurl"], atoms))
            own = [s for s in inner.spans if s.kind not in ("url", "link", "wikilink")]
            spans.extend(shift(own, size))
            if url and body:
                spans.append(Span(size, size + len(body), "link", url))
        elif groups["escaped"] is not None:
            body = groups["escaped"]
        elif groups["dunder"] is not None:
            body = groups["dunder"]  # Python's __eq__ and __init__.py are names, not bold
        else:
            name = next(name for name in ("hl", "strong", "strong2", "em", "em2", "strike")
                        if groups[name] is not None)
            inner = _parse(groups[name], atoms, emphasis)
            body = inner.text
            spans.extend(shift(inner.spans, size))
            words = sum(1 for word in body.split() if any(c.isalnum() for c in word))
            is_mark = name == "hl" or (name == "strong" and words <= MAX_MARK_WORDS)
            if is_mark and not emphasis:
                marks.append(Mark(size, size + len(body)))
            else:
                marks.extend(shift_marks(inner.marks, size))
                kind = {"hl": "highlight", "strong": "strong", "strong2": "strong",
                        "em": "em", "em2": "em", "strike": "strike"}[name]
                if body:
                    spans.append(Span(size, size + len(body), kind))  # type: ignore[arg-type]
        out.append(body)
        size += len(body)
    rest = source[pos:]
    out.append(_restore(rest, atoms) if "\x00" in rest else rest)
    return Parsed("".join(out), tuple(marks), tuple(spans))


def shift_marks(marks: tuple[Mark, ...], by: int) -> tuple[Mark, ...]:
    return tuple(Mark(m.start + by, m.end + by, m.number, m.hint) for m in marks)


def _wiki_image(inner: str, at: int) -> list[Span]:
    """``![[diagram.png|300]]``, ``![[diagram.png|alt text|300x200]]``; other embeds (a note,
    a PDF) show nothing, as before."""
    target, *options = (part.strip() for part in inner.split("|"))
    if not _IMAGE_FILES.search(target.split("#")[0]):
        return []
    size = next((option for option in options if _SIZE.match(option)), "")
    alt = " ".join(option for option in options if not _SIZE.match(option))
    return [Span(at, at, "local", target.split("#")[0], alt, size)]


def _markdown_image(alt: str, source: str, at: int) -> list[Span]:
    """``![alt](path/img.png)`` (a file, looked for later), ``![alt](https://...)`` (shown by
    its link, never downloaded); Obsidian's ``![alt|300](...)`` sets the width."""
    source = source.strip("<>").strip()
    size = ""
    if "|" in alt and _SIZE.match(alt.rsplit("|", 1)[1].strip()):
        alt, size = (part.strip() for part in alt.rsplit("|", 1))
    if source.lower().startswith(("http://", "https://")):
        url = safe_url(source)
        return [Span(at, at, "remote", url, alt, size)] if url else []
    if ":" in source.split("/")[0]:
        return []  # another scheme (data:, file:, javascript:): nothing is shown
    path = unquote(source.split("#")[0].split("?")[0])
    if not _IMAGE_FILES.search(path):
        return []
    return [Span(at, at, "local", path, alt, size)]
