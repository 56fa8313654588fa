#!/usr/bin/env python3
"""Check what quote2anki reads from labelled real notes beyond what score.py checks.

    python eval/reading/check.py NOTES_DIR LABELS_DIR [-v]

For every label file (layout of ../shared/corpus, see its LABELING.md) the note is read with
:func:`quote2anki.read_book` and compared with its label:

- title: the book's title, or its title with the subtitle, equals the labelled title
  (compared like score.py: case, punctuation and a leading article ignored);
- author: the book's author equals the labelled author (null: no author);
- text: no quote or flashcard carries a tag word (``#flashcard``), a ``key:: value`` line, an
  ``id::`` or a prompt marker (``Q:``/``A:``).

It prints one line per mismatch and a summary line. Standard library plus quote2anki.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import quote2anki

TAG_WORD = re.compile(r"(?:^|\s)#[^\s#\d][^\s#]*")
PROPERTY = re.compile(r"(?:^|\n)\s*[A-Za-z][\w -]{0,30}::")
PROMPT = re.compile(r"(?:^|\n)\s*(?:Q|A)\s*:", re.I)


def norm(text: str | None) -> str:
    text = (text or "").lower()
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"[^\w\s-]", " ", text)
    text = re.sub(r"^(the|a|an)\s+", "", text.strip())
    return " ".join(text.split())


def norm_author(text: str | None) -> str:
    text = (text or "").lower().replace(" and ", ", ").replace("、", ", ")
    return " ".join(re.sub(r"[^\w\s,]", " ", text).split())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notes", type=Path)
    ap.add_argument("labels", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    notes = titles = authors = dirty = quotes = 0
    for lf in sorted(a.labels.glob("*.json")):
        label = json.loads(lf.read_text(encoding="utf-8"))
        path = a.notes / label["repo"].replace("/", "__") / label["file"]
        if not path.exists():
            continue
        notes += 1
        book = quote2anki.read_book(path.read_bytes(), label["file"])
        full = f"{book.title}: {book.subtitle}" if getattr(book, "subtitle", "") else book.title
        want = norm(label.get("title"))
        if want in (norm(book.title), norm(full)):
            titles += 1
        else:
            print(f"{label['file']}: title: want {label.get('title')!r}, got {full!r}")
        if norm_author(label.get("author")) == norm_author(book.author):
            authors += 1
        else:
            print(f"{label['file']}: author: want {label.get('author')!r}, got {book.author!r}")
        texts = [q.text for q in book.quotes]
        texts += [f"{c.front}\n{c.back}" for c in getattr(book, "flashcards", ())]
        for text in texts:
            quotes += 1
            for name, pattern in (("tag", TAG_WORD), ("property", PROPERTY),
                                  ("prompt", PROMPT)):
                found = pattern.search(text)
                if found:
                    dirty += 1
                    if a.verbose:
                        print(f"{label['file']}: {name} {found.group().strip()!r} in "
                              f"{text[:70]!r}")
    print(f"reading: notes={notes} titles={titles / max(notes, 1):.3f} "
          f"authors={authors / max(notes, 1):.3f} texts={quotes} dirty={dirty}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
