"""One typed, documented set of build options (like ftfy's ``TextFixerConfig``).

The same value decides what a build writes and which earlier results it may reuse: the cache
of per-file results is keyed by the options that change a file's notes, the manifest by every
option that changes the output.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from .notekind import Selection

DEFAULT_DECK_PREFIX = "Books"
"""The deck every book's deck goes under, unless ``--deck-prefix`` says otherwise."""


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
    obsidian_links: bool = True
    """Link each card's Source to its note in Obsidian (``obsidian://open?vault=...``) and
    wikilinks to theirs, for notes inside a vault (a folder with ``.obsidian`` above them)."""
    tags: tuple[str, ...] = ()
    """Notes with any of these tags are book notes, whatever else they hold (``--tag``)."""
    include: tuple[str, ...] = ()
    """Globs of note paths to read, relative to each folder given (``--include``)."""
    exclude: tuple[str, ...] = ()
    """Globs of note paths to skip (``--exclude``), applied after ``include``."""
    all_notes: bool = False
    """Read every note as a book note (``--all-notes``), not only those that look like one."""
    category_decks: tuple[tuple[str, str], ...] = (("articles", "Articles"),
                                                   ("podcasts", "Podcasts"),
                                                   ("tweets", "Tweets"))
    """Parent decks for documents an export files under another category than books
    (Readwise's ``Category: #articles``); any other category goes under ``deck_prefix``."""

    def prefix_for(self, category: str) -> str:
        """The parent deck of a book of ``category``.

        >>> BuildOptions().prefix_for("articles"), BuildOptions().prefix_for("books")
        ('Articles', 'Books')
        """
        return dict(self.category_decks).get(category.casefold(), self.deck_prefix)

    @property
    def selection(self) -> Selection:
        """What the user asked to read, as :mod:`quote2anki.notekind` takes it."""
        return Selection(self.tags, self.include, self.exclude, self.all_notes)

    def manifest_key(self, code: str) -> str:
        """What must match for the last build's output to be this build's output."""
        return json.dumps([code, *(getattr(self, name) for name in _OUTPUT_FIELDS)])

    def cache_key(self, code: str) -> str:
        """What must match for a file's cached notes to be the notes this build makes of it."""
        return json.dumps([code, *(getattr(self, name) for name in _PER_FILE_FIELDS)])


_OUTPUT_FIELDS = ("deck_prefix", "split", "forget_removed", "accept_removals", "tags", "include",
                  "exclude", "all_notes", "category_decks", "obsidian_links")
_PER_FILE_FIELDS: tuple[str, ...] = ("tags", "all_notes", "obsidian_links")
"""What decides a file's notes (whether it is a book note, its links); decks are settled after
the cache, so the prefixes do not change a file's notes, and the globs only decide which files
are read."""
