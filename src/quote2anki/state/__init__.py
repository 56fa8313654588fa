"""What the previous build wrote, kept beside the decks so the next build can compare.

The record (a row per note, keyed by GUID, in ``.quote2anki.sqlite`` in the output folder;
``quote2anki state --json`` prints it) is what makes re-export safe without writing anything
into the user's notes:

- **Identity.** :mod:`quote2anki.identity` matches this build's notes to the ones recorded here,
  so an edited quote keeps its GUID and Anki keeps its history; the gaps the previous version
  had (:attr:`Record.phrases`) go to the gap chooser, so an edit does not re-choose them.
- **Modification times.** A note keeps the time it was exported with while its content is
  unchanged, so Anki's "update if newer" leaves edits made inside Anki alone. A changed note,
  and a note removed from the notes, gets the build's clock (never a file's time, which can lie
  in the past or the future): newer than any edit made in Anki before the build, so the change
  is delivered (see :func:`compare`).
- **Removals.** A package import cannot delete notes, so a note whose quote disappeared keeps
  being exported, tagged ``quote2anki::removed``, until ``--forget-removed``. A note counts as
  removed only when the file that held it was read and no longer holds it, or the file is gone
  from under the paths built: a build of fewer files, an unreadable file or one that lost most
  of its notes at once (a truncated save) keeps their notes as they were (:class:`Scope`).
- **What was ever exported.** Each record keeps short hashes of every earlier value of its
  fields, tags and deck (:attr:`Record.earlier`), so ``quote2anki import`` can tell a field the
  user edited in Anki from one that only holds an older version of ours.

A missing or unreadable state file is rebuilt from the packages in the folder when it can be
(:func:`rebuilt`), or from the Anki collection (``quote2anki state --from-collection``); the
build says so loudly either way.
"""

from .comparison import MASS_LOSS, Comparison, Regap, Scope, Status, clock, compare
from .records import (
    ANKI_TAGS,
    REMOVED_TAG,
    Record,
    Records,
    content_hash,
    mark,
    phrases,
    record_for,
    record_note,
)
from .recovery import Exported, rebuilt
from .store import FORMAT, READABLE_VERSIONS, VERSION, dump, finish, load, save, write

__all__ = ["ANKI_TAGS", "FORMAT", "MASS_LOSS", "READABLE_VERSIONS", "REMOVED_TAG", "VERSION",
           "Comparison", "Exported", "Record", "Records", "Regap", "Scope", "Status", "clock",
           "compare", "content_hash", "dump", "finish", "load", "mark", "phrases", "rebuilt",
           "record_for", "record_note", "save", "write"]
