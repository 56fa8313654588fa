"""Repairing the text of a note before anything reads its structure.

Real notes were copied from e-readers and PDFs and often saved through the wrong encoding
once. Repair happens here, once, so later steps can assume clean Unicode text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache, lru_cache

import ftfy
from ftfy.badness import is_bad
from ftfy.fixes import fix_latin_ligatures

# Curly quotes and full-width CJK punctuation are what the book printed: keep them.
# HTML entities stay as typed: a quote about "&amp;" must keep saying "&amp;".
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    explain=False,
)

# UTF-8 read as Mac Roman turns a 4-byte emoji into U+F8FF (the Apple logo, byte 0xF0) plus
# three more characters; ftfy leaves that alone because U+F8FF is a private-use character.
_MACROMAN_HIGH = "".join(
    bytes([b]).decode("mac_roman") for b in range(0x80, 0x100)
)
_MACROMAN_EMOJI = re.compile("\uf8ff[" + re.escape(_MACROMAN_HIGH) + "]{3}")

# Spaces that look like spaces but do not compare equal to one.
_SPACES = re.compile("[\u00a0\u2007\u202f\u2009\u200a\u3000]")
# Invisible characters that only get in the way (zero-width space, word joiner, BOM, soft hyphen)
# and control characters: NUL and Anki's field separator \x1f would corrupt a note. Lone
# surrogates cannot be written as UTF-8 at all; only a YAML escape can produce one.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _decode_macroman_emoji(match: re.Match[str]) -> str:
    try:
        return match.group().encode("mac_roman").decode("utf-8")
    except UnicodeError:
        return match.group()


def _repair_line(line: str) -> str:
    """ftfy for a line that looks like mojibake; the cheap fixes for every other line.

    Running ftfy's full pipeline on clean text is the most expensive step of a build, and
    its own badness test is what decides whether it changes anything, so the test comes first.
    """
    if line.isascii():
        return line
    if is_bad(line):
        return ftfy.fix_text(line, _FTFY)
    return fix_latin_ligatures(unicodedata.normalize("NFC", line))


def repair(text: str) -> str:
    """Undo mojibake and normalise invisible characters and odd spaces.

    >>> repair("In English, ‚Äúpredict‚Äù means it.")
    'In English, “predict” means it.'
    >>> repair("# \\uf8ffüöÄ The Book in 3 Sentences")
    '# 🚀 The Book in 3 Sentences'
    >>> repair("Chapter\\u00a01\\u200b")
    'Chapter 1'
    """
    if text.isascii():
        return _INVISIBLE.sub("", text)
    text = "".join(_repair_line(line) for line in text.splitlines(keepends=True))
    if "\uf8ff" in text:
        text = _MACROMAN_EMOJI.sub(_decode_macroman_emoji, text)
    return clean_text(text)


def clean_text(text: str) -> str:
    """Odd spaces made plain and invisible or control characters removed; nothing else.

    For text that did not come from the file as written (a YAML ``"\\x1f"`` escape, say), where
    mojibake repair has already happened but a control character could still break a field.

    >>> clean_text("Dune\\x1f\\x00\\u00a0II\\ud800")
    'Dune II'
    """
    return _INVISIBLE.sub("", _SPACES.sub(" ", text))


# A footnote number glued to the end of a sentence: a letter (or closing quote or bracket)
# and a full stop, or an amount with cents and a full stop ($86.61.9), then 1-3 digits, then a
# new sentence. Section numbers (4.2.1) and years (2019.10) are left alone.
_FOOTNOTE = re.compile(
    r"(?:(?<=[^\W\d_][.!?])|(?<=[.!?][\"”’)\]])|(?<=\d\.\d\d\.))"
    r"\d{1,3}(?= [A-Z“\"]|$)"
)


# A footnote number glued to a word: ``ways18``, ``Yourself13``, ``humanly:19``,
# ``structure.4 #tag``; the word is checked against the word list, and words that carry a
# number as part of their name (``Python3``, ``base64``, ``HTML5``) are kept.
_GLUED = re.compile(r"(?<![\w.$/-])(?P<word>[A-Za-z][a-z]{2,30}+)(?P<mark>[.,;:!?”’\"')]?)"
                    r"(?P<digits>\d{1,3})(?=[\s,;:)\]]|$)")
_DIGIT = re.compile(r"\d")
_NAMED_WITH_NUMBER = frozenset(
    "python base float uint int html css web windows win covid level year angular java "
    "office excel android xbox tier version gen log utf sha ipv mpeg iphone galaxy pixel "
    "note macbook series model type class grade phase stage round chapter part page figure "
    "table section item step rule law day week month vol volume issue number no appendix "
    "lesson unit module exercise problem question example listing line".split())


def drop_footnote_markers(text: str) -> str:
    """Remove footnote numbers that a copy from an e-book glued to sentence ends and words.

    >>> drop_footnote_markers("new data.2 Stateful training is")
    'new data. Stateful training is'
    >>> drop_footnote_markers("is $86.61.9 The acquisition cost")
    'is $86.61. The acquisition cost'
    >>> drop_footnote_markers("about 1.3 million. In 2019.10 Things")
    'about 1.3 million. In 2019.10 Things'
    >>> drop_footnote_markers("It ends the decision.11")
    'It ends the decision.'
    >>> drop_footnote_markers("in three ways18 and Don't Repeat Yourself13, to act humanly:19")
    "in three ways and Don't Repeat Yourself, to act humanly:"
    >>> drop_footnote_markers("Python3, base64, HTML5, Figure 3, page12 and mp3 stay")
    'Python3, base64, HTML5, Figure 3, page12 and mp3 stay'
    >>> drop_footnote_markers("the energy is mc² in km², as the author noted.¹² Then more")
    'the energy is mc² in km², as the author noted. Then more'
    >>> drop_footnote_markers("a quiet revolution³ began")
    'a quiet revolution began'
    """
    if _SUPERSCRIPT.search(text) is not None:
        text = _SUPERSCRIPT_MARK.sub(_unglue_superscript, text)
    if _DIGIT.search(text) is None:
        return text
    return _GLUED.sub(_unglue, _FOOTNOTE.sub("", text))


_SUPERSCRIPT = re.compile("[¹²³⁰⁴-⁹]")
_SUPERSCRIPT_MARK = re.compile(r"(?P<before>[A-Za-z]{3,30}+|[.,;:!?”’\"')])"
                               r"(?P<marks>[¹²³⁰⁴-⁹]{1,4})(?![\w¹²³⁰⁴-⁹])")


def _unglue_superscript(match: re.Match[str]) -> str:
    before = match["before"]
    if before[0].isalpha() and word_frequency(before) < 2.0:
        return match.group()  # x², km³: a power, not a note
    return before


def _unglue(match: re.Match[str]) -> str:
    word = match["word"]
    if word.casefold() in _NAMED_WITH_NUMBER or int(match["digits"]) in (8, 16, 32, 64, 128, 256):
        return match.group()
    if word_frequency(word) < 2.0:
        return match.group()
    return word + match["mark"]


@cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict  # shared with definitions/words.py: one cached dict

    return get_frequency_dict("en", wordlist="best")


def word_frequency(word: str) -> float:
    """How common an English word is on the Zipf scale (7 for "the"), 0 if unknown.

    >>> word_frequency("finding") > 4 > word_frequency("fnding") == 0
    True
    """
    frequency = _frequencies().get(word.casefold())
    return math.log10(frequency) + 9 if frequency else 0.0


# PDF copies lose ligatures: "fi" and "fl" vanish (``fnding``, ``fles``, ``workfow``), or come
# out as another character (``suÿcient`` for "ffi", ``e˙ort`` for "ff").
_LIGATURE_CHARS = {"ÿ": ("ffi", "ff", "fi"), "˙": ("ff", "fi", "fl"), "Ɵ": ("ti",)}
_CANDIDATE = re.compile(r"(?<![\w˙])(?=(?:[^\W\d_]|˙){2,40}+(?![\w˙]))"
                        r"(?:[^\W\d_fFÿ˙Ɵ]){0,40}+[fFÿ˙Ɵ](?:[^\W\d_]|˙){0,40}+(?![\w˙])")
_REPAIR_GAIN = 2.5
"""A repair must be this much more common (on the Zipf scale) than the broken word."""


def repair_ligatures(text: str) -> tuple[str, int, list[str]]:
    """``text`` with the words a PDF copy broke put back, how many, and a few examples.

    A word is repaired only when it is rare or unknown and exactly one way of putting back a
    ligature makes a common English word of it, much more common than the word as written.

    >>> text, count, examples = repair_ligatures("the fnding is suÿcient, without e˙ort; "
    ...                                          "see the fles. Fine frst.")
    >>> text, count
    ('the finding is sufficient, without effort; see the files. Fine first.', 5)
    >>> examples
    ['fnding → finding', 'suÿcient → sufficient', 'e˙ort → effort']
    >>> repair_ligatures("Define a field of fire in the forest; la fuerza es fuerte.")[1]
    0
    """
    if "f" not in text and not any(char in text for char in _LIGATURE_CHARS):
        return text, 0, []
    examples: list[str] = []
    count = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal count
        word = match.group()
        better = _ligature_fix(word)
        if better is None:
            return word
        count += 1
        example = f"{word} → {better}"
        if len(examples) < 3 and example not in examples:
            examples.append(example)
        return better

    return _CANDIDATE.sub(fix, text), count, examples


@lru_cache(maxsize=65_536)
def _ligature_fix(word: str) -> str | None:
    special = [char for char in _LIGATURE_CHARS if char in word]
    if not special and "f" not in word.casefold():
        return None
    lower = word.casefold()
    before = word_frequency(lower) if not special else 0.0
    if before >= 2.0:
        return None
    options: set[str] = set()
    if special:
        char = special[0]
        options = {lower.replace(char, repl) for repl in _LIGATURE_CHARS[char]}
    else:
        for index, char in enumerate(lower):
            if char == "f":
                for repl in ("fi", "fl", "ffi", "ffl", "ff"):
                    options.add(lower[:index] + repl + lower[index + 1 :])
    scored = sorted(((word_frequency(option), option) for option in options), reverse=True)
    if not scored or scored[0][0] < max(3.0, before + _REPAIR_GAIN):
        return None
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - 0.5:
        return None  # two repairs are as likely: leave it as written
    best = scored[0][1]
    if word[:1].isupper():
        best = best[:1].upper() + best[1:]
    if word.isupper() and len(word) > 1:
        best = best.upper()
    return best


_WHITESPACE = re.compile(r"\s+")


def squash_spaces(text: str) -> str:
    """Collapse runs of whitespace (line breaks included) to one space and trim.

    >>> squash_spaces("  one\\n  two\\tthree ")
    'one two three'
    """
    return _WHITESPACE.sub(" ", text).strip()


_NON_WORD = re.compile(r"[\W_]+")


def fingerprint(text: str) -> str:
    """The text reduced to lower-case words, for comparing quotes regardless of punctuation.

    >>> fingerprint("It’s  *good*, isn't it?")
    'it s good isn t it'
    """
    return _NON_WORD.sub(" ", text.casefold()).strip()
