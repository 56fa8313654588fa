#!/usr/bin/env python3
"""Cost per quote of analyse() + choose() over every quote of the given notes (cold and warm).

    python eval/gaps/speed.py NOTES_DIR
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import quote2anki
from quote2anki import gaps, language  # the chooser itself is what is timed


def main() -> int:
    files = [f for p in sys.argv[1:] for f in (sorted(Path(p).rglob("*.md")) if Path(p).is_dir()
                                                else [Path(p)])]
    texts = [q.text for f in files for q in quote2anki.read_book(f.read_bytes(), str(f)).quotes]
    start = time.perf_counter()
    language.analyse("Warm the lexicon and the word lists up.")
    load = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        gaps.choose(language.analyse(text))
    cold = time.perf_counter() - start
    language.analyse.cache_clear()
    start = time.perf_counter()
    for text in texts:
        gaps.choose(language.analyse(text))
    warm = time.perf_counter() - start
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} quotes, {chars / len(texts):.0f} characters each; data load "
          f"{load:.2f} s; first pass {1000 * cold / len(texts):.2f} ms/quote; second pass "
          f"(word caches warm, analysis cache cleared) {1000 * warm / len(texts):.2f} ms/quote")
    return 0


if __name__ == "__main__":
    sys.exit(main())
