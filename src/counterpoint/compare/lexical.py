"""Surface overlap between sentences: tf-idf cosine over character 4-grams of words.

Embeddings miss what the words themselves share: names, numbers, rare compounds
("Sicherheitsarchitektur"). Character 4-grams of lower-cased, accent-stripped words survive German
inflection and compounding and spelling variants ("Tô Lâm" / "To Lam"). The idf is computed over the
sentences of the story, and only n-grams that occur in at least two articles are kept as columns (an
n-gram of one article cannot add to a cross-article similarity), so the matrices stay small.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\w+")
N = 4


def _grams(text: str) -> Counter[str]:
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    grams: Counter[str] = Counter()
    for word in _WORD.findall(plain):
        padded = f" {word} "
        grams.update(padded[i : i + N] for i in range(max(1, len(padded) - N + 1)))
    return grams


def lexical_vectors(sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """For each article (a list of sentence texts): L2-normalised tf-idf rows over shared n-grams."""
    counts = [[_grams(s) for s in article] for article in sentences]
    df: Counter[str] = Counter()
    articles_with: Counter[str] = Counter()
    for article in counts:
        seen: set[str] = set()
        for grams in article:
            df.update(grams.keys())
            seen.update(grams.keys())
        articles_with.update(seen)
    n_docs = sum(len(a) for a in counts)
    idf = {g: math.log((n_docs + 1) / (d + 1)) + 1.0 for g, d in df.items()}
    vocab = {g: k for k, g in enumerate(sorted(g for g, n in articles_with.items() if n > 1))}
    out = []
    for article in counts:
        mat = np.zeros((len(article), max(len(vocab), 1)), dtype=np.float32)
        for row, grams in enumerate(article):
            weights = {g: (1.0 + math.log(c)) * idf[g] for g, c in grams.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for g, w in weights.items():
                col = vocab.get(g)
                if col is not None:
                    mat[row, col] = w / norm
        out.append(mat)
    return out
