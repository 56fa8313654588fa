#!/usr/bin/env python3
# mypy: ignore-errors
# (a one-off comparison of third-party taggers, whose packages carry no types)
"""Compare English taggers end to end: the same candidates, features and training, only the
tagger changes; prints leave-one-repository-out gap precision/coverage and tagging speed.

    python eval/gaps/taggers.py LABELLED_DIR [...] --tagger brill|textblob|perceptron
        [--perceptron-pickle PATH]

- brill: quote2anki.language's own reading of Pattern's data (lexicon, lexical rules,
  context rules, names), as shipped in TextBlob's wheel;
- textblob: TextBlob's PatternTagger tagging step (``textblob.en.parser.find_tags``: the
  lexicon and suffix rules, no context rules), on the same tokens;
- perceptron: Honnibal's averaged perceptron (the model file shipped in the
  ``textblob-aptagger`` 0.2.0 wheel, loaded from PATH; that package itself no longer imports
  with current TextBlob), on the same tokens.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train

from quote2anki import language


def textblob_tagger():
    from textblob.en import parser

    def tag(words):
        return [t for _, t in parser.find_tags(list(words))]
    return tag


def perceptron_tagger(path: Path):
    weights, tagdict, classes = pickle.load(path.open("rb"), encoding="latin1")
    classes = sorted(classes)

    def normalise(word: str) -> str:
        if "-" in word and word[0] != "-":
            return "!HYPHEN"
        if word.isdigit() and len(word) == 4:
            return "!YEAR"
        if word[0].isdigit():
            return "!DIGITS"
        return word.lower()

    def tag(words):
        context = ["-START-", "-START2-", *(normalise(w) for w in words), "-END-", "-END2-"]
        prev, prev2 = "-START-", "-START2-"
        out = []
        for i, word in enumerate(words):
            t = tagdict.get(word)
            if not t:
                j = i + 2
                feats = ["bias", f"i suffix {word[-3:]}", f"i pref1 {word[0]}",
                         f"i-1 tag {prev}", f"i-2 tag {prev2}", f"i tag+i-2 tag {prev} {prev2}",
                         f"i word {context[j]}", f"i-1 tag+i word {prev} {context[j]}",
                         f"i-1 word {context[j-1]}", f"i-1 suffix {context[j-1][-3:]}",
                         f"i-2 word {context[j-2]}", f"i+1 word {context[j+1]}",
                         f"i+1 suffix {context[j+1][-3:]}", f"i+2 word {context[j+2]}"]
                scores = defaultdict(float)
                for f in feats:
                    for label, weight in weights.get(f, {}).items():
                        scores[label] += weight
                t = max(classes, key=lambda c: (scores[c], c))
            out.append(t)
            prev2, prev = prev, t
        return out
    return tag


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", type=Path, nargs="+")
    ap.add_argument("--tagger", default="brill")
    ap.add_argument("--perceptron-pickle", type=Path,
                    default=Path("/tmp/wh/x/textblob_aptagger/trontagger-0.1.0.pickle"))
    ap.add_argument("--score-py", type=Path, default=train.ROOT.parent.parent / "shared"
                    / "corpus" / "score.py")
    a = ap.parse_args()
    if a.tagger == "textblob":
        language._TAGGER = textblob_tagger()
    elif a.tagger == "perceptron":
        language._TAGGER = perceptron_tagger(a.perceptron_pickle)
    score = train.load_score(a.score_py)
    quotes = train.gather(a.folders, score)
    words = [[t.text for t in q.analysis.tokens] for q in quotes if q.analysis.language == "en"]
    start = time.perf_counter()
    for w in words:
        language._TAGGER(w)
    elapsed = time.perf_counter() - start
    count = sum(len(w) for w in words)
    groups = sorted({q.group for q in quotes})
    cross = {g: train.fit_listwise([q for q in quotes if q.group != g], 3.0) for g in groups}
    print(f"tagger {a.tagger}: {count / elapsed:,.0f} tokens/s (warm)")
    for th in [(0.1, 1.01, 1.01), (0.1, 0.5, 1.01), (0.1, 0.3, 0.5)]:
        m = train.evaluate(quotes, cross, th)
        print(f"  thresholds {th}: cv precision {m['precision']:.3f} coverage "
              f"{m['coverage']:.3f} cards {m['cards']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
