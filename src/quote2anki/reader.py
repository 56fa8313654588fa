"""Reading note files: finding them, decoding them, and reading their frontmatter.

This module owns the file system and python-frontmatter. It hands :mod:`quote2anki.structure`
clean text plus metadata, and reports every problem as a :class:`~quote2anki.model.Problem`
naming the file and line instead of raising.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from .model import Level, Problem
from .notekind import path_selected
from .text import clean_text, repair, repair_ligatures

MAX_BYTES = 32 * 1024 * 1024
"""Larger files are skipped: no book note is 32 MB, a misnamed export or dump may be."""

_YAML = YAMLHandler()
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Source:
    """One note file's repaired text and metadata, ready for structure extraction."""

    path: str
    body: str
    body_line: int
    """The 1-based line number of the body's first line in the file."""
    meta: Mapping[str, Any]
    problems: tuple[Problem, ...]
    repairs: int = 0
    """Words a PDF copy had broken (``fnding``, ``suÿcient``) that were put back."""


def find_notes(paths: Iterable[str | os.PathLike[str]], include: Sequence[str] = (),
               exclude: Sequence[str] = ()) -> tuple[list[Path], list[Problem]]:
    """Every ``*.md`` file under ``paths``, each once, in a stable order.

    Hidden folders (``.obsidian``, ``.trash``, ``.git``) are skipped; symbolic links are followed
    but a link back into a folder already being walked is reported, not followed forever. A file
    reached twice (given twice, or through a link) is read once: its quotes are not doubled.
    ``include`` and ``exclude`` are globs on the path relative to each folder given (see
    :func:`quote2anki.notekind.path_selected`); a file given by name is always read.
    """
    found: dict[Path, None] = {}
    identities: set[tuple[int, int]] = set()
    problems: list[Problem] = []

    def add(file: Path) -> None:
        try:
            info = file.stat()
        except OSError:
            found.setdefault(file, None)
            return
        identity = (info.st_dev, info.st_ino)
        if identity not in identities:
            identities.add(identity)
            found.setdefault(file, None)

    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path, problems):
                if (include or exclude) and not path_selected(file.relative_to(path), include,
                                                              exclude):
                    continue
                add(file)
        elif path.is_file():
            add(path)
        elif path.exists():
            problems.append(Problem(str(path), None, "error", "not a file or folder; skipped"))
        else:
            problems.append(Problem(str(path), None, "error", "no such file or folder"))
    return list(found), problems


def _walk(top: Path, problems: list[Problem]) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
            key = (info.st_dev, info.st_ino)
            if key in seen:
                problems.append(
                    Problem(str(folder), None, "warning", "folder reached twice (a symbolic link "
                            "loop?); read once")
                )
                continue
            seen.add(key)
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            problems.append(Problem(str(folder), None, "error",
                                    f"cannot read folder: {error.strerror or error}"))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    subfolders.append(Path(entry.path))
                elif entry.name.lower().endswith(".md"):
                    if entry.is_file():
                        yield Path(entry.path)
                    elif entry.is_symlink():
                        problems.append(Problem(entry.path, None, "warning",
                                                "symbolic link to nothing; skipped"))
            except OSError:
                continue
        stack.extend(reversed(subfolders))


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of ``data`` and, when it was not UTF-8, the encoding we guessed.

    >>> decode("caf\\u00e9".encode("utf-8-sig"))
    ('café', None)
    >>> decode("caf\\u00e9 \\u2019".encode("cp1252"))
    ('café ’', 'Windows-1252')
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def looks_binary(data: bytes) -> bool:
    """Whether ``data`` is more likely a binary file than text with some stray control bytes.

    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR")
    True
    >>> looks_binary(b"a quote with one NUL\\x00 byte in a long enough line of text")
    False
    """
    head = data[:8192]
    if not head:
        return False
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls * 20 > len(head)


def read_source(path: Path, display: str | None = None) -> Source:
    """Read one note file; problems that stop it from being read are errors in the result."""
    data, failed = read_bytes(path, display)
    if data is None:
        assert failed is not None
        return failed
    return parse_source(display or str(path), data)


def read_bytes(path: Path, display: str | None = None) -> tuple[bytes | None, Source | None]:
    """A note file's bytes, or None and a Source whose problem says why it cannot be read."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, _failed(name, f"file is {size // 2**20} MB, larger than a book note "
                                       f"can be ({MAX_BYTES // 2**20} MB); skipped")
        return path.read_bytes(), None
    except OSError as error:
        return None, _failed(name, f"cannot read file: {error.strerror or error}")


def parse_source(name: str, data: bytes) -> Source:
    """Decode, repair and split one note's bytes into frontmatter and body."""
    problems: list[Problem] = []
    if looks_binary(data):
        return _failed(name, "binary file, not Markdown text; skipped")
    text, guessed = decode(data)
    if guessed:
        problems.append(Problem(name, None, "warning",
                                f"not valid UTF-8; read as {guessed}. Save it as UTF-8 to be sure"))
    text = repair(text.replace("\r\n", "\n").replace("\r", "\n"))
    text, repairs, examples = repair_ligatures(text)
    if repairs:
        problems.append(Problem(name, None, "info",
                                f"{repairs} word{'s' if repairs > 1 else ''} a PDF copy had "
                                f"broken put back ({', '.join(examples)})"))
    meta: Mapping[str, Any] = {}
    body, body_line = text, 1
    if _YAML.detect(text):
        try:
            raw, body = _YAML.split(text)
        except ValueError:
            problems.append(Problem(name, 1, "warning",
                                    "frontmatter starts with --- but never ends; read as text"))
        else:
            body_line = text.count("\n", 0, len(text) - len(body)) + 1
            first = _YAML.FM_BOUNDARY.match(text)
            raw_line = text.count("\n", 0, first.end()) + 1 if first else 2
            meta = _load_meta(name, raw, raw_line, problems)
    return Source(name, body, body_line, meta, tuple(problems), repairs)


def _load_meta(name: str, raw: str, raw_line: int, problems: list[Problem]
               ) -> Mapping[str, Any]:
    """The frontmatter as a mapping; ``raw_line`` is the file's line where ``raw`` starts."""
    try:
        loaded = yaml.load(raw, Loader=_LOADER)
    except yaml.YAMLError as error:
        problems.append(Problem(name, *_yaml_error(error, raw_line)))
        return {}
    except (RecursionError, MemoryError, ValueError, TypeError, OverflowError) as error:
        problems.append(Problem(name, 2, "warning",
                                f"frontmatter cannot be read ({type(error).__name__}); its title, "
                                "author and tags are ignored, the quotes are still used"))
        return {}
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        shape = "a list" if isinstance(loaded, list) else "a single value"
        problems.append(Problem(name, 2, "warning",
                                f"frontmatter is {shape}, not key: value pairs; ignored, the "
                                "quotes are still used"))
        return {}
    budget = [MAX_META_ITEMS]
    return {meta_key(key): _clean_meta(value, budget, 1) for key, value in loaded.items()}


def _yaml_error(error: yaml.YAMLError, raw_line: int) -> tuple[int, Level, str]:
    """Line and message for a YAML error: where the parser stopped, and where the broken
    construct (an unclosed ``[`` or quote) began, which is often what to fix."""
    mark = getattr(error, "problem_mark", None)
    line = raw_line + mark.line if mark is not None else raw_line
    reason = getattr(error, "problem", None) or "invalid YAML"
    context, start = getattr(error, "context", None), getattr(error, "context_mark", None)
    if context and start is not None:
        reason += f", {context} started on line {raw_line + start.line}"
    return line, "warning", (f"frontmatter is not valid YAML ({reason}); its title, author and "
                             "tags are ignored, the quotes are still used")


MAX_META_ITEMS = 10_000
"""Frontmatter values visited at most: YAML aliases can make a small file a huge tree."""
MAX_META_DEPTH = 8
"""Deeper frontmatter is dropped: no title, author or tag list nests that far."""


def meta_key(key: object) -> str:
    """A metadata key as we look it up: any case, ``-``/``_`` read as spaces.

    >>> [meta_key(k) for k in ["Full Title", "full-title", "FULL_TITLE", 1]]
    ['full title', 'full title', 'full title', '1']
    """
    return " ".join(str(key).replace("_", " ").replace("-", " ").casefold().split())


def _clean_meta(value: Any, budget: list[int], depth: int) -> Any:
    """A frontmatter value with its text cleaned like the note's (no control characters, which
    YAML escapes such as ``"\\x1f"`` can produce) and its size and depth bounded."""
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_META_DEPTH:
        return None
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (list, tuple)):
        return [_clean_meta(item, budget, depth + 1) for item in value[: max(budget[0], 0)]]
    if isinstance(value, dict):
        items = list(value.items())[: max(budget[0], 0)]
        return {meta_key(key): _clean_meta(item, budget, depth + 1) for key, item in items}
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return clean_text(str(value))


def _failed(name: str, message: str) -> Source:
    return Source(name, "", 1, {}, (Problem(name, None, "error", message),))


def meta_text(value: Any) -> str:
    """A frontmatter value as one line of text (lists joined, link brackets removed).

    >>> meta_text(["[[Chip Huyen]]", "Someone Else"])
    'Chip Huyen, Someone Else'
    >>> meta_text("[Martin Fowler](https://www.amazon.comundefined)")
    'Martin Fowler'
    >>> meta_text(None)
    ''
    """
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(part for part in (meta_text(item) for item in value) if part)
    text = _WIKILINK_TEXT.sub(r"\1", str(value))
    text = _LINK_TEXT.sub(r"\1", text)
    return " ".join(text.split())


_WIKILINK_TEXT = re.compile(r"\[\[(?:[^\[\]|\n]{0,200}+\|)?([^\[\]\n]{0,200}+)\]\]")
_LINK_TEXT = re.compile(r"\[([^\[\]\n]{1,300}+)\]\([^()\s]{0,2000}+\)")


def meta_tags(value: Any, *, in_list: bool = False) -> list[str]:
    """Tags from any frontmatter shape: a list, a comma or space string, ``#tag``, nested lists.

    A list item is one tag even with spaces in it; a plain string is split at commas, or at
    spaces when it has no comma (as Obsidian reads ``tags: books ml``).

    >>> meta_tags(["books", "#system-architecture", "machine learning", None])
    ['books', 'system-architecture', 'machine learning']
    >>> meta_tags("books, ml, #thinking/mental-models")
    ['books', 'ml', 'thinking/mental-models']
    >>> meta_tags("#books #ml")
    ['books', 'ml']
    >>> meta_tags("[[pink]] [[machine learning]] #favorite")
    ['pink', 'machine learning', 'favorite']
    >>> meta_tags("*favorite*")
    ['favorite']
    """
    if value is None or isinstance(value, (bool, dict)):
        return []
    if isinstance(value, (list, tuple)):
        return [tag for item in value for tag in meta_tags(item, in_list=True)]
    text = str(value)
    links = _WIKILINK.findall(text)
    text = _WIKILINK.sub(" ", text)
    if in_list:
        parts = [text]
    else:
        parts = text.split(",") if "," in text else text.split()
    tags = (part.strip().strip("*_").strip().lstrip("#").strip() for part in links + parts)
    return [tag for tag in tags if tag]


_WIKILINK = re.compile(r"\[\[([^\[\]|\n]{1,200}+)(?:\|[^\[\]\n]{0,200}+)?\]\]")
