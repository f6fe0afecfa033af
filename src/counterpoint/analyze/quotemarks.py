"""Quotation marks: which pairs of marks a text has, and which of them quote speech.

``find_quote_pairs`` pairs opening and closing marks in every common style („…“, "…", »…«, ‚…‘, '…', “…”),
nested up to ``MAX_DEPTH`` and never across more than ``MAX_QUOTE_CHARS``; a mark left open closes at the end
of its paragraph. The other functions tell speech from the other things quotation marks enclose: names and
titles ("im Film „Nackt unter Wölfen“", "der „iPod nano“", „con energy ag“), scare quotes („nur“), and labels
somebody used ("nannte dies einen „Militärputsch“"). The rules were written from errors on the training part
of the quotes-de data set (Wikinews; used for development only, nothing of it ships).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Quote
from .postags import word_tag

MAX_QUOTE_CHARS = 5000  # a pair of quote marks farther apart than this is not a quotation
MAX_DEPTH = 4  # quote marks nested deeper than this are ignored
ADJ_ENDINGS = ("e", "en", "er", "es", "em")

#: a direct quote of at most this many words with no speaker and no cue is not reported (``_bare_fragment``);
#: on the train split of quotes-de such fragments were quotes 9 times in 38
BARE_FRAGMENT_WORDS = 4

_WORDS = re.compile(r"\w+")


def is_cap(word: str) -> bool:
    return word[:1].isupper()


def is_word(word: str) -> bool:
    return word[:1].isalnum()


_OPEN_CLOSE = {"„": "“”\"", "‚": "‘’", "»": "«", "«": "»", "“": "”", "‘": "’", '"': '"', "'": "'", "‹": "›",
               "›": "‹"}
_MARKS = re.compile(r"[„‚»«“”‘’\"'‹›]")
OPENING_MARKS = frozenset("„‚»«“\"'")
MARK_CHARS = frozenset("„‚»«“”‘’\"'‹›")
_FUNCTION_WORDS = frozenset(
    "und der die das des den dem von vom für in im am an auf zu zur zum of the and for in on at de la".split()
)


def speechlike(text: str, start: int, end: int) -> bool:
    """Whether the quotation ``text[start:end]`` (with its marks) is speech, not a name or title."""
    words = _WORDS.findall(text, start, end)
    if len(words) == 1:  # one word: an evaluation somebody used („falsch“, „alarmierend“), not a name or term
        word = words[0]
        return word[:1].islower() and word.isalpha() and word.lower() not in _FUNCTION_WORDS
    if len(words) < 2:
        return False
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    # not a name or title: „Forte Village“, „Der Spiegel“, „HD 13189“
    return bool(content) and not (all(w[:1].isupper() or w[:1].isdigit() for w in content) and len(words) <= 6)


_LABEL_BEFORE = frozenset("als ein eine einen einer eines einem".split())


def is_label(text: str, start: int, end: int) -> bool:
    """A capitalised phrase quoted as what something is called, in a sentence with a speech verb: "nannte
    dies einen „Militärputsch“", "wies dies als „Unverschämtheit“ zurück", "sprach von einer „Gefahr für
    Leib und Leben“" (a name takes no indefinite article)."""
    words = _WORDS.findall(text, start, end)
    before = text[max(0, start - 12) : start].split()
    return 1 <= len(words) <= 8 and words[0][:1].isupper() and bool(before) and before[-1].lower() in _LABEL_BEFORE


_TITLE_BEFORE = frozenset("der die das dem den des im in vom von zum zur ins beim the of".split())


def is_quotation(text: str, start: int, end: int) -> bool:
    """A speech-like quotation that is not a title ("im Film „Nackt unter Wölfen“", "der „iPod nano“"), or
    the words after a noun for wording ("mit der Aufschrift „Kritik = Terror“")."""
    if _after_wording_noun(text, start):
        return True
    if not speechlike(text, start, end):
        return False
    inner = text[start + 1 : end - 1].strip()
    if not inner[:1].isupper() or inner[-1:] in ".!?…" or text[end : end + 1] == ",":
        return True
    before = text[max(0, start - 40) : start].rstrip()
    if before.endswith(":"):
        return True
    words = before.split()
    previous = words[-1] if words else ""
    after_noun = previous[:1].isupper() and previous[-1:].isalpha() and len(words) > 1 and words[-2][-1:] not in ".!?:"
    return not (previous.lower() in _TITLE_BEFORE or after_noun)


def _after_wording_noun(text: str, start: int) -> bool:
    previous = _WORDS.findall(text[max(0, start - 30) : start])
    return bool(previous) and previous[-1].lower() in _WORDING_NOUNS and text[start - 1 : start].isspace()


def is_full_sentence(text: str, start: int, end: int) -> bool:
    """A quotation that stands as a sentence of its own (not a fragment woven into one)."""
    inner = text[start + 1 : end - 1].strip()
    if not inner[:1].isupper() and not inner.startswith(("[", "(", "…", "...")):
        return False
    before = text[max(0, start - 3) : start].rstrip()
    if before and before[-1].isalnum():
        return False  # "eine wachsende „Kluft zwischen Arm und Reich“"
    return len(_WORDS.findall(inner)) >= 3


@dataclass(frozen=True)
class QuotePair:
    start: int  # the opening mark
    end: int  # just after the closing mark (or the paragraph's end when left open)


def _flanks(text: str, i: int) -> tuple[bool, bool]:
    """(may open, may close) for the mark at ``i``, from the characters either side."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = not after.isspace() and (before.isspace() or before in "([{-–—/:;„»«“‚‘\"'")
    closes = not before.isspace() and (after.isspace() or not after.isalnum())
    return opens, closes


def find_quote_pairs(text: str, start: int = 0, end: int | None = None) -> list[QuotePair]:
    """Pairs of quote marks in ``text[start:end]``, never crossing a newline; linear time."""
    end = len(text) if end is None else end
    pairs: list[QuotePair] = []
    stack: list[tuple[str, int]] = []
    line_end = text.find("\n", start, end)
    line_end = end if line_end < 0 else line_end
    for m in _MARKS.finditer(text, start, end):
        i = m.start()
        if i >= line_end:  # a new paragraph: marks left open close at the paragraph end if speech-like
            _close_open(text, stack, line_end, pairs)
            stack = []
            line_end = text.find("\n", i, end)
            line_end = end if line_end < 0 else line_end
        mark = m.group()
        opens, closes = _flanks(text, i)
        if mark in "'’" and text[i - 1 : i].isalnum() and text[i + 1 : i + 2].isalnum():
            continue  # an apostrophe: "Putin's", "geht's"
        closed = False
        if closes or not opens:
            for depth in range(len(stack) - 1, -1, -1):
                opener, at = stack[depth]
                if mark in _OPEN_CLOSE[opener] and i - at <= MAX_QUOTE_CHARS:
                    if i - at > 1:
                        pairs.append(QuotePair(at, i + 1))
                    del stack[depth:]
                    closed = True
                    break
        if closed:
            continue
        if opens and mark in _OPEN_CLOSE and mark != "’":
            if mark == "'" and text[i - 1 : i].isalnum():
                continue
            if len(stack) >= MAX_DEPTH:
                continue
            stack.append((mark, i))
    _close_open(text, stack, line_end, pairs)
    pairs.sort(key=lambda p: (p.start, -p.end))
    return pairs


def _close_open(text: str, stack: list[tuple[str, int]], line_end: int, pairs: list[QuotePair]) -> None:
    """A mark left open that starts a full sentence ("Im Laufe … ist.) quotes to the paragraph end."""
    if not stack:
        return
    _opener, at = stack[0]
    piece = text[at + 1 : line_end].rstrip()
    if (
        at + 1 < line_end
        and line_end - at <= MAX_QUOTE_CHARS
        and piece[:1].isupper()
        and piece[-1:] in ".!?…"
        and len(piece.split()) >= 4
        and (at == 0 or text[at - 1].isspace())
    ):
        pairs.append(QuotePair(at, at + 1 + len(piece)))


# ---- tokens --------------------------------------------------------------------------------------------


def quoted_fragments(text: str, quote: Quote) -> list[tuple[int, int]]:
    """The spans (with their marks) of the words a mixed quote quotes directly: the quotation marks inside
    it that hold speech, not a name or a title."""
    if quote.kind != "mixed":
        return []
    return [(p.start, p.end) for p in find_quote_pairs(text, quote.start, min(len(text), quote.end + 1))
            if (speechlike(text, p.start, p.end) or is_label(text, p.start, p.end))
            and not _named(text, p.start, p.end)]


def not_speech(text: str, quote: Quote, speakers: Sequence[tuple[int, int]]) -> bool:
    """Whether a found quotation is a title, a name or scare quotes after all, or part of a speaker."""
    if quote.kind == "direct" and _after_wording_noun(text, quote.start):
        return False  # "mit der Aufschrift „…“", "die Parole „…“", "die Feststellung „…“"
    if _bare_fragment(quote, text[quote.end : quote.end + 1] == ","):
        return True
    if quote.kind != "direct":
        return False
    return _named(text, quote.start, quote.end) or any(s <= quote.start and quote.end <= e for s, e in speakers)


# nouns that introduce a name or a title in quotation marks: "unter dem Motto „…“", "das Elektrofahrzeug „…“"
_NAMING_NOUNS = (
    "motto", "lied", "song", "album", "film", "buch", "roman", "titel", "operation", "aktion", "programm",
    "projekt", "firma", "unternehmen", "zeitung", "zeitschrift", "magazin", "magazines", "sendung", "serie",
    "clan", "clans", "stamm", "stamms", "stammes", "partei", "verein", "initiative", "bündnis", "auszeichnung",
    "preis", "preises", "prädikat", "enzyklika", "gesetz", "gesetzes", "standard", "modell", "marke", "schiff",
    "fahrzeug", "musical", "oper", "stück", "ausstellung", "thema", "themen", "bereich", "kategorie", "begriff",
    "namens", "genannt", "genannten", "sogenannte", "sogenannten", "bezeichnung", "website", "webseite", "portal",
    "plattform", "band", "gruppe", "slogan", "label", "kodename", "codename", "codenamen", "spitzname", "rubrik",
)
# nouns for written or shouted words that a quotation gives verbatim
_WORDING_NOUNS = frozenset(
    "aufschrift aufschriften parole parolen losung feststellung schriftzug sprechchören sprechchöre".split()
)
# a web address, a company or association by its legal form or acronym, a law by its title
_NAME_SHAPED = re.compile(
    r"^[\w-]+(?:\.[\w-]+)*\.(?:de|com|net|org|info|eu|at|ch|uk|fr|it|es|ru|tv)$"
    r"|\s(?:e\.\s?V\.|AG|ag|GmbH|gGmbH|KG|SE|Ltd\.?|Inc\.?|Corp\.?|LLC)(?:\s\([A-ZÄÖÜ]{2,}\))?$"
    r"|\s\([A-ZÄÖÜ][A-ZÄÖÜ\d-]+\)$"
    r"|^(?:Gesetz|Gesetzes|Verordnung)\s(?:über|zur|zum|für|des|der)\s"
)
_TRANSLATION = frozenset("deutsch dt englisch engl übersetzt wörtlich".split())


def _named(text: str, start: int, end: int) -> bool:
    """A quotation that names or labels something rather than reports words (tuned on the training part of
    quotes-de): a short phrase after a naming noun ("unter dem Motto „…“", "des Stammes „…“", "das
    Elektrofahrzeug „…“"); a translation in brackets after a quotation ("„Cast Lead“ („gegossenes Blei“)");
    a web address, a company or association by its legal form or acronym („con energy ag“, „… e.V. (NID)“), a
    law by its title („Gesetz zur Änderung des Passgesetzes“); one lower-case word used as an adverb („nur“,
    „möglicherweise“) or as an adjective before its noun ("der „drastischen“ Mehrwertsteuererhöhung"). After a
    naming noun, a phrase in lower case is speech when it is longer than three words ("bekam den Preis „for his
    analysis of …“") or reads as an adjective or a verb ("nannte die Aktion „kriminell und gemeingefährlich“")."""
    inner = text[start + 1 : end - 1].strip()
    words = _WORDS.findall(inner)
    if not words or inner[-1:] in ".!?…" or len(words) > 12:
        return False
    before = text[max(0, start - 40) : start]
    previous = _WORDS.findall(before)[-3:]
    bracket = before.rstrip()
    if bracket.endswith("(") or (bracket.rsplit("(", 1)[-1].strip().rstrip(".:").lower() in _TRANSLATION
                                 and "(" in bracket[-14:]):
        ahead = bracket.rsplit("(", 1)[0].rstrip()
        return bool(ahead) and ahead[-1] in MARK_CHARS
    if _NAME_SHAPED.search(inner):
        return True
    lower_name = len(words) <= 3 and not word_tag(words[0], "de").startswith(("ADJ", "V")) and not (
        {"und", "oder", "and", "or"} & set(words))  # „mindset“, „con energy ag“; not „kriminell und …“
    if previous and (inner[:1].isupper() or inner[:1].isdigit() or lower_name):
        last = previous[-1].lower()
        if last in _NAMING_NOUNS or (previous[-1][:1].isupper() and last.endswith(_NAMING_NOUNS) and len(last) > 6):
            return True
    if len(words) == 1 and inner[:1].islower():
        tag = word_tag(inner, "de")
        after = text[end : end + 30].split()
        if tag in ("ADV", "PTKNEG", "PTKA"):
            return True
        return inner.endswith(ADJ_ENDINGS) and tag.startswith("ADJ") and bool(after) and is_cap(after[0]) \
            and is_word(after[0])
    return False


def _bare_fragment(quote: Quote, followed_by_comma: bool) -> bool:
    """A quotation that is far more often a title, a name or scare quotes than something somebody said:
    a few words with neither a speaker nor a speech verb („heimlicher Regierungschef“, „iPod nano“), or
    words that start with a capital and end without a sentence mark or a comma after them, with no speech
    verb („Aktionsbündnis Nichtrauchen“, „Karol Wojtyla – Geheimnisse eines Papstes“)."""
    if quote.kind != "direct" or quote.cue_text is not None:
        return False
    if quote.speaker_text is None and len(quote.text.split()) <= BARE_FRAGMENT_WORDS:
        return True
    inner = quote.text.strip("".join(MARK_CHARS) + " ")
    return inner[:1].isupper() and inner[-1:] not in ".!?…)" and not followed_by_comma
