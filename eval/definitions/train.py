"""Train the definition scorer (a logistic regression) and write its weights.

    python eval/definitions/train.py                      # own labelled sentences only
    python eval/definitions/train.py --corpus DIR ...     # and real notes labelled like
                                                          # ../shared/corpus
    python eval/definitions/train.py --corpus DIR --cv    # leave-one-repository-out figures

Training data: ``train/sentences.tsv`` (sentences of our own, in the shapes real notes show,
each labelled with the term it defines or none) and, optionally, the candidates the patterns
propose on labelled real notes (a candidate is right when its term is one the labels accept).
The threshold is the lowest that keeps the training precision at or above ``--precision``
(precision first: a wrong definition is a card the user must find and delete). The weights go
to ``src/quote2anki/definitions/weights.json``; ``tests/test_definition_scorer.py`` checks
that the file loads and still separates the sentences.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = Path(os.environ.get("QUOTE2ANKI_SHARED") or ROOT.parent / "shared")
WEIGHTS = ROOT / "src" / "quote2anki" / "definitions" / "weights.json"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from quote2anki.definitions import candidates  # noqa: E402
from quote2anki.definitions.scorer import features  # noqa: E402


@dataclass
class Sample:
    x: dict[str, float]
    y: int
    group: str  # "own" or the repository of a real note
    note: str
    term: str  # normalised
    weight: float = 1.0
    shown: str = ""  # "term := definition", for reading errors


@dataclass
class Note:
    group: str
    good: set[str]
    core: list[set[str]]
    glossary: set[str] = field(default_factory=set)


def norm(term: str) -> str:
    import re

    t = term.lower()
    t = re.sub(r"\([^)]*\)", " ", t)
    t = re.sub(r"[^\w\s-]", " ", t)
    t = re.sub(r"^(the|a|an)\s+", "", t.strip())
    return " ".join(t.split())


def own_samples(path: Path, weight: float) -> list[Sample]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        label, term, text = line.split("\t", 2)
        for item in candidates(text):
            right = label == "+" and norm(item.term) == norm(term)
            out.append(Sample(features(text, item), int(right), "own", f"own:{number}",
                              norm(item.term), weight))
    return out


def corpus_samples(corpus: Path) -> tuple[list[Sample], dict[str, Note]]:
    from quote2anki.book import read_book  # before extraction: glossary lines only
    from quote2anki.reader import parse_source

    samples: list[Sample] = []
    notes: dict[str, Note] = {}
    for label_file in sorted((corpus / "labels").glob("*.json")):
        label = json.loads(label_file.read_text(encoding="utf-8"))
        path = corpus / "notes" / label["repo"].replace("/", "__") / label["file"]
        if not path.exists():
            continue
        key = f"{label['repo']}/{label['file']}"
        defs = label.get("definitions", {})
        good = {norm(a) for g in defs.get("core", []) + defs.get("ok", []) for a in g}
        core = [{norm(a) for a in g} for g in defs.get("core", [])]
        book = read_book(parse_source(str(path), path.read_bytes()))
        notes[key] = Note(label["repo"], good, core, {norm(d.term) for d in book.definitions})
        seen: set[str] = set()
        for quote in book.quotes:
            if quote.marks:
                continue
            for item in candidates(quote.text):
                term = norm(item.term)
                right = term in good
                if right and term in seen:
                    # a later sentence about a labelled term is not necessarily its definition:
                    # only the first is taken as one (the others still count in note scores)
                    samples.append(Sample(features(quote.text, item), 1, label["repo"], key,
                                          term, 0.0))
                    continue
                seen.add(term)
                samples.append(Sample(features(quote.text, item), int(right), label["repo"], key,
                                      term, shown=f"{item.rule}: {item.term} := "
                                      f"{item.definition[:80]}"))
    return samples, notes


def gold_samples(folder: Path, gold_file: Path, weight: float = 1.0) -> list[Sample]:
    """Candidates in the project's own labelled notes (``gold.json`` beside ``notes/``): right
    when the term is a gold one; borderline gold terms are left out of training."""
    from quote2anki.book import read_book  # before extraction: glossary lines only
    from quote2anki.reader import parse_source

    def key(name: str) -> str:
        name = norm(name)
        return name[:-1] if name.endswith("s") and len(name) > 3 else name

    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    out: list[Sample] = []
    for name, entries in gold.items():
        path = folder / name.removeprefix("notes/")
        if not path.exists():
            continue
        right = {key(str(n)) for e in entries if not e.get("borderline")
                 for n in [e["term"], *(e.get("aliases") or [])]}
        unsure = {key(str(n)) for e in entries if e.get("borderline")
                  for n in [e["term"], *(e.get("aliases") or [])]}
        book = read_book(parse_source(str(path), path.read_bytes()))
        for quote in book.quotes:
            if quote.marks:
                continue
            for item in candidates(quote.text):
                term = key(item.term)
                names = {term} | {key(a) for a in item.aliases}
                out.append(Sample(features(quote.text, item), int(bool(names & right)),
                                  "gold", f"gold:{name}", term,
                                  0.0 if names & unsure and not names & right else weight,
                                  f"{item.rule}: {item.term} := {item.definition[:80]}"))
    return out


def fit(samples: list[Sample], l2: float = 0.003, epochs: int = 3000, rate: float = 1.0
        ) -> dict[str, float]:
    """Logistic regression by full-batch gradient descent (numpy; the package needs none)."""
    import numpy as np

    names = sorted({k for s in samples for k in s.x})
    index = {k: i for i, k in enumerate(names)}
    x = np.zeros((len(samples), len(names)))
    for row, s in enumerate(samples):
        for k, v in s.x.items():
            x[row, index[k]] = v
    y = np.array([s.y for s in samples], dtype=float)
    sample_weight = np.array([s.weight for s in samples])
    total = sample_weight.sum() or 1.0
    penalty = np.array([0.0 if k == "bias" else l2 for k in names])
    w = np.zeros(len(names))
    for _ in range(epochs):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        w -= rate * (x.T @ ((p - y) * sample_weight) / total + penalty * w)
    return {k: round(float(v), 4) for k, v in zip(names, w, strict=True) if abs(v) > 1e-4}


def prob(weights: dict[str, float], x: dict[str, float]) -> float:
    z = sum(weights.get(k, 0.0) * v for k, v in x.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def choose_threshold(weights: dict[str, float], samples: list[Sample], target: float) -> float:
    """The lowest threshold whose precision (over distinct terms per note) reaches ``target``;
    on real notes when there are some among ``samples`` (they are what users have)."""
    if any(s.group not in ("own", "gold") for s in samples):
        samples = [s for s in samples if s.group not in ("own", "gold")]
    best = 0.95
    for step in range(95, 19, -1):
        t = step / 100
        accepted: dict[tuple[str, str], int] = {}
        for s in samples:
            if prob(weights, s.x) >= t:
                key = (s.note, s.term)
                accepted[key] = max(accepted.get(key, 0), s.y)
        if not accepted:
            continue
        precision = sum(accepted.values()) / len(accepted)
        if precision >= target:
            best = t
    return best


def note_scores(weights: dict[str, float], threshold: float, samples: list[Sample],
                notes: dict[str, Note]) -> tuple[int, int, int, int]:
    """found, right, core, core found over ``notes``, as the corpus scorer counts them."""
    accepted: dict[str, set[str]] = defaultdict(set)
    for s in samples:
        if s.note in notes and prob(weights, s.x) >= threshold:
            accepted[s.note].add(s.term)
    found = right = core = core_found = 0
    for key, note in notes.items():
        terms = accepted[key] | note.glossary
        found += len(terms)
        right += sum(t in note.good for t in terms)
        core += len(note.core)
        core_found += sum(bool(g & terms) for g in note.core)
    return found, right, core, core_found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", default=[])
    parser.add_argument("--cv", action="store_true", help="leave-one-repository-out figures")
    parser.add_argument("--precision", type=float, default=0.9)
    parser.add_argument("--own-weight", type=float, default=2.0)
    parser.add_argument("--gold-weight", type=float, default=1.0)
    parser.add_argument("--cv-precision", type=float, default=0.0,
                        help="with --cv: the threshold is at least the lowest whose "
                        "leave-one-repository-out precision reaches this")
    parser.add_argument("--l2", type=float, default=0.003, help="weight decay of the fit")
    parser.add_argument("--dry-run", action="store_true", help="do not write weights.json")
    parser.add_argument("--no-gold", action="store_true",
                        help="leave out the project's own labelled notes (gold.json, heldout)")
    args = parser.parse_args()
    random.seed(0)
    own = own_samples(HERE / "train" / "sentences.tsv", args.own_weight)
    if not args.no_gold:
        # the project's own labelled notes (never heldout2: that set is only for measuring)
        own += gold_samples(HERE / "notes", HERE / "gold.json", args.gold_weight)
        own += gold_samples(HERE / "heldout" / "notes", HERE / "heldout" / "gold.json",
                            args.gold_weight)
        if (SHARED / "samples").exists():
            own += gold_samples(SHARED / "samples", HERE / "sample-gold.json", args.gold_weight)
    real: list[Sample] = []
    notes: dict[str, Note] = {}
    for corpus in args.corpus:
        more, more_notes = corpus_samples(corpus)
        real += more
        notes.update(more_notes)
    print(f"samples: own={len(own)} (positive {sum(s.y for s in own)}), "
          f"real={len(real)} (positive {sum(s.y for s in real)})")
    if args.cv and real:
        totals = [0, 0, 0, 0]
        folds: list[tuple[dict[str, float], dict[str, Note]]] = []
        cv_threshold: float | None = None
        for group in sorted({n.group for n in notes.values()}):
            train = own + [s for s in real if s.group != group]
            weights = fit(train, args.l2)
            threshold = choose_threshold(weights, train, args.precision)
            held = {k: n for k, n in notes.items() if n.group == group}
            result = note_scores(weights, threshold, real, held)
            totals = [a + b for a, b in zip(totals, result, strict=True)]
            print(f"  held out {group}: found={result[0]} right={result[1]} "
                  f"core={result[3]}/{result[2]} (threshold {threshold:.2f})")
            folds.append((weights, held))
        found, right, core, core_found = totals
        print(f"leave-one-repository-out: precision={right / max(found, 1):.3f} "
              f"recall={core_found / max(core, 1):.3f} (found={found})")
        # the same folds at fixed thresholds: how well the scorer ranks, apart from where
        # each fold's threshold happened to land
        for step in range(50, 96):
            t = step / 100
            sums = [0, 0, 0, 0]
            for weights, held in folds:
                result = note_scores(weights, t, real, held)
                sums = [a + b for a, b in zip(sums, result, strict=True)]
            precision = sums[1] / max(sums[0], 1)
            if step % 5 == 0:
                print(f"  at {t:.2f}: precision={precision:.3f} "
                      f"recall={sums[3] / max(sums[2], 1):.3f} (found={sums[0]})")
            if cv_threshold is None and args.cv_precision and precision >= args.cv_precision:
                cv_threshold = t
                print(f"  lowest threshold with held-out precision >= {args.cv_precision}: {t:.2f}"
                      f" (recall={sums[3] / max(sums[2], 1):.3f})")
    weights = fit(own + real, args.l2)
    threshold = choose_threshold(weights, own + real, args.precision)
    if args.cv and args.cv_precision and real and cv_threshold is not None:
        # the threshold that held up on repositories the fit had not seen, when it is the
        # stricter one: in-sample precision flatters a model that has seen its notes
        threshold = max(threshold, cv_threshold)
    if notes:
        found, right, core, core_found = note_scores(weights, threshold, real, notes)
        print(f"in-sample: precision={right / max(found, 1):.3f} "
              f"recall={core_found / max(core, 1):.3f} (found={found})")
    print(f"threshold={threshold:.2f}; heaviest weights:")
    for k, v in sorted(weights.items(), key=lambda kv: -abs(kv[1]))[:16]:
        print(f"  {k:28} {v:+.2f}")
    if not args.dry_run:
        data = {"threshold": threshold, "trained_on": ["own sentences"] +
                ["own labelled notes"] * (not args.no_gold) +
                [f"real notes ({len(notes)})"] * bool(notes),
                "weights": dict(sorted(weights.items()))}
        WEIGHTS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
