"""Data shipped to spare a build its load time must still be what it was derived from."""

from __future__ import annotations

import json
from importlib import resources

from wordfreq import top_n_list

from quote2anki.language import STOPWORD_RANK, detect_language, is_stopword


def test_shipped_top_words_are_still_wordfreq_s() -> None:
    """A wordfreq whose lists moved would otherwise shift which quotes read as English."""
    data = json.loads(resources.files("quote2anki").joinpath("stopwords.json").read_text(
        encoding="utf-8"))
    assert data["rank"] == STOPWORD_RANK
    assert data["words"], "no language shipped"
    for language, words in data["words"].items():
        assert words == top_n_list(language, STOPWORD_RANK, wordlist="best"), language


def test_near_english_languages_still_tell_themselves_apart() -> None:
    assert detect_language("Die Katze schläft auf dem Sofa, und der Hund wartet an der Tür.") \
        == "de"
    assert detect_language("The cat sleeps on the sofa and the dog waits by the door.") == "en"
    assert is_stopword("und", "de") and not is_stopword("und", "en")
