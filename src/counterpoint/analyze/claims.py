"""Numbers, dates and comparable claims in German and English news: the ``claims.rules.v1`` component.

Every quantity or date a reader could hold against another outlet's becomes a ``Claim``: its span (the
qualifier, the number and its unit: "mindestens ein Dutzend", "fünf Milliarden US-Dollar"), the value
and the range ``[low, high]`` the text allows, the unit, the lemma of what is counted or measured
(``counted``) and of the governing verb or nominalised predicate (``predicate``).

Numbers: digits with German (``1.200``, ``8,3``) or English (``1,200``, ``2.4``) separators, read by
the article's language and, where that is ambiguous, by the digits after the separator; number words
(text2num for German compounds, a small table for English), "ein Dutzend"/"a dozen", fractions ("zwei
Drittel" → 66.7 percent), scale words (Millionen, Mrd., bn), currencies (US-Dollar, $, €), units (%,
mm, km, t ...), German ``-jährig``/English ``-year`` durations, ordinals ("fünfter", "30.", "5th").

Ranges by qualifier (``v`` the value written):

==========  ==========================================  ===================
qualifier   cue words                                    [low, high]
==========  ==========================================  ===================
exact       (none), a range "10 bis 12"                  [v, v] / [10, 12]
about       etwa, rund, circa, about, around, some       [0.9 v, 1.1 v]
about       fast, knapp, nahezu, nearly, almost          [0.9 v, v]
at_least    mindestens, at least                         [v, None]
more_than   mehr als, über, more than, over              (v, None)  exclusive
at_most     bis zu, höchstens, up to, at most            [None, v]
less_than   weniger als, unter, less than, fewer than    (None, v)  exclusive
vague       Dutzende / dozens (24), Hunderte (200),      [lower bound, None]
            Tausende (2000), mehrere/einige/several (2)
==========  ==========================================  ===================

Vague words without a number ("mehrere", "einige", "several") have ``value`` None; they, "beide"/"both"
and ordinals are kept only with the noun they count.

Dates: absolute ("20. Juni 2024", "20.06.2024", "June 20, 2024", "20 June 2024", "Juni 2024"), years
("im Jahr 2017", "seit 1950", "2014" before a lowercase word), relative ones resolved against
``Article.published``: a weekday ("am Donnerstag", "on Thursday") is the most recent such day on or
before publication, "letzten"/"last" + weekday the one strictly before; "gestern"/"yesterday"; "letzten
September"/"last September" (→ year-month); "letztes Jahr", "im vergangenen Jahr", "Ende letzten
Jahres", "late last year" (→ the year); a month without a year takes the publication year. Without a
publication date they stay claims of kind "date" with ``date`` None. Date claims carry no numbers
(``value``/``low``/``high`` None); year claims carry the year as value, low and high.

Not claims: identifiers ("Block 11-2", "F-16", "MH17", "Artikel 5", "Seite 3"), times of day ("14 Uhr",
"14:30"), runs of bare numbers (phone numbers, digit soup).

``comparable(a, b)`` and ``consistent(a, b)`` are the pure helpers the comparison uses: same kind and
unit, the same counted thing up to the synonym groups below (German and English), compatible
predicates; and overlapping ranges.

Every decision looks at a bounded window of tokens, so the extractor runs in linear time on any input.
Lemmas come from simplemma (loaded lazily, once per process).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from .. import registry
from ..model import Analysis, Claim, Qualifier
from ..modelcache import cached
from ..settings import Settings

# --------------------------------------------------------------------------------------------------
# lexicons

_TOKEN = re.compile(r"[$€£]?\w+(?:[-.,'’/]\w+)*%?|[^\w\s]")
_MAX_TOKEN = 40  # longer "words" are never numbers
_WINDOW = 15  # tokens searched on either side for the predicate
_DIGITS = re.compile(r"([$€£]?)(\d+(?:[.,]\d+)*)(.*)", re.S)
_DATE_DOTS = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DATE_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DE_NUMBER_WORD = re.compile(
    r"(?:ein|eins|zwei|zwo|drei|vier|fünf|sechs|sieben|sieb|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|"
    r"vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig|hundert|tausend|und)+"
)


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_MONTHS = {
    "januar": 1, "jänner": 1, "january": 1, "jan": 1, "februar": 2, "feber": 2, "february": 2, "feb": 2,
    "märz": 3, "march": 3, "mär": 3, "mar": 3, "april": 4, "apr": 4, "mai": 5, "may": 5, "juni": 6,
    "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9,
    "sept": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11,
    "dezember": 12, "december": 12, "dez": 12, "dec": 12,
}  # fmt: skip
_MONTH_ABBREVIATIONS = _set("jan feb mär mar apr jun jul aug sep sept okt oct nov dez dec")
_WEEKDAYS = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonnabend": 5,
    "sonntag": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_DAYPARTS = ("abend", "morgen", "vormittag", "nachmittag", "mittag", "nacht")
_LAST = _set("letzten letzte letztes vergangenen vergangene vergangenes abgelaufenen last past")
_THIS = _set("diesem dieses diesen diese this")
_NEXT = _set("nächsten nächste nächstes kommenden kommende kommendes next coming")
_YEAR_WORDS = _set("jahr jahres jahre year")
_MONTH_WORDS = _set("monat monats month")
_PERIOD_PARTS = _set("ende anfang mitte beginn late early mid im in")
_DATE_CUES = _set("im in seit since bis until anfang mitte ende beginn early mid late vom von ab from by")
_YEAR_CUES = _DATE_CUES | _set(
    "jahr jahres jahrs year sommer winter frühjahr frühling herbst summer spring autumn fall und and to zwischen "
    "between of des"
)

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
}  # fmt: skip
_EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fifth": 5, "eighth": 8, "ninth": 9, "twelfth": 12}
_DE_ORDINAL_STEMS = {"erst": 1, "zweit": 2, "dritt": 3, "siebt": 7, "siebent": 7, "acht": 8}
_SCALES = {
    "tausend": 1e3, "tsd": 1e3, "thousand": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "millions": 1e6,
    "mn": 1e6, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "billion": 1e9, "billions": 1e9, "bn": 1e9,
    "billionen": 1e12, "trillion": 1e12, "trillions": 1e12,
}  # fmt: skip
# German "Billion" is 10^12, English "billion" 10^9
_DE_SCALE_OVERRIDES = {"billion": 1e12}
_FRACTIONS = {
    "hälfte": 2, "drittel": 3, "viertel": 4, "fünftel": 5, "zehntel": 10, "half": 2, "halves": 2,
    "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10,
}  # fmt: skip
_DOZEN = _set("dutzend dozen")
# vague counts: lower bound, whether a noun must follow
_VAGUE = {
    "dutzende": 24, "dutzenden": 24, "dozens": 24, "hunderte": 200, "hunderten": 200, "hundreds": 200,
    "tausende": 2000, "tausenden": 2000, "thousands": 2000, "zehntausende": 20000, "zehntausenden": 20000,
    "hunderttausende": 200000, "hunderttausenden": 200000, "millionen": 2e6, "millions": 2e6,
}  # fmt: skip
_FEW = {"mehrere": 2, "einige": 2, "etliche": 2, "zahlreiche": 2, "several": 2, "numerous": 2}
_BOTH = _set("beide beiden both")
_ARTICLES_ONE = _set("ein eine einen einem einer eines a an one")

# unit words after a number: lowercase token -> (unit, kind)
_UNITS = {
    "%": ("percent", "percent"), "prozent": ("percent", "percent"), "percent": ("percent", "percent"),
    "pct": ("percent", "percent"), "prozentpunkte": ("percentage_point", "percent"),
    "prozentpunkten": ("percentage_point", "percent"), "prozentpunkt": ("percentage_point", "percent"),
    "euro": ("EUR", "amount"), "eur": ("EUR", "amount"), "€": ("EUR", "amount"),
    "dollar": ("USD", "amount"), "dollars": ("USD", "amount"), "us-dollar": ("USD", "amount"),
    "usd": ("USD", "amount"), "$": ("USD", "amount"), "pfund": ("GBP", "amount"), "pounds": ("GBP", "amount"),
    "£": ("GBP", "amount"), "gbp": ("GBP", "amount"), "rubel": ("RUB", "amount"), "rubles": ("RUB", "amount"),
    "roubles": ("RUB", "amount"), "rub": ("RUB", "amount"), "yuan": ("CNY", "amount"), "cny": ("CNY", "amount"),
    "yen": ("JPY", "amount"), "franken": ("CHF", "amount"), "chf": ("CHF", "amount"), "dong": ("VND", "amount"),
    "km": ("km", "measure"), "kilometer": ("km", "measure"), "kilometern": ("km", "measure"),
    "kilometers": ("km", "measure"), "kilometre": ("km", "measure"), "kilometres": ("km", "measure"),
    "m": ("m", "measure"), "meter": ("m", "measure"), "metern": ("m", "measure"), "meters": ("m", "measure"),
    "metres": ("m", "measure"), "cm": ("cm", "measure"), "zentimeter": ("cm", "measure"),
    "mm": ("mm", "measure"), "millimeter": ("mm", "measure"), "millimetre": ("mm", "measure"),
    "kg": ("kg", "measure"), "kilogramm": ("kg", "measure"), "kilo": ("kg", "measure"),
    "kilogram": ("kg", "measure"), "kilograms": ("kg", "measure"), "t": ("t", "measure"),
    "tonnen": ("t", "measure"), "tonne": ("t", "measure"), "tonnes": ("t", "measure"), "tons": ("t", "measure"),
    "ha": ("ha", "measure"), "hektar": ("ha", "measure"), "hectares": ("ha", "measure"),
    "km²": ("km2", "measure"), "quadratkilometer": ("km2", "measure"), "quadratkilometern": ("km2", "measure"),
    "liter": ("l", "measure"), "litres": ("l", "measure"), "liters": ("l", "measure"),
    "barrel": ("bbl", "measure"), "barrels": ("bbl", "measure"), "megawatt": ("MW", "measure"),
    "mw": ("MW", "measure"), "gw": ("GW", "measure"),
    "jahr": ("year", "duration"), "jahre": ("year", "duration"), "jahren": ("year", "duration"),
    "year": ("year", "duration"), "years": ("year", "duration"), "monat": ("month", "duration"),
    "monate": ("month", "duration"), "monaten": ("month", "duration"), "month": ("month", "duration"),
    "months": ("month", "duration"), "woche": ("week", "duration"), "wochen": ("week", "duration"),
    "week": ("week", "duration"), "weeks": ("week", "duration"), "tag": ("day", "duration"),
    "tage": ("day", "duration"), "tagen": ("day", "duration"), "day": ("day", "duration"),
    "days": ("day", "duration"), "stunde": ("hour", "duration"), "stunden": ("hour", "duration"),
    "hour": ("hour", "duration"), "hours": ("hour", "duration"), "minute": ("minute", "duration"),
    "minuten": ("minute", "duration"), "minutes": ("minute", "duration"),
}  # fmt: skip
_UNIT_PAIRS = {
    ("per", "cent"): ("percent", "percent"), ("percentage", "points"): ("percentage_point", "percent"),
    ("percentage", "point"): ("percentage_point", "percent"), ("us", "dollars"): ("USD", "amount"),
    ("us", "dollar"): ("USD", "amount"), ("square", "kilometres"): ("km2", "measure"),
    ("square", "kilometers"): ("km2", "measure"),
}  # fmt: skip
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_CURRENCY_CODES = {"usd": "USD", "eur": "EUR", "gbp": "GBP", "chf": "CHF", "us$": "USD"}
_GLUED_UNITS = {"%": "%", "mm": "mm", "cm": "cm", "km": "km", "kg": "kg", "t": "t", "m": "m", "ha": "ha"}
_GLUED_SCALES = {"bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3, "mrd": 1e9, "mio": 1e6}
# "30-jährige", "zweitägigen", "30-year-old", "two-day"
_DURATION_SUFFIX = re.compile(
    r"-?(jährig|tägig|wöchig|monatig|stündig|minütig|year|day|week|month|hour)(?:e[rnms]?|-olds?|s)?", re.I
)
_DURATION_UNITS = {
    "jährig": "year", "tägig": "day", "wöchig": "week", "monatig": "month", "stündig": "hour", "minütig": "minute",
    "year": "year", "day": "day", "week": "week", "month": "month", "hour": "hour",
}  # fmt: skip

_QUALIFIERS: tuple[tuple[tuple[str, ...], Qualifier], ...] = tuple(
    sorted(
        [
            *(
                (tuple(p.split()), "at_least")
                for p in ("mindestens", "wenigstens", "at least", "no fewer than", "no less than", "nicht weniger als")
            ),
            *(
                (tuple(p.split()), "about")
                for p in (
                    "etwa",
                    "rund",
                    "ungefähr",
                    "circa",
                    "ca .",
                    "zirka",
                    "um die",
                    "about",
                    "around",
                    "roughly",
                    "approximately",
                    "some",
                    "an estimated",
                    "geschätzt",
                    "geschätzte",
                    "annähernd",
                )
            ),
            *(
                (tuple(p.split()), "more_than")
                for p in ("mehr als", "über", "more than", "over", "upwards of", "über die")
            ),
            *(
                (tuple(p.split()), "at_most")
                for p in ("bis zu", "höchstens", "maximal", "up to", "at most", "no more than", "nicht mehr als")
            ),
            *((tuple(p.split()), "less_than") for p in ("weniger als", "unter", "less than", "fewer than", "under")),
        ],
        key=lambda item: -len(item[0]),
    )
)
_QUALIFIERS_BY_LAST: dict[str, list[tuple[tuple[str, ...], Qualifier]]] = {}
for _words, _qualifier in _QUALIFIERS:
    _QUALIFIERS_BY_LAST.setdefault(_words[-1], []).append((_words, _qualifier))
_NEARLY = _set("fast beinahe nahezu knapp nearly almost")
_AMBIGUOUS_QUALIFIERS = _set("über unter over under some")
_ABOUT_BAND = 0.1

# a noun before a number that makes it an identifier, not a quantity
_LABELS = _set(
    """block nr no nos nummer number seite s p pp page pages artikel art article paragraf paragraph absatz abs
    kapitel chapter section abschnitt flug flight linie line route gleis platz rang rank zimmer room gate
    level stufe phase folge episode staffel season band vol heft ausgabe issue resolution tor goal
    haus hausnummer straße str kanal channel position punkt"""
)

_DE_STOP = _set(
    """der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner und oder aber
    doch sondern denn dass daß weil wenn als wie ob ohne mit von vom zu zum zur in im ins an am auf aus bei beim
    nach seit vor über unter um für gegen durch bis zwischen neben hinter trotz während wegen laut per pro
    ab je sich er sie es wir ihr ich du man sein seine seinen seinem seiner seines ihre ihren ihrem ihrer
    ihres unser unsere dieser diese dieses diesen diesem jener jene welche welcher welches nicht auch noch
    nur schon bereits sehr so da dort hier nun jetzt dann damit dabei dazu davon darauf mehr weniger als
    etwa rund rund mindestens höchstens fast knapp insgesamt jeweils ist sind war waren wird werden wurde
    wurden worden hat haben hatte hatten habe hätten hätte sei seien wäre wären gewesen geworden gehabt
    würde würden kann können konnte konnten muss müssen musste mussten soll sollen sollte sollten will
    wollen wollte wollten darf dürfen durfte mag mögen möchte möchten lassen ließ ließen alle allen aller
    andere anderen viele vielen einige mehrere beide beiden jedoch außerdem zudem allerdings bisher
    insbesondere"""
)
_EN_STOP = _set(
    """the a an and or but nor so yet of in on at by for with from to into onto over under about around than
    as that this these those which who whom whose what when where while because if though although since
    until after before during between among against through per via up down out off is are was were be been
    being am has have had having do does did will would shall should can could may might must it its they
    them their he him his she her we us our you your i me my not no also only just some any each every all
    both either neither more most less least few many much such very there here then now than according
    said says"""
)
_EN_VERBS = _set(
    """sign agree announce conclude reach strike ink seal kill die injure wound arrest detain rise grow fall
    increase decrease drop decline climb jump surge plunge total reach cost pay spend buy sell deliver send
    supply export import visit hold meet launch fire receive lose win count register record estimate report
    number top exceed flee leave take make give hold see find go come bring"""
)
_EN_TIME = _LAST | _THIS | _NEXT | _set("year years month months week weeks day days today")
_EN_PAST = {"rose": "rise", "fell": "fall", "left": "leave", "lost": "lose", "won": "win", "sold": "sell"}
_EN_PLURALS = _set("people men women children police troops staff personnel cattle")
_THIRD_PARTIES = _set("land staat partei seite country party state")
_WORD_DURATION = re.compile(r"(jährig|tägig|wöchig|monatig|stündig|minütig|-year|-day|-week|-month|-hour)")
_TRIGGER_CHARS = frozenset("0123456789$€£")
_TRIGGER_PREFIX = re.compile(
    "(?:einund|einhundert|eintausend|zwei|zwo|drei|dritt|vier|fünf|sechs|sieb|acht|neun|zehn|elf|zwölf|zwanzig|"
    "dreißig|hundert|tausend|erst|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|"
    "(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|hundred)-|"
    "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
)
_EN_ORDINAL_WORDS = _set(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth hundredth thousandth"
)
_AFTER_ONE = _DOZEN | frozenset(_SCALES) | frozenset(_FRACTIONS) | _set("hundert hundred tausend thousand")
_TRIGGERS = (
    frozenset(
        [*_MONTHS, *_WEEKDAYS, *_LAST, *_THIS, *_NEXT, *_VAGUE, *_FEW, *_BOTH, *_ARTICLES_ONE, *_FRACTIONS, *_EN_UNITS]
    )
    | _EN_ORDINAL_WORDS
    | _set("gestern vorgestern yesterday übermorgen tomorrow morgen vorjahr vorjahres vorjahrs few paar")
)
_DE_PARTICLES = _set("bekannt fest statt teil frei kund hin zurück vor ab an auf aus ein mit zu")
_DE_ADJECTIVES_IN_EN = _set("offen eigen verschieden gelegen trocken selten golden")
_FUTURE = _set(
    "will shall expected scheduled plans planned due wird werden soll sollen plant planen geplant voraussichtlich"
)
_UNTIL = _set("bis ab spätestens until till")
_PAST = _set("war waren wurde wurden hatte hatten was were had")
_TIME_NOUNS = _set("jahr jahres jahre monat woche tag stunde zeit mal")
_CLAUSE_STOP = frozenset(',;:()[]–—"“”„«»')
_CONJUNCTIONS = _set(
    "dass daß weil obwohl während nachdem wenn sobald bevor that because although while whereas when whenever"
)

# counted nouns and units that name the same thing (lemmas, lowercase); German and English together
_SYNONYM_GROUPS = (
    "abkommen vereinbarung vertrag pakt übereinkommen übereinkunft absichtserklärung agreement deal treaty "
    "accord pact memorandum",
    "haushalt household",
    "mensch person leute people einwohner inhabitant",
    "tote todesopfer opfer dead death fatality victim",
    "verletzte injured",
    "soldat soldier troop",
    "land staat country nation state",
    "besuch staatsbesuch visit",
    "jahrestag jubiläum bestehen anniversary",
    "euro eur",
    "dollar us-dollar usd",
    "handel handelsvolumen trade",
    "waffeneinfuhr waffenimport rüstungsimport import",
    "anteil beteiligung share stake",
    "staatschef staatsoberhaupt regierungschef leader",
    "seite side",
    "teil part",
    "flüchtling refugee",
    "stunde hour",
    "jahr year",
    "milliarde billion",
)
_SYNONYMS = {word: group for group in _SYNONYM_GROUPS for word in group.split()}
# predicates that report the same kind of event; unknown predicates are compatible with anything
_PREDICATE_GROUPS = (
    "unterzeichnen unterschreiben abschließen schließen vereinbaren bekanntgeben veröffentlichen verkünden "
    "ankündigen unterzeichnung abschluss sign conclude ink agree announce publish strike seal reach",
    "töten sterben umkommen ums_leben_kommen kill die",
    "verletzen injure wound",
    "festnehmen verhaften inhaftieren arrest detain",
    "zunehmen steigen wachsen anwachsen sinken fallen zurückgehen schrumpfen rise grow increase fall decline "
    "drop decrease shrink climb jump surge plunge",
    "besuchen reisen visit travel",
)
_PREDICATES = {word: group for group in _PREDICATE_GROUPS for word in group.split()}
_COUNT_KINDS = frozenset({"count", "percent", "ordinal"})


# --------------------------------------------------------------------------------------------------
# lazily loaded helpers (once per process)


@functools.lru_cache(maxsize=1)
def _lemmatizer() -> Any:
    """simplemma with its dictionaries read through the model cache (its own loader decompresses and
    decodes about a million German entries, 4 s; the cached dict loads in well under one)."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries.dictionary_factory import (
        DictionaryFactory,
        MappingStrToByteString,
        _load_dictionary_from_disk,
    )

    class CachedDictionaryFactory(DictionaryFactory):
        def __init__(self) -> None:
            self._dicts: dict[str, MappingStrToByteString] = {}

        def get_dictionary(self, lang: str) -> MappingStrToByteString:
            if lang not in self._dicts:
                raw = cached(f"simplemma-{lang}", "simplemma", lambda: _load_dictionary_from_disk(lang))
                self._dicts[lang] = MappingStrToByteString(raw)
            return self._dicts[lang]

    factory = CachedDictionaryFactory()
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))


@functools.lru_cache(maxsize=65536)
def _lemma(word: str, lang: str) -> str:
    try:
        return str(_lemmatizer().lemmatize(word, lang=lang))
    except (ValueError, KeyError):
        return word


@functools.lru_cache(maxsize=16384)
def _de_cardinal(word: str) -> int | None:
    if len(word) > _MAX_TOKEN or word in ("und", "ein", "eine", "eins") or not _DE_NUMBER_WORD.fullmatch(word):
        return None
    from text_to_num import text2num

    try:
        return int(text2num(word, "de"))
    except (ValueError, IndexError):
        return None


def _de_ordinal(word: str) -> int | None:
    m = re.fullmatch(r"([a-zäöüß]{3,40}?)e[rnms]?", word)
    if not m:
        return None
    base = m.group(1)
    if base in _DE_ORDINAL_STEMS:
        return _DE_ORDINAL_STEMS[base]
    if base.endswith("st"):
        return _de_cardinal(base[:-2]) or _de_cardinal(base[:-1])
    if base.endswith("t"):
        value = _de_cardinal(base[:-1])
        return value if value is not None and value < 20 else None
    return None


def _en_cardinal(word: str) -> int | None:
    if word in _EN_UNITS:
        return _EN_UNITS[word]
    if "-" in word:
        tens, _, unit = word.partition("-")
        if tens in _EN_UNITS and unit in _EN_UNITS and _EN_UNITS[tens] >= 20 and _EN_UNITS[unit] < 10:
            return _EN_UNITS[tens] + _EN_UNITS[unit]
    return None


def _en_ordinal(word: str) -> int | None:
    if word in _EN_ORDINALS:
        return _EN_ORDINALS[word]
    if "-" in word:
        tens, _, unit = word.partition("-")
        first, second = _en_cardinal(tens), _en_ordinal(unit)
        return first + second if first and second and first >= 20 and second < 10 else None
    if word.endswith("ieth"):
        return _en_cardinal(word[:-4] + "y")
    if word.endswith("th"):
        value = _en_cardinal(word[:-2])
        return value if value and value > 3 else None
    return None


def _parse_digits(digits: str, lang: str) -> float | None:
    """``1.200`` / ``8,3`` (German), ``1,200`` / ``2.4`` (English); None for what no reader writes."""
    if "." in digits and "," in digits:
        decimal = "." if digits.rfind(".") > digits.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        whole, _, fraction = digits.rpartition(decimal)
        if thousands in fraction or decimal in whole or not all(len(p) == 3 for p in whole.split(thousands)[1:]):
            return None
        return float(whole.replace(thousands, "") + "." + fraction)
    sep = "." if "." in digits else "," if "," in digits else ""
    if not sep:
        return float(digits)
    parts = digits.split(sep)
    if len(parts) > 2:
        return float("".join(parts)) if all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3 else None
    decimal = "," if lang == "de" else "."
    if sep != decimal and len(parts[1]) == 3 and len(parts[0]) <= 3:
        return float(parts[0] + parts[1])
    if sep == decimal or len(parts[1]) != 3:
        return float(parts[0] + "." + parts[1])
    return float(parts[0] + parts[1])


def _published(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------------
# one sentence, tokenised


@dataclasses.dataclass
class _Found:
    first: int  # token indices [first, last] of the expression
    last: int
    kind: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: Qualifier = "exact"
    unit: str | None = None
    counted: str | None = None
    predicate: str | None = None
    date: str | None = None
    needs_noun: bool = False
    noun_at: int = -1  # token index of the counted noun, when found after the number


class _Sentence:
    """The tokens of one sentence and the rules that read them."""

    def __init__(self, text: str, offset: int, lang: str, published: dt.date | None) -> None:
        matches = list(_TOKEN.finditer(text))
        self.starts = [m.start() + offset for m in matches]
        self.ends = [m.end() + offset for m in matches]
        self.words = [m.group() for m in matches]
        self.lows = [w.lower() for w in self.words]
        self.n = len(self.words)
        self.lang = lang
        self.published = published
        self.taken = [False] * self.n
        self.verbs: dict[int, str | None] = {}

    # token predicates ------------------------------------------------------------------------------

    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < self.n else ""

    def is_digit(self, i: int) -> bool:
        return 0 <= i < self.n and self.words[i][:1].isdigit()

    def is_cap(self, i: int) -> bool:
        w = self.words[i] if 0 <= i < self.n else ""
        return w[:1].isupper() and w[1:2].islower() and w.replace("-", "").isalpha()

    def is_word(self, i: int) -> bool:
        w = self.words[i] if 0 <= i < self.n else ""
        return bool(w) and w.replace("-", "").replace("'", "").replace("’", "").isalpha()

    def glued(self, i: int) -> bool:
        """Whether token ``i`` follows token ``i - 1`` without a space."""
        return 0 < i < self.n and self.starts[i] == self.ends[i - 1]

    def year(self, i: int) -> int | None:
        w = self.words[i] if 0 <= i < self.n else ""
        if len(w) == 4 and w.isdecimal() and 1000 <= int(w) <= 2100:
            return int(w)
        return None

    def day(self, i: int) -> int | None:
        w = self.words[i] if 0 <= i < self.n else ""
        return int(w) if w.isdecimal() and len(w) <= 2 and 1 <= int(w) <= 31 else None

    def month(self, i: int) -> int | None:
        low = self.low(i)
        month = _MONTHS.get(low)
        if month is None or (low in _MONTH_ABBREVIATIONS and self.low(i + 1) != "." and not self.is_digit(i + 1)):
            return None
        if low in ("may", "mai", "mar") and not self.is_cap(i):
            return None
        return month

    # lemmas ------------------------------------------------------------------------------------------

    def noun_lemma(self, i: int) -> str:
        w = self.words[i]
        head, dash, last = w.rpartition("-")
        lang = "de" if self.lang == "de" or (self.lang != "en" and w[:1].isupper()) else "en"
        if lang == "en":
            w = w.lower()
            last = last.lower()
            head = head.lower()
            if w.endswith(("'s", "’s")):
                w = w[:-2]
        if dash and last:
            return head + dash + _lemma(last, lang)
        return _lemma(w, lang)

    def verb(self, i: int) -> str | None:
        """The lemma if token ``i`` is a main verb (or participle), else None."""
        if i in self.verbs:
            return self.verbs[i]
        lemma = self.verbs[i] = self.find_verb(i)
        return lemma

    def find_verb(self, i: int) -> str | None:
        w = self.words[i] if 0 <= i < self.n else ""
        if not w.isalpha() or not w[:1].islower():
            return None
        if self.lang == "de" or (self.lang != "en" and any(c in w for c in "äöüß")):
            if w in _DE_STOP:
                return None
            lemma = _lemma(w, "de")
            if not lemma.endswith(("en", "ern", "eln")) or lemma in _DE_ADJECTIVES_IN_EN or lemma in _DE_STOP:
                return None
            stem = re.sub(r"e[rnms]?$", "", w)
            if stem == lemma or stem + "e" == lemma:
                return None  # an adjective: "offenen" -> "offen"
            particle = self.low(i - 1)
            if particle in _DE_PARTICLES and w.startswith("ge") and particle not in _DE_STOP and self.glued(i) is False:
                return particle + lemma  # "bekannt gegebenen" -> "bekanntgeben"
            return lemma
        if w in _EN_STOP:
            return None
        lemma = _EN_PAST.get(w) or _lemma(w, "en")
        if lemma in _EN_VERBS or (w.endswith("ed") and len(w) > 4 and lemma != w):
            return lemma
        return None

    # the scan ------------------------------------------------------------------------------------------

    def claims(self) -> Iterator[_Found]:
        i = 0
        lows = self.lows
        while i < self.n:
            low = lows[i]
            if not (low[0] in _TRIGGER_CHARS or low in _TRIGGERS or _TRIGGER_PREFIX.match(low)) or (
                low in _ARTICLES_ONE and self.low(i + 1) not in _AFTER_ONE
            ):
                i += 1
                continue
            found = self.date_at(i) or self.quantity_at(i)
            if found is None:
                i += 1
                continue
            for k in range(found.first, found.last + 1):
                self.taken[k] = True
            i = found.last + 1
            if found.kind not in ("date", "year") and found.counted is None:
                self.find_counted(found)
            if found.needs_noun and found.counted is None:
                continue
            if found.kind == "ordinal" and found.value == 3 and (found.counted or "").lower() in _THIRD_PARTIES:
                continue  # "dritte Länder", "third parties": not an ordinal a reader compares
            if found.predicate is None:
                found.predicate = self.find_predicate(found)
            yield found

    # dates -------------------------------------------------------------------------------------------

    def date_at(self, i: int) -> _Found | None:
        low = self.lows[i]
        pub = self.published
        # 20. Juni 2024 / 20 June 2024 / 20. Juni
        if self.day(i) is not None:
            j = i + 1 if self.low(i + 1) == "." else i
            month = self.month(j + 1)
            if month is not None and (j > i or self.lang != "de"):
                return self.absolute(i, j + 1, month, self.day(i))
            return None
        month = self.month(i)
        if month is not None:
            j = i + 1 if self.low(i + 1) == "." else i
            day = self.day(j + 1)
            if day is not None and self.year(j + 1) is None:  # June 20, 2024 / June 20th
                k = j + 1
                if self.low(k + 1) in ("st", "nd", "rd", "th"):
                    k += 1
                return self.absolute(i, k, month, day)
            if self.year(j + 1) is not None:  # Juni 2024
                return self.absolute(i, j, month, None)
            before = self.low(i - 1)
            if before in _LAST or before in _THIS or before in _NEXT:
                first = i - 2 if self.low(i - 2) in ("im", "in") else i - 1
                return self.relative_month(first, i, month, before)
            if before in _DATE_CUES or self.low(i - 2) in _DATE_CUES:
                return self.absolute(i, i, month, None)
            return None
        weekday = _WEEKDAYS.get(low)
        if weekday is None and low.startswith(tuple(_WEEKDAYS)) and low.endswith(_DAYPARTS):
            weekday = next(v for k, v in _WEEKDAYS.items() if low.startswith(k))
        if weekday is not None:
            return self.weekday(i, weekday)
        if low in ("gestern", "vorgestern", "yesterday", "übermorgen", "tomorrow") or (
            self.words[i] == "morgen" and self.lang == "de"
        ):
            shift = {"gestern": -1, "vorgestern": -2, "yesterday": -1, "übermorgen": 2}.get(low, 1)
            date = (pub + dt.timedelta(days=shift)).isoformat() if pub else None
            return _Found(i, i, "date", date=date)
        if (low in _LAST or low in _THIS or low in _NEXT) and (
            self.low(i + 1) in _YEAR_WORDS or self.low(i + 1) in _MONTH_WORDS
        ):
            return self.relative_period(i)
        if low in ("vorjahr", "vorjahres", "vorjahrs"):
            return _Found(i, i, "date", date=str(pub.year - 1) if pub else None)
        if self.year(i) is not None:
            return self.year_at(i)
        if self.is_digit(i) and not self.taken[i]:
            return self.numeric_date(i)
        return None

    def absolute(self, first: int, month_at: int, month: int, day: int | None) -> _Found:
        j = month_at + 1 if self.low(month_at + 1) == "." else month_at
        if self.low(j + 1) == ",":
            j += 1
        year = self.year(j + 1)
        last = j + 1 if year is not None else month_at
        if year is None and self.published is not None:
            year = self.published.year
        first = self.weekday_before(first)
        if self.low(first - 1) in ("anfang", "mitte", "ende", "beginn", "early", "mid", "late"):
            first -= 1
        date = None
        if year is not None:
            try:
                date = dt.date(year, month, day).isoformat() if day else f"{year:04d}-{month:02d}"
            except ValueError:
                date = None
        return _Found(first, last, "date", date=date)

    def weekday_before(self, first: int) -> int:
        """Include "Donnerstag, " before "20. Juni 2024" in the date's span."""
        k = first - 1 if self.low(first - 1) == "," else first
        if self.low(k - 1) in _WEEKDAYS:
            return k - 1
        return first

    def relative_month(self, first: int, at: int, month: int, modifier: str) -> _Found:
        pub = self.published
        date = None
        if pub is not None:
            if modifier in _LAST:
                year = pub.year if month < pub.month else pub.year - 1
            elif modifier in _NEXT:
                year = pub.year if month > pub.month else pub.year + 1
            else:
                year = pub.year
            date = f"{year:04d}-{month:02d}"
        return _Found(first, at, "date", date=date)

    def relative_period(self, i: int) -> _Found:
        low, unit = self.lows[i], self.low(i + 1)
        first = i
        while first > 0 and first > i - 3 and self.low(first - 1) in _PERIOD_PARTS:
            first -= 1
        pub = self.published
        shift = -1 if low in _LAST else 1 if low in _NEXT else 0
        date = None
        if pub is not None:
            if unit in _YEAR_WORDS:
                date = str(pub.year + shift)
            else:
                months = pub.year * 12 + pub.month - 1 + shift
                date = f"{months // 12:04d}-{months % 12 + 1:02d}"
        return _Found(first, i + 1, "date", date=date)

    def weekday(self, i: int, weekday: int) -> _Found:
        before = self.low(i - 1)
        first = i
        mode = "on_or_before"
        if before in _LAST or before in _NEXT:
            mode = "before" if before in _LAST else "after"
            first = i - 1
            if self.low(i - 2) in ("am", "on"):
                first = i - 2
        elif before in ("am", "on"):
            first = i - 1
        if mode == "on_or_before" and (self.future(i) or self.until(i)):
            mode = "after_or_on"  # "Putin is expected to return on Friday", "bleibt bis Freitag gesperrt"
        pub = self.published
        date = None
        if pub is not None:
            if mode == "before":
                delta = -(((pub.weekday() - weekday - 1) % 7) + 1)
            elif mode == "after":
                delta = ((weekday - pub.weekday() - 1) % 7) + 1
            elif mode == "after_or_on":
                delta = (weekday - pub.weekday()) % 7
            else:
                delta = -((pub.weekday() - weekday) % 7)
            date = (pub + dt.timedelta(days=delta)).isoformat()
        # "Donnerstag, 20. Juni 2024": the absolute date that follows wins
        k = i + 2 if self.low(i + 1) == "," else i + 1
        if self.day(k) is not None and (self.month(k + 1) is not None or self.month(k + 2) is not None):
            return self.date_at(k) or _Found(first, i, "date", date=date)
        return _Found(first, i, "date", date=date)

    def until(self, i: int) -> bool:
        """Whether token ``i`` (a weekday) is a limit still ahead: "bis (mindestens) Freitag", "until Friday",
        "ab Montag", unless the clause is in the past tense ("war bis Freitag gesperrt")."""
        if not any(self.low(j) in _UNTIL for j in range(max(i - 3, 0), i)):
            return False
        return not any(self.low(j) in _PAST for j in range(max(i - 8, 0), min(i + 8, self.n)))

    def future(self, i: int) -> bool:
        """Whether the words around token ``i`` speak of the future ("will", "wird", "expected to")."""
        return any(self.low(j) in _FUTURE for j in range(max(i - 8, 0), min(i + 8, self.n)))

    def year_at(self, i: int) -> _Found | None:
        year = self.year(i)
        assert year is not None
        if self.skip_number(i) or self.unit_at(i + 1) is not None or self.scale_at(i + 1):
            return None
        before, after = self.low(i - 1), i + 1
        cue = before in _YEAR_CUES
        if not cue:
            if self.lang == "de" or (self.lang != "en" and self.is_cap(after)):
                if self.is_cap(after) and self.low(after) not in _MONTHS:
                    return None  # "2000 Soldaten"
            elif self.is_word(after) and self.lows[after] not in _EN_STOP and self.verb(after) is None:
                word = self.lows[after]
                if _lemma(word, "en") != word:
                    return None  # "2000 soldiers"; "the 2014 coup" stays a year
        return _Found(i, i, "year", value=year, low=year, high=year, date=str(year))

    def numeric_date(self, i: int) -> _Found | None:
        w = self.words[i]
        m = _DATE_DOTS.fullmatch(w) or _DATE_SLASH.fullmatch(w)
        if m:
            a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            day, month = (b, a) if "/" in w and self.lang == "en" and a <= 12 else (a, b)
        else:
            m = _DATE_ISO.fullmatch(w)
            if not m:
                return None
            year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            return _Found(i, i, "date", date=dt.date(year, month, day).isoformat())
        except ValueError:
            return None

    # quantities ----------------------------------------------------------------------------------------

    def skip_number(self, i: int) -> bool:
        """Identifiers, times of day and digit soup are no claims."""
        before = self.low(i - 1)
        if before == "." and self.low(i - 2) in _LABELS:
            return True
        if before in _LABELS or (before in ("+", "#", "№", "/", "-") and not self.taken[i - 1]):
            return True
        after = self.low(i + 1)
        if after in ("uhr", "h", "a.m", "p.m", "pm") or (after == ":" and self.is_digit(i + 2)):
            return True
        if after == "am" and self.lang == "en":
            return True
        if before == ":" and self.is_digit(i - 2):
            return True
        return (self.is_digit(i - 1) and not self.glued(i)) or (self.is_digit(i + 1) and not self.glued(i + 1))

    def scale_at(self, i: int) -> float | None:
        low = self.low(i)
        scale = _SCALES.get(low)
        if scale is not None and self.lang == "de":
            scale = _DE_SCALE_OVERRIDES.get(low, scale)
        return scale

    def unit_at(self, i: int) -> tuple[tuple[str, str], int] | None:
        pair = _UNIT_PAIRS.get((self.low(i), self.low(i + 1)))
        if pair is not None:
            return pair, i + 1
        unit = _UNITS.get(self.low(i))
        if unit is None:
            return None
        if unit[1] == "measure" and self.lows[i] in ("m", "t") and not self.glued(i):
            return None  # a lone "m" or "t" is rarely a unit
        return unit, i

    def number_at(self, i: int) -> tuple[float, int, str] | None:
        """A plain number at ``i``: (value, last token, how: digits|word|one)."""
        w = self.words[i]
        low = self.lows[i]
        if w[:1].isdigit() or (w[:1] in _CURRENCY_SYMBOLS and w[1:2].isdigit()):
            return None  # digits are read by ``digits_at``
        if self.lang != "en":
            value = _de_cardinal(low)
            if value is not None:
                return float(value), i, "word"
        if self.lang != "de":
            value = _en_cardinal(low)
            if value is not None and low not in ("one", "zero"):
                last = i
                total, current = 0, value
                k = i + 1
                while k < self.n and k < i + 8:
                    nxt = self.low(k)
                    if nxt == "and" and _en_cardinal(self.low(k + 1)) is not None and self.low(k - 1) == "hundred":
                        k += 1
                        continue
                    v = _en_cardinal(nxt)
                    if v is None or (nxt in ("one", "zero") and self.low(k + 1) in ("of",)):
                        break
                    if v == 100:
                        current = max(current, 1) * 100
                    elif v == 1000:
                        total += max(current, 1) * 1000
                        current = 0
                    else:
                        current += v
                    last = k
                    k += 1
                return float(total + current), last, "word"
        if low in _ARTICLES_ONE and (
            self.low(i + 1) in _DOZEN
            or self.scale_at(i + 1)
            or self.low(i + 1) in _FRACTIONS
            or self.low(i + 1) in ("hundert", "hundred", "tausend", "thousand")
        ):
            if self.low(i + 1) in ("hundert", "hundred"):
                return 100.0, i + 1, "word"
            if self.low(i + 1) in ("tausend", "thousand"):
                return 1000.0, i + 1, "word"
            return 1.0, i, "one"
        return None

    def digits_at(self, i: int) -> _Found | None:
        w = self.words[i]
        if len(w) > _MAX_TOKEN:
            return None
        m = _DIGITS.fullmatch(w)
        if m is None:
            return None
        symbol, digits, rest = m.groups()
        if self.skip_number(i):
            return None
        unit = _CURRENCY_SYMBOLS.get(symbol) if symbol else None
        if unit is None and self.low(i - 1) in _CURRENCY_SYMBOLS and self.glued(i):
            unit = _CURRENCY_SYMBOLS[self.low(i - 1)]
        if unit is None and self.low(i - 1) in _CURRENCY_CODES:
            unit = _CURRENCY_CODES[self.low(i - 1)]
        value = _parse_digits(digits, self.lang)
        if value is None:
            return None
        found = _Found(i, i, "count", value=value)
        if unit is not None:
            found.kind, found.unit = "amount", unit
            if self.low(i - 1) in _CURRENCY_SYMBOLS or self.low(i - 1) in _CURRENCY_CODES:
                found.first = i - 1
        rest_low = rest.lower()
        if not rest:
            pass
        elif rest == "%":
            found.kind, found.unit = "percent", "percent"
        elif rest_low in ("st", "nd", "rd", "th") and "." not in digits and "," not in digits:
            found.kind, found.needs_noun = "ordinal", True
        elif rest_low in _GLUED_SCALES and (unit is not None or rest_low not in ("m",)):
            found.value = value * _GLUED_SCALES[rest_low]
        elif rest_low in _GLUED_UNITS:
            unit_name, kind = _UNITS[_GLUED_UNITS[rest_low]]
            found.kind, found.unit = kind, unit_name
        elif rest_low == "s" and len(digits) == 4:
            return None  # "1990s": a decade
        elif rest.startswith("-") and rest[1:].isdecimal():
            upper = float(rest[1:])
            if upper <= value or "." in digits or "," in digits:
                return None  # "Block 11-2", "3-1": identifiers and scores
            found.low, found.high = value, upper
        else:
            d = _DURATION_SUFFIX.fullmatch(rest)
            if not d:
                return None  # "17a", "5G": identifiers
            found.kind, found.unit = "duration", _DURATION_UNITS[d.group(1).lower()]
        # German ordinal: "30. Jahrestag", "im 20. Jahrhundert"
        if (
            not rest
            and self.lang != "en"
            and self.low(i + 1) == "."
            and "," not in digits
            and "." not in digits
            and value < 1000
            and (self.is_cap(i + 2) or (self.is_word(i + 2) and self.words[i + 2][:1].islower()))
        ):
            found.kind, found.needs_noun, found.last = "ordinal", True, i + 1
            return found
        return self.extend(found)

    def quantity_at(self, i: int) -> _Found | None:
        if self.taken[i]:
            return None
        w = self.words[i]
        low = self.lows[i]
        if w[:1].isdigit() or (w[:1] in _CURRENCY_SYMBOLS and w[1:2].isdigit()):
            found = self.digits_at(i)
            return self.qualify(found) if found else None
        if low in _CURRENCY_SYMBOLS and self.is_digit(i + 1) and self.glued(i + 1):
            return None  # read from the digits
        if low in _VAGUE and not (low in ("millionen", "millions") and self.low(i - 1) in _ARTICLES_ONE):
            bound = _VAGUE[low]
            last = i + 1 if self.low(i + 1) == "of" else i
            if low in ("hundreds", "thousands") and self.low(i + 1) == "of" and self.low(i + 2) == "thousands":
                bound, last = bound * 1000, i + 3 if self.low(i + 3) == "of" else i + 2
            found = _Found(i, i, "count", value=bound, low=bound, qualifier="vague")
            return self.extend(found, counted_from=last + 1)
        if low in _FEW or (low == "few" and self.low(i - 1) == "a") or (low == "paar" and self.low(i - 1) == "ein"):
            first = i - 1 if low in ("few", "paar") else i
            return _Found(first, i, "count", low=_FEW.get(low, 2), qualifier="vague", needs_noun=True)
        if (low in _BOTH and self.lang != "en") or low == "both":
            return _Found(i, i, "count", value=2, low=2, high=2, needs_noun=True)
        if low == "hälfte" or (low == "half" and self.low(i + 1) in ("of", "the")):
            first = i - 1 if self.low(i - 1) in ("die", "der", "eine", "a") else i
            return self.qualify(_Found(first, i, "percent", value=50.0, unit="percent"))
        if len(low) <= _MAX_TOKEN and _WORD_DURATION.search(low):
            return self.word_duration(i)
        number = self.number_at(i)
        if number is not None:
            value, last, _how = number
            found = _Found(i, last, "count", value=value)
            return self.qualify(self.extend(found))
        ordinal = _de_ordinal(low) if self.lang != "en" else None
        if ordinal is None and self.lang != "de":
            ordinal = _en_ordinal(low)
        if ordinal is not None and not (low in ("second", "third", "fifth") and self.low(i - 1) in _ARTICLES_ONE):
            return _Found(i, i, "ordinal", value=ordinal, low=ordinal, high=ordinal, needs_noun=True)
        return None

    def word_duration(self, i: int) -> _Found | None:
        """ "zweitägigen Besuch", "a two-day visit", "30-jährige" is read with the digits."""
        m = _WORD_DURATION.search(self.lows[i])
        assert m is not None
        number, suffix = self.lows[i][: m.start()], m.group(1).lstrip("-")
        rest = self.lows[i][m.end() :]
        if not _DURATION_SUFFIX.fullmatch(m.group(1) + rest):
            return None
        value = _de_cardinal(number) if self.lang != "en" else None
        if value is None and self.lang != "de":
            value = _en_cardinal(number)
        if value is None:
            return None
        return _Found(i, i, "duration", value=value, low=value, high=value, unit=_DURATION_UNITS[suffix])

    def extend(self, found: _Found, counted_from: int | None = None) -> _Found:
        """Read what follows the number: dozen, fraction, scale, range, unit."""
        k = found.last + 1
        value = found.value if found.value is not None else 0.0
        if self.low(k) in _DOZEN:
            value *= 12
            found.last = k
            k += 1
        elif self.low(k) in _FRACTIONS and found.kind == "count" and found.qualifier != "vague":
            value = round(value / _FRACTIONS[self.low(k)] * 100, 2)
            found.kind, found.unit, found.last = "percent", "percent", k
            k += 1
        scale = self.scale_at(k)
        if scale and found.qualifier != "vague":
            value *= scale
            found.last = k
            k += 1
            if self.low(k) == "." and self.lows[k - 1] in ("mio", "mrd", "tsd"):
                found.last = k
                k += 1
        elif found.kind == "count" and found.low is None and self.range_word(found, k):
            upper = self.digits_at(k + 1) if self.is_digit(k + 1) and self.year(k + 1) is None else None
            if upper and upper.value is not None and upper.value > value and upper.kind != "ordinal":
                found.low, found.high, found.last = value, upper.value, upper.last
                found.kind, found.unit = upper.kind, upper.unit
                k = upper.last + 1
                if self.low(found.first - 1) in ("zwischen", "between"):
                    found.first -= 1
        found.value = value
        if found.qualifier != "vague" and found.unit is None:
            unit = self.unit_at(k)
            if unit is not None:
                (unit_name, kind), last = unit
                found.kind, found.unit, found.last = kind, unit_name, last
        elif found.qualifier == "vague":
            unit = self.unit_at(k)
            if unit is not None and unit[0][1] == "duration":
                found.kind, found.unit, found.last = "duration", unit[0][0], unit[1]
        if counted_from is not None:
            self.find_counted(found, counted_from)
        return found

    def range_word(self, found: _Found, k: int) -> bool:
        """ "10 bis 12", "10 to 12", "10-12", "zwischen 10 und 12", "between 10 and 12"."""
        word = self.low(k)
        if word in ("und", "and"):
            return self.low(found.first - 1) in ("zwischen", "between")
        return word in ("bis", "to", "-", "–")

    def qualify(self, found: _Found) -> _Found:
        value = found.value
        if found.low is None and found.high is None and value is not None:
            found.low = found.high = value
        if value is None or found.qualifier == "vague" or found.kind == "ordinal" or found.low != found.high:
            return found  # vague, ordinal, or a range "10 bis 12"
        first = found.first
        if self.low(first - 1) in ("die", "der", "den") and self.low(first - 2) in ("um", "über"):
            pass
        for words, qualifier in _QUALIFIERS_BY_LAST.get(self.low(first - 1), ()):
            size = len(words)
            if tuple(self.low(first - size + k) for k in range(size)) == words:
                start = first - size
                if words[0] in _AMBIGUOUS_QUALIFIERS and not self.qualifier_context(start):
                    continue
                found.first, found.qualifier = start, qualifier
                break
        else:
            if self.low(first - 1) in _NEARLY:
                found.first, found.qualifier = first - 1, "about"
                found.low, found.high = value * (1 - _ABOUT_BAND), value
            return found
        band = {
            "about": (value * (1 - _ABOUT_BAND), value * (1 + _ABOUT_BAND)),
            "at_least": (value, None),
            "more_than": (value, None),
            "at_most": (None, value),
            "less_than": (None, value),
        }
        found.low, found.high = band[found.qualifier]
        return found

    def qualifier_context(self, i: int) -> bool:
        """ "über 100" is a qualifier, "Vertrag über 5 Milliarden" and "dispute over 2 islands" are not."""
        before = i - 1
        if before < 0:
            return True
        if self.lows[i] == "some":
            return True
        if self.lang != "en" and self.is_cap(before) and self.starts[before] > 0:
            return before == 0
        if self.lang == "en" and self.is_word(before) and self.lows[before] not in _EN_STOP:
            return self.verb(before) is not None
        return True

    # counted noun and predicate ------------------------------------------------------------------------

    def find_counted(self, found: _Found, start: int | None = None) -> None:
        k = found.last + 1 if start is None else start
        if found.kind in ("date", "year"):
            return
        modifiers: list[int] = []
        german = self.lang == "de" or (self.lang != "en" and self.is_cap(k))
        partitive = found.kind == "percent" or found.qualifier == "vague" or found.unit == "percent"
        if partitive and self.low(k) in ("der", "des", "aller", "von", "of"):
            k += 1
            if self.low(k) in ("the", "its", "their", "all", "den", "der"):
                k += 1
        if german:
            for j in range(k, min(k + 5, self.n)):
                if self.is_cap(j) or (self.words[j][:1].isupper() and "-" in self.words[j]):
                    if self.lows[j] in _MONTHS or self.lows[j] in _WEEKDAYS:
                        break
                    found.counted, found.noun_at = self.noun_lemma(j), j
                    break
                if not self.is_word(j) or self.lows[j] in _DE_STOP:
                    break
                modifiers.append(j)
        else:
            head = None
            if self.low(k) == "of":
                k += 1
                if self.low(k) in ("the", "its", "their", "all", "these", "those"):
                    k += 1
            for j in range(k, min(k + 5, self.n)):
                w = self.lows[j]
                if not self.is_word(j) or w in _EN_STOP or w in _EN_TIME or w in _MONTHS or w in _WEEKDAYS:
                    break
                if w.endswith("ly"):
                    continue
                if w.endswith(("ed", "ing")) and head is None and j + 1 < self.n:
                    modifiers.append(j)
                    continue
                verb = self.verb(j)
                if head is not None and verb is not None and (w.endswith("ed") or verb != w):
                    break
                head = j
                if w in _EN_PLURALS or (w[-1:] == "s" and w[-2:] not in ("ss", "us", "is") and _lemma(w, "en") != w):
                    break
            if head is not None:
                found.counted, found.noun_at = self.noun_lemma(head), head
        for j in reversed(modifiers):
            lemma = self.verb(j)
            if lemma is not None:
                found.predicate = lemma
                break
        if found.counted is None and found.kind in ("amount", "measure", "percent"):
            found.counted = self.counted_before(found)

    def counted_before(self, found: _Found) -> str | None:
        i = found.first
        # "des Kalibers 155mm", "ein Volumen von fünf Milliarden", "a volume of $5bn"
        j = i - 2 if self.low(i - 1) in ("von", "of") else i - 1
        english = self.lang == "en"
        noun = self.is_cap(j) if not english else self.is_word(j) and self.lows[j] not in _EN_STOP and not self.verb(j)
        plain = self.low(j) not in _MONTHS and self.low(j) not in _WEEKDAYS and self.low(j) not in _LABELS
        # German: not the second of two capitalised words ("To Lam 155mm" is a name, not a measured thing)
        single = english or self.low(j - 1) in _DE_STOP or not self.is_cap(j - 1)
        if j >= 0 and noun and plain and single:
            return self.noun_lemma(j)
        if found.kind != "percent":
            return None
        # the subject of the clause: "der bilaterale Handel im Jahr 2023 um 8,3 Prozent"
        verb_seen = False
        for j in range(i - 1, max(i - _WINDOW, -1), -1):
            w = self.lows[j]
            if w in _CLAUSE_STOP or w in _CONJUNCTIONS:
                return None
            if self.lang == "en":
                if self.verb(j) is not None:
                    verb_seen = True
                elif verb_seen and self.is_word(j) and w not in _EN_STOP:
                    return self.noun_lemma(j)
                continue
            if not self.is_cap(j) or w in _TIME_NOUNS or w in _MONTHS:
                continue
            d = j - 1
            while d >= 0 and self.words[d][:1].islower() and self.lows[d] not in _DE_STOP:
                d -= 1
            if self.low(d) in ("der", "die", "das", "ein", "eine") and self.low(d - 1) not in _DE_STOP - _CONJUNCTIONS:
                return self.noun_lemma(j)
        return None

    def find_predicate(self, found: _Found) -> str | None:
        best: tuple[int, str] | None = None
        for j in range(found.first - 1, max(found.first - _WINDOW, -1), -1):
            if self.lows[j] in _CLAUSE_STOP or self.lows[j] in _CONJUNCTIONS:
                break
            lemma = self.verb(j)
            if lemma is not None:
                best = (found.first - j, lemma)
                break
        after = max(found.last, found.noun_at)
        for j in range(after + 1, min(after + _WINDOW, self.n)):
            if best is not None and j - after >= best[0]:
                break
            if self.lows[j] in _CLAUSE_STOP or self.lows[j] in _CONJUNCTIONS:
                break
            lemma = self.verb(j)
            if lemma is not None:
                best = (j - after, lemma)
                break
        return best[1] if best else None


# --------------------------------------------------------------------------------------------------
# the component


def extract_claims(analysis: Analysis) -> tuple[Claim, ...]:
    """The claims of one analysed article, in text order."""
    article = analysis.article
    text = article.text
    lang = (analysis.language or article.language or "").lower()[:2]
    lang = lang if lang in ("de", "en") else ""
    published = _published(article.published)
    claims: list[Claim] = []
    for index, sentence in enumerate(analysis.sentences):
        tokens = _Sentence(text[sentence.start : sentence.end], sentence.start, lang, published)
        for found in tokens.claims():
            start, end = tokens.starts[found.first], tokens.ends[found.last]
            claims.append(
                Claim(
                    start=start,
                    end=end,
                    text=text[start:end],
                    kind=found.kind,  # type: ignore[arg-type]
                    value=found.value,
                    low=found.low,
                    high=found.high,
                    qualifier=found.qualifier,
                    unit=found.unit,
                    counted=found.counted,
                    predicate=found.predicate,
                    date=found.date,
                    sentence=index,
                )
            )
    return tuple(claims)


class RuleClaimExtractor:
    """Sets ``Analysis.claims``: numbers and dates with what they count and the verb that governs them."""

    name: ClassVar[str] = "claims.rules.v1"
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    assigns: ClassVar[tuple[str, ...]] = ("claims",)

    def __call__(self, analysis: Analysis) -> Analysis:
        return dataclasses.replace(analysis, claims=extract_claims(analysis))


@registry.register("claims.rules.v1")
def _factory(settings: Settings) -> RuleClaimExtractor:
    return RuleClaimExtractor()


# --------------------------------------------------------------------------------------------------
# comparing claims


def _key(word: str | None) -> str | None:
    if word is None:
        return None
    low = word.lower()
    return _SYNONYMS.get(low, low)


def _predicates_compatible(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a.lower() == b.lower():
        return True
    ga, gb = _PREDICATES.get(a.lower()), _PREDICATES.get(b.lower())
    return ga is None or gb is None or ga == gb


def same_predicate(a: Claim, b: Claim) -> bool:
    """Both claims name their predicate, and it is the same verb or one of a listed group."""
    if a.predicate is None or b.predicate is None:
        return False
    pa, pb = a.predicate.lower(), b.predicate.lower()
    return pa == pb or (_PREDICATES.get(pa) is not None and _PREDICATES.get(pa) == _PREDICATES.get(pb))


_ANNIVERSARY = _SYNONYMS["jahrestag"]


def comparable(a: Claim, b: Claim) -> bool:
    """Whether two claims speak of the same quantity, so that their values can be held against each other.

    Same kind (dates with years; an ordinal anniversary with a duration in years: "30. Jahrestag",
    "30-jährige Bestehen"), same unit, the same counted thing up to the synonym groups (German and
    English), and predicates that are equal, in one group, unknown or missing.
    """
    dates = {"date", "year"}
    if a.kind in dates and b.kind in dates:
        return _predicates_compatible(a.predicate, b.predicate)
    ca, cb = _key(a.counted), _key(b.counted)
    if a.kind != b.kind:
        kinds = {a.kind, b.kind}
        if not (kinds == {"ordinal", "duration"} and ca == cb == _ANNIVERSARY):
            return False
        return _predicates_compatible(a.predicate, b.predicate)
    if _key(a.unit) != _key(b.unit):
        return False
    if a.kind in _COUNT_KINDS:
        if ca is None or cb is None or ca != cb:
            return False
    elif ca is not None and cb is not None:
        if ca != cb:
            return False
    elif a.predicate is None or b.predicate is None:
        return False
    return _predicates_compatible(a.predicate, b.predicate)


def _date_range(claim: Claim) -> tuple[dt.date, dt.date] | None:
    value = claim.date
    if not value:
        return None
    try:
        if len(value) == 4:
            year = int(value)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return dt.date(year, month, 1), following - dt.timedelta(days=1)
        day = dt.date.fromisoformat(value[:10])
        return day, day
    except ValueError:
        return None


def _bounds(claim: Claim) -> tuple[float | None, bool, float | None, bool]:
    """(low, low inclusive, high, high inclusive) of what the claim allows."""
    low, high = claim.low, claim.high
    if low is None and high is None and claim.qualifier == "exact":
        low = high = claim.value
    return low, claim.qualifier != "more_than", high, claim.qualifier != "less_than"


def consistent(a: Claim, b: Claim) -> bool:
    """Whether two (comparable) claims can both be true: their ranges overlap.

    "mindestens ein Dutzend" [12, ∞) and "zwölf" [12, 12] agree; "elf" conflicts with both; "about 10"
    [9, 11] and "11" agree; "mehr als 12" (12, ∞) and "zwölf" conflict. Dates compare as calendar
    ranges ("2024-06" holds "2024-06-20"); an unresolved date is consistent with anything.
    """
    if a.kind in ("date", "year") and b.kind in ("date", "year"):
        ra, rb = _date_range(a), _date_range(b)
        if ra is None or rb is None:
            return True
        return ra[0] <= rb[1] and rb[0] <= ra[1]
    alo, alo_in, ahi, ahi_in = _bounds(a)
    blo, blo_in, bhi, bhi_in = _bounds(b)
    return _below(alo, alo_in, bhi, bhi_in) and _below(blo, blo_in, ahi, ahi_in)


def _below(low: float | None, low_in: bool, high: float | None, high_in: bool) -> bool:
    """Whether a range starting at ``low`` can meet one ending at ``high``."""
    if low is None or high is None:
        return True
    tolerance = 1e-9 * max(1.0, abs(low), abs(high))
    if low_in and high_in:
        return low <= high + tolerance
    return low < high - tolerance
