"""Text search over stories, the story timeline and key, and migration 2 (the FTS index) of older databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_factory import placement, state

from counterpoint.errors import StoreError
from counterpoint.store import Store, schema
from counterpoint.store.search import (
    Page,
    TimelineEntry,
    fts_query,
    search_stories,
    story_key,
    story_snippets,
    story_timeline,
)


@pytest.fixture
def store(tmp_path: Path):
    """Three stories (the fixture of test_store_stories, with texts to search):

    june: Tagesschau (de) "Gipfel in Hà Nội" 20 June, its near-duplicate at Spiegel, BBC (en) "Summit" 21 June
    may:  Spiegel (de) only, 1 to 3 May, about Lâm Đồng
    july: no title and no outlet, 1 July, about the Bundestag
    """
    with Store(tmp_path / "counterpoint.db") as s:
        s.write([placement("t1", story="june", outlet="Tagesschau", time="2024-06-20T10:00:00Z", title="Gipfel",
                           text="Olaf Scholz sagte, 12 Abkommen seien unterzeichnet worden. Treffen in Hà Nội."),
                 placement("sp-copy", story="june", outlet="Spiegel", duplicate_of="t1",
                           time="2024-06-20T09:00:00Z", title="Kopie")],
                [state("june", first="2024-06-20T10:00:00Z", last="2024-06-20T10:00:00Z")])
        s.write([placement("b1", story="june", outlet="BBC", language="en", time="2024-06-21T12:00:00Z",
                           title="Summit", text="Olaf Scholz sagte, 12 Abkommen: the summit's deals were signed.")],
                [state("june", first="2024-06-20T10:00:00Z", last="2024-06-21T12:00:00Z", size=2)])
        s.write([placement("m2", story="may", outlet="Spiegel", time="2024-05-03T08:00:00Z", title="Später",
                           text="Olaf Scholz sagte, 12 Abkommen über Kaffee aus Lâm Đồng."),
                 placement("m1", story="may", outlet="Spiegel", time="2024-05-01T08:00:00Z", title="Früher")],
                [state("may", first="2024-05-01T08:00:00Z", last="2024-05-03T08:00:00Z", size=2)])
        s.write([placement("j1", story="july", outlet=None, title="", time="2024-07-01T00:00:00Z",
                           text="Olaf Scholz sagte, 12 Abkommen seien es. Der Bundestag (AND) stimmt zu.")],
                [state("july", first="2024-07-01T00:00:00Z", last="2024-07-01T00:00:00Z", linked_to="june")])
        yield s


def ids(page: Page) -> list[str]:
    return [r.id for r in page.items]


def test_without_a_query_it_is_the_story_list_with_a_total(store: Store) -> None:
    page = search_stories(store)
    assert page.items == store.stories()
    assert (page.total, page.page, page.per_page, page.pages) == (3, 1, 25, 1)
    for q in ("", "   ", None):
        assert search_stories(store, q=q).items == store.stories()


def test_finds_a_story_by_a_word_of_a_members_text_or_title(store: Store) -> None:
    assert ids(search_stories(store, q="Bundestag")) == ["july"]
    assert ids(search_stories(store, q="summit")) == ["june"]  # BBC's title and text, case folded
    assert ids(search_stories(store, q="Kopie")) == ["june"]  # the near-duplicate's title counts too
    assert ids(search_stories(store, q="Früher")) == ["may"]
    assert ids(search_stories(store, q="Scholz")) == ["july", "june", "may"]  # newest first
    assert ids(search_stories(store, q="nirgendwo")) == []


def test_every_word_must_match_and_the_last_may_be_a_prefix(store: Store) -> None:
    assert ids(search_stories(store, q="Scholz Bundestag")) == ["july"]
    assert ids(search_stories(store, q="Bundestag Kaffee")) == []  # in two different stories
    assert ids(search_stories(store, q="Bundes")) == ["july"]  # still typing
    assert ids(search_stories(store, q="Bundes ")) == []  # a finished word is a whole word
    assert ids(search_stories(store, q="Kaffee Bu")) == []  # too short to be a prefix


def test_diacritics_and_case_are_folded(store: Store) -> None:
    assert ids(search_stories(store, q="Lâm")) == ["may"]
    assert ids(search_stories(store, q="lam")) == ["may"]
    assert ids(search_stories(store, q="Ha Noi")) == ["june"]
    assert ids(search_stories(store, q="hà nội")) == ["june"]
    assert ids(search_stories(store, q="uber kaffee")) == ["may"]


@pytest.mark.parametrize("q", ['"', '""', '"Scholz', "Scholz AND", "AND", "OR NOT", "NEAR(a b)", "(", ")", "*",
                               "Sch*", "-Scholz", "title:Gipfel", "^Gipfel", "+", "'", "\\", "🎉", "Scholz 🎉",
                               "a\x00b", "\ud800", "{title text}: x", "Scholz" * 300, " ".join(["x"] * 500)])
def test_hostile_queries_never_raise(store: Store, q: str) -> None:
    page = search_stories(store, q=q)
    assert page.total == len(page.items)


def test_punctuation_is_searched_for_as_words(store: Store) -> None:
    assert ids(search_stories(store, q="(AND)")) == ["july"]  # the word "and", not the operator
    assert ids(search_stories(store, q='"Bundestag')) == ["july"]
    assert ids(search_stories(store, q="summit's")) == ["june"]
    assert ids(search_stories(store, q="Abkommen:")) == ["july", "june", "may"]
    assert ids(search_stories(store, q="title:Gipfel")) == []  # no column filters: "title" is a word too
    assert ids(search_stories(store, q="🎉")) == []  # no words at all: nothing matches
    assert ids(search_stories(store, q="Bundestag 🎉 -")) == ["july"]  # wordless parts are ignored


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60) | st.lists(st.sampled_from(['"', "*", "(", ")", "AND", "OR", "NOT", "NEAR", "-", ":",
                                                        "^", "+", "Scholz", "Lâm", " ", "🎉", "\x00"]),
                                       max_size=12).map("".join))
def test_any_text_is_a_valid_query(store: Store, q: str) -> None:
    page = search_stories(store, q=q, per_page=2)
    assert len(page.items) <= 2 and page.total >= len(page.items)
    match = fts_query(q)
    assert match is None or match.count('"') % 2 == 0


def test_filters_and_pages_combine_with_the_search(store: Store) -> None:
    assert ids(search_stories(store, q="Scholz", outlet="Spiegel")) == ["may"]  # june's Spiegel copy is no outlet
    assert ids(search_stories(store, q="Scholz", language="en")) == ["june"]
    assert ids(search_stories(store, q="Scholz", min_outlets=2)) == ["june"]
    assert ids(search_stories(store, q="Scholz", since="2024-06-21")) == ["july", "june"]
    assert ids(search_stories(store, q="Scholz", since="2024-05-02", until="2024-06-20")) == ["june", "may"]
    first = search_stories(store, q="Scholz", per_page=2)
    second = search_stories(store, q="Scholz", per_page=2, page=2)
    assert (ids(first), first.total, first.pages) == (["july", "june"], 3, 2)
    assert (ids(second), second.total, second.page) == (["may"], 3, 2)
    beyond = search_stories(store, q="Scholz", per_page=2, page=3)
    assert beyond.items == [] and beyond.total == 3
    assert search_stories(store, outlet="Spiegel").total == 1
    empty = search_stories(store, q="nirgendwo")
    assert (empty.total, empty.pages) == (0, 1)
    with pytest.raises(StoreError, match="1 or more"):
        search_stories(store, page=0)


def test_filters_without_a_search_match_the_story_list(store: Store) -> None:
    for filters in ({"outlet": "Spiegel"}, {"language": "de"}, {"min_outlets": 2}, {"until": "2024-06-20"},
                    {"since": "2024-06-21", "language": "en"}, {"outlet": "nope"}):
        page = search_stories(store, per_page=2, **filters)
        assert page.items == store.stories(limit=2, **filters)
        assert page.total == len(store.stories(**filters))


def test_timeline_lists_members_by_time(store: Store) -> None:
    timeline = story_timeline(store, "june")
    assert [t.article for t in timeline] == ["sp-copy", "t1", "b1"]
    assert timeline[0] == TimelineEntry(article="sp-copy", outlet="Spiegel", title="Kopie",
                                        url="https://www.example.org/sp-copy?utm_source=x", language="de",
                                        time="2024-06-20T09:00:00Z", duplicate_of="t1")
    assert [t.article for t in story_timeline(store, "may")] == ["m1", "m2"]  # written in the other order
    assert story_timeline(store, "nope") == []


def test_story_key_changes_with_membership_only(store: Store) -> None:
    key = story_key(store, "june")
    assert key is not None and key.startswith("3-") and key == story_key(store, "june")
    assert story_key(store, "may") != key
    assert story_key(store, "nope") is None
    store.write([], [state("june", first="2024-06-20T10:00:00Z", last="2024-06-21T12:00:00Z", size=5)])
    assert story_key(store, "june") == key  # a new state is not a new member
    store.write([placement("b2", story="june", outlet="BBC", language="en", time="2024-06-22T12:00:00Z")],
                [state("june", first="2024-06-20T10:00:00Z", last="2024-06-22T12:00:00Z", size=3)])
    assert story_key(store, "june") not in (key, None)
    assert story_key(store, "june").startswith("4-")  # type: ignore[union-attr]


def test_a_reader_searches_while_the_writer_writes(store: Store) -> None:
    with Store(store.path, read_only=True) as reader:
        assert ids(search_stories(reader, q="Bundestag")) == ["july"]
        store.write([placement("j2", story="july", outlet="ZDF", time="2024-07-01T01:00:00Z",
                               text="Olaf Scholz sagte, 12 Abkommen. Der Bundesrat auch.")],
                    [state("july", first="2024-07-01T00:00:00Z", last="2024-07-01T01:00:00Z")])
        assert ids(search_stories(reader, q="Bundesrat")) == ["july"]
        assert [t.article for t in story_timeline(reader, "july")] == ["j1", "j2"]


def test_the_index_follows_updates_and_deletes_of_articles(store: Store) -> None:
    conn = sqlite3.connect(store.path, isolation_level=None)
    try:
        conn.execute("UPDATE articles SET title = 'Mondlandung' WHERE id = 'm1'")
        conn.execute("UPDATE articles SET story = 'june' WHERE id = 'm2'")  # not indexed: no change
        conn.execute("DELETE FROM articles WHERE id = 'j1'")
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")  # raises if stale
    finally:
        conn.close()
    assert ids(search_stories(store, q="Mondlandung")) == ["may"]
    assert ids(search_stories(store, q="Früher")) == []
    assert ids(search_stories(store, q="Bundestag")) == []
    assert ids(search_stories(store, q="Kaffee")) == ["june"]


def test_a_schema_1_database_is_upgraded_by_a_writer_and_becomes_searchable(schema1_db: Path) -> None:
    path = schema1_db
    with pytest.raises(StoreError, match="schema 1"):
        Store(path, read_only=True)  # readers do not upgrade
    with Store(path) as writer:
        assert writer.schema_version == 2 == schema.latest()
        assert writer.article_count() == 1 and writer.story("old") is not None
        assert ids(search_stories(writer, q="Meldung")) == ["old"]
    with Store(path, read_only=True) as reader:
        assert ids(search_stories(reader, q="alte")) == ["old"]
        assert [t.article for t in story_timeline(reader, "old")] == ["old1"]


def test_snippets_show_where_each_story_matched(store: Store) -> None:
    found = story_snippets(store, ["june", "may", "july", "nope"], "ha noi")
    assert set(found) == {"june"}  # diacritics folded: "Hà Nội"
    snippet = found["june"]
    assert [snippet.text[a:b] for a, b in snippet.marks] == ["Hà", "Nội"]
    assert "\ue000" not in snippet.text and "\ue001" not in snippet.text
    bundestag = story_snippets(store, ["july"], "(AND) Bundestag")["july"]
    assert "Bundestag" in [bundestag.text[a:b] for a, b in bundestag.marks]
    assert story_snippets(store, ["june"], "   ") == {} and story_snippets(store, [], "Scholz") == {}
    assert story_snippets(store, ["june"], '" OR *') == {}
