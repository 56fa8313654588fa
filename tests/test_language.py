"""The linguistic layer: tokens, tags, phrases, sentences, languages (sentences of our own)."""

from __future__ import annotations

from quote2anki.language import analyse, detect_language, is_stopword, zipf


def phrases(text: str, kind: str) -> list[str]:
    a = analyse(text)
    return [text[p.start : p.end] for p in a.phrases if p.kind == kind]


def tokens(text: str) -> list[str]:
    return [t.text for t in analyse(text).tokens]


def test_numbers_stay_whole_as_tokens() -> None:
    assert "1,250" in tokens("The bridge weighs 1,250 tonnes.")
    assert "1970s" in tokens("Back in the 1970s people wrote letters.")
    assert tokens("It isn't here.")[1:3] == ["is", "n't"]


def test_number_phrases_take_unit_and_currency() -> None:
    text = "It cost $42.10, weighed 2,340 pounds, used 3.5GB and grew 7.1MB per month, or 64%."
    assert phrases(text, "NUM") == ["$42.10", "2,340 pounds", "3.5GB", "7.1MB per month", "64%"]


def test_names_keep_their_particles() -> None:
    assert "Ludwig van Beethoven" in phrases("Ludwig van Beethoven wrote nine symphonies.", "NAME")
    assert "Charles de Gaulle" in phrases("They met Charles de Gaulle in Paris.", "NAME")
    assert "Wealth of Nations" in phrases("He wrote The Wealth of Nations in Scotland.", "NAME")


def test_tags_are_penn_tags() -> None:
    a = analyse("The compiler rejects every program that uses a dangling pointer.")
    tags = {t.text: t.tag for t in a.tokens}
    assert tags["compiler"] == "NN"
    assert tags["rejects"].startswith("VB")
    assert tags["The"] == "DT"


def test_chunks_do_not_overlap() -> None:
    a = analyse("The scheduler picks the shortest job first, and the queue drains quickly.")
    chunks = [p for p in a.phrases if p.kind in ("NP", "VP", "PP", "ADJP", "ADVP")]
    owned = [k for p in chunks for k in range(p.first, p.last)]
    assert len(owned) == len(set(owned))
    assert "the shortest job" in [a.text[p.start : p.end] for p in chunks]


def test_missing_space_after_full_stop_splits_sentences() -> None:
    a = analyse("They kept playing the match.The point was to finish.")
    assert [a.text[s:e] for s, e in a.sentences] == ["They kept playing the match.",
                                                     "The point was to finish."]


def test_glued_heading_is_its_own_sentence() -> None:
    a = analyse("MAIN LESSONS Write the test before the code.")
    assert a.text[slice(*a.sentences[0])] == "MAIN LESSONS"


def test_abbreviations_do_not_split_sentences() -> None:
    a = analyse("Use a cheap signal, e.g. the click rate, before anything else.")
    assert len(a.sentences) == 1


def test_language_detection() -> None:
    assert detect_language("The garbage collector frees memory nobody points to.") == "en"
    assert detect_language("El recolector de basura libera la memoria que nadie usa.") == "es"
    assert detect_language("ガベージコレクタは使われないメモリを解放する。") == "ja"
    assert detect_language("垃圾回收器释放没有人使用的内存。") == "zh"
    assert detect_language("Kubernetes pods") == "en"


def test_frequencies_and_stopwords_per_language() -> None:
    assert zipf("memoria", "es") > zipf("memoria", "en")
    assert is_stopword("para", "es") and not is_stopword("para", "en")
    assert is_stopword("which") and not is_stopword("scheduler")


def test_cjk_phrases_are_short_and_numbers_are_whole() -> None:
    text = "この機能は利用者の約35万人が毎日使っている。"
    a = analyse(text)
    nps = [text[p.start : p.end] for p in a.phrases if p.kind == "NP"]
    assert nps and all(len(p) <= 8 for p in nps)
    assert "約35万人" in [text[p.start : p.end] for p in a.phrases if p.kind == "NUM"]


def test_analysis_is_cached_and_deterministic() -> None:
    text = "A deterministic build gives the same bytes every time."
    assert analyse(text) is analyse(text)
