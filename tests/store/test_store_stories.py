"""The story list: aggregates kept by write, filters, order, and a query that never reads articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_factory import placement, state

from counterpoint.errors import StoreError
from counterpoint.store import Store, StoryRow, story_list


@pytest.fixture
def store(tmp_path: Path):
    """Three stories:

    june: Tagesschau (de) 20 June, its copy at Spiegel (de, near-duplicate), BBC (en) 21 June
    may:  Spiegel (de) only, 1 to 3 May, linked to nothing, two articles of one outlet
    july: an article with no title and no outlet, 1 July
    """
    with Store(tmp_path / "counterpoint.db") as s:
        s.write([placement("t1", story="june", outlet="Tagesschau", time="2024-06-20T10:00:00Z", title="Gipfel"),
                 placement("sp-copy", story="june", outlet="Spiegel", duplicate_of="t1",
                           time="2024-06-20T09:00:00Z", title="Kopie")],
                [state("june", first="2024-06-20T10:00:00Z", last="2024-06-20T10:00:00Z")])
        s.write([placement("b1", story="june", outlet="BBC", language="en", time="2024-06-21T12:00:00Z",
                           title="Summit")],
                [state("june", first="2024-06-20T10:00:00Z", last="2024-06-21T12:00:00Z", size=2)])
        s.write([placement("m2", story="may", outlet="Spiegel", time="2024-05-03T08:00:00Z", title="Später"),
                 placement("m1", story="may", outlet="Spiegel", time="2024-05-01T08:00:00Z", title="Früher")],
                [state("may", first="2024-05-01T08:00:00Z", last="2024-05-03T08:00:00Z", size=2)])
        s.write([placement("j1", story="july", outlet=None, title="", time="2024-07-01T00:00:00Z",
                           text="  Olaf Scholz sagte, 12 Abkommen\nseien es. " + "lang " * 40)],
                [state("july", first="2024-07-01T00:00:00Z", last="2024-07-01T00:00:00Z", linked_to="june")])
        yield s


def ids(rows: list[StoryRow]) -> list[str]:
    return [r.id for r in rows]


def test_aggregates_count_copies_but_not_their_outlets(store: Store) -> None:
    june = store.story("june")
    assert june == StoryRow(id="june", title="Gipfel", first="2024-06-20T10:00:00Z", last="2024-06-21T12:00:00Z",
                            outlets=("BBC", "Tagesschau"), languages=("de", "en"), articles=3, duplicates=1,
                            linked_to=None)
    may = store.story("may")
    assert may is not None and may.outlets == ("Spiegel",) and may.articles == 2 and may.duplicates == 0
    assert store.story("nope") is None


def test_title_is_the_earliest_independent_article_else_the_start_of_its_text(store: Store) -> None:
    # the copy is earlier (09:00) but does not count; m1 was written after m2 but is earlier
    assert store.story("june").title == "Gipfel"  # type: ignore[union-attr]
    assert store.story("may").title == "Früher"  # type: ignore[union-attr]
    july = store.story("july")
    assert july is not None and len(july.title) == 80
    assert july.title.startswith("Olaf Scholz sagte, 12 Abkommen seien es. lang lang")  # whitespace collapsed
    assert july.outlets == () and july.linked_to == "june"


def test_newest_first_with_limit_and_offset(store: Store) -> None:
    assert ids(store.stories()) == ["july", "june", "may"]
    assert ids(store.stories(limit=1, offset=1)) == ["june"]
    assert store.stories(offset=3) == []
    with pytest.raises(StoreError, match="negative"):
        store.stories(limit=-1)


def test_since_and_until_keep_stories_that_overlap_the_range(store: Store) -> None:
    assert ids(store.stories(since="2024-06-21")) == ["july", "june"]  # june is still active on the 21st
    assert ids(store.stories(since="2024-06-22")) == ["july"]
    assert ids(store.stories(until="2024-06-20")) == ["june", "may"]  # a date covers the whole day
    assert ids(store.stories(until="2024-06-20T09:59:59Z")) == ["may"]
    assert ids(store.stories(since="2024-05-02", until="2024-05-31")) == ["may"]


def test_outlet_language_and_min_outlets_filters(store: Store) -> None:
    assert ids(store.stories(outlet="Spiegel")) == ["may"]  # its copy in june does not count
    assert ids(store.stories(outlet="BBC")) == ["june"]
    assert ids(store.stories(language="en")) == ["june"]
    assert ids(store.stories(language="de")) == ["july", "june", "may"]
    assert ids(store.stories(min_outlets=2)) == ["june"]
    assert ids(store.stories(min_outlets=3)) == []
    assert ids(store.stories(outlet="Tagesschau", language="en", min_outlets=2, since="2024-06-01")) == ["june"]


def test_story_articles_are_in_time_order_with_their_original(store: Store) -> None:
    members = store.story_articles("june")
    assert [(a.id, original) for a, original in members] == [("sp-copy", "t1"), ("t1", None), ("b1", None)]
    assert members[2][0].language == "en"
    assert store.story_articles("nope") == []


@pytest.fixture(params=["few", "common"])
def plan_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with outlet and language values treated as matching few stories (the query starts from
    their index) and as common (checked story by story while walking newest first)."""
    monkeypatch.setattr(story_list, "SELECTIVE", 1000 if request.param == "few" else 1)
    return str(request.param)


def test_outlet_and_language_filters_give_the_same_stories_by_either_plan(store: Store, plan_kind: str) -> None:
    test_outlet_language_and_min_outlets_filters(store)
    assert ids(store.stories(outlet="Spiegel", limit=1, offset=0)) == ["may"]
    assert ids(store.stories(language="de", limit=1, offset=1)) == ["june"]


def story_plan(store: Store, **filters: object) -> str:
    args = {"since": None, "until": None, "outlet": None, "language": None, "min_outlets": 1, **filters}
    sql, params = story_list.page_query(**args)  # type: ignore[arg-type]
    rows = store._conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()  # type: ignore[union-attr]
    return "\n".join(r["detail"] for r in rows)


@pytest.mark.parametrize("filters", [
    {},
    {"since": "2024-06-01"},
    {"until": "2024-06-01", "min_outlets": 2},
    {"outlet": "BBC", "language": "en"},  # common values: probed per story
])
def test_story_page_walks_the_covering_last_index_and_never_reads_articles(store: Store,
                                                                           filters: dict[str, object]) -> None:
    detail = story_plan(store, **filters)
    assert "articles" not in detail
    assert "USING COVERING INDEX stories_last" in detail  # index only: not even the stories rows are read
    assert "TEMP B-TREE" not in detail  # the index gives the order: no sort of all stories
    if filters.get("outlet"):
        assert "SEARCH f USING PRIMARY KEY (story=? AND outlet=?)" in detail  # a probe per story


def test_a_rare_outlet_drives_the_page_from_its_index(store: Store) -> None:
    detail = story_plan(store, outlet="BBC", few=frozenset({"outlet"}))
    assert "articles" not in detail
    assert "SEARCH story_outlets USING COVERING INDEX story_outlets_outlet (outlet=?)" in detail


def test_few_stories_counts_at_most_up_to_the_threshold(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = store._conn
    assert conn is not None
    assert story_list.few_stories(conn, "language", "de")  # 3 stories < 1000
    monkeypatch.setattr(story_list, "SELECTIVE", 3)
    assert not story_list.few_stories(conn, "language", "de")
    assert story_list.few_stories(conn, "language", "en")
