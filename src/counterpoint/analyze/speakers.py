"""Who can speak: whether a German word can name the speaker of a quotation.

A name (HanTa's ``NE``), or a noun for a person, a group, a body or a document that "says" something,
alone or as the end of a compound ("Polizeisprecher", "Bundesregierung", "Pressemitteilung"), in any
common inflection. Not "Vorbehalte", "Zuversicht", "Speicherung": the things talked about, which the
quotation rules otherwise take for the subject of a sentence that quotes somebody.

The nouns are the entity module's role and organisation words plus the list below, written for
counterpoint (Apache-2.0).
"""

from __future__ import annotations

from functools import lru_cache

from .entities import ORG_HEAD_WORDS, ROLE_WORDS
from .postags import word_tag

SPEAKER_NOUNS = frozenset(
    """sprecher sprecherin vertreter vertreterin leiter leiterin führer führerin chef chefin kritiker kritikerin
    beobachter beobachterin experte expertin fachmann fachleute aktivist aktivistin bürger bürgerin einwohner
    bewohner anwohner zeuge zeugin augenzeuge augenzeugin opfer mutter vater sohn tochter bruder schwester
    frau mann mensch menschen leute familie angehörige kollege kollegin gegner gegnerin anhänger anhängerin
    unterstützer unterstützerin befürworter befürworterin mitglied mitglieder verfasser verfasserin
    kommissar kommissarin beamte beamter beamtin ermittler ermittlerin veranstalter veranstalterin
    organisator organisatorin sänger sängerin spieler spielerin schauspieler schauspielerin künstler künstlerin
    arzt ärztin mediziner forscher forscherin wissenschaftler schriftsteller schriftstellerin theologe
    kandidat kandidatin politiker politikerin diplomat diplomatin gewerkschaft gewerkschafter fraktion koalition
    opposition führung leitung vorstand kammer senat justiz staatsanwaltschaft ministerium amt behörde
    verwaltung stadt land länder bundesländer staaten konzern unternehmen firma hersteller betreiber
    zeitung blatt magazin nachrichtenmagazin agentur sender bericht studie erklärung mitteilung
    pressemitteilung schreiben brief urteil gutachten resolution
    meteorologe meteorologin historiker historikerin jurist juristin verteidiger verteidigerin anwalt anwältin
    demonstrant demonstrantin student studentin schüler schülerin lehrer lehrerin eltern ärzte fan fans wähler
    wählerin bauer bäuerin händler händlerin mieter mieterin soldat soldatin pilot pilotin umweltschützer
    tierschützer rettungskräfte helfer helferin feuerwehr sanitäter bischof papst pfarrer pfarrerin imam rabbiner
    manager managerin kenner kennerin ökonom ökonomin volkswirt analyst analystin soziologe soziologin politologe
    politologin psychologe psychologin richter richterin kläger klägerin angeklagte angeklagter täter täterin
    häftling gefangene flüchtling flüchtlinge migrant migrantin arbeiter arbeiterin angestellte angestellter
    mitarbeiter mitarbeiterin nutzer nutzerin verbraucher verbraucherin patient patientin
    bewerber bewerberin teilnehmer teilnehmerin besucher besucherin zuschauer zuschauerin autor autorin
    journalist journalistin reporter reporterin korrespondent korrespondentin redakteur redakteurin moderator
    moderatorin blogger bloggerin trainer trainerin stürmer torwart kapitän präsident präsidentin
    umfrage webseite website homepage stellungnahme kommentar interview rede botschaft""".split()
)
_LEXICON = SPEAKER_NOUNS | ROLE_WORDS | {w.lower().rstrip(".") for w in ORG_HEAD_WORDS if len(w) > 3}
_ENDINGS = ("", "n", "en", "s", "e", "es", "nen")  # inflection after the lexicon's form


@lru_cache(maxsize=8192)
def can_speak(word: str) -> bool:
    """Whether a German word, as written, can name who speaks: a name, or a capitalised noun that is (or
    ends in) a word for a person, group, body or document."""
    if word_tag(word, "de") == "NE":
        return True
    if not word[:1].isupper():
        return False
    low = word.lower()
    for ending in _ENDINGS:
        if ending and not low.endswith(ending):
            continue
        stem = low[: len(low) - len(ending)]
        if any(stem[-size:] in _LEXICON for size in range(3, len(stem) + 1)):
            return True
    return False
