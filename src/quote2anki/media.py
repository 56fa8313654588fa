"""Where a note sits, and the images it shows: the vault, its attachment folder, the files.

A note's **vault** is the nearest folder above it that holds an ``.obsidian`` folder; without
one, the folder given to the build that holds the note stands in for it. Images are packed
only from inside it: a note cannot pull ``../../.ssh/id_rsa`` into a package.

An image written ``![[diagram.png]]`` or ``![alt](img/diagram.png)`` is looked for, first found
wins:

1. beside the note (``img/diagram.png`` relative to the note's folder);
2. in the vault's attachment folder, as ``.obsidian/app.json`` sets it (``attachmentFolderPath``:
   ``/`` the vault's root, ``./`` beside the note, ``./x`` under the note's folder, ``x`` under
   the vault's root), for a bare file name;
3. relative to the vault's root.

Found images are named by their content (``quote2anki-<16 hex digits of SHA-256>.png``): the
same picture always has the same name, so re-importing never duplicates it, and two notes that
show it share one file. A missing image is a warning naming the note's file and line; the card
shows the image's name instead. ``https://`` images are shown by their link, never downloaded.
Wikilinks to other notes become ``obsidian://`` links when the note is in a vault.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from .model import Book, Media, Problem, Span

MAX_IMAGE_BYTES = 20 * 2**20
"""Larger images are not packed (a warning says so): a card shows a figure, not a poster."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a note sits: the folder its images must lie under (``root``), the vault's name
    (empty when the note is in no Obsidian vault), the vault's attachment folder setting, and
    the note's path from the root (``/``-separated)."""

    root: str
    vault: str = ""
    attachments: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Lookup:
    """One image looked for: the files tried in order (and the root they must stay inside), the
    one found ("" if none) and its size and modification time, so a later build can tell
    whether looking again would differ."""

    candidates: tuple[str, ...]
    found: str
    stamp: str
    root: str = ""


def placements(paths: Sequence[str], roots: Sequence[str]) -> list[Placement]:
    """Each note's placement; ``roots`` are the folders the build was given that hold them."""
    vaults: dict[str, str | None] = {}
    settings: dict[str, str] = {}
    out = []
    for path, given in zip(paths, roots, strict=True):
        folder = os.path.dirname(os.path.abspath(path))
        vault = _vault(folder, vaults)
        if vault is None:
            root = os.path.abspath(given)
            out.append(Placement(root, "", "", _relative(path, root)))
            continue
        if vault not in settings:
            settings[vault] = _attachment_setting(vault)
        out.append(Placement(vault, os.path.basename(vault), settings[vault],
                             _relative(path, vault)))
    return out


def _vault(folder: str, memo: dict[str, str | None]) -> str | None:
    """The nearest folder at or above ``folder`` holding ``.obsidian``."""
    seen = []
    current = folder
    found: str | None = None
    while True:
        if current in memo:
            found = memo[current]
            break
        seen.append(current)
        if os.path.isdir(os.path.join(current, ".obsidian")):
            found = current
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    for folder_seen in seen:
        memo[folder_seen] = found
    return found


def _attachment_setting(vault: str) -> str:
    try:
        with open(os.path.join(vault, ".obsidian", "app.json"), encoding="utf-8") as handle:
            data: Any = json.load(handle)
    except (OSError, ValueError):
        return ""
    value = data.get("attachmentFolderPath") if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _relative(path: str, root: str) -> str:
    try:
        return PurePosixPath(Path(os.path.abspath(path)).relative_to(root)).as_posix()
    except ValueError:
        return os.path.basename(path)


def note_link(placement: Placement) -> str:
    """The ``obsidian://open`` link to the note itself, or "" outside a vault.

    >>> note_link(Placement("/v/My Vault", "My Vault", "", "Books/Dune & Co.md"))
    'obsidian://open?vault=My%20Vault&file=Books%2FDune%20%26%20Co.md'
    """
    if not placement.vault:
        return ""
    return f"obsidian://open?vault={quote(placement.vault, safe='')}&file=" \
           f"{quote(placement.note, safe='')}"


def _wikilink(placement: Placement, target: str) -> str:
    name = target.split("#")[0].split("^")[0].strip()
    if not name:
        name = placement.note  # [[#Heading]]: this very note
    return f"obsidian://open?vault={quote(placement.vault, safe='')}&file={quote(name, safe='')}"


def candidates(placement: Placement, reference: str) -> tuple[str, ...]:
    """The files an image reference may mean, in the order they are tried, each inside the
    placement's root (a reference that leads outside it has none).

    >>> candidates(Placement("/v", "v", "Attachments", "Books/Dune.md"), "map.png")
    ('/v/Books/map.png', '/v/Attachments/map.png', '/v/map.png')
    """
    reference = reference.replace("\\", "/").strip()
    if not reference or reference.startswith("/") or "\0" in reference:
        return ()
    root = placement.root
    note_folder = os.path.dirname(os.path.join(root, *placement.note.split("/")))
    folders = [note_folder]
    if "/" not in reference:
        setting = placement.attachments
        if setting.startswith("./"):
            folders.append(os.path.join(note_folder, setting[2:]))
        elif setting and setting != "/":
            folders.append(os.path.join(root, setting.strip("/")))
    folders.append(root)
    out: list[str] = []
    for folder in folders:
        path = os.path.normpath(os.path.join(folder, *reference.split("/")))
        if _within(path, root) and path not in out:
            out.append(path)
    return tuple(out)


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def look(paths: Iterable[str], root: str) -> Lookup:
    """The first of ``paths`` that is a file inside ``root``, symbolic links followed: a link
    that leads out of the root does not count.

    >>> look(["/etc/hostname"], "/srv").found
    ''
    """
    tried = tuple(paths)
    real_root = os.path.realpath(root)
    for path in tried:
        try:
            info = os.stat(path)
        except OSError:
            continue
        if not os.path.isfile(path) or not _within(os.path.realpath(path), real_root):
            continue
        return Lookup(tried, path, f"{info.st_size}:{info.st_mtime_ns}", root)
    return Lookup(tried, "", "", root)


def unchanged(lookups: Iterable[Lookup]) -> bool:
    """Whether looking for every image again would find the same files, unchanged."""
    return all(look(lookup.candidates, lookup.root) == lookup for lookup in lookups)


@lru_cache(maxsize=4096)
def _digest(path: str, stamp: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_name(path: str, stamp: str) -> str:
    """The image's name in the package: its content's hash and its kind of file."""
    return f"quote2anki-{_digest(path, stamp)[:16]}{os.path.splitext(path)[1].lower()}"


def settle(book: Book, placement: Placement | None, links: bool = True
           ) -> tuple[Book, tuple[Lookup, ...]]:
    """``book`` with its images found and named (or marked missing, with a warning), its
    wikilinks made ``obsidian://`` links (or plain text when ``links`` is off or there is no
    vault), its link to the note set; and every lookup made, for the cache to check later."""
    if placement is None:
        return book, ()
    lookups: list[Lookup] = []
    media: dict[str, Media] = {}
    problems: list[Problem] = []
    vault = placement.vault if links else ""

    def settled(spans: tuple[Span, ...], line: int) -> tuple[Span, ...]:
        if not any(s.kind in ("local", "wikilink") for s in spans):
            return spans
        out = []
        for span in spans:
            if span.kind == "wikilink":
                if vault:
                    out.append(replace(span, kind="link", target=_wikilink(placement, span.target)))
                continue
            if span.kind != "local":
                out.append(span)
                continue
            found = _image(span, line)
            out.append(found)
        return tuple(out)

    def _image(span: Span, line: int) -> Span:
        lookup = look(candidates(placement, span.target), placement.root)
        lookups.append(lookup)
        if not lookup.found:
            where = "inside the note's folder or vault" if not lookup.candidates else \
                "beside the note, in the vault's attachment folder or at its root"
            problems.append(Problem(book.path, line, "warning",
                                    f"image {span.target!r} not found (looked {where}); the card "
                                    "shows its name"))
            return replace(span, kind="missing")
        size = int(lookup.stamp.split(":")[0])
        if size > MAX_IMAGE_BYTES:
            problems.append(Problem(book.path, line, "warning",
                                    f"image {span.target!r} is {size // 2**20} MB, more than "
                                    f"{MAX_IMAGE_BYTES // 2**20} MB; not packed, the card shows "
                                    "its name"))
            return replace(span, kind="missing")
        try:
            name = media_name(lookup.found, lookup.stamp)
        except OSError as error:
            problems.append(Problem(book.path, line, "warning",
                                    f"image {span.target!r} cannot be read "
                                    f"({error.strerror or error}); the card shows its name"))
            return replace(span, kind="missing")
        media.setdefault(name, Media(name, lookup.found))
        return replace(span, kind="image", target=name, label=span.label or "")

    quotes = tuple(
        replace(quote, spans=settled(quote.spans, quote.line),
                comment_spans=settled(quote.comment_spans, quote.line))
        if quote.spans or quote.comment_spans else quote
        for quote in book.quotes)
    link = note_link(placement) if links else ""
    return replace(book, quotes=quotes, link=link, media=tuple(media.values()),
                   problems=(*book.problems, *problems)), tuple(lookups)
