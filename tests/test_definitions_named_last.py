"""The candidate shapes added for issue 11's second round, each with sentences of our own:
the term named after its description, glosses by "people who", the Japanese topic copula,
the clause-shape features, and definitions in the reader's own lines."""

from __future__ import annotations

from quote2anki.definitions import candidates, find_definitions, in_own_words
from quote2anki.definitions.scorer import clause_shape


def proposed(text: str, rule: str) -> list[str]:
    return [found.term for found in candidates(text) if found.rule == rule]


def test_a_description_as_subject_names_the_term_at_the_end() -> None:
    assert proposed("A program that writes other programs is a code generator.",
                    "named_last") == ["code generator"]
    assert proposed("Turning words into numbers is vectorising.", "named_last") == [
        "vectorising"]
    # the term must end the sentence: here the predicate goes on
    assert proposed("A cook who tastes is a cook who learns.", "named_last") == []
    found = find_definitions("A program that writes other programs is a code generator.")
    assert [(f.term, f.definition) for f in found] == [
        ("code generator", "A program that writes other programs")]


def test_an_opinion_shaped_like_a_named_description_is_refused() -> None:
    assert find_definitions("Keeping your passwords in a notebook is a terrible idea.") == ()


def test_this_is_the_x_colon_names_what_follows() -> None:
    text = "This is the two-pizza rule: a team should be small enough to share two pizzas."
    assert [f.term for f in find_definitions(text)] == ["two-pizza rule"]
    assert find_definitions("This is the problem: nobody reads the manual until too late.") == ()


def test_the_term_means_reads_the_term_the_sentence_before_ended_on() -> None:
    text = ("The first request after a deploy might be called a cold start. In serverless "
            "terms, the term means a call that must first boot a fresh container.")
    assert proposed(text, "term_means") == ["cold start"]
    assert proposed("He said the word twice. The word means nothing to me now.",
                    "term_means") != ["word"]


def test_a_gloss_by_people_who_defines_the_noun_before_it() -> None:
    text = "The study found superplanners, people who plan their budgets a full year ahead."
    assert [f.term for f in find_definitions(text)] == ["superplanners"]


def test_the_japanese_topic_copula_and_also_called() -> None:
    assert [f.term for f in find_definitions(
        "再現率は、実際の正例のうち正しく拾えた割合を表す指標です。")] == ["再現率"]
    assert [f.term for f in find_definitions(
        "データを二つに分ける境目の値は、 分岐点 とも呼ばれます。")] == ["分岐点"]
    # an adjective before the copula says how the thing is, not what it is
    assert find_definitions("この作業は、とても重要です。") == ()


def test_clause_shape_tells_a_gloss_from_a_sentence_of_its_own() -> None:
    gloss = "a set of workers that the server keeps warm."
    text = f"We used a pool, {gloss}"
    assert clause_shape(text, gloss)["def_fragment"] == 1.0
    sentence = "the queue is emptied every night."
    shape = clause_shape(f"We kept the log, {sentence}", sentence)
    assert shape["def_clause"] == 1.0 and shape["def_fragment"] == 0.0
    told = "which slowed every request down."
    assert clause_shape(f"We added a proxy, {told}", told)["def_which_past"] == 1.0


def test_the_reader_s_own_lines_need_a_surer_scorer() -> None:
    assert [f.term for f in in_own_words(
        "A habit loop is a cycle of cue, craving and reward.")] == ["habit loop"]
    assert in_own_words("My plan is a walk every morning before work.") == ()
