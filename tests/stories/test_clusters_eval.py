"""eval clusters: the labelled set, B-cubed, and the held-out figure of story clustering."""

from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from counterpoint.analyze.embed import Embedder
from counterpoint.errors import EvalError
from counterpoint.eval.clusters import bcubed, evaluate_clusters, labelled_set, synthetic_times
from counterpoint.settings import Settings
from counterpoint.stories.vector import lead_text

HERE = Path(__file__).resolve().parent
STORIES = HERE.parent / "data" / "stories"

# B-cubed F1 on AllSides val + the held-out SemEval half + the seeds at the shipped settings (threshold
# calibrated on train): 0.8248, measured with evaluate_clusters(Settings(), shared); the floor is that minus 0.02
VAL_F1_FLOOR = 0.8048

TRIPLETS = [
    # two invented events that the tiny pairs file does not tell, three ways each (title and lead)
    ("Floods force hundreds from their homes in Lindamar",
     "Heavy rain swelled the river Oster overnight, and more than 400 residents of Lindamar were evacuated.",
     "Lindamar flood: river Oster bursts its banks",
     "Emergency crews in Lindamar spent the night filling sandbags as the Oster rose to a record level.",
     "Who pays for Lindamar's flood damage?",
     "After the Oster flooded Lindamar's old town, residents ask why the promised flood wall was never built."),
    ("Kessling bridge closed indefinitely after cracks found",
     "Engineers closed the Kessling bridge to all traffic on Monday after finding deep cracks in two supports.",
     "Commuters face long detours as Kessling bridge shuts",
     "The closure of the Kessling bridge sends 30,000 daily drivers on a detour of almost twenty kilometres.",
     "Kessling bridge: years of warnings ignored",
     "Inspectors had flagged corrosion on the Kessling bridge supports three times before it was closed."),
]


def _line(triplet: tuple[str, ...]) -> str:
    return " [SEP] ".join(f"TITLE=> {triplet[i]}. ARTICLE=> {triplet[i + 1]}" for i in (0, 2, 4))


@pytest.fixture(scope="module")
def tiny_shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ../shared look-alike: two AllSides lines (val), one (train), the tiny pairs file, two "seeds"."""
    root = tmp_path_factory.mktemp("shared")
    triplets = root / "data" / "allsides-triplets"
    triplets.mkdir(parents=True)
    (triplets / "val.source.gz").write_bytes(gzip.compress("\n".join(map(_line, TRIPLETS)).encode()))
    (triplets / "train.source.gz").write_bytes(gzip.compress(_line(TRIPLETS[0]).encode()))
    semeval = root / "data" / "semeval2022-similarity"
    semeval.mkdir()
    (semeval / "pairs-dev.csv.gz").write_bytes(gzip.compress((HERE / "data" / "pairs-tiny.csv").read_bytes()))
    (root / "seeds").mkdir()
    visit = [json.loads(line) for line in (STORIES / "velmora-state-visit.jsonl").read_text("utf-8").splitlines()]
    german = [r for r in visit if r["language"] == "de"]
    for record, name in zip(german, ("000_eb1b102821afac78.txt", "003_e346abbffeafbc41.txt"), strict=True):
        (root / "seeds" / name).write_text(f"{record['title']}\n{record['text']}", encoding="utf-8")
    return root


class GoldEmbedder(Embedder):
    """A stand-in encoder that knows the answer: one unit vector per gold story."""

    name = "gold"

    def __init__(self, shared: Path, split: str) -> None:
        items = labelled_set(shared, split)
        stories = sorted({item.story for item in items})
        self.story_of = {lead_text(item.article): stories.index(item.story) for item in items}
        self.dim = len(stories)

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.eye(self.dim, dtype=np.float32)[[self.story_of[t] for t in texts]]


class SameEmbedder(Embedder):
    """A stand-in encoder that sees one story everywhere."""

    name = "same"

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32)


def test_labelled_set(tiny_shared: Path) -> None:
    items = labelled_set(tiny_shared, "val")
    sources = Counter(item.source for item in items)
    assert sources == {"allsides": 6, "semeval": 7, "seeds": 2}
    # held-out pairs rated <= 1.5: 1010-1011 and 1010-1012 chain into one story; 1000-1001; 1003-1005
    semeval = Counter(item.story for item in items if item.source == "semeval")
    assert sorted(semeval.values()) == [2, 2, 3]
    assert {item.article.language for item in items if item.source == "semeval"} == {"de", "en"}
    first = items[0].article
    assert (first.title, first.language) == ("Floods force hundreds from their homes in Lindamar.", "en")
    assert len({item.story for item in items}) == 6
    train = labelled_set(tiny_shared, "train")
    assert Counter(item.source for item in train) == {"allsides": 3, "semeval": 2, "seeds": 2}


def test_synthetic_times_keep_a_story_within_a_day(tiny_shared: Path) -> None:
    items = labelled_set(tiny_shared, "val")
    times = synthetic_times(items, stories_per_day=1.0, seed=0)
    assert times == synthetic_times(items, stories_per_day=1.0, seed=0)
    by_story: dict[str, list[float]] = {}
    for item, time in zip(items, times, strict=True):
        by_story.setdefault(item.story, []).append(np.datetime64(time[:19]).astype("datetime64[s]").astype(float))
    assert all(max(t) - min(t) <= 86_400 for t in by_story.values())
    starts = sorted(min(t) for t in by_story.values())
    assert starts[-1] - starts[0] > 86_400  # six stories at one a day spread over days


def test_bcubed_known_answer() -> None:
    assert bcubed(["a", "a", "b"], ["x", "x", "x"]) == {"precision": 0.5556, "recall": 1.0, "f1": 0.7143}
    assert bcubed(["a", "a", "b"], ["x", "y", "z"]) == {"precision": 1.0, "recall": 0.6667, "f1": 0.8}
    assert bcubed(["a", "b"], ["x", "y"], keep=[True, False]) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_a_perfect_encoder_scores_one_and_a_blind_one_merges_everything(tiny_shared: Path) -> None:
    perfect = evaluate_clusters(Settings(), tiny_shared, embedder=GoldEmbedder(tiny_shared, "val"))
    assert perfect["bcubed"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert (perfect["split"], perfect["articles"], perfect["stories"]) == ("val", 15, 6)
    assert perfect["predicted_stories"] == 6
    blind = evaluate_clusters(Settings(), tiny_shared, embedder=SameEmbedder(), stories_per_day=100.0)
    sizes = Counter(item.story for item in labelled_set(tiny_shared, "val"))
    assert blind["predicted_stories"] == 1
    assert blind["bcubed"]["recall"] == 1.0
    assert blind["bcubed"]["precision"] == round(sum(n * n for n in sizes.values()) / 15**2, 4)


def test_the_story_embedder_on_the_tiny_set(tiny_shared: Path) -> None:
    result = evaluate_clusters(Settings(), tiny_shared)
    assert result["bcubed"]["precision"] == 1.0  # nothing of different stories is merged
    assert result["predicted_stories"] < result["articles"]  # and reports of one story do meet
    assert result["by_source"]["semeval"]["recall"] > 0.5


def test_missing_data_and_unknown_split(tmp_path: Path, tiny_shared: Path) -> None:
    with pytest.raises(EvalError, match="no data folder"):
        evaluate_clusters(Settings(), tmp_path)
    with pytest.raises(EvalError, match="unknown split"):
        evaluate_clusters(Settings(), tiny_shared, split="test")
    broken = tmp_path / "broken"
    shutil.copytree(tiny_shared, broken)
    (broken / "data" / "allsides-triplets" / "val.source.gz").write_bytes(gzip.compress(b"no triplet here"))
    with pytest.raises(EvalError, match="line 1: not 'TITLE=>"):
        evaluate_clusters(Settings(), broken, embedder=SameEmbedder())


def test_heldout_gate(shared: Path) -> None:
    result = evaluate_clusters(Settings(), shared)
    assert result["split"] == "val" and result["articles"] > 900
    assert result["bcubed"]["f1"] >= VAL_F1_FLOOR, result
