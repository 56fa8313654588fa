"""What a note calls its book: the title as a reader would name its deck.

Titles come with what is not the title around them: a byline (``Title by Author``,
``Title - Author`` in a file name), a long subtitle, quotation marks, the words of the note
itself (``Book Notes: Title``, ``Title (Summary)``), a star rating, a file name's numbering,
slug or Notion page id. These pure helpers take each off.
"""

from __future__ import annotations

import re

from .names import is_name_word, looks_like_name, unreversed
from .sections import clean_heading
from .text import fingerprint


def clean_title(text: str) -> str:
    """A title as a deck can carry it: one line, no quotation marks around it all, no trailing
    backslash (Logseq's hard break).

    >>> clean_title('"Clean Code"\\\\')
    'Clean Code'
    >>> clean_title("“Interesting” in production")
    '“Interesting” in production'
    """
    text = clean_heading(text).rstrip("\\").strip()
    for left, right in (('"', '"'), ("“", "”"), ("'", "'"), ("«", "»")):
        if len(text) > 2 and text.startswith(left) and text.endswith(right) and \
                left not in text[1:-1] and right not in text[1:-1]:
            text = text[1:-1].strip()
    return text


def without_note_words(title: str, known: tuple[str, ...] = ()) -> str:
    """A title without the words that name the note rather than the book (``Book Notes: X``,
    ``X (Summary)``, ``X - Highlights``, ``X ★★★★☆``); ``""`` when nothing else is left.

    A real title that starts with such words (``Notes from a Small Island``) keeps them: only a
    separator, the word "book" or a noun no title starts with (``Highlights from X``) marks them
    as the note's, or ``known`` (what the note is called elsewhere, its file name) naming the
    rest.

    >>> without_note_words("Book Notes: The Quiet Shore"), without_note_words("Shore (Summary)")
    ('The Quiet Shore', 'Shore')
    >>> without_note_words("The Quiet Shore — Highlights"), without_note_words("Quiet Shore ★★★★☆")
    ('The Quiet Shore', 'Quiet Shore')
    >>> without_note_words("Notes from a Small Island"), without_note_words("Book Notes")
    ('Notes from a Small Island', '')
    >>> without_note_words("Notes on the Quiet Shore", ("The Quiet Shore",))
    'the Quiet Shore'
    >>> {without_note_words(t) for t in ["Highlights from Tallow", "Summary of Tallow",
    ...  "Reading Notes: Tallow", "Book: Tallow", "Tallow: Summary & Notes", "Tallow Summary",
    ...  "Tallow - Book Summary & Review", "Tallow [Book Notes]", "Tallow (Kindle Edition)",
    ...  "Tallow (2019)", "Tallow 📚", "Key Takeaways from Tallow", "Tallow — Highlights & Notes"]}
    {'Tallow'}
    >>> without_note_words("Tallow (2nd Edition)"), without_note_words("C++ Notes")
    ('Tallow (2nd Edition)', 'C++ Notes')
    >>> without_note_words("Tallow - Chapter 1"), without_note_words("Tallow (Ch. 3)")
    ('Tallow', 'Tallow')
    >>> without_note_words("Dune: Part Two")
    'Dune: Part Two'

    """
    text = _TRAILING_SYMBOLS.sub("", _RATING.sub("", title)).strip()
    for pattern in (_NOTE_PREFIX, _NOTE_SUFFIX, _EDITION, _CHAPTER_SUFFIX):
        text = pattern.sub("", text).strip()
    names = {fingerprint(name) for name in known if name}
    loose = _LOOSE_PREFIX.sub("", text).strip()
    if loose != text and fingerprint(loose) in names:
        text = loose
    return "" if _NOTE_ALONE.fullmatch(text) else text


_NOTE_NOUN = (r"(?:notes?|summary|summaries|highlights|annotations|reviews?|takeaways|quotes|"
              r"excerpts|lessons|reflections|thoughts)")
_NOTE_NOUNS = rf"{_NOTE_NOUN}(?:\s*(?:and|&|\+|,)\s*{_NOTE_NOUN})*"
_NOTE_QUALIFIER = r"(?:my\s+)?(?:(?:book|reading|study|key|kindle)\s+)?"
_NOTE_PREFIX = re.compile(
    rf"^(?:{_NOTE_QUALIFIER}{_NOTE_NOUNS}(?:\s+(?:on|of|from|for))?\s*[:：|—–-]|book\s*[:：|—–-]|"
    rf"{_NOTE_QUALIFIER}(?:highlights|quotes|summary|takeaways|lessons|excerpts|annotations|"
    rf"review)\s+(?:on|of|from|for))\s+(?=\S)(?!(?:my|our|this|these|some|all)\b)", re.I)
_LOOSE_PREFIX = re.compile(rf"^{_NOTE_QUALIFIER}{_NOTE_NOUNS}\s+(?:on|of|from|for)\s+(?=\S)",
                           re.I)
"""``Notes on X``: the note's words only when ``X`` is what the note is called elsewhere, since
``Notes from a Small Island`` is a book."""
_NOTE_SUFFIX = re.compile(
    rf"(?:\s*[:：|—–-]\s*{_NOTE_QUALIFIER}{_NOTE_NOUNS}|"
    rf"\s*[(\[]{_NOTE_QUALIFIER}{_NOTE_NOUNS}[)\]]|"
    rf"\s+book\s+{_NOTE_NOUNS}|\s+summary)$", re.I)
_CHAPTER_SUFFIX = re.compile(
    r"(?:\s*[:：|—–-]\s*|\s*\(\s*)(?:chapters?|ch\.|chap\.|kapitel|chapitre|cap[ií]tulo)\s*"
    r"[\w.]{1,8}(?:\s*[–-]\s*[\w.]{1,8})?\s*\)?$", re.I)
"""``Title - Chapter 1``, ``Title (Ch. 3)``: a note on a chapter, of the book ``Title``."""
_NOTE_ALONE = re.compile(rf"{_NOTE_QUALIFIER}{_NOTE_NOUNS}", re.I)
_EDITION = re.compile(r"\s*\((?:book|e-?book|kindle(?: edition)?|paperback|hardcover|audiobook|"
                      r"\d{4})\)$", re.I)
"""``(Kindle Edition)``, ``(2019)``: the copy or year, not the title (``(2nd Edition)`` is)."""
_RATING = re.compile(r"\s*(?:[⭐★☆✩✪✫✬✭✮✯]\ufe0f?){1,10}\s*$|\s*\(\d(?:\.\d)?\s*/\s*(?:5|10)\)\s*$")
_TRAILING_SYMBOLS = re.compile(r"\s+[\U0001F300-\U0001FAFF\u2600-\u27BF\ufe0f\u200d]+$")
"""An emoji after the title (``Tallow 📚``)."""


_TITLE_BY = re.compile(r"^(?P<title>.{2,300}?)\s+(?:by|von|par|por|de)\s+(?P<name>[^\s].{1,120})$")
_TITLE_DASH = re.compile(r"^(?P<title>.{1,300}?)\s+(?P<dash>[—–-])\s+(?P<name>[^\s].{1,120})$")
_TITLE_PAREN = re.compile(r"^(?P<title>.{2,300}?)\s*\((?P<name>[^()]{2,120}?)(?:,\s*\d{4})?\)$")
_AUTHOR_DASH = re.compile(r"^(?P<name>[^\s].{1,120}?)\s+[—–-]\s+(?P<title>.{1,300})$")


def split_byline(title: str, author: str, known: tuple[str, ...] = ()) -> tuple[str, str]:
    """A title that names its author (``Title by Author``, ``Title — Author``, ``Title (Author)``,
    ``Title — Last, First``, as blog pages and file names do) as the title and that author; any
    other title as it is, with ``""``.

    With the author known, only that author is taken off; without one, two to four words that
    read as a name. A plain hyphen (``Title - Author``) counts only when the title is what the
    note is called elsewhere (``known``: its file name, its frontmatter title) or part of it is,
    since ``Title - Subtitle`` is as common.

    >>> split_byline("The Art of Small Steps by Rosa Lind", "Rosa Lind")
    ('The Art of Small Steps', 'Rosa Lind')
    >>> split_byline("Essentialism: The Disciplined Pursuit of Less — McKeown, Greg", "")
    ('Essentialism: The Disciplined Pursuit of Less', 'Greg McKeown')
    >>> split_byline("The Lean Startup by Eric Ries", "")
    ('The Lean Startup', 'Eric Ries')
    >>> split_byline("Stand by Me", ""), split_byline("Driven by Data", "")
    (('Stand by Me', ''), ('Driven by Data', ''))
    >>> split_byline("Sapiens - A Brief History", ""), split_byline("Run by The Book Club", "")
    (('Sapiens - A Brief History', ''), ('Run by The Book Club', ''))
    >>> split_byline("Tallow — Ines Marrow", ""), split_byline("Dune — Part Two", "")
    (('Tallow', 'Ines Marrow'), ('Dune — Part Two', ''))
    >>> split_byline("Harbour Lights - Ines Marrow", "", ("Harbour Lights - Ines Marrow",))
    ('Harbour Lights', 'Ines Marrow')
    >>> split_byline("Harbour Lights - Ines Marrow", "")
    ('Harbour Lights - Ines Marrow', '')
    >>> split_byline("Harbour Lights (Ines Marrow)", ""), split_byline("Tallow (2nd Edition)", "")
    (('Harbour Lights', 'Ines Marrow'), ('Tallow (2nd Edition)', ''))

    A hyphen between a name and words that cannot be one is a byline either way round (``Ines
    Marrow - The Tallow Trade``, as files are named by author), and so is ``(Name, 2019)``:

    >>> split_byline("Ines Marrow - The Tallow Trade", ""), split_byline("Tallow - Ines Marrow", "")
    (('The Tallow Trade', 'Ines Marrow'), ('Tallow', 'Ines Marrow'))
    >>> split_byline("The Tallow Trade (Ines Marrow, 2019)", "")
    ('The Tallow Trade', 'Ines Marrow')
    >>> split_byline('"The Tallow Trade" by Ines Marrow', "")
    ('The Tallow Trade', 'Ines Marrow')
    >>> split_byline("Tallow, by Ines Marrow", "")
    ('Tallow', 'Ines Marrow')
    """
    title, author = _split_byline(title, author, known)
    return clean_title(title.rstrip(" ,;")), author


def _split_byline(title: str, author: str, known: tuple[str, ...]) -> tuple[str, str]:
    names = {fingerprint(name) for name in known if name}
    for pattern in (_TITLE_BY, _TITLE_DASH, _TITLE_PAREN):
        match = pattern.match(title)
        if match is None:
            continue
        name = unreversed(match["name"].strip().rstrip("."))
        reversed_name = name != match["name"].strip().rstrip(".")  # "McKeown, Greg"
        if author:
            if _same_name(name, author):
                return match["title"].strip(), author
            continue
        words = name.split()
        if not (2 <= len(words) <= 4 and all(is_name_word(word) for word in words)):
            continue
        if pattern is _TITLE_BY:
            fits = len(match["title"].split()) >= 2 or match["title"].endswith(",")
        elif pattern is _TITLE_DASH:
            named = bool(names & {fingerprint(title), fingerprint(match["title"])})
            fits = (reversed_name or match["dash"] != "-" or named
                    or not looks_like_name(match["title"]))
        else:
            fits = True
        if fits:
            return match["title"].strip(), name
    match = _AUTHOR_DASH.match(title)
    if match is not None:
        name = match["name"].strip()
        if author and _same_name(name, author):
            return match["title"].strip(), author
        if not author and looks_like_name(name) and not looks_like_name(match["title"]):
            return match["title"].strip(), name
    return title, ""


def _same_name(one: str, other: str) -> bool:
    def key(name: str) -> list[str]:
        return sorted(re.findall(r"\w+", name.casefold()))

    return key(one) == key(other)


def split_subtitle(title: str) -> tuple[str, str]:
    """A long ``Title: Subtitle`` as the title and the subtitle; a short one stays whole.

    The subtitle is what follows the first ``": "`` when it has at least four words and the
    title before it at most eight (and is no ``Chapter 3``): ``Dune: Part Two`` or ``C++: The
    Good Parts`` would lose their sense if cut.

    >>> split_subtitle("The Lantern Keeper's Manual: Practical Notes on Lighting Old Harbour "
    ...                "Towers")
    ("The Lantern Keeper's Manual", 'Practical Notes on Lighting Old Harbour Towers')
    >>> split_subtitle("Tallow: A Short History of the Candle Trade")
    ('Tallow', 'A Short History of the Candle Trade')
    >>> split_subtitle("Dune: Part Two"), split_subtitle("Chapter 3: Rent")
    (('Dune: Part Two', ''), ('Chapter 3: Rent', ''))
    >>> split_subtitle("Why Is the Harbour Master $40 Million Richer Than You?")
    ('Why Is the Harbour Master $40 Million Richer Than You?', '')
    """
    head, sep, tail = title.partition(": ")
    if not sep:
        return title, ""
    head, tail = head.strip(), tail.strip()
    words = [word for word in tail.split() if any(char.isalnum() for char in word)]
    if (len(words) < 4 or len(head.split()) > 8 or len(head) < 2 or not head[-1].isalnum()
            or re.fullmatch(r"(?:chapter|part|book|vol\.?|volume)\s*\w+", head, re.I)):
        return title, ""
    return head, tail


_FILE_NUMBER = re.compile(r"^(?:0\d{0,2}[_ .-]+|\d{1,3}(?:[_.]|\s+-)\s*|\d{8,14}[_ .-]+|"
                          r"\d{4}-\d\d-\d\d[_ .-]+)(?=\D)")
"""A leading number (``01 ``, ``3_``, ``2. ``), Zettelkasten id (``202301051230 ``) or date
(``2024-03-01 ``); ``12 Rules for Life`` keeps its number."""
_FILE_NOTES = re.compile(r"(?<!\b[Ff]ield)(?<!\b[Ll]ecture)(?<!\b[Cc]liff)(?<!\b[Ss]tudy)"
                         r"[\s_-]+(?:book[\s_-]+)?(?:notes|Notes|NOTES)$")
_NOTION_ID = re.compile(r"\s+[0-9a-f]{32}$")
"""The page id a Notion export appends to every file name."""
_SMALL_WORDS = frozenset("a an and as at but by for from in into nor of on or the to up via vs "
                         "with".split())


def file_title(stem: str) -> str:
    """A file name as a title: without a leading ``01_`` numbering, and a slug
    (``the-psychology-of-money``, as blogs name files) read as words.

    >>> file_title("01_⭐The Lantern Keeper's Manual"), file_title("1984")
    ("⭐The Lantern Keeper's Manual", '1984')
    >>> file_title("the-psychology-of-money"), file_title("on_writing_well")
    ('The Psychology of Money', 'On Writing Well')
    >>> file_title("Block 3 Part 2"), file_title("e-mail"), file_title("ostep_book")
    ('Block 3 Part 2', 'e-mail', 'Ostep Book')
    >>> file_title("Quiet Shore 3f2a9c0d4b1e4e6f8a7b6c5d4e3f2a1b"), file_title("202301051230 Dune")
    ('Quiet Shore', 'Dune')
    >>> file_title("12 Rules for Harbours"), file_title("03 Tallow"), file_title("2. Tallow")
    ('12 Rules for Harbours', 'Tallow', 'Tallow')
    >>> file_title("Tallow Trade Notes"), file_title("tallow_trade_notes")
    ('Tallow Trade', 'Tallow Trade')
    >>> file_title("Field Notes"), file_title("Notes")
    ('Field Notes', 'Notes')
    """
    stem = _NOTION_ID.sub("", stem)
    noted = _FILE_NOTES.sub("", stem)
    if noted != stem and len(re.split(r"[\s_-]+", noted.strip())) >= 2:
        stem = noted  # "Tallow Trade Notes": the notes on "Tallow Trade"
    rest = _FILE_NUMBER.sub("", stem)
    stem = rest if re.search(r"[^\W\d_]", rest) else stem
    if " " in stem or not re.search(r"[-_]", stem) or len(re.split(r"[-_]+", stem)) < 2:
        return stem
    words = [word for word in re.split(r"[-_]+", stem) if word]
    if len(words) < 2 or (len(words) == 2 and stem.count("-") == 1 and "_" not in stem and
            stem.islower() and len(stem) < 8):
        return stem  # e-mail, t-shirt: one word with a hyphen
    if stem != stem.lower():
        return " ".join(words)
    return " ".join(word if index and word in _SMALL_WORDS else word[:1].upper() + word[1:]
                    for index, word in enumerate(words))
