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

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
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

def _data_lines(name: str) -> list[str]:
    text = resources.files("textblob").joinpath("en", name).read_text(encoding="utf-8")
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


@lru_cache(maxsize=131_072)
def _unknown_tag(word: str, previous: str, following: str) -> str:
    """An unknown word's tag from Brill's lexical rules (its affixes and neighbours)."""
    if word[:1].isupper() and word.istitle():
        return "NNP"
    if _CD.match(word):
        return "CD"
    lexicon = _lexicon()
    tag = "NN"
    for required, cmd, x, new in _morphology():
        if required is not None and tag != required:
            continue
        if ((cmd == "char" and x in word) or (cmd == "haspref" and word.startswith(x))
                or (cmd == "hassuf" and word.endswith(x))
                or (cmd == "addpref" and x + word in lexicon)
                or (cmd == "addsuf" and word + x in lexicon)
                or (cmd == "deletepref" and word.startswith(x) and word[len(x):] in lexicon)
                or (cmd == "deletesuf" and word.endswith(x) and word[: -len(x)] in lexicon)
                or (cmd == "goodleft" and x == following)
                or (cmd == "goodright" and x == previous)):
            tag = new
    return tag


def _lookup(word: str, initial: bool) -> str | None:
    lexicon = _lexicon()
    key = word.replace("’", "'")
    tag = lexicon.get(key)
    if tag is None and (initial or key.isupper()):
        tag = lexicon.get(key.lower())
        if tag is not None and key.isupper() and len(key) > 1 and not initial and tag != "DT":
            tag = None  # "KEY" inside a sentence is an acronym or a heading word, not "key"
    return tag


_NO_TAG = frozenset(("URL", "HASHTAG"))


def tag_brill(words: Sequence[str]) -> list[str]:
    """Penn tags for one sentence's words: lexicon, lexical rules, context rules, names."""
    tags: list[str | None] = []
    for i, word in enumerate(words):
        if (word.startswith(("http", "www.")) and len(word) > 4) or (
                word.startswith("#") and len(word) > 1):
            tags.append("NN")  # a URL or a #tag: a noun for the chunker, never a gap
        elif word in _CLITIC_TAG or word.lower().replace("’", "'") in _CLITIC_TAG:
            tags.append(_CLITIC_TAG[word.lower().replace("’", "'")])
        else:
            tags.append(_lookup(word, i == 0))
    out: list[str] = []
    for i, word in enumerate(words):
        tag = tags[i]
        if tag is None:
            tag = _unknown_tag(word, words[i - 1] if i else "", words[i + 1]
                               if i + 1 < len(words) else "")
        out.append(tag)
    _apply_context(words, out)
    _apply_entities(words, out)
    _verbs_after_subjects(words, out)
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


_Rule = tuple[str, Any]


def _predicate(cmd: str, x: str, y: str) -> Any:
    """One contextual rule's test as a function of (tags, words, j) on lists padded with
    three "STAART" on each side (``j`` is the padded index)."""
    table: dict[str, Any] = {
        "prevtag": lambda t, w, j: t[j - 1] == x,
        "nexttag": lambda t, w, j: t[j + 1] == x,
        "prev2tag": lambda t, w, j: t[j - 2] == x,
        "next2tag": lambda t, w, j: t[j + 2] == x,
        "prev1or2tag": lambda t, w, j: x in (t[j - 1], t[j - 2]),
        "next1or2tag": lambda t, w, j: x in (t[j + 1], t[j + 2]),
        "prev1or2or3tag": lambda t, w, j: x in (t[j - 1], t[j - 2], t[j - 3]),
        "next1or2or3tag": lambda t, w, j: x in (t[j + 1], t[j + 2], t[j + 3]),
        "surroundtag": lambda t, w, j: t[j - 1] == x and t[j + 1] == y,
        "curwd": lambda t, w, j: w[j] == x,
        "prevwd": lambda t, w, j: w[j - 1] == x,
        "nextwd": lambda t, w, j: w[j + 1] == x,
        "prev1or2wd": lambda t, w, j: x in (w[j - 1], w[j - 2]),
        "next1or2wd": lambda t, w, j: x in (w[j + 1], w[j + 2]),
        "prevwdtag": lambda t, w, j: w[j - 1] == x and t[j - 1] == y,
        "nextwdtag": lambda t, w, j: w[j + 1] == x and t[j + 1] == y,
        "wdprevtag": lambda t, w, j: t[j - 1] == x and w[j] == y,
        "wdnexttag": lambda t, w, j: w[j] == x and t[j + 1] == y,
        "wdand2aft": lambda t, w, j: w[j] == x and w[j + 2] == y,
        "wdand2tagbfr": lambda t, w, j: t[j - 2] == x and w[j] == y,
        "wdand2tagaft": lambda t, w, j: w[j] == x and t[j + 2] == y,
        "lbigram": lambda t, w, j: w[j - 1] == x and w[j] == y,
        "rbigram": lambda t, w, j: w[j] == x and w[j + 1] == y,
        "prevbigram": lambda t, w, j: t[j - 2] == x and t[j - 1] == y,
        "nextbigram": lambda t, w, j: t[j + 1] == x and t[j + 2] == y,
    }
    return table.get(cmd, lambda t, w, j: False)


@cache
def _compiled_context() -> dict[str, tuple[_Rule, ...]]:
    """The contextual rules as (new tag, test) per tag they change, '*' rules appended."""
    rules = _context()
    star = tuple((to, _predicate(cmd, x, y)) for to, cmd, x, y in rules.get("*", ()))
    out = {tag: tuple((to, _predicate(cmd, x, y)) for to, cmd, x, y in items) + star
           for tag, items in rules.items() if tag != "*"}
    out["*"] = star
    return out


_PAD = ["STAART"] * 3


def _apply_context(words: Sequence[str], tags: list[str]) -> None:
    """Brill's contextual rules, applied as Pattern applies them: word by word, left to right,
    every rule for the word's tag in order (the last that matches wins)."""
    rules = _compiled_context()
    star = rules["*"]
    t = _PAD + tags + _PAD
    w = _PAD + list(words) + _PAD
    for i in range(len(tags)):
        j = i + 3
        new = t[j]
        for to, test in rules.get(t[j], star):
            if test(t, w, j):
                new = to
        t[j] = new
    tags[:] = t[3:-3]


def _apply_entities(words: Sequence[str], tags: list[str]) -> None:
    entities = _entities()
    i = 0
    while i < len(words):
        for entity in entities.get(words[i].lower(), ()):
            if tuple(w.lower() for w in words[i : i + len(entity)]) == entity:
                for k in range(i, i + len(entity)):
                    tags[k] = "NNPS" if tags[k] == "NNPS" else "NNP"
                i += len(entity) - 1
                break
        i += 1


TAGGER = tag_brill
"""The English tagger in use: a function from one sentence's words to their Penn tags."""
