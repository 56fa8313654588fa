"""Identity across builds: edited quotes keep their GUIDs, found through an index that misses
no true match, in time that grows linearly with the number of edits."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from quote2anki.fields import card_numbers
from quote2anki.identity import SAME_QUOTE, guid_for, identity_words, reidentify, similarity
from quote2anki.model import Gap, Note

from timing import GROWTH, timed


@dataclass(frozen=True)
class Old:
    """A note as the previous build recorded it (what identity needs of it)."""

    kind: str
    book: str
    path: str
    words: str
    term: str | None = None


def note(words: str, book: str = "Book", path: str = "book.md") -> Note:
    gaps = (Gap(0, 1, 1),)
    return Note("quote", guid_for("quote", book, identity_words(words, None)), book,
                "Books::" + book, words, "", "", (), path, 1, words, gaps, card_numbers(gaps))


def previous_of(*words: str) -> dict[str, Old]:
    return {note(w).guid: Old("quote", "Book", "book.md", w) for w in words}


def test_a_fixed_typo_keeps_the_guid_and_a_different_quote_does_not_take_it() -> None:
    old = "Debt compounds quietly until the day the whole team pays for it at once"
    other = "The whole team pays attention when a deadline is near and the stakes are high"
    previous = previous_of(old, other)
    fixed = note(old.replace("compounds", "compoundz"))
    unrelated = note("Every team pays for its shortcuts sooner or later, one way or another")
    matched = reidentify([fixed, unrelated], previous)
    assert matched[0].guid == note(old).guid
    assert matched[1].guid == unrelated.guid


def test_a_retitled_book_keeps_its_notes_by_their_words() -> None:
    words = "A quote whose words did not change when the book was renamed"
    previous = {note(words, "Old Title").guid: Old("quote", "Old Title", "book.md", words)}
    [renamed] = reidentify([note(words, "New Title")], previous)
    assert renamed.guid == note(words, "Old Title").guid


def test_the_word_index_misses_no_pair_a_full_comparison_would_match() -> None:
    from quote2anki.identity import _WordIndex

    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(40)] + ["the", "of", "a"] * 10
    olds = [" ".join(rng.choices(vocabulary, k=rng.randint(4, 18))) for _ in range(300)]
    news = []
    for old in olds:  # edits of 0 to 4 words: some pairs just above the bar, some below
        words = old.split()
        for _ in range(rng.randint(0, 4)):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        news.append(" ".join(words))
    keys = {f"old{i}": identity_words(w, None) for i, w in enumerate(olds)}
    index = _WordIndex(list(keys), keys)
    found = 0
    for new in news:
        key = identity_words(new, None)
        true = {guid for guid, old in keys.items() if similarity(key, old) >= SAME_QUOTE}
        candidates = set(index.candidates(key))
        assert true <= candidates, (new, true - candidates)
        found += len(true)
    assert found > 200  # the test is not vacuous: many pairs match
    assert sum(len(index.candidates(identity_words(n, None))) for n in news) < 300 * 300 / 2


@pytest.mark.slow
def test_matching_edited_quotes_grows_linearly() -> None:
    from wordfreq import top_n_list

    words = top_n_list("en", 20_000)
    weights = [1 / rank for rank in range(1, len(words) + 1)]

    def run(size: int) -> float:
        rng = random.Random(size)
        olds = [" ".join(rng.choices(words, weights, k=rng.randint(12, 30))) for _ in range(size)]
        previous = {f"old{i}": Old("quote", "Book", "book.md", w) for i, w in enumerate(olds)}
        notes = [note(w.replace(w.split()[-1], "edited")) for w in olds]
        return timed(lambda: reidentify(notes, previous))

    ratio = run(1600) / max(run(400), 0.02)
    assert ratio < GROWTH, f"4x the edited quotes, {ratio:.1f}x the time"
