"""What the commands print: a build's summary, problems grouped for reading, and a progress
bar that shows only on a terminal."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

import click

from .. import Problem
from ..api import BuildResult, for_screen

MAX_PROBLEMS_SHOWN = 15
MAX_BOOKS_SHOWN = 10


class ProgressBar:
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


COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def show_summary(built: BuildResult) -> None:
    summary = built.summary
    for path in built.packages:
        verb = "wrote" if path in built.written else "unchanged"
        click.echo(f"{verb} {path}")
    if not built.packages:
        click.echo("nothing to write: no quotes or definitions found")
    flashcards = f", {plural(summary.flashcards, 'flashcard')}" if summary.flashcards else ""
    click.echo(f"{plural(summary.books, 'book')}, {plural(summary.quotes, 'quote note')}, "
               f"{plural(summary.definitions, 'definition note')}{flashcards}, "
               f"{plural(summary.cards, 'card')}")
    if summary.skipped:
        click.echo(f"{plural(summary.skipped, 'note')} skipped as not book notes (no "
                   "highlights section, export shape, books tag or folder; --tag or "
                   "--all-notes reads them)")
    if summary.repairs:
        click.echo(f"{plural(summary.repairs, 'word')} a PDF copy had broken put back "
                   "(fnding: finding)")
    status = Counter(summary.status)
    click.echo(f"since the last build: {changes(status)}")
    by_book = {book: Counter(counts) for book, counts in sorted(summary.by_book.items())}
    changed_books = [(book, counts) for book, counts in by_book.items()
                     if counts["new"] + counts["changed"] + counts["removed"]]
    if changed_books and len(by_book) > 1:
        for book, counts in changed_books[:MAX_BOOKS_SHOWN]:
            click.echo(f"  {book}: {changes(counts, skip_unchanged=True)}")
        if len(changed_books) > MAX_BOOKS_SHOWN:
            click.echo(f"  ... and {len(changed_books) - MAX_BOOKS_SHOWN} more books")
    if status["kept"]:
        click.echo(f"{plural(status['kept'], 'note')} of files not read this time (outside "
                   "the paths given, or unreadable) kept as they were")
    if status["removed"]:
        click.echo(f"{plural(status['removed'], 'note')} whose quotes are gone stay in the "
                   "package, tagged quote2anki::removed. In Anki, search "
                   "tag:quote2anki::removed to review and delete them, then run "
                   "quote2anki build --forget-removed.")
    show_problems(built.problems)


def changes(counts: Mapping[str, int], skip_unchanged: bool = False) -> str:
    keys = ("new", "changed", "removed") if skip_unchanged else (
        "new", "changed", "unchanged", "removed", "kept")
    parts = [f"{counts.get(key, 0)} {key}" for key in keys
             if counts.get(key, 0) or (key in ("new", "changed", "unchanged")
                                       and not skip_unchanged)]
    return ", ".join(parts)


def show_problems(problems: Sequence[Problem]) -> None:
    """The problems worth reading first: repeats grouped, what lost text before the rest, cut
    after :data:`MAX_PROBLEMS_SHOWN` lines (``quote2anki check`` lists every one)."""
    if not problems:
        return
    click.echo(f"{level_counts(problems)}:", err=True)
    shown, hidden = for_screen(problems, MAX_PROBLEMS_SHOWN)
    for problem in shown:
        click.secho(f"  {problem}", fg=COLOURS[problem.level], err=True)
    if hidden:
        click.echo(f"  ... and {hidden} more; quote2anki check lists them all", err=True)


def error_count(problems: Sequence[Problem]) -> int:
    return sum(1 for problem in problems if problem.level == "error")


def level_counts(problems: Sequence[Problem]) -> str:
    counts = Counter(problem.level for problem in problems)
    text = f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}"
    return text + (f", {counts['info']} info" if counts["info"] else "")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
