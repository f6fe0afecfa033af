"""The per-article work of ingest, as one pure function of a batch: the same on every engine.

``Processor(settings)`` is cheap and picklable (models load lazily, once per process), so the
in-process, multiprocessing and Ray runners all ship the same object and get the same results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from ..analyze.embed import USEEmbedder
from ..analyze.language import LangidDetector
from ..analyze.pipeline import Pipeline, default_component_names
from ..model import Analysis, Article, Processed
from ..registry import create
from ..settings import Settings
from ..sources.records import Failure, to_failure
from ..stories.cluster import utc_time
from ..stories.fingerprint import canonical_url, content_hash, signature
from ..stories.vector import document_vectors


class Processor:
    """Articles -> ``Processed`` (or a failure each): language over every language py3langid knows (so
    others can be marked), sentences, entities, quotes and claims, fingerprints, and the document vector
    of the fast embedder (USE) for articles in ``Settings.story_languages``. No sentence embeddings:
    those are computed when a story is compared."""

    def __init__(self, settings: Settings, threads: int = 2) -> None:
        self.settings = settings
        self.threads = threads  # of the embedder: 1 when each core runs its own Processor
        self._pipeline: Pipeline | None = None
        self._embedder: USEEmbedder | None = None

    def __getstate__(self) -> dict[str, object]:
        return {"settings": self.settings, "threads": self.threads}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["settings"], state["threads"])  # type: ignore[misc]

    def _parts(self) -> tuple[Pipeline, USEEmbedder]:
        if self._pipeline is None or self._embedder is None:
            names = [n for n in default_component_names(self.settings)[1:] if not n.startswith("embed.")]
            self._pipeline = Pipeline([LangidDetector(()), *(create(n, self.settings) for n in names)])
            self._embedder = USEEmbedder(self.threads)
        return self._pipeline, self._embedder

    def __call__(self, articles: Sequence[Article]) -> list[Processed | Failure]:
        """One result per article, in order: ``Processed``, or a failure ``{"source", "reason"}``."""
        pipeline, embedder = self._parts()
        results: list[Analysis | Failure] = []
        for article in articles:
            try:
                results.append(pipeline(article))
            except Exception as exc:  # one article must not sink the batch; unexpected errors are logged
                results.append(to_failure(exc, article.source or article.id))
        clustered = [r for r in results if isinstance(r, Analysis) and self._clusters(r)]
        vectors = document_vectors([a.article for a in clustered], embedder) if clustered else None
        row = {id(a): i for i, a in enumerate(clustered)}
        return [r if isinstance(r, dict) else self._processed(r, vectors, row.get(id(r))) for r in results]

    def _clusters(self, analysis: Analysis) -> bool:
        return analysis.language in self.settings.story_languages and bool(analysis.sentences)

    def _processed(self, analysis: Analysis, vectors: np.ndarray | None, row: int | None) -> Processed:
        art = analysis.article
        return Processed(
            analysis=dataclasses.replace(analysis, embeddings=None),
            content_hash=content_hash(art.text),
            canonical_url=canonical_url(art.url),
            clustered=row is not None,
            time=utc_time(art.published) or utc_time(art.retrieved) or "",
            vector=None if row is None or vectors is None else vectors[row],
            signature=signature(art.text, self.settings.minhash_perm),
        )
