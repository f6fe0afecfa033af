"""Document vectors: title and lead, one unit row per article, close across languages for one event."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from counterpoint.analyze.embed import Embedder
from counterpoint.model import Article
from counterpoint.stories.similarity import story_similarity
from counterpoint.stories.vector import LEAD_CHARS, document_vectors, lead_text, story_embedder

STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return story_embedder()


def _story(name: str) -> dict[str, Article]:
    records = [json.loads(line) for line in (STORIES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip()]
    return {r["id"]: Article(id=r["id"], text=r["text"], title=r["title"], language=r["language"]) for r in records}


def test_lead_text_puts_the_title_first_once_and_cuts_at_a_word() -> None:
    body = "Ein Regionalzug ist entgleist.\n\nElf Menschen wurden verletzt. " + "Weitere Details folgen. " * 30
    lead = lead_text(Article(id="a", text=body, title="Zug entgleist"))
    assert lead.startswith("Zug entgleist. Ein Regionalzug ist entgleist. Elf Menschen")
    assert len(lead) <= LEAD_CHARS and body.split()[-1] not in lead[-3:]
    assert lead_text(Article(id="b", text="Zug entgleist\nEin Regionalzug ist entgleist.", title="Zug entgleist")) \
        == "Zug entgleist Ein Regionalzug ist entgleist."
    assert lead_text(Article(id="c", text="", title="Nur ein Titel")) == "Nur ein Titel"
    assert lead_text(Article(id="d", text="abc " * 100), limit=10) == "abc abc"


def test_one_unit_float32_row_per_article(embedder: Embedder) -> None:
    articles = list(_story("fehrsund-werft").values())
    vectors = document_vectors(articles, embedder)
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_german_and_an_english_report_of_one_event_land_close(embedder: Embedder) -> None:
    derailment = _story("wittenbrueck-derailment")
    german, english = derailment["anzeiger"], derailment["ledger"]
    unrelated = _story("fehrsund-werft")["tageblatt"]  # German, another story
    same = story_similarity(german, english, embedder)
    assert same > 0.6
    assert same - story_similarity(german, unrelated, embedder) > 0.3
    assert same - story_similarity(english, unrelated, embedder) > 0.3
