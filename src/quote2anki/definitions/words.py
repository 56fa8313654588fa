"""The English word lists the definition rules lean on: which words are small, and how common
a word is (wordfreq's English list, shipped inside the package: nothing is downloaded).

Kept apart from :mod:`quote2anki.language`, whose ``zipf`` and ``is_stopword`` serve every
language and give other answers at the edges (possessives, a stopword list by rank), so the
definition rules keep the exact lists they were tuned on.
"""

from __future__ import annotations

import math
from functools import cache


@cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict  # loaded on first use: 0.15 s, not at start-up

    return get_frequency_dict("en", wordlist="best")


def zipf(word: str) -> float:
    """How common ``word`` is on the Zipf scale: 7 for "the", 3 for "lineage", 0 if unknown.

    >>> zipf("the") > 7 > zipf("lineage") > zipf("covariate") > 0 == zipf("xqzv")
    True
    """
    key = word.lower().strip("'’").removesuffix("'s").removesuffix("’s")
    frequency = _frequencies().get(key)
    if frequency is None and key.endswith("s"):
        frequency = _frequencies().get(key[:-1])
    return math.log10(frequency) + 9 if frequency else 0.0


STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even ever few
    for from further had has have having he her here hers herself him himself his how however i if
    in into is it its itself just let like made make many may me might more most much must my
    myself never no nor not now of off often on once one only or other ought our ours ourselves
    out over own per quite rather really same say says shall she should so some such than that
    the their theirs them themselves then there these they this those though through thus to too
    under until up upon us usually very via was way we well were what whatever when where whether
    which while who whom whose why will with within without would yet you your yours yourself
    yourselves get gets got getting go goes going gone thing things something anything everything
    nothing lot lots kind sort new old good bad better best big small first last next another
    able based using used use uses want wants need needs know known whereas ones""".split()
)
