"""The tagger's indexed rules give the tags Brill's rules, read one by one, give (our sentences).

The tagger looks its contextual and lexical rules up in tables instead of testing each rule in
turn; these tests keep a plain reading of the rules beside it, so that a table that loses a
rule, or picks the wrong one of two that match, changes a tag here before it changes a card.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from quote2anki import tagger

SENTENCES = (
    "The gardener waters the tomatoes before the sun climbs over the fence.",
    "A ferry that leaves at dawn reaches the island when the market opens.",
    "She said the kettle wasn't boiling, so we waited and talked about the weather.",
    "Most readers skim the footnotes, but the footnotes hold the best jokes.",
    "John Smith moved to New York in 1998 and opened a bakery near the river.",
    "Running quickly, the courier delivered forty parcels that were overdue.",
    "Well-tuned caches make repeated lookups cheap; cold ones make them slow.",
    "KEY POINTS Keep the glossary short and the examples concrete.",
)


def _plain_context(words: Sequence[str], tags: list[str]) -> list[str]:
    """Brill's contextual rules as Pattern applies them, each rule tested in turn."""
    rules = tagger._context()
    star = rules.get("*", ())
    pad = ["STAART"] * 3
    t = pad + list(tags) + pad
    w = pad + list(words) + pad
    for j in range(3, len(t) - 3):
        new = t[j]
        for to, cmd, x, y in (rules[t[j]] + star if t[j] in rules else star):
            matched = {
                "prevtag": t[j - 1] == x, "nexttag": t[j + 1] == x,
                "prev2tag": t[j - 2] == x, "next2tag": t[j + 2] == x,
                "prev1or2tag": x in (t[j - 1], t[j - 2]),
                "next1or2tag": x in (t[j + 1], t[j + 2]),
                "prev1or2or3tag": x in (t[j - 1], t[j - 2], t[j - 3]),
                "next1or2or3tag": x in (t[j + 1], t[j + 2], t[j + 3]),
                "surroundtag": t[j - 1] == x and t[j + 1] == y,
                "curwd": w[j] == x, "prevwd": w[j - 1] == x, "nextwd": w[j + 1] == x,
                "prev1or2wd": x in (w[j - 1], w[j - 2]),
                "next1or2wd": x in (w[j + 1], w[j + 2]),
                "prevwdtag": w[j - 1] == x and t[j - 1] == y,
                "nextwdtag": w[j + 1] == x and t[j + 1] == y,
                "wdprevtag": t[j - 1] == x and w[j] == y,
                "wdnexttag": w[j] == x and t[j + 1] == y,
                "wdand2aft": w[j] == x and w[j + 2] == y,
                "wdand2tagbfr": t[j - 2] == x and w[j] == y,
                "wdand2tagaft": w[j] == x and t[j + 2] == y,
                "lbigram": w[j - 1] == x and w[j] == y,
                "rbigram": w[j] == x and w[j + 1] == y,
                "prevbigram": t[j - 2] == x and t[j - 1] == y,
                "nextbigram": t[j + 1] == x and t[j + 2] == y,
            }.get(cmd, False)
            if matched:
                new = to
        t[j] = new
    return t[3:-3]


def _plain_unknown(word: str, previous: str, following: str) -> str:
    """Brill's lexical rules for a word the lexicon lacks, each rule tested in turn."""
    if word[:1].isupper() and word.istitle():
        return "NNP"
    if tagger._CD.match(word):
        return "CD"
    lexicon = tagger._lexicon()
    tag = "NN"
    for required, cmd, x, new in tagger._morphology():
        if required is not None and tag != required:
            continue
        if ((cmd == "char" and x in word) or (cmd == "haspref" and word.startswith(x))
                or (cmd == "hassuf" and word.endswith(x))
                or (cmd == "addpref" and x + word in lexicon)
                or (cmd == "addsuf" and word + x in lexicon)
                or (cmd == "deletepref" and word.startswith(x) and word[len(x):] in lexicon)
                or (cmd == "deletesuf" and word.endswith(x) and word[: -len(x)] in lexicon)
                or (cmd == "goodleft" and x == following)
                or (cmd == "goodright" and x == previous)):
            tag = new
    return tag


def _words(text: str) -> list[list[str]]:
    raw = tagger.split_tokens(text)
    words = [token for _, _, token in raw]
    return [words[a:b] for a, b in tagger.split_sentences(text, raw)]


def test_context_rules_match_a_plain_reading_on_our_sentences() -> None:
    for text in SENTENCES:
        for words in _words(text):
            before = [tagger._known_tag(w, i == 0) or "NN" for i, w in enumerate(words)]
            indexed = list(before)
            tagger._apply_context(words, indexed)
            assert indexed == _plain_context(words, before), words


def test_context_rules_match_a_plain_reading_on_every_rule_s_own_words() -> None:
    """Random sentences made of the very tags and words the rules name, so that most rules
    fire somewhere and many words match several rules at once (the last must win)."""
    rules = tagger._context()
    tags = sorted({tag for tag in rules if tag != "*"} | {r[0] for v in rules.values()
                                                          for r in v})
    named = sorted({x for v in rules.values() for _, _, x, _ in v}
                   | {y for v in rules.values() for _, _, _, y in v if y})
    rng = random.Random(15)
    for _ in range(3000):
        n = rng.randint(1, 9)
        words = [rng.choice(named) for _ in range(n)]
        before = [rng.choice(tags + named) for _ in range(n)]
        indexed = list(before)
        tagger._apply_context(words, indexed)
        assert indexed == _plain_context(words, before), (words, before)


def test_unknown_words_match_a_plain_reading_of_the_lexical_rules() -> None:
    read = {x for _, cmd, x, _ in tagger._morphology() if cmd in ("goodleft", "goodright")}
    neighbours = [*sorted(read), "", "pebble"]
    rng = random.Random(11)
    stems = ("glimmer", "quorble", "snark", "tessellat", "unzip", "Blorp", "re-wire", "3.5")
    endings = ("", "s", "ed", "ing", "ly", "able", "ness", "ous", "-like", "ment")
    for stem in stems:
        for ending in endings:
            word = stem + ending
            previous, following = rng.choice(neighbours), rng.choice(neighbours)
            assert tagger._unknown_tag(word, previous, following) == _plain_unknown(
                word, previous, following), (word, previous, following)


def test_a_listed_name_is_tagged_as_a_proper_noun() -> None:
    words = ["They", "flew", "to", "new", "york", "on", "Monday", "."]
    tags = tagger.tag_brill(words)
    assert tags[3:5] == ["NNP", "NNP"]
    assert tags[1] != "NNP"
