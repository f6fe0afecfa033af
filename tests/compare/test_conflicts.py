"""Contradictions of place and speaker, on short articles run through the whole pipeline."""

from __future__ import annotations

import pytest

from counterpoint import compare
from counterpoint.model import Article, Comparison
from counterpoint.settings import load_settings


def _compare(*texts: str, language: str = "de") -> Comparison:
    articles = [Article(id=f"a{i}", text=t, language=language, outlet=f"Outlet {i}") for i, t in enumerate(texts)]
    return compare(articles, load_settings(env={}))


FILLER = (
    "Die Gespräche im Präsidentenpalast dauerten zwei Tage. "
    "Am Abend gab der Gastgeber ein Essen für die Delegation. "
    "Die Opposition kritisierte den Besuch als Zeichen der Schwäche. "
    "Im kommenden Jahr soll ein Gegenbesuch folgen. "
    "Die Wirtschaft beider Länder hofft auf neue Aufträge im Energiesektor."
)


def _of(result: Comparison, kind: str) -> list[tuple[str, str]]:
    return [(c.a.text, c.b.text) for c in result.conflicts if c.type == kind]


@pytest.fixture(scope="module")
def places() -> Comparison:
    return _compare(
        "Die beiden Präsidenten unterzeichneten am Montag in der Hafenstadt Halvsted ein Abkommen über Gas. " + FILLER,
        "Die beiden Präsidenten unterzeichneten am Montag in der Hauptstadt Dorvik ein Abkommen über Gas. " + FILLER,
    )


def test_one_event_in_two_places_is_a_contradiction(places: Comparison) -> None:
    [(a, b)] = _of(places, "place")
    assert a.endswith("Halvsted") and b == "Dorvik"
    conflict = next(c for c in places.conflicts if c.type == "place")
    assert "Halvsted" in conflict.explanation and "Dorvik" in conflict.explanation


def test_a_city_and_its_country_or_a_sentence_of_two_places_are_not() -> None:
    result = _compare(
        "Die beiden Präsidenten unterzeichneten am Montag in Hanoi ein Abkommen über Gas. " + FILLER,
        "Die beiden Präsidenten unterzeichneten am Montag in Vietnam ein Abkommen über Gas. " + FILLER,
    )
    assert _of(result, "place") == []
    result = _compare(
        "Nach seinem Besuch in Nordkorea reiste der russische Präsident am Donnerstag nach Vietnam. " + FILLER,
        "Bei seinem Staatsbesuch in Vietnam hat der russische Präsident am Donnerstag Abkommen unterzeichnet. "
        + FILLER,
    )
    assert _of(result, "place") == []


QUOTE = "„Wir sind seit Jahrhunderten Nachbarn, aber erst seit wenigen Jahren Partner“"


def test_the_same_quotation_given_to_two_named_speakers_is_a_contradiction() -> None:
    result = _compare(f"{QUOTE}, sagte Präsident Ilian Vasko am Montag. " + FILLER,
                      f"{QUOTE}, sagte Ministerpräsidentin Marit Havelund am Montag. " + FILLER)
    assert any("Nachbarn" in m.mentions[0].text for m in result.quote_matches)
    conflicts = [c for c in result.conflicts if c.type == "speaker"]
    assert len(conflicts) == 1
    assert "Vasko" in conflicts[0].a.text and "Havelund" in conflicts[0].b.text  # the attribution is evidence
    assert "Ilian Vasko" in conflicts[0].explanation and "Marit Havelund" in conflicts[0].explanation


def test_one_speaker_named_two_ways_or_unnamed_is_not() -> None:
    result = _compare(f"{QUOTE}, sagte Präsident Ilian Vasko am Montag. " + FILLER,
                      f"{QUOTE}, sagte Vasko am Montag. " + FILLER,
                      f"{QUOTE}, hieß es am Montag. " + FILLER)
    match = next(m for m in result.quote_matches if "Nachbarn" in m.mentions[0].text)
    assert len(match.mentions) == 3
    assert _of(result, "speaker") == []


def test_a_list_of_counts_for_one_thing_is_not_set_against_another_articles_total() -> None:
    listing = " ".join(f"Die Firma {name} unterzeichnete {n} Abkommen mit dem Ministerium."
                       for name, n in (("Albers", 3), ("Berg", 5), ("Kurz", 7), ("Lenz", 2), ("Saar", 4)))
    result = _compare(listing + " " + FILLER,
                      "Insgesamt wurden bei dem Besuch 30 Abkommen unterzeichnet. " + FILLER)
    assert [c for c in result.conflicts if c.type == "number"] == []
