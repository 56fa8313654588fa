"""The commands that read notes: ``build``, ``cards``, ``preview`` and ``check``."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from ..api import BuildOptions, Vault, listing, sorted_problems
from .app import JOBS, OUT, PATHS, inputs, main, reading
from .report import (
    COLOURS,
    ProgressBar,
    changes,
    error_count,
    level_counts,
    plural,
    show_problems,
    show_summary,
)


@main.command("build")
@PATHS
@OUT
@reading
@click.option("--split", is_flag=True, help="One package per book instead of one for all.")
@click.option("--forget-removed", is_flag=True,
              help="Stop exporting notes whose quotes were removed (after deleting them in Anki).")
@click.option("--accept-removals", is_flag=True,
              help="Tag removed the notes of a file that lost most of them at once (by default "
                   "such a file is taken for damaged and its notes are kept).")
@JOBS
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
    progress = ProgressBar("reading notes")
    try:
        built = Vault(inputs(paths), options).build(out, progress)
    finally:
        progress.close()
    show_summary(built)
    if built.errors:
        sys.exit(1)


@main.command("cards")
@PATHS
@reading
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per note per line, for scripts.")
def cards_command(paths: tuple[Path, ...], options: BuildOptions, as_json: bool) -> None:
    """List every note a build would write, without writing anything.

    \b
    Example:
        quote2anki cards notes/Dune.md
        quote2anki cards --json | jq 'select(.kind == "definition") | .term'
    """
    vault = Vault(inputs(paths), options)
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
    show_problems(vault.problems)
    if error_count(vault.problems):
        sys.exit(1)


@main.command("preview")
@PATHS
@OUT
@click.option("--page", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The HTML page to write.  [default: OUT/preview.html]")
@click.option("--mathjax", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None,
              help="A MathJax script to typeset formulas with, e.g. Anki's own "
                   "_aqt/data/web/js/vendor/mathjax/tex-chtml-full.js (pip install --no-deps aqt).")
@reading
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
        shown = Vault(inputs(paths), options).preview(out, page, mathjax)
    except OSError as error:
        raise click.ClickException(f"cannot write the preview page: {error.strerror or error}"
                                   ) from error
    click.echo(f"wrote {shown.path}: {plural(len(shown.notes), 'note')}, "
               f"{plural(shown.cards, 'card')} ({changes(Counter(shown.statuses))})")
    show_problems(shown.problems)
    if error_count(shown.problems):
        sys.exit(1)


@main.command("check")
@PATHS
@reading
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
    vault = Vault(inputs(paths), options)
    for problem in sorted_problems(vault.problems):
        click.secho(str(problem), fg=COLOURS[problem.level])
    click.echo(f"{plural(len(vault.books()), 'note')} read: {level_counts(vault.problems)}",
               err=True)
    if error_count(vault.problems):
        sys.exit(1)
