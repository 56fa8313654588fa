"""The output folder: the names of what a build keeps there, its lock, and atomic writes.

Everything a build writes goes through :class:`OutputFolder`: a temporary file in the folder,
flushed, synced and renamed over the old one, so a crash or a kill at any moment leaves every
file either the old one or the new one, whole. Temporary files a killed build left behind are
removed by the next build, under the lock (filelock: it works on every system, where ``fcntl``
would make the whole program unimportable on Windows).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock

from .errors import BuildError

DEFAULT_PACKAGE = "quote2anki.apkg"
STATE_FILE = ".quote2anki.sqlite"
"""The record of the last build and the cache of each file's results (:mod:`.database`)."""
LEGACY_STATE_FILE = ".quote2anki-state.json"
LEGACY_CACHE_FILE = ".quote2anki-cache.pickle"
"""What versions before the SQLite record wrote: the state is read once and converted."""
MANIFEST_FILE = ".quote2anki-build.json"
LOCK_FILE = ".quote2anki.lock"
TEMP_PREFIX = ".quote2anki-"
TEMP_SUFFIX = ".tmp"


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class OutputFolder:
    """The folder packages and the build record are written to."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def __truediv__(self, name: str) -> Path:
        return self.path / name

    @property
    def state(self) -> Path:
        return self.path / STATE_FILE

    @property
    def legacy_state(self) -> Path:
        return self.path / LEGACY_STATE_FILE

    @property
    def manifest(self) -> Path:
        return self.path / MANIFEST_FILE

    def prepare(self) -> None:
        """Create the folder, or say in one line why it cannot be used."""
        out = self.path
        if out.exists() and not out.is_dir():
            raise BuildError(f"output path {out} is a file, not a folder; pass --out with a "
                             "folder")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BuildError(f"cannot create output folder {out}: {error.strerror or error}"
                             ) from error
        if not os.access(out, os.W_OK):
            raise BuildError(f"output folder {out} is not writable; pass --out with another "
                             "folder")

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One build at a time per folder: a second one waits for the first, then cleans up
        whatever a killed build left behind."""
        lock = FileLock(str(self.path / LOCK_FILE))
        try:
            lock.acquire()
        except OSError as error:
            raise BuildError(f"cannot lock {self.path / LOCK_FILE}: {error.strerror or error};"
                             " the output folder must be writable") from error
        try:
            self.remove_leftovers()
            yield
        finally:
            lock.release()

    def remove_leftovers(self) -> None:
        """Delete temporary files a killed build left behind (call with the lock held: every
        build writes its temporary files only while it holds it)."""
        for leftover in self.path.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            with suppress(OSError):
                leftover.unlink()

    def digest(self, name: str) -> str | None:
        """The SHA-256 of one of the folder's files, or None if it cannot be read."""
        try:
            return file_digest(self.path / name)
        except OSError:
            return None

    @contextmanager
    def temporary(self) -> Iterator[str]:
        """A temporary file's name in the folder, deleted unless renamed away."""
        handle, name = tempfile.mkstemp(dir=self.path, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        os.close(handle)
        try:
            yield name
        finally:
            if os.path.exists(name):
                os.unlink(name)

    def publish(self, temporary: str, name: str) -> bool:
        """Rename a whole temporary file to ``name``; False (and nothing done) if ``name``
        already holds the same bytes, so an unchanged file keeps its time on disk."""
        target = self.path / name
        if _same_file(temporary, target):
            return False
        os.chmod(temporary, 0o666 & ~_umask())  # as a plain open() would have created it
        os.replace(temporary, target)
        return True

    def write_streamed(self, name: str, write: Callable[[BinaryIO], object]) -> bool:
        """Atomically replace ``name`` with what ``write`` writes to a file handle (large files
        are never held in memory whole); False if the bytes were already there."""
        with self.temporary() as temporary:
            with open(temporary, "wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
            return self.publish(temporary, name)

    def write_bytes(self, name: str, data: bytes) -> bool:
        """Atomically replace ``name`` with ``data``; False if it already held them."""
        try:
            if (self.path / name).read_bytes() == data:
                return False
        except OSError:
            pass
        return self.write_streamed(name, lambda handle: handle.write(data))


def write_atomic(path: Path, data: bytes) -> bool:
    """Write one file atomically, wherever it is (the preview page, say)."""
    return OutputFolder(path.parent).write_bytes(path.name, data)


def _same_file(new: str, old: Path) -> bool:
    try:
        if os.path.getsize(new) != old.stat().st_size:
            return False
        return file_digest(Path(new)) == file_digest(old)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
