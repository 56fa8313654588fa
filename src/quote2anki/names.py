"""Whether a bit of text reads as a person's name, and a name put in reading order.

Titles and metadata name authors in many ways (``Title by Author``, ``Norman, Don``, a bold
``**Author**`` line under the title); these pure checks keep a subtitle or a section name from
being taken for one.
"""

from __future__ import annotations

import re


def unreversed(name: str) -> str:
    """One author written surname first (``Norman, Don``, as catalogues and some exports write
    it) in reading order; anything else (two authors, ``King, Jr.``) as it is.

    >>> unreversed("Norman, Don"), unreversed("Martin, Robert C."), unreversed("de Botton, Alain")
    ('Don Norman', 'Robert C. Martin', 'Alain de Botton')
    >>> unreversed("Gabriel Weinberg, Lauren McCann"), unreversed("King, Jr.")
    ('Gabriel Weinberg, Lauren McCann', 'King, Jr.')
    """
    last, sep, first = name.partition(", ")
    if not sep or "," in first:
        return name
    last_words, first_words = last.split(), first.split()
    if (len(last_words) > 3 or not 1 <= len(first_words) <= 3
            or not all(is_name_word(word) for word in [*last_words, *first_words])
            or any(word.casefold().strip(".") in _SUFFIXES for word in first_words)
            or sum(not _PARTICLE.fullmatch(word) for word in last_words) != 1):
        return name
    return f"{first} {last}"


_SUFFIXES = frozenset("jr sr ii iii iv phd md esq".split())
_PARTICLE = re.compile(r"van|von|de|der|den|da|di|du|del|della|le|la|al|bin|ibn|ten|ter")
"""Lower-case words that belong to a surname (``van Gogh``, ``de Botton``)."""
_NOT_NAME_WORDS = frozenset(
    "the a an of and to in for on with from how why what part volume vol book edition chapter "
    "summary notes highlights review abridged unabridged revised key main takeaways ideas "
    "thoughts lessons quotes introduction conclusion contents overview my our your this about "
    "table".split())


def is_name_word(word: str) -> bool:
    """A word a person's name can hold: capitalised (``Zoë``, ``O'Neil``), an initial, or a
    surname particle (``van``)."""
    if _PARTICLE.fullmatch(word):
        return True
    core = word.rstrip(".,")
    return (bool(core) and core[0].isupper() and core.casefold() not in _NOT_NAME_WORDS
            and all(char.isalpha() or char in "'’.-" for char in core))


_CJK_NAME = re.compile(r"^(?:[\[［(（【〔][^\]］)）】〕]{1,4}[\]］)）】〕]\s*)?"
                       r"[\u3400-\u4dbf\u4e00-\u9fff\u30a0-\u30ff·・•]{2,12}$")


_CJK_SECTION_WORDS = ("笔记", "筆記", "目录", "目錄", "前言", "序", "摘要", "书评", "書評", "总结",
                      "總結", "划线", "想法", "评论", "章", "节", "要約", "目次", "感想", "メモ")
"""Words of a section name, never of a person's name (``读书笔记``, reading notes)."""


def looks_like_name(text: str) -> bool:
    """Whether ``text`` alone reads as an author's name: two to four name words, or two to twelve
    ideographs (with an optional ``[德]`` nationality mark and ``·`` between a foreign name's
    parts).

    >>> [looks_like_name(t) for t in ["Ines Marrow", "费孝通", "[德]叔本华", "Robert C. Martin"]]
    [True, True, True, True]
    >>> [looks_like_name(t) for t in ["Summary", "Key Takeaways", "Notes on Part 2", "读书笔记"]]
    [False, False, False, False]
    """
    text = " ".join(text.split())
    if _CJK_NAME.match(text):
        return not any(word in text for word in _CJK_SECTION_WORDS)
    words = text.split()
    return 2 <= len(words) <= 4 and all(is_name_word(word) for word in words)
