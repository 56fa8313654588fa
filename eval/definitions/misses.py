"""Why each labelled definition of a real-note folder is missed: a classification of misses.

    python eval/definitions/misses.py [CORPUS] [-v]

For each core term of the labels that the pipeline does not make a definition note of, says
which stage lost it:

- ``no-quote``: the term is in no quote the reader keeps (a heading, a list or table the reader
  does not read, the reader's own prose);
- ``no-candidate``: a quote holds the term but no pattern proposes it;
- ``boundary``: a pattern proposes a term that overlaps it but is not it;
- ``scorer``: a pattern proposes it and the scorer refuses it (its probability is printed);
- ``merged``: proposed and kept, but lost on the way (merged under another name, protected).

With ``-v`` the quote is printed (shortened) after each miss. Only for reading on a terminal:
the text of the notes is never written anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = Path(os.environ.get("QUOTE2ANKI_SHARED") or ROOT.parent / "shared")
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from corpus import definition_rows, labelled_notes  # noqa: E402
from train import norm  # noqa: E402

from quote2anki.book import read_book  # noqa: E402
from quote2anki.definitions import candidates  # noqa: E402
from quote2anki.definitions.scorer import model, probability  # noqa: E402
from quote2anki.reader import parse_source  # noqa: E402


def classify(corpus: Path, verbose: bool) -> Counter[str]:
    counts: Counter[str] = Counter()
    _, threshold = model()
    for label, note in labelled_notes(corpus):
        found = {norm(r.get("term") or "") for r in definition_rows(note)}
        book = read_book(parse_source(str(note), note.read_bytes()))
        for group in label.get("definitions", {}).get("core", []):
            names = {norm(a) for a in group}
            if names & found:
                continue
            quotes = [q for q in book.quotes if any(n and n in norm(q.text) for n in names)]
            kind, detail = "no-quote", ""
            for quote in quotes:
                items = list(candidates(quote.text))
                same = [i for i in items if norm(i.term) in names]
                near = [i for i in items if any(n in norm(i.term) or norm(i.term) in n
                                                for n in names if norm(i.term))]
                if same:
                    best = max(same, key=lambda i: probability(quote.text, i))
                    p = probability(quote.text, best)
                    kind = "merged" if p >= threshold else "scorer"
                    detail = f"{best.rule} p={p:.2f} :: {best.definition[:70]}"
                    break
                if near and kind in ("no-quote", "no-candidate"):
                    kind = "boundary"
                    detail = "; ".join(f"{i.rule}:{i.term}" for i in near[:3])
                elif kind == "no-quote":
                    kind = "no-candidate"
            counts[kind] += 1
            print(f"{kind:13} {label['file'][:28]:28} {group[0][:32]:32} {detail}")
            if verbose and quotes:
                print("              > " + " ".join(quotes[0].text.split())[:220])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=SHARED / "corpus")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    counts = classify(args.corpus, args.verbose)
    print(json.dumps(dict(counts.most_common())))


if __name__ == "__main__":
    main()
