"""A synthetic vault of book notes, generated deterministically, for benchmarks.

Real vaults are private, so the benchmark needs one it can make at any size and make the same
every time (a fixed seed, one ``random.Random``): timings are then comparable across commits.
The notes copy the shapes that cost time in a real build: the reference sample's template
with mojibake in every fifth note, a Readwise export in one note of ten, quotes of realistic
length whose words range from common to rare (the rarity ranking is what cloze choice spends
its time on), run-in definitions, numbers with units, curly quotes and no-break spaces.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

QUOTES_PER_NOTE = 100

_COMMON = """
the of and to in is that it for as with was on be by this are from at or have an they which
one you were all we can her has there been if more when will would who so no what their out
up about into than them only other time new some could these two may first then do any like
my now over such our man even most made after also did many before must through back years
where much your way well down should because each just those people how too little state
good very make world still own see men work long get here between both life being under
never day same another know while last might us great old year off come since against go
came right used take three states himself few house use during without again place around
however home small found thought went say part once general high upon school every does
got united left number course war until always away something fact though water less public
put think almost hand enough far took head yet government system better set told nothing
night end why called didn find look going asked later knew point next program city business
give group toward young days let room president side social given present several order
national possible rather second face per among form important often things looking early
white case john become large big need four within felt along children saw best church ever
least power development light thing seemed family interest want members mind country area
others done turned although open problem certain kind began different door thus help means
sense whole matter perhaps itself york times law human line above name example action company
hands local show whether five history gave today either act feet across taken past quite
anything having seen death experience body word half really week field car words already
themselves information tell together college shall money period held keep sure free
""".split()

_TECHNICAL = """
gradient tensor embedding latency throughput idempotent heuristic stochastic covariance
regularization hyperparameter quantization distillation backpropagation convolution
transformer autoregressive tokenizer perplexity entropy bayesian posterior likelihood
prior marginal eigenvector orthogonal manifold topology homomorphism isomorphism monad
functor combinator closure coroutine memoization serialization deserialization sharding
replication consensus quorum linearizability idempotency backpressure throttling
debouncing checkpointing orchestration containerization virtualization hypervisor kernel
scheduler mutex semaphore deadlock livelock starvation heap stack allocator fragmentation
compaction tombstone bloom hyperloglog sketch reservoir sampling stratified bootstrap
jackknife heteroscedasticity multicollinearity endogeneity instrumental counterfactual
propensity confounder mediator collider ablation calibration conformal isotonic platt
softmax sigmoid relu dropout batchnorm layernorm attention encoder decoder seq2seq
beam lexeme morpheme phoneme syntagm pragmatics semiotics hermeneutics epistemology
ontology teleology phenomenology dialectic aporia eudaimonia ataraxia stoicism
mercantilism monopsony oligopoly arbitrage liquidity solvency amortization depreciation
collateral securitization tranche derivative annuity dividend yield inflation deflation
stagflation seigniorage tariff subsidy externality elasticity marginalism heterodox
photosynthesis mitochondria ribosome allele genotype phenotype speciation phylogeny
cladistics taxonomy endosymbiosis homeostasis apoptosis angiogenesis neuroplasticity
synapse dendrite axon myelin hippocampus amygdala dopamine serotonin cortisol circadian
entanglement decoherence superposition eigenstate hamiltonian lagrangian tensorial
geodesic curvature spacetime redshift parallax nebula accretion magnetosphere ionosphere
""".split()

_NAMES = """
Google Netflix Lyft Stanford Kubernetes Spark Kafka Airflow Hadoop PyTorch TensorFlow
Darwin Keynes Hume Seneca Epictetus Aurelius Kahneman Tversky Shannon Turing Knuth Dijkstra
Lamport Hinton Bengio LeCun Ricardo Malthus Hayek Friedman Lovelace Babbage Noether Curie
""".split()

_FIRST = "Chip Ada Alan Grace Donald Barbara Daniel Nassim Mary Charles Jane Leo Ursula".split()
_LAST = """
Huyen Kleppmann Lovelace Hopper Knuth Liskov Kahneman Taleb Shelley Darwin Austen Le_Guin
""".split()

_TAGS = """
books non-fiction machine-learning data-science data-engineering mlops philosophy economics
biology physics history psychology thinking/mental-models science/classics writing
""".split()

_DEFINITION_SHAPES = (
    "{Term} When {a} changes but {b} remains the same.",
    "{Term} refers to {clause}.",
    "{Clause}. This process is called {term}.",
    "{Term} means {clause}.",
    "{Clause}, a technique known as {term}.",
)

_NUMBERS = ("85%", "$86.61", "2x", "10x", "40%", "$1.3 million", "3.5x", "12 ms", "99.9%",
            "in 2016", "in 2019", "$250", "7%", "100,000")

_MOJIBAKE_EVERY = 5
_READWISE_EVERY = 10
_READWISE_OFFSET = 2
"""Readwise notes sit at 2, 12, 22..., mojibake notes at 4, 9, 14...: the two never overlap,
so each shape is measured for what it is."""


@dataclass(frozen=True)
class BookPlan:
    """One generated book note: what it says, before it is rendered as Markdown."""

    index: int
    title: str
    author: str
    tags: tuple[str, ...]
    quotes: tuple[str, ...]
    readwise: bool
    mojibake: bool

    @property
    def filename(self) -> str:
        return re.sub(r"[^\w .,'-]", "_", self.title) + ".md"


class _Words:
    """Word draws weighted so rarity varies as in real prose: mostly common, some rare."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        # Zipf-like weights inside each list: a few words are frequent, most are occasional.
        # Cumulative once here: choices() would otherwise re-add them on every draw.
        self.common = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(_COMMON))))
        self.technical = list(itertools.accumulate(1 / (rank + 1) ** 0.7
                                                   for rank in range(len(_TECHNICAL))))

    def word(self) -> str:
        roll = self.rng.random()
        if roll < 0.80:
            return self.rng.choices(_COMMON, cum_weights=self.common)[0]
        if roll < 0.97:
            return self.rng.choices(_TECHNICAL, cum_weights=self.technical)[0]
        return self.rng.choice(_NAMES)

    def words(self, count: int) -> list[str]:
        return [self.word() for _ in range(count)]

    def term(self) -> str:
        count = self.rng.choice((1, 2, 2, 3))
        return " ".join(self.rng.choices(_TECHNICAL, cum_weights=self.technical, k=count))


def _sentence(words: list[str], rng: random.Random) -> str:
    """Words as one sentence: capitalised, sometimes a comma, curly quote or apostrophe."""
    words = list(words)
    if len(words) > 6 and rng.random() < 0.4:
        at = rng.randrange(2, len(words) - 2)
        words[at] += ","
    if len(words) > 4 and rng.random() < 0.12:
        at = rng.randrange(1, len(words) - 1)
        words[at] = f"“{words[at]}”"
    if len(words) > 4 and rng.random() < 0.10:
        at = rng.randrange(1, len(words) - 1)
        words[at] = words[at].rstrip(",") + "’s"
    if len(words) > 6 and rng.random() < 0.08:
        at = rng.randrange(2, len(words) - 2)
        words[at] = words[at].rstrip(",") + "—" + words[at + 1]
        del words[at + 1]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _quote(target: int, words: _Words, rng: random.Random) -> str:
    """A quote of about ``target`` words, with the extras real highlights carry."""
    parts: list[str] = []
    used = 0
    roll = rng.random()
    if roll < 0.10:
        shape = rng.choice(_DEFINITION_SHAPES)
        term = words.term()
        clause = " ".join(words.words(rng.randint(6, 12)))
        text = shape.format(Term=term[0].upper() + term[1:], term=term, a="P(X)", b="P(Y|X)",
                            clause=clause, Clause=clause[0].upper() + clause[1:])
        parts.append(text)
        used += len(text.split())
    if rng.random() < 0.15:
        number = rng.choice(_NUMBERS)
        lead = words.words(rng.randint(4, 8))
        text = _sentence([*lead, "by", number, *words.words(rng.randint(2, 5))], rng)
        parts.append(text)
        used += len(text.split())
    if rng.random() < 0.05:
        parts.append(f"In Chapter\u00a0{rng.randint(1, 12)}, we’ll discuss "
                     f"{' '.join(words.words(4))}.")
        used += 7
    while used < target:
        length = min(max(target - used, 3), rng.randint(8, 22))
        parts.append(_sentence(words.words(length), rng))
        used += length
    rng.shuffle(parts)
    text = " ".join(parts)
    if rng.random() < 0.03:
        # A footnote number glued to a sentence end, as e-book copies leave them.
        text = re.sub(r"\. ([A-Z])", rf".{rng.randint(1, 30)} \1", text, count=1)
    return text


def _fingerprint(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _title(rng: random.Random, taken: set[str]) -> str:
    shapes = ("Designing {A} {B}", "The {A} of {B}", "{A} and {B}", "On {A}",
              "A Short History of {A}", "Thinking in {A}", "The {A} Handbook")
    while True:
        a = rng.choice(_TECHNICAL).capitalize()
        b = rng.choice(_TECHNICAL + _COMMON).capitalize()
        title = rng.choice(shapes).format(A=a, B=b)
        if title.casefold() not in taken:
            taken.add(title.casefold())
            return title


def plan_vault(quotes: int, seed: int = 7) -> list[BookPlan]:
    """The books of a vault holding ``quotes`` quotes, 100 a note, the same for the same seed."""
    rng = random.Random(seed)
    words = _Words(rng)
    titles: set[str] = set()
    plans: list[BookPlan] = []
    notes = max(1, -(-quotes // QUOTES_PER_NOTE))
    for index in range(notes):
        count = min(QUOTES_PER_NOTE, quotes - index * QUOTES_PER_NOTE)
        seen: set[str] = set()
        book_quotes: list[str] = []
        while len(book_quotes) < count:
            # Triangular 15..90 words with mode 20: mean about 42, like the reference sample.
            text = _quote(round(rng.triangular(15, 90, 20)), words, rng)
            key = _fingerprint(text)
            if key not in seen:  # distinct, so no quote is merged away as a duplicate
                seen.add(key)
                book_quotes.append(text)
        plans.append(BookPlan(
            index=index,
            title=_title(rng, titles),
            author=f"{rng.choice(_FIRST)} {rng.choice(_LAST).replace('_', ' ')}",
            tags=tuple(dict.fromkeys(["books", *rng.sample(_TAGS, rng.randint(1, 5))])),
            quotes=tuple(book_quotes),
            readwise=index % _READWISE_EVERY == _READWISE_OFFSET,
            mojibake=index % _MOJIBAKE_EVERY == _MOJIBAKE_EVERY - 1,
        ))
    return plans


def _template_note(plan: BookPlan, rng: random.Random) -> str:
    """The reference sample's template (Obsidian book note with emoji headings)."""
    tags = "\n".join(f'  - "#{tag}"' if i == 2 else f"  - {tag}"
                     for i, tag in enumerate(plan.tags))
    lines = [
        "---",
        f"Pages: {rng.randint(120, 900)}",
        f"Date Finished: Sep {rng.randint(1, 28)}, 20{rng.randint(15, 24)}",
        f"Author: {plan.author}",
        "tags:",
        tags,
        "finished: true",
        "created: 2024-01-06T15:04",
        "updated: 2024-10-13T13:10",
        "---",
        f"# {plan.title}",
        "",
        "",
        "",
        "# 🚀 The Book in 3 Sentences",
        "",
        "This book covers the fundamentals of its subject. It goes through the whole "
        "lifecycle and then the ecosystem around it. The last part is about the hard cases. ",
        "# 🎨 Impressions",
        "A good introduction, easy to read, with the credibility of an academic book. ",
        "",
        "## How I Discovered It",
        "A colleague recommended it when I wanted to understand the whole system. ",
        "",
        "## Who Should Read It?",
        "Anyone starting out, preferably before getting too much experience. ",
        "# ✍️ My Top  Quotes",
        "",
    ]
    for quote in plan.quotes:
        lines.append(f"- *{quote}* ")
        lines.append(" ")
    return "\n".join(lines) + "\n"


def _readwise_note(plan: BookPlan, rng: random.Random) -> str:
    """A Readwise export: metadata bullets, highlights with Kindle location links."""
    asin = "B0" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))
    lines = [
        f"# {plan.title}",
        "",
        "![rw-book-cover](https://images-na.ssl-images-amazon.com/images/I/51example.jpg)",
        "",
        "## Metadata",
        f"- Author: [[{plan.author}]]",
        f"- Full Title: {plan.title}",
        "- Category: #books",
        "- Document Tags: " + " ".join(f"[[{tag}]]" for tag in plan.tags[1:]),
        "",
        "## Highlights",
    ]
    location = 100
    for quote in plan.quotes:
        location += rng.randint(5, 300)
        lines.append(f"- {quote} ([Location {location}](https://readwise.io/to_kindle?"
                     f"action=open&asin={asin}&location={location}))")
        if rng.random() < 0.1:
            lines.append(f"    - Note: {' '.join(rng.choices(_COMMON, k=rng.randint(5, 15)))}")
        if rng.random() < 0.05:
            lines.append("    - Tags: [[favorite]]")
    return "\n".join(lines) + "\n"


def render(plan: BookPlan, seed: int = 7) -> str:
    """One book note as Markdown text, mojibake applied when the plan says so."""
    rng = random.Random(f"{seed}:{plan.index}")
    text = _readwise_note(plan, rng) if plan.readwise else _template_note(plan, rng)
    if plan.mojibake:
        # What the reference sample went through: UTF-8 bytes read back as Mac Roman.
        text = text.encode("utf-8").decode("mac_roman")
    return text


def make_vault(folder: Path, quotes: int, seed: int = 7) -> list[Path]:
    """Write a vault of ``quotes`` quotes (100 a note) into ``folder``; return the files."""
    return write_vault(folder, plan_vault(quotes, seed), seed)


def write_vault(folder: Path, plans: Sequence[BookPlan], seed: int = 7) -> list[Path]:
    """Write already planned books: a caller that needs the plans too plans only once."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for plan in plans:
        path = folder / plan.filename
        path.write_text(render(plan, seed), encoding="utf-8")
        paths.append(path)
    return paths


def edit_one_quote(path: Path, word: str = "notably") -> None:
    """Change the words of the first ``- *quote*`` bullet in ``path`` (a template note).

    A word is inserted after the quote's first word, so exactly one quote changes, as when a
    reader fixes a typo.
    """
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(r"^(- \*\S+) ", rf"\1 {word} ", text, count=1, flags=re.M)
    if not count:
        raise ValueError(f"no quote bullet found in {path}")
    path.write_text(changed, encoding="utf-8")
