"""The command group and what its commands share: one ``Error:`` line for every library error,
the options that decide what is read, and the paths to read."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

import click

from .. import DEFAULT_DECK_PREFIX, BuildOptions, InputError, Quote2AnkiError, __version__


class Group(click.Group):
    """Turns every library error into one ``Error:`` line with its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Quote2AnkiError as error:
            failure = UsageFailure if error.exit_code == 2 else click.ClickException
            raise failure(str(error)) from error
        except BrokenPipeError:  # the reader went away (``quote2anki state --json | head``)
            with suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except OSError as error:  # a full disk, a file grown past a limit, a folder gone
            where = f" ({error.filename})" if error.filename else ""
            raise click.ClickException(f"{error.strerror or error}{where}; free some space or "
                                       "check the folder, then run the command again"
                                       ) from error


class UsageFailure(click.ClickException):
    """A usage error told in one line (exit 2), without click's usage text."""

    exit_code = 2


PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")
def reading(command: Callable[..., Any]) -> Callable[..., Any]:
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
OUT = click.option("--out", "out", type=click.Path(path_type=Path), default=Path("decks"),
                    show_default=True,
                    help="Output folder: the packages and the record of the last build.")
JOBS = click.option("--jobs", type=click.IntRange(min=1), envvar="QUOTE2ANKI_JOBS",
                     default=None, show_envvar=True,
                     help="Worker processes for reading notes (default: one per core when "
                          "there is much to read).")


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quote2anki")
def main() -> None:
    """Turn the quotes and definitions in Markdown book notes into Anki cloze decks.

    \b
    Example:
        quote2anki build            # notes/ -> decks/quote2anki.apkg
    """


def inputs(paths: Sequence[Path]) -> list[Path]:
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
