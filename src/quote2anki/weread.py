"""WeRead (微信读书): the shape of its "export notes" text, pasted into a note.

WeRead writes the book as ``《Title》``, then the author over ``12个笔记`` ("12 notes"), then for
each chapter a plain line with the chapter's name and under it one ``◆ `` paragraph per
highlight. A thought of the reader's is ``◆ 2023/01/05发表想法`` ("posted a thought"), the
thought's paragraphs, and ``原文：`` ("original text") with the highlight it was written on.
Older versions mark a highlight ``>> `` (a blockquote to Markdown) and a chapter ``◆ ``.
These pure helpers say what each line is; :mod:`quote2anki.walker` acts on them.
"""

from __future__ import annotations

import re

_MARK = re.compile(r"^\s*◆\s*")
_THOUGHT = re.compile(r"^\s*◆\s*\d{4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{1,2}\s*发表想法\s*$")
_ORIGINAL = re.compile(r"^\s*原文\s*[:：]\s*")
_TITLE = re.compile(r"^\s*《(?P<title>[^《》\n]{1,200})》\s*$")
_COUNT = re.compile(r"^\s*\d{1,6}\s*个笔记\s*$")
_FROM = re.compile(r"^\s*-{1,3}\s*来自微信读书\s*$")


def entry(text: str) -> str | None:
    """The highlight a ``◆`` paragraph holds, or None when it is no ``◆`` entry.

    >>> entry("◆ 灯塔是对陌生人许下的承诺。"), entry("灯塔是对陌生人许下的承诺。")
    ('灯塔是对陌生人许下的承诺。', None)
    """
    if not _MARK.match(text) or is_thought(text):
        return None
    return _MARK.sub("", text, count=1).strip() or None


def is_thought(text: str) -> bool:
    """Whether a line opens one of the reader's thoughts (``◆ 2023/01/05发表想法``).

    >>> is_thought("◆ 2023/01/05发表想法"), is_thought("◆ 潮汐有它自己的日历。")
    (True, False)
    """
    return bool(_THOUGHT.match(text))


def original(text: str) -> str | None:
    """The highlight a thought was written on (``原文：...``), or None.

    >>> original("原文：每一个港湾都记得它挺过的风暴。"), original("我的想法")
    ('每一个港湾都记得它挺过的风暴。', None)
    """
    if not _ORIGINAL.match(text):
        return None
    return _ORIGINAL.sub("", text, count=1).strip() or None


def title_line(text: str) -> str | None:
    """The book a ``《Title》`` line alone names.

    >>> title_line("《安静的港湾》"), title_line("我读了《安静的港湾》。")
    ('安静的港湾', None)
    """
    match = _TITLE.match(text)
    return match["title"].strip() if match else None


def author_lines(lines: list[str]) -> str | None:
    """The author in WeRead's ``author`` over ``12个笔记`` lines.

    >>> author_lines(["玛拉·沃斯", "12个笔记"]), author_lines(["12个笔记"])
    ('玛拉·沃斯', None)
    """
    if len(lines) == 2 and _COUNT.match(lines[1]) and 0 < len(lines[0].strip()) <= 80:
        return lines[0].strip()
    return None


def is_noise(text: str) -> bool:
    """A line of WeRead's own that is no highlight: ``12个笔记``, ``-- 来自微信读书``.

    >>> is_noise("-- 来自微信读书"), is_noise("3个笔记"), is_noise("潮汐")
    (True, True, False)
    """
    return bool(_COUNT.match(text) or _FROM.match(text))


def plain(text: str) -> bool:
    """Whether a line is none of WeRead's marked lines (entry, thought, original, noise).

    >>> plain("第一章 潮汐"), plain("◆ 2023/01/05发表想法"), plain("原文：风暴。")
    (True, False, False)
    """
    return not (_MARK.match(text) or _ORIGINAL.match(text) or is_noise(text))


def chapter_line(text: str) -> bool:
    """Whether a plain paragraph between ``◆`` entries names a chapter: one short line that
    does not end a sentence.

    >>> chapter_line("第一章 潮汐"), chapter_line("潮汐有它自己的日历，水手先学会读它。")
    (True, False)
    """
    text = text.strip()
    return (bool(text) and "\n" not in text and len(text) <= 40
            and not text.endswith(tuple(".!?。！？…”\"")))


_PIN = re.compile(r"^(\s*(?:[-*+]\s+)?)📌\ufe0f?\s*")
_TIME = re.compile(r"^\s*(?:[-*+]\s+)?⏱\ufe0f?\s*[\d/: .-]{4,30}\s*$")
_MUSING = re.compile(r"^\s*(?:[-*+]\s+)?💭\ufe0f?\s*(?P<text>\S.*)$")
_LINE_ID = re.compile(r"\s+\^[\w-]{1,40}\s*$")


def plugin_lines(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[str]]:
    """A highlight's lines as the WeRead plugins for Obsidian write them: without the ``📌``
    before the text, the ``^block-id`` after it and the ``⏱ 2023-01-05 10:12`` line below it;
    and the reader's thoughts (``💭 ...`` lines) apart.

    >>> plugin_lines([(1, "📌 风暴过后。 ^33-7-12"), (2, "💭 想起外婆。"),
    ...               (3, "⏱ 2023-01-06 09:00")])
    ([(1, '风暴过后。')], ['想起外婆。'])
    >>> plugin_lines([(1, "The sea, ^ as ever.")])
    ([(1, 'The sea, ^ as ever.')], [])
    """
    if not any(_PIN.match(text) or _TIME.match(text) or _MUSING.match(text)
               for _, text in lines):
        return lines, []
    kept: list[tuple[int, str]] = []
    thoughts: list[str] = []
    for number, text in lines:
        if _TIME.match(text):
            continue
        if musing := _MUSING.match(text):
            thoughts.append(musing["text"].strip())
            continue
        kept.append((number, _LINE_ID.sub("", _PIN.sub(r"\1", text))))
    return kept, thoughts
