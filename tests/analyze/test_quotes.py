from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint import registry
from counterpoint.analyze.pipeline import Pipeline
from counterpoint.analyze.quotemarks import find_quote_pairs
from counterpoint.analyze.quotes import RuleQuoteExtractor, extract_quotes
from counterpoint.analyze.sentences import RuleSentencizer
from counterpoint.model import Analysis, Article, Entity, Quote
from counterpoint.settings import Settings


def quotes(text: str, language: str = "de", entities: tuple[Entity, ...] = ()) -> list[Quote]:
    return extract_quotes(text, None, entities, language)


def only(text: str, language: str = "de", entities: tuple[Entity, ...] = ()) -> Quote:
    found = quotes(text, language, entities)
    assert len(found) == 1, found
    return found[0]


def entity(text: str, word: str, label: str, eid: str, canonical: str, kind: str = "name") -> Entity:
    start = text.index(word)
    return Entity(start, start + len(word), word, label, eid, canonical, kind=kind)  # type: ignore[arg-type]


# ---- direct quotes -------------------------------------------------------------------------------------

MARKS = [("„", "“"), ('"', '"'), ("»", "«"), ("«", "»"), ("‚", "‘"), ("'", "'"), ("“", "”"), ("„", "”")]


@pytest.mark.parametrize(("opening", "closing"), MARKS)
def test_direct_quote_in_every_mark_style(opening: str, closing: str) -> None:
    text = f"{opening}Wir werden weiter zusammenarbeiten{closing}, sagte Putin."
    q = only(text)
    assert q.kind == "direct"
    assert q.text == f"{opening}Wir werden weiter zusammenarbeiten{closing}"
    assert (q.speaker_text, q.cue_text) == ("Putin", "sagte")


@pytest.mark.parametrize("text", [
    "Unter dem Motto „Radeln - aber sicher?!“ hatten am 3. Mai die Verkehrsplaner eingeladen.",
    "Der „Pocket Max“ soll der Nachfolger des älteren Modells werden.",
])
def test_a_few_quoted_words_without_speaker_or_speech_verb_are_not_a_quote(text: str) -> None:
    assert quotes(text) == []


def test_a_few_quoted_words_with_a_speaker_are_still_a_quote() -> None:
    assert [q.text for q in quotes("„Völlig inakzeptabel“, sagte die Ministerin.")] == ["„Völlig inakzeptabel“"]


def test_direct_quote_after_colon_and_over_several_sentences() -> None:
    text = "Putin erklärte: „Die Diskussion war gut. Darin ist kein Platz für Blöcke.“ Dann reiste er ab."
    q = only(text)
    assert q.kind == "direct"
    assert q.text == "„Die Diskussion war gut. Darin ist kein Platz für Blöcke.“"
    assert (q.speaker_text, q.cue_text) == ("Putin", "erklärte")


def test_quote_split_by_the_attribution_gives_two_quotes_of_one_speaker() -> None:
    text = "„Das ist ein Anfang“, sagte Rahmat, „aber es reicht noch lange nicht.“"
    first, second = quotes(text)
    assert (first.text, second.text) == ("„Das ist ein Anfang“", "„aber es reicht noch lange nicht.“")
    assert first.speaker_text == second.speaker_text == "Rahmat"
    assert first.cue_start == second.cue_start


def test_quote_continued_in_the_next_sentence_keeps_the_speaker() -> None:
    text = '"Vielleicht geht es einfach um Balance", sagte Gould-Davies. "Im Laufe eines Jahres kamen drei Staatschefs.'
    _first, second = quotes(text)
    assert second.kind == "direct"
    assert second.text.startswith('"Im Laufe')  # the mark left open quotes to the paragraph's end
    assert second.speaker_name == "Gould-Davies"


def test_english_direct_quotes() -> None:
    q = only('"We will keep working together," Lam said.', "en")
    assert (q.kind, q.speaker_text, q.cue_text) == ("direct", "Lam", "said")
    q = only('"It would be a very big mistake," warned Putin.', "en")
    assert (q.speaker_text, q.cue_text) == ("Putin", "warned")


# ---- indirect and mixed --------------------------------------------------------------------------------


def test_konjunktiv_after_speech_verb() -> None:
    q = only("Jedenfalls sagte Putin, die beiden Länder hätten ein gemeinsames Interesse an Sicherheit.")
    assert q.kind == "indirect"
    assert q.text == "die beiden Länder hätten ein gemeinsames Interesse an Sicherheit"
    assert (q.speaker_text, q.cue_text) == ("Putin", "sagte")


def test_dass_clause_with_separable_verb() -> None:
    q = only("Lam fügte hinzu, dass beide Länder weiter zusammenarbeiten wollen.")
    assert q.text == "dass beide Länder weiter zusammenarbeiten wollen"
    assert (q.speaker_text, q.cue_text) == ("Lam", "fügte")


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("Der Besuch sei für Hanoi wichtig, sagte Gould-Davies.", "Gould-Davies", "sagte"),
        ("Putin wolle die Isolation durchbrechen, so Nguyen Khac Giang, Analyst in Singapur.", "Nguyen Khac Giang",
         "so"),
        ("Es sei unwahrscheinlich, dass Vietnam Waffen liefert, sagte Ridzwan Rahmat, ein in Singapur ansässiger "
         "Analyst.", "Ridzwan Rahmat", "sagte"),
        ("Der Vertrag sei unterzeichnet, wie die Nachrichtenagentur Interfax berichtete.", "die Nachrichtenagentur "
         "Interfax", "berichtete"),
    ],
)
def test_attribution_after_the_content(text: str, speaker: str, cue: str) -> None:
    q = only(text)
    assert q.kind == "indirect"
    assert (q.speaker_text, q.cue_text) == (speaker, cue)
    assert text.startswith(q.text)


def test_description_as_speaker() -> None:
    q = only("Der Konflikt werde andauern, sagte ein in Singapur ansässiger Analyst.")
    assert q.speaker_text == "ein in Singapur ansässiger Analyst"


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        ("Laut Polizei wurden drei Menschen verletzt.", "Polizei", "Laut", "wurden drei Menschen verletzt"),
        ("Nach Angaben der Behörden starben zwei Menschen.", "der Behörden", "Nach", "starben zwei Menschen"),
        ("Offiziellen Angaben zufolge starben zwei Menschen.", "Offiziellen Angaben", "zufolge",
         "starben zwei Menschen"),
    ],
)
def test_source_frames(text: str, speaker: str, cue: str, content: str) -> None:
    q = only(text)
    assert (q.kind, q.speaker_text, q.cue_text, q.text) == ("indirect", speaker, cue, content)


def test_mixed_quote_of_an_organisation_in_a_relative_clause() -> None:
    text = ("Putins Reise führte zu einer Rüge durch die US-Botschaft in Vietnam, die erklärte, dass „kein Land "
            "Putin eine Plattform geben sollte“.")
    embassy = entity(text, "US-Botschaft in Vietnam", "ORG", "e7", "US-Botschaft in Vietnam")
    q = only(text, entities=(embassy,))
    assert q.kind == "mixed"
    assert q.text.startswith("dass „kein Land")
    assert q.speaker_text == "die US-Botschaft in Vietnam"
    assert (q.speaker_entity, q.speaker_name, q.cue_text) == ("e7", "US-Botschaft in Vietnam", "erklärte")


def test_free_indirect_speech_continues_the_speaker() -> None:
    text = "Der Minister sagte, die Lage sei ernst. Es gebe keine schnelle Lösung. Die Sitzung endete am Abend."
    first, second = quotes(text)
    assert second.text == "Es gebe keine schnelle Lösung."
    assert second.kind == "indirect" and second.cue_text is None
    assert second.speaker_text == first.speaker_text == "Der Minister"


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        ("Putin said the two countries had a common interest in security.", "Putin", "said",
         "the two countries had a common interest in security"),
        ("He added that talks would continue next week.", "He", "added", "that talks would continue next week"),
        ("The minister told reporters that the plan was dead.", "The minister", "told", "that the plan was dead"),
        ("According to the embassy, no country should give Putin a platform.", "the embassy", "According to",
         "no country should give Putin a platform"),
        ("The deal was not substantial, said Nigel Gould-Davies.", "Nigel Gould-Davies", "said",
         "The deal was not substantial"),
    ],
)
def test_english_indirect_speech(text: str, speaker: str, cue: str, content: str) -> None:
    q = only(text, "en")
    assert (q.kind, q.speaker_text, q.cue_text, q.text) == ("indirect", speaker, cue, content)


# ---- speakers ------------------------------------------------------------------------------------------


def test_pronoun_resolves_to_the_previous_speaker_entity() -> None:
    text = "Der Besuch sei wichtig, sagte Gould-Davies. „Es geht um das Gleichgewicht“, sagte er."
    ents = (
        entity(text, "Gould-Davies", "PER", "e3", "Nigel Gould-Davies"),
        entity(text, "er.", "PER", None, None, kind="pronoun"),  # type: ignore[arg-type]
    )
    first, second = quotes(text, entities=ents)
    assert first.speaker_entity == "e3" and first.speaker_name == "Nigel Gould-Davies"
    assert second.speaker_text == "er"
    assert (second.speaker_entity, second.speaker_name) == ("e3", "Nigel Gould-Davies")


def test_pronoun_skips_persons_named_inside_quotes() -> None:
    text = ("Der Besuch sei wichtig, sagte Gould-Davies.\n"
            "„Seit Beginn des Krieges konnte Putin nicht weit reisen“, sagte er.")
    ents = (
        entity(text, "Gould-Davies", "PER", "e3", "Nigel Gould-Davies"),
        entity(text, "Putin", "PER", "e1", "Wladimir Putin"),
    )
    second = quotes(text, entities=ents)[1]
    assert (second.speaker_text, second.speaker_entity) == ("er", "e3")


def test_pronoun_without_entities_takes_the_previous_speaker_name() -> None:
    text = "„Vietnam handelt im eigenen Interesse“, schrieb Goledzinowski. „Das bleibt so“, schrieb er."
    assert [q.speaker_name for q in quotes(text)] == ["Goledzinowski", "Goledzinowski"]


# ---- the seed articles ---------------------------------------------------------------------------------


def _speakers(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found = set()
    for q in quotes(text):
        for name in (q.speaker_name, q.speaker_text):
            if name:
                found.add(name)
    return found


def test_seed_000_speakers(shared: Path) -> None:
    path = shared / "seeds" / "000_eb1b102821afac78.txt"
    if not path.exists():
        pytest.skip("seed 000 is missing")
    text = path.read_text(encoding="utf-8")
    found = quotes(text)
    speakers = _speakers(path)
    for name in ("Nigel Gould-Davies", "Nguyen Khac Giang", "Ridzwan Rahmat", "Prashanth Parameswaran",
                 "Andrew Goledzinowski", "Putin", "Lam"):
        assert name in speakers, name
    assert any("US-Botschaft" in s for s in speakers)
    assert any(q.speaker_text == "Rahmat" and q.cue_text == "sagte" for q in found)
    assert any(q.speaker_text == "er" and q.cue_text == "schrieb" and q.speaker_name == "Andrew Goledzinowski"
               for q in found)


def test_seed_003_speakers(shared: Path) -> None:
    path = shared / "seeds" / "003_e346abbffeafbc41.txt"
    if not path.exists():
        pytest.skip("seed 003 is missing")
    speakers = _speakers(path)
    for name in ("Putin", "Lâm", "Jang"):
        assert name in speakers, name
    assert any("US-Botschaft" in s for s in speakers)


# ---- the component -------------------------------------------------------------------------------------


def test_component_in_a_pipeline() -> None:
    comp = registry.create("quotes.rules.v1", Settings())
    assert isinstance(comp, RuleQuoteExtractor)
    assert (comp.name, comp.requires, comp.assigns) == ("quotes.rules.v1", ("sentences",), ("quotes",))
    clone = pickle.loads(pickle.dumps(comp))
    pipeline = Pipeline([RuleSentencizer(), clone])
    article = Article(id="a", text="„Wir sind zufrieden“, sagte Lam.\nLaut Polizei blieb es ruhig.", language="de")
    analysis = pipeline(article)
    assert [q.speaker_text for q in analysis.quotes] == ["Lam", "Polizei"]
    assert analysis.components == ("sentences.rules.v1", "quotes.rules.v1")


def test_component_reads_entities_when_present() -> None:
    text = "„Wir sind zufrieden“, sagte Lam."
    lam = entity(text, "Lam", "PER", "e2", "To Lam")
    analysis = RuleSentencizer()(Analysis(article=Article(id="a", text=text, language="de")))
    analysis = dataclasses.replace(analysis, entities=(lam,))
    result = RuleQuoteExtractor()(analysis)
    assert result.entities == (lam,)
    assert (result.quotes[0].speaker_entity, result.quotes[0].speaker_name) == ("e2", "To Lam")


# ---- hostile text --------------------------------------------------------------------------------------


def _check(text: str, found: list[Quote]) -> None:
    for q in found:
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start : q.end] == q.text
        if q.speaker_start is not None:
            assert q.speaker_end is not None and 0 <= q.speaker_start < q.speaker_end <= len(text)
            assert text[q.speaker_start : q.speaker_end] == q.speaker_text
        if q.cue_start is not None:
            assert q.cue_end is not None and 0 <= q.cue_start < q.cue_end <= len(text)
            assert text[q.cue_start : q.cue_end] == q.cue_text
        assert q.kind in ("direct", "indirect", "mixed")


@pytest.mark.parametrize(
    "text",
    [
        "„„„„„„„„ sagte er, „ “ “ » « « ' ' ’ “Er sagte: „Ja“",
        "»Nein« «Ja» ‚doch‘ „„Verschachtelt“ sagte er“, sagte sie.",
        "sagte er, dass „die Welt " * 2000,  # no sentence end, no closing mark
        "Путин сказал, что 習近平 „说“ sagte Putin, „Это“ so der Kreml, laut Tass: «Да».",
        "",
        "\n\n\n",
        "'s' '' \"\" „“ ,, sagte, so, laut, zufolge",
    ],
)
def test_hostile_text_does_not_crash(text: str) -> None:
    _check(text, quotes(text))
    _check(text, quotes(text, "en"))


def test_two_megabyte_article(shared: Path) -> None:
    seed = (shared / "seeds" / "000_eb1b102821afac78.txt").read_text(encoding="utf-8")
    text = (seed + "\n") * (2_000_000 // len(seed))
    found = quotes(text)
    assert len(found) > 1000
    _check(text, found[:50] + found[-50:])


def test_quote_pairs_do_not_cross_paragraphs() -> None:
    text = "„Eins\nZwei“ und „Drei“"
    assert [(p.start, p.end) for p in find_quote_pairs(text)] == [(text.index("„Drei"), len(text))]


_ALPHABET = st.sampled_from(
    [*"abcXYZ ,.:;!?\n\"'„“”‚‘’»«", "sagte ", "Putin ", "er ", "dass ", "so ", "laut ", "sei ", "said ",
     "according to ", "Die ", "hätten ", "zufolge "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join), st.sampled_from(["de", "en", None]))
def test_spans_are_well_formed(text: str, language: str | None) -> None:
    _check(text, extract_quotes(text, None, (), language))


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("„Wir brauchen nur noch ein Unentschieden“, zeigte sich Trainer Milovan Rajevac zufrieden.",
         "Trainer Milovan Rajevac", "zeigte"),
        ("„Ich trete als Konservativer an“, strich Romney in Arbutus heraus.", "Romney", "strich"),
        ("„Wozu sollte die Organisation existieren?“, fragen sich Experten.", "Experten", "fragen"),
        ("Denn: „Wozu sollte die Organisation existieren?“ fragen sich Experten.", "Experten", "fragen"),
    ],
)
def test_any_finite_verb_after_a_quotation_attributes_it(text: str, speaker: str, cue: str) -> None:
    q = only(text)
    assert q.kind == "direct"
    assert q.speaker_name == speaker
    assert q.cue_text == cue


def test_a_word_after_a_quotation_that_is_no_verb_does_not_attribute_it() -> None:
    found = quotes("Die Regierung nannte den Plan „vollkommen unrealistisch“, aber Kritiker widersprachen.")
    assert all(q.speaker_text != "Kritiker" for q in found)


def test_one_quoted_evaluative_word_is_a_quotation_of_the_subject() -> None:
    q = only("Die Regierung hatte den Bericht umgehend als „falsch“ zurückgewiesen.")
    assert (q.text, q.kind, q.speaker_text) == ("„falsch“", "direct", "Die Regierung")
    q = only("Der Hauptgeschäftsführer des BPI nannte die Pläne „fahrlässig“.")
    assert q.speaker_text == "Der Hauptgeschäftsführer des BPI"
    assert quotes("Er lenkte die Mondlandefähre „Eagle“ zum Landeplatz.") == []  # a name, not words said


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("In einem Interview äußerte sich der EU-Außenbeauftragte Javier Solana jedoch zuversichtlich: "
         "„Ich gehe davon aus, dass eine Einigung gelingen wird.“", "der EU-Außenbeauftragte Javier Solana"),
        ("Dazu gab das russische Außenministerium weiter bekannt: „Im Rahmen der Ermittlung machte er Aussagen.“",
         "das russische Außenministerium"),
        ("Relativierend fügt Gall hinzu: „Allerdings darf das nicht aus den Augen verloren werden.“", "Gall"),
    ],
)
def test_the_subject_after_the_verb_when_something_else_comes_first(text: str, speaker: str) -> None:
    q = only(text)
    assert q.speaker_text == speaker


def test_a_fronted_subject_still_speaks() -> None:
    q = only("Putin sagte, die beiden Länder hätten ein gemeinsames Interesse.")
    assert q.speaker_text == "Putin"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Ein Fernsehsender zitierte Papandreou mit den Worten: „Wenn ich das Problem bin, gehe ich.“", "Papandreou"),
        ("„Das wird das größte Update aller Zeiten“, zitiert die „Computerwoche“ Lynch in einem Bericht.", "Lynch"),
        ("„Wir gehen davon aus, dass das Gesetz kommt“, zitiert Welt-Online den Minister.", "den Minister"),
        ("Dies sei eine echte Chance, „Bürger erster Klasse zu werden“, wird Mike Downey, Produktmanager, zitiert.",
         "Mike Downey"),
        ("Dazu wird Watzke auf der Internetseite des Vereins wie folgt zitiert: „Es gab bessere Jahre.“", "Watzke"),
    ],
)
def test_who_is_cited_is_the_object_of_zitieren_or_the_subject_of_its_passive(text: str, speaker: str) -> None:
    found = [q for q in quotes(text) if q.kind == "direct"]
    assert [q.speaker_text for q in found][:1] == [speaker]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Miroslav Klose, der wegen wiederholter Fouls Gelb-Rot sah, nannte seinen Platzverweis „überzogen“.",
         "Miroslav Klose"),
        ("Sein Trainer nannte seinen Platzverweis „überzogen“.", "Sein Trainer"),
    ],
)
def test_an_accusative_phrase_after_the_verb_is_not_the_speaker(text: str, speaker: str) -> None:
    assert only(text).speaker_text == speaker


def test_a_capitalised_quotation_without_cue_or_sentence_mark_is_a_name_or_title() -> None:
    text = ("Am Aktionstag beteiligten sich die „Deutsche Krebshilfe“ und das „Aktionsbündnis "
            "Nichtrauchen für eine bessere Zukunft“ mit Ständen. Die Ärzte warnten: „Rauchen tötet.“")
    assert [q.text for q in quotes(text)] == ["„Rauchen tötet.“"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Seine Zuversicht betonte der Außenbeauftragte Javier Solana, die Einigung sei „nur eine Frage der Zeit“.",
         "der Außenbeauftragte Javier Solana"),
        ("Die Pläne der Regierung nannte die Haushaltspolitikerin Anja Hajduk „vollkommen unausgegoren“.",
         "die Haushaltspolitikerin Anja Hajduk"),
    ],
)
def test_a_thing_talked_about_is_not_the_speaker_when_a_person_is_at_hand(text: str, speaker: str) -> None:
    assert [q.speaker_text for q in quotes(text)] == [speaker]


def test_a_fragment_whose_subject_cannot_speak_goes_to_the_speaker_before() -> None:
    text = ("„Wir werden das prüfen“, sagte der Polizeisprecher Ralf Meyer. "
            "Die vorbeugende Speicherung ist für ihn „weder nötig noch verhältnismäßig“.")
    assert [q.speaker_text for q in quotes(text)] == ["der Polizeisprecher Ralf Meyer"] * 2


def test_one_quoted_capitalised_word_is_a_label_somebody_used_after_als_or_an_article() -> None:
    q = only("Der Kommissionspräsident der Afrikanischen Union nannte dies einen „Militärputsch“.")
    assert (q.text, q.speaker_text) == ("„Militärputsch“", "Der Kommissionspräsident der Afrikanischen Union")
    q = only("Die Justizministerin wies dies als „Unverschämtheit“ zurück.")
    assert q.text == "„Unverschämtheit“"
    assert quotes("Anhänger der Organisation „Obraz“ nannten die Parade eine Provokation.") == []


def test_a_closed_parenthesis_does_not_end_the_subject() -> None:
    q = only("Houcine Abassi, der Generalsekretär des Gewerkschaftsverbandes (UGIT), sagte gegenüber der "
             "Nachrichtenagentur dpa: „Wir werden unsere Revolution vollenden.“")
    assert q.speaker_text == "Houcine Abassi"
    q = only("Houcine Abassi, Generalsekretär des Gewerkschaftsverbandes (UGIT) sagte: „Wir machen weiter.“")
    assert q.speaker_text == "Houcine Abassi"


def test_und_and_a_colon_continue_the_speaker_before() -> None:
    found = quotes("Er äußerte sich mit den Worten: „Die Nachricht kann nicht einfacher sein.“ "
                   "Und: „Die Gefahren sind real und können bekämpft werden.“")
    assert [q.speaker_text for q in found] == ["Er", "Er"]


def test_a_fronted_object_is_not_the_speaker_of_a_quotation_after_a_colon() -> None:
    q = only("Den Unmut der CDU über Stoibers Äußerungen brachte die Sprecherin der Unionsfraktion, "
             "Annette Widmann-Mauz, zum Ausdruck: „Es gibt keinen Grund, Positionen aufzugeben.“")
    assert q.speaker_text is not None and q.speaker_text.startswith("die Sprecherin der Unionsfraktion")


@pytest.mark.parametrize(("text", "speaker", "content"), [
    ("In dem Bericht heißt es wörtlich: „Die Reform ist gescheitert.“", "dem Bericht", "„Die Reform ist gescheitert.“"),
    ("Aus Berlin hieß es, der Plan sei „nicht umsetzbar“.", "Berlin", "der Plan sei „nicht umsetzbar“"),
    ("Im ersten Absatz des Schreibens, das am Montag einging, heißt es: „Wir lehnen ab.“", "Absatz des Schreibens",
     "„Wir lehnen ab.“"),
    ("So heißt es in der Mitteilung des Vereins wörtlich: „Wir bleiben in der Stadt.“", "der Mitteilung des Vereins",
     "„Wir bleiben in der Stadt.“"),
    ("„Der Preis ehrt mutige Menschen“, heißt es auf der Webseite der Stiftung.", "der Webseite der Stiftung",
     "„Der Preis ehrt mutige Menschen“"),
    ("Die Kosten sollen „durch mehr Effizienz“ sinken, so heißt es in einer Erklärung der Gewerkschaft.",
     "einer Erklärung der Gewerkschaft", "Die Kosten sollen „durch mehr Effizienz“ sinken"),
])
def test_heisst_es_quotes_the_text_or_place_named_next_to_it(text: str, speaker: str, content: str) -> None:
    q = only(text)
    assert (q.speaker_text, q.text) == (speaker, content)
    assert q.cue_text in ("heißt", "hieß")


@pytest.mark.parametrize(("text", "speaker"), [
    ("Eine Bewährung sei möglich, zumal der Verteidiger immer wieder betont hatte, der Angeklagte sei nicht "
     "„gefährlich“.", "der Verteidiger"),
    ("Während die Sängerin erklärte, sie sei „wahnsinnig aufgeregt“, schwieg ihr Manager.", "die Sängerin"),
])
def test_the_subject_of_a_verb_last_clause_follows_its_conjunction(text: str, speaker: str) -> None:
    assert only(text).speaker_text == speaker


def test_a_quotation_after_a_colon_goes_to_the_phrase_after_the_verb_when_the_subject_cannot_speak() -> None:
    q = only("Die Anwendung der Regel stellte der Vorsitzende in Frage: „Die Richtlinie ist nicht lebensnah.“")
    assert q.speaker_text == "der Vorsitzende"


def test_so_x_with_an_adverb_still_attributes() -> None:
    first, second = quotes("Auch das habe Methode, so die Anwältin weiter: „Das ist in anderen Firmen üblich.“")
    assert (first.text, first.speaker_text, first.cue_text) == ("Auch das habe Methode", "die Anwältin", "so")
    assert (second.kind, second.speaker_text) == ("direct", "die Anwältin")
    q = only("„Das Milieu reicht bis in die Büros“, so Guttenberg wörtlich.")
    assert (q.speaker_text, q.cue_text) == ("Guttenberg", "so")


def test_a_quotation_without_cue_goes_to_the_subject_of_the_sentence_just_before() -> None:
    q = only("Um Zeit zu gewinnen, will die Ministerin den Lehrplan straffen. „Nicht jede Formel ist notwendig.“")
    assert (q.kind, q.speaker_text, q.cue_text) == ("direct", "die Ministerin", None)
    found = quotes("„Wir kommen wieder“, sagte der Trainer. Die Mannschaft fuhr nach "
                   "Hause. „Das war ein schwerer Tag für uns alle.“")
    assert [q.speaker_text for q in found] == ["der Trainer", "der Trainer"]  # a team does not speak here


@pytest.mark.parametrize(("text", "speaker"), [
    # an apposition between the subject and the verb
    ("Der frühere Bürgermeister, Hans Berger (SPD), warnte die Partei vor einem „populistischen Wahlkampf“.",
     "Der frühere Bürgermeister"),
    # a name the lexicon does not know, right before the verb, is the subject, not the phrase after the verb
    ("Wolkowitsch kritisierte die Handlungsweise Petrows als „Provokation, die gelegen kam“.", "Wolkowitsch"),
    # the second of two coordinated verbs shares the subject of the first
    ("In seiner Rede lobte der Premierminister den Einsatz und nannte den Angriff „schnell und entschieden“.",
     "der Premierminister"),
])
def test_the_object_after_the_verb_is_not_the_speaker(text: str, speaker: str) -> None:
    assert only(text).speaker_text == speaker


def test_a_second_clause_with_its_own_speaker_and_speech_verb_keeps_its_quotation() -> None:
    first, second = quotes("Der Stürmer nannte seinen Platzverweis „überzogen“, Trainer Joachim Löw bezeichnete die "
                           "vielen Karten als „übertrieben“.")
    assert (first.text, first.speaker_text) == ("„überzogen“", "Der Stürmer")
    assert (second.text, second.speaker_text, second.cue_text) == ("„übertrieben“", "Trainer Joachim Löw",
                                                                   "bezeichnete")


@pytest.mark.parametrize(("text", "cue"), [
    ("Der Arzt schilderte seinen Eindruck, „dass sie nicht mehr bei Bewusstsein war“.", "schilderte"),
    ("Die Ministerin rechtfertigte den Einsatz: „Wir hatten keine andere Wahl.“", "rechtfertigte"),
    ("„Das ist ein Skandal“, protestierte der Abgeordnete.", "protestierte"),
])
def test_more_speech_verbs(text: str, cue: str) -> None:
    q = only(text)
    assert (q.kind, q.cue_text) == ("direct", cue)


# ---- names, titles and scare quotes (rules written on the quotes-de training part) ----------------------

@pytest.mark.parametrize("text", [
    "Tausende zogen unter dem Motto „Freiheit statt Angst“ durch die Stadt, sagte die Polizei.",
    "Die Kidnapper verlangen die Freilassung von Angehörigen des Stammes „al-Abdullah“, sagte ein Sprecher.",
    "Die Firma baut das Elektrofahrzeug „mindset“, teilte der Vorstand mit.",
    "Die Zahl der Toten der Operation „Cast Lead“ („gegossenes Blei“) stieg nach Angaben der UNO auf 384.",
    "Die Hessen müssen „nur“ noch in Haarlem gewinnen, sagte der Trainer.",
    "Die Neuverschuldung falle nur wegen der „drastischen“ Steuererhöhung geringer aus, sagte Koppelin.",
    "Die Äußerungen sind auf „montagsdemo.net“ wieder abrufbar, sagte ein Sprecher.",
    "Ein Vertreter der „con energy ag“ bezeichnete die Investition als strategisch.",
    "Vor Ort informierte die „Nichtraucher-Initiative Deutschland e.V. (NID)“ über die Gefahren.",
    "Die Junta, die sich „Rat für Demokratische Reform (CDRM)“ nennt, will bleiben.",
    "Die taz hat über den Entwurf für ein „Gesetz zur Änderung des Passgesetzes“ berichtet.",
])
def test_names_titles_and_scare_quotes_are_not_direct_quotes(text: str) -> None:
    assert [q.text for q in quotes(text) if q.kind == "direct"] == []


@pytest.mark.parametrize(("text", "quote"), [
    ("Innenminister Gerd Wallraff nannte die Aktion „kriminell und gemeingefährlich“.",
     "„kriminell und gemeingefährlich“"),
    ("Der Ordnungsdezernent sprach von einer „Gefahr für Leib und Leben“.", "„Gefahr für Leib und Leben“"),
])
def test_labels_somebody_used_stay_direct_quotes(text: str, quote: str) -> None:
    q = only(text)
    assert (q.kind, q.text) == ("direct", quote)


@pytest.mark.parametrize(("text", "speaker"), [
    ("Wie „heise online“ berichtet, sperrten die Behörden den Zugang.", "„heise online“"),
    ("„Er ist der kreative Kopf, der in Erinnerung bleibt“, schrieb „Die Zeit“ in einem Nachruf.", "„Die Zeit“"),
    ("Das Fazit des Vorabberichts lautete: „Insgesamt boten die Wahlen eine echte Auswahl.“",
     "Das Fazit des Vorabberichts"),
    ("Bereits im Dezember hatte Bundeskanzlerin Angela Merkel in einer Rede verkündet: „Wir bewerben uns.“",
     "Bundeskanzlerin Angela Merkel"),
    ("Seiner Ansicht nach „sind wir wohl Zeugen von Neuseelands schwärzestem Tag“.", "Seiner Ansicht"),
    ("Seine Werke werden von Musikkennern als „Meilensteine der Musikgeschichte“ bezeichnet.", "Musikkennern"),
    ("Der Bürgermeister wurde von der Opposition als „unfähig und überfordert“ kritisiert.", "der Opposition"),
    ("„Wir sind am Ende“, wie sich der Trainer ausdrückte.", "der Trainer"),
    ("Er stellt sich vor seinen Fahrer: „Er ist noch immer der Meister“ wird der Teamchef im „Kicker“ zitiert.",
     "der Teamchef"),
    ("In einer Erklärung der Außenminister hatte es geheißen: „Es gibt keine militärische Lösung.“",
     "Erklärung der Außenminister"),
])
def test_more_speaker_patterns(text: str, speaker: str) -> None:
    q = only(text)
    assert q.speaker_text is not None and q.speaker_text.startswith(speaker)


def test_a_colon_with_its_own_speaker_after_another_quotation() -> None:
    first, second = quotes("„Eine gute Wahl“, sagte Berlusconi, und der norwegische Ministerpräsident "
                           "Jens Stoltenberg: „Der Preis kommt nicht zu früh.“")
    assert (first.text, first.speaker_text) == ("„Eine gute Wahl“", "Berlusconi")
    assert (second.text, second.speaker_text) == ("„Der Preis kommt nicht zu früh.“",
                                                  "der norwegische Ministerpräsident Jens Stoltenberg")


@pytest.mark.parametrize(("text", "speaker", "cue"), [
    ("„Wir kommen wieder.“ Das sagte der Minister am Montag in Berlin.", "der Minister", "sagte"),
    ("„Ja, es gibt Zumutungen“. Das musste Finanzminister Peer Steinbrück einräumen.",
     "Finanzminister Peer Steinbrück", "einräumen"),
])
def test_a_quotation_attributed_by_the_next_sentence(text: str, speaker: str, cue: str) -> None:
    q = only(text)
    assert (q.kind, q.speaker_text, q.cue_text) == ("direct", speaker, cue)


def test_a_quotation_before_a_sentence_that_names_nobody_keeps_no_speaker() -> None:
    assert all(q.speaker_text is None for q in quotes("„Wir haben keine Wahl.“ Das ist das Ergebnis einer Umfrage."))


def test_the_speaker_span_stops_before_time_and_place_adverbials() -> None:
    assert only("„Wir kommen wieder“, sagte der Minister am Montag in Berlin.").speaker_text == "der Minister"


@pytest.mark.parametrize(("text", "quote"), [
    ("Einige Demonstranten trugen Bänder mit der Aufschrift „Kritik = Terror“ am Mund.", "„Kritik = Terror“"),
    ("Auf dem Transparent war die Parole „Autonome in Bewegung“ zu lesen.", "„Autonome in Bewegung“"),
])
def test_words_after_a_noun_for_wording_are_quoted_verbatim(text: str, quote: str) -> None:
    assert [q.text for q in quotes(text) if q.kind == "direct"] == [quote]


@pytest.mark.parametrize(("text", "speaker"), [
    ("„Die See war rau“, beschrieb die das Unglück überlebende Alice Kakamara den Hergang.",
     "die das Unglück überlebende Alice Kakamara"),
    ("„Es ist außergewöhnlich“, schrieb die in New York City geborene Lopez.", "die in New York City geborene Lopez"),
    ("Der für die Omo-Region zuständige Koordinator sagte: „Es fehlen Boote.“",
     "Der für die Omo-Region zuständige Koordinator"),
])
def test_a_participial_attribute_with_nouns_of_its_own_stays_in_the_speaker(text: str, speaker: str) -> None:
    assert only(text).speaker_text == speaker


def test_a_following_object_is_not_taken_into_the_speaker() -> None:
    q = only("Dazu veröffentlichte der Verfasser folgenden Kommentar: „Wer gestrichen werden will, soll schreiben.“")
    assert q.speaker_text == "der Verfasser"


@pytest.mark.parametrize(("text", "speaker"), [
    ("„Die meisten dachten, es sei echt“, so der Mitarbeiter der Firma gegenüber der Zeitung.",
     "der Mitarbeiter der Firma"),
    ("„Die meisten dachten, es sei echt“, so der Mitarbeiter der Firma „Shui Jing Shi“ gegenüber „Beijing News“.",
     "der Mitarbeiter der Firma „Shui Jing Shi“"),
])
def test_so_attribution_with_a_quoted_name_and_an_addressee(text: str, speaker: str) -> None:
    q = only(text)
    assert (q.speaker_text, q.cue_text) == (speaker, "so")


def test_a_colon_after_a_dass_clause_quotes_the_main_clauses_subject() -> None:
    q = only("Der Minister zeigte sich besorgt, dass die Fehden ins Ausland getragen würden: „Das gab es noch nie.“")
    assert (q.kind, q.speaker_text) == ("direct", "Der Minister")


@pytest.mark.parametrize(("text", "language", "speaker"), [
    ("Özcan Mutlu und Benedikt Lux prangerten an, dass die Lehrer als Hilfssheriffs dienten.", "de",
     "Özcan Mutlu und Benedikt Lux"),
    ("Merkel und Macron sagten: „Wir sind uns einig.“", "de", "Merkel und Macron"),
    ('Merkel and Macron said: "We agree."', "en", "Merkel and Macron"),
])
def test_coordinated_speakers_are_one_speaker_span(text: str, language: str, speaker: str) -> None:
    assert only(text, language).speaker_text == speaker



def test_a_possessive_subject_before_a_colon_speaks_for_its_owner() -> None:
    text = ("In einem Interview äußerte sich Javier Solana zuversichtlich: „Eine Einigung wird gelingen.“ "
            "Seine Zuversicht gründet sich auf die Erfahrung: „Entscheidungen fallen immer in letzter Minute.“")
    ents = (entity(text, "Javier Solana", "PER", "e1", "Javier Solana"),)
    first, second = quotes(text, entities=ents)
    assert first.speaker_entity == "e1"
    assert (second.speaker_text, second.speaker_entity, second.speaker_name) == ("Seine", "e1", "Javier Solana")


def test_a_source_frame_inside_a_noun_phrase_is_not_a_frame() -> None:
    q = only("Sie äußerte sich gegen die ihrer Meinung nach verbreiteten Illusionen: „Ich kritisiere das.“")
    assert (q.kind, q.speaker_text, q.cue_text) == ("direct", "Sie", "äußerte")
    assert only("Seiner Meinung nach ist die Reform gescheitert.").speaker_text == "Seiner Meinung"


@pytest.mark.parametrize(("text", "speaker"), [
    ("Insbesondere IWF und EZB verlangen, dass das Parlament zustimmt.", "IWF und EZB"),
    ("Selbst die Wochenzeitschrift „Jungle World“ hatte kritisiert, dass sie unkritisch sei.",
     "die Wochenzeitschrift „Jungle World“"),
    ("Derzeit steht in dem Gesetzentwurf noch der Passus: „Die Fingerabdrücke sind zu löschen.“", None),
])
def test_an_adverb_at_the_start_of_a_sentence_is_not_the_speaker(text: str, speaker: str | None) -> None:
    assert only(text).speaker_text == speaker


def test_a_name_that_is_also_an_adjective_is_still_a_speaker() -> None:
    assert only("Kurz sagte, die Regierung bleibe im Amt.").speaker_text == "Kurz"
    assert only("Die SPD hält den Weg laut Peter Lahm für begehbar.").speaker_text == "Peter Lahm"
