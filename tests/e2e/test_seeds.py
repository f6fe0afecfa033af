"""The two real seed articles, end to end: what must be found shared, and what must not."""

from __future__ import annotations

import pytest

from counterpoint import compare
from counterpoint.model import Comparison
from counterpoint.schema import validate_comparison
from counterpoint.settings import load_settings

# (words in the first seed's sentence, words in the second seed's sentence)
MUST_SHARE = {
    "US embassy's statement": ("Plattform geben sollte", "Podium geben"),
    "security architecture": ("zuverlässigen Sicherheitsarchitektur", "zuverlässigen und angemessenen"),
    "Lam on defence and security": ("Verteidigung und Sicherheit weiter", "Verteidigungs- und Sicherheitsfragen"),
    "last visit in 2017": ("letztem Besuch in Vietnam im Jahr 2017", "der letzte fand im Jahr 2017"),
    "30 years of the treaty": ("30-jährige Bestehen", "30. Jahrestag"),
}


def shared_pairs(result: Comparison, a: str, b: str) -> set[tuple[str, str]]:
    pairs = set()
    for st in result.shared:
        for ma in st.mentions:
            for mb in st.mentions:
                if ma.article == a and mb.article == b:
                    pairs.add((ma.text, mb.text))
    return pairs


def is_shared(result: Comparison, a: str, b: str, words_a: str, words_b: str) -> bool:
    return any(words_a in ta and words_b in tb for ta, tb in shared_pairs(result, a, b))


@pytest.fixture(scope="module", params=["use", "e5"])
def result(request, seeds) -> Comparison:
    return compare(seeds, load_settings(overrides={"embedder": request.param}, env={}))


@pytest.mark.parametrize("fact", sorted(MUST_SHARE))
def test_seed_facts_are_shared(result, fact):
    a, b = (art.id for art in result.articles)
    assert is_shared(result, a, b, *MUST_SHARE[fact]), fact


def test_photo_captions_are_removed_not_aligned(result):
    a, b = result.articles
    captions = [r for art in result.articles for r in art.removed if r.reason == "caption"]
    assert any("Opernhaus von Hanoi" in r.text for r in captions)
    assert any("Ehrengarde" in r.text for r in captions)
    assert "Opernhaus von Hanoi Donnerstag" not in a.text
    assert "AP Photo" not in b.text and "Ehrengarde" not in b.text
    for st in result.shared:
        assert not any("Opernhaus" in m.text or "Ehrengarde" in m.text for m in st.mentions)


def test_page_furniture_is_not_article_text(result):
    b = result.articles[1]
    assert "Loading" not in b.text
    assert any(r.text.strip() == "Loading" and r.reason == "furniture" for r in b.removed)


def test_json_document_follows_the_schema(result):
    doc = result.to_dict()
    validate_comparison(doc)
    assert doc["schema"] == "counterpoint/comparison@1"
    assert {a["language"] for a in doc["articles"]} == {"de"}


def test_english_report_aligns_to_the_german_seeds(seeds, shared):
    from pathlib import Path

    english = str(Path(__file__).resolve().parents[1] / "data" / "putin-vietnam-en.txt")
    result = compare([*seeds, english], load_settings(env={}))
    en = result.articles[2]
    assert en.language == "en"
    de_ids = {result.articles[0].id, result.articles[1].id}
    found = {}
    for st in result.shared:
        en_texts = [m.text for m in st.mentions if m.article == en.id]
        if en_texts and de_ids & set(st.articles):
            for t in en_texts:
                found[t] = st
    assert any("platform" in t for t in found), "embassy statement"
    assert any("2017" in t for t in found), "last visit"
    assert any("30th anniversary" in t for t in found), "treaty"
    # the traffic remark appears in no German article
    assert not any("traffic" in t for t in found)


def test_every_mention_maps_back_to_the_source_text(result):
    for art in result.articles:
        source = art.source_text or art.text
        doc_map = art.to_dict()["source_map"]
        assert doc_map == [list(run) for run in art.offset_map]
        for st in result.statements:
            for m in st.mentions:
                if m.article == art.id:
                    start = art.source_offset(m.start)
                    assert source[start : start + len(m.text)] == m.text
