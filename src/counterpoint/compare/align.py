"""Which statements of N articles say the same thing.

For every pair of articles we take two similarity matrices of their sentences: the cosine of their
embeddings (meaning, across languages) and the tf-idf cosine of their character n-grams (names,
numbers, rare words; see ``lexical``). Each is turned into z-scores against its own matrix, robustly
(median and MAD, so that the few true pairs do not hide themselves by inflating the spread; cosine
scales differ between models and article pairs, so no fixed cosine threshold carries over). The
embedding z plus ``lexical_weight`` times the lexical z, standardised again the same way, is the
z-score of a sentence pair. A pair is aligned when

- they are mutual nearest neighbours and their z-score is at least ``align_z``, or
- one is the other's nearest neighbour (not mutual: one sentence carries two facts of the other
  article) and the z-score is at least the stricter ``align_z_extra``.

Aligned pairs from all article pairs are joined into groups (connected components); a group that
spans two or more articles is a shared statement, every other sentence a unique one.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np

from ..model import Analysis, Link, Mention, Statement
from .lexical import lexical_vectors

Node = tuple[int, int]  # (article index, sentence index)


def _candidates(analysis: Analysis, min_chars: int) -> list[int]:
    return [i for i, s in enumerate(analysis.sentences) if len(s.text) >= min_chars]


def robust_z(m: np.ndarray) -> np.ndarray:
    """z-scores against the median and the MAD (scaled to match the standard deviation)."""
    med = float(np.median(m))
    spread = 1.4826 * float(np.median(np.abs(m - med)))
    if spread < 1e-9:
        spread = float(m.std())
    if spread < 1e-9:
        return np.zeros_like(m)
    return (m - med) / spread


def pair_z(emb_a: np.ndarray, emb_b: np.ndarray, lex_a: np.ndarray, lex_b: np.ndarray,
           lexical_weight: float) -> tuple[np.ndarray, np.ndarray]:
    """(cosine, z) matrices for the sentences of two articles."""
    cos = emb_a @ emb_b.T
    combined = robust_z(cos)
    if lexical_weight:
        combined = combined + lexical_weight * robust_z(lex_a @ lex_b.T)
    return cos, robust_z(combined)


def align_pair(cos: np.ndarray, z: np.ndarray, z_min: float, z_extra: float
               ) -> list[tuple[int, int, float, float, bool]]:
    """Aligned (row, col, cosine, z, mutual) pairs, given the pair's cosine and z matrices."""
    if z.size < 4:
        return []
    row_best = z.argmax(axis=1)
    col_best = z.argmax(axis=0)
    pairs = []
    for i, j in zip(*np.nonzero(z >= min(z_min, z_extra)), strict=True):
        mutual = bool(row_best[i] == j and col_best[j] == i)
        best_of_one = bool(row_best[i] == j or col_best[j] == i)
        if (mutual and z[i, j] >= z_min) or (best_of_one and z[i, j] >= z_extra):
            pairs.append((int(i), int(j), float(cos[i, j]), float(z[i, j]), mutual))
    return pairs


def align(
    analyses: Sequence[Analysis], *, z_min: float, z_extra: float, min_chars: int, lexical_weight: float
) -> tuple[list[Statement], list[Link]]:
    """Group the sentences of all articles into shared and unique statements."""
    cands = [_candidates(an, min_chars) for an in analyses]
    lex = lexical_vectors([[an.sentences[i].text for i in idx] for an, idx in zip(analyses, cands, strict=True)])
    links: list[Link] = []
    parent: dict[Node, Node] = {}

    def find(x: Node) -> Node:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best_z: dict[Node, float] = {}
    for ai, bi in combinations(range(len(analyses)), 2):
        ea, eb = analyses[ai].embeddings, analyses[bi].embeddings
        if ea is None or eb is None:
            continue
        ca, cb = cands[ai], cands[bi]
        if not ca or not cb:
            continue
        cos_m, z_m = pair_z(ea[ca], eb[cb], lex[ai], lex[bi], lexical_weight)
        for r, c, cos, z, mutual in align_pair(cos_m, z_m, z_min, z_extra):
            na, nb = (ai, ca[r]), (bi, cb[c])
            links.append(Link(a=(analyses[ai].article.id, na[1]), b=(analyses[bi].article.id, nb[1]),
                              cosine=cos, z=z, mutual=mutual))
            parent[find(na)] = find(nb)
            for n in (na, nb):
                best_z[n] = max(best_z.get(n, z), z)

    groups: dict[Node, list[Node]] = {}
    for ai, idxs in enumerate(cands):
        for si in idxs:
            groups.setdefault(find((ai, si)), []).append((ai, si))

    statements: list[Statement] = []
    for members in groups.values():  # dicts keep insertion order: article order, then text order
        members.sort()
        mentions = tuple(
            Mention(article=analyses[ai].article.id, start=s.start, end=s.end, text=s.text, sentence=si)
            for ai, si in members
            for s in (analyses[ai].sentences[si],)
        )
        shared = len({ai for ai, _ in members}) > 1
        score = max(best_z[n] for n in members) if shared else None
        statements.append(
            Statement(id=f"s{len(statements) + 1}", status="shared" if shared else "unique",
                      mentions=mentions, score=score)
        )
    return statements, links
