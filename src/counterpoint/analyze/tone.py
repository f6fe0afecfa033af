"""Tone toward a target (an actor or a topic) in one news sentence: positive, neutral or negative.

``tone(sentence, target_start, target_end)`` reads the words around the target (the target itself
masked), weighs them by their distance to it, and scores them with a linear model (softmax
regression, numpy only) trained on the German GerNTSA news sentences (CC BY 4.0; see
``scripts/train_tone.py``). Two models ship in ``counterpoint/data/tone/tone.npz``:

- ``words``: word unigrams and bigrams of the snippet (the target masked), plus the lexicon features
  below. Used for German. (Words by side and distance and character 4-grams near the target were
  tried and did not help in cross-validation on the training part.)
- ``lexicon``: only language-independent features: hits of a hand-written polarity lexicon
  (``lexicon.json``, German and English) by side and distance to the target, flipped after a
  negator, scaled by intensifiers and diminishers, and a few shape features (quotes, question and
  exclamation marks, where the target stands). Used for English and any other language, since no
  English training data exists; its German held-out figure is what English can hope for at best.

Both are loaded lazily, once per process. Scoring takes about 0.1 ms per target.
``sentence_vector`` is accepted for a future model over sentence embeddings; measured on GerNTSA, the
USE embeddings of the sentence and of a window around the target did not improve held-out macro-F1
(see the training script), so the shipped models ignore it.
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
_QUOTES = frozenset('"„“”«»‚‘’\'')
_DE_HINTS = frozenset(
    ["der", "die", "das", "und", "ist", "nicht", "mit", "den", "ein", "eine", "von", "sich", "auf", "für", "dem", "des", "im", "wird", "hat", "sind", "war", "auch", "nach", "bei"]
)
_EN_HINTS = frozenset(["the", "and", "is", "of", "to", "in", "that", "with", "for", "was", "has", "are", "it", "by", "on", "not", "be", "have", "this", "from", "at", "were"])
_NEAR = 6  # tokens each side that count as near the target


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

    def matches(self, word: str) -> bool:
        return (
            word in self.exact
            or word.startswith(self.prefixes)
            or (len(word) > 8 and any(stem in word for stem in self.infixes))
        )


@dataclass(frozen=True)
class Lexicon:
    """One language's polarity lexicon: positive and negative entries, negators, intensifiers, diminishers."""

    positive: _Polarity
    negative: _Polarity
    negators: frozenset[str]
    intensifiers: frozenset[str]
    diminishers: frozenset[str]

    def polarity(self, word: str) -> int:
        """+1, -1 or 0 for a lowercase word; a word in both lists counts as neither."""
        return _polarity(self, word)


@lru_cache(maxsize=200_000)
def _polarity(lexicon: Lexicon, word: str) -> int:
    if len(word) < 2 or not word[0].isalpha():
        return 0
    pos, neg = lexicon.positive.matches(word), lexicon.negative.matches(word)
    return int(pos) - int(neg)


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
    sentence: str, target_start: int, target_end: int, language: str | None = None, *, words: bool = True
) -> dict[str, float]:
    """Sparse features of the target's context; ``words=False`` keeps only language-independent ones."""
    start, end = _clip(sentence, target_start, target_end)
    tokens = tokenize(sentence)
    lowered = [t for t, _, _ in tokens]
    lang = language if language in ("de", "en") else guess_language(lowered)
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
    weights: np.ndarray  # (n_features, n_labels) float32
    words: bool

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
def models() -> dict[str, LinearModel]:
    """The shipped ``words`` and ``lexicon`` models, loaded once per process."""
    path = resources.files("counterpoint.data").joinpath("tone", MODEL_FILE)
    with resources.as_file(path) as file, np.load(file, allow_pickle=False) as data:
        out = {}
        for name in ("words", "lexicon"):
            vocab = [str(v) for v in data[f"{name}_vocab"]]
            weights = np.asarray(data[f"{name}_weights"], dtype=np.float32)
            out[name] = LinearModel({v: i for i, v in enumerate(vocab)}, weights, words=name == "words")
    return out


def _model_for(language: str | None, sentence: str) -> tuple[LinearModel, str]:
    lang = language.lower()[:2] if language else guess_language([t for t, _, _ in tokenize(sentence)])
    chosen = models()["words" if lang == "de" else "lexicon"]
    return chosen, lang


def tone_proba(
    sentence: str, target_start: int, target_end: int, language: str | None = None, sentence_vector: Any = None
) -> dict[str, float]:
    """Probability of each label in ``LABELS`` for the target ``sentence[target_start:target_end]``."""
    del sentence_vector  # accepted for the API; the shipped models do not use embeddings
    model, lang = _model_for(language, sentence)
    probs = model.proba(features(sentence, target_start, target_end, lang, words=model.words))
    return {label: float(p) for label, p in zip(LABELS, probs, strict=True)}


def tone(
    sentence: str, target_start: int, target_end: int, language: str | None = None, sentence_vector: Any = None
) -> tuple[str, float]:
    """(label, confidence) of the tone toward ``sentence[target_start:target_end]``.

    ``language`` is an ISO 639-1 code (``de`` uses the word model, anything else the lexicon model);
    None guesses German or English from function words. Offsets outside the sentence are clipped; an
    empty sentence is neutral.
    """
    if not sentence.strip():
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
