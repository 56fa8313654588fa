"""The second stage: which candidates are definitions.

Each candidate gets a handful of features that tell a definition from its look-alikes (a class
noun after the copula, an indefinite article, the term's shape and rarity, opinion and hedge
words, negation, a pronoun subject, where in the quote it stands, which pattern proposed it).
A logistic regression weighs them; its weights are the small data file ``weights.json``
written by ``eval/definitions/train.py``, and its threshold was chosen for precision first.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from .base import INNER_SMALL, Found, guard_term, is_name
from .loose import CLASS_NOUNS
from .phrases import analysed, tokens_in

_OPINION = frozenset("""best worst great greatest important essential crucial critical good bad
    amazing notorious powerful useful valuable interesting hard easy difficult favorite favourite
    asset lousy huge biggest perfect terrible wonderful excellent incredible fantastic beautiful
    enemy example examples""".split())
_HEDGES = frozenset("may might can could often usually sometimes probably perhaps likely tends "
                    "seldom rarely always never also still".split())
_NEGATION = re.compile(r"\b(?:not|never|no|nothing|n[’']t|neither|nor|cannot)\b", re.I)
_PRONOUN = frozenset("i we you he she they it this that these those there here one".split())
_FIRST_PERSON = re.compile(r"\b(?:I|my|me|we|our|us)\b")
_RELATIVE = re.compile(r"\b(?:that|which|who|whose|where|whereby|wherein|when|in which|by which|"
                       r"of|for|used|to)\b")
_NAMING_CUE = re.compile(r"\b(?:called|known as|termed|refers? to|means|defined|definition|"
                         r"the term|the phrase|the word|dubbed|coined)\b", re.I)
_NAMED_HEADS = frozenset("""bias effect law principle problem fallacy paradox theorem hypothesis
    rule razor error syndrome dilemma trap illusion model theory thinking analysis distribution
    testing test function variable pattern state ratio rate value cost point loop order type
    space form game attack programming code copy dependency dependencies interval level""".split())


_COARSE = {"DT": "DT", "PDT": "DT", "PRP$": "DT", "NN": "NN", "NNS": "NN", "NNP": "NNP",
           "NNPS": "NNP", "JJ": "JJ", "JJR": "JJ", "JJS": "JJS", "VBN": "VBN", "VBD": "VBN",
           "VBG": "VBG", "VB": "VB", "VBZ": "VB", "VBP": "VB", "RB": "RB", "IN": "IN", "TO": "IN",
           "PRP": "PRP", "CD": "CD", "WDT": "W", "WRB": "W", "WP": "W"}
_TERM_OPINION = frozenset("""impressive practical final next critical important main key best
    great new old simple other same first last whole entire real major minor good bad big
    small entire typical common usual general specific particular certain""".split())


def _tags(quote: str, definition: str) -> list[str]:
    """Coarse tags of the first words of ``definition``, tagged where it stands in ``quote``
    (the quote is analysed once for every rule and feature)."""
    start = quote.find(definition[:30]) if definition else -1
    if start >= 0:
        tokens = tokens_in(quote, start, start + len(definition))[:3]
    else:
        tokens = list(analysed(" ".join(definition.split()[:6])).tokens[:3])
    return [_COARSE.get(token.tag, "X") for token in tokens]


_FINITE = frozenset("VBZ VBP VBD MD".split())
_RELATIVE_WORDS = frozenset("that which who whom whose where when whereby wherein".split())


def clause_shape(quote: str, definition: str) -> dict[str, float]:
    """Whether ``definition`` reads as a noun phrase (a gloss: "a set of threads that ...") or
    as a sentence of its own ("the size of the space is cut in half"), and its tense.

    A gloss after a comma, a colon or a run-in head is a definition when it is a noun phrase;
    when its subject has a verb of its own before any relative word, the comma only ended the
    clause before. Definitions are stated in the present tense; an event is told in the past.

    >>> clause_shape("A pool, a set of threads that the runtime keeps.", "a set of threads that"
    ...              " the runtime keeps.")["def_fragment"]
    1.0
    >>> clause_shape("The loop, the space is cut.", "the space is cut.")["def_clause"]
    1.0
    """
    start = quote.find(definition[:30]) if definition else -1
    tokens = tokens_in(quote, start, start + len(definition))[:14] if start >= 0 else []
    if not tokens:
        return {}
    words = [t.text.lower() for t in tokens]
    finite = next((i for i, t in enumerate(tokens) if t.tag in _FINITE), len(tokens))
    relative = next((i for i, w in enumerate(words) if w in _RELATIVE_WORDS), len(tokens))
    opens_np = tokens[0].tag in ("DT", "JJ", "JJS", "NN", "NNS", "NNP", "NNPS", "PDT", "CD",
                                 "PRP$", "VBN")
    out = {
        "def_fragment": float(opens_np and finite >= relative),
        "def_clause": float(opens_np and finite < relative and finite < 10),
        "def_past": float(any(t.tag == "VBD" for t in tokens[:5])),
    }
    if words[0] in ("which", "that", "who") and len(tokens) > 1:
        out["def_which_present"] = float(tokens[1].tag in ("VBZ", "VBP"))
        out["def_which_past"] = float(tokens[1].tag == "VBD")
    return out


def _zipf(word: str) -> float:
    from .words import zipf

    return float(zipf(word))


def features(text: str, item: Found) -> dict[str, float]:
    """The features of one candidate ``item`` found in quote ``text``.

    >>> f = features("Put simply, a ledger is an ordered record of every transfer.",
    ...              Found("ledger", "an ordered record of every transfer.", 14, 20,
    ...                    rule="subject_copula", clause=(0, 61)))
    >>> f["def_indefinite"], f["def_class_noun"], f["rule=subject_copula"]
    (1.0, 1.0, 1.0)
    """
    term, definition = item.term, item.definition
    words = term.split()
    lowered = [w.lower().strip("“”\"‘’'") for w in words]
    content = [w for w in lowered if w and w not in INNER_SMALL and not re.fullmatch(
        r"[ivx]+|[a-z]\d?|\d+", w)]
    zipfs = [_zipf(w) for w in content] or [0.0]
    defs = definition.split()
    dlow = [w.lower().strip(",.;:“”\"‘’'()") for w in defs]
    head = dlow[:5]
    clause = text[item.clause[0]:item.clause[1]] if item.clause != (0, 0) else text
    before = text[max(0, item.start - 2):item.start]
    after = text[item.end:item.end + 2]
    out: dict[str, float] = {
        f"rule={item.rule}": 1.0,
        "bias": 1.0,
        f"term_words={min(len(words), 4)}": 1.0,
        "term_quoted": float(bool(re.search(r"[“\"‘']", before + after))),
        "term_acronym": float(any(w.isupper() and len(w) >= 2 for w in words)),
        "term_hyphen": float("-" in term),
        "term_name": float(is_name(words)),
        "term_guard": float(guard_term(term)),
        "term_min_zipf": min(zipfs) / 7,
        "term_max_zipf": max(zipfs) / 7,
        "term_common_single": float(len(words) == 1 and zipfs[0] >= 4.5),
        "term_rare": float(min(zipfs) < 3.0),
        "term_named_head": float(lowered[-1].rstrip("s") in _NAMED_HEADS
                                 or lowered[-1] in _NAMED_HEADS),
        "term_possessive": float(bool(re.search(r"[’']s\b", term))),
        "term_upper_mid": float(term[:1].isupper() and item.start > item.clause[0] + 2),
        "term_at_start": float(item.start - item.clause[0] <= 14),
        "clause_first": float(item.clause[0] == 0),
        "def_indefinite": float(bool(head) and head[0] in ("a", "an")),
        "def_the": float(bool(head) and head[0] == "the"),
        "def_class_noun": float(any(w in CLASS_NOUNS or w.rstrip("s") in CLASS_NOUNS
                                    for w in head[:4])),
        "def_relative": float(bool(_RELATIVE.search(" ".join(dlow[:7])))),
        "def_opinion": float(any(w in _OPINION for w in dlow[:6]) or "one of" in " ".join(head)),
        "def_hedge": float(any(w in _HEDGES for w in dlow[:6])),
        "def_negation": float(bool(_NEGATION.search(" ".join(dlow[:8])))),
        "def_pronoun": float(bool(head) and head[0] in _PRONOUN),
        "def_first_person": float(bool(_FIRST_PERSON.search(definition))),
        "def_short": float(len(defs) < 5),
        "def_long": float(len(defs) > 40),
        "def_has_term": float(term.lower() in definition.lower()),
        "clause_first_person": float(bool(_FIRST_PERSON.search(clause))),
        "clause_question": float(clause.rstrip().endswith("?")),
        "clause_negation": float(bool(_NEGATION.search(clause))),
        "subject_pronoun": float(clause.split()[0].lower() in _PRONOUN if clause.split()
                                 else 0.0),
        "not_english": float(not re.search(r"\b(?:the|a|an|is|are|of|and)\b", text)),
        "term_opinion": float(any(w in _TERM_OPINION for w in lowered)),
        "term_of": float("of" in lowered[1:-1]),
        "term_repeated": float(len(set(lowered)) < len(lowered)),
        "term_superlative": float(any((w.endswith("est") and len(w) > 5) or w in (
            "best", "worst", "most", "least", "main", "first", "last") for w in lowered)),
        "term_one": float(lowered[0] in ("one", "another", "two", "three", "first")),
        "term_all_capitalized": float(all(w[:1].isupper() for w in words if w.lower()
                                          not in ("of", "as", "and", "the", "in", "for"))),
        "term_code": float(bool(re.search(r"[_=<>{}()\[\]/\\.]|^[a-z]+[A-Z]", term))),
        "def_example": float(bool(re.match(r"^(?:(?:an?|the)\s)?(?:\w+\s)?(?:example|instance|"
                                           r"part|sign|piece|one)\s(?:of|in)\b",
                                           " ".join(dlow[:5])))),
    }
    previous = re.findall(r"[\w’'-]+", text[max(item.clause[0], item.start - 40):item.start])
    previous = [w.lower() for w in previous[-3:]]
    # "This DSN string is ...", "your output is ...": a thing already introduced, not named here
    out["term_after_demonstrative"] = float(bool(previous) and previous[-1] in (
        "this", "these", "that", "those", "such", "our", "your", "its", "their", "his", "her",
        "my") and item.start - item.clause[0] < 40)
    out["prev_copula"] = float(bool(previous) and (previous[-1] in ("is", "are", "was", "were")
                               or (len(previous) > 1 and previous[-2] in ("is", "are")
                                   and previous[-1] in ("the", "a", "an"))))
    out["prev_class"] = float(bool(previous) and previous[-1].rstrip("s") in CLASS_NOUNS
                              and text[max(0, item.start - 2):item.start].startswith(","))
    out["prev_concept_of"] = float(len(previous) > 1 and previous[-1] == "of" and (
        previous[-2] in ("concept", "idea", "notion", "principle", "model", "term")))
    out["clause_naming_cue"] = float(bool(_NAMING_CUE.search(clause)))
    stem = lowered[-1][:-1] if len(lowered[-1]) > 4 else lowered[-1]
    mentions = len(re.findall(rf"(?<!\w){re.escape(stem)}", text.lower())) if stem else 0
    out["term_repeats"] = float(mentions > 1)
    out["term_first_mention"] = float(text.lower().find(term.lower()) >= item.start - 1)
    initials = "".join(w[0] for w in words if w[:1].isalpha()).upper()
    out["alias_is_acronym"] = float(any(
        a.isupper() and len(a) >= 2 and (a == initials or a == "".join(
            w[0] for w in words if w.lower() not in INNER_SMALL).upper()
            or all(c in initials for c in a)) for a in item.aliases))
    out["def_when"] = float(bool(head) and head[0] in ("when", "where", "if", "whenever"))
    last = tokens_in(text, item.start, item.end) if 0 <= item.start < item.end else []
    out["term_noun_head"] = float(bool(last) and last[-1].tag.startswith("NN"))
    out["term_first_verb"] = float(bool(last) and last[0].tag.startswith("VB"))
    # "prioritizing depth", "doesn't immediately follow", "producing": a verb phrase, no name
    out["term_verb_phrase"] = float(bool(re.search(r"n[’']t\b", term)) or (
        bool(last) and last[0].tag in ("VBG", "VB", "VBZ", "VBD", "VBP")
        and term[:1].islower() and (len(last) == 1 or last[1].tag in (
            "DT", "NN", "NNS", "RB", "PRP", "PRP$"))))
    family = item.rule if item.rule in ("subject_copula", "relative_gloss", "head_colon",
                                        "action_verb", "called_np", "introduced_term",
                                        "colon_tail", "run_in_head") else "other"
    for name in ("def_indefinite", "def_class_noun", "term_rare", "term_repeats", "clause_first",
                 "def_relative", "def_when", "term_noun_head", "term_first_verb", "term_acronym",
                 "alias_is_acronym"):
        if out.get(name):
            out[f"{family}&{name}"] = 1.0
    out.update(clause_shape(text, definition))
    for name in ("def_fragment", "def_clause"):
        if out.get(name):
            out[f"{family}&{name}"] = 1.0
    first = _tags(text, definition)
    if first:
        out[f"def_tag={first[0]}"] = 1.0
        second = first[1] if len(first) > 1 else "END"
        if first[0] in ("JJ", "VBN", "RB"):
            out[f"def_tags={first[0]}+{'NN' if second in ('NN', 'NNP') else 'other'}"] = 1.0
    if last:
        out[f"term_tag={_COARSE.get(last[-1].tag, 'X')}"] = 1.0
        out["term_first_vbg"] = float(last[0].tag == "VBG" or lowered[0].endswith("ing"))
    return out


@lru_cache(maxsize=1)
def model() -> tuple[dict[str, float], float]:
    """The weights and the threshold, from the package's ``weights.json``."""
    data = json.loads(resources.files(__package__).joinpath("weights.json").read_text("utf-8"))
    return {str(k): float(v) for k, v in data["weights"].items()}, float(data["threshold"])


def probability(text: str, item: Found) -> float:
    weights, _ = model()
    total = sum(weights.get(name, 0.0) * value for name, value in features(text, item).items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))


# how much surer the scorer must be in the reader's own lines than in a highlight
OWN_WORDS_MARGIN = 0.1


def keep(text: str, found: Sequence[Found], margin: float = 0.0) -> list[Found]:
    """The candidates of ``text`` that the scorer accepts, in their order; of two whose terms
    overlap ("tale of the wooden horse", "wooden horse") only the likelier stays. ``margin``
    raises the threshold (for text that is not a highlight)."""
    _, threshold = model()
    threshold = min(0.99, threshold + margin)
    scored = sorted(((probability(text, item), index) for index, item in enumerate(found)),
                    reverse=True)
    kept: list[Found] = []
    for p, index in scored:
        item = found[index]
        if p < threshold:
            break
        if not any(other.start < item.end and item.start < other.end
                   and other.term.casefold() != item.term.casefold() for other in kept):
            kept.append(item)
    order = {id(item): index for index, item in enumerate(found)}
    return sorted(kept, key=lambda item: order[id(item)])
