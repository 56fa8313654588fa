"""The ``quote2anki`` command line: a thin click layer over the library in :mod:`quote2anki.api`.

Exit codes: 0 success; 1 when some note could not be used (the rest is still written and
every problem is named) or the command itself failed; 2 for usage errors such as a missing
path. Every error is one line: the library's errors (:class:`~quote2anki.errors.Quote2AnkiError`)
become ``Error: ...`` here, in one place, and a user error never shows a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import click

from . import __version__
from .api import BuildOptions, BuildResult, Vault, sorted_problems
from .decks import DEFAULT_DECK_PREFIX
from .diagnostics import for_screen
from .errors import InputError, Quote2AnkiError
from .fields import listing
from .model import Problem

MAX_PROBLEMS_SHOWN = 15
MAX_BOOKS_SHOWN = 10


class _Group(click.Group):
    """Turns every library error into one ``Error:`` line with its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Quote2AnkiError as error:
            failure = _UsageFailure if error.exit_code == 2 else click.ClickException
            raise failure(str(error)) from error
        except OSError as error:  # a full disk, a file grown past a limit, a folder gone
            where = f" ({error.filename})" if error.filename else ""
            raise click.ClickException(f"{error.strerror or error}{where}; free some space or "
                                       "check the folder, then run the command again"
                                       ) from error


class _UsageFailure(click.ClickException):
    """A usage error told in one line (exit 2), without click's usage text."""

    exit_code = 2


_PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")
def _reading(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that decide what is read and where it goes, shared by every command that
    reads notes; they arrive as one ``options`` argument (a BuildOptions)."""

    @click.option("--deck-prefix", default=DEFAULT_DECK_PREFIX, show_default=True,
                  help="Parent deck for the books: each book becomes '<prefix>::<Title>'.")
    @click.option("--category-deck", "category_decks", multiple=True, metavar="CATEGORY=DECK",
                  help="Parent deck for an export's other categories (default "
                       "articles=Articles, podcasts=Podcasts, tweets=Tweets); repeatable.")
    @click.option("--tag", "tags", multiple=True, metavar="TAG",
                  help="Notes with this tag are book notes, whatever else they hold; "
                       "repeatable.")
    @click.option("--include", multiple=True, metavar="GLOB",
                  help="Only notes whose path (below the folder given) matches, e.g. "
                       "'Books/**'; repeatable.")
    @click.option("--exclude", multiple=True, metavar="GLOB",
                  help="Skip notes whose path matches, e.g. 'Daily/**'; repeatable.")
    @click.option("--all-notes", is_flag=True,
                  help="Read every note as a book note, not only those that look like one.")
    @click.option("--no-obsidian-links", "no_links", is_flag=True,
                  help="Do not link cards back to their notes in Obsidian.")
    @functools.wraps(command)
    def wrapper(*args: Any, deck_prefix: str, category_decks: tuple[str, ...],
                tags: tuple[str, ...], include: tuple[str, ...], exclude: tuple[str, ...],
                all_notes: bool, no_links: bool, **kwargs: Any) -> Any:
        categories = dict(BuildOptions().category_decks)
        for pair in category_decks:
            category, sep, deck = pair.partition("=")
            if not sep or not category.strip() or not deck.strip():
                raise click.BadParameter(f"{pair!r}: write CATEGORY=DECK, e.g. articles=Articles",
                                         param_hint="--category-deck")
            categories[category.strip().casefold()] = deck.strip()
        options = BuildOptions(deck_prefix=deck_prefix, tags=tags, include=include,
                               exclude=exclude, all_notes=all_notes,
                               category_decks=tuple(sorted(categories.items())),
                               obsidian_links=not no_links)
        return command(*args, options=options, **kwargs)

    return wrapper
_OUT = click.option("--out", "out", type=click.Path(path_type=Path), default=Path("decks"),
                    show_default=True,
                    help="Output folder: the packages and the record of the last build.")
_JOBS = click.option("--jobs", type=click.IntRange(min=1), envvar="QUOTE2ANKI_JOBS",
                     default=None, show_envvar=True,
                     help="Worker processes for reading notes (default: one per core when "
                          "there is much to read).")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quote2anki")
def main() -> None:
    """Turn the quotes and definitions in Markdown book notes into Anki cloze decks.

    \b
    Example:
        quote2anki build            # notes/ -> decks/quote2anki.apkg
    """


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
@_OUT
@_reading
@click.option("--split", is_flag=True, help="One package per book instead of one for all.")
@click.option("--forget-removed", is_flag=True,
              help="Stop exporting notes whose quotes were removed (after deleting them in Anki).")
@click.option("--accept-removals", is_flag=True,
              help="Tag removed the notes of a file that lost most of them at once (by default "
                   "such a file is taken for damaged and its notes are kept).")
@_JOBS
def build_command(paths: tuple[Path, ...], out: Path, options: BuildOptions, split: bool,
                  forget_removed: bool, accept_removals: bool, jobs: int | None) -> None:
    """Read notes (files or folders of *.md) and write Anki packages.

    Re-importing a rebuilt package into Anki updates notes in place: review history is kept,
    edits made inside Anki survive unless the quote itself changed, and a quote whose wording
    you fixed keeps its note. Notes whose quotes were removed stay in the package, tagged
    quote2anki::removed, until --forget-removed. Building fewer files than last time, or a
    file that cannot be read, keeps the other notes as they were.

    \b
    Example:
        quote2anki build notes/ --out decks/ --split
    """
    options = options._replace(split=split, forget_removed=forget_removed, jobs=jobs,
                               accept_removals=accept_removals)
    progress = _ProgressBar("reading notes")
    try:
        built = Vault(_inputs(paths), options).build(out, progress)
    finally:
        progress.close()
    _summary(built)
    if built.errors:
        sys.exit(1)


class _ProgressBar:
    """click's progress bar on a terminal, once a build has run for a moment; nothing at all
    when the output is not a terminal (a log, a pipe, a test)."""

    def __init__(self, label: str, stream: TextIO | None = None, terminal: bool | None = None,
                 delay: float = 1.5) -> None:
        self.label = label
        self.started = time.monotonic()
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.delay = delay
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.terminal:
            return
        if self.bar is None:
            if done >= total or time.monotonic() - self.started < self.delay:
                return
            self.bar = click.progressbar(length=total, label=self.label, file=self.stream)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@main.command("cards")
@_PATHS
@_reading
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per note per line, for scripts.")
def cards_command(paths: tuple[Path, ...], options: BuildOptions, as_json: bool) -> None:
    """List every note a build would write, without writing anything.

    \b
    Example:
        quote2anki cards notes/Dune.md
        quote2anki cards --json | jq 'select(.kind == "definition") | .term'
    """
    vault = Vault(_inputs(paths), options)
    if as_json:
        for note in vault.notes():
            click.echo(json.dumps(note.to_dict(), ensure_ascii=False))
    else:
        book = None
        for note in vault.notes():
            if note.book != book:
                book = note.book
                click.secho(f"\n{book}", bold=True)
            colour = "cyan" if note.kind == "quote" else "magenta"
            click.secho(f"  {note.kind} · {note.location}", fg=colour)
            click.echo(f"    {listing(note)}")
    _problems(vault.problems)
    if _errors(vault.problems):
        sys.exit(1)


@main.command("preview")
@_PATHS
@_OUT
@click.option("--page", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The HTML page to write.  [default: OUT/preview.html]")
@click.option("--mathjax", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None,
              help="A MathJax script to typeset formulas with, e.g. Anki's own "
                   "_aqt/data/web/js/vendor/mathjax/tex-chtml-full.js (pip install --no-deps aqt).")
@_reading
def preview_command(paths: tuple[Path, ...], out: Path, page: Path | None,
                    mathjax: Path | None, options: BuildOptions) -> None:
    """Write one HTML page showing every card front and back as Anki would, grouped by book,
    with what is new, changed or removed since the last build into OUT marked. The images the
    cards show are copied beside the page (PAGE-media/). Nothing else is written.

    \b
    Example:
        quote2anki preview notes/ && open decks/preview.html
    """
    try:
        shown = Vault(_inputs(paths), options).preview(out, page, mathjax)
    except OSError as error:
        raise click.ClickException(f"cannot write the preview page: {error.strerror or error}"
                                   ) from error
    click.echo(f"wrote {shown.path}: {_plural(len(shown.notes), 'note')}, "
               f"{_plural(shown.cards, 'card')} ({_changes(Counter(shown.statuses))})")
    _problems(shown.problems)
    if _errors(shown.problems):
        sys.exit(1)


@main.command("check")
@_PATHS
@_reading
def check_command(paths: tuple[Path, ...], options: BuildOptions) -> None:
    """List every problem in the notes, one per line, without building anything.

    Each line reads file:line: level: message. Errors are notes (or parts of notes) that
    cannot be used; warnings were used, perhaps not as you meant; info is worth knowing.
    Exit code 1 if there is any error, so it can guard a script or a commit hook.

    \b
    Example:
        quote2anki check ~/vault/Books
        quote2anki check notes/ | grep error
    """
    vault = Vault(_inputs(paths), options)
    for problem in sorted_problems(vault.problems):
        click.secho(str(problem), fg=_COLOURS[problem.level])
    click.echo(f"{_plural(len(vault.books()), 'note')} read: {_counts(vault.problems)}",
               err=True)
    if _errors(vault.problems):
        sys.exit(1)


@main.command("import")
@click.argument("packages", nargs=-1, type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path), metavar="[PACKAGE]...")
@click.option("--collection", type=click.Path(dir_okay=False, path_type=Path),
              help="Anki collection (collection.anki2); default: the first Anki profile's.")
@_OUT
def import_command(packages: tuple[Path, ...], collection: Path | None, out: Path) -> None:
    """Import built packages into an Anki collection while Anki is closed, keeping everything
    File › Import cannot: each note is merged field by field (your edits made in Anki and
    your tags stay, every change in your notes arrives), removed notes are tagged whatever
    you did to them, cards move to their book's deck, empty cards are deleted, and the
    notetype keeps fields you added. Review history is never touched. Needs the optional
    anki package: pip install 'quote2anki[anki]'.

    \b
    Example:
        quote2anki build && quote2anki import --collection ~/Anki2/"User 1"/collection.anki2
    """
    from .importer import default_collection, import_packages

    chosen = list(packages) or sorted(out.glob("*.apkg"))
    if not chosen:
        raise click.UsageError(f"no packages in {out}/; run quote2anki build first")
    target = collection or default_collection()
    for result in import_packages(chosen, target):
        click.echo(f"imported {result.package} into {target}: {result.new} new, "
                   f"{result.updated} updated, {result.unchanged} unchanged")
        for line in result.notetype:
            click.echo(f"  notetype: {line}")
        if result.tagged_removed:
            click.echo(f"  {_plural(result.tagged_removed, 'note')} tagged quote2anki::removed "
                       "(search tag:quote2anki::removed in Anki's browser)")
        if result.moved:
            click.echo(f"  {_plural(result.moved, 'card')} moved to their book's deck")
        if result.stayed:
            click.echo(f"  {_plural(result.stayed, 'card')} left in decks you moved them to")
        if result.emptied:
            click.echo(f"  {_plural(result.emptied, 'empty card')} deleted (their gaps are "
                       "gone)")
        if result.kept_edits:
            click.echo(f"  {_plural(result.kept_edits, 'note')} keep edits you made in Anki "
                       "(newer than the same fields in your notes)")
        if result.decks_removed:
            click.echo(f"  removed empty decks: {', '.join(result.decks_removed)}")
        if result.conflicts:
            click.secho(f"  {_plural(len(result.conflicts), 'conflict')}:", fg="yellow",
                        err=True)
            for line in result.conflicts[:MAX_PROBLEMS_SHOWN]:
                click.secho(f"    {line}", fg="yellow", err=True)
            if len(result.conflicts) > MAX_PROBLEMS_SHOWN:
                click.echo(f"    ... and {len(result.conflicts) - MAX_PROBLEMS_SHOWN} more",
                           err=True)


@main.command("state")
@_PATHS
@_OUT
@_reading
@click.option("--from-collection", "from_collection", is_flag=True,
              help="Rebuild the record from the notes quote2anki put into an Anki collection.")
@click.option("--from-package", "from_package", type=click.Path(exists=True, dir_okay=False,
                                                                 path_type=Path),
              help="Rebuild the record from a package an earlier build wrote.")
@click.option("--collection", type=click.Path(dir_okay=False, path_type=Path),
              help="Anki collection (collection.anki2); default: the first Anki profile's.")
@click.option("--force", is_flag=True, help="Replace a record that is already there.")
def state_command(paths: tuple[Path, ...], out: Path, options: BuildOptions,
                  from_collection: bool, from_package: Path | None, collection: Path | None,
                  force: bool) -> None:
    """Rebuild the record of the last build in OUT (a new --out, a second machine, a deleted
    record), so the next build knows which notes Anki already has: edited quotes keep their
    notes instead of arriving as new ones, and your edits made in Anki are not overwritten.

    \b
    Example:
        quote2anki state --from-collection notes/ --out decks/ && quote2anki build notes/
    """
    if from_collection == (from_package is not None):
        raise click.UsageError("pass --from-collection or --from-package PACKAGE")
    vault = Vault(_inputs(paths), options)
    if from_collection:
        from .importer import default_collection

        source = collection or default_collection()
        count = vault.rebuild_record(out, collection=source, force=force)
    else:
        assert from_package is not None
        source = from_package
        count = vault.rebuild_record(out, package=from_package, force=force)
    click.echo(f"rebuilt the record in {out} from {source}: {_plural(count, 'note')}")
    _problems(vault.problems)


_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _summary(built: BuildResult) -> None:
    summary = built.summary
    for path in built.packages:
        verb = "wrote" if path in built.written else "unchanged"
        click.echo(f"{verb} {path}")
    if not built.packages:
        click.echo("nothing to write: no quotes or definitions found")
    flashcards = f", {_plural(summary.flashcards, 'flashcard')}" if summary.flashcards else ""
    click.echo(f"{_plural(summary.books, 'book')}, {_plural(summary.quotes, 'quote note')}, "
               f"{_plural(summary.definitions, 'definition note')}{flashcards}, "
               f"{_plural(summary.cards, 'card')}")
    if summary.skipped:
        click.echo(f"{_plural(summary.skipped, 'note')} skipped as not book notes (no "
                   "highlights section, export shape, books tag or folder; --tag or "
                   "--all-notes reads them)")
    if summary.repairs:
        click.echo(f"{_plural(summary.repairs, 'word')} a PDF copy had broken put back "
                   "(fnding: finding)")
    status = Counter(summary.status)
    click.echo(f"since the last build: {_changes(status)}")
    by_book = {book: Counter(counts) for book, counts in sorted(summary.by_book.items())}
    changed_books = [(book, counts) for book, counts in by_book.items()
                     if counts["new"] + counts["changed"] + counts["removed"]]
    if changed_books and len(by_book) > 1:
        for book, counts in changed_books[:MAX_BOOKS_SHOWN]:
            click.echo(f"  {book}: {_changes(counts, skip_unchanged=True)}")
        if len(changed_books) > MAX_BOOKS_SHOWN:
            click.echo(f"  ... and {len(changed_books) - MAX_BOOKS_SHOWN} more books")
    if status["kept"]:
        click.echo(f"{_plural(status['kept'], 'note')} of files not read this time (outside "
                   "the paths given, or unreadable) kept as they were")
    if status["removed"]:
        click.echo(f"{_plural(status['removed'], 'note')} whose quotes are gone stay in the "
                   "package, tagged quote2anki::removed. In Anki, search "
                   "tag:quote2anki::removed to review and delete them, then run "
                   "quote2anki build --forget-removed.")
    _problems(built.problems)


def _changes(counts: Mapping[str, int], skip_unchanged: bool = False) -> str:
    keys = ("new", "changed", "removed") if skip_unchanged else (
        "new", "changed", "unchanged", "removed", "kept")
    parts = [f"{counts.get(key, 0)} {key}" for key in keys
             if counts.get(key, 0) or (key in ("new", "changed", "unchanged")
                                       and not skip_unchanged)]
    return ", ".join(parts)


def _problems(problems: Sequence[Problem]) -> None:
    """The problems worth reading first: repeats grouped, what lost text before the rest, cut
    after :data:`MAX_PROBLEMS_SHOWN` lines (``quote2anki check`` lists every one)."""
    if not problems:
        return
    click.echo(f"{_counts(problems)}:", err=True)
    shown, hidden = for_screen(problems, MAX_PROBLEMS_SHOWN)
    for problem in shown:
        click.secho(f"  {problem}", fg=_COLOURS[problem.level], err=True)
    if hidden:
        click.echo(f"  ... and {hidden} more; quote2anki check lists them all", err=True)


def _errors(problems: Sequence[Problem]) -> int:
    return sum(1 for problem in problems if problem.level == "error")


def _counts(problems: Sequence[Problem]) -> str:
    counts = Counter(problem.level for problem in problems)
    text = f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}"
    return text + (f", {counts['info']} info" if counts["info"] else "")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
