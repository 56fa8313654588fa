"""What a build made and how it compares with the previous build: what the command line prints.

A build that finds nothing changed reads nothing, so its summary is the last build's, settled:
every note that was new or changed then is unchanged now. The summary is kept in the manifest
as JSON for that reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .model import Note, Problem


@dataclass(frozen=True)
class Summary:
    """Counts of what a build wrote, per status and per book, and every problem found."""

    books: int
    quotes: int
    definitions: int
    cards: int
    status: dict[str, int]
    by_book: dict[str, dict[str, int]]
    problems: tuple[Problem, ...]
    skipped: int = 0
    """Notes read that are not book notes."""
    repairs: int = 0
    """Words a PDF copy had broken that were put back."""
    flashcards: int = 0
    """Notes of the reader's own questions and answers."""

    @classmethod
    def of(cls, notes: Sequence[Note], exported: Sequence[Note], statuses: Sequence[str],
           problems: Sequence[Problem], skipped: int = 0, repairs: int = 0) -> Summary:
        """``notes`` are this build's own; ``exported`` (with ``statuses``) adds the removed
        notes still carried."""
        quotes = sum(1 for note in notes if note.kind == "quote")
        flashcards = sum(1 for note in notes if note.kind == "flashcard")
        by_book: dict[str, dict[str, int]] = {}
        for note, status in zip(exported, statuses, strict=True):
            counts = by_book.setdefault(note.book, {})
            counts[status] = counts.get(status, 0) + 1
        cards = sum(len(note.cards) for note in notes)
        return cls(len({note.deck for note in notes}), quotes, len(notes) - quotes - flashcards,
                   cards, dict(Counter(statuses)), by_book, tuple(problems), skipped, repairs,
                   flashcards)

    @property
    def errors(self) -> int:
        return sum(1 for problem in self.problems if problem.level == "error")

    def to_json(self) -> dict[str, Any]:
        return {"books": self.books, "quotes": self.quotes, "definitions": self.definitions,
                "cards": self.cards, "status": self.status, "by_book": self.by_book,
                "problems": problems_to_json(self.problems), "skipped": self.skipped,
                "repairs": self.repairs, "flashcards": self.flashcards}

    @classmethod
    def unchanged_since(cls, data: Mapping[str, Any]) -> Summary:
        """The summary of a build that changed nothing, from the last build's: every note
        that was new or changed then is unchanged now; removed notes are still removed."""

        def settle(counts: Mapping[str, int]) -> dict[str, int]:
            carried = ("removed", "kept")  # still removed, still not read
            settled = {"unchanged": sum(n for key, n in counts.items() if key not in carried)}
            for key in carried:
                if counts.get(key):
                    settled[key] = counts[key]
            return settled

        return cls(int(data["books"]), int(data["quotes"]), int(data["definitions"]),
                   int(data["cards"]), settle(data["status"]),
                   {book: settle(counts) for book, counts in data["by_book"].items()},
                   problems_from_json(data["problems"]), int(data.get("skipped", 0)),
                   int(data.get("repairs", 0)), int(data.get("flashcards", 0)))


def problems_to_json(problems: Sequence[Problem]) -> list[list[Any]]:
    return [[p.path, p.line, p.level, p.message] for p in problems]


def problems_from_json(rows: Sequence[Sequence[Any]]) -> tuple[Problem, ...]:
    return tuple(Problem(str(path), line if isinstance(line, int) else None, level, str(message))
                 for path, line, level, message in rows)
