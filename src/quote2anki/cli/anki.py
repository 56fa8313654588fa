"""The commands that meet Anki: ``import`` into a collection, and ``state``, which rebuilds the
record of the last build from a collection or a package."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..api import BuildOptions, Vault, default_collection, import_packages, write_record_json
from .app import OUT, PATHS, inputs, main, reading
from .report import MAX_PROBLEMS_SHOWN, plural, show_problems


@main.command("import")
@click.argument("packages", nargs=-1, type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path), metavar="[PACKAGE]...")
@click.option("--collection", type=click.Path(dir_okay=False, path_type=Path),
              help="Anki collection (collection.anki2); default: the first Anki profile's.")
@OUT
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
            click.echo(f"  {plural(result.tagged_removed, 'note')} tagged quote2anki::removed "
                       "(search tag:quote2anki::removed in Anki's browser)")
        if result.moved:
            click.echo(f"  {plural(result.moved, 'card')} moved to their book's deck")
        if result.stayed:
            click.echo(f"  {plural(result.stayed, 'card')} left in decks you moved them to")
        if result.emptied:
            click.echo(f"  {plural(result.emptied, 'empty card')} deleted (their gaps are "
                       "gone)")
        if result.kept_edits:
            click.echo(f"  {plural(result.kept_edits, 'note')} keep edits you made in Anki "
                       "(newer than the same fields in your notes)")
        if result.decks_removed:
            click.echo(f"  removed empty decks: {', '.join(result.decks_removed)}")
        if result.conflicts:
            click.secho(f"  {plural(len(result.conflicts), 'conflict')}:", fg="yellow",
                        err=True)
            for line in result.conflicts[:MAX_PROBLEMS_SHOWN]:
                click.secho(f"    {line}", fg="yellow", err=True)
            if len(result.conflicts) > MAX_PROBLEMS_SHOWN:
                click.echo(f"    ... and {len(result.conflicts) - MAX_PROBLEMS_SHOWN} more",
                           err=True)


@main.command("state")
@PATHS
@OUT
@reading
@click.option("--from-collection", "from_collection", is_flag=True,
              help="Rebuild the record from the notes quote2anki put into an Anki collection.")
@click.option("--from-package", "from_package", type=click.Path(exists=True, dir_okay=False,
                                                                 path_type=Path),
              help="Rebuild the record from a package an earlier build wrote.")
@click.option("--collection", type=click.Path(dir_okay=False, path_type=Path),
              help="Anki collection (collection.anki2); default: the first Anki profile's.")
@click.option("--force", is_flag=True, help="Replace a record that is already there.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the record of the last build in OUT as JSON (one note per line) and "
                   "change nothing.")
def state_command(paths: tuple[Path, ...], out: Path, options: BuildOptions,
                  from_collection: bool, from_package: Path | None, collection: Path | None,
                  force: bool, as_json: bool) -> None:
    """Rebuild the record of the last build in OUT (a new --out, a second machine, a deleted
    record), so the next build knows which notes Anki already has: edited quotes keep their
    notes instead of arriving as new ones, and your edits made in Anki are not overwritten.

    \b
    Example:
        quote2anki state --from-collection notes/ --out decks/ && quote2anki build notes/
        quote2anki state --json --out decks/ > record.json
    """
    if as_json:
        if from_collection or from_package is not None:
            raise click.UsageError("--json prints the record: pass it alone")
        write_record_json(out, sys.stdout)
        return
    if from_collection == (from_package is not None):
        raise click.UsageError("pass --from-collection or --from-package PACKAGE")
    vault = Vault(inputs(paths), options)
    if from_collection:
        source = collection or default_collection()
        count = vault.rebuild_record(out, collection=source, force=force)
    else:
        assert from_package is not None
        source = from_package
        count = vault.rebuild_record(out, package=from_package, force=force)
    click.echo(f"rebuilt the record in {out} from {source}: {plural(count, 'note')}")
    show_problems(vault.problems)
