"""Faults: a build killed at any moment, and two builds into one folder at once.

Real processes, real SIGKILL, real packages imported into Anki's backend. After any kill every
``.apkg`` in the output folder is the old package or the new one, whole; nothing half-written
carries the ``.apkg`` name, and the next build removes what the killed one left behind.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from quote2anki.output import (
    LOCK_FILE,
    MANIFEST_FILE,
    STATE_FILE,
    TEMP_PREFIX,
    TEMP_SUFFIX,
    OutputFolder,
)
from quote2anki.state import load

from anki_import import import_package
from conftest import FORMATS, NOTES, T0, build

pytestmark = pytest.mark.slow  # kills, races and random notes: seconds each

EXTRA = "# Extra Book\n## Quotes\n" + "".join(
    f"- Extra quote number {i} about something quite different from the rest.\n"
    for i in range(40))


def bulky_note() -> str:
    """A book whose highlights carry long notes of random words: about 1 MB of text that
    compresses badly, so a package takes long enough to write for a kill to land inside."""
    rng = random.Random(1)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(5000)]
    return "# Bulky Book\n## Quotes\n" + "".join(
        f"- Bulky quote number {i} says something worth remembering.\n"
        f"    - Note: {' '.join(rng.choice(words) for _ in range(1300))}\n" for i in range(120))


def make_vault(folder: Path) -> Path:
    folder.mkdir()
    for note in [*NOTES.glob("*.md"), *FORMATS.glob("*.md")]:
        shutil.copy(note, folder / note.name)
    (folder / "Bulky Book.md").write_text(bulky_note(), encoding="utf-8")
    return folder


def set_version(vault: Path, version: int) -> None:
    """Version 0 is the vault; version 1 adds a book, so the two packages differ."""
    extra = vault / "Extra Book.md"
    if version:
        extra.write_text(EXTRA, encoding="utf-8")
        os.utime(extra, (T0, T0))
    elif extra.exists():
        extra.unlink()


def guids(data: bytes) -> frozenset[str]:
    """The notes of a package, after checking it is whole: a valid zip and SQLite file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert json.loads(archive.read("media")) == {}
        collection = archive.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(collection)
        assert connection.execute("pragma integrity_check").fetchone() == ("ok",)
        return frozenset(guid for (guid,) in connection.execute("select guid from notes"))
    finally:
        connection.close()


def packages(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in out.glob("*.apkg")}


def leftovers(out: Path) -> list[Path]:
    return sorted(out.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))


def start_build(vault: Path, out: Path, split: bool) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "quote2anki", "build", str(vault), "--out", str(out)]
    return subprocess.Popen(command + (["--split"] if split else []),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def files(out: Path) -> dict[str, tuple[int, int]]:
    return {path.name: (path.stat().st_size, path.stat().st_mtime_ns) for path in
            out.glob("*.apkg")}


def kill_when(process: subprocess.Popen[bytes], out: Path, rng: random.Random,
              seconds: float) -> str:
    """SIGKILL ``process``: at a random moment, or just as writing starts (a temporary file
    appears, or a package changes), so both start-up and writing get hit."""
    if rng.random() < 0.5:
        time.sleep(rng.uniform(0, seconds))
        how = "at random"
    else:
        before = files(out)
        deadline = time.monotonic() + seconds * 2
        while (not leftovers(out) and files(out) == before and process.poll() is None
               and time.monotonic() < deadline):
            pass
        time.sleep(rng.choice([0, 0, rng.uniform(0, 0.002)]))
        how = "while writing"
    process.send_signal(signal.SIGKILL)
    process.wait()
    return how


@pytest.mark.parametrize("split", [False, True], ids=["one-package", "split"])
def test_killed_builds_leave_the_old_or_the_new_package_whole(
    tmp_path: Path, split: bool
) -> None:
    vault = make_vault(tmp_path / "vault")
    expected: dict[int, dict[str, frozenset[str]]] = {}
    for version in (0, 1):  # what each version's packages hold, built cleanly elsewhere
        set_version(vault, version)
        reference = tmp_path / f"reference{version}"
        build([vault], reference, split=split)
        expected[version] = {name: guids(data) for name, data in packages(reference).items()}

    out = tmp_path / "decks"
    set_version(vault, 0)
    start = time.monotonic()
    assert start_build(vault, out, split).wait() == 0
    seconds = time.monotonic() - start
    rng = random.Random(4)
    hits = []
    for attempt in range(12):
        version = (attempt + 1) % 2
        set_version(vault, version)
        old = packages(out)
        how = kill_when(start_build(vault, out, split), out, rng, seconds)
        hits.append(how)
        for name, data in packages(out).items():
            where = f"attempt {attempt} (killed {how}): {name}"
            if data != old.get(name):
                # going back to version 0, the extra book's notes may stay, tagged removed
                whole = {expected[version].get(name), expected[1].get(name)} if version == 0 else {
                    expected[1].get(name)}
                assert guids(data) in whole, f"{where} is neither old nor new"
        names = {path.name for path in out.iterdir()}
        allowed = set(expected[0]) | set(expected[1]) | {STATE_FILE, LOCK_FILE, MANIFEST_FILE,
                                                         f"{STATE_FILE}-journal"}
        assert names - allowed <= {path.name for path in leftovers(out)}, names

    assert "while writing" in hits and "at random" in hits
    assert start_build(vault, out, split).wait() == 0  # a clean build tidies up
    assert not leftovers(out)
    final = packages(out)
    for name, notes in expected[version].items():
        assert guids(final[name]) in ({notes, expected[1].get(name)} if version == 0 else {notes})


def test_a_package_written_between_kills_imports_into_anki(tmp_path: Path, collection: Any
                                                           ) -> None:
    vault = make_vault(tmp_path / "vault")
    out = tmp_path / "decks"
    rng = random.Random(7)
    assert start_build(vault, out, False).wait() == 0
    for attempt in range(4):
        set_version(vault, attempt % 2)
        kill_when(start_build(vault, out, False), out, rng, 0.5)
    package = out / "quote2anki.apkg"
    log = import_package(collection, package)
    assert len(log.new) == len(guids(package.read_bytes())) > 100


def test_leftovers_of_a_killed_build_are_removed_but_not_a_running_builds(tmp_path: Path
                                                                          ) -> None:
    vault = make_vault(tmp_path / "vault")
    out = tmp_path / "decks"
    build([vault], out)
    stale = out / f"{TEMP_PREFIX}killed{TEMP_SUFFIX}"
    stale.write_bytes(b"half a package")
    with open(out / LOCK_FILE, "a") as lock:  # a build that is still running holds the lock
        fcntl.flock(lock, fcntl.LOCK_EX)
        waiting = start_build(vault, out, False)
        time.sleep(1.0)
        assert waiting.poll() is None  # it waits its turn...
        assert stale.exists()  # ...and leaves the running build's file alone
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert waiting.wait() == 0
    assert not stale.exists() and not leftovers(out)


def test_a_write_that_fails_midway_keeps_the_old_package(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from quote2anki import BuildError

    vault = make_vault(tmp_path / "vault")
    out = tmp_path / "decks"
    build([vault], out)
    old = packages(out)
    set_version(vault, 1)

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(BuildError, match="No space left on device"):
        build([vault], out)
    assert packages(out) == old and not leftovers(out)


def test_two_builds_into_one_folder_at_once_both_finish_with_a_whole_package(
    tmp_path: Path, collection: Any
) -> None:
    first = make_vault(tmp_path / "first")
    second = make_vault(tmp_path / "second")
    set_version(second, 1)
    expected = {}
    for vault in (first, second):
        reference = tmp_path / f"reference-{vault.name}"
        build([vault], reference)
        expected[vault.name] = guids((reference / "quote2anki.apkg").read_bytes())
    out = tmp_path / "decks"
    for _ in range(3):
        racing = [start_build(vault, out, False) for vault in (first, second)]
        results = [process.communicate() for process in racing]
        assert [process.returncode for process in racing] == [0, 0], results
        assert guids((out / "quote2anki.apkg").read_bytes()) in expected.values()
        assert not leftovers(out)
        records, problem = load(OutputFolder(out))
        assert problem is None and records
    log = import_package(collection, out / "quote2anki.apkg")
    assert len(log.new) in {len(notes) for notes in expected.values()}
