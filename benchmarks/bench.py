"""How fast quote2anki builds, against the floor that plain genanki sets for the same notes.

    python benchmarks/bench.py [--sizes 1000,10000,100000] [--keep DIR] [--repeat N]
                               [--commit REF]

For each size (a number of quotes, 100 a book note) it generates a deterministic vault
(``vault.py``) and prints one ``key=value`` line per figure, ready for a README table:

- the floor: plain genanki writing as many cloze notes of the same text into one deck (the
  figure every ratio is to), and the same notes in one deck per book (for reference);
- ``quote2anki build`` from scratch, again with nothing changed, and after one quote changed;
- the peak memory of each of those (every one runs in its own process, so it is its own peak);
- the time of each step inside one build (``quote2anki.profile``: read, walk, extract,
  notes, decks, identity, package);
- each figure's ratio to the floor (``ratio_to_floor=``), the targets of issue 15 with
  whether this run meets them, and how each time grows from one size to the next.

Every measured step is a subprocess timed end to end, start-up included, because start-up is
what a user waits for too. Its peak RSS comes from ``os.wait4`` on that one child (the figure
``/usr/bin/time -f %M`` prints), so one run's peak never hides another's. The children run
on a copy of quote2anki's source taken at the start (``--commit REF`` takes a commit
instead), so edits made while a long run goes on cannot mix two versions into one table.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.util
import io
import itertools
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as `python benchmarks/bench.py` from anywhere
    sys.path.insert(0, str(HERE))

from vault import BookPlan, edit_one_quote, plan_vault, write_vault  # noqa: E402

DEFAULT_SIZES = (1000, 10000, 100000)
SEED = 7
PREFIX = "Books"
PACKAGE = "quote2anki.apkg"
_WORD = re.compile(r"[^\W\d_][\w’'-]*")


# --- measuring one subprocess -----------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """One finished subprocess: wall time, peak resident memory, exit code and output."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


# Linux records, in a child's ru_maxrss, the resident size of the process it was forked (or
# vforked) from at the moment it execs: a child of this benchmark, which holds a whole vault
# in memory, would report at least this benchmark's size. So every measured command is
# started by a small launcher process, and the launcher reports its own child's peak.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as report:
    report.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run(command: Sequence[str], cwd: Path | None = None) -> Run:
    """Run ``command`` and measure it: wall time and its own peak RSS (``os.wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
        subprocess.run([sys.executable, "-c", _LAUNCHER, report.name, *command], stdout=out,
                       stderr=err, cwd=cwd, check=False)
        seconds_text, maxrss, code = Path(report.name).read_text().split()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    rss = int(maxrss)
    peak = rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024
    return Run(float(seconds_text), peak, int(code), stdout, stderr)


def best(runs: Sequence[Run]) -> Run:
    """The fastest of repeated runs, carrying the highest peak seen (memory is not noise)."""
    fastest = min(runs, key=lambda r: r.seconds)
    return Run(fastest.seconds, max(r.peak_mb for r in runs), fastest.returncode,
               fastest.stdout, fastest.stderr)


# --- child modes: the floor and the in-process stage timings ------------------------------

def floor_child(data_path: Path, out: Path) -> None:
    """Plain genanki, the way its README shows it: the least any genanki-based tool can take.

    One CLOZE model with 3 fields, one Deck per book, one Package, ``write_to_file``.
    """
    import genanki

    rows: list[list[str]] = json.loads(data_path.read_text(encoding="utf-8"))
    model = genanki.Model(
        1607392319, "floor cloze",
        fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Source"}],
        templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}",
                    "afmt": "{{cloze:Text}}<br>{{Back Extra}}<br>{{Source}}"}],
        model_type=genanki.Model.CLOZE,
    )
    decks: dict[str, Any] = {}
    for deck_name, text, source in rows:
        deck = decks.get(deck_name)
        if deck is None:
            deck = decks[deck_name] = genanki.Deck(2059400110 + len(decks), deck_name)
        deck.add_note(genanki.Note(model=model, fields=[text, "", source]))
    genanki.Package(list(decks.values())).write_to_file(str(out))


def stages_child(vault: Path) -> None:
    """Time each step of one build in-process (``quote2anki.profile``) and print it as JSON.

    Runs in its own process so lazy loads (word frequencies, the Markdown parser) are paid
    here as in a real build, not hidden by an earlier size's warm-up.
    """
    start = time.perf_counter()
    import quote2anki

    imported = time.perf_counter() - start
    measured = quote2anki.profile([vault], quote2anki.BuildOptions(deck_prefix=PREFIX))
    times = {"import": imported, **measured.times}
    print(json.dumps({"times": times, "counts": measured.counts, "module": quote2anki.__file__}))


# --- the benchmark ------------------------------------------------------------------------

def floor_rows(plans: Sequence[BookPlan]) -> list[list[str]]:
    """The floor's notes: each quote with gaps on its three longest words, c1..c3.

    quote2anki hides at most three gaps a quote, so the floor writes a similar number of cards.
    """
    rows = []
    for plan in plans:
        deck = f"{PREFIX}::{plan.title}"
        source = f"{plan.title} · {plan.author}"
        for quote in plan.quotes:
            words = sorted(dict.fromkeys(_WORD.findall(quote)), key=lambda w: (-len(w), w))[:3]
            text = quote
            for number, word in enumerate(words, 1):
                text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)",
                              f"{{{{c{number}::{word}}}}}", text, count=1)
            rows.append([deck, text, source])
    return rows


def machine() -> str:
    """The CPU, cores and Python: timings mean little without them."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware")):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f'machine cpu="{cpu}" cores={os.cpu_count()} usable_cores={usable} '
            f'python={platform.python_version()} os="{platform.system()} {platform.release()}"')


def versions(code: Path, ref: str | None) -> str:
    """Library versions, the commit, and a digest of the quote2anki source being timed."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("genanki", "ftfy", "markdown-it-py", "wordfreq"):
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=n/a")
    commit = _git("rev-parse", "--short", ref) if ref else _git("describe", "--always", "--dirty")
    return f"versions {' '.join(found)} commit={commit} src={source_digest(code)}"


def _git(*arguments: str) -> str:
    try:
        return subprocess.run(["git", *arguments], cwd=HERE, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "n/a"


def installed_source() -> Path:
    """The folder Python imports quote2anki from (the working tree, when installed editable)."""
    spec = importlib.util.find_spec("quote2anki")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("quote2anki is not importable: pip install -e . first")
    return Path(next(iter(spec.submodule_search_locations)))


def source_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def snapshot(work: Path, ref: str | None) -> Path:
    """Copy quote2anki's source now and point every child at the copy (``PYTHONPATH``).

    The package is installed editable and the repository keeps moving while a long run goes
    on; without a copy, one run could time two versions. With ``ref``, the copy is that commit
    (``git archive``), so two commits can be compared on the same vaults.
    """
    live = installed_source()
    root = work / "code"
    shutil.rmtree(root, ignore_errors=True)
    target = root / "quote2anki"
    if ref is None:
        shutil.copytree(live, target, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        top = Path(_git("rev-parse", "--show-toplevel"))
        inside = live.resolve().relative_to(top.resolve()).as_posix()
        archive = subprocess.run(["git", "archive", "--format=tar", ref, inside], cwd=top,
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            safe: dict[str, Any] = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(root / "archive", **safe)
        shutil.move(root / "archive" / inside, target)
        shutil.rmtree(root / "archive")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(root), os.environ.get("PYTHONPATH")) if part)
    return target


def emit(size: int, **figures: object) -> None:
    """One line, ``quotes=N key=value ...``, flushed so a long run shows progress."""
    parts = [f"quotes={size}"]
    for key, value in figures.items():
        if isinstance(value, float):
            value = f"{value:.3f}" if key.endswith("_s") else f"{value:.2f}"
        elif isinstance(value, str) and " " in value:
            value = f'"{value}"'
        parts.append(f"{key}={value}")
    print(" ".join(parts), flush=True)


def _summary(result: Run) -> str:
    """The build's own count line and change line, as a check that it did the work."""
    lines = [line for line in result.stdout.splitlines()
             if "quote note" in line or line.startswith("since the last build")]
    return "; ".join(lines).replace("since the last build: ", "")


def _check(label: str, result: Run) -> None:
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        print(f"warning {label} exited {result.returncode}: " + " | ".join(tail), flush=True)


def _digest(path: Path) -> tuple[str, int] | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    except OSError:
        return None


def bench_size(size: int, work: Path, repeat: int) -> dict[str, float]:
    """Measure one size; return the times the scaling lines compare across sizes."""
    here = work / f"q{size}"
    shutil.rmtree(here, ignore_errors=True)
    vault = here / "vault"
    start = time.perf_counter()
    plans = plan_vault(size, SEED)
    files = write_vault(vault, plans, SEED)  # what make_vault(vault, size, SEED) writes
    generated = time.perf_counter() - start
    megabytes = sum(path.stat().st_size for path in files) / 1e6
    emit(size, books=len(files), vault_mb=megabytes, generate_s=generated)

    # The floor: one deck (what every ratio is to), and one deck per book for reference.
    rows = floor_rows(plans)
    floor = measure_floor(here, "floor", [[PREFIX, text, source] for _, text, source in rows],
                          repeat)
    cards = sum(len(set(re.findall(r"\{\{c(\d)::", row[1]))) for row in rows)
    emit(size, floor_genanki_s=floor.seconds, peak_mb=floor.peak_mb, notes=len(rows),
         cards=cards, decks=1)
    books_floor = measure_floor(here, "floor-books", rows, repeat)
    emit(size, floor_genanki_books_s=books_floor.seconds, peak_mb=books_floor.peak_mb,
         decks=len(plans), ratio_to_floor=books_floor.seconds / floor.seconds)

    # Steps inside one build, in-process (in a fresh process of its own).
    staged = run([sys.executable, str(Path(__file__).resolve()), "--stages-child", str(vault)])
    _check("stages", staged)
    try:
        report = json.loads(staged.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        report = {"times": {}, "counts": {}}
    if not str(report.get("module", "")).startswith(str(work / "code")):
        print(f"warning timed {report.get('module')}, not the snapshot", flush=True)
    times: dict[str, float] = report["times"]
    for name, value in times.items():
        emit(size, **{f"stage_{name}_s": value}, ratio_to_floor=value / floor.seconds)
    measured = list(times.values())
    emit(size, stages_total_s=sum(measured), ratio_to_floor=sum(measured) / floor.seconds,
         stages_peak_mb=staged.peak_mb, **{key: value for key, value in report["counts"].items()})

    # quote2anki build: from scratch, unchanged, one quote changed.
    fulls, nochanges, onechanges = [], [], []
    unchanged = True
    edited = vault / plans[0].filename  # plan 0 is a template note, never mojibake or Readwise
    for attempt in range(repeat):
        out = here / f"decks-{attempt}"
        command = [sys.executable, "-m", "quote2anki", "build", str(vault), "--out", str(out)]
        fulls.append(run(command))
        _check("build", fulls[-1])
        before = _digest(out / PACKAGE)
        nochanges.append(run(command))
        _check("rebuild", nochanges[-1])
        unchanged = unchanged and before is not None and before == _digest(out / PACKAGE)
        edit_one_quote(edited)
        onechanges.append(run(command))
        _check("one-change rebuild", onechanges[-1])
    full, nochange, onechange = best(fulls), best(nochanges), best(onechanges)
    package_mb = (here / "decks-0" / PACKAGE).stat().st_size / 1e6
    emit(size, build_full_s=full.seconds, ratio_to_floor=full.seconds / floor.seconds,
         peak_mb=full.peak_mb, package_mb=package_mb, summary=_summary(fulls[0]))
    emit(size, build_nochange_s=nochange.seconds, ratio_to_floor=nochange.seconds / floor.seconds,
         peak_mb=nochange.peak_mb, package_untouched="yes" if unchanged else "no",
         summary=_summary(nochanges[0]))
    emit(size, build_onechange_s=onechange.seconds,
         ratio_to_floor=onechange.seconds / floor.seconds, peak_mb=onechange.peak_mb,
         summary=_summary(onechanges[0]))

    emit(size, ratio_full_to_floor=full.seconds / floor.seconds)
    emit(size, ratio_onechange_to_floor=onechange.seconds / floor.seconds)
    emit(size, ratio_nochange_to_full=nochange.seconds / full.seconds)
    emit(size, ratio_onechange_to_full=onechange.seconds / full.seconds)
    peak = max(full.peak_mb, nochange.peak_mb, onechange.peak_mb)
    for name, value, limit in targets(full.seconds / floor.seconds,
                                      onechange.seconds / floor.seconds,
                                      nochange.seconds / full.seconds, peak):
        emit(size, target=name, value=f"{value:.3f}", limit=f"{limit:g}",
             met="yes" if value <= limit else "no")
    return {"floor_genanki": floor.seconds, "floor_genanki_books": books_floor.seconds,
            "build_full": full.seconds,
            "build_nochange": nochange.seconds, "build_onechange": onechange.seconds}


def measure_floor(here: Path, name: str, rows: list[list[str]], repeat: int) -> Run:
    """Plain genanki on ``rows`` (deck, text, source) in a child process, best of ``repeat``."""
    data = here / f"{name}.json"
    data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    floors = []
    for attempt in range(repeat):
        target = here / f"{name}-{attempt}.apkg"
        floors.append(run([sys.executable, str(Path(__file__).resolve()), "--floor-child",
                           str(data), str(target)]))
        _check(name, floors[-1])
    return best(floors)


TARGETS = (("full_to_floor", 8.0), ("onechange_to_floor", 1.0), ("nochange_to_full", 0.02),
           ("peak_mb", 300.0))
"""Issue 15's targets at 100,000 quotes (printed at every size, to see them coming)."""


def targets(full_to_floor: float, onechange_to_floor: float, nochange_to_full: float,
            peak_mb: float) -> list[tuple[str, float, float]]:
    """Each target with this run's value and its limit."""
    values = (full_to_floor, onechange_to_floor, nochange_to_full, peak_mb)
    return [(name, value, limit) for (name, limit), value in zip(TARGETS, values, strict=True)]


def warm_up() -> None:
    """Load the libraries once, unmeasured, so the first size does not pay a cold disk cache."""
    run([sys.executable, "-c", "import genanki, quote2anki.build, quote2anki.cli"])


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive numbers of quotes")
    return sizes


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=list(DEFAULT_SIZES),
                        help="comma-separated numbers of quotes (default 1000,10000,100000)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="write vaults and packages here and keep them (default: a temp "
                             "folder, removed at the end)")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run each timed step N times and report the fastest (default 1)")
    parser.add_argument("--commit", metavar="REF",
                        help="time quote2anki as of this git commit instead of the working tree")
    parser.add_argument("--floor-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stages-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_child:
        floor_child(*args.floor_child)
        return
    if args.stages_child:
        stages_child(args.stages_child)
        return
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    print(machine(), flush=True)
    with tempfile.TemporaryDirectory(prefix="quote2anki-bench-") as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        code = snapshot(work, args.commit)
        print(versions(code, args.commit), flush=True)
        warm_up()
        results: list[tuple[int, dict[str, float]]] = []
        for size in args.sizes:
            results.append((size, bench_size(size, work, args.repeat)))
        for (small, before), (large, after) in itertools.pairwise(results):
            for name in before:
                ratio = after[name] / before[name]
                print(f"scaling quotes={small}->{large} factor={large / small:g} "
                      f"{name}_x={ratio:.2f}", flush=True)
        if args.commit is None and source_digest(installed_source()) != source_digest(code):
            print("note quote2anki's source changed during the run; the figures are for the "
                  f"copy taken at the start (src={source_digest(code)})", flush=True)


if __name__ == "__main__":
    main()
