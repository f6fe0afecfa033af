"""Which statements of N articles say the same thing.

For every pair of articles we take the cosine similarity matrix of their sentence embeddings and turn
it into z-scores against that matrix's own mean and standard deviation (cosine scales differ between
models and between article pairs; a fixed cosine threshold does not carry over). A pair of sentences
is aligned when

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

Node = tuple[int, int]  # (article index, sentence index)


def _candidates(analysis: Analysis, min_chars: int) -> list[int]:
    return [i for i, s in enumerate(analysis.sentences) if len(s.text) >= min_chars]


def align_pair(
    a: np.ndarray, b: np.ndarray, z_min: float, z_extra: float
) -> list[tuple[int, int, float, float, bool]]:
    """Aligned (row, col, cosine, z, mutual) pairs between two embedding matrices."""
    if len(a) == 0 or len(b) == 0:
        return []
    sims = a @ b.T
    std = float(sims.std())
    if sims.size < 4 or std < 1e-6:
        return []
    z = (sims - float(sims.mean())) / std
    row_best = sims.argmax(axis=1)
    col_best = sims.argmax(axis=0)
    pairs = []
    for i, j in zip(*np.nonzero(z >= min(z_min, z_extra)), strict=True):
        mutual = bool(row_best[i] == j and col_best[j] == i)
        best_of_one = bool(row_best[i] == j or col_best[j] == i)
        if (mutual and z[i, j] >= z_min) or (best_of_one and z[i, j] >= z_extra):
            pairs.append((int(i), int(j), float(sims[i, j]), float(z[i, j]), mutual))
    return pairs


def align(
    analyses: Sequence[Analysis], *, z_min: float, z_extra: float, min_chars: int
) -> tuple[list[Statement], list[Link]]:
    """Group the sentences of all articles into shared and unique statements."""
    cands = [_candidates(an, min_chars) for an in analyses]
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
        for r, c, cos, z, mutual in align_pair(ea[ca], eb[cb], z_min, z_extra):
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

    statements = []
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
