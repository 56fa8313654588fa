"""Repairing the text of a note before anything reads its structure.

Real notes were copied from e-readers and PDFs and often saved through the wrong encoding
once. Repair happens here, once, so later steps can assume clean Unicode text.
"""

from __future__ import annotations

import re
import unicodedata

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
    r"\d{1,3}(?= [A-Z“\"])"
)


def drop_footnote_markers(text: str) -> str:
    """Remove footnote numbers that a copy from an e-book glued to sentence ends.

    >>> drop_footnote_markers("new data.2 Stateful training is")
    'new data. Stateful training is'
    >>> drop_footnote_markers("is $86.61.9 The acquisition cost")
    'is $86.61. The acquisition cost'
    >>> drop_footnote_markers("about 1.3 million. In 2019.10 Things")
    'about 1.3 million. In 2019.10 Things'
    """
    return _FOOTNOTE.sub("", text)


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
