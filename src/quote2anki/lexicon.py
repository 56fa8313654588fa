"""How common a word is, which words are stopwords, and which language a quote is in.

The word statistics of the linguistic layer, on wordfreq's lists (a stopword is one of the most
frequent words of its language: a data-driven list, not a hand-grown one) and py3langid's model,
both inside their wheels. :mod:`quote2anki.language` re-exports the public names.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

_WORDFREQ_LANGUAGES = frozenset(
    "ar bg bn ca cs da de el en es fa fi fil fr he hi hu id is it ja ko lt lv mk ms nb nl pl "
    "pt ro ru sh sk sl sv ta tr uk ur vi zh".split())
STOPWORD_RANK = 250
"""A stopword is one of the 250 most frequent words of its language in wordfreq: in English
that reaches "the", "which", "however", "thing", "people" and stops before "system" or "data"
would matter as content."""

_NEAR_ENGLISH = ("es", "fr", "de", "pt", "it", "nl")
"""Languages whose small words an English quote is checked against before asking the model."""
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[^\W\d_]+")


def is_cjk(language: str) -> bool:
    """Whether ``language`` is written without spaces between words (Chinese, Japanese).

    >>> is_cjk("ja"), is_cjk("zh"), is_cjk("en")
    (True, True, False)
    """
    return language in ("ja", "zh")


@cache
def _frequencies(language: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict  # loaded on first use: 0.15 s per language

    return get_frequency_dict(language if language in _WORDFREQ_LANGUAGES else "en",
                              wordlist="best")


@cache
def _stopwords(language: str) -> frozenset[str]:
    lang = language if language in _WORDFREQ_LANGUAGES else "en"
    words = _shipped_top_words().get(lang)
    if words is None:
        from wordfreq import top_n_list

        words = top_n_list(lang, STOPWORD_RANK, wordlist="best")
    return frozenset(w for w in words if not w.isdigit())


@cache
def _shipped_top_words() -> dict[str, list[str]]:
    """wordfreq's top words of the languages every English quote is checked against
    (``stopwords.json``): loading their whole lists costs 0.55 s of CPU in each process."""
    data = json.loads(resources.files(__package__).joinpath("stopwords.json").read_text(
        encoding="utf-8"))
    words: dict[str, list[str]] = data["words"]
    return words if data["rank"] == STOPWORD_RANK else {}


@lru_cache(maxsize=262_144)
def zipf(word: str, language: str = "en") -> float:
    """How common ``word`` is in ``language`` on the Zipf scale (7 for "the", 0 if unknown).

    A possessive or a plural not in the list is looked up without its ending.

    >>> zipf("the") > 7 > zipf("lineage") > zipf("covariate") > 0 == zipf("xqzv")
    True
    >>> zipf("contenedores", "es") > 3 > zipf("contenedores", "en")
    True
    """
    table = _frequencies(language)
    key = word.lower().replace("’", "'")
    frequency = table.get(key)
    if frequency is None:
        key = key.removesuffix("'s")
        frequency = table.get(key)
        if frequency is None and key.endswith("s") and language == "en":
            frequency = table.get(key[:-1])
    return math.log10(frequency) + 9 if frequency else 0.0


def is_stopword(word: str, language: str = "en") -> bool:
    """Whether ``word`` is one of the most frequent words of ``language`` (see
    :data:`STOPWORD_RANK`), or a lone letter.

    >>> is_stopword("The"), is_stopword("which"), is_stopword("lineage"), is_stopword("data")
    (True, True, False, False)
    >>> is_stopword("los", "es"), is_stopword("los", "en")
    (True, False)
    """
    lower = word.lower().replace("’", "'")
    if len(lower) == 1 and lower.isalpha():
        return True
    return lower in _stopwords(language)


@cache
def _langid() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # 0.9 s: only when needed

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = set(identifier.nb_classes)
    identifier.set_languages(sorted(_WORDFREQ_LANGUAGES & known))
    return identifier


def _identifier() -> Any:
    """The language model, or None when it cannot be loaded (then every quote reads as
    English, which is what an English vault needs anyway)."""
    try:
        return _langid()
    except (OSError, MemoryError, ValueError):
        return None


@lru_cache(maxsize=65_536)
def detect_language(text: str) -> str:
    """The language of ``text`` as an ISO 639-1 code, ``"en"`` when unsure.

    Kana means Japanese, other Han characters Chinese; Latin-script text that is plainly
    English (its small words are English ones) is English without asking the model.

    >>> detect_language("The optimizer chooses the cheapest plan for every query.")
    'en'
    >>> detect_language("Los contenedores comparten el núcleo del sistema operativo anfitrión.")
    'es'
    >>> detect_language("データの品質が予測の精度を決める。")
    'ja'
    >>> detect_language("相似度是一种启发手段。")
    'zh'
    >>> detect_language("Kubernetes")
    'en'
    """
    letters = sum(map(str.isalpha, text))  # counted in C: every quote of a build asks
    if not letters:
        return "en"
    han = len(_HAN.findall(text))
    kana = len(_KANA.findall(text))
    if han + kana >= max(2, letters * 0.3):
        return "ja" if kana else "zh"
    if len(_HANGUL.findall(text)) >= letters * 0.3:
        return "ko"
    words = _LATIN_WORD.findall(text)
    if len(words) < 4:
        return "en"
    lowered = [w.lower() for w in words]
    english = sum(map(_stopwords("en").__contains__, lowered))
    if english >= 0.3 * len(words) and all(
            sum(map(_stopwords(other).__contains__, lowered)) < english
            for other in _NEAR_ENGLISH):
        return "en"
    identifier = _identifier()
    if identifier is None:
        return "en"
    language, probability = identifier.classify(text)
    if probability < 0.75 or language not in _WORDFREQ_LANGUAGES:
        return "en"
    return str(language)
