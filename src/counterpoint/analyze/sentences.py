"""Rule-based sentence splitter for German and English news.

``split_sentences(text, language)`` returns character spans ``[start, end)`` into ``text``: trimmed of
surrounding whitespace, in order, never empty and never crossing a newline (a line is a paragraph, so
"\\n" always ends a sentence). Inside a line, every run of sentence-final punctuation (``. ! ? …``),
with the closing quotes and brackets that follow it, is a candidate boundary when whitespace follows
(or a capitalised word glued to a lowercase one, as in scraped "Dollar.Die"); the rules below decide
from a bounded window around it (the token before, the word after):

- a lowercase word after it, or a comma after a closing quote (``"…", sagte er.``), never ends a sentence;
- abbreviations (``z. B.``, ``Dr.``, ``U.S.``) do not, except those that may close a sentence (``usw.``,
  ``Inc.``) when a typical sentence opener follows (``Der``, ``The``, an opening quote);
- German ordinals and dates (``am 20. Juni``, ``im 20. Jahrhundert``) do not, unless a sentence opener
  follows; a year-like number before a capitalised non-month word does (``im Jahr 2017. Das war``);
- initials (``George W. Bush``) and bracketed omissions (``(...)``, ``[…]``) do not;
- ``"Why?" Smith asked.`` (a short attribution with a speech verb after ``?``/``!`` and a closing quote)
  stays one sentence.

Every decision looks at a bounded window, so the splitter runs in linear time on any input.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from typing import ClassVar

from .. import registry
from ..model import Analysis, Sentence
from ..settings import Settings

_TERMINAL = ".!?…"
_QUOTES = "\"'“”„‟‘’‚‛«»‹›"
_CLOSERS = _QUOTES + ")]}"
_OPENERS = _QUOTES + "([{¿¡"
_WINDOW = 80  # characters looked at on either side of a candidate

# a run of final punctuation and the closing quotes/brackets after it; possessive, so that a long run
# is matched once and never re-scanned (whether whitespace follows is checked in Python)
_CANDIDATE = re.compile(rf"[{re.escape(_TERMINAL)}]++[{re.escape(_CLOSERS)}]*+")
_NEXT_TOKEN = re.compile(rf"\s*+(\S{{1,{_WINDOW}}})")
_WORD = re.compile(r"[^\W_]+")
_LEADING = re.compile(r"^[\W_]+")
_ROMAN = re.compile(r"[IVXLCDM]{2,}")
_DAY_MONTH = re.compile(r"\d{1,2}\.\d{1,2}")  # 20.06. (the final period is the candidate)
_LETTER_DOTS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # U.S, e.g, z.B, u.v.m

# abbreviations as written before their final period, matched as written or capitalised
_DE_NEVER = """
    Abb Abk Abs allg Anh Anm Aufl Bd Bde bes betr Bhf bspw bzgl Bsp bzw ca dgl
    Dipl Dr ebd eigtl einschl entspr erw evtl exkl Fa Fr gegr geb gem Gebr ggf ggü
    Hbf Hr Hrn Hrsg Hptm inkl insb insbes jew kath Kfz lt max med mind
    Nr Pkt phil Präs Prof rd resp röm sog Spvgg St stellv Tel
    u.a u.ä u.U usf v.a vgl Verf verh vs z.B z.T z.Zt zB zit zzgl Ziff zul zus Zt d.h i.d.R
    o.ä s.o s.u u.a.m engl franz ital span russ lat griech arab chin jap dt amerik brit österr
    Jan Feb Mär Apr Jun Jul Aug Sep Sept Okt Nov Dez
"""
# these may end a sentence, or are also words ("Art", "Gen"): a period after them ends a sentence only
# before a typical sentence opener
_DE_FINAL = "usw etc u.v.m Chr Mio Mrd Jh Jhd Tsd Co Str Std Min Sek e.V Art Gen Abt Kap Mag Dir Reg Fam"
_EN_NEVER = """
    Mr Mrs Ms Messrs Dr Prof St Mt Ft Gov Sen Rep Gen Lt Col Sgt Capt Cmdr Adm Rev Hon Pres Supt
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec e.g i.e vs cf approx est Fig fig vol pp ed
    viz ca Dept Univ
"""
_EN_FINAL = "Inc Corp Ltd Co Jr Sr etc al U.S U.K U.N a.m p.m Bros Ave Rd Blvd Assn LLC Plc"
# German words after which a number is a cardinal ("Platz 2"), so a period after it ends the sentence
_CARDINALS = """
    Platz Rang Position Nummer Nr Seite Kapitel Artikel Paragraf Paragraph Gleis Runde Stufe Level
    Tabellenplatz Startplatz Listenplatz Zimmer Linie Folge Teil Band
"""
_CARDINAL_CONTEXT = frozenset(_CARDINALS.split())
_NUMBER_ABBREVIATIONS = {"No", "Nos", "Nr", "Art", "Abs", "S", "p", "pp", "Bd", "vol", "Vol", "Ziff", "Kap"}


def _abbreviations(words: str) -> frozenset[str]:
    found = set()
    for word in words.split():
        found.add(word)
        found.add(word[0].upper() + word[1:])
    return frozenset(found)


_DE_MONTHS = """
    Januar Jänner Februar Feber März April Mai Juni Juli August September Oktober November Dezember
    Jan Feb Mär Apr Jun Jul Aug Sep Sept Okt Nov Dez
"""
_EN_MONTHS = "January February March April May June July August September October November December"
_MONTHS = frozenset((_DE_MONTHS + _EN_MONTHS).split())

# capitalised words that usually open a sentence and hardly ever follow an ordinal or an abbreviation
_DE_OPENERS = """
    Der Die Das Den Dem Des Ein Eine Einen Einem Einer Eines Er Sie Es Wir Ich Ihr Man Mir Uns
    Dies Diese Dieser Dieses Diesen Diesem Jene Jener Jenes Sein Seine Ihre Unser Unsere
    Aber Und Oder Doch Denn Auch Als Wenn Weil Während Nachdem Obwohl Ob Dass Damit Dabei Dadurch Daher
    Danach Davor Dazu Darauf Darüber Deshalb Deswegen Dann Da Dort Hier Heute Gestern Morgen Nun Jetzt
    Zudem Außerdem Allerdings Jedoch Trotzdem Dennoch Zunächst Zuvor Später Schließlich Inzwischen
    Bereits Bisher Erst Noch Mehr Nur Vor Nach Seit Bei Mit Ohne Gegen Für Von Aus Zu Zum Zur Im In Am An
    Auf Um Unter Über Laut Wie Was Wer Wo Wann Warum Welche Welcher Welches So Alle Viele Einige Kein
    Keine Mehrere Beide Jeder Jede Jedes Insgesamt Somit Also Zwar Hingegen Stattdessen Ebenfalls
    Durch Bis Weitere Demnach Neben Aufgrund Daraufhin Damals Besonders Beim Trotz Andere Wegen
    Insbesondere Rund Derzeit Lediglich Ab Weiterhin Nicht Gleichzeitig Anschließend Innerhalb Kurz
    Ebenso Ursprünglich Angesichts Etwa Vom Zuletzt Zusätzlich Zahlreiche Unterdessen Außer Offenbar
    Mindestens Dafür Ihm Ihnen Sollte Gegenüber Sowohl Falls Selbst Weiter Unmittelbar Hinzu Bislang
    Tatsächlich Zusammen Seiner Seinen Momentan Erstmals Möglicherweise Allein Dagegen Weltweit Gerade
    Gegenwärtig Weder Zwischen Entsprechend Aktuell Zurzeit Darin Mittlerweile Schon Vermutlich Statt
    Infolge Daraus Grundsätzlich Meine Manche Je Fast Wahrscheinlich Davon Angeblich Ins Andernfalls
    Ist Sind War Waren Wird Werden Wurde Wurden Hat Haben Hatte Hatten Kann Können Gibt Gab Bleibt
    Dabei Dazu Erneut Ferner Freilich Immerhin Jedenfalls Laut Letztlich Natürlich Nämlich Sogar Sonst
"""
_EN_OPENERS = """
    The A An He She It They We I You His Her Its Their Our My This That These Those There Here Then
    But And Or So Yet For Nor In On At By With From After Before When While Since Although Though If As
    However Meanwhile Also Still Now Today Yesterday Last Earlier Later According Many Some Most All
    Both Each Every No None Other Another What Who Which Why How Where Such Despite During Under Over
    Because Instead Indeed Even Only Not Neither Nor Whether Once Until Unless Until Through Among
    Is Are Was Were Has Have Had Will Would Can Could Should May Might Must Do Does Did
"""
_DE_OPENER_WORDS = frozenset(_DE_OPENERS.split())
_EN_OPENER_WORDS = frozenset(_EN_OPENERS.split())

_SPEECH = """
    said says asked asks added adds told tells replied replies wrote writes explained shouted yelled
    insisted warned noted cried exclaimed wondered answered
    sagte sagt fragte fragt erklärte erklärt betonte betont meinte meint rief schrieb antwortete
"""
_SPEECH_VERBS = frozenset(_SPEECH.split())

_LANGUAGES = {
    "de": (
        _abbreviations(_DE_NEVER),
        _abbreviations(_DE_FINAL),
        _DE_OPENER_WORDS,
    ),
    "en": (
        _abbreviations(_EN_NEVER),
        _abbreviations(_EN_FINAL),
        _EN_OPENER_WORDS,
    ),
}
_ANY = (
    _LANGUAGES["de"][0] | _LANGUAGES["en"][0],
    _LANGUAGES["de"][1] | _LANGUAGES["en"][1],
    _DE_OPENER_WORDS | _EN_OPENER_WORDS,
)


def _language(language: str | None) -> str | None:
    code = (language or "").strip().lower()[:2]
    return code if code in _LANGUAGES else None


def split_sentences(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)`` into ``text``, trimmed, in order, never crossing a newline."""
    lang = _language(language)
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        for start, end in _split_line(line, lang):
            spans.append((offset + start, offset + end))
        offset += len(line) + 1
    return spans


def _split_line(line: str, lang: str | None) -> list[tuple[int, int]]:
    cuts = [0]
    size = len(line)
    for match in _CANDIDATE.finditer(line):
        start, end = match.span()
        if end >= size:
            break
        # cheap filters first: whitespace and no lowercase letter must follow ("Abb. zeigt"), or a
        # capitalised word glued to a lowercase one ("Dollar.Die")
        if line[end].isspace():
            if line[end + 1 : end + 2].islower():
                continue
        elif not _glued(line, start, end):
            continue
        if _is_boundary(line, start, end, lang):
            cuts.append(end)
    cuts.append(size)
    spans = []
    for start, end in itertools.pairwise(cuts):
        piece = line[start:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
    return spans


def _glued(line: str, start: int, end: int) -> bool:
    return line[start - 1 : start].islower() and line[end].isupper() and line[end + 1 : end + 2].islower()


def _is_boundary(line: str, start: int, end: int, lang: str | None) -> bool:
    """Whether the candidate ``line[start:end]`` (final punctuation and closers) ends a sentence."""
    following = _NEXT_TOKEN.match(line, end)
    if following is None:
        return True  # only whitespace follows
    next_token = following.group(1)
    next_word = next_token.lstrip(_OPENERS)
    if next_word[:1].islower():
        return False  # "…?“ fragte er", "Abb. zeigt", "u. a. die"

    run = line[start:end]
    punct = run.rstrip(_CLOSERS)
    closers = run[len(punct) :]
    quoted = bool(closers) and any(c in _QUOTES for c in closers)  # ".“", "?\""
    window = line[max(0, start - _WINDOW) : start]
    tokens = window.rsplit(None, 2) if window[-1:] and not window[-1].isspace() else []
    token = tokens[-1] if tokens else ""
    if not line[end].isspace() and not _glued_ends(punct, token, next_token):
        return False  # no space after the period: "Dollar.Die" ends a sentence, "max.Muster@x.de" not

    if "…" in punct or punct.count(".") > 1:  # an ellipsis; "(...)" and "[…]" mark an omission
        if line[start - 1 : start] in ("(", "[") and closers[:1] in (")", "]"):
            return False
        return _opens(next_token, lang) or next_word[:1].isdigit()
    if "." not in punct:  # ! ? ?! and the like
        return not (quoted and _is_attribution(line[end : end + _WINDOW]))

    # a single period
    if quoted or not token:
        return True  # ".“": a quoted sentence ended; " ." after a space
    core = _LEADING.sub("", token)
    if not core or core[-1] in _CLOSERS:
        return True  # "(Ohio)." / "gut“."
    never, final, _ = _LANGUAGES[lang] if lang else _ANY
    if next_word[:1].isdigit():  # "Nr. 5", "Aug. 2017", "Hauptstr. 5", but "… 2004. 2005 zog er"
        abbreviated = core in never or core in final or core in _NUMBER_ABBREVIATIONS
        return not (abbreviated or core.endswith("str"))
    if core in never:
        return False
    if core in final or _LETTER_DOTS.fullmatch(core):
        return _opens(next_token, lang)
    previous = tokens[-2] if len(tokens) > 1 else ""
    if len(core) == 1 and core.isalpha():
        # an initial ("George W. Bush") or the last part of "z. B." / "d. h."
        if core.islower() or (len(previous) == 2 and previous[1] == "." and previous[0].isalpha()):
            return False
        return _opens(next_token, lang)
    if core.isdigit():
        if previous.rstrip(".") in _CARDINAL_CONTEXT:
            return True  # "auf Platz 2. Trainer Meier …": a number after "Platz" is a cardinal
        before = start - len(token)
        first = before <= _WINDOW and not line[:before].strip()
        return _number_ends(core, next_token, lang, first=first)
    if lang != "en" and (_ROMAN.fullmatch(core) or _DAY_MONTH.fullmatch(core)):
        return _opens(next_token, lang)  # "Ludwig XIV. Der", "am 20.06. Die"
    return True  # a word, a cardinal ("2.800", "8,3"), a URL


def _next_word(next_token: str) -> str:
    word = _WORD.match(next_token.lstrip(_OPENERS))
    return word.group() if word else ""


def _opens(next_token: str, lang: str | None) -> bool:
    """Whether the next token typically starts a sentence: an opening quote or a word like "Der"."""
    openers = _LANGUAGES[lang][2] if lang else _ANY[2]
    return next_token[0] in _QUOTES or _next_word(next_token) in openers


def _glued_ends(punct: str, token: str, next_token: str) -> bool:
    """A boundary without a space ("Dollar.Die") only after a lowercase word, never inside a URL."""
    if len(punct) > 1 or not token[-2:].isalpha() or not token[-1].islower():
        return False
    return not any(c in token or c in next_token for c in "@/:") and "www" not in token.lower()


def _number_ends(digits: str, next_token: str, lang: str | None, *, first: bool) -> bool:
    """A period after a plain number: a German ordinal or date ("am 20. Juni") or a sentence end."""
    if first and len(digits) <= 3:
        return False  # "1. Der erste Punkt" at the start of a line
    if lang == "en":
        return True
    if _next_word(next_token) in _MONTHS:
        return False
    if len(digits) >= 4:
        return True  # "im Jahr 2017. Das war"
    return _opens(next_token, lang)  # "im 20. Jahrhundert", "Platz 2. Der Sieger"


def _is_attribution(following: str) -> bool:
    """``"Why?" Smith asked.``: a short clause with a speech verb closes the quote's sentence."""
    clause = re.split(r"[.!?…]", following, maxsplit=1)
    if len(clause) < 2:
        return False
    words = clause[0].split()
    return 0 < len(words) <= 4 and any(w.strip(",").lower() in _SPEECH_VERBS for w in words)


class RuleSentencizer:
    """Sets ``Analysis.sentences`` with ``split_sentences``; ``paragraph`` counts non-blank lines."""

    name: ClassVar[str] = "sentences.rules.v1"
    requires: ClassVar[tuple[str, ...]] = ("article",)
    assigns: ClassVar[tuple[str, ...]] = ("sentences",)

    def __call__(self, analysis: Analysis) -> Analysis:
        text = analysis.article.text
        language = analysis.language or analysis.article.language
        sentences = []
        offset = 0
        paragraph = -1
        for line in text.split("\n"):
            if line.strip():
                paragraph += 1
                for start, end in _split_line(line, _language(language)):
                    s, e = offset + start, offset + end
                    sentences.append(Sentence(start=s, end=e, text=text[s:e], paragraph=paragraph))
            offset += len(line) + 1
        return dataclasses.replace(analysis, sentences=tuple(sentences))


@registry.register("sentences.rules.v1")
def _factory(settings: Settings) -> RuleSentencizer:
    return RuleSentencizer()
