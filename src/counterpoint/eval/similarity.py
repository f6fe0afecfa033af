"""Evaluate story similarity against human ratings of news article pairs (SemEval-2022 Task 8).

``read_pairs(path)`` reads the CSV (plain or gzipped; columns ``pair_id``, ``lang1``, ``lang2``,
``text1``, ``text2``, ``Overall``; the texts are head and tail of each article, title first).
``evaluate_similarity(path, settings)`` computes ``stories.similarity.story_similarity`` (the cosine of
the document vectors that story clustering uses) for every pair and its Pearson correlation with the
human rating, per language pair (``"de-de"``, ``"de-en"``, ...) and over ``"all"`` pairs.

Sign: ``Overall`` runs from 1 (very similar) to 4 (not similar), so the correlation is taken with
``-Overall``: positive and higher is better.

Split: the vector recipe (``stories.vector``) was tuned on the pairs with ``split_of(pair_id) == 0``
(the SHA-1 of the pair id, even or odd); each figure is also given for that ``tune`` half and for the
``heldout`` half, which nothing was tuned on: the held-out figure is the honest one.

``at_threshold``: how the pairs fare as a same-story decision at ``settings.story_threshold`` (a pair
is the same story when ``Overall <= SAME_STORY``): precision and recall of ``similarity >= threshold``.
Print all of it with ``python -m counterpoint.eval.similarity [path]``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..analyze.embed import Embedder
from ..errors import EvalError
from ..model import Article
from ..settings import Settings
from ..stories.vector import document_vectors, story_embedder
from .files import text_lines

SAME_STORY = 1.5  # a pair rated at most this (1 = very similar) counts as one story
COLUMNS = ("pair_id", "lang1", "lang2", "text1", "text2", "Overall")
HALVES = {"tune": 0, "heldout": 1}
DEFAULT_PATH = "../shared/data/semeval2022-similarity/pairs-dev.csv.gz"


@dataclass(frozen=True)
class Pair:
    """Two articles and their human rating (``overall``: 1 very similar ... 4 not similar)."""

    id: str
    a: Article
    b: Article
    overall: float

    @property
    def languages(self) -> str:
        return f"{self.a.language}-{self.b.language}"


def split_of(pair_id: str) -> int:
    """0 for the half the vector recipe was tuned on, 1 for the held-out half (stable: a SHA-1)."""
    return int(hashlib.sha1(pair_id.encode("utf-8")).hexdigest()[:8], 16) % 2


def _pair(row: dict[str, str]) -> Pair:
    pair_id = row["pair_id"]
    ids = pair_id.split("_", 1) if "_" in pair_id else [f"{pair_id}a", f"{pair_id}b"]
    a = Article(id=ids[0], text=row["text1"].strip(), language=row["lang1"])
    b = Article(id=ids[1], text=row["text2"].strip(), language=row["lang2"])
    return Pair(pair_id, a, b, float(row["Overall"]))


def _read_rows(reader: csv.DictReader[str], path: Path) -> list[Pair]:
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise EvalError(f"not a SemEval-2022 pairs file (no column {', '.join(missing)})", source=str(path))
    pairs = []
    for number, row in enumerate(reader, start=2):
        try:
            pairs.append(_pair(row))
        except (TypeError, ValueError, AttributeError):
            raise EvalError(f"line {number}: not a rated pair", source=str(path)) from None
    return pairs


def read_pairs(path: str | Path) -> list[Pair]:
    """The rated pairs of a SemEval-2022 Task 8 CSV file; ``EvalError`` when it is missing or malformed."""
    path = Path(path)
    lines = list(text_lines(path, "CSV"))  # read to the end, so the file is closed whatever follows
    try:
        pairs = _read_rows(csv.DictReader(lines), path)
    except csv.Error as err:
        raise EvalError(f"not a readable CSV file ({err})", source=str(path)) from None
    if not pairs:
        raise EvalError("no pairs in the file", source=str(path))
    return pairs


def pair_similarities(pairs: Sequence[Pair], embedder: Embedder) -> np.ndarray:
    """``story_similarity`` of every pair, with all texts embedded in one batch."""
    vectors = document_vectors([article for p in pairs for article in (p.a, p.b)], embedder)
    return np.einsum("ij,ij->i", vectors[0::2], vectors[1::2]).astype(np.float64)


def pearson(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float | None:
    """Pearson's r, rounded to 4 places; None for fewer than 3 values or a constant series."""
    xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if len(xs) < 3 or xs.std() == 0 or ys.std() == 0:
        return None
    return round(float(np.corrcoef(xs, ys)[0, 1]), 4)


def _decisions(similarity: np.ndarray, overall: np.ndarray, threshold: float) -> dict[str, Any]:
    same, predicted = overall <= SAME_STORY, similarity >= threshold
    hits = int((same & predicted).sum())
    return {
        "threshold": threshold,
        "same_story_pairs": int(same.sum()),
        "precision": round(hits / predicted.sum(), 4) if predicted.any() else None,
        "recall": round(hits / same.sum(), 4) if same.any() else None,
    }


def _figures(similarity: np.ndarray, overall: np.ndarray, halves: np.ndarray, threshold: float) -> dict[str, Any]:
    figures: dict[str, Any] = {"n": len(overall), "pearson": pearson(similarity, -overall)}
    for name, half in HALVES.items():
        mask = halves == half
        figures[name] = {"n": int(mask.sum()), "pearson": pearson(similarity[mask], -overall[mask])}
    figures["at_threshold"] = _decisions(similarity, overall, threshold)
    return figures


def evaluate_similarity(
    path: str | Path,
    settings: Settings | None = None,
    *,
    languages: Collection[str] | None = None,
    embedder: Embedder | None = None,
) -> dict[str, Any]:
    """Pearson of story similarity with ``-Overall`` per language pair and over ``all``, each with halves.

    ``languages`` keeps only those language pairs (``{"de-de", "de-en"}``); ``embedder`` replaces the
    story embedder (to compare another encoder; clustering always uses ``story_embedder()``).
    """
    settings = settings or Settings()
    pairs = read_pairs(path)
    if languages is not None:
        pairs = [p for p in pairs if p.languages in languages]
        if not pairs:
            raise EvalError(f"no pairs in the languages {', '.join(sorted(languages))}", source=str(path))
    similarity = pair_similarities(pairs, embedder or story_embedder())
    overall = np.array([p.overall for p in pairs])
    halves = np.array([split_of(p.id) for p in pairs])
    groups = np.array([p.languages for p in pairs])
    result = {}
    for group in sorted(set(groups), key=lambda g: (-int((groups == g).sum()), g)):
        mask = groups == group
        result[group] = _figures(similarity[mask], overall[mask], halves[mask], settings.story_threshold)
    result["all"] = _figures(similarity, overall, halves, settings.story_threshold)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m counterpoint.eval.similarity",
                                     description=(__doc__ or "").splitlines()[0])
    parser.add_argument("path", nargs="?", default=DEFAULT_PATH)
    parser.add_argument("--languages", help="comma-separated language pairs to keep, e.g. de-de,de-en")
    args = parser.parse_args(argv)
    languages = set(args.languages.split(",")) if args.languages else None
    try:
        figures = evaluate_similarity(args.path, Settings(), languages=languages)
    except EvalError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
