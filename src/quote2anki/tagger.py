"""The English tagger's core: tokens, sentences and Brill's tagger on Pattern's data.

Split out of :mod:`quote2anki.language` (which builds phrases and analyses on top of it) so
that the hot loop of every build lives in one small module that can be measured and tuned on
its own. Everything is pure and deterministic; the data files are read once, on first use.

- :func:`split_tokens`: words, numbers, URLs, ``#tags`` and marks with their offsets;
- :func:`split_sentences`: token index ranges of sentences;
- :func:`tag_brill` (the default :data:`TAGGER`): Penn tags for one sentence's words, by
  Brill's method with the lexicon, morphological and contextual rules and the named-entity
  list that Pattern published and TextBlob ships (``textblob/en/en-*.txt``).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

__all__ = ["TAGGER", "split_sentences", "split_tokens", "tag_brill"]


# --- tokens ------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<url>(?:https?://|www\.)[^\s<>()\[\]"“”]+[^\s<>()\[\]"“”.,;:!?'’])
    | (?P<hashtag>(?<![\w&])\#[^\W\d][\w/-]*)
    | (?P<abbr>(?:[A-Za-z]\.){2,}(?![A-Za-z]))
    | (?P<num>(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:0s\b|(?<=0)s\b)?)
    | (?P<word>[^\W\d](?:[\w]|['’](?=[^\W\d_])|-(?=\w)|\.(?=[a-z_]\w))*)
    | (?P<other>[^\w\s])
    """,
    re.VERBOSE,
)
_CONTRACTION = re.compile(r"(?i)(?:n['’]t|['’](?:s|re|ve|ll|d|m))$")
_CLITIC_TAG = {"'s": "POS", "n't": "RB", "'re": "VBP", "'ve": "VBP", "'ll": "MD", "'d": "MD",
               "'m": "VBP"}


def split_tokens(text: str) -> list[tuple[int, int, str]]:
    """Words, numbers, URLs, ``#tags`` and marks with their offsets; "don't" is "do" + "n't"
    (the lexicon's way), a decade stays whole and "1,197" is one number.

    >>> [t for _, _, t in split_tokens("Don't say 1,197 pounds ($86.61) in the 1980s; see x.io")]
    ['Do', "n't", 'say', '1,197', 'pounds', '(', '$', '86.61', ')', 'in', 'the', '1980s', ';', \
'see', 'x.io']
    """
    out: list[tuple[int, int, str]] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        token = match.group()
        if match.lastgroup == "word":
            clitic = _CONTRACTION.search(token)
            if clitic and clitic.start() > 0:
                out.append((start, start + clitic.start(), token[: clitic.start()]))
                out.append((start + clitic.start(), end, token[clitic.start() :]))
                continue
        out.append((start, end, token))
    return out


# --- sentences ---------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st vs etc al fig figs eq no vol pp ch sec approx cf jr sr inc ltd co "
    "e.g i.e u.s".split())
_ENDS = frozenset(".!?…。！？")


def split_sentences(text: str, tokens: Sequence[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Token index ranges of sentences: after ``.``, ``!``, ``?`` before a capital (not after
    an abbreviation or an initial), at a line break, and after a heading in capitals glued to
    the text (``KEY TAKEAWAYS Choose``)."""
    spans: list[tuple[int, int]] = []
    first = 0
    n = len(tokens)
    for i in range(n):
        if i + 1 >= n:
            break
        end, token = tokens[i][1], tokens[i][2]
        nxt = tokens[i + 1]
        boundary = False
        if "\n" in text[end : nxt[0]]:
            boundary = True
        elif token in _ENDS or token in "。！？":
            previous = tokens[i - 1][2].lower() if i > 0 else ""
            follower = nxt[2]
            if token == "." and (previous in _ABBREVIATIONS or (
                    len(previous) == 1 and previous.isalpha())):
                boundary = False
            elif (follower[:1].isupper() or follower[:1].isdigit() or follower in "\"“‘'(["
                  or token in "。！？"):
                boundary = True
        elif (i - first >= 1 and token.isupper() and token.isalpha() and len(token) > 1
              and nxt[2][:1].isupper() and not nxt[2].isupper()
              and all(t[2].isupper() for t in tokens[first : i + 1])):
            boundary = True  # "KEY TAKEAWAYS Choose ...": a heading pasted before the text
        if boundary:
            spans.append((first, i + 1))
            first = i + 1
    if first < n:
        spans.append((first, n))
    return spans


# --- Brill's tagger, with Pattern's data as TextBlob ships it -----------------------------------

@cache
def _data_folder() -> Path:
    """TextBlob's English data, found without importing textblob: its import pulls in NLTK,
    0.4 s of CPU in every process that tags (each worker of a build), for files we only read."""
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("textblob is not installed: pip install textblob")
    return Path(next(iter(spec.submodule_search_locations))) / "en"


def _data_lines(name: str) -> list[str]:
    text = (_data_folder() / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith(";;;")]


@cache
def _lexicon() -> dict[str, str]:
    lexicon: dict[str, str] = {}
    for line in _data_lines("en-lexicon.txt"):
        parts = line.split(" ")
        if len(parts) >= 2:
            lexicon[parts[0]] = parts[1]
    return lexicon


_MORPH_CMDS = frozenset("char haspref hassuf addpref addsuf deletepref deletesuf goodleft "
                        "goodright".split())


@cache
def _morphology() -> tuple[tuple[str | None, str, str, str], ...]:
    """Brill's lexical rules as (tag the word must have or None, command, affix, new tag)."""
    rules: list[tuple[str | None, str, str, str]] = []
    for line in _data_lines("en-morphology.txt"):
        r = line.split()
        if len(r) >= 4 and r[1] in _MORPH_CMDS:
            rules.append((None, r[1], r[0], r[-2]))
        elif len(r) >= 5 and r[2].lstrip("f") in _MORPH_CMDS:
            rules.append((r[0], r[2].lstrip("f"), r[1], r[-2]))
    return tuple(rules)


@cache
def _context() -> dict[str, tuple[tuple[str, str, str, str], ...]]:
    """Brill's contextual rules indexed by the tag they change: (new tag, command, x, y)."""
    rules: dict[str, list[tuple[str, str, str, str]]] = {}
    for line in _data_lines("en-context.txt"):
        r = line.split()
        if len(r) >= 4:
            rules.setdefault(r[0], []).append((r[1], r[2].lower(), r[3], r[4] if len(r) > 4
                                                else ""))
    return {tag: tuple(items) for tag, items in rules.items()}


@cache
def _entities() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Multi-word names Pattern lists (``Alexander the Great``), by their first word."""
    entities: dict[str, list[tuple[str, ...]]] = {}
    for line in _data_lines("en-entities.txt"):
        words = line.lower().split()
        if words and words[-1] in ("pers", "loc", "org"):
            words = words[:-1]
        if len(words) > 1:
            entities.setdefault(words[0], []).append(tuple(words))
    return {k: tuple(v) for k, v in entities.items()}


_CD = re.compile(r"^[0-9\-,.:/%$]+$")

_Test = Callable[[str, str, str], bool]


def _morphology_test(cmd: str, x: str) -> _Test:
    """One lexical rule's test of (word, previous word, following word)."""
    lexicon = _lexicon()
    n = len(x)
    tests: dict[str, _Test] = {
        "char": lambda word, previous, following: x in word,
        "haspref": lambda word, previous, following: word.startswith(x),
        "hassuf": lambda word, previous, following: word.endswith(x),
        "addpref": lambda word, previous, following: x + word in lexicon,
        "addsuf": lambda word, previous, following: word + x in lexicon,
        "deletepref": lambda word, previous, following: (word.startswith(x)
                                                         and word[n:] in lexicon),
        "deletesuf": lambda word, previous, following: (word.endswith(x)
                                                        and word[:-n] in lexicon),
        "goodleft": lambda word, previous, following: x == following,
        "goodright": lambda word, previous, following: x == previous,
    }
    return tests[cmd]


@cache
def _compiled_morphology() -> tuple[tuple[str | None, _Test, str], ...]:
    """The lexical rules as (tag the word must have or None, test, new tag), in order."""
    return tuple((required, _morphology_test(cmd, x), new)
                 for required, cmd, x, new in _morphology())


@cache
def _neighbours_read() -> tuple[frozenset[str], frozenset[str]]:
    """The previous words and the following words some lexical rule compares with."""
    rules = _morphology()
    return (frozenset(x for _, cmd, x, _ in rules if cmd == "goodright"),
            frozenset(x for _, cmd, x, _ in rules if cmd == "goodleft"))


def _unknown_tag(word: str, previous: str, following: str) -> str:
    """An unknown word's tag from Brill's lexical rules (its affixes and neighbours).

    A neighbour no rule looks at is passed on as "" (which no rule names), so that the
    cache below serves every occurrence of the word among such neighbours."""
    before, after = _neighbours_read()
    return _unknown_tag_cached(word, previous if previous in before else "",
                               following if following in after else "")


@lru_cache(maxsize=131_072)
def _unknown_tag_cached(word: str, previous: str, following: str) -> str:
    if word[:1].isupper() and word.istitle():
        return "NNP"
    if _CD.match(word):
        return "CD"
    tag = "NN"
    for required, test, new in _compiled_morphology():
        if (required is None or tag == required) and test(word, previous, following):
            tag = new
    return tag


@lru_cache(maxsize=262_144)
def _known_tag(word: str, initial: bool) -> str | None:
    """A word's tag before context: a URL or ``#tag`` is a noun (for the chunker, never a
    gap), a clitic has its own, else the lexicon's (None for a word it does not know)."""
    if (word.startswith(("http", "www.")) and len(word) > 4) or (
            word.startswith("#") and len(word) > 1):
        return "NN"
    clitic = word.lower().replace("’", "'")
    if clitic in _CLITIC_TAG:
        return _CLITIC_TAG[clitic]
    return _lookup(word, initial)


def _lookup(word: str, initial: bool) -> str | None:
    lexicon = _lexicon()
    key = word.replace("’", "'")
    tag = lexicon.get(key)
    if tag is None and (initial or key.isupper()):
        tag = lexicon.get(key.lower())
        if tag is not None and key.isupper() and len(key) > 1 and not initial and tag != "DT":
            tag = None  # "KEY" inside a sentence is an acronym or a heading word, not "key"
    return tag


def tag_brill(words: Sequence[str]) -> list[str]:
    """Penn tags for one sentence's words: lexicon, lexical rules, context rules, names."""
    out: list[str] = []
    last = len(words) - 1
    for i, word in enumerate(words):
        tag = _known_tag(word, i == 0)
        if tag is None:
            tag = _unknown_tag(word, words[i - 1] if i else "", words[i + 1]
                               if i < last else "")
        out.append(tag)
    _apply_context(words, out)
    _apply_entities(words, out)
    _verbs_after_subjects(words, out)
    _closed_class_kept(words, out)
    _ly_adverbs_kept(words, out)
    _base_verbs_after_plurals(words, out)
    return out


_OBJECT_START = frozenset(("DT", "PRP$", "PRP", "CD", "JJ", "JJR", "JJS", "IN", "TO", "RB"))


def _verbs_after_subjects(words: Sequence[str], tags: list[str]) -> None:
    """A plural-looking word after a noun and before the start of an object is the verb of a
    clause: "the optimizer chooses a plan", "Yak shaving consists of". It is tagged VBZ when
    the word without its -s is a verb in the lexicon (Brill's rules miss many of these)."""
    lexicon = _lexicon()
    for i in range(1, len(words) - 1):
        word = words[i]
        if tags[i] != "NNS" or not word.islower() or not word.endswith("s") or len(word) < 4:
            continue
        if tags[i - 1] not in ("NN", "NNS", "NNP", "NNPS") or tags[i + 1] not in _OBJECT_START:
            continue
        stems = (word[:-1], word[:-2]) if word.endswith("es") else (word[:-1],)
        if any(lexicon.get(stem) in ("VB", "VBP") for stem in stems):
            tags[i] = "VBZ"


_AUXILIARIES = frozenset("am is are was were be been being has have had do does did".split())


def _closed_class_kept(words: Sequence[str], tags: list[str]) -> None:
    """A clitic (``n't``, ``'re``; not ``'s``, which context decides), *not*, *never* and a
    form of *be*, *have* or *do* keep their own tag: the contextual rules, made for
    open-class words, sometimes turn "is n't" into an adjective or "These are" into a noun,
    and the chunker then glues them to the next noun phrase.

    >>> tag_brill(["Why", "is", "n’t", "machine", "learning", "fast", "?"])[2]
    'RB'
    >>> tag_brill(["These", "are", "the", "data", "points", "."])[1]
    'VBP'
    """
    for i, word in enumerate(words):
        lower = word.lower().replace("’", "'")
        if lower in _CLITIC_TAG and lower != "'s":  # "'s" is "is" or a possessive: context
            tags[i] = _CLITIC_TAG[lower]
        elif lower in ("not", "never"):
            tags[i] = "RB"
        elif lower in _AUXILIARIES and tags[i].startswith("NN"):
            tags[i] = _lookup(lower, True) or tags[i]


def _ly_adverbs_kept(words: Sequence[str], tags: list[str]) -> None:
    """An *-ly* word the lexicon knows only as an adverb stays one before a noun: Brill's rules
    read "typically use" or "occasionally label shift" as adjective and noun, and the chunker
    then makes the adverb part of a noun phrase. (The *-ly* adjectives, ``daily``,
    ``likely``, are adjectives in the lexicon and are left alone.)

    >>> tag_brill(["and", "occasionally", "label", "shift", "."])[1]
    'RB'
    """
    lexicon = _lexicon()
    for i, word in enumerate(words):
        if (tags[i] == "JJ" and len(word) > 4 and word.endswith("ly")
                and lexicon.get(word.lower()) == "RB"):
            tags[i] = "RB"


_NOUN_PHRASE_START = frozenset(("DT", "PRP$", "CD", "JJ", "JJR", "JJS", "NN", "NNS"))


def _base_verbs_after_plurals(words: Sequence[str], tags: list[str]) -> None:
    """A word the lexicon knows as a base verb, read as a noun between a plural subject and
    the start of an object, is the clause's verb: "creators provide data", "habits make
    sense" (a plural noun is rarely the first half of a compound with a verb).

    >>> tag_brill(["Its", "creators", "provide", "data", "."])[2]
    'VBP'
    """
    lexicon = _lexicon()
    for i in range(1, len(words) - 1):
        if (tags[i] == "NN" and words[i].islower() and tags[i - 1] == "NNS"
                and tags[i + 1] in _NOUN_PHRASE_START
                and lexicon.get(words[i]) in ("VB", "VBP")):
            tags[i] = "VBP"


# Where each contextual command reads the values its rule's x (and y) must equal, as
# (list, offset) pairs: "t" the tags, "w" the words, the offset from the word being changed.
# A command with several alternatives ("prev1or2tag") matches when any of them equals x.
_PLACES: dict[str, tuple[tuple[tuple[str, int], ...], ...]] = {
    "prevtag": ((("t", -1),),),
    "nexttag": ((("t", 1),),),
    "prev2tag": ((("t", -2),),),
    "next2tag": ((("t", 2),),),
    "prev1or2tag": ((("t", -1),), (("t", -2),)),
    "next1or2tag": ((("t", 1),), (("t", 2),)),
    "prev1or2or3tag": ((("t", -1),), (("t", -2),), (("t", -3),)),
    "next1or2or3tag": ((("t", 1),), (("t", 2),), (("t", 3),)),
    "surroundtag": ((("t", -1), ("t", 1)),),
    "curwd": ((("w", 0),),),
    "prevwd": ((("w", -1),),),
    "nextwd": ((("w", 1),),),
    "prev1or2wd": ((("w", -1),), (("w", -2),)),
    "next1or2wd": ((("w", 1),), (("w", 2),)),
    "prevwdtag": ((("w", -1), ("t", -1)),),
    "nextwdtag": ((("w", 1), ("t", 1)),),
    "wdprevtag": ((("t", -1), ("w", 0)),),
    "wdnexttag": ((("w", 0), ("t", 1)),),
    "wdand2aft": ((("w", 0), ("w", 2)),),
    "wdand2tagbfr": ((("t", -2), ("w", 0)),),
    "wdand2tagaft": ((("w", 0), ("t", 2)),),
    "lbigram": ((("w", -1), ("w", 0)),),
    "rbigram": ((("w", 0), ("w", 1)),),
    "prevbigram": ((("t", -2), ("t", -1)),),
    "nextbigram": ((("t", 1), ("t", 2)),),
}

_Probe = tuple[int, int, int, int, dict[Any, tuple[int, str]]]
"""Where to look and what to find there: (list, offset, second list or -1, its offset, table);
list 0 is the tags, 1 the words."""


def _probes(rules: Sequence[tuple[str, str, str, str]]) -> tuple[_Probe, ...]:
    """One tag's rules indexed for lookup: per place a command reads, a table from the value
    found there to (the rule's position, its new tag), the later rule kept on a tie.

    Brill's rules for a word are tried in order and the last that matches wins; every test is
    an equality, so instead of testing each rule the tables are asked for what the word's
    neighbours hold, and the matching rule that comes last is the one applied."""
    tables: dict[tuple[tuple[str, int], ...], dict[Any, tuple[int, str]]] = {}
    for position, (to, cmd, x, y) in enumerate(rules):
        for places in _PLACES.get(cmd, ()):  # an unknown command never matches
            key: Any = x if len(places) == 1 else (x, y)
            tables.setdefault(places, {})[key] = (position, to)
    probes: list[_Probe] = []
    for places, table in tables.items():
        (which, offset), *rest = places
        which2, offset2 = rest[0] if rest else ("", 0)
        index = {"t": 0, "w": 1, "": -1}
        probes.append((index[which], offset, index[which2], offset2, table))
    return tuple(probes)


@cache
def _compiled_context() -> dict[str, tuple[_Probe, ...]]:
    """The contextual rules indexed per tag they change, the '*' rules after each tag's own."""
    rules = _context()
    star = rules.get("*", ())
    out = {tag: _probes(items + star) for tag, items in rules.items() if tag != "*"}
    out["*"] = _probes(star)
    return out


_PAD = ["STAART"] * 3


def _apply_context(words: Sequence[str], tags: list[str]) -> None:
    """Brill's contextual rules, applied as Pattern applies them: word by word, left to right,
    every rule for the word's tag in order (the last that matches wins)."""
    rules = _compiled_context()
    star = rules["*"]
    t = _PAD + tags + _PAD
    lists = (t, _PAD + list(words) + _PAD)
    for j in range(3, len(t) - 3):
        best = -1
        new = ""
        for which, offset, which2, offset2, table in rules.get(t[j], star):
            if which2 < 0:
                hit = table.get(lists[which][j + offset])
            else:
                hit = table.get((lists[which][j + offset], lists[which2][j + offset2]))
            if hit is not None and hit[0] > best:
                best, new = hit
        if best >= 0:
            t[j] = new
    tags[:] = t[3:-3]


def _apply_entities(words: Sequence[str], tags: list[str]) -> None:
    """Multi-word names Pattern lists are proper nouns, word by word (the first listed wins)."""
    entities = _entities()
    lowered = [word.lower() for word in words]
    i = 0
    while i < len(words):
        for entity in entities.get(lowered[i], ()):
            if tuple(lowered[i : i + len(entity)]) == entity:
                for k in range(i, i + len(entity)):
                    tags[k] = "NNPS" if tags[k] == "NNPS" else "NNP"
                i += len(entity) - 1
                break
        i += 1


TAGGER = tag_brill
"""The English tagger in use: a function from one sentence's words to their Penn tags."""
