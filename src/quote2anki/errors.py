"""The errors that stop a whole command, each with a message that says what to do.

A bad *note* never raises: it becomes a :class:`~quote2anki.model.Problem` and the rest is still
built. These are for what stops everything (an output folder that cannot be written, a
collection Anki has open); the command line turns each into one ``Error:`` line, in one place.
"""

from __future__ import annotations


class Quote2AnkiError(Exception):
    """Base class: the message is one line, fit to show a user as it is."""

    exit_code = 1


class InputError(Quote2AnkiError):
    """A path to read that is not there: a usage error."""

    exit_code = 2


class BuildError(Quote2AnkiError):
    """The build cannot go on: the output folder is a file, unwritable, or the disk is full."""


class PackageError(Quote2AnkiError):
    """A file that is not a whole package quote2anki wrote: damaged, cut short, or another
    program's."""


class ImportRefused(Quote2AnkiError):
    """An import cannot run: no ``anki`` package, no collection, Anki has it open, or the
    package is damaged."""
