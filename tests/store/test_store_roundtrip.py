"""Writing placements and reading them back: every field, idempotence, the state ingest rebuilds from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from store_factory import changed, placement, state

from counterpoint.errors import StoreError
from counterpoint.store import Store


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "counterpoint.db") as s:
        yield s


def test_article_round_trip_keeps_every_field(store: Store) -> None:
    p = placement("a1")
    store.write([p], [state("s1")])
    assert store.article("a1") == p.processed.article
    got = store.analysis("a1")
    assert got is not None
    want = p.processed.analysis
    assert (got.article, got.language, got.sentences, got.components) == (
        want.article, want.language, want.sentences, want.components)
    assert (got.entities, got.quotes, got.claims) == (want.entities, want.quotes, want.claims)
    assert got.entities[0].metonymy is True
    assert store.story_articles("s1") == [(p.processed.article, None)]
    assert store.article("nope") is None and store.analysis("nope") is None


def test_vectors_and_signatures_come_back_bit_for_bit(store: Store) -> None:
    p = placement("a1")
    store.write([p], [state("s1", seed=7)])
    [(aid, sig)] = list(store.signatures())
    assert aid == "a1" and sig.dtype == np.uint64
    assert np.array_equal(sig, p.processed.signature)
    [got] = store.story_states()
    assert got.centroid.dtype == np.float32
    assert np.array_equal(got.centroid, state("s1", seed=7).centroid)
    assert (got.id, got.size, got.first, got.last, got.linked_to) == ("s1", 1, "2024-06-20T10:00:00Z",
                                                                      "2024-06-20T10:00:00Z", None)
    vector = store._conn.execute("SELECT vector FROM vectors").fetchone()[0]  # type: ignore[union-attr]
    assert np.array_equal(np.frombuffer(vector, dtype="<f4"), p.processed.vector)


def test_writing_the_same_placement_twice_stores_it_once(store: Store) -> None:
    p = placement("a1")
    store.write([p, p], [state("s1")])
    store.write([p], [state("s1")])
    assert store.article_count() == 1
    assert len(store.analysis("a1").entities) == 1  # type: ignore[union-attr]
    assert store.story("s1").articles == 1  # type: ignore[union-attr]
    assert len(list(store.signatures())) == 1


def test_same_content_hash_or_canonical_url_under_another_id_is_ignored(store: Store) -> None:
    store.write([placement("a1", content_hash="h1", canonical_url="https://example.org/x")], [state("s1")])
    store.write([placement("a2", content_hash="h1"),  # same text
                 placement("a3", canonical_url="https://example.org/x"),  # same page
                 placement("a4")], [])
    assert store.known_ids(["a1", "a2", "a3", "a4", "a5"]) == {"a1", "a4"}
    assert store.article_count() == 2
    assert store.story("s1").articles == 2  # type: ignore[union-attr]


def test_known_finds_by_hash_or_canonical_url(store: Store) -> None:
    store.write([placement("a1", content_hash="h1", canonical_url="https://example.org/x")], [state("s1")])
    assert store.known("https://example.org/x", "other") == "a1"
    assert store.known(None, "h1") == "a1"
    assert store.known("https://example.org/y", "h2") is None
    assert store.known(None, "h2") is None


def test_articles_without_canonical_url_do_not_collide(store: Store) -> None:
    store.write([changed(placement(f"a{i}", story=None), canonical_url=None) for i in range(3)], [])
    assert store.known_ids(["a0", "a1", "a2"]) == {"a0", "a1", "a2"}


def test_signatures_skip_near_duplicates_and_stream_past_one_chunk(store: Store, monkeypatch) -> None:
    import counterpoint.store.store as module

    monkeypatch.setattr(module, "CHUNK", 3)
    originals = [placement(f"a{i}") for i in range(7)]
    copy = placement("copy", duplicate_of="a0")
    store.write([*originals, copy], [state("s1")])
    got = list(store.signatures())
    assert [aid for aid, _ in got] == [f"a{i}" for i in range(7)]
    assert all(np.array_equal(sig, p.processed.signature) for (_, sig), p in zip(got, originals, strict=True))


def test_story_states_since_and_story_of(store: Store) -> None:
    store.write([placement("a1", story="old"), placement("a2", story="new"), placement("a3", story=None)],
                [state("old", last="2024-01-01"), state("new", last="2024-06-01", linked_to="old")])
    assert [s.id for s in store.story_states()] == ["old", "new"]
    assert [s.id for s in store.story_states(since="2024-03-01")] == ["new"]
    assert store.story_states(since="2024-03-01")[0].linked_to == "old"
    assert (store.story_of("a1"), store.story_of("a3"), store.story_of("missing")) == ("old", None, None)


def test_upserting_a_story_state_keeps_its_aggregates(store: Store) -> None:
    store.write([placement("a1")], [state("s1")])
    store.write([], [state("s1", size=5, last="2024-06-22T00:00:00Z")])
    row = store.story("s1")
    assert row is not None and row.articles == 1 and row.last == "2024-06-22T00:00:00Z"
    assert store.story_states()[0].size == 5


def test_an_article_naming_an_unknown_story_fails_and_writes_nothing(store: Store) -> None:
    with pytest.raises(StoreError, match="story ghost"):
        store.write([placement("a1", story=None), placement("a2", story="ghost")], [])
    assert store.article_count() == 0


def test_a_failed_write_rolls_back_the_whole_batch(store: Store) -> None:
    bad = changed(placement("a2"), time=None)  # violates NOT NULL
    with pytest.raises(StoreError, match="database error"):
        store.write([placement("a1"), bad], [state("s1")])
    assert store.article_count() == 0 and store.story_states() == []
    store.write([placement("a1")], [state("s1")])  # the store is usable afterwards
    assert store.article_count() == 1


def test_closed_store_refuses_work(tmp_path: Path) -> None:
    s = Store(tmp_path / "c.db")
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.article_count()
