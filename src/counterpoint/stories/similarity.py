"""How alike two articles are as reports of one story: the cosine of their document vectors.

This is the similarity story clustering uses (an article joins a story when the cosine between its
document vector and the story's centroid reaches ``Settings.story_threshold``), exposed for a pair of
articles so that it can be measured against human ratings (``counterpoint.eval.similarity``).
"""

from __future__ import annotations

from ..analyze.embed import Embedder
from ..model import Article
from .vector import document_vectors


def story_similarity(a: Article, b: Article, embedder: Embedder) -> float:
    """Cosine (-1 to 1) between the document vectors of ``a`` and ``b``; higher is more alike."""
    vectors = document_vectors([a, b], embedder)
    return float(vectors[0] @ vectors[1])
