"""Adding a highlight the walk found, and what the reader wrote about it.

A highlight's lines lose their e-reader stamps, export tails and ending ``#tags`` here, are
checked (too long, too short, all code) and become a :class:`~quote2anki.model.Quote`; a
``Note:`` line, a ``### Note`` section or a paragraph under a located highlight joins the last
quote as the reader's comment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from markdown_it.tree import SyntaxTreeNode

from .applebooks import split_footer, split_labels
from .attribution import signer, split_attribution
from .blocks import LISTS, Collector, block_text, blockquote_text, in_fence, item_text, joined_lines
from .exports import is_stamp, split_jump_link, split_lead_page, split_places
from .flashcards import Line, split_hashtags
from .highlights import clean_highlight, rich_text
from .inline import safe_url
from .limits import MAX_CHARS, capped, long_enough
from .model import Place, Problem, Quote, Span
from .noise import clean_line
from .reader import meta_tags
from .rich import join, pieces, protected
from .text import squash_spaces
from .weread import plugin_lines
from .zotero import split_citation


def describe_previous(label: re.Match[str], out: Collector) -> None:
    """A ``Note:`` or ``Tags:`` line standing after a highlight belongs to that highlight."""
    name = label["label"].lower()
    if out.quotes and name.startswith(("location", "loc", "page")):
        _add_place(name, label["value"], out)
        return
    if not name.startswith(("note", "comment", "tag")):
        return
    if not out.quotes:
        if label["value"].strip():
            out.problems.append(Problem(out.path, None, "warning",
                                        f"{label['label']}: line before any highlight; left out"))
        return
    last = out.quotes[-1]
    if name.startswith("tag"):
        tags = capped([*last.tags, *meta_tags(label["value"])], out.path, last.line,
                       out.problems)
        out.quotes[-1] = replace(last, tags=tuple(tags))
    elif label["open"] in ("*", "_"):  # "*Note: mine*": the line's emphasis, not the note's
        add_comment(label["value"].rstrip().removesuffix(label["open"]), out)
    else:
        add_comment(label["value"], out)


_LABEL_LINK = re.compile(r"^\[(?P<text>[^\[\]\n]{1,40})\]\((?P<url>[^()\s]{1,2000})\)$")


def _add_place(name: str, value: str, out: Collector) -> None:
    """A ``- Location: [260](kindle://...)`` or ``- Page: 12`` line under a highlight."""
    value = value.strip()
    link = _LABEL_LINK.match(value)
    text, url = (link["text"], link["url"]) if link else (value, "")
    if not text or len(text) > 40:
        return
    kind = "Page" if name.startswith("page") else "Location"
    url = safe_url(url) if url.lower().startswith(("http://", "https://", "kindle://")) else ""
    last = out.quotes[-1]
    place = Place(f"{kind} {squash_spaces(text)}", url)
    if place not in last.places:
        out.quotes[-1] = replace(last, places=(*last.places, place))


def comment_block(node: SyntaxTreeNode, out: Collector) -> None:
    """Text under a ``### Note`` heading inside a highlights section: the reader's own note."""
    if node.type in LISTS:
        for item in node.children:
            add_comment(item_text(item), out)
    elif node.type in ("paragraph", "html_block"):
        add_comment(block_text(node), out)
    elif node.type == "blockquote":
        add_comment(blockquote_text(node)[0], out)
    elif node.type == "fence":
        add_comment(block_text(node), out)


def add_comment(text: str, out: Collector) -> None:
    text = split_footer(text)[0]
    if not text.strip():
        return
    if not out.quotes:
        out.problems.append(Problem(out.path, None, "warning",
                                    "a note stands before any highlight; left out"))
        return
    if len(text) > MAX_CHARS:
        out.problems.append(Problem(out.path, out.quotes[-1].line, "warning",
                                    f"note on this highlight is {len(text)} characters long, "
                                    f"more than {MAX_CHARS}; left off the card"))
        return
    words, spans = rich_text(text)
    if words or spans:
        last = out.quotes[-1]
        _refused(spans, last.line, out)
        joined, joined_spans = join([*pieces(last.comment, last.comment_spans),
                                     (words, spans)])
        out.quotes[-1] = replace(last, comment=joined, comment_spans=joined_spans)


_MARK_TAG = re.compile(r"</?mark\b[^<>\n]{0,200}>", re.I)
"""``<mark style="background-color: ...">``: the colour an exporter gave the highlight."""


_TASK_BOX = re.compile(r"^\s*\[[ xX]\]\s+(?=\S)")


def _cleaned(lines: Sequence[Line]) -> tuple[list[Line], list[str]]:
    """A highlight's lines without what editors and exporters add to them (stamps, colour
    tags, comments, footnote marks, a task box, WeRead's pins, ``Highlight:`` labels), and the
    reader's words found among them (inline asides, ``💭`` thoughts, ``Note:`` lines)."""
    fenced = in_fence(lines)
    kept = [(number, text if code else _MARK_TAG.sub("", text))
            for (number, text), code in zip(lines, fenced, strict=True)
            if code or not is_stamp(text)]
    notes: list[str] = []
    for index, ((number, text), code) in enumerate(zip(kept, in_fence(kept), strict=True)):
        if not code:
            text, asides = clean_line(text)
            kept[index] = (number, text)
            notes.extend(asides)
    if kept and not in_fence(kept)[0]:  # "- [x] ...": a task list's box, not the passage's
        kept[0] = (kept[0][0], _TASK_BOX.sub("", kept[0][1], count=1))
    kept, thoughts = plugin_lines(kept)
    notes.extend(thoughts)
    labelled = split_labels([text for _, text in kept])
    if labelled is not None:  # "🎯 Highlight: ..." then "📝 Note: ...", as exports label them
        passage, labelled_notes = labelled
        kept = [(number, text) for (number, _), text in zip(kept, passage, strict=False)]
        notes.extend(labelled_notes)
    return kept, notes


def _split_text(text: str, prose: bool, out: Collector
                ) -> tuple[str, list[Place], list[Place], list[str], bool]:
    """A highlight's text without what follows or precedes the passage: a Zotero citation or
    Omnivore link (and the reader's words after it), a leading ``Page 72:``, Apple Books'
    footer (which names the book), a signature (``— Author``, only in ``prose``). Returns the
    text, the places before and after those its tail named (a leading page; a cited page),
    the reader's words, and whether a link back into the source marked it as an export's."""
    leading: list[Place] = []
    trailing: list[Place] = []
    notes: list[str] = []
    cited = False
    found = split_citation(text)
    if found is not None:  # Zotero: passage, citation linked into the PDF, the reader's comment
        text, page, remark = found
        text, before, _ = split_places(text)
        leading, trailing = list(before), [Place(f"Page {page}")] if page else []
        notes += [remark] if remark else []
        cited = True
    elif (jumped := split_jump_link(text)) is not None:
        text, remark = jumped  # Omnivore: passage, "[⤴️](link back)", the reader's note
        notes += [remark] if remark else []
        cited = True
    text, lead = split_lead_page(text)
    leading = [lead, *leading] if lead else leading
    text, book, author = split_footer(text)
    if book:  # Apple Books' "Excerpt From" footer names the book the passage comes from
        out.meta.setdefault("title", book)
        out.meta.setdefault("author", author)
    if prose:
        text, who = split_attribution(text)
        if who:
            notes.append(f"— {who}")
            out.signatures[signer(who)] += 1
    return text, leading, trailing, notes, cited


def add_lines(
    lines: Sequence[Line],
    section: str,
    out: Collector,
    comments: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> bool:
    """Add the highlight these lines hold; True when it ended with an export's location.

    The ``#tags`` ending a line become the quote's tags; the quote's line is where its text
    starts.
    """
    lines, notes = _cleaned(lines)
    fenced = in_fence(lines)
    text, places, located = split_places(joined_lines(lines).strip())
    text, leading, trailing, more_notes, cited = _split_text(text, not any(fenced), out)
    places = (*leading, *places, *trailing)
    comments = [*comments, *notes, *more_notes]
    located = located or cited
    kept: list[str] = []
    found_tags = list(tags)
    for line, code in zip(text.split("\n"), fenced, strict=False):
        if code:
            kept.append(line)  # code is code: "#include" is no tag
            continue
        rest, line_tags = split_hashtags(line)
        found_tags.extend(line_tags)
        kept.append(rest)
    start = next((number for number, text in lines if text.strip()), out.offset)
    added = _add_quote("\n".join(kept), start, section, out, list(comments), found_tags,
                       places, exported=located)
    if located:
        out.signals["located"] += 1
    return located or added


def _add_quote(
    raw: str,
    line: int,
    section: str,
    out: Collector,
    comments: list[str] | None = None,
    tags: list[str] | None = None,
    places: tuple[Place, ...] = (),
    *,
    exported: bool = False,
) -> bool:
    """Add one highlight; True when it ended with an export's location (Kindle, Readwise).
    ``places`` are what export tails already taken off said (its page, its location);
    ``exported`` says they included a location, so the e-reader made it a highlight: a word or
    two highlighted there (a term to look up) is kept, as the reader meant it."""
    if len(raw) > MAX_CHARS:
        out.problems.append(Problem(out.path, line, "warning",
                                    f"highlight is {len(raw)} characters long, more than "
                                    f"{MAX_CHARS}: too long for a card; skipped. Keep the "
                                    "passage worth remembering"))
        return False
    text, marks, spans, own_places, located = clean_highlight(raw)
    places = tuple(dict.fromkeys((*places, *own_places)))
    if not text:
        return located
    marked = any(c.strip() for c in comments or ()) or bool(tags) or exported or located
    if not long_enough(text) and not (marked and any(char.isalpha() for char in text)):
        # a fragment (a heading, a word) is kept only when the reader said what it is for:
        # a note on it (a vocabulary word and its translation) or a tag (#flashcard)
        out.problems.append(Problem(out.path, line, "warning",
                                    f"highlight {text[:80]!r} is too short for a useful card; "
                                    "skipped"))
        return located
    kept = protected(spans)
    if not marks and not _has_word_outside(text, kept):
        out.problems.append(Problem(out.path, line, "warning",
                                    "highlight is all code or formulas, which are never hidden "
                                    "unless you mark them: mark what to hide with ==...==; "
                                    "skipped"))
        return located
    _refused(spans, line, out)
    notes = [c for c in comments or () if c.strip()]
    if sum(len(c) for c in notes) > MAX_CHARS:
        out.problems.append(Problem(out.path, line, "warning",
                                    f"note on this highlight is more than {MAX_CHARS} "
                                    "characters long; left off the card"))
        notes = []
    comment, comment_spans = join(rich_text(c) for c in notes)
    _refused(comment_spans, line, out)
    kept_tags = capped(list(tags or ()), out.path, line, out.problems)
    out.quotes.append(Quote(text, line, section, marks, comment, tuple(kept_tags), spans=spans,
                            protected=kept, comment_spans=comment_spans, places=places))
    return located


def _refused(spans: tuple[Span, ...], line: int, out: Collector) -> None:
    """A warning for each formula that was refused (shown as text, see quote2anki.mathjax)."""
    for span in spans:
        if span.kind == "refused":
            out.problems.append(Problem(out.path, line, "warning",
                                        f"formula uses {span.label}, which could run code or "
                                        "change the page in Anki; shown as text, not typeset"))


def _has_word_outside(text: str, kept: tuple[tuple[int, int], ...]) -> bool:
    """Whether a letter or digit of ``text`` lies outside the protected stretches."""
    position = 0
    for start, end in kept:
        if any(char.isalnum() for char in text[position:start]):
            return True
        position = max(position, end)
    return any(char.isalnum() for char in text[position:])
