"""Outlet and entity profiles over a store (hand-made analyses: names, quotes and sentences are known)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from store_factory import changed, placement, state

from counterpoint.model import Analysis, Entity, Quote, Sentence
from counterpoint.store import Store
from counterpoint.store.profiles import entity_profile, group_names, outlet_names, outlet_profile, top_entities


def _analysed(aid: str, text: str, names: list[tuple[str, str, str]], quotes: list[tuple[str, str]],
              **fields: object):
    """A placement whose article is ``text`` (one sentence per line), mentioning each (surface, canonical,
    label) at its first occurrence and quoting each (speaker, words)."""
    p = placement(aid, **fields)  # type: ignore[arg-type]
    art = dataclasses.replace(p.processed.analysis.article, text=text, source_text=None, offset_map=(), removed=())
    sentences, start = [], 0
    for n, line in enumerate(text.split("\n")):
        sentences.append(Sentence(start, start + len(line), line, n))
        start += len(line) + 1
    entities = tuple(Entity(text.index(s), text.index(s) + len(s), s, label, entity=f"e{i}", canonical=c)  # type: ignore[arg-type]
                     for i, (s, c, label) in enumerate(names))
    said = tuple(Quote(text.index(w), text.index(w) + len(w), w, "direct", speaker_name=who, cue_text="sagte")
                 for who, w in quotes)
    analysis = Analysis(article=art, language=art.language, sentences=tuple(sentences), entities=entities,
                        quotes=said, claims=(), components=())
    return changed(p, analysis=analysis)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "counterpoint.db") as s:
        s.write([
            _analysed("a1", "Wladimir Putin lobte die Partnerschaft.\n„Wir sind Freunde“, sagte Tô Lâm.",
                      [("Wladimir Putin", "Wladimir Putin", "PER"), ("Tô Lâm", "Tô Lâm", "PER")],
                      [("Tô Lâm", "Wir sind Freunde")], outlet="Tagesschau", story="visit",
                      time="2024-06-20T10:00:00Z"),
            _analysed("a2", "Putin kritisierte den Westen scharf.\nDer Kreml schweigt zu den Abkommen.",
                      [("Putin", "Putin", "PER"), ("Kreml", "Kreml", "ORG")], [],
                      outlet="Tagesschau", story="visit", time="2024-07-02T10:00:00Z"),
            _analysed("a3", "President Putin praised the deals.\n'A historic day', said To Lam in Hanoi.",
                      [("President Putin", "Putin", "PER"), ("To Lam", "To Lam", "PER"), ("Hanoi", "Hanoi", "LOC")],
                      [("To Lam", "A historic day")], outlet="BBC", language="en", story="visit",
                      time="2024-06-21T08:00:00Z"),
            _analysed("a4", "Wladimir Putin lobte die Partnerschaft.\nKopie.", [("Wladimir Putin", "Wladimir Putin",
                      "PER")], [], outlet="Spiegel", story="visit", duplicate_of="a1", time="2024-06-20T11:00:00Z"),
        ], [state("visit", first="2024-06-20T10:00:00Z", last="2024-07-02T10:00:00Z", size=3)])
        yield s


def test_names_group_by_key_and_a_lone_surname_joins_the_full_name() -> None:
    groups = group_names([("Wladimir Putin", 5), ("Putin", 3), ("Putins", 1), ("Präsident Putin", 2),
                          ("Tô Lâm", 2), ("To Lam", 1), ("Kim Jong Un", 1), ("Kim Dae-jung", 1), ("„“", 4), ("", 1)])
    assert groups["Wladimir Putin"][0] == "Wladimir Putin"
    assert set(groups["Wladimir Putin"]) == {"Wladimir Putin", "Putin", "Putins", "Präsident Putin"}
    assert set(groups["Tô Lâm"]) == {"Tô Lâm", "To Lam"}
    assert "Kim Jong Un" in groups and "Kim Dae-jung" in groups
    assert len(groups) == 4  # a name of punctuation only has no key


def test_outlet_names_count_independent_articles(store: Store) -> None:
    assert outlet_names(store) == [("Tagesschau", 2), ("BBC", 1)]


def test_outlet_profile(store: Store) -> None:
    profile = outlet_profile(store, "Tagesschau")
    assert profile is not None
    assert (profile.articles, profile.duplicates, profile.stories) == (2, 0, 1)
    assert profile.languages == {"de": 2}
    assert profile.per_month == [("2024-06", 1), ("2024-07", 1)]
    assert profile.first == "2024-06-20T10:00:00Z" and profile.last == "2024-07-02T10:00:00Z"
    assert [(s.name, s.quotes, s.words) for s in profile.top_speakers] == [("Tô Lâm", 1, 3)]
    assert [s.id for s in profile.recent_stories] == ["visit"]
    assert all(z >= 1.96 for _w, z in profile.distinctive)  # too little text here to set words apart
    tone = {t.actor: t for t in profile.tone}
    assert set(tone) == {"Wladimir Putin", "Tô Lâm", "Kreml"}  # people and organisations, not places
    putin = tone["Wladimir Putin"]
    assert putin.positive + putin.neutral + putin.negative == 2  # "Wladimir Putin" in a1 and "Putin" in a2
    assert [m for m, *_ in putin.by_month] == ["2024-06", "2024-07"]
    assert putin.label in {"positive", "neutral", "negative"}
    spiegel = outlet_profile(store, "Spiegel")
    assert spiegel is not None and (spiegel.articles, spiegel.duplicates, spiegel.stories) == (0, 1, 0)


def test_distinctive_words_set_an_outlet_apart(tmp_path: Path) -> None:
    werft = "Die Werft in Fehrsund streicht Stellen, sagt die Gewerkschaft der Werft.\n" * 20
    zug = "Der Regionalzug entgleiste bei Wittenbrück, sagt die Polizei vor Ort.\n" * 20
    with Store(tmp_path / "counterpoint.db") as s:
        s.write([_analysed("w", werft.strip(), [], [], outlet="Nordkurier", story="s1"),
                 _analysed("z", zug.strip(), [], [], outlet="Südkurier", story="s2")],
                [state("s1"), state("s2", seed=1)])
        profile = outlet_profile(s, "Nordkurier")
    assert profile is not None
    words = [w for w, _z in profile.distinctive]
    assert "werft" in words and "regionalzug" not in words and all(z >= 1.96 for _w, z in profile.distinctive)


def test_outlet_profile_of_an_unknown_outlet_is_none(store: Store) -> None:
    assert outlet_profile(store, "Nobody Times") is None
    assert outlet_profile(store, "' OR 1=1 --") is None


def test_top_entities_group_names_across_outlets(store: Store) -> None:
    found = {e.name: e for e in top_entities(store)}
    putin = found["Wladimir Putin"]
    assert (putin.label, putin.articles, putin.outlets, putin.quotes) == ("PER", 4, 3, 0)
    lam = found["Tô Lâm"]
    assert (lam.articles, lam.outlets, lam.quotes) == (2, 2, 2)
    assert top_entities(store)[0].name == "Wladimir Putin"  # most articles first
    assert [e.name for e in top_entities(store, q="lam")] == ["Tô Lâm"]  # accents folded
    assert [e.name for e in top_entities(store, label="ORG")] == ["Kreml"]
    assert top_entities(store, q="%") == [] and top_entities(store, limit=1)[0].name == "Wladimir Putin"


def test_entity_profile_by_any_of_its_names(store: Store) -> None:
    profile = entity_profile(store, "Tô Lâm")
    assert profile is not None
    assert (profile.name, profile.label, profile.mentions, profile.articles) == ("Tô Lâm", "PER", 2, 2)
    assert profile.aliases == ["To Lam"]
    voices = {v.outlet: (v.mentions, v.quotes, v.words) for v in profile.by_outlet}
    assert voices == {"Tagesschau": (1, 1, 3), "BBC": (1, 1, 3)}
    assert [q.text for q in profile.quotes] == ["A historic day", "Wir sind Freunde"]  # latest first
    assert profile.quotes[0].outlet == "BBC" and profile.quotes[0].story == "visit"
    assert [s.id for s in profile.stories] == ["visit"]
    via_surname = entity_profile(store, "Putin")
    assert via_surname is not None and via_surname.name == "Wladimir Putin" and via_surname.articles == 4


@pytest.mark.parametrize("name", ["Nobody", "", "%", "' OR 1=1 --", "Putin Nobody"])
def test_entity_profile_of_an_unknown_name_is_none(store: Store, name: str) -> None:
    assert entity_profile(store, name) is None


def test_profiles_on_an_empty_store(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.db") as s:
        assert outlet_names(s) == [] and top_entities(s) == [] and entity_profile(s, "Putin") is None
        assert outlet_profile(s, "BBC") is None


def test_placement_helper_keeps_the_article(store: Store) -> None:
    art = store.article("a3")
    assert art is not None and dataclasses.asdict(art)["outlet"] == "BBC"
