"""Rules of ``clean_text``: what is removed (and why), what must stay, and the offset map."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.model import Article
from counterpoint.sources import clean_text

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

BODY_DE = ("Der Stadtrat hat am Donnerstag mit 38 zu 21 Stimmen den Bau der neuen Straßenbahnlinie "
           "beschlossen. Die Kosten liegen nach Angaben der Verwaltung bei 212 Millionen Euro.")
BODY_EN = ("The city council approved the new tram line on Thursday by 38 votes to 21. The administration "
           "puts the cost at 212 million euros, most of it paid by the federal government.")


def reasons(raw: str) -> dict[str, str]:
    """Removed text -> reason."""
    return {r.text: r.reason for r in clean_text(raw).removed}


def removed_as(line: str) -> str | None:
    """The reason ``line`` is removed when it stands between two body paragraphs (None: kept)."""
    got = reasons(f"{BODY_DE}\n{line}\n{BODY_EN}")
    return got.get(line.strip())


# --- furniture ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Loading", "Loading...", "Wird geladen …", "Share", "Teilen", "Anzeige", "ADVERTISEMENT", "Werbung",
    "Skip to content", "Zum Inhalt springen", "Read more", "Weiterlesen", "Lesen Sie auch",
    "Lesen Sie auch: Putin besucht Nordkorea", "Mehr zum Thema", "Mehr zum Thema: Die Lage in Asien",
    "Read more: Putin's trip to North Korea", "Related: Vietnam's bamboo diplomacy", "Video", "Audio",
    "Bild 1 von 5", "Foto 3 von 12", "Image 2 of 7", "1 / 12", "Facebook Twitter WhatsApp E-Mail",
    "Teilen Facebook X LinkedIn", "Link kopieren", "Artikel anhören", "5 Min. Lesezeit",
    "Lesezeit: 4 Minuten",
    "3 min read", "***", "—", "Von Anna Schmidt", "Von Anna Schmidt und Jan Berg, Hanoi", "By Jane Doe",
    "By Jane Doe and John Roe", "20.06.2024, 14:35 Uhr", "Donnerstag, 20. Juni 2024", "June 20, 2024",
    "Updated 3:15 PM EDT, Thu June 20, 2024", "Stand: 20.06.2024 12:00 Uhr", "Veröffentlicht am 20.06.2024",
    "Themen: Russland, Vietnam, Putin", "Quelle: dpa, AFP",
    "Wir verwenden Cookies, um Ihnen das beste Nutzungserlebnis zu bieten. Mit „Alle akzeptieren“ stimmen "
    "Sie der Verwendung zu.",
    "We use cookies to improve your experience. By continuing to browse you agree to our cookie policy.",
    "Melden Sie sich für unseren kostenlosen Newsletter an und erhalten Sie jeden Morgen die wichtigsten "
    "Nachrichten.",
    "Sign up for our morning newsletter and get the day's top stories delivered to your inbox.",
    "Already a subscriber? Log in", "Jetzt abonnieren und weiterlesen",
    "© 2024 Reuters. All rights reserved.", "© Deutsche Welle 2024. Alle Rechte vorbehalten",
])
def test_furniture_is_removed(line: str) -> None:
    assert removed_as(line) == "furniture"


# --- credits and captions -------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Foto: Kay Nietfeld/dpa", "(Foto: dpa)", "Bild: picture alliance / dpa | Gavriil Grigorov", "Photo: AP",
    "Getty Images", "© Reuters", "REUTERS/Evelyn Hockstein", "Bildquelle: IMAGO",
    "Image source, Getty Images",
    "Photo by Evan Vucci/AP", "Kay Nietfeld/dpa", "AFP via Getty Images",
])
def test_credit_lines_are_removed(line: str) -> None:
    assert removed_as(line) == "credit"


@pytest.mark.parametrize("line", [
    # caption + credit
    "Wladimir Putin und To Lam vor dem Präsidentenpalast in Hanoi. Foto: Kay Nietfeld/dpa",
    "Putin und Lam bei der Pressekonferenz (Foto: dpa)",
    "Russlands Präsident und Vietnams Präsident vor der Ehrengarde am 20. Juni 2024 "
    "[AP Photo/Gavriil Grigorov]",
    "Vladimir Putin and To Lam attend a ceremony in Hanoi, Vietnam, June 20, 2024. REUTERS/Minh Hoang",
    "Vladimir Putin waves as he arrives at Noi Bai airport (AP Photo/Evan Vucci)",
    "Putin greets guests at the opera house in Hanoi. AFP via Getty Images",
    "Putin in Hanoi. Photograph: Gavriil Grigorov/AP",
    "Putin und Lam in Hanoi. © picture alliance / dpa",
    # caption without credit: one sentence ending in a full date
    "Wladimir Putin während einer Veranstaltung mit To Lam im Opernhaus von Hanoi Donnerstag, 20. Juni 2024.",
    "Russian President Vladimir Putin and Vietnamese President To Lam in Hanoi on June 20, 2024.",
    "Kim Jong Un und Wladimir Putin bei der Begrüßung in Pjöngjang, 19.06.2024",
    # labelled captions
    "Im Bild: Putin und Lam bei der Unterzeichnung der Abkommen",
    "Image caption, Putin and Lam signed a dozen agreements",
])
def test_captions_are_removed(line: str) -> None:
    assert removed_as(line) == "caption"


def test_credit_tail_of_a_long_body_paragraph_goes_alone() -> None:
    body = BODY_DE + " " + BODY_DE.replace("Donnerstag", "Freitag") + " Ein Teil der Kosten trägt das Land."
    c = clean_text(f"{body} Foto: dpa\n{BODY_EN}")
    assert [(r.reason, r.text) for r in c.removed] == [("credit", "Foto: dpa")]
    assert c.text.split("\n")[0] == body


# --- headings, title, pull quotes -----------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Kritik aus Washington",
    "Ein Zentrum für Nuklearwissenschaft und Technologie in Vietnam",
    'Putin: "Wir sind strategische Partner"',
    "Putins Versuch, „die Isolation zu durchbrechen“",
    "A rare trip abroad for the Kremlin leader",
    "Why Hanoi keeps its options open",
])
def test_headings_are_removed(line: str) -> None:
    assert removed_as(line) == "heading"


def test_first_heading_before_the_body_is_the_title() -> None:
    c = clean_text(f"Putin beendet Asienreise in Hanoi\n\n{BODY_DE}\n\nZwischentitel ohne Punkt\n\n{BODY_EN}")
    assert c.title == "Putin beendet Asienreise in Hanoi"
    assert [(r.reason, r.text) for r in c.removed] == [
        ("title", "Putin beendet Asienreise in Hanoi"), ("heading", "Zwischentitel ohne Punkt")]


def test_kicker_before_the_title_is_a_heading() -> None:
    c = clean_text(f"Verkehr\nStadtrat beschließt neue Straßenbahnlinie\n{BODY_DE}")
    assert c.title == "Stadtrat beschließt neue Straßenbahnlinie"
    assert {r.text: r.reason for r in c.removed} == {
        "Verkehr": "heading", "Stadtrat beschließt neue Straßenbahnlinie": "title"}


def test_a_heading_after_the_body_started_is_not_the_title() -> None:
    c = clean_text(f"{BODY_DE}\nZwischentitel ohne Punkt\n{BODY_EN}")
    assert c.title is None
    assert [r.reason for r in c.removed] == ["heading"]


def test_known_title_and_markup_headings() -> None:
    c = clean_text(f"Tram line approved\n{BODY_EN}\nWhat happens next?\n{BODY_DE}",
                   title="Tram line approved", headings=["What happens next?"])
    assert c.title == "Tram line approved"
    assert {r.text: r.reason for r in c.removed} == {
        "Tram line approved": "title", "What happens next?": "heading"}


def test_a_question_is_body_without_markup() -> None:
    assert removed_as("Wie geht es weiter?") is None


@pytest.mark.parametrize("quote", [
    "Kein Land sollte Putin eine Plattform geben. US-Botschaft in Hanoi",
    "„Kein Land sollte Putin eine Plattform geben“",
    '"No country should give Putin a platform to promote his war of aggression."',
])
def test_pull_quote_repeating_the_body_is_removed(quote: str) -> None:
    body = ("Die US-Botschaft in Hanoi erklärte, „kein Land sollte Putin eine Plattform geben, um seinen "
            "Angriffskrieg zu fördern“. The embassy said no country should give Putin a platform to promote "
            "his war of aggression and normalise his atrocities.")
    c = clean_text(f"{BODY_DE}\n{quote}\n{body}\n{BODY_EN}")
    assert [(r.reason, r.text) for r in c.removed] == [("pull-quote", quote)]


def test_reported_speech_repeating_the_body_is_kept() -> None:
    body = ("Oberbürgermeisterin Weidner sprach von einem historischen Tag für die Stadt und dankte dem Rat. "
            "Die Opposition kritisierte vor allem die Kosten des Projekts.")
    short = "„Ein historischer Tag für die Stadt“, sagte Weidner."
    c = clean_text(f"{body}\n{short}")
    assert c.removed == ()
    body = ("Weidner versprach: Wir werden diese Strecke bauen, das ist sicher, auch wenn die Kosten steigen "
            "und der Bund mit seiner Zusage zögert.")
    quote = "„Wir werden diese Strecke bauen. Das ist sicher.“"
    assert clean_text(f"{body}\n{quote}").removed == ()


# --- what must stay ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Das Treffen fand am 20. Juni 2024 in Hanoi statt.",
    "The treaty was signed in the presidential palace in Hanoi on June 20, 2024.",
    "Die Frist endet am 30. Juni 2024.",
    "Er sagte der Nachrichtenagentur Reuters, die Gespräche seien gut verlaufen.",
    "Getty Images meldete für das zweite Quartal einen Umsatzrückgang von fünf Prozent.",
    "The share price fell by four percent after the announcement.",
    "Teilen der Opposition ging das nicht weit genug.",
    "Anzeige gegen den Bürgermeister hat die Polizei bisher nicht erstattet.",
    "Video footage showed the convoy arriving at the palace.",
    "Von den zwölf Vereinbarungen bezog sich keine offen auf die Verteidigung.",
    "Die EU-Kommission will Cookies strenger regulieren, sagte die Kommissarin.",
    "Der Verlag verschickt seinen Newsletter an 40.000 Abonnenten.",
    "„Wir sind Freunde“, sagte Putin.",
    '"It was a very productive visit," Lam said.',
    "Aber eines verschwiegen sie.",
    "- 212 Millionen Euro Kosten",
    "Putin sagte vor Journalisten:",  # introduces a quote paragraph
    "Update: Die Polizei hat inzwischen bestätigt, dass niemand verletzt wurde.",
    "Video: Die Aufnahmen zeigen, wie der Konvoi am Palast ankommt.",
    "Quelle: Das Ministerium nannte keine Zahlen.",
    "Bilder, die um die Welt gingen, zeigten den Präsidenten am Flughafen.",
    "Fotos von Putin und Lam gingen um die Welt.",
    "Die Mauer ist 2,4 Kilometer lang (siehe Grafik).",
    "The wall is 2.4 kilometres long (see photo).",
    "(c) Der dritte Punkt betrifft die Finanzierung.",
    "Copyright-Verletzungen nehmen im Netz weiter zu.",
    "By Friday.",
    "Von Berlin aus reiste die Delegation weiter nach Hanoi.",
    "„Wir werden diese Strecke bauen. Das ist sicher.“",
])
def test_body_is_kept(line: str) -> None:
    assert removed_as(line) is None


def test_long_paragraph_without_final_punctuation_is_body() -> None:
    long_line = " ".join(["Die Verhandlungen zwischen den Regierungen dauerten bis in den späten Abend"] * 3)
    assert removed_as(long_line) is None


# --- text shape ---------------------------------------------------------------------------------------------

def test_line_endings_blank_lines_and_white_space_are_normalised() -> None:
    raw = ("Titel der Meldung\r\n\r\n  Erster  Absatz\tmit Text.  \r\n\r\n\r\n"
           "Zweiter Ab\u00adsatz.\rDritter.\n")
    c = clean_text(raw)
    assert c.text == "Erster Absatz\tmit Text.\nZweiter Absatz.\nDritter."
    assert c.title == "Titel der Meldung"
    assert "\r" not in c.source
    for r in c.removed:
        assert c.source[r.start:r.end] == r.text


def test_empty_input() -> None:
    c = clean_text(" \n\t\n")
    assert c.text == "" and c.removed == () and c.title is None


# --- seeds --------------------------------------------------------------------------------------------------

def _seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip("shared/seeds not available")
    return path.read_text(encoding="utf-8")


def test_seed_000_dw() -> None:
    raw = _seed("000_eb1b102821afac78.txt")
    c = clean_text(raw)
    got = [(r.reason, r.text[:40]) for r in c.removed]
    assert got == [
        ("heading", "Ein Zentrum für Nuklearwissenschaft und "),
        ("caption", "Der russische Präsident Wladimir Putin w"),
        ("heading", 'Putin: "Entwicklung einer zuverlässigen '),
        ("heading", 'Putins Versuch, "die internationale Isol'),
        ("heading", "Vietnam erhofft sich Russlands Unterstüt"),
        ("heading", "Schafte Kritik von Seiten der USA wegen "),
        ("pull-quote", "Kein Land (darf) Putin eine Plattform ge"),
        ("heading", "Eine Rüstungszusammenarbeit mit Russland"),
        ("heading", "Für Russland geht es beim Vietnam-Besuch"),
        ("heading", "Vietnams Neutralität im Ukraine-Krieg wi"),
    ]
    assert c.title is None  # the first line is the teaser, a body paragraph
    _assert_every_body_paragraph_kept(raw, c)


def test_seed_003_wsws() -> None:
    raw = _seed("003_e346abbffeafbc41.txt")
    c = clean_text(raw)
    got = [(r.reason, r.text[:40]) for r in c.removed]
    assert got == [
        ("title", "Putins Vietnambesuch vor dem Hintergrund"),
        ("caption", "Russlands Präsident Wladimir Putin und V"),
        ("furniture", "Loading"),
    ]
    assert c.title == "Putins Vietnambesuch vor dem Hintergrund der US-Aufrüstung in Asien"
    assert "[AP Photo/Gavriil Grigorov, Sputnik]" in c.removed[1].text
    _assert_every_body_paragraph_kept(raw, c)


def _assert_every_body_paragraph_kept(raw: str, c) -> None:
    removed = {r.text for r in c.removed}
    kept = c.text.split("\n")
    for line in raw.splitlines():
        line = line.strip()
        if line and line not in removed:
            assert line in kept
    # every kept paragraph ends like a sentence (the seeds' body paragraphs all do)
    for para in kept:
        assert para.rstrip('"“”»')[-1] in ".!?", para
    assert len(kept) + len(c.removed) == sum(1 for line in raw.splitlines() if line.strip())


# --- offsets (property) -------------------------------------------------------------------------------------

_LINES = st.sampled_from([
    BODY_DE, BODY_EN, "Loading", "Teilen", "Foto: dpa", "Kritik aus Washington", "Bild 1 von 5",
    "Putin in Hanoi. Foto: Kay Nietfeld/dpa", "Putin and Lam in Hanoi on June 20, 2024.", "",
    BODY_DE + " Foto: dpa", f"{BODY_DE} {BODY_EN} {BODY_DE} Foto: Kay Nietfeld/dpa", "***",
    "„Wir sind Freunde“, sagte Putin.", '"Putin eine Plattform geben", Botschaft der USA',
    "Putin und Lam. Im Bild: der Palast", "Die US-Botschaft sagte, kein Land solle Putin eine Plattform geben.",
])
_NOISE = st.text(alphabet=st.sampled_from(list("ab Z.\t\u00a0\u00ad\u200b\r\n„“!?-:©/")), max_size=40)


@st.composite
def raw_articles(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(_LINES, _NOISE, st.text(max_size=30)), max_size=12))
    seps = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r", "\n\n", " \n \n", "\u2028"]),
                         min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps, strict=True))


@settings(max_examples=300, deadline=None)
@given(raw_articles())
def test_offset_map_points_at_the_same_characters(raw: str) -> None:
    c = clean_text(raw)
    article = Article(id="x", text=c.text, source_text=c.source, offset_map=c.offset_map, removed=c.removed)
    for i, ch in enumerate(c.text):
        assert c.source[article.source_offset(i)] == ch
    # runs are ordered and cover the text exactly
    covered = 0
    for clean_start, source_start, length in c.offset_map:
        assert clean_start == covered and length > 0
        assert c.source[source_start:source_start + length] == c.text[clean_start:clean_start + length]
        covered += length
    assert covered == len(c.text)
    # removed pieces are where they say, and never overlap kept text
    kept = {article.source_offset(i) for i in range(len(c.text)) if c.text[i] != "\n"}
    for r in c.removed:
        assert c.source[r.start:r.end] == r.text
        assert not kept & set(range(r.start, r.end))
    assert "\n\n" not in c.text and c.text == c.text.strip()


@settings(max_examples=150, deadline=None)
@given(raw_articles())
def test_cleaning_twice_changes_nothing(raw: str) -> None:
    once = clean_text(raw).text
    assert clean_text(once).text == once
