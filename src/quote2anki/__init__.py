"""quote2anki: turn the quotes and definitions in Markdown book notes into Anki cloze decks.

The library's public API is what this package exports (see :mod:`quote2anki.api`); the
command line (:mod:`quote2anki.cli`), the benchmarks and the evaluation use only that.
"""

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("quote2anki")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

_PUBLIC = {
    "api": ("DEFAULT_DECK_PREFIX", "BuildOptions", "BuildResult", "Preview", "Vault",
            "default_collection", "for_screen", "import_packages", "listing", "notes_for",
            "read_book", "sorted_problems", "write_record_json"),
    "errors": ("BuildError", "ImportRefused", "InputError", "Quote2AnkiError"),
    "model": ("Book", "Definition", "Gap", "Note", "Problem", "Quote"),
    "stages": ("Profile", "profile"),
    "summary": ("Summary",),
}
_HOME = {name: module for module, names in _PUBLIC.items() for name in names}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    """The public names, each imported from its module when first asked for: ``import
    quote2anki`` stays cheap, so a build that finds nothing changed starts fast."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'quote2anki' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


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
