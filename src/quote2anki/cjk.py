"""Chinese and Japanese quotes: tokens and phrases from budoux's segmenter (its models ship in
its wheel), since these languages put no spaces between words.

Imported by :func:`quote2anki.language.analyse` when it meets such a quote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from .language import Analysis, Phrase, Token
from .lexicon import _HAN, _KANA, is_stopword


@cache
def _budoux(language: str) -> Any:
    import budoux

    if language == "ja":
        return budoux.load_default_japanese_parser()
    return budoux.load_default_simplified_chinese_parser()


_CJK_RUN = re.compile(
    r"(?P<num>[約约]?[0-9０-９]+(?:[.,．，][0-9０-９]+)*(?:[%％倍割万億亿千百人社年月日時分秒件個个回度]+)?)"
    r"|(?P<latin>[A-Za-zＡ-Ｚａ-ｚ][A-Za-z0-9_＿ａ-ｚＡ-Ｚ０-９.+#-]*"
    r"(?:[ 　][A-Za-zＡ-Ｚａ-ｚ][A-Za-z0-9_.+#-]*)*)"  # not \w: kana and Han are \w too
    r"|(?P<kata>[\u30a0-\u30ffー・]+[\u3400-\u9fff]*)"
    r"|(?P<han>[\u3400-\u9fff]+[\u30a0-\u30ff]*)"
    r"|(?P<kana>[\u3040-\u309f]+)"
    r"|(?P<other>\S)"
)


_JA_PARTICLES = "のはがをにでともへやか、。，．！？「」『』（）"
"""Kana after a content word that make it a noun phrase plus its case particle (``工程を``);
other kana after Han characters are an inflection (``速くする``: a verb or an adjective)."""


def analyse_cjk(text: str, language: str) -> Analysis:
    """Tokens are runs of one script inside budoux's phrases. Phrases: a phrase's leading
    content (Katakana, Han, Latin, digits) as NP when it is not inflected and not a stopword
    of the language, numbers with their counters as NUM, Latin words as NAME."""
    tokens: list[Token] = []
    phrases: list[Phrase] = []
    position = 0
    for segment in _segments(text, language):
        start = text.find(segment, position)
        if start < 0:
            continue
        position = start + len(segment)
        first = len(tokens)
        content_last = first
        inflected = False
        for match in _CJK_RUN.finditer(segment):
            kind = match.lastgroup or "other"
            a, b = start + match.start(), start + match.end()
            tag = {"num": "CD", "latin": "NNP"}.get(kind, "")
            tokens.append(Token(a, b, text[a:b], tag))
            if kind == "num":
                phrases.append(Phrase(a, b, "NUM", len(tokens) - 1, len(tokens)))
            elif kind == "latin":
                phrases.append(Phrase(a, b, "NAME", len(tokens) - 1, len(tokens)))
            if kind in ("kata", "han", "latin", "num") and content_last == len(tokens) - 1:
                content_last = len(tokens)
            elif (kind == "kana" and content_last == len(tokens) - 1 and content_last > first
                  and text[a] not in _JA_PARTICLES):
                inflected = True
        if content_last > first and not inflected:
            run = tokens[first:content_last]
            words = "".join(t.text for t in run)
            if not is_stopword(words, language) and any(
                    _HAN.search(t.text) or _KANA.search(t.text) for t in run):
                phrases.append(Phrase(run[0].start, run[-1].end, "NP", first, content_last))
    if language == "zh":
        phrases = _merge_zh(text, tokens, phrases)
    sentences = _cjk_sentences(text)
    return Analysis(text, language, tuple(tokens), tuple(sorted(
        phrases, key=lambda p: (p.start, -p.end))), sentences)


_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９_]")


def _segments(text: str, language: str) -> list[str]:
    """budoux's phrases, joined where it cut a Latin word or a number in two (its model is
    trained on Japanese and Chinese text, and ``Data Prep`` became ``Data Pr`` + ``ep``).

    >>> _segments("準備（Data Prep：Data Preparation）や管理", "ja")[1:3]
    ['（Data Prep：Data Preparation）', 'や']
    """
    out: list[str] = []
    for segment in _budoux(language).parse(text):
        if out and segment and _LATIN_OR_DIGIT.match(segment[0]) and _LATIN_OR_DIGIT.match(
                out[-1][-1:]):
            out[-1] += segment
        else:
            out.append(segment)
    return out


def _merge_zh(text: str, tokens: Sequence[Token], phrases: list[Phrase]) -> list[Phrase]:
    """budoux cuts Chinese into words; neighbouring content words with nothing between them
    make one phrase (启发 + 手段), up to eight characters."""
    others = [p for p in phrases if p.kind != "NP"]
    merged: list[Phrase] = []
    run: list[int] = []
    for k in [*range(len(tokens)), -1]:
        han = k >= 0 and _HAN.search(tokens[k].text) is not None and not (
            len(tokens[k].text) == 1 and is_stopword(tokens[k].text, "zh"))
        if han and run and (tokens[k].start != tokens[run[-1]].end
                            or tokens[k].end - tokens[run[0]].start > 6):
            han = False
            keep_k = k
        else:
            keep_k = -1
        if han:
            run.append(k)
            continue
        if run:
            words = "".join(tokens[i].text for i in run)
            if not is_stopword(words, "zh"):
                merged.append(Phrase(tokens[run[0]].start, tokens[run[-1]].end, "NP", run[0],
                                     run[-1] + 1))
        run = [keep_k] if keep_k >= 0 else []
    return merged + others


def _cjk_sentences(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    start = 0
    for match in re.finditer(r"[。！？!?\n]+", text):
        if match.end() > start:
            spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return tuple(spans)


# --- the analysis ------------------------------------------------------------------------------
