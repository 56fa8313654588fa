"""When the machine fails: a full disk, killed worker processes, a damaged package to import.

Each runs quote2anki as a user does, in its own process (CliRunner never prints a traceback, so
it cannot show one is missing), and expects one ``Error:`` line, never a traceback, and the
packages already in the folder left whole.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from quote2anki.output import DEFAULT_PACKAGE

pytestmark = pytest.mark.slow  # real processes, many of them


def run(*args: str, limit: int | None = None, timeout: float = 120
        ) -> subprocess.CompletedProcess[str]:
    """``python -m quote2anki ARGS``; with ``limit``, no file it writes may grow past that many
    bytes: each write beyond fails as on a full disk (EFBIG instead of ENOSPC)."""
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        assert limit is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "quote2anki", *args], capture_output=True,
                          text=True, timeout=timeout, preexec_fn=limited if limit else None,
                          check=False)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert result.returncode == 1 and len(errors) == 1, (result.returncode, result.stderr)
    return errors[0]


def vault(folder: Path, books: int = 3, quotes: int = 60, note_words: int = 0) -> Path:
    folder.mkdir()
    rng = random.Random(5)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(3000)]
    for book in range(books):
        lines = [f"# Book number {book}\n## Highlights\n"]
        for i in range(quotes):
            lines.append(f"- Quote {i} of book {book}: "
                         f"{' '.join(rng.choice(words) for _ in range(14))}.\n")
            if note_words:
                remark = " ".join(rng.choice(words) for _ in range(note_words))
                lines.append(f"    - Note: {remark}\n")
        (folder / f"book{book}.md").write_text("".join(lines), encoding="utf-8")
    return folder


def package_is_whole(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None


def test_a_full_disk_is_one_error_line_at_every_fill_level(tmp_path: Path) -> None:
    notes = vault(tmp_path / "notes")
    out = tmp_path / "decks"
    assert run("build", str(notes), "--out", str(out)).returncode == 0
    size = (out / DEFAULT_PACKAGE).stat().st_size
    (notes / "book0.md").write_text((notes / "book0.md").read_text(encoding="utf-8")
                                    + "- One more quote, so the next build writes again.\n",
                                    encoding="utf-8")
    levels = sorted({0, 1, 100, 512, 1024, 2048, 4096, 8192, 12288, 16384, 32768, 65536,
                     size // 4, size // 2, size - 1, size, size + 1, size * 2, size * 4,
                     size * 8, 10 * 2**20})
    failed = 0
    for level in levels:
        before = (out / DEFAULT_PACKAGE).read_bytes()
        result = run("build", str(notes), "--out", str(out), limit=max(level, 1))
        if result.returncode != 0:
            failed += 1
            assert "cannot write" in one_error_line(result) or "cannot" in result.stderr
            if (out / DEFAULT_PACKAGE).read_bytes() != before:
                package_is_whole(out / DEFAULT_PACKAGE)  # the new one, whole
        else:
            assert "Traceback" not in result.stderr
    assert failed >= len(levels) // 2
    assert run("build", str(notes), "--out", str(out)).returncode == 0  # room again: fine


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_a_killed_worker_process_is_one_error_line(tmp_path: Path) -> None:
    notes = vault(tmp_path / "notes", books=8, quotes=150, note_words=250)
    command = [sys.executable, "-m", "quote2anki", "build", str(notes), "--out",
               str(tmp_path / "decks"), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    assert wait_for(lambda: bool(children(process.pid)) or process.poll() is not None)
    workers = children(process.pid)
    assert workers, "the build finished before a worker could be killed"
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=120)
    error = one_error_line(subprocess.CompletedProcess(command, process.returncode, stdout,
                                                       stderr))
    assert "worker process" in error and "--jobs 1" in error
    assert not (tmp_path / "decks" / DEFAULT_PACKAGE).exists()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_workers_of_a_killed_build_leave_quietly(tmp_path: Path) -> None:
    notes = vault(tmp_path / "notes", books=8, quotes=150, note_words=250)
    process = subprocess.Popen([sys.executable, "-m", "quote2anki", "build", str(notes),
                                "--out", str(tmp_path / "decks"), "--jobs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: len(children(process.pid)) >= 2 or process.poll() is not None)
    workers = children(process.pid)
    assert workers, "the build finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)  # read until the workers close it too
    assert wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), 60)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


@pytest.mark.anki
@pytest.mark.parametrize("damage", ["random bytes", "cut short", "no collection", "not ours"])
def test_importing_a_damaged_package_is_one_error_line(tmp_path: Path, damage: str) -> None:
    import genanki
    from anki.collection import Collection

    notes = vault(tmp_path / "notes", books=1, quotes=5)
    out = tmp_path / "decks"
    assert run("build", str(notes), "--out", str(out)).returncode == 0
    package = out / DEFAULT_PACKAGE
    data = package.read_bytes()
    if damage == "random bytes":
        package.write_bytes(random.Random(1).randbytes(4000))
    elif damage == "cut short":
        package.write_bytes(data[: len(data) // 2])
    elif damage == "no collection":
        with zipfile.ZipFile(package, "w") as archive:
            archive.writestr("media", "{}")
    else:
        model = genanki.Model(1607392319, "Simple", fields=[{"name": "Q"}],
                              templates=[{"name": "C", "qfmt": "{{Q}}", "afmt": "{{Q}}"}])
        deck = genanki.Deck(2059400110, "Other")
        deck.add_note(genanki.Note(model=model, fields=["a question"]))
        genanki.Package(deck).write_to_file(str(package))
    collection = tmp_path / "collection.anki2"
    Collection(str(collection)).close()
    result = run("import", str(package), "--collection", str(collection))
    error = one_error_line(result)
    assert str(package) in error
