"""quote2anki: turn the quotes and definitions in Markdown book notes into Anki cloze decks.

The library's public API is what this package exports (see :mod:`quote2anki.api`); the
command line (:mod:`quote2anki.cli`), the benchmarks and the evaluation use only that.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("quote2anki")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

from .api import (
    DEFAULT_DECK_PREFIX,
    BuildOptions,
    BuildResult,
    Preview,
    Vault,
    default_collection,
    for_screen,
    import_packages,
    listing,
    notes_for,
    read_book,
    sorted_problems,
    write_record_json,
)
from .errors import BuildError, ImportRefused, InputError, Quote2AnkiError
from .model import Book, Definition, Gap, Note, Problem, Quote
from .stages import Profile, profile
from .summary import Summary

__all__ = [
    "DEFAULT_DECK_PREFIX",
    "Book",
    "BuildError",
    "BuildOptions",
    "BuildResult",
    "Definition",
    "Gap",
    "ImportRefused",
    "InputError",
    "Note",
    "Preview",
    "Problem",
    "Profile",
    "Quote",
    "Quote2AnkiError",
    "Summary",
    "Vault",
    "__version__",
    "default_collection",
    "for_screen",
    "import_packages",
    "listing",
    "notes_for",
    "profile",
    "read_book",
    "sorted_problems",
    "write_record_json",
]
