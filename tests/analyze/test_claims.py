from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from counterpoint import registry
from counterpoint.analyze.claims import RuleClaimExtractor, comparable, consistent, extract_claims
from counterpoint.analyze.pipeline import Pipeline
from counterpoint.analyze.sentences import RuleSentencizer
from counterpoint.model import Analysis, Article, Claim
from counterpoint.settings import Settings

PUBLISHED = "2024-06-20"  # a Thursday


def analyse(text: str, language: str = "de", published: str | None = PUBLISHED) -> Analysis:
    article = Article(id="a", text=text, language=language, published=published)
    return RuleSentencizer()(Analysis(article=article, language=language))


def claims_of(text: str, language: str = "de", published: str | None = PUBLISHED) -> tuple[Claim, ...]:
    return extract_claims(analyse(text, language, published))


def claim(claims: tuple[Claim, ...], text: str) -> Claim:
    found = [c for c in claims if c.text == text]
    assert found, f"no claim {text!r} in {[c.text for c in claims]}"
    return found[0]


def one(text: str, span: str, language: str = "de", published: str | None = PUBLISHED) -> Claim:
    return claim(claims_of(text, language, published), span)


def values(c: Claim) -> tuple[object, ...]:
    return (c.kind, c.value, c.low, c.high, c.qualifier, c.unit, c.counted, c.predicate)


# ---- quantities -----------------------------------------------------------------------------------

QUANTITIES = [
    # (sentence, language, span, (kind, value, low, high, qualifier, unit, counted, predicate))
    ("Die zwei Staatschefs unterzeichneten elf Abkommen.", "de", "elf",
     ("count", 11, 11, 11, "exact", None, "Abkommen", "unterzeichnen")),
    ("Von den zwölf öffentlich bekannt gegebenen Vereinbarungen bezog sich keine auf die Verteidigung.", "de",
     "zwölf", ("count", 12, 12, 12, "exact", None, "Vereinbarung", "bekanntgeben")),
    ("Putin hat mindestens ein Dutzend Verträge mit Lam unterzeichnet.", "de", "mindestens ein Dutzend",
     ("count", 12, 12, None, "at_least", None, "Vertrag", "unterzeichnen")),
    ("Putin und Lam haben Dutzende Vereinbarungen unterzeichnet.", "de", "Dutzende",
     ("count", 24, 24, None, "vague", None, "Vereinbarung", "unterzeichnen")),
    ("Rund 1.200 Haushalte waren ohne Strom.", "de", "Rund 1.200",
     ("count", 1200, pytest.approx(1080), pytest.approx(1320), "about", None, "Haushalt", None)),
    ("Mehr als 30 Menschen wurden verletzt.", "de", "Mehr als 30",
     ("count", 30, 30, None, "more_than", None, "Mensch", "verletzen")),
    ("Bis zu 2,4 Millionen Tonnen Reis wurden exportiert.", "de", "Bis zu 2,4 Millionen Tonnen",
     ("measure", 2.4e6, None, 2.4e6, "at_most", "t", "Reis", "exportieren")),
    ("Weniger als 50 Soldaten starben.", "de", "Weniger als 50",
     ("count", 50, None, 50, "less_than", None, "Soldat", "sterben")),
    ("Höchstens 40 Abkommen wurden geschlossen.", "de", "Höchstens 40",
     ("count", 40, None, 40, "at_most", None, "Abkommen", "schließen")),
    ("Über 2.000 Menschen flohen.", "de", "Über 2.000",
     ("count", 2000, 2000, None, "more_than", None, "Mensch", "fliehen")),
    ("Der Handel stieg um 8,3 Prozent.", "de", "8,3 Prozent",
     ("percent", 8.3, 8.3, 8.3, "exact", "percent", "Handel", "steigen")),
    ("80 Prozent der vietnamesischen Waffeneinfuhren entfallen auf Russland.", "de", "80 Prozent",
     ("percent", 80, 80, 80, "exact", "percent", "Waffeneinfuhr", "entfallen")),
    ("Zarubezhneft wird den 75 Prozent Anteil übernehmen.", "de", "75 Prozent",
     ("percent", 75, 75, 75, "exact", "percent", "Anteil", "übernehmen")),
    ("Etwa zwei Drittel der Abkommen betreffen Energie.", "de", "Etwa zwei Drittel",
     ("percent", pytest.approx(66.67), pytest.approx(60.0, abs=0.01), pytest.approx(73.34, abs=0.01), "about",
      "percent", "Abkommen", "betreffen")),
    ("Die Hälfte der Vereinbarungen wurde veröffentlicht.", "de", "Die Hälfte",
     ("percent", 50, 50, 50, "exact", "percent", "Vereinbarung", "veröffentlichen")),
    ("Der Umsatz betrug fünf Milliarden US-Dollar.", "de", "fünf Milliarden US-Dollar",
     ("amount", 5e9, 5e9, 5e9, "exact", "USD", None, "betragen")),
    ("Die Kosten lagen bei 3,5 Mio. Euro.", "de", "3,5 Mio. Euro",
     ("amount", 3.5e6, 3.5e6, 3.5e6, "exact", "EUR", None, "liegen")),
    ("Südkorea liefert Artilleriegranaten des Kalibers 155mm an Kiew.", "de", "155mm",
     ("measure", 155, 155, 155, "exact", "mm", "Kaliber", "liefern")),
    ("Gefeiert wird das 30-jährige Bestehen des Vertrags.", "de", "30-jährige",
     ("duration", 30, 30, 30, "exact", "year", "Bestehen", None)),
    ("Er kam zu einem zweitägigen Besuch nach Hanoi.", "de", "zweitägigen",
     ("duration", 2, 2, 2, "exact", "day", "Besuch", "kommen")),
    ("Es war Putins fünfter Staatsbesuch in Vietnam.", "de", "fünfter",
     ("ordinal", 5, 5, 5, "exact", None, "Staatsbesuch", None)),
    ("Sie feierten den 30. Jahrestag des Vertrags.", "de", "30.",
     ("ordinal", 30, 30, 30, "exact", None, "Jahrestag", "feiern")),
    ("Mehrere Abkommen wurden unterzeichnet.", "de", "Mehrere",
     ("count", None, 2, None, "vague", None, "Abkommen", "unterzeichnen")),
    ("Zwischen 10 und 12 Prozent der Stimmen gingen verloren.", "de", "Zwischen 10 und 12 Prozent",
     ("percent", 10, 10, 12, "exact", "percent", "Stimme", "gehen")),
    ("Die beiden Länder vereinbarten eine Zusammenarbeit.", "de", "beiden",
     ("count", 2, 2, 2, "exact", None, "Land", "vereinbaren")),
    ("Putin and Lam signed 11 agreements.", "en", "11",
     ("count", 11, 11, 11, "exact", None, "agreement", "sign")),
    ("Putin and Lam signed eleven agreements.", "en", "eleven",
     ("count", 11, 11, 11, "exact", None, "agreement", "sign")),
    ("At least a dozen treaties were signed in Hanoi.", "en", "At least a dozen",
     ("count", 12, 12, None, "at_least", None, "treaty", "sign")),
    ("Dozens of agreements were signed.", "en", "Dozens",
     ("count", 24, 24, None, "vague", None, "agreement", "sign")),
    ("The 12 publicly announced agreements concern energy.", "en", "12",
     ("count", 12, 12, 12, "exact", None, "agreement", "announce")),
    ("Bilateral trade grew 8.3 percent last year.", "en", "8.3 percent",
     ("percent", 8.3, 8.3, 8.3, "exact", "percent", "trade", "grow")),
    ("Trade reached $5bn.", "en", "$5bn", ("amount", 5e9, 5e9, 5e9, "exact", "USD", None, "reach")),
    ("About 10 people were killed.", "en", "About 10",
     ("count", 10, 9, pytest.approx(11), "about", None, "people", "kill")),
    ("Nearly 500 people fled.", "en", "Nearly 500", ("count", 500, 450, 500, "about", None, "people", "flee")),
    ("Power returned to 1,200 households.", "en", "1,200",
     ("count", 1200, 1200, 1200, "exact", None, "household", "return")),
    ("The index rose to 2.4 points.", "en", "2.4", ("count", 2.4, 2.4, 2.4, "exact", None, "point", "rise")),
    ("Two thirds of the deals concern energy.", "en", "Two thirds",
     ("percent", pytest.approx(66.67), pytest.approx(66.67), pytest.approx(66.67), "exact", "percent", "deal", None)),
    ("More than 200 soldiers were wounded.", "en", "More than 200",
     ("count", 200, 200, None, "more_than", None, "soldier", "wound")),
    ("Fewer than 50 soldiers died.", "en", "Fewer than 50",
     ("count", 50, None, 50, "less_than", None, "soldier", "die")),
    ("Up to 2.4 million tonnes of rice were exported.", "en", "Up to 2.4 million tonnes",
     ("measure", 2.4e6, None, 2.4e6, "at_most", "t", "rice", "export")),
    ("It was his fifth state visit to Vietnam.", "en", "fifth",
     ("ordinal", 5, 5, 5, "exact", None, "visit", None)),
    ("They marked the 30th anniversary of the treaty.", "en", "30th",
     ("ordinal", 30, 30, 30, "exact", None, "anniversary", "mark")),
    ("Several agreements were signed.", "en", "Several",
     ("count", None, 2, None, "vague", None, "agreement", "sign")),
    ("They planned a two-day visit.", "en", "two-day", ("duration", 2, 2, 2, "exact", "day", "visit", "plan")),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "language", "span", "expected"), QUANTITIES)
def test_quantity(sentence: str, language: str, span: str, expected: tuple[object, ...]) -> None:
    assert values(one(sentence, span, language)) == expected


def test_ordinals_and_vague_words_need_a_noun() -> None:
    assert claims_of("Er war der Erste, einige kamen später.") == ()
    assert claims_of("Several said so.", "en") == ()


def test_third_countries_are_no_ordinal() -> None:
    assert [c.text for c in claims_of("Das Abkommen richte sich nicht gegen dritte Länder.")] == []


# ---- not claims -----------------------------------------------------------------------------------

NOT_CLAIMS = [
    ("Zarubezhneft erhält eine Lizenz für Block 11-2 an der Südostküste.", "de"),
    ("Block 11-2 ist ein Gasfeld.", "de"),
    ("Das steht auf Seite 12 und in Artikel 5.", "de"),
    ("Das Treffen beginnt um 14:30 Uhr.", "de"),
    ("Die F-16 und die A400M flogen, Flug MH17 nicht.", "de"),
    ("Rufen Sie 030 1234 5678 an.", "de"),
    ("See page 5 and Article 5.", "en"),
    ("The meeting starts at 3 pm.", "en"),
]


@pytest.mark.parametrize(("sentence", "language"), NOT_CLAIMS)
def test_not_a_claim(sentence: str, language: str) -> None:
    assert [c.text for c in claims_of(sentence, language)] == []


# ---- dates ----------------------------------------------------------------------------------------

DATES = [
    # (sentence, language, span, kind, date with publication date 2024-06-20, date without)
    ("Hanoi, Donnerstag, 20. Juni 2024.", "de", "Donnerstag, 20. Juni 2024", "date", "2024-06-20", "2024-06-20"),
    ("Das war im Juni 2024 in Hanoi.", "de", "Juni 2024", "date", "2024-06", "2024-06"),
    ("Er kam am 20.06.2024 an.", "de", "20.06.2024", "date", "2024-06-20", "2024-06-20"),
    ("Er kam am 3. März an.", "de", "3. März", "date", "2024-03-03", None),
    ("Im Jahr 2023 erließ das Gericht einen Haftbefehl.", "de", "2023", "year", "2023", "2023"),
    ("Hanoi und Moskau unterhalten seit 1950 diplomatische Beziehungen.", "de", "1950", "year", "1950", "1950"),
    ("Sie haben 2014 den Putsch angezettelt.", "de", "2014", "year", "2014", "2014"),
    ("Putin hat am Donnerstag elf Abkommen unterzeichnet.", "de", "am Donnerstag", "date", "2024-06-20", None),
    ("Den Pakt unterzeichnete er am Mittwoch.", "de", "am Mittwoch", "date", "2024-06-19", None),
    ("Er reiste am letzten Donnerstag nach Hanoi.", "de", "am letzten Donnerstag", "date", "2024-06-13", None),
    ("Letzten September besuchte Biden Hanoi.", "de", "Letzten September", "date", "2023-09", None),
    ("Die Post enthüllte das Ende letzten Jahres.", "de", "Ende letzten Jahres", "date", "2023", None),
    ("Im vergangenen Jahr wuchs der Handel.", "de", "Im vergangenen Jahr", "date", "2023", None),
    ("Gestern kam er an.", "de", "Gestern", "date", "2024-06-19", None),
    ("Anfang Juni traf Selenskyj ein.", "de", "Anfang Juni", "date", "2024-06", None),
    ("The leaders met on June 20, 2024 in Hanoi.", "en", "June 20, 2024", "date", "2024-06-20", "2024-06-20"),
    ("The leaders met on 20 June 2024 in Hanoi.", "en", "20 June 2024", "date", "2024-06-20", "2024-06-20"),
    ("Putin last visited in 2017.", "en", "2017", "year", "2017", "2017"),
    ("Putin signed 11 agreements on Thursday.", "en", "on Thursday", "date", "2024-06-20", None),
    ("The pact was signed on Wednesday.", "en", "on Wednesday", "date", "2024-06-19", None),
    ("Last September Biden visited Hanoi.", "en", "Last September", "date", "2023-09", None),
    ("The Post reported it late last year.", "en", "late last year", "date", "2023", None),
    ("He arrived yesterday.", "en", "yesterday", "date", "2024-06-19", None),
    ("Putin is expected to return on Friday.", "en", "on Friday", "date", "2024-06-21", None),
    ("Er wird am Samstag nach Moskau zurückkehren.", "de", "am Samstag", "date", "2024-06-22", None),
    ("Die Brücke bleibt bis mindestens Sonntag gesperrt.", "de", "Sonntag", "date", "2024-06-23", None),
    ("Ab Montag gilt die neue Regel.", "de", "Montag", "date", "2024-06-24", None),
    ("The road stays closed until at least Monday.", "en", "Monday", "date", "2024-06-24", None),
    ("Die Brücke war bis Dienstag gesperrt.", "de", "Dienstag", "date", "2024-06-18", None),
    ("The road was closed until Tuesday.", "en", "Tuesday", "date", "2024-06-18", None),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "language", "span", "kind", "resolved", "unresolved"), DATES)
def test_date(sentence: str, language: str, span: str, kind: str, resolved: str, unresolved: str | None) -> None:
    with_date = one(sentence, span, language)
    assert (with_date.kind, with_date.date) == (kind, resolved)
    without = one(sentence, span, language, published=None)
    assert (without.kind, without.date) == (kind, unresolved)


def test_date_predicate() -> None:
    assert one("Den Pakt unterzeichnete er am Mittwoch.", "am Mittwoch").predicate == "unterzeichnen"


@pytest.mark.parametrize(("sentence", "span"), [
    ("Officials said nine people were hurt when the bus left the road.", "nine"),
    ("The ferry was carrying about 80 people when a fire broke out.", "about 80"),
])
def test_the_predicate_is_not_taken_from_a_when_clause(sentence: str, span: str) -> None:
    assert one(sentence, span, "en").predicate is None  # not "leave", not "fire"


def test_year_before_a_noun_is_a_count() -> None:
    c = one("2000 Soldaten waren im Einsatz.", "2000")
    assert (c.kind, c.value, c.counted) == ("count", 2000, "Soldat")


def test_published_datetime_is_read() -> None:
    assert one("Gestern kam er an.", "Gestern", published="2024-06-20T08:00:00+02:00").date == "2024-06-19"


# ---- the seeds ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_claims(shared: Path) -> dict[str, tuple[Claim, ...]]:
    found = {}
    for key, name in (("000", "000_eb1b102821afac78.txt"), ("003", "003_e346abbffeafbc41.txt")):
        path = shared / "seeds" / name
        if not path.exists():
            pytest.skip(f"seed {name} is absent")
        found[key] = claims_of(path.read_text(encoding="utf-8"), "de", PUBLISHED)
    return found


SEED_QUANTITIES = [
    ("000", "Dutzende", ("count", 24, 24, None, "vague", None, "Vereinbarung", "unterzeichnen")),
    ("000", "mindestens ein Dutzend", ("count", 12, 12, None, "at_least", None, "Vertrag", "unterzeichnen")),
    ("000", "zwölf", ("count", 12, 12, 12, "exact", None, "Vereinbarung", "bekanntgeben")),
    ("000", "80 Prozent", ("percent", 80, 80, 80, "exact", "percent", "Waffeneinfuhr", "entfallen")),
    ("000", "75 Prozent", ("percent", 75, 75, 75, "exact", "percent", "Anteil", "übernehmen")),
    ("000", "30-jährige", ("duration", 30, 30, 30, "exact", "year", "Bestehen", None)),
    ("003", "elf", ("count", 11, 11, 11, "exact", None, "Abkommen", "unterzeichnen")),
    ("003", "fünfter", ("ordinal", 5, 5, 5, "exact", None, "Staatsbesuch", None)),
    ("003", "30.", ("ordinal", 30, 30, 30, "exact", None, "Jahrestag", "veröffentlichen")),
    ("003", "8,3 Prozent", ("percent", 8.3, 8.3, 8.3, "exact", "percent", "Handel", "zunehmen")),
    ("003", "fünf Milliarden US-Dollar", ("amount", 5e9, 5e9, 5e9, "exact", "USD", "Volumen", "zunehmen")),
    ("003", "155mm", ("measure", 155, 155, 155, "exact", "mm", "Kaliber", None)),
]


@pytest.mark.parametrize(("seed", "span", "expected"), SEED_QUANTITIES)
def test_seed_quantity(seed_claims: dict[str, tuple[Claim, ...]], seed: str, span: str, expected: tuple) -> None:
    assert values(claim(seed_claims[seed], span)) == expected


SEED_DATES = [
    ("000", "am Donnerstag", "date", "2024-06-20"),
    ("000", "Donnerstag, 20. Juni 2024", "date", "2024-06-20"),
    ("000", "2017", "year", "2017"),
    ("000", "2023", "year", "2023"),
    ("000", "1950", "year", "1950"),
    ("003", "20. Juni 2024", "date", "2024-06-20"),
    ("003", "2017", "year", "2017"),
    ("003", "Letzten September", "date", "2023-09"),
    ("003", "Ende letzten Jahres", "date", "2023"),
    ("003", "2014", "year", "2014"),
]


@pytest.mark.parametrize(("seed", "span", "kind", "date"), SEED_DATES)
def test_seed_date(seed_claims: dict[str, tuple[Claim, ...]], seed: str, span: str, kind: str, date: str) -> None:
    c = claim(seed_claims[seed], span)
    assert (c.kind, c.date) == (kind, date)


def test_seed_identifiers_are_skipped(seed_claims: dict[str, tuple[Claim, ...]]) -> None:
    texts = [c.text for claims in seed_claims.values() for c in claims]
    assert not any("11" in t and "2" in t for t in texts if "-" in t)  # Block 11-2
    assert "dritte" not in texts  # "nicht gegen dritte Länder"


def test_seed_agreement_counts(seed_claims: dict[str, tuple[Claim, ...]]) -> None:
    eleven = claim(seed_claims["003"], "elf")
    twelve = claim(seed_claims["000"], "zwölf")
    dozen = claim(seed_claims["000"], "mindestens ein Dutzend")
    dozens = claim(seed_claims["000"], "Dutzende")
    for a, b in ((eleven, twelve), (eleven, dozen), (dozen, twelve), (eleven, dozens)):
        assert comparable(a, b) and comparable(b, a)
    assert not consistent(eleven, twelve)
    assert not consistent(eleven, dozen)
    assert consistent(dozen, twelve)
    assert not consistent(eleven, dozens) and not consistent(twelve, dozens)
    assert consistent(dozen, dozens)


def test_seed_percentages_not_comparable(seed_claims: dict[str, tuple[Claim, ...]]) -> None:
    growth = claim(seed_claims["003"], "8,3 Prozent")
    imports = claim(seed_claims["000"], "80 Prozent")
    assert not comparable(growth, imports)


def test_seed_dates_agree(seed_claims: dict[str, tuple[Claim, ...]]) -> None:
    a = claim(seed_claims["000"], "am Donnerstag")
    b = claim(seed_claims["003"], "20. Juni 2024")
    assert comparable(a, b) and consistent(a, b)
    visit_000 = claim(seed_claims["000"], "2017")
    visit_003 = claim(seed_claims["003"], "2017")
    assert consistent(visit_000, visit_003)


def test_seed_anniversary_comparable(seed_claims: dict[str, tuple[Claim, ...]]) -> None:
    years = claim(seed_claims["000"], "30-jährige")
    anniversary = claim(seed_claims["003"], "30.")
    assert comparable(years, anniversary) and consistent(years, anniversary)


# ---- comparable / consistent ----------------------------------------------------------------------


def make(kind: str = "count", value: float | None = 11, *, qualifier: str = "exact", counted: str | None = "Abkommen",
         predicate: str | None = "unterzeichnen", unit: str | None = None, low: float | None = None,
         high: float | None = None, date: str | None = None) -> Claim:  # fmt: skip
    if low is None and high is None and qualifier == "exact":
        low = high = value
    return Claim(
        start=0,
        end=1,
        text="x",
        kind=kind,  # type: ignore[arg-type]
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,  # type: ignore[arg-type]
        unit=unit,
        counted=counted,
        predicate=predicate,
        date=date,
    )


def test_comparable_synonyms_across_languages() -> None:
    assert comparable(make(counted="Abkommen"), make(counted="agreement", predicate="sign"))
    assert comparable(make(counted="Vertrag"), make(counted="treaty", predicate=None))
    assert comparable(make(counted="Haushalt", predicate=None), make(counted="household", predicate=None))
    assert not comparable(make(counted="Abkommen"), make(counted="Haushalt"))
    assert not comparable(make(counted=None), make(counted="Abkommen"))


def test_comparable_predicates() -> None:
    assert comparable(make(predicate="unterzeichnen"), make(predicate="bekanntgeben"))
    assert comparable(make(predicate="unterzeichnen"), make(predicate="frobnicate"))  # unknown: compatible
    assert not comparable(make(counted="Mensch", predicate="töten"), make(counted="people", predicate="injure"))


def test_comparable_units_and_kinds() -> None:
    usd = make("amount", 5e9, counted=None, predicate="zunehmen", unit="USD")
    assert comparable(usd, make("amount", 5e9, counted=None, predicate="grow", unit="usd"))
    assert not comparable(usd, make("amount", 5e9, counted=None, predicate="grow", unit="EUR"))
    assert not comparable(usd, make("amount", 5e9, counted=None, predicate=None, unit="USD"))
    assert not comparable(make("count"), make("percent", unit="percent"))


def test_consistent_ranges() -> None:
    about_ten = make(value=10, qualifier="about", low=9, high=11)
    assert consistent(about_ten, make(value=11))
    assert not consistent(about_ten, make(value=12))
    assert not consistent(make(value=12, qualifier="more_than", low=12), make(value=12))
    assert consistent(make(value=12, qualifier="at_most", high=12), make(value=12))
    assert not consistent(make(value=12, qualifier="less_than", high=12), make(value=12))
    assert consistent(make(value=None, qualifier="vague", low=2), make(value=11))


def test_consistent_dates() -> None:
    month = make("date", None, counted=None, predicate=None, date="2024-06")
    assert consistent(month, make("date", None, counted=None, predicate=None, date="2024-06-20"))
    assert not consistent(month, make("date", None, counted=None, predicate=None, date="2023-09"))
    assert consistent(month, make("date", None, counted=None, predicate=None, date=None))
    assert consistent(make("year", 2024, counted=None, predicate=None, date="2024"), month)


# ---- the component --------------------------------------------------------------------------------


def test_component_in_pipeline() -> None:
    settings = Settings()
    component = registry.create("claims.rules.v1", settings)
    assert isinstance(component, RuleClaimExtractor)
    assert (component.name, component.requires, component.assigns) == (
        "claims.rules.v1", ("sentences",), ("claims",))  # fmt: skip
    pipeline = Pipeline([registry.create("sentences.rules.v1", settings), component])
    text = "Putin und Lam unterzeichneten elf Abkommen.\nDas war am Donnerstag."
    analysis = pipeline(Article(id="a", text=text, language="de", published=PUBLISHED))
    assert [(c.text, c.sentence) for c in analysis.claims] == [("elf", 0), ("am Donnerstag", 1)]
    assert analysis.components == ("sentences.rules.v1", "claims.rules.v1")


def test_component_pickles_and_replaces() -> None:
    component = pickle.loads(pickle.dumps(RuleClaimExtractor()))
    before = analyse("Sie unterzeichneten elf Abkommen.")
    after = component(before)
    assert after.sentences == before.sentences and len(after.claims) == 1
    assert dataclasses.replace(after, claims=()).claims == ()


def test_language_unknown_still_works() -> None:
    claims = claims_of("Sie unterzeichneten elf Abkommen. They signed 11 agreements.", language="")
    assert {c.value for c in claims} == {11}


def test_hostile_text_is_linear() -> None:
    text = ("1.2,3 " * 2000) + ("elf Abkommen mindestens über bis - Block 11-2 Juni 2024 am Donnerstag " * 500)
    claims = claims_of(text.replace(".", ""))
    assert all(text.replace(".", "")[c.start : c.end] == c.text for c in claims)


# ---- invariants -----------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "elf", "Abkommen", "mindestens", "ein", "Dutzend", "Dutzende", "1.200", "8,3", "Prozent", "%", "$5bn", "155mm",
        "30-jährige", "30.", "Juni", "2024", "am", "Donnerstag", "letzten", "September", "Ende", "Jahres", "über",
        "bis", "zu", "-", "–", "Block", "11-2", "zwischen", "und", "signed", "11", "agreements", "at", "least",
        "a", "dozen", "two", "thirds", "of", "the", "last", "year", ".", ",", ":", "\n", "北京", "١٢٣", "İ",
        "zweitägigen", "fünfter", "Hälfte", "beiden", "Länder", "20.06.2024", "June", "20,", "Mio.", "Euro",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.lists(_PIECES, max_size=40).map(" ".join), st.text(max_size=200)),
    st.sampled_from(["de", "en", ""]),
    st.sampled_from([PUBLISHED, None, "not a date"]),
)
@example("0²", "de", None)  # a superscript is a digit to str.isdigit but no number to int()
@example("am 3² Mai 2²024", "de", PUBLISHED)
def test_spans_are_inside_and_well_formed(text: str, language: str, published: str | None) -> None:
    analysis = analyse(text, language, published)
    for c in extract_claims(analysis):
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.text
        assert c.sentence is not None
        sentence = analysis.sentences[c.sentence]
        assert sentence.start <= c.start and c.end <= sentence.end
        if c.low is not None and c.high is not None:
            assert c.low <= c.high
        if c.date is not None:
            assert len(c.date) in (4, 7, 10)
