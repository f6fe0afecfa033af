"""A name tagger: multilingual-e5-small fine-tuned on GermEval 2014, run in numpy.

The model's own embeddings (and its layers below ``start``, if any: the shipped tagger has ``start`` 0, all
twelve layers tuned) run as in ``counterpoint.analyze.encoder``; the fine-tuned layers from ``start`` on
and a linear layer over each word's first piece give every word a score for each BIO
label (``O``, ``B-PER``, ``I-PER``, … over PER, ORG, LOC, OTH); the tags are the best sequence in which
every ``I-X`` follows a ``B-X`` or an ``I-X``. ``scripts/finetune_ner.py`` trains it (torch, not a
dependency at run time) and writes ``data/ner/tagger-e5.npz``: the tuned matrices as int8 with a scale per
output column, the rest float32.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AnalyzeError
from .encoder import TunedLayers, word_encoder

MATRICES = ("qkv", "out", "up", "down")
NORMS = ("norm1", "norm2")


def quantize(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(in, out)`` float -> int8 and one float32 scale per output column (symmetric, round to nearest)."""
    scale = np.abs(matrix).max(axis=0) / 127.0
    scale[scale == 0] = 1.0
    return np.round(matrix / scale).astype(np.int8), scale.astype(np.float32)


def save_tagger(path: Path, start: int, labels: Sequence[str], layers: Sequence[dict[str, Any]],
                head: np.ndarray, head_b: np.ndarray) -> None:
    """Write a tagger file: the tuned layers (``WordEncoder._layer``'s keys) and the label layer."""
    arrays: dict[str, Any] = {"start": np.array(start), "labels": np.array(list(labels)),
                                     "head": np.asarray(head, np.float32), "head_b": np.asarray(head_b, np.float32)}
    for j, layer in enumerate(layers):
        for name in MATRICES:
            arrays[f"{j}.{name}"], arrays[f"{j}.{name}.scale"] = quantize(np.asarray(layer[name], np.float32))
            arrays[f"{j}.{name}_b"] = np.asarray(layer[name + "_b"], np.float32)
        for name in NORMS:
            arrays[f"{j}.{name}.w"] = np.asarray(layer[name][0], np.float32)
            arrays[f"{j}.{name}.b"] = np.asarray(layer[name][1], np.float32)
    np.savez_compressed(path, **arrays)


class E5Tagger:
    """BIO tags for sentences of words from the fine-tuned encoder (``tag``)."""

    def __init__(self, path: Path) -> None:
        try:
            with np.load(path) as data:
                arrays = {k: data[k] for k in data.files}
        except (OSError, ValueError) as exc:
            raise AnalyzeError(f"cannot read the tagger model {path}: {exc}") from exc
        try:
            self.labels = [str(label) for label in arrays["labels"]]
            count = 1 + max(int(k.split(".")[0]) for k in arrays if k[0].isdigit())
            layers = []
            for j in range(count):
                layer: dict[str, Any] = {}
                for name in MATRICES:
                    layer[name] = arrays[f"{j}.{name}"].astype(np.float32) * arrays[f"{j}.{name}.scale"]
                    layer[name + "_b"] = arrays[f"{j}.{name}_b"]
                for name in NORMS:
                    layer[name] = (arrays[f"{j}.{name}.w"], arrays[f"{j}.{name}.b"])
                layers.append(layer)
            self.tuned = TunedLayers(int(arrays["start"]), tuple(layers))
            self.head, self.head_b = arrays["head"], arrays["head_b"]
        except (KeyError, ValueError) as exc:
            raise AnalyzeError(f"{path} is not a tagger model (missing {exc})") from exc
        inside = [label.startswith("I-") for label in self.labels]
        # an I-X may follow only B-X or I-X; no sequence starts with I-
        allowed = np.array([[not inside[j] or (self.labels[i] != "O" and self.labels[i][2:] == self.labels[j][2:])
                             for j in range(len(self.labels))] for i in range(len(self.labels))])
        self._transitions = np.where(allowed, 0.0, -np.inf)
        self._first = np.where(inside, -np.inf, 0.0)

    def scores(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence, each word's log-probabilities of the labels, ``(len(words), len(labels))``."""
        vectors = word_encoder().encode(sentences, tuned=self.tuned)
        out = []
        for v in vectors:
            logits = v @ self.head + self.head_b
            logits -= logits.max(axis=1, keepdims=True)
            out.append(logits - np.log(np.exp(logits).sum(axis=1, keepdims=True)))
        return out

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags of each sentence's words."""
        return [self._viterbi(s) if len(s) else [] for s in self.scores(sentences)]

    def _viterbi(self, scores: np.ndarray) -> list[str]:
        best = self._first + scores[0]
        back = np.zeros(scores.shape, dtype=np.intp)
        for t in range(1, len(scores)):
            candidates = best[:, None] + self._transitions
            back[t] = candidates.argmax(axis=0)
            best = candidates.max(axis=0) + scores[t]
        path = [int(best.argmax())]
        for t in range(len(scores) - 1, 0, -1):
            path.append(int(back[t, path[-1]]))
        return [self.labels[k] for k in reversed(path)]

