"""quote2anki: turn the quotes and definitions in Markdown book notes into Anki cloze decks."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("quote2anki")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"
