"""Finding the note files to build: each one's bytes, content hash, time and place, read
into memory once (what the manifest compares, and what reading it afterwards starts from).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from . import media
from .incremental import content_digest
from .model import Problem
from .options import BuildOptions
from .reader import Source, find_notes, read_bytes

__all__ = ["Input", "find_inputs"]


@dataclass(frozen=True)
class Input:
    """A note file as found: its name, bytes (None when unreadable) and what is known of it."""

    path: str
    data: bytes | None
    digest: str
    mtime: int
    unreadable: Source | None
    relative: str | None = None
    """Its path from the parent of the folder it was found in (so that folder's own name, such
    as ``Books/``, counts for the books-folder rule); None for a file given by name."""
    placement: media.Placement | None = None
    """Where the note sits: its vault (or the folder given), for its images and links."""

    @property
    def fingerprint(self) -> str:
        """What the manifest compares: the content and where the note sits."""
        where = self.placement
        if where is None:
            return self.digest
        return f"{self.digest} {where.root}\x1f{where.vault}\x1f{where.attachments}"


def find_inputs(paths: Iterable[str | os.PathLike[str]],
                options: BuildOptions = BuildOptions()) -> tuple[list[Input], list[Problem]]:
    """Every note file under ``paths`` (within the options' globs), read into memory, and
    problems finding them."""
    given = [Path(path) for path in paths]
    files, problems = find_notes(given, options.include, options.exclude)
    folders = [path for path in given if path.is_dir()]
    roots = [_root(path, given) for path in files]
    where = media.placements([str(path) for path in files], roots)
    return [_input(path, _relative(path, folders), place)
            for path, place in zip(files, where, strict=True)], problems


def _relative(path: Path, folders: Sequence[Path]) -> str | None:
    for folder in folders:
        with suppress(ValueError):
            return path.relative_to(folder.parent).as_posix()
    return None


def _root(path: Path, given: Sequence[Path]) -> str:
    """The folder given to the build that holds ``path`` (the deepest), else its own folder."""
    absolute = os.path.abspath(path)
    folders = [os.path.abspath(folder) for folder in given if folder.is_dir()]
    holding = [folder for folder in folders if absolute.startswith(folder.rstrip(os.sep) + os.sep)]
    return max(holding, key=len) if holding else os.path.dirname(absolute)


def _input(path: Path, relative: str | None = None,
           placement: media.Placement | None = None) -> Input:
    data, failed = read_bytes(path)
    try:
        mtime = int(path.stat().st_mtime)
    except OSError:
        mtime = 0
    digest = content_digest(data) if data is not None else ""
    return Input(str(path), data, digest, mtime, failed, relative, placement)
