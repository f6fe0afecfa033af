from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint import registry
from counterpoint.analyze.pipeline import Pipeline
from counterpoint.analyze.sentences import RuleSentencizer, split_sentences
from counterpoint.model import Analysis, Article
from counterpoint.settings import Settings


def sents(text: str, language: str | None = "de") -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, language)]


def check(text: str, expected: list[str], language: str | None = "de") -> None:
    assert sents(text, language) == expected


# ---- German ---------------------------------------------------------------------------------------

GERMAN = [
    # sentence-final punctuation inside a closing quote, in every quote style
    ("Er sagte: „Das ist gut.“ Dann ging er.", ["Er sagte: „Das ist gut.“", "Dann ging er."]),
    ('Er sagte: "Das ist gut." Dann ging er.', ['Er sagte: "Das ist gut."', "Dann ging er."]),
    ("Er sagte: »Das ist gut.« Dann ging er.", ["Er sagte: »Das ist gut.«", "Dann ging er."]),
    ("Er sagte: «Das ist gut.» Dann ging er.", ["Er sagte: «Das ist gut.»", "Dann ging er."]),
    ("Er sagte: ‚Das ist gut.‘ Dann ging er.", ["Er sagte: ‚Das ist gut.‘", "Dann ging er."]),
    ("Er sagte: 'Das ist gut.' Dann ging er.", ["Er sagte: 'Das ist gut.'", "Dann ging er."]),
    ("Er fragte: „Kommst du?“ Sie nickte.", ["Er fragte: „Kommst du?“", "Sie nickte."]),
    # a quotation followed by its attribution is one sentence
    ('"Das ist gut", sagte er. Dann ging er.', ['"Das ist gut", sagte er.', "Dann ging er."]),
    ("„Das ist gut“, so Müller. Er lachte.", ["„Das ist gut“, so Müller.", "Er lachte."]),
    ("„Das ist gut.“, so Müller. Er lachte.", ["„Das ist gut.“, so Müller.", "Er lachte."]),
    ("„Kommst du?“, fragte sie. Er nickte.", ["„Kommst du?“, fragte sie.", "Er nickte."]),
    ("„Kommst du?“ fragte sie. Er nickte.", ["„Kommst du?“ fragte sie.", "Er nickte."]),
    ("„Wir gehen. Das ist klar“, sagte er.", ["„Wir gehen.", "Das ist klar“, sagte er."]),
    (
        "Sie sei „weit hinter der Zone“ gelandet. Dann brannte es.",
        ["Sie sei „weit hinter der Zone“ gelandet.", "Dann brannte es."],
    ),
    ("Er nannte es „gut“. Dann ging er.", ["Er nannte es „gut“.", "Dann ging er."]),
    ("Er schwieg. „Wir kommen wieder“, sagte er.", ["Er schwieg.", "„Wir kommen wieder“, sagte er."]),
    # abbreviations
    (
        "Das gilt z. B. für Berlin. Und z.B. für Hamburg.",
        ["Das gilt z. B. für Berlin.", "Und z.B. für Hamburg."],
    ),
    ("Das gilt z. B. Der Rest nicht.", ["Das gilt z. B. Der Rest nicht."]),
    (
        "Er traf u. a. Merkel, d. h. die Kanzlerin, bzw. ihr Büro.",
        ["Er traf u. a. Merkel, d. h. die Kanzlerin, bzw. ihr Büro."],
    ),
    ("Er traf u.a. Die Linke und d.h. Die Grünen.", ["Er traf u.a. Die Linke und d.h. Die Grünen."]),
    (
        "Es kamen ca. 300 Menschen. Dr. Müller und Prof. Meier sprachen.",
        ["Es kamen ca. 300 Menschen.", "Dr. Müller und Prof. Meier sprachen."],
    ),
    (
        "Er wohnt in der Gartenstr. 5 in St. Pauli. Nr. 7 ist leer.",
        ["Er wohnt in der Gartenstr. 5 in St. Pauli.", "Nr. 7 ist leer."],
    ),
    (
        "Gemäß Art. 5 Abs. 3 GG gilt das, vgl. auch Art. 3. Das ist klar.",
        ["Gemäß Art. 5 Abs. 3 GG gilt das, vgl. auch Art. 3.", "Das ist klar."],
    ),
    (
        "Das kostet 3 Mio. Euro inkl. Steuer, ggf. mehr, evtl. weniger.",
        ["Das kostet 3 Mio. Euro inkl. Steuer, ggf. mehr, evtl. weniger."],
    ),
    ("Der Umsatz lag bei 5 Mrd. Das ist ein Rekord.", ["Der Umsatz lag bei 5 Mrd.", "Das ist ein Rekord."]),
    ("Im 19. Jh. Deutschlands Städte wuchsen.", ["Im 19. Jh. Deutschlands Städte wuchsen."]),
    ("Im 19. Jh. Die Städte wuchsen.", ["Im 19. Jh.", "Die Städte wuchsen."]),
    ("Er kaufte Äpfel, Birnen usw. Dann ging er.", ["Er kaufte Äpfel, Birnen usw.", "Dann ging er."]),
    ("Er kaufte Äpfel, Birnen etc. Dann ging er.", ["Er kaufte Äpfel, Birnen etc.", "Dann ging er."]),
    ("Er kaufte Äpfel usw. Nicht Birnen.", ["Er kaufte Äpfel usw.", "Nicht Birnen."]),
    ("Der Chaos Computer Club e.V. (CCC) tagt.", ["Der Chaos Computer Club e.V. (CCC) tagt."]),
    ("Die Partei (engl. „People's Party“) siegte.", ["Die Partei (engl. „People's Party“) siegte."]),
    ("Am 3. Aug. 2017 kam er.", ["Am 3. Aug. 2017 kam er."]),
    # ordinals and dates
    (
        "Am 20. Juni 2024 reiste Putin nach Hanoi. Dort blieb er.",
        ["Am 20. Juni 2024 reiste Putin nach Hanoi.", "Dort blieb er."],
    ),
    ("Im 20. Jahrhundert war das anders.", ["Im 20. Jahrhundert war das anders."]),
    ("Der 3. Oktober ist ein Feiertag.", ["Der 3. Oktober ist ein Feiertag."]),
    ("Freitag, 10. Juni 2005, in Dresden.", ["Freitag, 10. Juni 2005, in Dresden."]),
    ("Das war im Jahr 2017. Das war ein gutes Jahr.", ["Das war im Jahr 2017.", "Das war ein gutes Jahr."]),
    ("Das war im Jahr 2017. Mitglieder kamen.", ["Das war im Jahr 2017.", "Mitglieder kamen."]),
    (
        "Sie belegte Platz 2. Die Siegerin kam aus Oslo.",
        ["Sie belegte Platz 2.", "Die Siegerin kam aus Oslo."],
    ),
    ("Sie belegte Platz 2. Trainer Meier war froh.", ["Sie belegte Platz 2.", "Trainer Meier war froh."]),
    ("Er wurde 2. Die Siegerin kam aus Oslo.", ["Er wurde 2.", "Die Siegerin kam aus Oslo."]),
    ("Der 1. FC Köln gewann in der 90. Minute.", ["Der 1. FC Köln gewann in der 90. Minute."]),
    ("Vom 5. bis 9. November tagte er.", ["Vom 5. bis 9. November tagte er."]),
    (
        "Ludwig XIV. regierte lange. Ludwig XIV. Der Sonnenkönig.",
        ["Ludwig XIV. regierte lange.", "Ludwig XIV.", "Der Sonnenkönig."],
    ),
    ("1. Der erste Punkt.", ["1. Der erste Punkt."]),
    # initials
    ("J. R. R. Tolkien schrieb das Buch.", ["J. R. R. Tolkien schrieb das Buch."]),
    ("George W. Bush traf Angela Merkel.", ["George W. Bush traf Angela Merkel."]),
    ("Er nahm Vitamin C. Das half.", ["Er nahm Vitamin C.", "Das half."]),
    # decimals, versions, thousands
    (
        "Der Handel wuchs um 8,3 Prozent. Version 8.3 erschien.",
        ["Der Handel wuchs um 8,3 Prozent.", "Version 8.3 erschien."],
    ),
    (
        "Die Bahn ist 2.800 Meter lang. Sie kostete 2.800. Mehr nicht.",
        ["Die Bahn ist 2.800 Meter lang.", "Sie kostete 2.800.", "Mehr nicht."],
    ),
    # ellipses
    (
        "Vietnam verfolgt (...) eine Politik. Wir messen (…) Russland Bedeutung bei.",
        ["Vietnam verfolgt (...) eine Politik.", "Wir messen (…) Russland Bedeutung bei."],
    ),
    ("Die Partei […] Besondere Maßnahmen kommen.", ["Die Partei […] Besondere Maßnahmen kommen."]),
    ("Er zögerte... Dann sprach er.", ["Er zögerte...", "Dann sprach er."]),
    ("Er zögerte … Dann sprach er.", ["Er zögerte …", "Dann sprach er."]),
    ("Eine weitere Art ... Bluff eben.", ["Eine weitere Art ... Bluff eben."]),
    # URLs and e-mail
    (
        "Mehr unter www.example.de/news?id=1. Dort steht alles.",
        ["Mehr unter www.example.de/news?id=1.", "Dort steht alles."],
    ),
    (
        "Schreiben Sie an info@example.de. Wir antworten.",
        ["Schreiben Sie an info@example.de.", "Wir antworten."],
    ),
    ("Die Seite https://example.com/a.B.c ist neu.", ["Die Seite https://example.com/a.B.c ist neu."]),
    ("Schreiben Sie max.Mustermann@example.de an.", ["Schreiben Sie max.Mustermann@example.de an."]),
    # a missing space after the period (scraped text)
    (
        "Das kostete 97 Millionen US-Dollar.Die Entscheidung fiel.",
        ["Das kostete 97 Millionen US-Dollar.", "Die Entscheidung fiel."],
    ),
    # exclamation and question marks
    ("Wie bitte? Das geht nicht! Niemals.", ["Wie bitte?", "Das geht nicht!", "Niemals."]),
    ("Ist das gut?! Ja.", ["Ist das gut?!", "Ja."]),
    ("Bei Yahoo! arbeitet er.", ["Bei Yahoo! arbeitet er."]),
]


@pytest.mark.parametrize(("text", "expected"), GERMAN)
def test_german(text: str, expected: list[str]) -> None:
    check(text, expected, "de")


# ---- English --------------------------------------------------------------------------------------

ENGLISH = [
    ("He said: “This is good.” Then he left.", ["He said: “This is good.”", "Then he left."]),
    ('"We will win," he said. "We always do."', ['"We will win," he said.', '"We always do."']),
    ('"Is it over?" she asked. Nobody knew.', ['"Is it over?" she asked.', "Nobody knew."]),
    ('"Stop!" Smith shouted. The crowd stopped.', ['"Stop!" Smith shouted.', "The crowd stopped."]),
    ("'It is over,' he said. Then he left.", ["'It is over,' he said.", "Then he left."]),
    (
        "Mr. Smith met Mrs. Jones, Ms. Lee and Dr. Brown on St. Patrick's Day.",
        ["Mr. Smith met Mrs. Jones, Ms. Lee and Dr. Brown on St. Patrick's Day."],
    ),
    (
        "The U.S. economy grew. It was the best year since 2017.",
        ["The U.S. economy grew.", "It was the best year since 2017."],
    ),
    ("He moved to the U.S. The move was quick.", ["He moved to the U.S.", "The move was quick."]),
    (
        "Talks with the U.K. and the U.S. Treasury ended.",
        ["Talks with the U.K. and the U.S. Treasury ended."],
    ),
    (
        "Sales rose, e.g. in Europe, i.e. in France. Apple vs. Samsung went on.",
        ["Sales rose, e.g. in Europe, i.e. in France.", "Apple vs. Samsung went on."],
    ),
    (
        "Acme Inc. said profits rose. Shares of Acme Corp. The rival fell.",
        ["Acme Inc. said profits rose.", "Shares of Acme Corp.", "The rival fell."],
    ),
    (
        "The vote is on Jan. 5. The board will meet on Feb. 12 and Dec. 1.",
        ["The vote is on Jan. 5.", "The board will meet on Feb. 12 and Dec. 1."],
    ),
    ("It was 5 p.m. The store closed.", ["It was 5 p.m.", "The store closed."]),
    ("George W. Bush met J. K. Rowling.", ["George W. Bush met J. K. Rowling."]),
    (
        "He finished in 2nd place. No. 10 Downing Street said no.",
        ["He finished in 2nd place.", "No. 10 Downing Street said no."],
    ),
    (
        "Growth was 8.3 percent in version 2.1. Prices rose 3.5%.",
        ["Growth was 8.3 percent in version 2.1.", "Prices rose 3.5%."],
    ),
    ("He waited... Then he left.", ["He waited...", "Then he left."]),
    ("He waited (...) and left.", ["He waited (...) and left."]),
    (
        "See https://example.com/news. Or write to press@example.com. Thanks!",
        ["See https://example.com/news.", "Or write to press@example.com.", "Thanks!"],
    ),
    ("He scored 5. The team won.", ["He scored 5.", "The team won."]),
    ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english(text: str, expected: list[str]) -> None:
    check(text, expected, "en")


def test_unknown_language_uses_both_lists() -> None:
    expected = ["Dr. Müller kam am 20. Juni.", "Mr. Smith too."]
    check("Dr. Müller kam am 20. Juni. Mr. Smith too.", expected, None)
    check("Er kam z. B. am 3. Oktober.", ["Er kam z. B. am 3. Oktober."], "fr")


# ---- lines, whitespace, offsets ----------------------------------------------------------------------


def test_newline_always_ends_a_sentence() -> None:
    text = "Überschrift ohne Punkt\nErster Satz. Zweiter Satz\n\n  Dritter Satz.  \r\nvgl.\nS. 5"
    assert sents(text) == [
        "Überschrift ohne Punkt",
        "Erster Satz.",
        "Zweiter Satz",
        "Dritter Satz.",
        "vgl.",
        "S. 5",
    ]


def test_spans_are_offsets_into_the_text() -> None:
    text = "  Er kam. Sie ging.  \n\nEnde."
    assert split_sentences(text) == [(2, 9), (10, 19), (23, 28)]


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\n \r\n", "...", "„“", "\n.\n"])
def test_degenerate_input(text: str) -> None:
    spans = split_sentences(text)
    assert all(text[s:e].strip() for s, e in spans)


def test_no_punctuation_at_all_is_one_sentence_per_line() -> None:
    text = "wort " * 400_000  # 2 MB, one line, no punctuation
    assert split_sentences(text) == [(0, len(text) - 1)]


@pytest.mark.parametrize(
    "unit", ["„", "“", '"', "«", "»", "'", "‚Das „ist", "„Er sagte: »Wir« ", "(((", "...", ".", "!?" * 3, " "]
)
def test_two_megabytes_without_sentences_finish(unit: str) -> None:
    # no punctuation, unbalanced or nested quote marks, long runs of punctuation: a few spans, quickly
    text = "Wort " + unit * (2_000_000 // len(unit))
    spans = split_sentences(text)
    assert 1 <= len(spans) <= 3
    assert all(0 <= s < e <= len(text) for s, e in spans)


@pytest.mark.parametrize("unit", ["a.B", "z. B. ", "Er kam. ", "! ? ", "„Ja.“ ", "am 2. Juni. "])
def test_dense_candidates_stay_linear(unit: str) -> None:
    # every few characters a candidate boundary; each is decided from a bounded window
    text = unit * (200_000 // len(unit))
    spans = split_sentences(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)


# ---- invariants -------------------------------------------------------------------------------------

_PIECES = ["Dr.", "z. B.", "Der ", "...", "U.S.", "2017. ", "„Ja.“ ", '"Nein?" ']
_ALPHABET = st.sampled_from([*"aB zZ.,;:!?…-–()[]\n\t\r'\"„“”‚‘’»«‹›0123456789", *_PIECES])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join), st.sampled_from(["de", "en", None]))
def test_span_invariants(text: str, language: str | None) -> None:
    spans = split_sentences(text, language)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        assert "\n" not in piece
        previous_end = end
    # every non-space character of the text lies in some sentence
    covered = {i for start, end in spans for i in range(start, end)}
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


# ---- the pipeline component ----------------------------------------------------------------------------


def test_component_is_registered_and_sets_sentences() -> None:
    component = registry.create("sentences.rules.v1", Settings())
    assert isinstance(component, RuleSentencizer)
    text = "Titel\n\nErster Satz. Zweiter Satz.\n   \nDritter Absatz."
    analysis = Pipeline([component])(Article(id="a", text=text, language="de"))
    assert [(s.text, s.paragraph) for s in analysis.sentences] == [
        ("Titel", 0),
        ("Erster Satz.", 1),
        ("Zweiter Satz.", 1),
        ("Dritter Absatz.", 2),
    ]
    assert all(text[s.start : s.end] == s.text for s in analysis.sentences)
    assert analysis.components == ("sentences.rules.v1",)


def test_component_prefers_the_detected_language() -> None:
    article = Article(id="a", text="He moved to the U.S. The move was quick.", language="de")
    english = RuleSentencizer()(Analysis(article=article, language="en"))
    assert len(english.sentences) == 2


def test_component_pickles() -> None:
    component = pickle.loads(pickle.dumps(RuleSentencizer()))
    assert component(Analysis(article=Article(id="a", text="Ja. Nein."))).sentences[1].text == "Nein."
