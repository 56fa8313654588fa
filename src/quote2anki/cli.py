"""The ``quote2anki`` command line: a thin click layer over :mod:`quote2anki.build`.

Exit codes: 0 success; 1 when some note could not be used (the rest is still written and
every problem is named) or the build itself failed; 2 for usage errors such as a missing path.
Every error is one line; a user error never shows a traceback.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__
from .build import BuildError, Built, Collected, build, collect, compare
from .cards import DEFAULT_DECK_PREFIX
from .model import Note, Problem
from .package import write_atomic
from .preview import render_page

MAX_PROBLEMS_SHOWN = 15

_PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")
_PREFIX = click.option(
    "--deck-prefix", default=DEFAULT_DECK_PREFIX, show_default=True,
    help="Parent deck for the books: each book becomes '<prefix>::<Title>'.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quote2anki")
def main() -> None:
    """Turn the quotes and definitions in Markdown book notes into Anki cloze decks.

    \b
    Example:
        quote2anki build            # notes/ -> decks/quote2anki.apkg
    """


class InputError(click.ClickException):
    """A path to read that is not there: a usage error (exit 2), told in one line."""

    exit_code = 2


def _inputs(paths: Sequence[Path]) -> list[Path]:
    if paths:
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise InputError(f"no such file or folder: {', '.join(missing)}; "
                             "pass notes that exist, e.g. quote2anki build ~/vault/Books")
        return list(paths)
    default = Path("notes")
    if not default.is_dir():
        raise InputError("no PATH given and there is no notes/ folder here; "
                         "pass the notes to read, e.g. quote2anki build ~/vault/Books")
    return [default]


@main.command("build")
@_PATHS
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("decks"),
              show_default=True, help="Folder for the .apkg packages.")
@_PREFIX
@click.option("--split", is_flag=True, help="One package per book instead of one for all.")
@click.option("--forget-removed", is_flag=True,
              help="Stop exporting notes whose quotes were removed (after deleting them in Anki).")
def build_command(paths: tuple[Path, ...], out: Path, deck_prefix: str, split: bool,
                  forget_removed: bool) -> None:
    """Read notes (files or folders of *.md) and write Anki packages.

    Re-importing a rebuilt package into Anki updates notes in place: review history is kept,
    edits made inside Anki survive unless the quote itself changed, and a quote whose wording
    you fixed keeps its note. Notes whose quotes were removed stay in the package, tagged
    quote2anki::removed, until --forget-removed.

    \b
    Example:
        quote2anki build notes/ --out decks/ --split
    """
    progress = _ProgressBar("reading notes")
    try:
        built = build(_inputs(paths), out, deck_prefix, split, forget_removed, progress)
    except BuildError as error:
        raise click.ClickException(str(error)) from error
    finally:
        progress.close()
    _summary(built)
    if built.errors:
        sys.exit(1)


class _ProgressBar:
    """click's progress bar on a terminal, once a build has run for a moment; nothing at all
    when the output is not a terminal (a log, a pipe, a test)."""

    DELAY = 1.5

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.monotonic()
        self.terminal = sys.stderr.isatty()
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.terminal:
            return
        if self.bar is None:
            if done >= total or time.monotonic() - self.started < self.DELAY:
                return
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@main.command("cards")
@_PATHS
@_PREFIX
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per note per line, for scripts.")
def cards_command(paths: tuple[Path, ...], deck_prefix: str, as_json: bool) -> None:
    """List every note a build would write, without writing anything.

    \b
    Example:
        quote2anki cards notes/Dune.md
        quote2anki cards --json | jq 'select(.kind == "definition") | .term'
    """
    collected = collect(_inputs(paths), deck_prefix)
    if as_json:
        for note in collected.notes:
            click.echo(json.dumps(note_json(note), ensure_ascii=False))
    else:
        _listing(collected)
    _problems(collected.problems)
    if collected.errors:
        sys.exit(1)


@main.command("preview")
@_PATHS
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("preview.html"), show_default=True, help="The HTML page to write.")
@click.option("--decks", type=click.Path(file_okay=False, path_type=Path), default=Path("decks"),
              show_default=True, help="Output folder of the last build, to mark what changed.")
@_PREFIX
def preview_command(paths: tuple[Path, ...], out: Path, decks: Path, deck_prefix: str) -> None:
    """Write one HTML page showing every card front and back as Anki would, grouped by book,
    with what is new or changed since the last build marked. Nothing else is written.

    \b
    Example:
        quote2anki preview notes/ --out preview.html && open preview.html
    """
    collected, comparison = compare(collect(_inputs(paths), deck_prefix), decks)
    statuses = {note.guid: status for note, status in
                zip(comparison.notes, comparison.statuses, strict=True)}
    page = render_page(comparison.notes, statuses)
    try:
        write_atomic(out, page.encode("utf-8"))
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror or error}") from error
    cards = sum(len(note.card_numbers) for note in comparison.notes)
    click.echo(f"wrote {out}: {_plural(len(comparison.notes), 'note')}, "
               f"{_plural(cards, 'card')} ({_changes(Counter(comparison.statuses))})")
    _problems(collected.problems)
    if collected.errors:
        sys.exit(1)


@main.command("check")
@_PATHS
@_PREFIX
def check_command(paths: tuple[Path, ...], deck_prefix: str) -> None:
    """List every problem in the notes, one per line, without building anything.

    Each line reads file:line: level: message. Errors are notes (or parts of notes) that
    cannot be used; warnings were used, perhaps not as you meant; info is worth knowing.
    Exit code 1 if there is any error, so it can guard a script or a commit hook.

    \b
    Example:
        quote2anki check ~/vault/Books
        quote2anki check notes/ | grep error
    """
    collected = collect(_inputs(paths), deck_prefix)
    for problem in sorted_problems(collected.problems):
        click.secho(str(problem), fg=_COLOURS[problem.level])
    click.echo(f"{_plural(len(collected.books), 'note')} read: {_counts(collected.problems)}",
               err=True)
    if collected.errors:
        sys.exit(1)


@main.command("import")
@click.argument("packages", nargs=-1, type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path), metavar="[PACKAGE]...")
@click.option("--collection", type=click.Path(dir_okay=False, path_type=Path),
              help="Anki collection (collection.anki2); default: the first Anki profile's.")
@click.option("--decks", type=click.Path(file_okay=False, path_type=Path), default=Path("decks"),
              show_default=True, help="Where the built packages are, when none is named.")
def import_command(packages: tuple[Path, ...], collection: Path | None, decks: Path) -> None:
    """Import built packages into an Anki collection while Anki is closed, with the same rules
    as Anki's own import (update if newer; review history kept). Needs the optional anki
    package: pip install 'quote2anki[anki]'.

    \b
    Example:
        quote2anki build && quote2anki import --collection ~/Anki2/"User 1"/collection.anki2
    """
    from .importer import ImportRefused, default_collection, import_packages

    chosen = list(packages) or sorted(decks.glob("*.apkg"))
    if not chosen:
        raise click.UsageError(f"no packages in {decks}/; run quote2anki build first")
    target = collection or default_collection()
    try:
        results = import_packages(chosen, target)
    except ImportRefused as error:
        raise click.ClickException(str(error)) from error
    for result in results:
        click.echo(f"imported {result.package} into {target}: {result.new} new, "
                   f"{result.updated} updated, {result.unchanged} unchanged")


def sorted_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Problems in reading order: by file, then line (a file's own problems first)."""
    return sorted(problems, key=lambda p: (p.path, p.line or 0))


_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def note_json(note: Note) -> dict[str, object]:
    return {
        "kind": note.kind,
        "book": note.book,
        "deck": note.deck,
        "term": note.term,
        "text": note.text,
        "extra": note.extra,
        "tags": list(note.tags),
        "guid": note.guid,
        "source": note.location,
    }


def _listing(collected: Collected) -> None:
    book = None
    for note in collected.notes:
        if note.book != book:
            book = note.book
            click.secho(f"\n{book}", bold=True)
        label = "definition" if note.kind == "definition" else "quote"
        click.secho(f"  {label} · {note.location}", fg="cyan" if label == "quote" else "magenta")
        click.echo(f"    {note.listing}")


MAX_BOOKS_SHOWN = 10


def _summary(built: Built) -> None:
    summary = built.summary
    books, quotes, definitions, cards = (summary.books, summary.quotes, summary.definitions,
                                         summary.cards)
    for path in built.packages:
        verb = "wrote" if path in built.written else "unchanged"
        click.echo(f"{verb} {path}")
    if not built.packages:
        click.echo("nothing to write: no quotes or definitions found")
    click.echo(f"{_plural(books, 'book')}, {_plural(quotes, 'quote note')}, "
               f"{_plural(definitions, 'definition note')}, {_plural(cards, 'card')}")
    status = built.status
    click.echo(f"since the last build: {_changes(status)}")
    changed_books = [(book, counts) for book, counts in sorted(built.status_by_book().items())
                     if counts["new"] + counts["changed"] + counts["removed"]]
    if changed_books and len(built.status_by_book()) > 1:
        for book, counts in changed_books[:MAX_BOOKS_SHOWN]:
            click.echo(f"  {book}: {_changes(counts, skip_unchanged=True)}")
        if len(changed_books) > MAX_BOOKS_SHOWN:
            click.echo(f"  ... and {len(changed_books) - MAX_BOOKS_SHOWN} more books")
    if status["removed"]:
        click.echo(f"{_plural(status['removed'], 'note')} whose quotes are gone stay in the "
                   "package, tagged quote2anki::removed. In Anki, search "
                   "tag:quote2anki::removed to review and delete them, then run "
                   "quote2anki build --forget-removed.")
    _problems(built.problems)


def _changes(counts: Counter[str], skip_unchanged: bool = False) -> str:
    keys = ("new", "changed", "removed") if skip_unchanged else (
        "new", "changed", "unchanged", "removed")
    parts = [f"{counts[key]} {key}" for key in keys
             if counts[key] or (key in ("new", "changed", "unchanged") and not skip_unchanged)]
    return ", ".join(parts)


_RANK = {"error": 0, "warning": 1, "info": 2}


def _problems(problems: Sequence[Problem]) -> None:
    """Every problem, errors first, cut after :data:`MAX_PROBLEMS_SHOWN` lines."""
    if not problems:
        return
    click.echo(f"{_counts(problems)}:", err=True)
    ordered = sorted(problems, key=lambda p: (_RANK[p.level], p.path, p.line or 0))
    for problem in ordered[:MAX_PROBLEMS_SHOWN]:
        click.secho(f"  {problem}", fg=_COLOURS[problem.level], err=True)
    if len(ordered) > MAX_PROBLEMS_SHOWN:
        click.echo(f"  ... and {len(ordered) - MAX_PROBLEMS_SHOWN} more; "
                   "quote2anki check lists them all", err=True)


def _counts(problems: Sequence[Problem]) -> str:
    counts = Counter(problem.level for problem in problems)
    text = f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}"
    return text + (f", {counts['info']} info" if counts["info"] else "")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
