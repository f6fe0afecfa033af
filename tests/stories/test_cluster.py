"""Online story clustering: stories in two languages, the time window, rebuilding, changed states."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from counterpoint.analyze.embed import Embedder
from counterpoint.model import Article
from counterpoint.settings import Settings
from counterpoint.stories import cluster as cluster_module
from counterpoint.stories.cluster import StoryClusterer, parse_time, story_id
from counterpoint.stories.vector import document_vectors, story_embedder

STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"
SETTINGS = Settings()


def _articles(name: str) -> list[Article]:
    with (STORIES / f"{name}.jsonl").open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [Article(id=r["id"], text=r["text"], title=r["title"], language=r["language"], published=r["published"])
            for r in records]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return story_embedder()


@pytest.fixture(scope="module")
def derailment(embedder: Embedder) -> tuple[list[Article], np.ndarray]:
    articles = _articles("wittenbrueck-derailment")  # de, de, en, en
    return articles, document_vectors(articles, embedder)


@pytest.fixture(scope="module")
def state_visit(embedder: Embedder) -> tuple[list[Article], np.ndarray]:
    articles = _articles("velmora-state-visit")[:3]  # en, de, en
    return articles, document_vectors(articles, embedder)


def _interleaved(*stories: tuple[list[Article], np.ndarray]) -> list[tuple[Article, np.ndarray]]:
    pairs = [list(zip(articles, vectors, strict=True)) for articles, vectors in stories]
    return [pair for group in zip(*pairs, strict=False) for pair in group] + [
        pair for story in pairs for pair in story[min(map(len, pairs)):]]


def test_two_bilingual_stories_come_apart_and_each_stays_together(derailment, state_visit) -> None:
    clusterer = StoryClusterer.from_settings(SETTINGS)
    placed = {a.id: clusterer.add(a.id, v, a.published or "") for a, v in _interleaved(derailment, state_visit)}
    derailment_stories = {placed[a.id] for a in derailment[0]}
    visit_stories = {placed[a.id] for a in state_visit[0]}
    assert len(derailment_stories) == 1 and len(visit_stories) == 1, placed
    assert derailment_stories != visit_stories
    assert derailment_stories == {story_id(derailment[0][0].id)}  # named after the article that started it


def test_german_and_english_seed_reports_share_a_story(shared: Path, embedder: Embedder, derailment) -> None:
    seeds = [Article(id=p.stem, text=p.read_text(encoding="utf-8"), language="de")
             for p in sorted((shared / "seeds").glob("*.txt"))]
    english = Path(__file__).resolve().parents[1] / "data" / "putin-vietnam-en.txt"
    articles = [*seeds, Article(id="en", text=english.read_text(encoding="utf-8"), language="en")]
    vectors = document_vectors(articles, embedder)
    clusterer = StoryClusterer.from_settings(SETTINGS)
    other = clusterer.add("derailment", derailment[1][0], "2024-06-20")
    stories = {clusterer.add(a.id, v, "2024-06-20T12:00:00+00:00") for a, v in zip(articles, vectors, strict=True)}
    assert len(stories) == 1 and other not in stories


def test_the_same_report_40_days_later_starts_a_linked_story(derailment) -> None:
    vectors = derailment[1]
    clusterer = StoryClusterer.from_settings(SETTINGS)
    old = clusterer.add("old", vectors[0], "2025-05-13T08:00:00+02:00")
    assert clusterer.add("next-day", vectors[1], "2025-05-14") == old
    new = clusterer.add("follow-up", vectors[0], "2025-06-23T08:00:00+02:00")
    assert new != old
    states = {s.id: s for s in clusterer.changed()}
    assert states[new].linked_to == old and states[old].linked_to is None
    assert (states[old].size, states[old].first, states[old].last) == (2, "2025-05-13T08:00:00+02:00", "2025-05-14")
    assert clusterer.add("later", vectors[1], "2025-06-24") == new  # in the new story's window


def test_an_earlier_article_within_the_window_joins(derailment) -> None:
    vectors = derailment[1]
    clusterer = StoryClusterer(0.6, 4.0)
    story = clusterer.add("a", vectors[0], "2025-05-13")
    assert clusterer.add("b", vectors[1], "2025-05-10") == story  # 3 days before its first article
    assert clusterer.state(story).first == "2025-05-10"
    assert clusterer.add("c", vectors[2], "2025-05-01") != story  # 9 days before


def test_rebuilt_from_states_places_new_articles_alike(derailment, state_visit, embedder: Embedder) -> None:
    werft = _articles("fehrsund-werft")
    stream = [*_interleaved(derailment, state_visit), *zip(werft, document_vectors(werft, embedder), strict=True)]
    seen, new = stream[:7], stream[7:]
    running = StoryClusterer.from_settings(SETTINGS)
    for a, v in seen:
        running.add(a.id, v, a.published or "")
    rebuilt = StoryClusterer.from_states(list(running.states()), SETTINGS)
    assert rebuilt.changed() == []
    assert [s.id for s in rebuilt.states()] == [s.id for s in running.states()]
    later = [(f"{a.id}-again", v, "2025-05-14") for a, v in seen] + [(a.id, v, a.published or "") for a, v in new]
    placements = [running.add(*item) for item in later]
    assert [rebuilt.add(*item) for item in later] == placements
    assert len(set(placements)) > 2  # some join existing stories, others start new ones


def test_changed_returns_only_the_modified_states(derailment, state_visit) -> None:
    d_vectors, v_vectors = derailment[1], state_visit[1]
    clusterer = StoryClusterer.from_settings(SETTINGS)
    train = clusterer.add("d0", d_vectors[0], "2025-05-13")
    visit = clusterer.add("v0", v_vectors[0], "2025-06-03")
    assert [s.id for s in clusterer.changed()] == [train, visit]
    assert clusterer.changed() == []
    assert clusterer.add("d1", d_vectors[1], "2025-05-13") == train
    (state,) = clusterer.changed()
    assert (state.id, state.size) == (train, 2)
    pair = d_vectors[0] + d_vectors[1]
    assert np.allclose(state.centroid, pair / np.linalg.norm(pair), atol=1e-6)
    assert clusterer.add("d2", d_vectors[2], "2025-05-13") == train
    (state,) = clusterer.changed()
    running_mean = 2 * pair / np.linalg.norm(pair) + d_vectors[2]  # normalise(size * centroid + vector)
    assert state.size == 3
    assert np.allclose(state.centroid, running_mean / np.linalg.norm(running_mean), atol=1e-6)
    assert abs(float(np.linalg.norm(state.centroid)) - 1.0) < 1e-6


# without the model: unit vectors built by hand


def _unit(*values: float, dim: int = 8) -> np.ndarray:
    v = np.zeros(dim, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def test_the_most_similar_story_in_the_window_wins() -> None:
    clusterer = StoryClusterer(0.5, 4.0)
    a = clusterer.add("a", _unit(1, 0), "2025-01-01")
    b = clusterer.add("b", _unit(0, 1), "2025-01-01")
    assert clusterer.add("c", _unit(1, 0.8), "2025-01-02") == a
    assert clusterer.add("d", _unit(0.5, 1), "2025-01-02") == b
    assert clusterer.add("e", _unit(0, 0, 1), "2025-01-02") not in {a, b}  # nothing similar
    assert len(clusterer) == 3


def test_the_search_widens_past_many_similar_stories_outside_the_window(monkeypatch) -> None:
    monkeypatch.setattr(cluster_module, "CANDIDATES", 4)
    clusterer = StoryClusterer(0.5, 4.0)
    for month in range(1, 11):  # ten old stories, each more similar to the query than the open one
        clusterer.add(f"old{month}", _unit(1, 0.01 * month), f"2024-{month:02d}-01")
    open_story = clusterer.add("open", _unit(1, 0.9), "2025-01-01")
    assert len(clusterer) == 11
    assert clusterer.add("query", _unit(1, 0.05), "2025-01-02") == open_story


def test_a_new_story_links_the_most_similar_old_one() -> None:
    clusterer = StoryClusterer(0.5, 4.0)
    clusterer.add("far", _unit(1, 0.5), "2024-01-01")
    near = clusterer.add("near", _unit(1, 0.1), "2024-02-01")
    new = clusterer.add("new", _unit(1, 0), "2025-01-01")
    assert clusterer.state(new).linked_to == near


def test_a_story_id_already_taken_gets_another() -> None:
    clusterer = StoryClusterer(0.5, 4.0)
    first = clusterer.add("same", _unit(1, 0), "2025-01-01")
    second = clusterer.add("same", _unit(0, 1), "2025-01-01")
    assert first == story_id("same") and second == story_id("same", 1) != first


def test_vectors_of_another_size_and_bad_times_are_refused() -> None:
    clusterer = StoryClusterer(0.5, 4.0)
    clusterer.add("a", _unit(1, 0), "2025-01-01")
    with pytest.raises(ValueError, match="dimensions"):
        clusterer.add("b", np.ones(4, dtype=np.float32), "2025-01-01")
    with pytest.raises(ValueError, match="ISO 8601"):
        clusterer.add("c", _unit(1, 0), "")


def test_parse_time() -> None:
    assert parse_time("2025-01-01") == parse_time("2025-01-01T00:00:00Z") == parse_time("2025-01-01T01:00:00+01:00")
    assert parse_time("2025-01-02") - parse_time("2025-01-01") == 86_400
