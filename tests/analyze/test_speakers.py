from __future__ import annotations

import pytest

from counterpoint.analyze.speakers import can_speak


@pytest.mark.parametrize(
    "word",
    ["Polizeisprecher", "Bundesregierung", "Experten", "Ministerin", "Pressemitteilung", "Merkel", "Gericht",
     "Nachrichtenagentur", "Augenzeugen", "Meteorologen", "Musikkennern", "Demonstranten", "Ärzte", "Erzbischof",
     "Rettungskräfte", "Stellungnahme"],
)
def test_people_bodies_and_documents_can_speak(word: str) -> None:
    assert can_speak(word)


@pytest.mark.parametrize("word", ["Vorbehalte", "Zuversicht", "Speicherung", "Situation", "Insbesondere", "sagte",
                                  "Sekunden"])
def test_things_talked_about_cannot(word: str) -> None:
    assert not can_speak(word)
