"""Evaluate online story clustering with B-cubed precision, recall and F1 on a labelled set we build.

The labelled set (``labelled_set(shared, split)``), from the data beside the checkout (``../shared``):

- AllSides triplets (``data/allsides-triplets/{train,val}.source.gz``): one story a line, told by a
  left, a centre and a right outlet (title and lead each, English): a gold story of three articles.
  Many lines are about the same subjects (several coronavirus-testing stories), which makes them hard
  negatives for each other;
- the German SemEval-2022 pairs rated ``Overall <= SAME_STORY`` (``de-de``, and ``de-en`` for the
  cross-lingual case): must-links, joined into gold stories by their article ids; the ``train`` split
  takes the half of the pairs the vector recipe was tuned on (``split_of(pair_id) == 0``), ``val`` the
  other half;
- the two seed articles (German, one story), in both splits.

Times are synthetic, as the data sets have none: the gold stories are spread evenly at
``stories_per_day`` (default 10) with a random start in their span, and the articles of a story fall
within one day of its start. The articles are then given to ``StoryClusterer`` one by one in a shuffled
but fixed order (``seed``), as a crawl would deliver them. With these times the window only separates
stories that are far apart; ``Settings.story_window_days`` is not tuned here.

``story_threshold`` was calibrated on ``train`` (``calibrate(...)``: the B-cubed F1 of each threshold);
``evaluate_clusters(settings, shared)`` reports ``val``, which it was not calibrated on. Print them with
``python -m counterpoint.eval.clusters [--split val|train] [--calibrate]``.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ..analyze.embed import Embedder
from ..errors import EvalError
from ..model import Article
from ..settings import Settings
from ..stories.cluster import StoryClusterer
from ..stories.vector import document_vectors, story_embedder
from .files import text_lines
from .similarity import SAME_STORY, read_pairs, split_of

SPLITS = ("train", "val")
SEEDS = ("000_eb1b102821afac78.txt", "003_e346abbffeafbc41.txt")
SEMEVAL_LANGUAGES = ("de-de", "de-en")
START = datetime(2024, 1, 1, tzinfo=UTC)
THRESHOLDS = tuple(round(0.3 + 0.025 * i, 3) for i in range(21))  # 0.3 ... 0.8

_SEGMENT = re.compile(r"\s*TITLE=>\s*(?P<title>.*?)\s*ARTICLE=>\s*(?P<lead>.*)", re.DOTALL)


@dataclass(frozen=True)
class Item:
    """One article of the labelled set, with its gold story and where it comes from."""

    article: Article
    story: str
    source: str  # allsides | semeval | seeds


# building the labelled set


def allsides_items(path: Path, prefix: str) -> list[Item]:
    """Three articles (title and lead) per line of an AllSides ``*.source`` file, one gold story each."""
    items = []
    lines = list(text_lines(path, "AllSides source"))  # read to the end, so the file is closed on an error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        for outlet, segment in enumerate(line.split("[SEP]")):
            match = _SEGMENT.match(segment)
            if not match:
                raise EvalError(f"line {number}: not 'TITLE=> ... ARTICLE=> ...'", source=str(path))
            article = Article(id=f"{prefix}{number}.{outlet}", text=match["lead"].strip(),
                              title=match["title"].strip(), language="en")
            items.append(Item(article, f"{prefix}{number}", "allsides"))
    return items


def _root(parent: dict[str, str], node: str) -> str:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def semeval_items(path: Path, half: int, languages: Iterable[str] = SEMEVAL_LANGUAGES) -> list[Item]:
    """The articles of the pairs rated as one story in ``languages`` and ``half``, joined into gold stories."""
    wanted = set(languages)
    articles: dict[str, Article] = {}
    parent: dict[str, str] = {}
    for pair in read_pairs(path):
        if pair.languages not in wanted or pair.overall > SAME_STORY or split_of(pair.id) != half:
            continue
        for article in (pair.a, pair.b):
            articles.setdefault(article.id, article)
            parent.setdefault(article.id, article.id)
        parent[_root(parent, pair.a.id)] = _root(parent, pair.b.id)
    return [Item(a, f"semeval-{_root(parent, a.id)}", "semeval") for a in articles.values()]


def seed_items(shared: Path) -> list[Item]:
    """The two seed articles (German, the same state visit): one gold story."""
    items = []
    for name in SEEDS:
        path = shared / "seeds" / name
        text = "".join(text_lines(path, "text"))
        items.append(Item(Article(id=f"seed-{path.stem}", text=text, language="de"), "seeds", "seeds"))
    return items


def labelled_set(shared: Path, split: str) -> list[Item]:
    """AllSides ``split``, the SemEval half of ``split`` and the seeds: articles with gold stories."""
    if split not in SPLITS:
        raise EvalError(f"unknown split {split!r} (one of {', '.join(SPLITS)})")
    data = shared / "data"
    return [
        *allsides_items(data / "allsides-triplets" / f"{split}.source.gz", f"allsides-{split}-"),
        *semeval_items(data / "semeval2022-similarity" / "pairs-dev.csv.gz", SPLITS.index(split)),
        *seed_items(shared),
    ]


def synthetic_times(items: Sequence[Item], stories_per_day: float, seed: int) -> list[str]:
    """An ISO time per item: stories spread at ``stories_per_day``, each story's articles within a day."""
    rng = random.Random(seed)
    stories = sorted({item.story for item in items})
    span_days = max(len(stories) / stories_per_day, 1.0)
    start = {story: rng.uniform(0.0, span_days) for story in stories}
    return [(START + timedelta(days=start[item.story] + rng.uniform(0.0, 1.0))).isoformat() for item in items]


# clustering and scoring


def cluster(items: Sequence[Item], vectors: np.ndarray, times: Sequence[str], settings: Settings,
            seed: int) -> list[str]:
    """The story ``StoryClusterer`` gives each item, feeding the items in a shuffled, fixed order."""
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    clusterer = StoryClusterer.from_settings(settings)
    predicted = [""] * len(items)
    for i in order:
        predicted[i] = clusterer.add(items[i].article.id, vectors[i], times[i])
    return predicted


def bcubed(gold: Sequence[str], predicted: Sequence[str], keep: Sequence[bool] | None = None) -> dict[str, float]:
    """B-cubed precision, recall and F1 (averaged over the items, or over those where ``keep``)."""
    pair_sizes = Counter(zip(gold, predicted, strict=True))
    gold_sizes, predicted_sizes = Counter(gold), Counter(predicted)
    chosen = [i for i in range(len(gold)) if keep is None or keep[i]]
    if not chosen:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    precision = sum(pair_sizes[gold[i], predicted[i]] / predicted_sizes[predicted[i]] for i in chosen) / len(chosen)
    recall = sum(pair_sizes[gold[i], predicted[i]] / gold_sizes[gold[i]] for i in chosen) / len(chosen)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def score(items: Sequence[Item], predicted: Sequence[str]) -> dict[str, Any]:
    """B-cubed over all items and per source, with the numbers of gold and predicted stories."""
    gold = [item.story for item in items]
    by_source = {source: {"articles": sum(item.source == source for item in items),
                          **bcubed(gold, predicted, [item.source == source for item in items])}
                 for source in sorted({item.source for item in items})}
    return {"articles": len(items), "stories": len(set(gold)), "predicted_stories": len(set(predicted)),
            "bcubed": bcubed(gold, predicted), "by_source": by_source}


@dataclass(frozen=True)
class _Prepared:
    items: list[Item]
    vectors: np.ndarray
    times: list[str]


def _prepare(shared: Path, split: str, embedder: Embedder | None, stories_per_day: float, seed: int) -> _Prepared:
    if not (shared / "data").is_dir():
        raise EvalError("no data folder (the shared evaluation data)", source=str(shared))
    items = labelled_set(shared, split)
    vectors = document_vectors([item.article for item in items], embedder or story_embedder())
    return _Prepared(items, vectors, synthetic_times(items, stories_per_day, seed))


def evaluate_clusters(
    settings: Settings | None = None,
    shared: Path | str = Path("../shared"),
    *,
    split: str = "val",
    embedder: Embedder | None = None,
    stories_per_day: float = 10.0,
    seed: int = 0,
) -> dict[str, Any]:
    """B-cubed of story clustering at ``settings`` on the labelled set of ``split`` (``val``: held out)."""
    settings = settings or Settings()
    data = _prepare(Path(shared), split, embedder, stories_per_day, seed)
    predicted = cluster(data.items, data.vectors, data.times, settings, seed)
    return {"split": split, "threshold": settings.story_threshold, "window_days": settings.story_window_days,
            "stories_per_day": stories_per_day, **score(data.items, predicted)}


def calibrate(
    settings: Settings | None = None,
    shared: Path | str = Path("../shared"),
    *,
    thresholds: Sequence[float] = THRESHOLDS,
    split: str = "train",
    embedder: Embedder | None = None,
    stories_per_day: float = 10.0,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """B-cubed at each of ``thresholds`` on ``split`` (``train``), the articles embedded once."""
    settings = settings or Settings()
    data = _prepare(Path(shared), split, embedder, stories_per_day, seed)
    rows = []
    for threshold in thresholds:
        at = settings.replace(story_threshold=threshold)
        predicted = cluster(data.items, data.vectors, data.times, at, seed)
        rows.append({"threshold": threshold, **score(data.items, predicted)})
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m counterpoint.eval.clusters",
                                     description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", default="../shared", help="the folder with seeds/ and data/")
    parser.add_argument("--split", choices=SPLITS, default=None)
    parser.add_argument("--calibrate", action="store_true", help="B-cubed per threshold (on train by default)")
    args = parser.parse_args(argv)
    try:
        if args.calibrate:
            rows = calibrate(Settings(), args.shared, split=args.split or "train")
            figures: Any = [{"threshold": r["threshold"], **r["bcubed"]} for r in rows]
        else:
            figures = evaluate_clusters(Settings(), args.shared, split=args.split or "val")
    except EvalError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
