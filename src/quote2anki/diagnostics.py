"""Problems as people read them: repeats grouped, what lost text first.

A vault with two versions of one note says "same quote as ... kept once" a hundred times, and
the three lines that say a highlight was skipped drown in them. :func:`group_problems` makes one
line of each run of problems that differ only in their line numbers (one line per pair of files
for the duplicates, with a count); :func:`by_importance` puts first what the user loses text
over; :func:`for_screen` does both and cuts the list to what a terminal shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Level, Problem

_QUOTED = re.compile(r"'[^'\n]{0,300}'|\"[^\"\n]{0,300}\"|“[^”\n]{0,300}”")
_LOCATION = re.compile(r"(?P<path>[^\s'\"]{1,500}?):(?P<line>\d{1,9})(?=[;,)\s]|$)")

_LOSES_TEXT = re.compile(
    r"skipped|left out|left off|too short|too long|cannot|not used|ignored|dropped|lost|cut",
    re.I)


def shape(message: str) -> str:
    """What a message says without the details that vary from one occurrence to the next:
    quoted text and the line numbers after a path.

    >>> shape("highlight 'Vertical Ordering' is too short for a useful card; skipped")
    "highlight '…' is too short for a useful card; skipped"
    >>> shape("same quote as notes/Dune (2).md:120; kept once")
    'same quote as notes/Dune (2).md; kept once'
    """
    text = _QUOTED.sub("'…'", message)
    return _LOCATION.sub(lambda m: m["path"], text)


def group_problems(problems: Sequence[Problem], *, lines_shown: int = 3) -> list[Problem]:
    """One problem per run of problems of one file that say the same thing, with a count.

    The first of a run stands for it (its line, its level), and its message says how many
    there were and where: ``same quote as b.md; kept once (84 times: lines 12, 15, 19 and 81
    more)``. Problems that occur once are kept as they are; the order is the order of first
    occurrence.

    >>> group = group_problems([Problem("b.md", 12, "warning", "same quote as a.md:3; kept once"),
    ...                         Problem("b.md", 15, "warning", "same quote as a.md:9; kept once"),
    ...                         Problem("b.md", 19, "warning", "same quote as a.md:4; kept once"),
    ...                         Problem("b.md", 30, "warning", "same quote as c.md:1; kept once")])
    >>> [str(p) for p in group]  # doctest: +NORMALIZE_WHITESPACE
    ['b.md:12: warning: same quote as a.md; kept once (3 times: lines 12, 15, 19)',
     'b.md:30: warning: same quote as c.md:1; kept once']
    """
    runs: dict[tuple[str, Level, str], list[Problem]] = {}
    for problem in problems:
        runs.setdefault((problem.path, problem.level, shape(problem.message)), []).append(problem)
    out: list[Problem] = []
    for (path, level, said), run in runs.items():
        if len(run) == 1:
            out.append(run[0])
            continue
        lines = sorted({p.line for p in run if p.line})
        where = ", ".join(str(line) for line in lines[:lines_shown])
        if len(lines) > lines_shown:
            where += f" and {len(lines) - lines_shown} more"
        if len({problem.message for problem in run}) == 1:
            message, count = run[0].message, f"{len(run)} times"
        elif "'…'" not in said:
            message, count = said, f"{len(run)} times"  # only the lines elsewhere differ
        else:
            message, count = run[0].message, f"and {len(run) - 1} more like it"
        out.append(Problem(path, run[0].line, level,
                           f"{message} ({count}" + (f": lines {where})" if where else ")")))
    return out


def importance(problem: Problem) -> int:
    """How much a problem matters to someone reading a summary: 0 first.

    Errors first, then warnings that say text was lost (a highlight skipped, a note left off the
    card), then other warnings, then information.

    >>> [importance(Problem("a.md", 1, level, message)) for level, message in [
    ...     ("info", "also titled 'Dune'"), ("warning", "highlight 'x' is too short; skipped"),
    ...     ("error", "binary file"), ("warning", "same quote as b.md:3; kept once")]]
    [3, 1, 0, 2]
    """
    if problem.level == "error":
        return 0
    if problem.level == "warning":
        return 1 if _LOSES_TEXT.search(problem.message) and "kept once" not in problem.message \
            else 2
    return 3


def by_importance(problems: Sequence[Problem]) -> list[Problem]:
    """``problems`` with the ones that lose text first, otherwise in their order."""
    return sorted(problems, key=importance)


def for_screen(problems: Sequence[Problem], limit: int = 15) -> tuple[list[Problem], int]:
    """The problems a summary shows (grouped, most important first, at most ``limit``) and how
    many grouped lines it leaves out (``quote2anki check`` shows them all).

    >>> dunes = [Problem("a.md", n, "info", f"also titled 'Dune {n}'") for n in range(1, 21)]
    >>> shown, hidden = for_screen(dunes + [Problem("b.md", 2, "error", "binary")], limit=1)
    >>> [str(p) for p in shown], hidden
    (['b.md:2: error: binary'], 1)
    >>> str(for_screen(shown + dunes)[0][1])
    "a.md:1: info: also titled 'Dune 1' (and 19 more like it: lines 1, 2, 3 and 17 more)"
    """
    grouped = by_importance(group_problems(problems))
    return grouped[:limit], max(0, len(grouped) - limit)
