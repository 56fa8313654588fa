"""One typed, documented set of build options (like ftfy's ``TextFixerConfig``).

The same value decides what a build writes and which earlier results it may reuse: the cache
of per-file results is keyed by the options that change a file's notes, the manifest by every
option that changes the output.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from .decks import DEFAULT_DECK_PREFIX


class BuildOptions(NamedTuple):
    """How to build. Every field has the default the command line has.

    >>> BuildOptions(deck_prefix="Reading").deck_prefix
    'Reading'
    >>> BuildOptions().manifest_key("v1") == BuildOptions(jobs=4).manifest_key("v1")
    True
    """

    deck_prefix: str = DEFAULT_DECK_PREFIX
    """Parent deck of the books: each book's deck is ``<deck_prefix>::<Title>``."""
    split: bool = False
    """One package per book instead of one for all."""
    forget_removed: bool = False
    """Stop exporting notes whose quotes were removed (after deleting them in Anki)."""
    jobs: int | None = None
    """Worker processes for reading; None lets the build decide from the size of the vault.
    It changes how fast a build is, never what it writes."""
    accept_removals: bool = False
    """Tag the notes of a file that lost most of them at once ``quote2anki::removed`` anyway
    (by default such a file is taken for damaged and its notes are kept, with a warning)."""

    def manifest_key(self, code: str) -> str:
        """What must match for the last build's output to be this build's output."""
        return json.dumps([code, *(getattr(self, name) for name in _OUTPUT_FIELDS)])

    def cache_key(self, code: str) -> str:
        """What must match for a file's cached notes to be the notes this build makes of it."""
        return json.dumps([code, *(getattr(self, name) for name in _PER_FILE_FIELDS)])


_OUTPUT_FIELDS = ("deck_prefix", "split", "forget_removed", "accept_removals")
_PER_FILE_FIELDS: tuple[str, ...] = ()
"""None yet: decks are settled after the cache, so the prefix does not change a file's notes."""
