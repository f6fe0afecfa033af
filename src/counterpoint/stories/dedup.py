"""Near-duplicates: agency copies and syndicated articles with small edits, found by MinHash LSH.

``DuplicateIndex`` holds the MinHash signatures (``fingerprint.signature``: word 5-gram shingles) of the
articles stored so far in an LSH index (``BandIndex``) at ``Settings.duplicate_threshold``. ``add`` asks
the LSH for candidates, keeps those whose estimated Jaccard similarity (the share of equal MinHash
values) reaches the threshold, answers the most similar one (the earliest on a tie), and indexes the
new article either way, so that a copy of a copy is found too.

Threshold (``duplicate_threshold``, 0.6): copies of German news articles (quotes-de, about 210 words)
with another headline line, another byline and credit, and one paragraph dropped were found through
this index in 73 % of cases at 0.6 and 24 % at 0.8 (the 102 documents of dev.jsonl.gz; the value was
picked on train.jsonl.gz); a changed headline or byline alone was found at both. Of 900 SemEval pairs
of different articles in one language, 4 were flagged at 0.6 (3 at 0.8), all scraped cookie or paywall
pages with no article text; separately written reports of one event mostly stay below 0.3.

Cost and memory: the LSH is ``BandIndex``: one sorted numpy array of 8-byte band keys with 4-byte rows
(datasketch's ``MinHashLSH``, used before, kept a Python set per bucket: about 8.5 KB per article), and
the signatures for the Jaccard check as uint32 rows of one growing array; the bands and rows per band
are the ones datasketch chooses for the threshold and weights. ``benchmarks/bench_dedup.py`` measures
the time per ``add`` and the memory per article.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from datasketch import MinHashLSH

from ..settings import Settings

_MAX_VALUE = np.uint64(0xFFFFFFFF)
# LSH parameters weighted towards recall (false positive, false negative): every candidate is verified
# by its estimated Jaccard anyway. At 0.6 and 128 values this gives 23 bands of 5 values, which offer a
# pair at Jaccard 0.6 as a candidate with probability 0.84 (0.40 with datasketch's default weights).
LSH_WEIGHTS = (0.2, 0.8)


MERGE_EVERY = 4096  # signatures buffered before their band keys are merged into the sorted arrays


class BandIndex:
    """LSH over MinHash signatures: rows that agree on every value of at least one band are candidates.

    A band's key is a multiply-xor hash of its ``r`` values and its band number (64 bits, wrapping; a rare
    collision only adds a candidate, which the Jaccard check removes). The keys of all bands live in one
    sorted uint64 array beside the uint32 rows they belong to, so a query is two vectorised binary
    searches; new keys wait in a dict until ``MERGE_EVERY`` signatures have gathered, and are then inserted
    in one pass.
    """

    def __init__(self, bands: int, rows_per_band: int) -> None:
        self.bands, self.r = bands, rows_per_band
        rng = np.random.default_rng(20240620)
        self._multipliers = rng.integers(1, 2**63, size=rows_per_band, dtype=np.uint64) | np.uint64(1)
        self._salts = rng.integers(0, 2**63, size=bands, dtype=np.uint64)  # one per band
        self._keys = np.zeros(0, dtype=np.uint64)
        self._rows = np.zeros(0, dtype=np.uint32)
        self._pending: dict[int, list[int]] = {}
        self._pending_rows = 0

    def keys(self, values: np.ndarray) -> np.ndarray:
        """The band keys of one signature (``bands`` uint64, distinct per band)."""
        used = values[: self.bands * self.r].astype(np.uint64).reshape(self.bands, self.r)
        with np.errstate(over="ignore"):
            mixed = (used * self._multipliers + self._salts[:, None]) * np.uint64(0x9E3779B97F4A7C15)
            return np.bitwise_xor.reduce(mixed ^ (mixed >> np.uint64(29)), axis=1)

    def insert(self, row: int, values: np.ndarray) -> None:
        for key in self.keys(values).tolist():
            self._pending.setdefault(key, []).append(row)
        self._pending_rows += 1
        if self._pending_rows >= MERGE_EVERY:
            self._merge()

    def query(self, values: np.ndarray) -> set[int]:
        """The rows that share at least one band with ``values``."""
        keys = self.keys(values)
        lo = np.searchsorted(self._keys, keys, side="left")
        hi = np.searchsorted(self._keys, keys, side="right")
        found: set[int] = set()
        for a, b in zip(lo[hi > lo].tolist(), hi[hi > lo].tolist(), strict=True):
            found.update(self._rows[a:b].tolist())
        if self._pending:
            for key in keys.tolist():
                found.update(self._pending.get(key, ()))
        return found

    def _merge(self) -> None:
        if self._pending:
            keys = np.fromiter((k for k, rows in self._pending.items() for _ in rows), dtype=np.uint64)
            rows = np.fromiter((r for rs in self._pending.values() for r in rs), dtype=np.uint32)
            order = np.argsort(keys, kind="stable")
            keys, rows = keys[order], rows[order]
            at = np.searchsorted(self._keys, keys, side="right")
            self._keys, self._rows = np.insert(self._keys, at, keys), np.insert(self._rows, at, rows)
        self._pending, self._pending_rows = {}, 0

    def nbytes(self) -> int:
        """Bytes held by the sorted arrays (the buffered dict not counted)."""
        return int(self._keys.nbytes + self._rows.nbytes)


class DuplicateIndex:
    """Online near-duplicate detection over MinHash signatures."""

    def __init__(self, threshold: float, num_perm: int) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"duplicate threshold must be in (0, 1], not {threshold!r}")
        self.threshold = threshold
        self.num_perm = num_perm
        shape = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)  # its bands and rows
        self._lsh = BandIndex(shape.b, shape.r)
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._signatures = np.zeros((0, num_perm), dtype=np.uint32)

    @classmethod
    def from_settings(cls, settings: Settings) -> DuplicateIndex:
        """An empty index at ``settings.duplicate_threshold`` with ``settings.minhash_perm`` values."""
        return cls(settings.duplicate_threshold, settings.minhash_perm)

    @classmethod
    def from_signatures(cls, items: Iterable[tuple[str, np.ndarray | None]], settings: Settings) -> DuplicateIndex:
        """The index over stored ``(article id, signature)`` pairs (at start-up); ``None`` signatures are skipped."""
        index = cls.from_settings(settings)
        for article_id, values in items:
            if values is not None and article_id not in index._rows:
                index._insert(article_id, index._checked(values))
        return index

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._rows

    def add(self, article_id: str, signature: np.ndarray | None) -> str | None:
        """Index ``article_id``; answer the id of the earlier article it near-duplicates, or None.

        An article without a signature (no words) is neither a duplicate nor indexed; an id that is
        already indexed is answered as before and not indexed twice.
        """
        if signature is None:
            return None
        values = self._checked(signature)
        original = self.find(values, exclude=article_id)
        if article_id not in self._rows:
            self._insert(article_id, values)
        return original

    def find(self, signature: np.ndarray, exclude: str | None = None) -> str | None:
        """The indexed article most similar to ``signature`` at or above the threshold, without indexing it."""
        values = self._checked(signature)
        rows = self._candidate_rows(values, skip=self._rows.get(exclude) if exclude is not None else None)
        if not rows:
            return None
        similarity = (self._signatures[rows] == values).mean(axis=1)
        best = int(np.argmax(similarity))  # rows are in insertion order: the earliest wins a tie
        return self._ids[rows[best]] if similarity[best] >= self.threshold else None

    def similarity(self, a: str, b: str) -> float:
        """Estimated Jaccard similarity of two indexed articles (the share of equal MinHash values)."""
        return float((self._signatures[self._rows[a]] == self._signatures[self._rows[b]]).mean())

    def _candidate_rows(self, values: np.ndarray, skip: int | None) -> list[int]:
        """Rows that share an LSH band with ``values``, in insertion order, without ``skip``."""
        if not self._ids:
            return []
        return sorted(row for row in self._lsh.query(values) if row != skip)

    def _checked(self, signature: np.ndarray) -> np.ndarray:
        values = np.asarray(signature)
        if values.shape != (self.num_perm,):
            raise ValueError(f"a signature has {self.num_perm} values (minhash_perm), not shape {values.shape}")
        if values.size and values.max() > _MAX_VALUE:
            raise ValueError("signature values above 2**32: not made by fingerprint.signature (affine32)")
        return values.astype(np.uint32)

    def _insert(self, article_id: str, values: np.ndarray) -> None:
        row = len(self._ids)
        if row == len(self._signatures):
            grown = np.zeros((max(64, 2 * row), self.num_perm), dtype=np.uint32)
            grown[:row] = self._signatures
            self._signatures = grown
        self._signatures[row] = values
        self._ids.append(article_id)
        self._rows[article_id] = row
        self._lsh.insert(row, values)
