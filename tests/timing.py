"""Timing in tests only as ratios within one run: how the time grows with the input."""

from __future__ import annotations

import time
from collections.abc import Callable


def timed(run: Callable[[], object]) -> float:
    """The best of three runs, in seconds: a busy machine slows runs down, never speeds them up."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


GROWTH = 10.0
"""Four times the input may cost at most this many times the time: linear work costs about 4
(plus noise), quadratic work 16. A ratio within one run holds on a slow or busy machine, where
seconds per MB would not; 10 rather than 8, because a loaded two-core machine measured a
linear step at 8.0003 once, while quadratic work still lands far above."""


def growth(run: Callable[[str], object], text: str) -> float:
    """How much longer ``run`` takes on ``text`` than on its first quarter (fixed start-up costs
    count as a twentieth of a second, so tiny times do not make a ratio of noise)."""
    quarter = text[: len(text) // 4]
    return timed(lambda: run(text)) / max(timed(lambda: run(quarter)), 0.05)
