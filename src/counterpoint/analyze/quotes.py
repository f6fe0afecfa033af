"""Quotations and who said them, for German and English news: direct, indirect and mixed speech.

``extract_quotes(text, sentences, entities, language)`` returns ``Quote`` values; the component
``quotes.rules.v1`` sets ``Analysis.quotes`` with it. It works in three steps, each in linear time:

1. **Quote marks are paired** (``quotemarks.find_quote_pairs``, which also tells speech from names, titles
   and scare quotes) within a paragraph by a stack (depth-limited, so unbalanced or nested marks
   cost nothing extra): ``„…“ „…” "…" »…« «…» ‚…‘ '…' “…” ‘…’``. An apostrophe ("Putin's", "geht's")
   is never an opening mark. A mark left open at the end of a paragraph that starts a full sentence
   ("…", sagte er. "Im Laufe …) quotes up to the paragraph's end.
2. **Units**: sentences joined where a quotation runs across a sentence end, so a quotation of several
   sentences is one unit.
3. **Cues** in each unit, outside quotation marks, from the lexicons in ``counterpoint/data/quotes``
   (speech and thought verbs with their inflected forms, separable verbs with their particle:
   "fügte … hinzu"), plus ``laut X``, ``X zufolge``, ``nach Angaben X``, ``, so X``, ``hieß es``,
   ``according to X``. For each cue the reported content is found by its position:

   - cue first: ``Putin sagte, die beiden Länder hätten …``; ``Lam fügte hinzu, dass …``;
     ``Putin erklärte: „…“``; ``X said (that) …``; ``X told Y …``; ``Wie X berichtet, …``;
   - cue last: ``…, sagte Gould-Davies.``; ``„…“, schrieb er.``; ``…, so Nguyen Khac Giang, …``;
     ``…, wie X mitteilte.``; ``…, X said.``; a split quotation ``„…“, sagte er, „…“`` gives two quotes;
   - a frame anywhere: ``Laut X …``, ``X zufolge …``, ``Nach Angaben von X …``, ``according to X``.

   The content becomes ``direct`` when it is one quotation (its span includes the marks), ``mixed``
   when reported speech contains a quoted fragment, ``indirect`` otherwise. A quoted fragment in a
   sentence whose cue has no content clause ("bezeichnete … als „beschämenden Deal“") is a direct quote.
   Any other quotation that reads as speech (two words or more, not a name or title such as „Der
   Spiegel“ or "im Film „Nackt unter Wölfen“") is a direct quote of the sentence's cue, its subject or the
   speaker just before. A speech act without a content clause ("Der Bürgermeister forderte die
   Nationalgarde an.") is reported speech whose content is the whole sentence.
   A full-sentence quotation without a cue continues the speaker of the quotation just before it; a
   German sentence in Konjunktiv I without a cue ("Es sei …") that follows reported speech continues it
   as indirect speech of the same speaker (consecutive such sentences form one quote).

**Speakers**: the noun phrase next to the cue: after a verb-second cue ("sagte Ridzwan Rahmat", "so die
offiziellen Medien"), otherwise the subject at the start of the clause ("Putin sagte"), the antecedent of
a relative pronoun ("die US-Botschaft in Vietnam, die erklärte"), the phrase in a frame ("laut X"), the
object of "zitieren" ("zitierte Papandreou mit den Worten"), the place phrase of "heißt es" ("In dem Antrag
heißt es", "hieß es in der Erklärung"), the phrase after the conjunction of a verb-last clause ("zumal der
Verteidiger betont hatte"). In German a phrase that cannot speak (``speakers.can_speak``: "Seine
Zuversicht", "Die vorbeugende Speicherung") yields to the phrase on the other side of the verb or to the
speaker before; the subject before an apposition ("Der Bürgermeister, Hans Berger (SPD), warnte die
Partei …"), a bare name before the verb and the shared subject of a coordinated verb ("… und nannte den
Angriff „…“") keep the object after the verb from speaking. A quotation without a cue after a sentence that
quotes nobody goes to that sentence's subject when it can speak.
A name is a run of capitalised words with particles and a genitive ("ein Sprecher des Ministeriums"); a
description is a determiner, adjectives and its head noun ("ein in Singapur ansässiger Analyst"). When
``entities`` are given, ``speaker_entity``/``speaker_name`` come from the entity mention that overlaps
the speaker's head. A pronoun ("sagte er") resolves to the most recent speaker or person mention before
it that is not inside a quotation.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import ClassVar, Literal

from .. import registry
from ..model import Analysis, Entity, Quote
from ..settings import Settings
from .postags import tagger, word_tag
from .quotemarks import (
    ADJ_ENDINGS,
    MARK_CHARS,
    OPENING_MARKS,
    QuotePair,
    find_quote_pairs,
    is_cap,
    is_full_sentence,
    is_label,
    is_quotation,
    is_word,
    not_speech,
    speechlike,
)
from .sentences import split_sentences
from .speakers import can_speak

MAX_CONTENT_CHARS = 3000  # reported content is cut here (text without sentence ends)
_WINDOW = 40  # tokens looked at around a cue

Kind = Literal["direct", "indirect", "mixed"]

# ---- lexicons ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    finite: dict[str, tuple[tuple[str, str | None], ...]]  # form -> (lemma, particle that must follow or None)
    konjunktiv: frozenset[str]


@lru_cache(maxsize=4)
def _lexicon(language: str) -> Lexicon:
    finite: dict[str, tuple[tuple[str, str | None], ...]] = {}
    files = ("de.txt", "en.txt") if language not in ("de", "en") else (f"{language}.txt",)
    for name in files:
        raw = resources.files("counterpoint.data").joinpath("quotes", name).read_text(encoding="utf-8")
        for line in raw.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            lemma, particle, needs, alone = (part.strip() for part in line.split("|"))
            for form in needs.split():
                finite[form] = (*finite.get(form, ()), (lemma, particle or None))
            for form in alone.split():
                finite[form] = ((lemma, None), *finite.get(form, ()))
    return Lexicon(finite=finite, konjunktiv=_KONJUNKTIV)


_KONJUNKTIV = frozenset(
    """
    sei seien seiest habe werde könne müsse solle wolle dürfe möge gebe gäbe stehe liege gehe komme
    bleibe wisse handle handele brauche fehle zeige lasse mache trage sehe halte finde führe bestehe
    befinde erwarte plane arbeite verfüge wolle lebe spiele wären hätten würden hätte wäre würde
    """.split()
)


# ---- word classes --------------------------------------------------------------------------------------

_DETS = frozenset(
    """der die das des dem den ein eine einer eines einem einen sein seine seiner seinen seinem ihr ihre
    ihrer ihren ihrem dessen deren unser unsere mehrere viele einige zahlreiche beide andere
    the a an his her its their our several many some two three""".split()
)
_PRONOUNS = frozenset(
    """er sie es man wir ich ihr letzterer letztere ersterer erstere dieser diese jener jene
    he she they we i it""".split()
)
# determiners of a German accusative or dative phrase, never of a subject ("nannte seinen Platzverweis")
_OBJECT_DETS = frozenset(
    """den dem einen einem seinen seinem ihren ihrem diesen diesem jenen jenem keinen keinem meinen meinem
    unseren unserem""".split()
)
_ARTICLES = frozenset("der die das den dem des ein eine einen einem einer eines".split())
_PERSONAL = frozenset("er sie he she".split())  # pronouns that stand for a person named before
# possessives that stand for their owner as the speaker: "Seine Zuversicht gründet sich auf …: „…“"
_POSSESSIVES = frozenset("sein seine seiner seinen seinem seines ihr ihre ihrer ihren ihrem ihres his her".split())
_RESOLVED_BACK = _PERSONAL | _POSSESSIVES  # speaker spans that name somebody named before
_PLACE_PREPOSITIONS = frozenset("in aus bei im am at in from".split())
_GENITIVE = frozenset("des der von vom of".split())
_NAME_PARTICLES = frozenset("von van de der den da di al bin ibn zu dos du la le".split())
_RELATIVE = frozenset("der die das welcher welche welches was wo wobei womit worauf who which that".split())
# capitalised words that open a German or English sentence and are never a speaker
_OPENERS = frozenset(
    """aber allerdings also angesichts auch außerdem bereits bisher da dabei dadurch daher damals damit danach
    dann darüber dass dazu demnach denn deshalb doch dort ebenfalls eigentlich erst gestern gleichzeitig heute
    hier inzwischen jedenfalls jedoch jetzt mittlerweile morgen nun nur schließlich seither so sogar später
    tatsächlich trotzdem vielleicht weiter weiterhin zudem zuletzt zunächst zuvor zweifellos offenbar offensichtlich
    zwar was wer wie wo als besonders letztlich hierbei hierzu deswegen ebenso gerade lediglich und oder sondern
    es das dies dieses
    insgesamt letztlich natürlich nämlich sonst immerhin ferner freilich dagegen hingegen stattdessen erneut
    however meanwhile still now today yesterday later earlier also then indeed instead""".split()
)
_PREPOSITIONS = frozenset(
    """ab an auf aus außer bei beim binnen bis durch für gegen gegenüber hinter in im ins am mit nach neben ohne
    seit trotz über um unter vom von vor während wegen zu zum zur zwischen infolge angesichts anlässlich
    in at on after before during for from with without since despite under over""".split()
)
_SUBORDINATORS = frozenset(
    "wie dass ob als weil nachdem während wenn obwohl da damit bevor as while because that since".split()
)
_NOT_CONTENT = frozenset(
    "weil nachdem als wenn obwohl bevor um damit während sodass indem ohne statt zumal".split()
)
_DEMONSTRATIVES = frozenset("das dies dieses".split())  # openers that are determiners before a noun
_NO_SUBJECT = _OPENERS | _PREPOSITIONS | _SUBORDINATORS | _NOT_CONTENT  # a clause starting so has its subject later
_EN_STOP = frozenset(
    """on in at during that who which when after before while as to was is has had have will would said
    says told tells added and but or on""".split()
)
_TIME_WORDS = frozenset(
    """am im in beim bei auf gegenüber zufolge heute gestern morgen jedoch auch zudem außerdem weiter
    später dann bereits nun noch damals""".split()
)
# lower-case words ending in -e that are not verbs in Konjunktiv I
_NOT_VERBS = frozenset(
    """heute gerne ohne alle gerade lange bitte deine meine keine jede diese jene welche solche manche viele
    einige wenige andere beide eine seine ihre unsere eure große kleine neue alte erste zweite dritte letzte
    nächste rasche hohe ferne nahe weise mitte ende stelle weise gleiche obere untere innere äußere dessen
    deren halbe ganze runde helle klare""".split()
)
_SOURCE_NOUNS = frozenset(
    """Angaben Ansicht Auffassung Einschätzung Einschätzungen Informationen Aussage Aussagen Darstellung Meinung
    Berichten Bericht Worten Analyse Analysen Berechnungen Schätzungen Erkenntnissen Ermittlungen Mitteilung
    Meldung Meldungen Umfrage Studie Auskunft Überzeugung Auswertung Prognose Prognosen Polizeiangaben
    Medienberichten Zeugenaussagen Aussagen Darstellungen Recherchen Expertenschätzungen Bewertung Idee
    Sicht""".split()
)
# speech acts that report what someone said without a content clause ("X forderte den Rücktritt")
_REPORTED = frozenset(
    """fordern verlangen warnen kritisieren vorwerfen ankündigen berichten sprechen bekräftigen bestätigen
    dementieren appellieren auffordern bemängeln beklagen loben würdigen drohen mahnen versprechen zusichern
    announce warn criticize urge accuse deny confirm promise""".split()
)
_HEISST = frozenset("hieß heißt".split())
# adverbs between the speaker of ", so X" and the end of the attribution
_AFTER_SO_SPEAKER = frozenset("weiter wörtlich abschließend zudem außerdem ergänzend damals später".split())
# prepositions of the text or place that "heißt es" quotes ("in der Erklärung", "aus Paris", "auf der Webseite")
_SOURCE_PREPOSITIONS = frozenset("in im aus von vom bei beim auf am".split())
_ADVERBS_OF_MANNER = frozenset("wörtlich dazu darin dort weiter ferner außerdem zudem nun jetzt".split())
_WERDEN = frozenset("wird werden wurde wurden".split())

_TOKEN = re.compile(r"\w+(?:[-‐‑'’]\w+)*|[^\w\s]")
_WORDS = re.compile(r"\w+")


#: a participle used as an attribute: "inszenierende", "geborene", "gehörende", "zuständige"
_PARTICIPLE = re.compile(r"^(?!folgend)(?=[a-zäöü])\w*(?:end|ge\w+[tn]|iert|zuständig)(?:e|en|er|es|em)$")


def _adjective_like(word: str) -> bool:
    """"russische", "ansässiger", "23-jährige"."""
    return (word[:1].islower() or (word[:1].isdigit() and "-" in word)) and word.endswith(ADJ_ENDINGS) \
        and len(word) > 3


@dataclass
class _Unit:
    start: int
    end: int
    paragraph: int
    tokens: list[tuple[int, int, str]]  # (start, end, text), offsets into the article text
    quoted: list[bool]  # token inside a quotation
    pairs: list[QuotePair]  # outermost quotations inside the unit
    colons: list[int] | None = None  # indices of the colons outside quotations, computed when first needed


def _units(text: str, sentences: Sequence[tuple[int, int, int]], pairs: Sequence[QuotePair]) -> list[_Unit]:
    """Sentences joined where a quotation crosses a sentence end."""
    outer: list[QuotePair] = []
    for p in pairs:
        if outer and p.start < outer[-1].end:
            continue
        outer.append(p)
    merged: list[list[int]] = []
    k = 0
    for start, end, paragraph in sentences:
        while k < len(outer) and outer[k].end <= start:
            k += 1
        if merged and merged[-1][2] == paragraph and k < len(outer) and outer[k].start < merged[-1][1] < outer[
                k].end and outer[k].start < start:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, paragraph])
    units = []
    k = 0
    for start, end, paragraph in merged:
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]
        while k < len(outer) and outer[k].end <= start:
            k += 1
        inside = []
        j = k
        while j < len(outer) and outer[j].start < end:
            if outer[j].start >= start:
                inside.append(outer[j])
            j += 1
        quoted = [False] * len(tokens)
        if inside:
            q = 0
            for t, (s, _e, _w) in enumerate(tokens):
                while q < len(inside) and inside[q].end <= s:
                    q += 1
                quoted[t] = q < len(inside) and inside[q].start <= s < inside[q].end
        units.append(_Unit(start, end, paragraph, tokens, quoted, inside))
    return units


# ---- noun phrases --------------------------------------------------------------------------------------


_PARTICLE_TAGS = frozenset("ADV PROAV KON KOUS APPR".split())


def _capitalised_particle(word: str, language: str) -> bool:
    """An adverb, conjunction or preposition written with a capital at the start of a sentence."""
    return language == "de" and word_tag(word, "de") in _PARTICLE_TAGS


def _np_forward(tokens: list[tuple[int, int, str]], i: int, limit: int, language: str) -> tuple[int, int, int] | None:
    """The noun phrase starting at token ``i``: (first token, last token + 1, head token) or None."""
    n = min(len(tokens), limit)
    if i >= n:
        return None
    word = tokens[i][2]
    low = word.lower()
    if low in _PRONOUNS:
        return i, i + 1, i
    j = i
    opened = False
    if low in _DETS:
        head = None
        k = i + 1
        while k < min(n, i + 9):
            w = tokens[k][2]
            if w in MARK_CHARS and k + 1 < n and is_cap(tokens[k + 1][2]):
                opened = w in OPENING_MARKS  # die „Computerwoche“
                k += 1
                continue
            if not is_word(w):
                break
            if is_cap(w):
                prev = tokens[k - 1][2]
                if prev in MARK_CHARS:
                    prev = tokens[k - 2][2]
                if k == i + 1 or _adjective_like(prev) or is_cap(prev) or prev.lower() in _DETS:
                    head = k
                    run = k
                    while run < n and is_cap(tokens[run][2]) and is_word(tokens[run][2]):
                        run += 1
                    if run + 1 < min(n, i + 16) and _PARTICIPLE.search(tokens[run][2]) \
                            and is_cap(tokens[run + 1][2]) and is_word(tokens[run + 1][2]):
                        # a participial attribute with nouns of its own: "der sich als Gegner Thaksins
                        # inszenierende Medienunternehmer Sondhi Limthongkul"
                        head = run + 1
                    break
            if language == "en" and w.lower() in _EN_STOP:
                break
            k += 1
        if head is None:
            if language == "en" and k > i + 1:  # "a spokesman for the ministry"
                return i, k, k - 1
            return None
        j = head
    elif word in OPENING_MARKS and i > 0 and tokens[i - 1][2].lower() in _BEFORE_QUOTED_SOURCE:
        return _quoted_name(tokens, i, n)  # "Wie „heise online“ berichtet", "laut „tagesschau.de“"
    elif not (is_cap(word) and is_word(word)) or _capitalised_particle(word, language):
        return None  # not "Derzeit", "Selbst", "Aktuell" at the start of a sentence
    head = j
    while j < n:
        w = tokens[j][2]
        if is_cap(w) and is_word(w) and not (j > i and _capitalised_particle(w, language)):
            head = j
            j += 1
        elif w == "." and j > 0 and len(tokens[j - 1][2]) <= 4 and j + 1 < n and is_cap(tokens[j + 1][2]) \
                and tokens[j - 1][1] == tokens[j][0]:
            j += 1  # "Dr. Dittrich", "George W. Bush"
        elif w.lower() in _NAME_PARTICLES and j + 1 < n and is_cap(tokens[j + 1][2]) and j > i \
                and w.lower() not in ("der", "den"):
            j += 1
        elif w in MARK_CHARS and not opened and j + 1 < n and is_cap(tokens[j + 1][2]) and w in OPENING_MARKS:
            opened = True
            j += 1  # die „Computerwoche“
        elif w in MARK_CHARS and opened:
            opened = False
            j += 1
            break  # the quoted name ends the phrase: "zitiert die „Computerwoche“ Lynch"
        elif opened and is_word(w) and j + 1 < n and any(t[2] in MARK_CHARS for t in tokens[j + 1 : j + 7]):
            j += 1  # a name of several words: die „Kampagne für ein Freies Tibet“
        else:
            break
    if opened:
        j = next(k for k in range(j - 1, i - 1, -1) if tokens[k][2] in MARK_CHARS)
    end = j
    for _ in range(2):  # a genitive: "ein Sprecher des Ministeriums", "Analyst am ISEAS"
        if end < n and tokens[end][2].lower() in _GENITIVE:
            k = end + 1
            while k < min(n, end + 5) and (_adjective_like(tokens[k][2]) or tokens[k][2].lower() in _DETS):
                k += 1
            if k < n and is_cap(tokens[k][2]) and is_word(tokens[k][2]):
                while k < n and is_cap(tokens[k][2]) and is_word(tokens[k][2]):
                    k += 1
                end = k
                continue
        break
    return i, end, head


_BEFORE_QUOTED_SOURCE = frozenset("wie laut as".split())


def _quoted_name(tokens: list[tuple[int, int, str]], i: int, n: int) -> tuple[int, int, int] | None:
    """A short quoted name at token ``i`` (an opening mark): the phrase up to its closing mark."""
    k = i + 1
    while k < min(n, i + 8) and (is_word(tokens[k][2]) or tokens[k][2] in ("-", ".", "&")):
        k += 1
    if k == i + 1 or k >= n or tokens[k][2] not in MARK_CHARS:
        return None
    return i, k + 1, k - 1


def _np_backward(tokens: list[tuple[int, int, str]], end: int, floor: int) -> tuple[int, int, int] | None:
    """The noun phrase that ends just before token ``end`` ("die US-Botschaft in Vietnam")."""
    k = end - 1
    if k < floor or not is_word(tokens[k][2]):
        return None
    if tokens[k][2].lower() in _PRONOUNS:
        return k, end, k
    if not is_cap(tokens[k][2]):
        return None
    head = k
    start = k
    while k >= floor:
        w = tokens[k][2]
        low = w.lower()
        if is_cap(w) and is_word(w):
            start = k
        elif low in _DETS:
            start = k
            if not (k - 1 >= floor and is_cap(tokens[k - 1][2]) and low in _GENITIVE):
                break
        elif low in ("in", "im", "am", "aus", "für") and k - 1 >= floor and is_cap(tokens[k - 1][2]):
            pass
        elif _adjective_like(w) or (low in _GENITIVE and k - 1 >= floor and is_cap(tokens[k - 1][2])):
            start = k
        else:
            break
        k -= 1
    while start < end and not (is_cap(tokens[start][2]) or tokens[start][2].lower() in _DETS):
        start += 1
    return start, end, head


# ---- step 3: cues --------------------------------------------------------------------------------------


@dataclass
class _Found:
    start: int
    end: int
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    head: tuple[int, int] | None
    free: bool = False  # free indirect speech, no cue of its own


def _speaker_like(tokens: list[tuple[int, int, str]], np: tuple[int, int, int] | None, language: str) -> bool:
    """Whether a noun phrase can be who speaks (``speakers.can_speak`` of a word up to its head; a genitive's
    noun does not count: not "die Pläne der Bundesregierung"). Only German is checked."""
    if np is None:
        return False
    if language != "de" or tokens[np[0]][2].lower() in _PRONOUNS:
        return True
    return any(can_speak(tokens[k][2]) for k in range(np[0], min(np[1], np[2] + 1)) if is_word(tokens[k][2]))


def _clause_start(tokens: list[tuple[int, int, str]], cue: int, floor: int) -> int:
    """Index of the first token of the clause that holds the cue (appositions are skipped)."""
    k = cue - 1
    while k >= max(floor, cue - _WINDOW):
        w = tokens[k][2]
        if w == ")":  # a closed parenthesis is inside the clause: "Houcine Abassi, der Generalsekretär (UGIT) sagte"
            opening = k - 1
            while opening >= max(floor, cue - _WINDOW) and tokens[opening][2] not in "()":
                opening -= 1
            if opening >= max(floor, cue - _WINDOW) and tokens[opening][2] == "(":
                k = opening - 1
                continue
        if w in ":;(":
            return k + 1
        if w == "," and k + 1 < cue:
            nxt = tokens[k + 1][2].lower()
            if nxt in _SUBORDINATORS or nxt in _NOT_CONTENT:
                return k + 1
        k -= 1
    return max(floor, cue - _WINDOW)


_AUXILIARIES = frozenset("hat hatte hatten haben habe hätte hätten ist war waren sei wurde wurden wird werden".split())
_MODALS = frozenset("muss musste mussten will wollte wollten kann konnte konnten soll sollte sollten".split())


def _clause_final(tokens: list[tuple[int, int, str]], i: int) -> bool:
    """Whether the verb at token ``i`` ends its clause, alone or before an auxiliary (German verb-last order
    of a subordinate clause: "…, weil sie das erklärte, …", "zumal er es betont hatte.")."""
    k = i + 1
    if k < len(tokens) and tokens[k][2] in _AUXILIARIES:
        k += 1
    return k >= len(tokens) or tokens[k][2] in ",.;:!?"


_COORDINATORS = frozenset("und sowie".split())


def _clause_between(u: _Unit, a: int, b: int) -> bool:
    """Whether tokens ``a`` to ``b`` hold a quotation or a finite verb: a clause, not an apposition ("Sie wisse,
    dass …, hatte X gesagt" against "Der Bürgermeister, Henning Scherf (SPD), warnte")."""
    return any(u.quoted[a:b]) or any(
        w[:1].islower() and w.isalpha() and _finite_verb(w) for _s, _e, w in u.tokens[a:b])


def _bare_name(tokens: list[tuple[int, int, str]], np: tuple[int, int, int], verb: int) -> bool:
    """A phrase of capitalised words without an article right before the verb: in German verb-second order
    the subject, a name the lexicon does not know ("Milinkewitsch kritisierte die Handlungsweise X als …")."""
    return np[1] == verb and tokens[np[0]][2].lower() not in _DETS and all(
        is_cap(w) for _s, _e, w in tokens[np[0] : np[1]] if is_word(w))


def _end_of_phrase(tokens: list[tuple[int, int, str]], i: int, n: int) -> int:
    """First token from ``i`` that ends a sentence-final attribution (or n)."""
    while i < n and tokens[i][2] not in ",.;:!?":
        i += 1
    return i


class _Extractor:
    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.language = language
        self.lexicon = _lexicon(language)

    # -- one unit --------------------------------------------------------------------------------------

    def unit(self, u: _Unit) -> list[_Found]:
        tokens, quoted = u.tokens, u.quoted
        n = len(tokens)
        found: list[_Found] = []
        claimed_to = 0  # tokens before this belong to a finding already
        i = 0
        while i < n:
            if quoted[i]:
                i += 1
                continue
            hit = self.cue_at(u, i, claimed_to)
            if hit is None:
                i += 1
                continue
            found.extend(hit[0])
            claimed_to = max(claimed_to, hit[1])
            i = max(i + 1, hit[1])
        return found

    def cue_at(self, u: _Unit, i: int, floor: int) -> tuple[list[_Found], int] | None:
        tokens = u.tokens
        n = len(tokens)
        word = tokens[i][2]
        low = word.lower()
        # frames: laut X / X zufolge / nach Angaben X / according to X / , so X / hieß es
        if low == "laut" or (low == "according" and i + 1 < n and tokens[i + 1][2] == "to"):
            first = i + (2 if low == "according" else 1)
            np = _np_forward(tokens, first, n, self.language)
            if np is None:
                return None
            return self.frame(u, i, first - 1, np, (i, first - 1)), np[1]
        if low == "zufolge" or (low == "nach" and i > floor + 1 and tokens[i - 1][2] in _SOURCE_NOUNS
                                and tokens[i - 2][2].lower() in _DETS):  # "seiner Meinung nach"
            if low == "nach" and i - 3 >= floor and tokens[i - 3][2].lower() in _ARTICLES and i + 1 < n \
                    and _adjective_like(tokens[i + 1][2]):
                return None  # inside a noun phrase: "die ihrer Meinung nach verbreiteten Illusionen"
            np = _np_backward(tokens, i, floor)
            if np is None:
                return None
            return self.frame(u, np[0], i, np, (i, i)), i + 1
        noun = i + 1
        while low == "nach" and noun < min(n, i + 4) and (tokens[noun][2].lower() in _DETS or _adjective_like(
                tokens[noun][2])):
            noun += 1
        if low == "nach" and noun < n and tokens[noun][2] in _SOURCE_NOUNS:
            first = noun + 1
            if first < n and tokens[first][2] in ("von", "vom"):
                first += 1
            np = _np_forward(tokens, first, n, self.language)
            if np is None or np[0] != first:
                np = (i + 1, noun + 1, noun)
            return self.frame(u, i, noun, np, (i, i)), np[1]
        if low == "so" and self.language != "en" and i > 0 and (
                tokens[i - 1][2] == "," or (tokens[i - 1][2] in MARK_CHARS and u.quoted[i - 1])):
            np = _np_forward(tokens, i + 1, n, self.language)
            if np is None or tokens[np[0]][2].lower() in ("dass",):
                return None
            after = np[1]
            if after < n and tokens[after][2] in OPENING_MARKS:  # ", so der Sprecher der Firma „Shui Jing Shi“"
                close = next((k for k in range(after + 1, min(n, after + 7)) if tokens[k][2] in MARK_CHARS), n)
                if close < n and all(is_cap(t[2]) for t in tokens[after + 1 : close]):
                    np = (np[0], close + 1, np[2])
                    after = close + 1
            while after < n and tokens[after][2] in _AFTER_SO_SPEAKER:
                after += 1  # ", so Guttenberg wörtlich.", ", so Elshorst weiter: „…“"
            after = self.past_adverbials(u, after, names=True)  # ", so der Sprecher gegenüber der „Zeit“."
            if after < n and tokens[after][2] not in ",.;:!?)":
                return None
            return self.cue_last(u, i, i, np, floor), _end_of_phrase(tokens, after, n)
        if word in _HEISST and i + 1 < n and tokens[i + 1][2] == "es":
            return self.verb(u, i, i, self.heisst_source(u, i, floor), speaker_known=True, floor=floor)
        if word == "geheißen" and i >= 2 and tokens[i - 1][2] == "es" and tokens[i - 2][2] in _AUXILIARIES:
            # "In einer Erklärung hatte es geheißen: „…“"
            return self.verb(u, i, i, self.heisst_source(u, i - 2, floor), speaker_known=True, floor=floor)
        entry = self.lexicon.finite.get(word) or (self.lexicon.finite.get(low) if i == 0 else None)
        if entry is None:
            return None
        if word in _HEISST:  # "…, in dem es heißt: „…“": the speaker is the relative pronoun's antecedent
            np = None
            if i >= 4 and tokens[i - 1][2] == "es" and tokens[i - 4][2] == "," and tokens[i - 3][2] == "in":
                np = _np_backward(tokens, i - 4, max(0, i - 16))
            return self.verb(u, i, i, np, speaker_known=True, floor=floor)
        if any(lemma == "zitieren" for lemma, _ in entry) and self.language == "de":
            cited = self.cited(u, i, floor)
            if cited is not None:
                return cited
        last = -1
        for _lemma, particle in entry:
            if not particle:
                last = i
                break
            k = i + 1
            while k < min(n, i + 15) and tokens[k][2] != particle and tokens[k][2] not in ",.;:!?":
                k += 1
            if k < n and tokens[k][2] == particle:
                last = k
                break
        if last < 0:
            return None
        if i + 2 < n and tokens[i + 1][2] == "sich" and tokens[i + 2][2] == "bereit":
            return None
        return self.verb(u, i, last, None, speaker_known=False, floor=floor)

    # -- patterns --------------------------------------------------------------------------------------

    def heisst_source(self, u: _Unit, i: int, floor: int) -> tuple[int, int, int] | None:
        """Where "heißt es" reads its words: the place phrase after it ("hieß es in der Erklärung", "heißt es
        wörtlich auf der Webseite") or the one that opens its clause ("In dem Antrag heißt es", "Aus Paris
        hieß es")."""
        tokens = u.tokens
        n = len(tokens)
        k = i + 2
        if k < n and tokens[k][2] in _ADVERBS_OF_MANNER:
            k += 1
        if k < n and tokens[k][2] in _SOURCE_PREPOSITIONS:
            return _np_forward(tokens, k + 1, n, self.language)
        start = _clause_start(tokens, i, floor)
        if start < i and tokens[start][2].lower() == "so":
            start += 1
        if start < i - 1 and tokens[start][2].lower() in _SOURCE_PREPOSITIONS:
            k = start + 1
            while k < i and _adjective_like(tokens[k][2]):
                k += 1  # "Im letzten Satz der Anordnung heißt es"
            return _np_forward(tokens, k, i, self.language)
        return None

    def frame(self, u: _Unit, first: int, last: int, np: tuple[int, int, int], cue_tokens: tuple[int, int]
              ) -> list[_Found]:
        """``Laut X …`` / ``X zufolge …``: the content is the unit without the frame."""
        tokens = u.tokens
        cue = (tokens[cue_tokens[0]][0], tokens[cue_tokens[1]][1])
        lo = min(first, np[0])
        hi = max(last + 1, np[1])
        start, end = tokens[0][0], self.trim_end(tokens[-1][1])
        if lo <= 0 or (lo <= 1 and tokens[0][2] in "(„\""):
            k = hi
            while k < len(tokens) and tokens[k][2] in ",:":
                k += 1
            if k >= len(tokens):
                return []
            start = tokens[k][0]
        elif hi >= len(tokens) or tokens[hi][2] in ".!?" or (tokens[lo - 1][2] == "," and _end_of_phrase(
                tokens, hi, len(tokens)) >= len(tokens) - 1):
            end = self.trim_end(tokens[lo - 1][0] if tokens[lo - 1][2] == "," else tokens[lo][0])
        if end <= start:
            return []
        return [self.make(start, end, cue, tokens, np)]

    def verb(self, u: _Unit, i: int, last: int, np: tuple[int, int, int] | None, *, speaker_known: bool,
             floor: int) -> tuple[list[_Found], int] | None:
        tokens = u.tokens
        n = len(tokens)
        cue = (tokens[i][0], tokens[i][1])
        # cue last: ", sagte X." / "„…“, schrieb er." / ", wie X mitteilte." / ", X said."
        k = i - 1
        lead = None
        while k >= max(floor, i - 8):
            w = tokens[k][2]
            if w == ",":
                lead = k
                break
            if u.quoted[k] and w in MARK_CHARS:
                lead = k  # '"…," Lam said.'
                break
            if not is_word(w) or u.quoted[k]:
                break
            k -= 1
        if lead is None and i > 0 and u.quoted[i - 1] is False and tokens[i - 1][2] in "“”\"»«'’":
            lead = i - 1
        if speaker_known and lead is not None and (lead == i - 1 or (lead == i - 2 and tokens[i - 1][2] == "so")) \
                and not self.colon_after(u, i, np):
            return self.cue_last(u, lead + 1, i, np, floor), _end_of_phrase(tokens, i + 1, n)
        if lead is not None and lead > floor:
            between = tokens[lead + 1 : i]
            nested_ok = all(is_word(w) for _s, _e, w in between)
            if nested_ok:
                after = self.speaker_after(u, i + 1)
                tail = self.past_adverbials(u, after[1]) if after is not None else n
                if after is not None and last > i and tail == last:
                    tail += 1  # "„…“, teilte er mit."
                tail_ok = after is not None and (tail >= n or tokens[tail][2] in ",.;!?)")
                if not between and tail_ok and after is not None:
                    found = self.cue_last(u, i, i, after, floor)
                    return found, _end_of_phrase(tokens, tail, n)
                if between and (
                    between[0][2].lower() in ("wie", "as") or self.language == "en" or len(between) <= 1
                ):
                    first = lead + 1 + (between[0][2].lower() in ("wie", "as"))
                    if first < i and tokens[first][2] == "sich":
                        first += 1  # "wie sich Tauss ausdrückte"
                    sub = _np_forward(tokens, first, i, self.language)
                    end_here = last + 1
                    while end_here < n and tokens[end_here][2] not in ",.;!?" and end_here < last + 6:
                        end_here += 1
                    if sub is not None and (end_here >= n or tokens[end_here][2] in ",.;!?"):
                        return self.cue_last(u, lead + 1, i, sub, floor), end_here
        # cue first: find the content after a comma, a colon, "dass"/"that" or (English) directly
        k = last + 1
        if speaker_known and np is not None and np[0] > i:
            k = np[1]  # "heißt es in der Erklärung wörtlich: „…“"
            if k < n and tokens[k][2] in _ADVERBS_OF_MANNER:
                k += 1
        if k < n and tokens[k][2] in ("hinzu", "mit", "an", "ein", "zu", "aus", "hin", "bekannt", "klar", "vor"):
            k += 1
        speaker = None
        after_np = None
        if not speaker_known:
            j = i + 2 if i + 1 < n and tokens[i + 1][2] == "sich" else i + 1  # "äußerte sich X"
            after_np = _np_forward(tokens, j, n, self.language) if j < n else None
        stop = min(n, k + 10)
        content_tok = None
        j = k
        while j < stop:
            w = tokens[j][2]
            low = w.lower()
            if u.quoted[j] and (j == k or tokens[j - 1][2] in ":,"):
                content_tok = j
                break
            if w in (",", ":"):
                if j + 1 < n:
                    nxt = tokens[j + 1][2].lower()
                    if nxt in _NOT_CONTENT or (nxt in _RELATIVE and nxt not in ("dass", "that") and w == ","
                                               and not self.has_konjunktiv(tokens, j + 2, min(n, j + 12))):
                        break
                    if self.speaks_itself(u, j + 1):
                        break  # "X nannte A „…“, Y bezeichnete B als „…“": a clause with its own speaker
                    content_tok = j + 1
                break
            if low in ("dass", "that", "ob", "whether"):
                content_tok = j
                break
            if w in ".!?;":
                break
            j += 1
        if content_tok is None and self.language == "en" and k < n and is_word(tokens[k][2]):
            # "X said the two countries had …", "X told reporters the plan …"
            j = k
            if tokens[i][2] in ("told", "tell", "tells"):
                obj = _np_forward(tokens, j, n, self.language) or (
                    (j, j + 1, j) if j < n and is_word(tokens[j][2]) else None)
                j = obj[1] if obj else j
            if j < n and tokens[j][2] in ("on", "in") and j + 1 < n and is_cap(tokens[j + 1][2]):
                j += 2
            if j < n and is_word(tokens[j][2]) and tokens[j][2] not in ("by", "to", "about", "of", "for"):
                content_tok = j
        if content_tok is None or content_tok >= n:
            if speaker_known and np is not None:
                return None
            # a cue without content: quoted fragments in this unit may still be its direct quotes
            sp = self.subject(u, i, last, after_np, floor)
            fragments = self.fragments(u, cue, sp, floor)
            lemmas = {lemma for lemma, _ in self.lexicon.finite.get(tokens[i][2], ())}
            if not fragments and sp is not None and floor == 0 and lemmas & _REPORTED \
                    and tokens[sp[0]][2].lower() not in ("es", "man", "it"):
                # reported speech without a content clause: "Der Bürgermeister forderte die Nationalgarde an."
                return [self.make(u.start, u.end, cue, tokens, sp)], n
            return fragments, i + 1
        speaker = np if speaker_known else self.subject(u, i, last, after_np, floor)
        if tokens[content_tok][2] in _PREPOSITIONS:  # "erklärte X, nach dem Treffen in Y, Seoul überdenke"
            j = content_tok + 1
            while j < min(n, content_tok + 10) and tokens[j][2] not in ",.;:!?":
                j += 1
            if j + 1 < n and tokens[j][2] == "," and is_cap(tokens[j + 1][2]):
                content_tok = j + 1
        start = tokens[content_tok][0]
        end_tok = self.content_end(u, content_tok)
        end = self.trim_end(tokens[end_tok - 1][1]) if end_tok > content_tok else start
        if end <= start:
            return None
        found = [self.make(start, end, cue, tokens, speaker)]
        return found, end_tok

    def colon_after(self, u: _Unit, i: int, np: tuple[int, int, int] | None) -> bool:
        """Whether a colon follows the attribution at token ``i`` ("…, heißt es in der Erklärung: „…“")."""
        k = np[1] if np is not None and np[0] > i else i + 2
        while k < len(u.tokens) and u.tokens[k][2] in _ADVERBS_OF_MANNER:
            k += 1
        return k < len(u.tokens) and u.tokens[k][2] == ":"

    def cited(self, u: _Unit, i: int, floor: int) -> tuple[list[_Found], int] | None:
        """German "zitieren": who is quoted is the object of the active verb ("Ein Fernsehsender zitierte
        Papandreou mit den Worten: „…“", "„…“, zitiert Welt-Online den Minister") or the subject of the
        passive ("„…“, wird Mike Downey zitiert", "wird Watzke wie folgt zitiert: „…“")."""
        tokens = u.tokens
        n = len(tokens)
        w = i - 1
        while w >= max(floor, i - 15) and (not u.quoted[w] or self.name_in_clause(u, w)) \
                and tokens[w][2] not in ".;!?" and tokens[w][2].lower() not in _WERDEN:
            w -= 1
        passive = w >= max(floor, i - 15) and not u.quoted[w] and tokens[w][2].lower() in _WERDEN
        clause = w if passive else i  # first token of an attribution that follows its quotation
        before = None
        k = clause - 1
        if k >= floor and tokens[k][2] == ",":
            k -= 1
        if k >= floor and u.quoted[k] and tokens[k][2] in MARK_CHARS:
            before = next((p for p in u.pairs if p.end == tokens[k][1]), None)
        if passive:
            np = self.speaker_after(u, w + 1)
        elif before is not None:  # "„…“, zitiert Welt-Online den Minister": source, then who is quoted
            source = _np_forward(tokens, i + 1, n, self.language)
            np = _np_forward(tokens, source[1], n, self.language) if source is not None else None
        else:  # "Ein Fernsehsender zitierte Papandreou mit den Worten: „…“"
            np = _np_forward(tokens, i + 1, n, self.language)
        if np is None or tokens[np[0]][2].lower() in ("es", "man"):
            return None
        quote = before
        j = i + 1
        while quote is None and j < min(n - 1, i + 12) and tokens[j][2] not in ".;!?":
            if tokens[j][2] == ":" and u.quoted[j + 1]:
                quote = next((p for p in u.pairs if p.start == tokens[j + 1][0]), None)
                break
            j += 1
        if quote is None:
            return None
        cue = (tokens[i][0], tokens[i][1])
        found = [self.make(quote.start, quote.end, cue, tokens, np)]
        return found, max(i + 1, bisect.bisect_left(tokens, (quote.end, -1, "")))

    def name_in_clause(self, u: _Unit, k: int) -> bool:
        """Whether the quoted token ``k`` is part of a short name inside a clause ("wird er im „Kicker“
        zitiert"): its quotation has at most four words and follows a word of the clause."""
        pair = next((p for p in u.pairs if p.start <= u.tokens[k][0] < p.end), None)
        if pair is None or len(_WORDS.findall(self.text[pair.start : pair.end])) > 4:
            return False
        at = bisect.bisect_left(u.tokens, (pair.start, -1, ""))
        return at > 0 and is_word(u.tokens[at - 1][2]) and not u.quoted[at - 1]

    def cue_last(self, u: _Unit, first: int, cue_i: int, np: tuple[int, int, int] | None,
                 floor: int = 0) -> list[_Found]:
        tokens = u.tokens
        cue = (tokens[cue_i][0], tokens[cue_i][1])
        comma = first - 1
        if floor and floor >= comma:
            return []  # "sagte Lam, dass …, so die Medien": the content has its speaker already
        k = comma
        while k > 0 and tokens[k][2] == ",":
            k -= 1
        start = self.content_start(u, k)
        if floor:
            start = max(start, tokens[floor][0])
        end = self.trim_end(tokens[k][1])
        if end <= start:
            return []
        found = [self.make(start, end, cue, tokens, np)]
        if np is None:
            return found
        # "„…“, sagte er, „…“": the quotation after the attribution has the same speaker and cue
        after = np[1]
        if after + 1 < len(tokens) and tokens[after][2] == "," and u.quoted[after + 1]:
            pair = next((p for p in u.pairs if p.start == tokens[after + 1][0]), None)
            if pair is not None:
                found.append(self.make(pair.start, pair.end, cue, tokens, np))
        return found

    def fragments(self, u: _Unit, cue: tuple[int, int], speaker: tuple[int, int, int] | None,
                  floor: int) -> list[_Found]:
        if speaker is None:
            return []
        out: list[_Found] = []
        if floor >= len(u.tokens):
            return out
        lo = max(u.tokens[floor][0], cue[0] - 300)  # quotations near the cue, in its clause
        k = bisect.bisect_left(u.pairs, lo, key=lambda p: p.start)
        while k < len(u.pairs) and u.pairs[k].start < cue[1] + 300:
            p = u.pairs[k]
            k += 1
            if not (speechlike(self.text, p.start, p.end) or is_label(self.text, p.start, p.end)):
                continue
            if self.cue_between(u, cue[1], p.start) or self.cue_between(u, p.end, cue[0]):
                continue  # the quotation belongs to another speech verb: "X nannte A „…“, Y bezeichnete B als „…“"
            out.append(self.make(p.start, p.end, cue, u.tokens, speaker))
        return out

    def speaks_itself(self, u: _Unit, k: int) -> bool:
        """Whether the clause at token ``k`` is a speaker followed by a speech verb of its own."""
        tokens = u.tokens
        np = _np_forward(tokens, k, len(tokens), self.language)
        return np is not None and np[1] < len(tokens) and tokens[np[1]][2] in self.lexicon.finite \
            and _speaker_like(tokens, np, self.language)

    def cue_between(self, u: _Unit, a: int, b: int) -> bool:
        """Whether a speech verb stands outside quotation marks between the characters ``a`` and ``b``."""
        if b <= a:
            return False
        k = bisect.bisect_left(u.tokens, (a, -1, ""))
        while k < len(u.tokens) and u.tokens[k][0] < b:
            if not u.quoted[k] and u.tokens[k][2] in self.lexicon.finite:
                return True
            k += 1
        return False

    # -- pieces ----------------------------------------------------------------------------------------

    def subject(self, u: _Unit, i: int, last: int, after_np: tuple[int, int, int] | None,
                floor: int) -> tuple[int, int, int] | None:
        tokens = u.tokens
        start = _clause_start(tokens, i, floor)
        if self.language == "de":
            agent = self.passive_agent(u, start, i)
            if agent is not None:
                return agent
        # the antecedent of a relative pronoun: "die US-Botschaft in Vietnam, die erklärte"
        if i >= 2 and tokens[i - 1][2].lower() in _RELATIVE and tokens[i - 2][2] == ",":
            np = _np_backward(tokens, i - 2, max(0, i - 14))
            if np is not None:
                return np
        k = start
        while k < i and (tokens[k][2].lower() in ("wie", "as", "und", "and", "aber", "but", "doch", "auch")
                         or (k + 1 < i and self.language == "de" and word_tag(tokens[k][2], "de") == "ADV"
                             and (is_cap(tokens[k + 1][2]) or tokens[k + 1][2] in _DETS))):
            k += 1  # "Insbesondere IWF und EZB verlangen", "Selbst die Zeitschrift hatte kritisiert"
        first = None
        if k < i and tokens[k][2].lower() not in _NO_SUBJECT:
            first = _np_forward(tokens, k, i, self.language)
        if first is not None and first[1] + 1 < i and tokens[first[1]][2].lower() in ("und", "and", "sowie"):
            second = _np_forward(tokens, first[1] + 1, i, self.language)
            plural = self.language != "de" or tokens[i][2].endswith("n")
            if second is not None and second[1] == i and plural and is_cap(tokens[first[2]][2]) \
                    and is_cap(tokens[second[2]][2]):
                first = (first[0], second[1], first[2])  # "Özcan Mutlu und Benedikt Lux prangerten an"
        # the phrase right after the verb ("sagte Putin", "äußerte sich X"), before a particle that ends the
        # verb ("gab das Außenministerium bekannt")
        after_verb = after_np is not None and after_np[0] == i + 1 + (tokens[i + 1][2] == "sich") and (
            last == i or last >= after_np[1]) and tokens[after_np[0]][2].lower() not in _OBJECT_DETS \
            and not (i > 0 and tokens[i - 1][2].lower() in _COORDINATORS)  # "… und nannte den Angriff „…“"
        if first is not None and tokens[first[1]][2] == "," and i > first[1] + 1 and tokens[i - 1][2] == ",":
            return first  # "Miroslav Klose, der … sah, nannte seinen Platzverweis „überzogen“"
        first_speaks = _speaker_like(tokens, first, self.language)
        if first is not None and first_speaks and i > first[1] and tokens[i - 1][2] in (",", ")") \
                and not _clause_between(u, first[1], i - 1):
            return first  # "Der frühere Bürgermeister, Henning Scherf (SPD), warnte die CDU vor …"
        back = _np_backward(tokens, i, start) if first is None or first[1] != i else None
        if back is not None and back[0] > start and tokens[back[0] - 1][2] == "," \
                and _speaker_like(tokens, back, self.language):
            return back  # "…, Bundestrainer Joachim Löw bezeichnete …": a new clause after a comma
        after_speaks = after_verb and _speaker_like(tokens, after_np, self.language)
        if after_speaks and first is not None and not first_speaks and not _bare_name(tokens, first, i):
            return after_np  # "Seine Zuversicht betonte der Außenbeauftragte …"
        aux = next((a for a in range(k + 1, i - 1) if tokens[a][2] in _AUXILIARIES and not u.quoted[a]), None)
        if aux is not None and not first_speaks and self.language == "de":
            inverted = _np_forward(tokens, aux + 1, i, self.language)  # "Bereits im Dezember hatte Merkel … verkündet"
            if inverted is not None and _speaker_like(tokens, inverted, self.language) \
                    and tokens[inverted[0]][2].lower() not in _OBJECT_DETS:
                return inverted
        if first is not None and first[1] == i and not (
                after_verb and first[1] - first[0] == 1 and _adverbial(tokens[first[0]][2])):
            return first  # "Putin sagte", "Lam fügte hinzu" (not "Relativierend fügt Gall hinzu")
        if after_verb and (after_speaks or not first_speaks):
            return after_np  # "sagte Putin", "Jedenfalls sagte Putin"
        if first is not None:
            return first
        if self.language == "en" and k < i:
            return (k, i, i - 1) if i - k <= 8 else None
        return self.sentence_subject(tokens, k, i)

    def passive_agent(self, u: _Unit, start: int, i: int) -> tuple[int, int, int] | None:
        """The agent of a cue in the passive, who speaks there rather than the subject (what is named): the
        last phrase after "von"/"vom"/"durch" in the clause ("Seine Werke werden von Musikkennern als „…“
        bezeichnet", "wird die Gefahr von Waldbränden vom Wetterdienst als „sehr hoch“ eingestuft")."""
        tokens = u.tokens
        n = len(tokens)
        word = tokens[i][2]
        worden = i + 1 < n and tokens[i + 1][2] == "worden"
        closes = worden or i + 1 >= n or tokens[i + 1][2] in ",.;:!?)" or (
            u.quoted[i + 1] and tokens[i + 1][2] in MARK_CHARS)
        participle = word[:1].islower() and (word.endswith("t") or (word.endswith("en") and "ge" in word[:-2]))
        if not closes or not participle:
            return None
        aux = next((a for a in range(start, i) if tokens[a][2] in _WERDEN and not u.quoted[a]), None)
        if aux is None and not worden:
            return None
        for a in range(i - 2, aux if aux is not None else start, -1):
            if tokens[a][2] in ("von", "vom", "durch") and not u.quoted[a]:
                agent = _np_forward(tokens, a + 1, i, self.language)
                if agent is not None and is_cap(tokens[agent[2]][2]):
                    return agent
                return None
        return None

    def sentence_subject(self, tokens: list[tuple[int, int, str]], k: int, i: int) -> tuple[int, int, int] | None:
        """The subject after a fronted adverb or prepositional phrase: "Vor seiner Ankunft verurteilte die
        US-Botschaft … und erklärte"."""
        if k >= i:
            return None
        low = tokens[k][2].lower()
        if low in _SUBORDINATORS or low in _NOT_CONTENT:  # "Als ein Fluggast zu Hilfe eilte, biss der Randalierer"
            first = k
            while k < i and tokens[k][2] != ",":
                k += 1
            if k >= i and _clause_final(tokens, i):  # the cue ends the clause: "zumal der Anwalt betont hatte, …"
                return _np_forward(tokens, first + 1, i, self.language)
            if k + 2 >= i:
                return None
            return _np_forward(tokens, k + 2, i, self.language)
        if low in _DEMONSTRATIVES and k + 1 < i and is_cap(tokens[k + 1][2]) and is_word(tokens[k + 1][2]):
            return _np_forward(tokens, k, i, self.language)  # "Das Fazit des Berichts lautete: …"
        if low in _OPENERS:
            k += 1
        elif low in _PREPOSITIONS:
            for _ in range(3):
                np = _np_forward(tokens, k + 1, i, self.language) if k < i and tokens[k][2].lower() in \
                    _PREPOSITIONS else None
                if np is None:
                    break
                k = np[1]
        elif low in _OBJECT_DETS and self.language == "de":  # a fronted object: "Den Unmut … brachte X zum Ausdruck"
            np = _np_forward(tokens, k, i, self.language)
            k = np[1] if np is not None else i
            stop = min(i, k + 8)
            while k < stop and not (tokens[k][2][:1].islower() and _finite_verb(tokens[k][2])):
                k += 1  # its attributes ("… über Stoibers Äußerungen") up to the verb
            if k >= stop:
                return None
            return _np_forward(tokens, k + 1, i, self.language)
        else:
            return _np_forward(tokens, k, i, self.language)
        if k < i and tokens[k][2][:1].islower() and is_word(tokens[k][2]):
            k += 1
            if k < i and tokens[k][2] == "sich":
                k += 1
            return _np_forward(tokens, k, i, self.language)
        return None

    def colon_subject(self, u: _Unit, colon: int) -> tuple[int, int, int] | None:
        """Who speaks in the clause before a colon that opens a quotation without a speech verb: its subject,
        or the phrase after its verb when the subject cannot speak or is not found ("Seine Zuversicht gründet sich
        auf …:", "Die Kritik an der Reform fasste der Minister so zusammen:", "Auf das Echo reagierend,
        veröffentlichte der Verfasser folgenden Kommentar:")."""
        tokens = u.tokens
        start = _clause_start(tokens, colon, 0)
        while 1 < start < colon and tokens[start - 1][2] == "," and tokens[start][2].lower() in _SUBORDINATORS:
            start = _clause_start(tokens, start - 1, 0)  # "Er zeigte sich besorgt, dass …: „…“": the main clause
        for j in range(colon - 1, start, -1):  # "…, und der norwegische Ministerpräsident: „…“"
            if tokens[j][2] in _COORDINATORS and tokens[j - 1][2] == "," and not u.quoted[j]:
                start = j + 1
                break
        np = self.sentence_subject(tokens, start, colon)
        if np is not None and _speaker_like(tokens, np, self.language):
            return np
        verb = np[1] if np is not None else start
        while verb < colon and not (tokens[verb][2][:1].islower() and _finite_verb(tokens[verb][2], readings=2)):
            verb += 1
        after = self.speaker_after(u, verb + 1) if verb + 1 < colon and not u.quoted[verb] else None
        if after is not None and _speaker_like(tokens, after, self.language):
            return after
        if np is not None and tokens[np[0]][2].lower() in _POSSESSIVES:
            return np[0], np[0] + 1, np[0]  # the owner speaks: resolved like a pronoun
        return np

    def inverted_attribution(self, u: _Unit, end: int) -> tuple[tuple[int, int], tuple[int, int, int]] | None:
        """A German quotation followed by a comma and a finite verb: the verb and the phrase after it
        attribute it, whatever the verb ("„…“, zeigte sich Rajevac zufrieden", "„…“, strich Romney heraus"):
        the verb comes first in its clause (verb-second), so what follows it is the subject."""
        if self.language != "de":
            return None
        tokens = u.tokens
        j = bisect.bisect_left(tokens, (end, -1, ""))
        if j < len(tokens) and tokens[j][2] != "," and self.text[end - 2 : end - 1] in ("?", "!"):
            j -= 1  # the comma after a question is often left out: "„Wozu …?“ fragen sich Experten."
        elif j + 2 >= len(tokens) or tokens[j][2] != ",":
            return None
        if j + 2 >= len(tokens) or u.quoted[j + 1]:
            return None
        verb = tokens[j + 1][2]
        if not verb[:1].islower() or not is_word(verb) or verb in _NOT_VERBS or not _finite_verb(verb):
            return None
        np = self.speaker_after(u, j + 2)
        if np is None:
            return None
        return (tokens[j + 1][0], tokens[j + 1][1]), np

    def speaker_after(self, u: _Unit, k: int) -> tuple[int, int, int] | None:
        tokens = u.tokens
        if k < len(tokens) and tokens[k][2] == "sich":
            k += 1
        np = _np_forward(tokens, k, len(tokens), self.language)
        if np is None and k + 1 < len(tokens) and tokens[k][2] in OPENING_MARKS and is_cap(tokens[k + 1][2]):
            np = _quoted_name(tokens, k, len(tokens))  # "„…“, schrieb „Die Zeit“ in einem Nachruf."
        return np

    def past_adverbials(self, u: _Unit, end: int, names: bool = False) -> int:
        """Token index after the adverbials that follow a speaker ("sagte er am Donnerstag in Hanoi.", "sagte
        er später."), when they end the clause; else ``end``. With ``names`` they may hold quoted names
        ("gegenüber „Beijing News“")."""
        tokens = u.tokens
        k = end
        while k < len(tokens) and k < end + 6 and tokens[k][2].lower() in _TIME_WORDS:
            k += 1
            while k < len(tokens) and (is_word(tokens[k][2]) or (names and tokens[k][2] in MARK_CHARS)):
                if tokens[k][2].lower() in _TIME_WORDS:
                    break
                k += 1
        return k if k > end and (k >= len(tokens) or tokens[k][2] in ",.;!?") else end

    def content_start(self, u: _Unit, k: int) -> int:
        """Where content that ends at token ``k`` (cue last) starts: the unit start, or after a colon."""
        tokens = u.tokens
        if u.colons is None:
            u.colons = [j for j, t in enumerate(tokens) if t[2] == ":" and not u.quoted[j]]
        c = bisect.bisect_right(u.colons, k) - 1
        if c >= 0 and k - u.colons[c] < 400:
            return tokens[u.colons[c] + 1][0]
        return tokens[0][0]

    def content_end(self, u: _Unit, k: int) -> int:
        """Token index after the content that starts at ``k``: before a trailing attribution or a new cue."""
        tokens = u.tokens
        n = len(tokens)
        limit_char = tokens[k][0] + MAX_CONTENT_CHARS
        if u.quoted[k] and tokens[k][2] in OPENING_MARKS:  # a quotation, then its own attribution: „…“ wird X zitiert
            pair = next((p for p in u.pairs if p.start == tokens[k][0]), None)
            after = bisect.bisect_left(tokens, (pair.end, -1, "")) if pair is not None else n
            if after + 1 < n and not u.quoted[after] and tokens[after][2][:1].islower() and (
                    tokens[after][2] in _WERDEN or _finite_verb(tokens[after][2])) and self.speaker_after(u, after + 1):
                return after
        j = k
        while j < n and tokens[j][0] < limit_char:
            w = tokens[j][2]
            if w == "," and not u.quoted[j] and j + 1 < n:
                nxt = tokens[j + 1][2]
                if nxt == "so" and self.language != "en":
                    np = _np_forward(tokens, j + 2, n, self.language)
                    if np is not None and (np[1] >= n or tokens[np[1]][2] in ",.;!?"):
                        return j
                entry = self.lexicon.finite.get(nxt)
                if entry is not None and not entry[0][1] and j + 2 < n and (
                        is_cap(tokens[j + 2][2]) or tokens[j + 2][2].lower() in _PRONOUNS):
                    return j
                if nxt.lower() in ("wie", "as", "laut", "according"):
                    return j
            if w == ":" and not u.quoted[j] and j + 1 < n and u.quoted[j + 1]:
                return j
            j += 1
        while j > k and tokens[j - 1][2] in ".!?;,:":
            if u.quoted[j - 1]:
                break
            j -= 1
        return j

    def trim_end(self, end: int) -> int:
        text = self.text
        while end > 0 and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
            end -= 1
        return end

    def has_konjunktiv(self, tokens: list[tuple[int, int, str]], a: int, b: int) -> bool:
        """Whether a German finite verb in Konjunktiv I (or its Konjunktiv II stand-in) is among the tokens."""
        b = min(b, len(tokens))
        for t in range(a, b):
            word = tokens[t][2]
            if word in self.lexicon.konjunktiv:
                return True
            if (
                len(word) >= 4
                and word.endswith("e")
                and word[:1].islower()
                and not word.endswith(("te", "ie", "ee"))
                and word not in _NOT_VERBS
                and t > a
                and (is_cap(tokens[t - 1][2]) or tokens[t - 1][2].lower() in _PRONOUNS)
                and not (t + 1 < b and is_cap(tokens[t + 1][2]) and is_word(tokens[t + 1][2]))
                and not (t + 1 < b and tokens[t + 1][2] in ("und", "oder", "sowie", ","))
                and tokens[t - 1][2].lower() not in _DETS
            ):
                return True
        return False

    def make(self, start: int, end: int, cue: tuple[int, int], tokens: list[tuple[int, int, str]],
             np: tuple[int, int, int] | None) -> _Found:
        speaker = head = None
        if np is not None:
            speaker = (tokens[np[0]][0], tokens[np[1] - 1][1])
            head = (tokens[np[2]][0], tokens[np[2]][1])
        return _Found(start, end, cue, speaker, head)


# ---- assembling ----------------------------------------------------------------------------------------


def _kind_and_span(text: str, start: int, end: int, pairs: Sequence[QuotePair], starts: Sequence[int]
                   ) -> tuple[int, int, Kind]:
    """Direct when the content is one quotation (span with the marks), mixed when it holds one."""
    k = bisect.bisect_left(starts, start - 1)
    inside = []
    while k < len(pairs) and pairs[k].start < end:
        p = pairs[k]
        if p.start >= start - 1 and p.end <= end + 2:
            inside.append(p)
        k += 1
    for p in inside:
        before = text[start : p.start].strip(" ,:")
        after = text[p.end : end].strip(" ,.:;")
        if not before and not after:
            return p.start, p.end, "direct"
    if any(speechlike(text, p.start, p.end) for p in inside):
        return start, end, "mixed"
    return start, end, "indirect"


def _written_name(words: str) -> str | None:
    """The speaker as written up to its head, without a leading article, when it reads like a name
    ("die US-Botschaft" -> "US-Botschaft"); None for a bare role noun ("der Sprecher")."""
    parts = words.split()
    if parts and parts[0].lower() in _DETS | _PRONOUNS:
        parts = parts[1:]
    if not parts or not is_cap(parts[0]):
        return None
    if len(parts) == 1 and not any(c.isupper() for c in parts[0][1:]):
        return None if words.split()[0].lower() in _DETS else parts[0]
    return " ".join(parts)


class _Resolver:
    """Entities for speaker spans, pronouns to their antecedent."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities = sorted(entities, key=lambda e: (e.start, e.end))
        self.starts = [e.start for e in self.entities]

    def at(self, text: str, start: int, end: int, head: tuple[int, int] | None) -> Entity | None:
        k = bisect.bisect_left(self.starts, start - 200)
        best = None
        best_score = -1
        while k < len(self.entities) and self.entities[k].start < end:
            e = self.entities[k]
            k += 1
            if e.end <= start:
                continue
            score = 1
            if head is not None and e.start < head[1] and head[0] < e.end:
                score += 2
            if e.label in ("PER", "ORG"):
                score += 1
            if _PLACE_PREPOSITIONS.intersection(text[start : e.start].lower().split()):
                score -= 3  # a place that only modifies the speaker: "die US-Botschaft in Vietnam"
            if score > best_score:
                best, best_score = e, score
        return best

    def antecedent(self, before: int, quoted: Sequence[tuple[int, int]], current: tuple[int, int]) -> Entity | None:
        """The closest person named before ``before``, outside the quotations so far and ``current``."""
        k = bisect.bisect_left(self.starts, before) - 1
        steps = 0
        while k >= 0 and steps < 200:
            e = self.entities[k]
            k -= 1
            steps += 1
            if e.label != "PER" or e.kind == "pronoun" or e.end > before or current[0] <= e.start < current[1]:
                continue
            j = bisect.bisect_right(quoted, (e.start, 10**18)) - 1
            if j >= 0 and quoted[j][0] <= e.start < quoted[j][1]:
                continue
            return e
        return None


def extract_quotes(
    text: str,
    sentences: Sequence[tuple[int, int, int]] | None = None,
    entities: Sequence[Entity] = (),
    language: str | None = None,
) -> list[Quote]:
    """Quotations in ``text``; ``sentences`` are ``(start, end, paragraph)`` (split here when None)."""
    lang = (language or "").strip().lower()[:2]
    lang = lang if lang in ("de", "en") else "any"
    if sentences is None:
        sentences = _sentences(text, lang)
    pairs = find_quote_pairs(text)
    pair_starts = [p.start for p in pairs]
    extractor = _Extractor(text, lang)
    units = _units(text, sentences, pairs)
    resolver = _Resolver(entities)
    quotes: list[Quote] = []
    contents: list[tuple[int, int]] = []  # content spans so far, in order
    # (position, entity id, name, speaker span) of the speakers so far, for pronouns and continuations
    last_speaker: tuple[int, str | None, str | None, tuple[int, int]] | None = None
    last_unit_quote: tuple[int, int, Quote] | None = None  # (paragraph, unit index, quote)
    known: dict[tuple[int, int], tuple[str | None, str | None]] = {}  # speaker span -> (entity, name)
    free_at: tuple[int, int] | None = None  # (unit index, index in quotes) of the last free indirect quote
    for index, u in enumerate(units):
        if not u.tokens:
            continue
        found = extractor.unit(u)
        if not found:
            previous_unit = units[index - 1] if index > 0 else None
            found = _continuation(extractor, u, index, last_unit_quote, previous_unit)
        nxt = units[index + 1] if index + 1 < len(units) else None
        if nxt is not None and nxt.paragraph == u.paragraph:
            found = _attributed_after(extractor, u, nxt) or found
        found += _pair_quotes(extractor, u, found, index, last_unit_quote)
        unit_quotes = []
        for f in sorted(found, key=lambda f: f.start):
            start, end, kind = _kind_and_span(text, f.start, f.end, pairs, pair_starts)
            if any(s <= start and end <= e for s, e in contents[-3:]):
                continue
            entity = None
            speaker_name = None
            sp = f.speaker
            entity_id = None
            if sp is not None and f.head is None and sp in known:
                entity_id, speaker_name = known[sp]  # a continuation: the speaker of the quote before
            elif sp is not None:
                words = text[sp[0] : sp[1]]
                if words.lower() in _RESOLVED_BACK or (f.free and last_speaker is not None):
                    ent = resolver.antecedent(sp[0], contents, (start, end)) if resolver.entities else None
                    if f.free and last_speaker is not None:
                        entity_id, speaker_name = last_speaker[1], last_speaker[2]
                    elif ent is not None and (last_speaker is None or ent.start > last_speaker[0]):
                        entity_id, speaker_name = ent.entity, ent.canonical or ent.text
                    elif last_speaker is not None:
                        entity_id, speaker_name = last_speaker[1], last_speaker[2]
                else:
                    entity = resolver.at(text, sp[0], sp[1], f.head) if resolver.entities else None
                    if entity is not None:
                        entity_id, speaker_name = entity.entity, entity.canonical or entity.text
                    elif f.head is not None:
                        speaker_name = _written_name(text[sp[0] : f.head[1]])
            quote = Quote(
                start=start,
                end=end,
                text=text[start:end],
                kind=kind,
                speaker_start=sp[0] if sp else None,
                speaker_end=sp[1] if sp else None,
                speaker_text=text[sp[0] : sp[1]] if sp else None,
                speaker_entity=entity_id,
                speaker_name=speaker_name,
                cue_start=f.cue[0] if f.cue else None,
                cue_end=f.cue[1] if f.cue else None,
                cue_text=text[f.cue[0] : f.cue[1]] if f.cue else None,
            )
            if f.free and free_at is not None and free_at[0] == index - 1 and len(found) == 1:
                # consecutive sentences of free indirect speech form one quote
                previous = quotes.pop(free_at[1])
                kind = "mixed" if "mixed" in (previous.kind, quote.kind) else "indirect"
                quote = dataclasses.replace(previous, end=end, text=text[previous.start : end], kind=kind)
            unit_quotes.append(quote)
            if f.free:
                free_at = (index, len(quotes) + len(unit_quotes) - 1)
            bisect.insort(contents, (start, end))
            if sp is not None:
                known[sp] = (entity_id, speaker_name)
            if sp is not None and (speaker_name or entity_id):
                last_speaker = (sp[0], entity_id, speaker_name, sp)
        if unit_quotes:
            quotes.extend(unit_quotes)
            last_unit_quote = (u.paragraph, index, unit_quotes[-1])
    quotes.sort(key=lambda q: (q.start, q.end))
    speakers = [(q.speaker_start, q.speaker_end) for q in quotes if q.speaker_start is not None and q.speaker_end]
    return [q for q in quotes if not not_speech(text, q, speakers)]


def _pair_quotes(extractor: _Extractor, u: _Unit, found: Sequence[_Found], index: int,
                 last: tuple[int, int, Quote] | None) -> list[_Found]:
    """Quotations in the unit that no cue's content covers: after a colon, a full sentence that continues
    the speaker before, a fragment in a sentence with a cue, or else a fragment of the sentence's subject."""
    text = extractor.text
    tokens = u.tokens
    out: list[_Found] = []
    ref = None
    for f in found:
        if f.speaker is not None:
            ref = f
    spans = sorted((f.start, f.end) for f in found)
    for p in u.pairs:
        k = bisect.bisect_right(spans, (p.start + 1, len(text) + 1))
        if any(s - 1 <= p.start and p.end <= e + 1 for s, e in spans[max(0, k - 4) : k]):
            continue  # inside a cue's content (the few spans that start just before it are enough)
        if not is_quotation(text, p.start, p.end):
            continue
        full = is_full_sentence(text, p.start, p.end)
        before = text[max(u.start, p.start - 200) : p.start].rstrip()
        at = bisect.bisect_left(tokens, (p.start, -1, ""))
        inverted = extractor.inverted_attribution(u, p.end)
        if inverted is not None:
            cue, after = inverted
            made = extractor.make(p.start, p.end, cue, tokens, after)
            out.append(_Found(p.start, p.end, cue, made.speaker, made.head))
            continue
        if ref is not None and (ref.cue is None or ref.cue[0] < p.start or not before.endswith(":")):
            own = extractor.colon_subject(u, at - 1) if before.endswith(":") and at > 2 else None
            if own is None or not _speaker_like(tokens, own, extractor.language) or ref.speaker is None \
                    or tokens[own[0]][0] <= ref.speaker[1] or (ref.cue is not None and tokens[own[0]][0] <= ref.cue[1]):
                out.append(_Found(p.start, p.end, ref.cue, ref.speaker, ref.head))
                continue
            made = extractor.make(p.start, p.end, (0, 0), tokens, own)  # "…, und X: „…“": the colon's own speaker
            out.append(_Found(p.start, p.end, None, made.speaker, made.head))
            continue
        np = None
        if before.endswith(":") and at > 2:  # not "Und: „…“", which continues the speaker before
            np = extractor.colon_subject(u, at - 1)
        elif full and last is not None:
            paragraph, k, quote = last
            if index - k <= 2 and u.paragraph - paragraph <= 1 and quote.speaker_start is not None:
                span = (quote.speaker_start, quote.speaker_end or quote.speaker_start)
                out.append(_Found(p.start, p.end, None, span, None))
                continue
        elif at > 0:
            k = 0
            while k < at and tokens[k][2].lower() in ("und", "and", "aber", "but", "doch", "auch"):
                k += 1
            np = extractor.sentence_subject(tokens, k, at)
            if np is not None and (np[1] > at or tokens[np[0]][2].lower() in _PRONOUNS
                                   or not _speaker_like(tokens, np, extractor.language)):
                np = None
            previous = last[2] if last is not None and index - last[1] <= 2 else None
            if np is None and previous is not None and previous.speaker_start is not None:
                before_span = (previous.speaker_start, previous.speaker_end or previous.speaker_start)
                out.append(_Found(p.start, p.end, None, before_span, None))
                continue
        if np is not None:
            made = extractor.make(p.start, p.end, (0, 0), tokens, np)
            out.append(_Found(p.start, p.end, None, made.speaker, made.head))
        else:
            out.append(_Found(p.start, p.end, None, None, None))
    return out


def _attributed_after(extractor: _Extractor, u: _Unit, nxt: _Unit) -> list[_Found]:
    """A unit that is one quotation, attributed by the next sentence ("„…“ Das sagte der Minister am Montag.",
    "„…“. Das musste Steinbrück einräumen."): German only, the next sentence opening with "Das"/"Dies" and
    a speech verb, or an auxiliary and a speech verb at its end, and its speaker after the first verb."""
    if extractor.language == "en" or len(u.pairs) != 1:
        return []
    text, p = extractor.text, u.pairs[0]
    rest = (text[u.start : p.start] + text[p.end : u.end]).strip(" .,;:!?")
    if rest or not text[p.start + 1 : p.start + 2].isupper():
        return []
    tokens = nxt.tokens
    if len(tokens) < 4 or tokens[0][2] not in ("Das", "Dies") or any(nxt.quoted):
        return []
    finite = extractor.lexicon.finite
    last = len(tokens) - 1
    while last > 1 and not is_word(tokens[last][2]):
        last -= 1
    entry = finite.get(tokens[1][2], ())
    if any(particle is None or tokens[last][2] == particle for _lemma, particle in entry):
        cue = 1
    elif tokens[1][2] in _AUXILIARIES | _MODALS and (tokens[last][2] in finite or tokens[last][2] in _cue_lemmas(
            extractor.language)):
        cue = last
    else:
        return []
    np = extractor.speaker_after(nxt, 2)
    if np is None or (cue > 1 and np[1] > cue) or not (
            _speaker_like(tokens, np, extractor.language) or tokens[np[0]][2].lower() in _PERSONAL):
        return []
    made = extractor.make(p.start, p.end, (tokens[cue][0], tokens[cue][1]), tokens, np)
    return [made]


@lru_cache(maxsize=4)
def _cue_lemmas(language: str) -> frozenset[str]:
    return frozenset(lemma for entries in _lexicon(language).finite.values() for lemma, _ in entries)


def _continuation(extractor: _Extractor, u: _Unit, index: int, last: tuple[int, int, Quote] | None,
                  previous_unit: _Unit | None) -> list[_Found]:
    """A unit without a cue that continues the quotation just before it, or the sentence just before it
    whose subject can speak ("Der Minister verurteilte die Haltung der Regierung. „…“")."""
    before = _speaker_before(extractor, u, index, last, previous_unit)
    if before is None:
        return []
    speaker, head = before
    text = extractor.text
    body = text[u.start : u.end]
    # a full-sentence quotation: the unit is one pair of marks (and final punctuation)
    for p in u.pairs:
        rest = (text[u.start : p.start] + text[p.end : u.end]).strip(" .,;:!?")
        if not rest and len(_WORDS.findall(body)) >= 3 and text[p.start + 1 : p.start + 2].isupper():
            return [_Found(p.start, p.end, None, speaker, head, free=False)]
    # German free indirect speech: "Es sei …" after reported speech
    if extractor.language != "en" and last is not None and index - last[1] <= 2 and u.paragraph - last[0] <= 1 \
            and last[2].speaker_start is not None:
        tokens = u.tokens
        if extractor.has_konjunktiv(tokens, 0, min(len(tokens), 25)) and tokens[0][2][:1].isupper():
            end = u.end
            return [_Found(u.start, end, None, speaker, head, free=True)]
    return []


def _speaker_before(extractor: _Extractor, u: _Unit, index: int, last: tuple[int, int, Quote] | None,
                    previous_unit: _Unit | None) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """(speaker span, head span or None) that a unit without a cue continues: the subject of the sentence
    just before in the paragraph when that sentence quotes nobody and its subject can speak, else the
    speaker of the quotation one or two sentences before."""
    if previous_unit is not None and previous_unit.paragraph == u.paragraph and previous_unit.tokens and (
            last is None or last[1] < index - 1):
        np = _unit_subject(extractor, previous_unit)
        if np is not None:
            made = extractor.make(0, 0, (0, 0), previous_unit.tokens, np)
            if made.speaker is not None:
                return made.speaker, made.head
    if last is None:
        return None
    paragraph, at, quote = last
    if index - at > 2 or u.paragraph - paragraph > 1 or quote.speaker_start is None:
        return None
    return (quote.speaker_start, quote.speaker_end or quote.speaker_start), None


def _unit_subject(extractor: _Extractor, u: _Unit) -> tuple[int, int, int] | None:
    """The subject of a sentence when it is a phrase that can speak, followed by its verb or an apposition."""
    tokens = u.tokens
    k = 0
    while k < len(tokens) and tokens[k][2].lower() in ("und", "aber", "doch", "auch"):
        k += 1
    np = extractor.sentence_subject(tokens, k, len(tokens))
    if np is None or np[1] >= len(tokens) or any(u.quoted[np[0] : np[1]]):
        return None
    if not _speaker_like(tokens, np, extractor.language):
        return None
    return np


_ADVERBIAL_TAGS = frozenset(["ADJ(D)", "ADV", "PROAV"])


def _adverbial(word: str) -> bool:
    """A German word that, fronted alone, is an adverbial rather than the subject ("Relativierend",
    "Abschließend", "Dazu"), by HanTa's likeliest tag of the word and of its lower-case form (a name
    HanTa does not know reads as an adverb in lower case, never as written)."""
    return word_tag(word, "de") in _ADVERBIAL_TAGS and word_tag(word.lower(), "de") in _ADVERBIAL_TAGS


@lru_cache(maxsize=4096)
def _finite_verb(word: str, readings: int = 1) -> bool:
    """Whether one of HanTa's ``readings`` likeliest readings of a lowercase German word is a finite verb
    ("veröffentlichte" reads first as an adjective); noun readings are passed over (a German noun is
    capitalised)."""
    ranked = [t for t, _ in tagger("de").tag_word(word) if t not in ("NN", "NE")]
    return any(t in ("VV(FIN)", "VA(FIN)", "VM(FIN)") for t in ranked[:readings])


def _sentences(text: str, language: str) -> list[tuple[int, int, int]]:
    out = []
    paragraph = -1
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            paragraph += 1
            for s, e in split_sentences(line, None if language == "any" else language):
                out.append((offset + s, offset + e, paragraph))
        offset += len(line) + 1
    return out


class RuleQuoteExtractor:
    """Sets ``Analysis.quotes`` with ``extract_quotes``; reads ``Analysis.entities`` when present."""

    name: ClassVar[str] = "quotes.rules.v1"
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    assigns: ClassVar[tuple[str, ...]] = ("quotes",)

    def __call__(self, analysis: Analysis) -> Analysis:
        text = analysis.article.text
        language = analysis.language or analysis.article.language
        sentences = [(s.start, s.end, s.paragraph) for s in analysis.sentences] if analysis.sentences else None
        quotes = extract_quotes(text, sentences, analysis.entities, language)
        return dataclasses.replace(analysis, quotes=tuple(quotes))


@registry.register("quotes.rules.v1")
def _factory(settings: Settings) -> RuleQuoteExtractor:
    return RuleQuoteExtractor()
