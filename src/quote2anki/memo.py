"""Per-quote analysis remembered by content, so an edited file re-analyses only its edited quotes.

Finding a quote's definitions and choosing its gaps is most of what a build spends (the tagger,
the patterns, the ranker's features). Both are pure functions of the quote's words (and, for
gaps, of the marks, terms, title words and protected spans), so their results are kept with
each file's cached result: when the file changes, the build that reads it again is seeded with
what its previous version's quotes gave, and only quotes whose words changed are analysed.

A :class:`Memo` is a pair of dictionaries; :func:`remembering` makes one the current memo of
this process (each worker process reads one file at a time) and records what was used, so the
cache keeps only what the file still needs.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Memo:
    """Results by what they were computed from: ``definitions`` by a quote's text, ``gaps`` by
    the chooser's whole input."""

    definitions: dict[str, Any] = field(default_factory=dict)
    gaps: dict[Hashable, Any] = field(default_factory=dict)


_seed: Memo | None = None
_used: Memo | None = None


@contextmanager
def remembering(seed: Memo | None) -> Iterator[Memo]:
    """Within the block, :func:`definitions` and :func:`gaps` answer from ``seed`` when they can
    and compute otherwise; the memo yielded collects every result the block used.

    >>> seeded = Memo(definitions={"a quote": ("found",)})
    >>> with remembering(seeded) as used:
    ...     definitions("a quote", lambda: ("computed",)), definitions("new", lambda: ())
    (('found',), ())
    >>> sorted(used.definitions)
    ['a quote', 'new']
    """
    global _seed, _used
    before = (_seed, _used)
    _seed, _used = seed or Memo(), Memo()
    try:
        yield _used
    finally:
        _seed, _used = before


def definitions(text: str, compute: Callable[[], T]) -> T:
    """The definitions of a quote, from the current memo or ``compute``."""
    return _lookup("definitions", text, compute)


def gaps(key: Hashable, compute: Callable[[], T]) -> T:
    """A quote's gaps for the chooser's input ``key``, from the current memo or ``compute``."""
    return _lookup("gaps", key, compute)


def _lookup(kind: str, key: Any, compute: Callable[[], T]) -> T:
    if _seed is None or _used is None:
        return compute()
    seen: dict[Any, Any] = getattr(_seed, kind)
    kept: dict[Any, Any] = getattr(_used, kind)
    if key in kept:
        return kept[key]  # type: ignore[no-any-return]
    value: T = seen[key] if key in seen else compute()
    kept[key] = value
    return value
