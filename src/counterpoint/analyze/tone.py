"""Tone toward a target (an actor or a topic) in one news sentence: positive, neutral or negative.

``tone(sentence, target_start, target_end)`` looks at the polar words around the target (the target
itself masked) and scores them with a small linear model (softmax regression, numpy only, 42
weights per class) trained on the German GerNTSA news sentences (CC BY 4.0; see
``scripts/train_tone.py``). The features are language-independent:

- hits of a hand-written polarity lexicon (``counterpoint/data/tone/lexicon.json``, German and
  English, stems with ``*``) by side and distance to the target, weighted down with distance and in
  the other sentences of a snippet, flipped after a negator (``nicht``, ``kein``, ``not``, ``n't``),
  scaled by intensifiers (``sehr``, ``very``) and diminishers (``etwas``, ``slightly``);
- a few shape features: where the target stands, quotes, question and exclamation marks.

So English gets the same model through the English half of the lexicon, without English training
data; the German held-out figure is the best it can hope for. Word unigrams and bigrams of the
snippet (``words=True``; ``scripts/train_tone.py --compare`` reruns that measurement) and, during
development, words by side and distance, character 4-grams near the target and USE sentence and
window embeddings did not improve macro-F1 in cross-validation, so the shipped model does without
them and ignores ``sentence_vector`` (kept in the API for a future embedding model).

The model and lexicon load lazily, once per process; scoring takes well under 0.1 ms per target.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
MODEL_FILE = "tone.npz"
LEXICON_FILE = "lexicon.json"

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
_SENTENCE_END = frozenset({".", "!", "?", ";"})
_QUOTES = frozenset("\"„“”«»‚‘’'")
_DE_HINTS = frozenset(
    "der die das und ist nicht mit den ein eine von sich auf für dem des im wird hat sind war auch nach bei".split()
)
_EN_HINTS = frozenset("the and is of to in that with for was has are it by on not be have this from at were".split())
_NEAR = 6  # tokens each side that count as near the target
_MAX_CHARS = 400  # characters each side of the target that are read


# ---------------------------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class _Polarity:
    exact: frozenset[str]
    prefixes: tuple[str, ...]
    infixes: tuple[str, ...]

    @classmethod
    def of(cls, entries: Iterable[str]) -> _Polarity:
        exact, prefixes, infixes = set(), [], []
        for entry in entries:
            entry = entry.lower().strip()
            if entry.endswith("*"):
                stem = entry[:-1]
                prefixes.append(stem)
                if len(stem) >= 6:
                    infixes.append(stem)
            elif entry:
                exact.add(entry)
        return cls(frozenset(exact), tuple(sorted(set(prefixes))), tuple(sorted(set(infixes))))

    def starts(self, word: str) -> bool:
        return word in self.exact or word.startswith(self.prefixes)

    def inside(self, word: str) -> bool:
        return len(word) > 8 and any(stem in word for stem in self.infixes)


@dataclass(frozen=True)
class Lexicon:
    """One language's polarity lexicon: positive and negative entries, negators, intensifiers, diminishers."""

    positive: _Polarity
    negative: _Polarity
    negators: frozenset[str]
    intensifiers: frozenset[str]
    diminishers: frozenset[str]
    not_inside: tuple[str, ...] = ()

    def polarity(self, word: str) -> int:
        """+1, -1 or 0 for a lowercase word; a word in both lists counts as neither."""
        return _polarity(self, word)


@lru_cache(maxsize=200_000)
def _polarity(lexicon: Lexicon, word: str) -> int:
    if len(word) < 2 or not word[0].isalpha():
        return 0
    pos, neg = lexicon.positive.starts(word), lexicon.negative.starts(word)
    if pos or neg:
        return int(pos) - int(neg)
    if word.startswith("un") and len(word) > 5:  # unzufrieden, unverletzt, unhappy
        rest = _polarity(lexicon, word[2:].lstrip("-"))
        if rest:
            return -rest
    if any(part in word for part in lexicon.not_inside):
        return 0
    return int(lexicon.positive.inside(word)) - int(lexicon.negative.inside(word))


@lru_cache(maxsize=1)
def lexicons() -> dict[str, Lexicon]:
    """The shipped lexicons by language (``de``, ``en``), read once per process."""
    raw = json.loads(resources.files("counterpoint.data").joinpath("tone", LEXICON_FILE).read_text("utf-8"))
    out = {}
    for lang in ("de", "en"):
        out[lang] = Lexicon(
            positive=_Polarity.of(raw[lang]["positive"]),
            negative=_Polarity.of(raw[lang]["negative"]),
            negators=frozenset(raw["negators"][lang]),
            intensifiers=frozenset(raw["intensifiers"][lang]),
            diminishers=frozenset(raw["diminishers"][lang]),
            not_inside=tuple(raw.get("not_inside", {}).get(lang, ())),
        )
    return out


def guess_language(words: Sequence[str]) -> str:
    """``en`` when English function words outnumber German ones, else ``de`` (the training language)."""
    de = sum(w in _DE_HINTS for w in words)
    en = sum(w in _EN_HINTS for w in words)
    return "en" if en > de else "de"


# --------------------------------------------------------------------------------------------- features


def tokenize(sentence: str) -> list[tuple[str, int, int]]:
    """(lowercase token, start, end) for each word or punctuation mark."""
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]


def _clip(sentence: str, start: int, end: int) -> tuple[int, int]:
    n = len(sentence)
    start = min(max(int(start), 0), n)
    end = min(max(int(end), start), n)
    return start, end


def _bucket(distance: int) -> str:
    if distance <= 1:
        return "1"
    if distance <= 3:
        return "3"
    if distance <= _NEAR:
        return "6"
    if distance <= 15:
        return "15"
    return "far"


def features(
    sentence: str, target_start: int, target_end: int, language: str | None = None, *, words: bool = False
) -> dict[str, float]:
    """Sparse features of the target's context; ``words=True`` adds the snippet's words (German-specific)."""
    start, end = _clip(sentence, target_start, target_end)
    # a very long "sentence" (a whole paragraph, a scrape without full stops): only its part near the target
    lo, hi = max(0, start - _MAX_CHARS), min(len(sentence), end + _MAX_CHARS)
    tokens = [t for t in tokenize(sentence[lo:hi]) if t[1] > 0 or lo == 0]  # drop a word cut at the left edge
    tokens = [(t, s + lo, e + lo) for t, s, e in tokens if e + lo < hi or hi == len(sentence)]
    lowered = [t for t, _, _ in tokens]
    lang = language.lower()[:2] if language else ""
    lang = lang if lang in ("de", "en") else guess_language(lowered)
    lexicon = lexicons()[lang]

    # token positions: inside the target, or the signed distance to it (-1: the token just before)
    inside = [s < end and e > start for _, s, e in tokens]
    if start == end:
        inside = [False] * len(tokens)
    first = next((i for i, flag in enumerate(inside) if flag), None)
    last = next((i for i in range(len(tokens) - 1, -1, -1) if inside[i]), None)
    if first is None or last is None:  # empty or unmatched target: its insertion point
        first = sum(1 for _, s, _ in tokens if s < start)
        last = first - 1

    # which sentence (of a snippet of several) each token is in, and the target's
    clause, sentence_no = [], 0
    for tok in lowered:
        clause.append(sentence_no)
        if tok in _SENTENCE_END:
            sentence_no += 1
    target_clause = clause[first] if 0 <= first < len(tokens) else (clause[-1] if clause else 0)

    feats: dict[str, float] = {"bias": 1.0}

    def add(name: str, value: float) -> None:
        feats[name] = feats.get(name, 0.0) + value

    # lexicon, negation, intensifiers
    negated_until = -1
    scale = 1.0
    lex_total = {"pos": 0.0, "neg": 0.0}
    for i, tok in enumerate(lowered):
        if inside[i]:
            continue
        if tok in lexicon.negators or tok.endswith("n't"):
            negated_until = i + 3
            continue
        if tok in lexicon.intensifiers:
            scale = 1.5
            continue
        if tok in lexicon.diminishers:
            scale = 0.5
            continue
        pol = lexicon.polarity(tok)
        if pol:
            negated = i <= negated_until or (
                i + 1 < len(lowered) and lowered[i + 1] in lexicon.negators and not inside[i + 1]
            )
            if negated:
                pol = -pol
            distance = first - i if i < first else i - last
            side = "L" if i < first else "R"
            same = clause[i] == target_clause
            weight = scale / (1.0 + distance / 4.0) * (1.0 if same else 0.4)
            kind = "pos" if pol > 0 else "neg"
            lex_total[kind] += weight
            add(f"x:{kind}", weight)
            add(f"x:{kind}:{side}{_bucket(distance)}", 1.0 * scale)
            if not same:
                add(f"x:{kind}:other", 1.0)
            if negated:
                add("x:negated", 1.0)
        if tok not in _QUOTES and tok not in (",",):
            scale = 1.0
    add("x:balance", math.tanh(lex_total["pos"] - lex_total["neg"]))
    if not lex_total["pos"] and not lex_total["neg"]:
        add("x:none", 1.0)

    # shape: where the target stands, quotes, question and exclamation marks
    add(f"s:start:{min(first, 4)}", 1.0)
    add(f"s:len:{min(len(tokens) // 15, 4)}", 1.0)
    if any(t in _QUOTES for t in lowered):
        add("s:quote", 1.0)
    if "!" in lowered:
        add("s:!", 1.0)
    if "?" in lowered:
        add("s:?", 1.0)
    if target_clause:
        add("s:later-sentence", 1.0)

    if not words:
        return feats

    # words: unigrams and bigrams of the snippet, sublinear in its length, other sentences weaker
    norm = 1.0 / math.sqrt(max(len(tokens), 1))
    previous = "<s>"
    for i, tok in enumerate(lowered):
        if inside[i]:
            previous = "<t>"
            continue
        weight = norm * (1.0 if clause[i] == target_clause else 0.5)
        add(f"w:{tok}", weight)
        add(f"b:{previous}_{tok}", weight)
        previous = tok
    return feats


# ---------------------------------------------------------------------------------------------- models


@dataclass(frozen=True)
class LinearModel:
    """Softmax regression over named sparse features."""

    index: dict[str, int]
    weights: np.ndarray  # (n_features, n_labels)

    def scores(self, feats: dict[str, float]) -> np.ndarray:
        out = np.zeros(self.weights.shape[1], dtype=np.float64)
        for name, value in feats.items():
            row = self.index.get(name)
            if row is not None:
                out += value * self.weights[row]
        return out

    def proba(self, feats: dict[str, float]) -> np.ndarray:
        z = self.scores(feats)
        z = np.exp(z - z.max())
        return z / z.sum()


@lru_cache(maxsize=1)
def model() -> LinearModel:
    """The shipped model, loaded once per process."""
    path = resources.files("counterpoint.data").joinpath("tone", MODEL_FILE)
    with resources.as_file(path) as file, np.load(file, allow_pickle=False) as data:
        vocab = [str(v) for v in data["vocab"]]
        weights = np.asarray(data["weights"], dtype=np.float64)
    return LinearModel({v: i for i, v in enumerate(vocab)}, weights)


def tone_proba(
    sentence: str, target_start: int, target_end: int, language: str | None = None, sentence_vector: Any = None
) -> dict[str, float]:
    """Probability of each label in ``LABELS`` for the target ``sentence[target_start:target_end]``."""
    del sentence_vector  # accepted for the API; the shipped model does not use embeddings
    probs = model().proba(features(sentence, target_start, target_end, language))
    return {label: float(p) for label, p in zip(LABELS, probs, strict=True)}


def tone(
    sentence: str, target_start: int, target_end: int, language: str | None = None, sentence_vector: Any = None
) -> tuple[str, float]:
    """(label, confidence) of the tone toward ``sentence[target_start:target_end]``.

    ``language``: ISO 639-1 code; ``de`` and ``en`` pick that half of the lexicon, anything else
    (or None) guesses between them from function words. Offsets outside the sentence are clipped; an
    empty sentence, or one without words, is neutral with confidence 1.
    """
    if not any(ch.isalnum() for ch in sentence):
        return "neutral", 1.0
    probs = tone_proba(sentence, target_start, target_end, language, sentence_vector)
    label = max(probs, key=probs.__getitem__)
    return label, probs[label]


def tone_many(
    items: Iterable[tuple[str, int, int]], language: str | None = None, sentence_vectors: Any = None
) -> list[tuple[str, float]]:
    """``tone`` for each (sentence, target_start, target_end); one language (or None) for all."""
    items = list(items)
    vectors = list(sentence_vectors) if sentence_vectors is not None else [None] * len(items)
    return [tone(s, a, b, language, v) for (s, a, b), v in zip(items, vectors, strict=True)]
