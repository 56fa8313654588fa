"""Definition precision and recall on a folder of real, hand-labelled book notes, in-process.

    python eval/definitions/corpus.py [CORPUS] [-v]

CORPUS holds ``notes/`` and ``labels/`` laid out as ``../shared/corpus`` (the default). The
figures are those of its ``score.py`` (which this imports), without starting one process per
note: the same normalisation of terms, the same matching. With ``-v`` it prints, per note, the
false definitions and the missed core terms. Nothing from the notes is written anywhere.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = Path(os.environ.get("QUOTE2ANKI_SHARED") or ROOT.parent / "shared")
sys.path.insert(0, str(ROOT / "src"))

import quote2anki  # noqa: E402


def load_scorer(corpus: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {corpus}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labelled_notes(corpus: Path) -> list[tuple[dict[str, Any], Path]]:
    out = []
    for label_file in sorted((corpus / "labels").glob("*.json")):
        label = json.loads(label_file.read_text(encoding="utf-8"))
        note = corpus / "notes" / label["repo"].replace("/", "__") / label["file"]
        if note.exists():
            out.append((label, note))
    return out


def definition_rows(note: Path) -> list[dict[str, Any]]:
    return [n.to_dict() for n in quote2anki.Vault([note]).notes() if n.kind == "definition"]


_SKIP_LINE = re.compile(r"^(?:#|\||>|```|~~~|!\[|<|---|\[\^)|^[\w -]{1,30}::|^\S+:\s*\S*$")
_MARKER = re.compile(r"^(?:[-*+•]\s+|\d+[.)]\s+)+")


def own_lines(note: Path) -> list[str]:
    """The reader's lines that reading keeps no quote of: what the walker would hand to
    :func:`quote2anki.definitions.in_own_words` (a simulation of that wiring; see REPORT)."""
    from quote2anki.book import read_book
    from quote2anki.reader import parse_source

    book = read_book(parse_source(str(note), note.read_bytes()))
    quoted = {" ".join(q.text.split())[:40] for q in book.quotes}
    text = note.read_text(encoding="utf-8", errors="replace")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        text = text[end + 4:] if end > 0 else text
    out = []
    for raw in text.splitlines():
        line = _MARKER.sub("", raw.strip()).replace("**", "").replace("__", "")
        if len(line) < 20 or _SKIP_LINE.match(line):
            continue
        if " ".join(line.split())[:40] in quoted or any(
                key and key in line for key in quoted):
            continue
        out.append(line)
    return out


def evaluate(corpus: Path, verbose: bool = False, scorer: ModuleType | None = None,
             own: bool = False) -> dict[str, float]:
    """Definition precision and recall over ``corpus``, as its score.py counts them."""
    score = scorer or load_scorer(corpus if (corpus / "score.py").exists() else
                                  SHARED / "corpus")
    found = ok = core = core_found = 0
    for label, note in labelled_notes(corpus):
        rows = definition_rows(note)
        defs = label.get("definitions", {})
        terms = [score.norm_term(r.get("term") or "") for r in rows]
        if own:
            from quote2anki.definitions import in_own_words

            for line in own_lines(note):
                for item in in_own_words(line):
                    if score.norm_term(item.term) not in terms:
                        terms.append(score.norm_term(item.term))
        good = {score.norm_term(a) for group in defs.get("core", []) + defs.get("ok", [])
                for a in group}
        hits = [any(score.norm_term(a) in terms for a in g) for g in defs.get("core", [])]
        found += len(terms)
        ok += sum(t in good for t in terms)
        core += len(hits)
        core_found += sum(hits)
        if verbose:
            false = [t for t in terms if t not in good]
            missed = [g[0] for g, hit in zip(defs.get("core", []), hits, strict=True) if not hit]
            print(f"== {label['file']}: {len(terms)} found, {sum(t in good for t in terms)} right,"
                  f" {sum(hits)}/{len(hits)} core")
            if false:
                print("   false: " + " | ".join(false))
            if missed:
                print("   missed: " + " | ".join(missed))
    precision = ok / found if found else 0.0
    recall = core_found / core if core else 0.0
    return {"notes": len(labelled_notes(corpus)), "found": found, "precision": precision,
            "recall": recall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=SHARED / "corpus")
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--own", action="store_true",
                        help="also the reader's own lines, as the proposed walker wiring would")
    args = parser.parse_args()
    result = evaluate(args.corpus, args.verbose, own=args.own)
    print(f"real notes ({args.corpus}): notes={result['notes']} found={result['found']} "
          f"def_precision={result['precision']:.3f} def_recall={result['recall']:.3f}")


if __name__ == "__main__":
    main()
