"""Which note is which across builds: GUIDs, and matching edited notes to what they were.

A GUID comes from a note's book and its words (:func:`guid_for`), so an unchanged quote gets
the same GUID in every build, on every machine. An *edited* quote would get a new one, so
:func:`reidentify` matches this build's notes to the previous build's, in named phases, each
old note claimed at most once:

1. **same GUID**: same book, same words;
2. **same words, new title**: the book was retitled; its unchanged quotes carry its identity;
3. **edited**: within one book (same title, its former title, or the same file), the most
   similar old note at or above :data:`SAME_QUOTE`: quotes by words, definitions by the
   letters of their term.

Candidates for phase 3 come from an index of each book's old notes by word, probed with the
rarest words of the new note, and are scored with rapidfuzz: linear in practice, where comparing
every pair was quadratic (1,000 edited quotes in one book took 12 s).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from rapidfuzz.distance import Indel

from .model import Note
from .text import fingerprint

_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)

SAME_QUOTE = 0.75
"""Similarity (twice the longest common subsequence over both lengths, by words for quotes and
by letters for terms) from which an edited note is the same note.

A typo or a few changed words in a quote of ten words or more stays above it (one word in ten:
0.90; three in twenty: 0.85); two different quotes that merely share a phrase stay below it.
"""
MIN_LENGTH_RATIO = 0.6
"""A note less than this fraction of the other's length is not an edit of it."""


def guid_for(*parts: str) -> str:
    """A GUID in Anki's own style (base91 of 64 bits), stable for the same ``parts``.

    >>> guid_for("quote", "book", "some text") == guid_for("quote", "book", "some text")
    True
    >>> len(guid_for("x"))
    10
    """
    digest = hashlib.sha256("\x1f".join(("quote2anki", *parts)).encode("utf-8")).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    while number:
        number, remainder = divmod(number, len(_BASE91))
        chars.append(_BASE91[remainder])
    return "".join(reversed(chars)).rjust(10, _BASE91[0])


def book_key(title: str) -> str:
    """What identifies a book in its notes' GUIDs: its title, by words.

    >>> book_key("Machine-Learning  Systems") == book_key("machine learning systems")
    True
    """
    return fingerprint(title)


class Previous(Protocol):
    """What identity needs to know of a note the previous build exported."""

    @property
    def kind(self) -> str: ...
    @property
    def book(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def words(self) -> str: ...
    @property
    def term(self) -> str | None: ...


def identity_words(words: str, term: str | None) -> str:
    """What identifies a note: a quote's words; a definition's term (its text may change)."""
    return fingerprint(term if term else words)


def similarity(new: str, old: str, by_words: bool = True) -> float:
    """How alike two quotes (by words) or two terms (by letters) are, from 0 to 1.

    >>> round(similarity("the cat sat on the mat today", "the cat sat on a mat today"), 2)
    0.86
    >>> similarity("covarite shift", "covariate shift", by_words=False) > SAME_QUOTE
    True
    """
    a: Sequence[str] = new.split() if by_words else new
    b: Sequence[str] = old.split() if by_words else old
    if min(len(a), len(b)) < MIN_LENGTH_RATIO * max(len(a), len(b)):
        return 0.0
    return float(Indel.normalized_similarity(a, b))


@dataclass(frozen=True, slots=True)
class _Old:
    guid: str
    kind: str
    book: str
    path: str
    key: str
    """The identity words (see :func:`identity_words`)."""


def reidentify(notes: Sequence[Note], previous: Mapping[str, Previous]) -> list[Note]:
    """Give each note the GUID the previous build exported it under, when it is the same note.

    A note never takes a GUID another note of this build has: a note whose natural GUID went
    to an edited quote gets a GUID of its own.
    """
    if not previous:
        return list(notes)
    taken = {note.guid for note in notes if note.guid in previous}
    unmatched = {guid: _Old(guid, old.kind, old.book, old.path,
                            identity_words(old.words, old.term))
                 for guid, old in previous.items() if guid not in taken}
    todo = [index for index, note in enumerate(notes) if note.guid not in taken]
    keys = {index: identity_words(notes[index].words, notes[index].term) for index in todo}
    assigned = _same_words(notes, todo, keys, unmatched)
    formerly = _former_titles(notes, taken, assigned, previous)
    assigned.update(_edited(notes, [i for i in todo if i not in assigned], keys, unmatched,
                            formerly))
    used = taken | set(assigned.values())
    out = []
    for index, note in enumerate(notes):
        guid = assigned.get(index, note.guid)
        if index not in assigned and note.guid not in taken and note.guid in used:
            guid = guid_for("again", note.guid)  # its natural GUID went to an edited quote
        out.append(note if guid == note.guid else replace(note, guid=guid))
    return out


def _same_words(notes: Sequence[Note], todo: Iterable[int], keys: Mapping[int, str],
                unmatched: dict[str, _Old]) -> dict[int, str]:
    """Phase 2: the same words under another title (same file first). Claims from
    ``unmatched``."""
    by_words: dict[tuple[str, str], list[str]] = {}
    for guid, old in unmatched.items():
        by_words.setdefault((old.kind, old.key), []).append(guid)
    assigned: dict[int, str] = {}
    for index in todo:
        note = notes[index]
        candidates = [g for g in by_words.get((note.kind, keys[index]), ()) if g in unmatched]
        if candidates:
            same_path = [g for g in candidates if unmatched[g].path == note.path]
            guid = (same_path or candidates)[0]
            assigned[index] = guid
            del unmatched[guid]
    return assigned


def _former_titles(notes: Sequence[Note], taken: set[str], assigned: Mapping[int, str],
                   previous: Mapping[str, Previous]) -> dict[str, str]:
    """For each book, the old title most of its already matched notes were filed under."""
    votes: dict[str, Counter[str]] = {}
    for index, note in enumerate(notes):
        guid = assigned.get(index, note.guid if note.guid in taken else None)
        if guid is not None:
            votes.setdefault(note.book, Counter())[previous[guid].book] += 1
    return {book: counts.most_common(1)[0][0] for book, counts in votes.items()}


def _edited(notes: Sequence[Note], todo: Sequence[int], keys: Mapping[int, str],
            unmatched: dict[str, _Old], formerly: Mapping[str, str]) -> dict[int, str]:
    """Phase 3: edited notes, best match first, each old note claimed once."""
    by_book: dict[tuple[str, str], list[str]] = {}
    by_path: dict[tuple[str, str], list[str]] = {}
    for guid, old in unmatched.items():
        by_book.setdefault((old.kind, old.book), []).append(guid)
        by_path.setdefault((old.kind, old.path), []).append(guid)
    indexes: dict[tuple[str, str, str], _WordIndex] = {}
    pairs: list[tuple[float, int, str]] = []
    for index in todo:
        note = notes[index]
        groups = [("book", note.book), ("book", formerly.get(note.book, note.book)),
                  ("path", note.path)]
        seen: set[str] = set()
        for where, name in dict.fromkeys(groups):
            members = (by_book if where == "book" else by_path).get((note.kind, name), [])
            if not members:
                continue
            if note.kind == "definition":
                candidates: Iterable[str] = members
            else:
                group = indexes.get((where, note.kind, name))
                if group is None:
                    group = indexes[(where, note.kind, name)] = _WordIndex(
                        members, {g: unmatched[g].key for g in members})
                candidates = group.candidates(keys[index])
            for guid in candidates:
                if guid in seen:
                    continue
                seen.add(guid)
                ratio = similarity(keys[index], unmatched[guid].key,
                                   by_words=note.kind == "quote")
                if ratio >= SAME_QUOTE:
                    pairs.append((ratio, index, guid))
    assigned: dict[int, str] = {}
    for _, index, guid in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if index not in assigned and guid in unmatched:
            assigned[index] = guid
            del unmatched[guid]
    return assigned


class _WordIndex:
    """Old quotes of one group by word, to find the few that can be an edit of a new quote.

    A match needs a common subsequence of at least 60% of the new quote's words (a ratio of
    0.75 with lengths at least 0.6 apart), so of any ``n - ceil(0.6 n) + 1`` of its words one at
    least is in the old quote. Probing with the rarest ones keeps the lists read short, and no
    true match is missed.
    """

    def __init__(self, members: Sequence[str], keys: Mapping[str, str]) -> None:
        self.postings: dict[str, list[str]] = {}
        for guid in members:
            for word in dict.fromkeys(keys[guid].split()):
                self.postings.setdefault(word, []).append(guid)

    def candidates(self, key: str) -> list[str]:
        words = key.split()
        if not words:
            return []
        needed = len(words) - math.ceil(round(_MIN_COMMON * len(words), 9)) + 1
        rarest = sorted(dict.fromkeys(words), key=lambda w: (len(self.postings.get(w, ())), w))
        probes: list[str] = []
        covered = 0
        counts = Counter(words)
        for word in rarest:
            probes.append(word)
            covered += counts[word]
            if covered >= needed:
                break
        return list(dict.fromkeys(g for word in probes for g in self.postings.get(word, ())))


_MIN_COMMON = SAME_QUOTE * (1 + MIN_LENGTH_RATIO) / 2
"""The least share of a quote's words an edit of it keeps in order (0.6)."""
