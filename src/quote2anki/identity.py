"""Which note is which across builds: GUIDs, and matching edited notes to what they were.

A GUID comes from a note's book and its words (:func:`guid_for`), so an unchanged quote gets
the same GUID in every build, on every machine. An *edited* quote would get a new one, so
:func:`reidentify` matches this build's notes to the previous build's, in named phases, each
old note claimed at most once:

1. **same GUID**: same book, same words;
2. **same words, new title**: the book was retitled; its unchanged quotes carry its identity;
3. **edited**: within one book (same title, its former title, or the same file), the most
   similar old note at or above :data:`SAME_QUOTE`: quotes by words (or by letters at or above
   :data:`SAME_LETTERS`, so a fixed typo in a three-word quote or a word joined again after
   OCR hyphenation keeps its note), definitions by the letters of their term;
4. **contained**: within one book, a quote whose words contain an old quote's (an extended
   highlight), or are contained in them (a shortened one), takes its note.

Candidates for phase 3 come from an index of each book's old notes by their rarest words (prefix
filtering: exact, no true match missed) and are scored with rapidfuzz: linear in practice, where
comparing every pair was quadratic (1,000 edited quotes in one book took 12 s).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from rapidfuzz import process
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
SAME_LETTERS = 0.9
"""Similarity by letters (spaces and punctuation aside) from which a quote is the same quote: a
letter or two in a short quote, ``replica-tion`` joined into ``replication``."""
SHORT_QUOTE = 8
"""Quotes of at most this many words are also compared by letters with every old quote of
their book: the word index cannot find a one-letter fix among three words."""
MIN_CONTAINED = 15
"""Letters a quote needs to be found inside another as the same quote (phase 4)."""


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
    assigned.update(_contained(notes, [i for i in todo if i not in assigned], keys, unmatched,
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
    codes = _Codes()
    spelled: dict[str, str] = {}  # each old quote's letters, made once
    pairs: list[tuple[float, int, str]] = []
    for index in todo:
        note = notes[index]
        groups = [("book", note.book), ("book", formerly.get(note.book, note.book)),
                  ("path", note.path)]
        seen: dict[str, None] = {}
        for where, name in dict.fromkeys(groups):
            members = (by_book if where == "book" else by_path).get((note.kind, name), [])
            if not members:
                continue
            if note.kind == "definition":
                seen.update(dict.fromkeys(members))
                continue
            group = indexes.get((where, note.kind, name))
            if group is None:
                group = indexes[(where, note.kind, name)] = _WordIndex(
                    members, {g: unmatched[g].key for g in members})
            seen.update(dict.fromkeys(group.candidates(keys[index])))
        if note.kind == "quote" and keys[index].count(" ") < SHORT_QUOTE:
            for where, name in dict.fromkeys(groups):  # short: by letters, with all of them
                members = (by_book if where == "book" else by_path).get((note.kind, name), [])
                seen.update(dict.fromkeys(g for g in members if g in unmatched))
        if not seen:
            continue
        # quotes compare by words (each word one character, so rapidfuzz's C code compares
        # sequences of words), definitions by the letters of their term
        candidates = list(seen)
        if note.kind == "quote":
            query = codes.encode(keys[index])
            choices = [codes.of(guid, unmatched[guid].key) for guid in candidates]
        else:
            query, choices = keys[index], [unmatched[guid].key for guid in candidates]
        scores: dict[int, float] = {}
        for _, ratio, position in process.extract(query, choices, limit=None,
                                                  scorer=Indel.normalized_similarity,
                                                  score_cutoff=SAME_QUOTE):
            lengths = sorted((len(query), len(choices[position])))
            if lengths[0] >= MIN_LENGTH_RATIO * lengths[1]:
                scores[position] = float(ratio)
        if note.kind == "quote":
            letters = _letters(keys[index])
            for _, ratio, position in process.extract(
                    letters, [spelled.get(g) or spelled.setdefault(g, _letters(unmatched[g].key))
                              for g in candidates],
                    limit=None, scorer=Indel.normalized_similarity, score_cutoff=SAME_LETTERS):
                scores[position] = max(scores.get(position, 0.0), float(ratio))
        pairs.extend((ratio, index, candidates[position]) for position, ratio in scores.items())
    return _greedy(pairs, unmatched)


def _greedy(pairs: Sequence[tuple[float, int, str]], unmatched: dict[str, _Old]) -> dict[int, str]:
    """One-to-one matching, best pair first (ties by note, then GUID, so it is deterministic):
    each taken GUID leaves ``unmatched``, so a GUID is never given twice."""
    assigned: dict[int, str] = {}
    for _, index, guid in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if index not in assigned and guid in unmatched:
            assigned[index] = guid
            del unmatched[guid]
    return assigned


def _letters(key: str) -> str:
    """A quote's identity words as letters only: ``replica tion`` and ``replication`` agree."""
    return key.replace(" ", "")


def _contained(notes: Sequence[Note], todo: Sequence[int], keys: Mapping[int, str],
               unmatched: dict[str, _Old], formerly: Mapping[str, str]) -> dict[int, str]:
    """Phase 4: a quote that contains an old quote of its book (an extended highlight) or is
    contained in one (a shortened one), longest overlap first, each old note claimed once.

    Every word of the shorter quote is in the longer, so each side is indexed by its rarest
    word and probed with all the words of the other: only pairs that can contain one another
    are compared.
    """
    quotes = [index for index in todo if notes[index].kind == "quote"
              and len(_letters(keys[index])) >= MIN_CONTAINED]
    olds = [guid for guid, old in unmatched.items() if old.kind == "quote"
            and len(_letters(old.key)) >= MIN_CONTAINED]
    if not quotes or not olds:
        return {}
    frequency: Counter[str] = Counter()
    for guid in olds:
        frequency.update(set(unmatched[guid].key.split()))
    for index in quotes:
        frequency.update(set(keys[index].split()))

    def rarest(key: str) -> str:
        return min(key.split(), key=lambda word: (frequency[word], word))

    old_by_word: dict[str, list[str]] = {}
    for guid in olds:
        old_by_word.setdefault(rarest(unmatched[guid].key), []).append(guid)
    new_by_word: dict[str, list[int]] = {}
    for index in quotes:
        new_by_word.setdefault(rarest(keys[index]), []).append(index)
    candidates: set[tuple[int, str]] = set()
    for index in quotes:
        for word in set(keys[index].split()):
            candidates.update((index, guid) for guid in old_by_word.get(word, ()))
    for guid in olds:
        for word in set(unmatched[guid].key.split()):
            candidates.update((index, guid) for index in new_by_word.get(word, ()))
    pairs: list[tuple[int, int, str]] = []
    for index, guid in candidates:
        note, old = notes[index], unmatched[guid]
        if old.book not in (note.book, formerly.get(note.book, note.book)) and (
                old.path != note.path):
            continue
        new, was = f" {keys[index]} ", f" {old.key} "
        if was in new or new in was:
            pairs.append((min(len(new), len(was)), index, guid))
    return _greedy(pairs, unmatched)


class _Codes:
    """Each word as one character, so a quote becomes a string rapidfuzz compares word by word."""

    def __init__(self) -> None:
        self.table: dict[str, str] = {}
        self.encoded: dict[str, str] = {}

    def of(self, guid: str, key: str) -> str:
        """An old note's words, encoded once."""
        found = self.encoded.get(guid)
        if found is None:
            found = self.encoded[guid] = self.encode(key)
        return found

    def encode(self, key: str) -> str:
        table = self.table
        return "".join(table.get(word) or table.setdefault(word, _char(len(table)))
                       for word in key.split())


def _char(number: int) -> str:
    """The ``number``-th character past the surrogates' range, so every code is a valid one."""
    return chr(0xE000 + number) if number < 0x10FFFF - 0xE000 else chr(0x10FFFF)


class _WordIndex:
    """Old quotes of one group by their rarest words, to find the few that can be an edit of
    a new quote (prefix filtering, as in set-similarity joins).

    An edit keeps a common subsequence of at least 60% of the words of each side (a ratio of
    0.75 with lengths at most 0.6 apart). Order every quote's words from rarest to most common
    (one order for all): then two quotes sharing that many words share one of their first
    ``n - ceil(0.6 n) + 1`` words. So only those "prefix" words are indexed and probed: rare
    words, with short lists, and no true match is missed.
    """

    def __init__(self, members: Sequence[str], keys: Mapping[str, str]) -> None:
        self.frequency: Counter[str] = Counter()
        for guid in members:
            self.frequency.update(set(keys[guid].split()))
        self.postings: dict[str, list[str]] = {}
        for guid in members:
            for word in self._prefix(keys[guid]):
                self.postings.setdefault(word, []).append(guid)

    def _prefix(self, key: str) -> list[str]:
        words = key.split()
        length = len(words) - math.ceil(round(_MIN_COMMON * len(words), 9)) + 1
        ordered = sorted(words, key=lambda w: (self.frequency[w], w))
        return list(dict.fromkeys(ordered[:length]))

    def candidates(self, key: str) -> list[str]:
        return list(dict.fromkeys(g for word in self._prefix(key)
                                  for g in self.postings.get(word, ())))


_MIN_COMMON = SAME_QUOTE * (1 + MIN_LENGTH_RATIO) / 2
"""The least share of a quote's words an edit of it keeps in order (0.6)."""
