"""HTML pages through trafilatura + htmldate + the cleaner (fixtures in tests/data/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from counterpoint.errors import ExtractError
from counterpoint.settings import Settings
from counterpoint.sources import load_source
from counterpoint.sources.html import article_from_html, decode_html

DATA = Path(__file__).resolve().parents[1] / "data"
S = Settings()

NEWS_BODY = [
    "Nach jahrelangem Streit hat der Stadtrat am Donnerstagabend den Bau der Straßenbahnlinie 7 beschlossen.",
    "Mit 38 zu 21 Stimmen stimmte der Stadtrat für den Bau der rund sechs Kilometer langen Strecke.",
    "Oberbürgermeisterin Katrin Weidner sprach von einem „historischen Tag für die Stadt“.",
    "Die Fraktion der Freien Wähler kritisierte vor allem die Finanzierung.",
    "Auch Anwohnerinnen und Anwohner der Hafenstraße hatten gegen die Pläne protestiert.",
    "Als Nächstes muss die Stadt die Förderanträge bei Bund und Land stellen.",
    "Der Fahrgastverband Pro Bahn begrüßte die Entscheidung.",
]
NEWS_JUNK = ["Cookies", "Alle akzeptieren", "Zum Inhalt springen", "Politik", "Teilen", "WhatsApp", "Foto:",
             "Lesen Sie auch", "Neues Busnetz", "Anzeige", "Newsletter", "Themen:", "Mehr zum Thema",
             "Endlich!", "Steuerzahler", "Impressum", "Rechte vorbehalten", "Kritik an den Kosten",
             "Wie geht es weiter?", "Von Miriam Albrecht"]


def test_news_page_body_and_metadata() -> None:
    [a] = load_source(str(DATA / "news_article.html"), S)
    assert a.id == "news_article"
    assert a.title == "Stadtrat beschließt neue Straßenbahnlinie nach Osthafen"
    assert a.outlet == "Rheinpfalz Rundschau"
    assert a.author == "Miriam Albrecht"
    assert a.published == "2024-03-14"
    assert a.language == "de"
    assert a.url == "https://www.rheinpfalz-rundschau.example/lokales/stadtrat-strassenbahn-osthafen-100.html"
    paragraphs = a.text.split("\n")
    assert len(paragraphs) == len(NEWS_BODY)
    for start, para in zip(NEWS_BODY, paragraphs, strict=True):
        assert para.startswith(start)
    for junk in NEWS_JUNK:
        assert junk not in a.text, junk
    assert {r.text: r.reason for r in a.removed} == {"Kritik an den Kosten": "heading",
                                                      "Wie geht es weiter?": "heading"}


def test_wire_story_pull_quote_advert_and_caption() -> None:
    [a] = load_source(str(DATA / "wire_story.html"), S)
    assert a.title == "Harbour authority fines shipping firm over fuel spill"
    assert (a.outlet, a.author) == ("Northern Courier", "Tom Hale")
    assert (a.published, a.language) == ("2023-11-02", "en")
    assert a.text.startswith("The harbour authority has fined the shipping company Baltic Line")
    assert a.text.endswith("at its next meeting in December.")
    assert len(a.text.split("\n")) == 6
    for junk in ["Photograph", "Clean-up crews", "Advertisement", "Company to appeal", "Read more",
                 "Most read", "Morning Briefing", "Share", "Subscribe", "All rights reserved"]:
        assert junk not in a.text, junk
    # the quote stays once, in the body paragraph that attributes it
    assert a.text.count("The delay made a manageable incident") == 1
    assert "pull-quote" in {r.reason for r in a.removed}


def test_page_without_article_body() -> None:
    with pytest.raises(ExtractError, match="no article body found in HTML"):
        load_source(str(DATA / "no_body.html"), S)


@pytest.mark.parametrize("html", [
    "", "<html><body></body></html>", "<html><body><script>var a=1;</script></body>"])
def test_empty_pages(html: str) -> None:
    with pytest.raises(ExtractError, match="no article body found in HTML"):
        article_from_html(html, id="x")


def test_no_date_is_none_not_a_guess() -> None:
    body = "".join(f"<p>Der {i}. Absatz des Berichts enthält einen vollständigen Satz über die Sitzung.</p>"
                   for i in range(1, 8))
    html = f"<html><head><title>Sitzung</title></head><body><article>{body}</article>" \
           "<footer>© 2024 Lokalblatt</footer></body></html>"
    a = article_from_html(html, id="x")
    assert a.published is None
    assert a.outlet is None and a.url is None


def test_decode_html_uses_meta_charset() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Grüße</p></body></html>'
    assert "Grüße" in decode_html(html.encode("latin-1"))
    assert "Grüße" in decode_html(html.encode("utf-8"), "utf-8")
