"""How long matching edited quotes to their previous versions takes, at 250 to 4,000 edits.

    python benchmarks/identity.py [--sizes 250,1000,4000]

Each size is one book whose every quote was edited (one word changed) since the last build:
the worst case for identity, since no quote keeps its GUID and every one must be matched by
similarity. Prints one ``key=value`` line per size (target: 1,000 edited quotes under 1 s).
"""

from __future__ import annotations

import argparse
import random
import time

import quote2anki


def vault(size: int, seed: int = 7) -> tuple[str, str]:
    """One book's note twice: as last built, and with one word of every quote changed."""
    from wordfreq import top_n_list

    rng = random.Random(seed)
    # English words drawn by Zipf's law, as prose uses them: "the" often, "lineage" rarely
    words = top_n_list("en", 50_000)
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    quotes = [" ".join(rng.choices(words, weights, k=rng.randint(12, 40))) for _ in range(size)]
    edited = []
    for quote in quotes:
        parts = quote.split()
        parts[rng.randrange(len(parts))] = "changed"
        edited.append(" ".join(parts))

    def note(body: list[str]) -> str:
        return "# One Big Book\n## Quotes\n" + "".join(f"- {q}.\n" for q in body)

    return note(quotes), note(edited)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="250,1000,4000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    import tempfile
    from pathlib import Path

    for size in sizes:
        before, after = vault(size)
        with tempfile.TemporaryDirectory() as scratch:
            notes, out = Path(scratch) / "notes", Path(scratch) / "decks"
            notes.mkdir()
            (notes / "book.md").write_text(before, encoding="utf-8")
            quote2anki.Vault([notes]).build(out)
            (notes / "book.md").write_text(after, encoding="utf-8")
            vault_after = quote2anki.Vault([notes])
            vault_after.notes()  # read and carded: not what is timed
            start = time.perf_counter()
            comparison = vault_after.compare(out)
            seconds = time.perf_counter() - start
            kept = sum(1 for status in comparison.statuses if status == "changed")
            print(f"edited_quotes={size} identity_s={seconds:.3f} matched={kept}", flush=True)


if __name__ == "__main__":
    main()
