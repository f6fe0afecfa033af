"""Alignment on hand-built embeddings: mutual nearest neighbours, one-to-many, grouping N-way."""

from __future__ import annotations

import numpy as np

from counterpoint.compare.align import align, align_pair, robust_z
from counterpoint.model import Analysis, Article, Sentence


def _analysis(aid: str, texts: list[str], vecs: np.ndarray) -> Analysis:
    text = "\n".join(texts)
    sents, pos = [], 0
    for k, t in enumerate(texts):
        sents.append(Sentence(pos, pos + len(t), t, k))
        pos += len(t) + 1
    vecs = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
    return Analysis(article=Article(id=aid, text=text), language="en", sentences=tuple(sents),
                    embeddings=vecs.astype(np.float32))


def _basis(dim: int, k: int) -> np.ndarray:
    v = np.zeros(dim)
    v[k] = 1.0
    return v


def test_robust_z_is_not_hidden_by_its_own_outliers():
    m = np.zeros((6, 6)) + np.random.default_rng(0).normal(0, 0.01, (6, 6))
    m[0, 0] = m[1, 1] = m[2, 2] = 1.0
    z = robust_z(m)
    # three true pairs in 36 cells: a mean/std z-score would cap them near 2.3; the robust one does not
    assert z[0, 0] > 20 and z[3, 4] < 4


def test_mutual_pairs_only_unless_strong():
    cos = np.array([[0.9, 0.1, 0.1], [0.1, 0.2, 0.8], [0.1, 0.85, 0.1]])
    z = robust_z(cos)
    pairs = align_pair(cos, z, z_min=2.0, z_extra=100.0)
    assert {(i, j) for i, j, *_ in pairs} == {(0, 0), (1, 2), (2, 1)}
    assert all(mutual for *_, mutual in pairs)


def test_one_sentence_carries_two_facts():
    # a[0] says what b[0] and b[1] say; b[1]'s best match is a[0] but a[0]'s best is b[0]
    cos = np.array([[0.90, 0.85, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]) + 0.01
    z = robust_z(cos)
    strict = align_pair(cos, z, z_min=2.0, z_extra=1e9)
    loose = align_pair(cos, z, z_min=2.0, z_extra=2.0)
    assert {(i, j) for i, j, *_ in strict} == {(0, 0)}
    assert {(i, j) for i, j, *_ in loose} == {(0, 0), (0, 1)}


def test_three_articles_group_into_statements_with_status():
    dim = 12
    texts = [f"sentence number {k} with enough characters" for k in range(6)]
    # facts 0, 1: in all three; fact 2: only in a and c; the rest unique
    a = _analysis("a", texts[:5], np.stack([_basis(dim, k) for k in (0, 1, 2, 3, 4)]))
    b = _analysis("b", texts[:5], np.stack([_basis(dim, k) for k in (0, 1, 5, 6, 7)]))
    c = _analysis("c", texts[:5], np.stack([_basis(dim, k) for k in (0, 1, 2, 8, 9)]))
    statements, links = align([a, b, c], z_min=3.0, z_extra=3.0, min_chars=10, lexical_weight=0.0)
    shared = [s for s in statements if s.status == "shared"]
    assert sorted(s.articles for s in shared) == [("a", "b", "c"), ("a", "b", "c"), ("a", "c")]
    unique = [s for s in statements if s.status == "unique"]
    assert len(unique) == 2 + 3 + 2
    assert all(s.score is None for s in unique) and all(s.score > 3 for s in shared)
    assert len({s.id for s in statements}) == len(statements)
    # every sentence appears in exactly one statement
    seen = [(m.article, m.sentence) for s in statements for m in s.mentions]
    assert len(seen) == len(set(seen)) == 15
    assert links and all(link.z >= 3.0 for link in links)


def test_short_sentences_are_not_statements():
    a = _analysis("a", ["ok.", "a long enough sentence here"], np.eye(2))
    b = _analysis("b", ["ok.", "a long enough sentence here"], np.eye(2))
    statements, _ = align([a, b], z_min=0.0, z_extra=0.0, min_chars=10, lexical_weight=0.0)
    assert all(m.text != "ok." for s in statements for m in s.mentions)
