"""Finding definitions: glossary lines, and terms defined in the running text of a quote.

Two stages. Patterns propose candidates (one module per family: :mod:`.copula` for ``X is a N
that ...``, :mod:`.naming` for ``... is called X``, :mod:`.apposition` for ``X—the N that ...``,
:mod:`.runin` for run-in glossary heads); :mod:`.scorer` then keeps those whose features say
definition rather than look-alike. Glossary lines are :mod:`.glossary`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from . import apposition, cjk, copula, loose, naming, reverse, runin, subject  # noqa: F401
from .base import NEEDS, RULES, Context, Found
from .glossary import glossary_line, is_cross_reference, parse_glossary_line
from .scorer import OWN_WORDS_MARGIN, keep
from .sentences import clauses, sentences

# Candidates merge in text order and, within a clause, in this order of families: the strict
# patterns first, so that their reading of a sentence wins over the looser ones'.
_FAMILIES = ("runin", "copula", "naming", "apposition", "cjk", "loose", "subject", "reverse")
RULES.sort(key=lambda rule: _FAMILIES.index(rule.__module__.rsplit(".", 1)[-1])
           if rule.__module__.rsplit(".", 1)[-1] in _FAMILIES else 1)

__all__ = ["Found", "candidates", "find_definitions", "glossary_line", "in_own_words",
           "is_cross_reference", "parse_glossary_line", "sentences"]


def candidates(text: str) -> Iterator[Found]:
    """Every definition the patterns propose in ``text``, before the scorer's decision; each
    names its rule and the clause it stands in.

    >>> [(f.term, f.rule) for f in candidates("Data leakage refers to the label leaking.")]
    [('Data leakage', 'refers_to'), ('Data leakage', 'subject_copula')]
    """
    spans = clauses(text)
    for index, (start, end) in enumerate(spans):
        previous = text[slice(*spans[index - 1])] if index else ""
        following = text[slice(*spans[index + 1])] if index + 1 < len(spans) else ""
        context = Context(text[start:end].rstrip(";"), start, previous, following, text, index)
        lowered = context.text.lower()
        present = frozenset(word for word in _needed_words() if word in lowered)
        for rule in RULES:
            needs = NEEDS.get(rule)
            if needs is not None and present.isdisjoint(needs):
                continue
            for item in rule(context):
                if item.definition:
                    yield replace(item, rule=rule.__name__.strip("_"), clause=(start, end))


_NEEDED: list[tuple[int, tuple[str, ...]]] = []


def _needed_words() -> tuple[str, ...]:
    """Every word some rule needs, each once: a clause is searched for each word once, not
    once per rule that needs it (many rules share "is", "called", "known")."""
    if not _NEEDED or _NEEDED[0][0] != len(NEEDS):
        words = tuple(dict.fromkeys(word for needs in NEEDS.values() for word in needs))
        _NEEDED[:] = [(len(NEEDS), words)]
    return _NEEDED[0][1]


def find_definitions(text: str) -> tuple[Found, ...]:
    """Definitions stated in ``text``, one per term, with the term's span in ``text``.

    Forms found twice for one term (``stateful training—the model continues ...`` and
    ``Stateful training is also known as fine-tuning``) merge: one definition, all names.

    >>> [(f.term, f.definition) for f in find_definitions(
    ...     "Both are examples. Data leakage refers to the label leaking into the features.")]
    [('Data leakage', 'the label leaking into the features.')]
    >>> [(f.term, f.definition) for f in find_definitions(
    ...     "Scale features to similar ranges. This process is called feature scaling.")]
    [('feature scaling', 'Scale features to similar ranges.')]
    >>> find_definitions("This refers to the first decomposition.")
    ()
    """
    found: dict[str, Found] = {}
    for item in keep(text, list(candidates(text))):
        _merge(found, item)
    return tuple(sorted(found.values(), key=lambda item: item.start))


def in_own_words(text: str) -> tuple[Found, ...]:
    """Definitions the reader states in a line of their own notes (a bullet of a summary, a
    line of a concept list) rather than in a highlight: the same stages as
    :func:`find_definitions`, with a stricter threshold, since the reader's own lines are
    mostly opinions and plans, and the scorer learned from highlights.

    >>> [f.term for f in in_own_words("A habit loop is a cycle of cue, craving and reward.")]
    ['habit loop']
    >>> in_own_words("My plan is a walk every morning before work.")
    ()
    """
    found: dict[str, Found] = {}
    for item in keep(text, list(candidates(text)), margin=OWN_WORDS_MARGIN):
        _merge(found, item)
    return tuple(sorted(found.values(), key=lambda item: item.start))


_GENERIC_HEAD = re.compile(r"\s(?:model|approach|paradigm|framework|method|technique|setting)s?$",
                           re.I)


def _names(item: Found) -> set[str]:
    """Every way to name ``item``: "the pubsub model" is the pubsub already defined."""
    names = {name.casefold() for name in (item.term, *item.aliases)}
    return names | {_GENERIC_HEAD.sub("", name) for name in names}


def _merge(found: dict[str, Found], item: Found) -> None:
    """Add ``item``; a term already known (by any of its names) gains the new names."""
    keys = _names(item)
    for key, other in found.items():
        if keys & _names(other):
            names = tuple(dict.fromkeys(
                n for n in (*other.aliases, item.term, *item.aliases)
                if n.casefold() != other.term.casefold()))
            found[key] = replace(other, aliases=names)
            return
    found[item.term.casefold()] = item
