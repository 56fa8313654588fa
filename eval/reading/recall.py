#!/usr/bin/env python3
"""Quote recall and junk split by the shape of the note, from score.py's per-note figures.

    python eval/reading/recall.py NOTES_DIR LABELS_DIR [--cmd CMD]

The issue's goal is recall over notes *with a highlights section*: a heading (or a list item
holding one) that names highlights, quotes, citations, excerpts, clippings or annotations, as
written in the raw file (not as quote2anki reads it). Junk is given as a share of quote notes.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SCORE = Path("/work/shared/corpus/score.py")
HEADING = re.compile(r"^\s{0,3}(?:[-*+]\s+)?#{1,6}\s+.*?(?<![\w-])(?:highlights?|quotes?|"
                     r"quotations|citations?|excerpts?|clippings?|annotations?|qoutes?)(?![\w-])",
                     re.I | re.M)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("notes", type=Path)
    ap.add_argument("labels", type=Path)
    ap.add_argument("--cmd", default="quote2anki cards {path} --json")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "score.json"
        subprocess.run([sys.executable, str(SCORE), str(a.notes), str(a.labels), "--cmd", a.cmd,
                        "--json", str(out)], check=True, capture_output=True)
        data = json.loads(out.read_text())
    groups: dict[str, dict[str, int]] = {}
    for key, figures in data["notes"].items():
        owner, name, file = key.split("/", 2)
        text = (a.notes / f"{owner}__{name}" / file).read_text(encoding="utf-8", errors="replace")
        shape = "with a highlights section" if HEADING.search(text) else "without one"
        if not figures["highlights"] and not figures["quotes"]:
            shape = "no highlights labelled"
        total = groups.setdefault(shape, {"notes": 0, "highlights": 0, "matched": 0, "junk": 0,
                                          "quotes": 0})
        total["notes"] += 1
        for k in ("highlights", "matched", "junk", "quotes"):
            total[k] += figures[k]
    for shape, t in sorted(groups.items()):
        recall = t["matched"] / t["highlights"] if t["highlights"] else 0.0
        junk = t["junk"] / t["quotes"] if t["quotes"] else 0.0
        print(f"{shape:28} notes={t['notes']:3} highlights={t['highlights']:5} "
              f"recall={recall:.3f} junk={t['junk']} ({100 * junk:.1f}% of quote notes)")
    print("score.py:", " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                                for k, v in data["summary"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
