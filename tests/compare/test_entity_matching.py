from __future__ import annotations

import pytest

from counterpoint.compare.entities import country_of, entity_key, same_entity


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Tô Lâm", "to lam"),
        ("Herr Tô Lâm", "to lam"),
        ("Präsident Putin", "putin"),
        ("der russische Präsident Wladimir Putin", "wladimir putin"),
        ("Nguyễn Phú Trọng", "nguyen phu trong"),
        ("Putin's", "putin"),
        ("General Motors", "general motors"),
        ("die Straße", "strasse"),
    ],
)
def test_entity_key(name: str, key: str) -> None:
    assert entity_key(name) == key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("To Lam", "Tô Lâm"),
        ("Tô Lâm", "Lâm"),
        ("To Lam", "Lâm"),
        ("Nguyen Phu Trong", "Nguyen Phú Trong"),
        ("Nguyen Phu Trong", "Trong"),
        ("US-Botschaft in Vietnam", "US-Botschaft in Hanoi"),
        ("Putin", "Wladimir Putin"),
        ("Putins", "Wladimir Putin"),
        ("Präsident Putin", "Putin"),
        ("Gould-Davies", "Nigel Gould-Davies"),
    ],
)
def test_same_entity(a: str, b: str) -> None:
    assert same_entity(a, b)
    assert same_entity(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong Un", "Kim Dae-jung"),
        ("Kim", "Kim Jong Un"),
        ("Bill Clinton", "Hillary Clinton"),
        ("US-Botschaft in Vietnam", "US-Botschaft in Moskau"),
        ("US-Botschaft in Hanoi", "Deutsche Botschaft in Hanoi"),
        ("Hanoi", "Vietnam"),
        ("", "Putin"),
    ],
)
def test_different_entities(a: str, b: str) -> None:
    assert not same_entity(a, b)
    assert not same_entity(b, a)


def test_country_of_capitals_in_german_and_english() -> None:
    assert country_of("Hanoi") == country_of("Vietnam") == "VN"
    assert country_of("Moskau") == country_of("Moscow") == country_of("Russland") == "RU"
    assert country_of("Peking") == country_of("China") == "CN"
    assert country_of("Atlantis") is None
