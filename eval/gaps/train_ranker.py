#!/usr/bin/env python3
"""Learn the gap ranker's weights from hand-labelled real notes, and choose its thresholds.

    python eval/gaps/train_ranker.py LABELLED_DIR [LABELLED_DIR...] [--score-py PATH] [--write]
        [--thresholds FIRST SECOND THIRD] [--margin M]

    (gap_weights.json today: --thresholds 0.2 0.3 0.9 --margin 0.2)

Each LABELLED_DIR holds ``notes/`` and ``labels/`` as ``../shared/corpus`` does (LABELING.md).
Every quote quote2anki reads from a labelled note is matched to its highlight by the scorer's
own rule (``score.py``'s ``match_highlights``); each allowed candidate gap is labelled good
when it matches one of the highlight's ``best`` or ``fine`` phrases by the scorer's rule
(token Jaccard >= 0.5). A logistic regression (L2, Newton steps, numpy only) is fitted on
those candidates. The thresholds for the first, second and third gap are chosen on the
leave-one-repository-out curve, precision first: the lowest first-gap threshold whose
cross-validated gap precision reaches the target, then a second and third gap only where they
keep precision at the target. ``--thresholds`` fixes the bars instead; ``--margin`` is how far
below the quote's first gap a later one may score (a defined term and a number with its unit
excepted), simulated here as choose() applies it.

It prints in-sample and cross-validated gap precision and coverage (the scorer's figures,
simulated in process), and with ``--write`` stores the weights in
``src/quote2anki/gap_weights.json``. The notes' text never leaves the labelled folders.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import quote2anki  # noqa: E402
from quote2anki import gaps  # noqa: E402  (the model's own features and candidates)
from quote2anki.language import Analysis, analyse  # noqa: E402
from quote2anki.notes import topic_words  # noqa: E402


def load_score(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class QuoteData:
    group: str
    nothing: bool
    phrases: list[list[str]]
    analysis: Analysis
    fixed: list[bool] | None = None
    """Cards decided without the ranker (the reader's marks): good or not, card by card."""
    cands: list[gaps.Candidate] = field(default_factory=list)
    X: np.ndarray | None = None
    good: np.ndarray | None = None
    terms: np.ndarray | None = None
    with_unit: np.ndarray | None = None


def gather(folders: list[Path], score: Any) -> list[QuoteData]:
    """Read every labelled note with the library, recording each quote's analysis and the
    inputs the gap chooser gets (its marks, the terms it defines, the title's words)."""
    out: list[QuoteData] = []
    for folder in folders:
        for label_file in sorted((folder / "labels").glob("*.json")):
            label = json.loads(label_file.read_text(encoding="utf-8"))
            if label.get("freeform"):
                continue
            note = folder / "notes" / label["repo"].replace("/", "__") / label["file"]
            if not note.exists():
                continue
            book = quote2anki.read_book(note.read_bytes(), str(note))
            if book.kind != "book":
                continue
            title = topic_words(book)
            quotes = {f"{note}:{q.line}": q for q in book.quotes}
            rows = [{"kind": "quote", "source": where, "text": q.text}
                    for where, q in quotes.items()]
            found = score.match_highlights(label.get("highlights", []), rows)
            for i, row in found.items():
                h = label["highlights"][i]
                quote = quotes[row["source"]]
                analysis = analyse(quote.text)
                phrases = [score.tokens(p) for p in h.get("best", []) + h.get("fine", [])]
                q = QuoteData(label["repo"], bool(h.get("nothing")), phrases, analysis)
                if quote.marks:
                    marked = [quote.text[m.start:m.end] for m in quote.marks]
                    q.fixed = [any(score.jaccard(score.tokens(g), p) >= 0.5 for p in phrases)
                               for g in marked]
                else:
                    terms = [(t.start, t.end, t.hint) for t in quote.terms]
                    vectors, good, is_term, unit = [], [], [], []
                    pool = [c for c in gaps.candidates(analysis, terms)
                            if gaps.allowed(analysis, c, title)
                            and not any(s < c.end and c.start < e for s, e in quote.protected)]
                    context = gaps.quote_context(analysis, pool)
                    for c in pool:
                        q.cands.append(c)
                        vectors.append(gaps.features(analysis, c, title, context))
                        words = score.tokens(analysis.text[c.start : c.end])
                        good.append(any(score.jaccard(words, p) >= 0.5 for p in phrases))
                        is_term.append(c.source == "term")
                        unit.append(c.source == "NUM" and bool(gaps.WITH_UNIT.search(
                            analysis.text[c.start : c.end])))
                    q.X = np.array(vectors, dtype=float).reshape(-1, len(gaps.FEATURES))
                    q.good = np.array(good, dtype=bool)
                    q.terms = np.array(is_term, dtype=bool)
                    q.with_unit = np.array(unit, dtype=bool)
                out.append(q)
    return out


def fit(X: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 30) -> np.ndarray:
    """Logistic regression by Newton's method with an L2 penalty (none on the bias)."""
    w = np.zeros(X.shape[1])
    penalty = np.full(X.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(steps):
        z = np.clip(X @ w, -30, 30)
        p = 1 / (1 + np.exp(-z))
        gradient = X.T @ (p - y) + penalty * w
        hessian = (X * (p * (1 - p))[:, None]).T @ X + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def fit_listwise(quotes: list[QuoteData], l2: float = 1.0, steps: int = 400) -> np.ndarray:
    """A ranking model: within each quote, a softmax over its candidates, fitted so that the
    good ones get the mass (the scorer asks whether the chosen gap is good, not how good).
    Quotes with no good candidate teach the bar: their candidates are pushed down against a
    fixed "no gap" option scored 0."""
    xs, groups, goods = [], [], []
    for n, q in enumerate(quotes):
        if q.X is None or not len(q.X):
            continue
        xs.append(q.X)
        groups.append(np.full(len(q.X), n))
        goods.append(q.good if not q.nothing else np.zeros(len(q.X), dtype=bool))
    X = np.vstack(xs)
    g = np.concatenate(groups)
    good: np.ndarray = np.concatenate(goods)  # type: ignore[arg-type]
    _, g = np.unique(g, return_inverse=True)
    m = g.max() + 1
    has_good = np.bincount(g, weights=good, minlength=m) > 0
    w = np.zeros(X.shape[1])
    penalty = np.full(X.shape[1], l2)
    penalty[0] = 0.0
    lr, b1, b2 = 0.05, 0.9, 0.999
    mom = np.zeros_like(w)
    var = np.zeros_like(w)
    for t in range(1, steps + 1):
        z = np.clip(X @ w, -30, 30)
        e = np.exp(z)
        total = np.bincount(g, weights=e, minlength=m) + 1.0  # + exp(0): the "no gap" option
        good_total = np.bincount(g, weights=e * good, minlength=m)
        # loss: -log(good mass) where some candidate is good, else -log(no-gap mass)
        p_all = e / total[g]
        p_good = np.where(good, e / np.maximum(good_total[g], 1e-300), 0.0)
        target = np.where(has_good[g], p_good, 0.0)
        gradient = X.T @ (p_all - target) / m + penalty * w / m
        mom = b1 * mom + (1 - b1) * gradient
        var = b2 * var + (1 - b2) * gradient**2
        w -= lr * (mom / (1 - b1**t)) / (np.sqrt(var / (1 - b2**t)) + 1e-8)
    return w


MARGIN = [1.0]
"""How far below the first gap a later one may score (choose()'s margin; set by --margin)."""


def select(q: QuoteData, w: np.ndarray, thresholds: tuple[float, ...]) -> list[bool]:
    """The cards choose() would make for this quote with these weights: good or not each."""
    if q.fixed is not None:
        return q.fixed
    assert q.X is not None and q.good is not None and q.terms is not None
    if not len(q.cands):
        return []
    p = 1 / (1 + np.exp(-np.clip(q.X @ w, -30, 30)))
    p = np.where(q.terms, np.maximum(p, 0.999), p)
    if q.with_unit is not None:  # choose()'s floor for a number with its unit
        p = np.where(q.with_unit, np.maximum(p, gaps.NUMBER_WITH_UNIT), p)
    order = sorted(range(len(q.cands)), key=lambda k: (-p[k], q.cands[k].start,
                                                        -q.cands[k].end))
    chosen: list[int] = []
    text = q.analysis.text
    for k in order:
        if len(chosen) >= gaps.MAX_GAPS:
            break
        unit = q.with_unit is not None and q.with_unit[k]
        if not q.terms[k] and (p[k] < thresholds[min(len(chosen), len(thresholds) - 1)]
                               or (chosen and p[k] < p[chosen[0]] - MARGIN[0] and not unit)):
            continue
        if any(gaps._clash(text, q.cands[k], q.cands[j]) for j in chosen):
            continue
        chosen.append(k)
    return [bool(q.good[k]) for k in chosen]


def evaluate(quotes: list[QuoteData], weights: dict[str, np.ndarray],
             thresholds: tuple[float, ...]) -> dict[str, float]:
    cards_n = good_n = worth = covered = nothing_cards = 0
    for q in quotes:
        result = select(q, weights[q.group], thresholds)
        if q.nothing:
            nothing_cards += len(result)
            continue
        worth += 1
        cards_n += len(result)
        good_n += sum(result)
        covered += any(result)
    return {"precision": good_n / cards_n if cards_n else 0.0,
            "coverage": covered / worth if worth else 0.0, "cards": cards_n,
            "nothing_cards": nothing_cards, "worth": worth}


def stack(quotes: list[QuoteData]) -> tuple[np.ndarray, np.ndarray]:
    xs = [q.X for q in quotes if q.X is not None and len(q.X) and not q.nothing]
    ys = [q.good for q in quotes if q.X is not None and len(q.X) and not q.nothing]
    # quotes worth nothing teach the ranker too: none of their candidates is good
    xs += [q.X for q in quotes if q.X is not None and len(q.X) and q.nothing]
    ys += [np.zeros(len(q.X), dtype=bool) for q in quotes
           if q.X is not None and len(q.X) and q.nothing]
    return np.vstack(xs), np.concatenate(ys).astype(float)  # type: ignore[arg-type]


def choose_thresholds(quotes: list[QuoteData], weights: dict[str, np.ndarray],
                      target: float, min_coverage: float, min_first: float = 0.2
                      ) -> tuple[float, float, float]:
    """Precision first, on the cross-validated curve: the bars (first <= second <= third gap)
    with the highest precision whose coverage is at least ``min_coverage``; if precision
    reaches ``target`` on several, the one with the most coverage among those."""
    grid = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
    results = []
    for t1 in [t for t in grid[:-1] if t >= min_first]:  # a bar, not a quota of one
        for t2 in [t for t in grid if t >= t1]:
            for t3 in [t for t in grid if t >= t2]:
                m = evaluate(quotes, weights, (t1, t2, t3))
                results.append(((t1, t2, t3), m["precision"], m["coverage"],
                                m["nothing_cards"]))
    good = [r for r in results if r[1] >= target and r[2] >= min_coverage]
    if good:
        return max(good, key=lambda r: (r[2], r[1]))[0]
    enough = [r for r in results if r[2] >= min_coverage] or results
    best = max(r[1] for r in enough)
    # within half a point of the best precision, the fewest cards on quotes worth nothing
    near = [r for r in enough if r[1] >= best - 0.005]
    return min(near, key=lambda r: (r[3], -r[1]))[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", type=Path, nargs="+")
    ap.add_argument("--score-py", type=Path, default=ROOT.parent.parent / "shared" / "corpus"
                    / "score.py")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--target", type=float, default=0.75)
    ap.add_argument("--min-coverage", type=float, default=0.65,
                    help="the least cross-validated coverage the bars may give")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--margin", type=float, default=1.0,
                    help="how far below the first gap a later gap may score")
    ap.add_argument("--thresholds", type=float, nargs=3, metavar=("FIRST", "SECOND", "THIRD"),
                    help="the bars of the first, second and third gap, instead of the grid's")
    ap.add_argument("--model", choices=("listwise", "pointwise"), default="listwise")
    ap.add_argument("--curve", action="store_true", help="print the cross-validated curve")
    a = ap.parse_args()
    MARGIN[0] = a.margin
    score = load_score(a.score_py)
    quotes = gather(a.folders, score)
    groups = sorted({q.group for q in quotes})
    X, y = stack(quotes)
    print(f"{len(quotes)} quotes, {len(X)} candidates ({int(y.sum())} good), "
          f"{len(groups)} repositories")
    def train(qs: list[QuoteData]) -> np.ndarray:
        if a.model == "listwise":
            return fit_listwise(qs, a.l2)
        Xq, yq = stack(qs)
        return fit(Xq, yq, a.l2)

    full = train(quotes)
    in_sample = {g: full for g in groups}
    cross: dict[str, np.ndarray] = {}
    for g in groups:
        cross[g] = train([q for q in quotes if q.group != g])
    if a.curve:
        for t in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            m = evaluate(quotes, cross, (t, 1.01, 1.01))
            print(f"  first gap at {t:.2f}: cv precision {m['precision']:.3f} "
                  f"coverage {m['coverage']:.3f}")
    thresholds = (tuple(a.thresholds) if a.thresholds else
                  choose_thresholds(quotes, cross, a.target, a.min_coverage))
    cv = evaluate(quotes, cross, thresholds)
    ins = evaluate(quotes, in_sample, thresholds)
    print(f"thresholds {thresholds}")
    print(f"in-sample: precision {ins['precision']:.3f} coverage {ins['coverage']:.3f} "
          f"cards {ins['cards']} nothing_cards {ins['nothing_cards']}")
    print(f"leave-one-repository-out: precision {cv['precision']:.3f} "
          f"coverage {cv['coverage']:.3f} cards {cv['cards']} "
          f"nothing_cards {cv['nothing_cards']}")
    per = defaultdict(list)
    for q in quotes:
        per[q.group].append(q)
    for g in groups:
        m = evaluate(per[g], cross, thresholds)
        print(f"  {g:45} {m['worth']:4} cv precision {m['precision']:.2f} "
              f"coverage {m['coverage']:.2f}")
    weights = {name: round(float(v), 4) for name, v in zip(gaps.FEATURES, full, strict=True)}
    for name, v in sorted(weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {name:22} {v:+.3f}")
    if a.write:
        path = ROOT / "src" / "quote2anki" / "gap_weights.json"
        path.write_text(json.dumps({
            "note": "learned by eval/gaps/train_ranker.py (listwise logistic model); bars of the "
                    "1st/2nd/3rd gap and the margin (a later gap scores within it of the "
                    "first) chosen on the leave-one-repository-out figures",
            "trained_on": [Path(f).name for f in a.folders], "l2": a.l2, "model": a.model,
            "cross_validated": {k: round(float(v), 4) for k, v in cv.items()},
            "in_sample": {k: round(float(v), 4) for k, v in ins.items()},
            "weights": weights, "thresholds": [round(t, 3) for t in thresholds],
            "margin": a.margin},
            indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
