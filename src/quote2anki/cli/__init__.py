"""The ``quote2anki`` command line: a thin click layer over the library in :mod:`quote2anki.api`.

Exit codes: 0 success; 1 when some note could not be used (the rest is still written and
every problem is named) or the command itself failed; 2 for usage errors such as a missing
path. Every error is one line: the library's errors (:class:`~quote2anki.errors.Quote2AnkiError`)
become ``Error: ...`` here, in one place, and a user error never shows a traceback.
"""

from . import anki, notes  # importing them adds their commands to main
from .app import main

__all__ = ["anki", "main", "notes"]
