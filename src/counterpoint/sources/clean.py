"""Separate article body from what is not body: captions, credits, headings, pull quotes, page furniture.

``clean_text`` takes text with one paragraph per line (what the text, HTML and record readers produce)
and returns the body paragraphs joined by single newlines, every dropped piece as a ``Removed`` with its
reason and offsets, and an offset map back to the input. It is a pure function; the rules describe how
news pages look in general (German and English), never one outlet.

Decisions, in order, for each non-empty line:

1. furniture: page chrome that extraction lets through ("Loading", "Teilen", "Anzeige", cookie banners,
   newsletter boxes, "Lesen Sie auch: ...", "Bild 1 von 5", bylines, date stamps, separators);
2. credit / caption: photo credits ("Foto: dpa", "[AP Photo/...]", "REUTERS/Name", "© ...") and the
   captions they end; a caption without credit is a one-sentence line that ends in a full date;
3. pull-quote: a short quoted or quote-plus-attribution line most of whose content words occur in one
   longer paragraph;
4. title / heading: a short line without sentence-final punctuation. The first one before any body
   paragraph is the title (or the line that equals the known title).

A line that ends like a sentence (. ! ? … or a closing quote after them) or is long is body unless a
specific rule in 1-3 matched it; nothing is removed for being merely unusual.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from ..model import Removed

__all__ = ["Cleaned", "clean_text"]


@dataclass(frozen=True)
class Cleaned:
    """The result of ``clean_text``; every offset points into ``source``."""

    text: str
    removed: tuple[Removed, ...]
    # (clean_start, source_start, length): each run of kept text, in order
    offset_map: tuple[tuple[int, int, int], ...]
    title: str | None
    source: str  # the input with line endings normalised to "\n" (store it as Article.source_text)


# --- character level ---------------------------------------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# invisible characters dropped from the text (soft hyphen, zero-width space, word joiner, BOM, controls)
_DROP = frozenset("\u00ad\u200b\u2060\ufeff") | frozenset(chr(c) for c in [*range(0, 9), *range(14, 32), 127])
_DROP_CLASS = "[" + re.escape("".join(sorted(_DROP))) + "]"
_DROP_RE = re.compile(_DROP_CLASS)
# white space other than one plain space, and invisible characters: what the text does not keep as is
_GAP = re.compile(rf"(?:\s|{_DROP_CLASS}){{2,}}|[^\S ]|{_DROP_CLASS}")
_OPEN_QUOTES = "\"'„“‚‘«»‹›”’"
_CLOSERS = "\"'”“’‘»«›‹)]"
_SENTENCE_END = ".!?…"
_NOT_HEADING_END = _SENTENCE_END + ":;,"

# --- furniture ---------------------------------------------------------------------------------------

_FURNITURE_TEXT = """
loading; wird geladen; lädt; inhalt wird geladen; bitte warten; please wait
share; teilen; share this; share this article; share article; artikel teilen; diesen artikel teilen;
beitrag teilen; seite teilen; share this story; share on facebook; share on twitter; auf facebook teilen;
anzeige; advertisement; werbung; sponsored; gesponsert; ad; ads; promotion; paid content
skip to content; skip to main content; skip navigation; zum inhalt springen; zum inhalt; zum hauptinhalt;
direkt zum inhalt; zur navigation; navigation; menu; menü; hauptmenü; suche; search; close; schließen;
read more; mehr lesen; weiterlesen; hier weiterlesen; mehr; more; lesen sie auch; lesen sie mehr;
lesen sie hier; mehr zum thema; mehr dazu; auch interessant; das könnte sie auch interessieren;
das könnte sie interessieren; you may also like; you might also like; related; related articles;
related stories; related content; related topics; more on this story; more from; most read; most popular;
meistgelesen; meistgelesene artikel; top stories; top-themen; topthemen; empfehlungen; recommended;
video; videos; audio; podcast; galerie; bildergalerie; fotostrecke; gallery; photo gallery; play;
play video; video abspielen; watch; watch video; watch now; jetzt ansehen; listen; artikel anhören;
jetzt anhören; listen to this article; audio abspielen; drucken; print; copy link; link kopieren;
link copied; link kopiert; e-mail; email; facebook; twitter; whatsapp; linkedin; kommentare; comments;
kommentieren; comment; zur startseite; startseite; home; homepage; newsletter; subscribe; abonnieren;
jetzt abonnieren; abo; anmelden; log in; login; sign in; sign up; registrieren; zurück; back; weiter;
next; previous; vorheriger artikel; nächster artikel; next article; previous article; nach oben;
back to top; top; merken; gemerkt; save; saved; bookmark; zur merkliste; feedback; follow; folgen;
follow us; folgen sie uns; mehr artikel; more articles; mehr nachrichten; alle artikel; themen; topics;
tags; schlagworte; zum thema; accept; accept all; alle akzeptieren; akzeptieren; zustimmen; ablehnen;
reject all; alle ablehnen; einstellungen; settings; cookie settings; cookie-einstellungen;
privacy settings; datenschutzeinstellungen; datenschutz; datenschutzerklärung; impressum; kontakt;
contact; contact us; privacy policy; terms of use; terms of service; nutzungsbedingungen; agb; show more;
mehr anzeigen; alle anzeigen; see all; view all; see more; updated; aktualisiert; live; live-ticker;
liveblog; breaking; breaking news; eilmeldung; exklusiv; exclusive; opinion; meinung; kommentar;
analyse; analysis; interview; hintergrund; faktencheck; fact check; plus; premium; abo-inhalt;
s+; f+; z+; sz plus; welt+; exklusiv für abonnenten; subscriber only; for subscribers
"""
_FURNITURE_LINES = frozenset(line.strip() for line in _FURNITURE_TEXT.replace("\n", ";").split(";")) - {""}

_SOCIAL_TEXT = ("facebook twitter x whatsapp e-mail email mail linkedin reddit pinterest telegram xing "
                "flipboard messenger threads bluesky mastodon instagram tiktok youtube copy link kopieren "
                "teilen share print drucken pocket sms feed rss")
_SOCIAL_WORDS = frozenset(_SOCIAL_TEXT.split())

# a link to another article: "Lesen Sie auch: ...", "Read more: ..."
_TEASER_PREFIX = re.compile(
    r"^(?:lesen sie (?:auch|mehr|hier|dazu)|mehr (?:zum thema|dazu|zu diesem thema|lesen)|auch interessant|"
    r"siehe auch|das könnte sie (?:auch )?interessieren|read (?:more|also|next)|see also|"
    r"related(?: article| story)?|more on this(?: story)?|more from|weiterlesen|zum thema|hier weiterlesen|"
    r"recommended|empfohlen)\s*[:|»›>–—]", re.IGNORECASE)
# a label line: "Video: ...", "Themen: ...", "Quelle: dpa" (not when the line ends like a sentence)
_LABEL_PREFIX = re.compile(
    r"^(?:watch|video|videos|audio|listen|podcast|galerie|bildergalerie|fotostrecke|gallery|themen|tags|"
    r"schlagw[öo]rter|topics|mehr zu|more about|quelle|quellen|source|sources|anzeige|advertisement|werbung|"
    r"sponsored)\s*[:|»›>–—]", re.IGNORECASE)

_PAYWALL = re.compile(
    r"^(?:already a subscriber|bereits abonnent|sie sind bereits abonnent|jetzt (?:abonnieren|weiterlesen|"
    r"testen|registrieren|kostenlos)|subscribe (?:now|to|for)|sign up (?:now|for|to)|"
    r"melden sie sich (?:an|hier)|registrieren sie sich|weiterlesen mit|continue reading|"
    r"unlock (?:this|the) article|this article is for subscribers|dieser artikel ist (?:nur )?für abonnenten|"
    r"mit \w+\+? weiterlesen|you have \d+ free articles?|sie haben \d+ (?:kostenlose|freie) artikel)",
    re.IGNORECASE)

_COUNTER = re.compile(
    r"^(?:(?:bild|bilder|foto|fotos|image|images|photo|photos|slide|video|seite|page)\s*)?\d+\s*(?:von|of|/)\s*\d+$",
    re.IGNORECASE)
_READING_TIME = re.compile(
    r"^(?:(?:lesezeit|reading time|lesedauer)\s*:?\s*)?(?:ca\.\s*|etwa\s*|about\s*)?\d+(?:\s*-\s*\d+)?\s*"
    r"(?:min\.?|minuten|minutes?|mins?)\.?\s*(?:lesezeit|lesedauer|read|reading time|zum lesen|to read)?$",
    re.IGNORECASE)
_COOKIE = re.compile(r"\bcookies?\b|\btracking\b", re.IGNORECASE)
_CONSENT = re.compile(
    r"\b(?:akzeptier\w*|accept\w*|zustimm\w*|stimmen sie|einwillig\w*|consent\w*|agree\w*|einverstanden|"
    r"ablehnen|reject\w*|opt[- ]out|einstellungen|settings|preferences|präferenzen|verwende[nt]|we use|"
    r"wir nutzen|wir setzen|datenschutzerklärung|privacy policy|partner\w*)\b", re.IGNORECASE)
_READER = re.compile(r"\b(?:Sie|Ihnen|Ihre[mnrs]?|Ihr|you|your|You|Your|du|dein\w*|Du|Dein\w*)\b")
_NEWSLETTER = re.compile(r"\bnewsletter\w*\b", re.IGNORECASE)
_SIGNUP = re.compile(
    r"\b(?:abonn\w*|subscrib\w*|sign[- ]up|anmeld\w*|melden|registrier\w*|inbox|postfach|e-?mail\w*|"
    r"kostenlos\w*|free|bestellen|erhalten|get)\b", re.IGNORECASE)
_RIGHTS = re.compile(r"all rights reserved|alle rechte vorbehalten|rechte vorbehalten", re.IGNORECASE)

_WEEKDAYS = ("montag dienstag mittwoch donnerstag freitag samstag sonntag monday tuesday wednesday thursday "
             "friday saturday sunday mo di mi do fr sa so mon tue tues wed thu thur thurs fri sat sun")
_MONTHS_DE = "januar jänner februar märz april mai juni juli august september oktober november dezember"
_MONTHS_EN = "january february march april may june july august september october november december"
_MONTHS_ABBR = "jan feb febr mär mrz apr jun jul aug sep sept okt oct nov dez dec"
_MONTH_NAMES = {*_MONTHS_DE.split(), *_MONTHS_EN.split(), *_MONTHS_ABBR.split()}
_MONTH = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_DATE_WORDS = frozenset(
    [*_WEEKDAYS.split(), *_MONTH_NAMES, "uhr", "am", "um", "at", "on", "stand", "updated", "update",
     "aktualisiert", "veröffentlicht", "erschienen", "published", "posted", "last", "zuletzt", "erstellt",
     "created", "modified", "geändert", "mez", "mesz", "cet", "cest", "utc", "gmt", "et", "edt", "est", "bst",
     "pt", "pdt", "pst", "am", "pm", "a.m", "p.m", "ago", "vor", "stunden", "stunde", "minuten", "hours",
     "hour", "minutes", "min", "heute", "gestern", "today", "yesterday"])
_DATE_TOKEN = re.compile(r"\d{1,4}(?:[./:-]\d{1,4}){0,2}\.?|[ap]\.?m\.?", re.IGNORECASE)
_BYLINE = re.compile(
    r"^(?i:von|by|text|autor|autorin|author|written by|reporting by|berichtet von|ein (?:bericht|kommentar|"
    r"interview|gastbeitrag) von)\s*:?\s+"
    r"[A-ZÄÖÜ][\w'’.\-]+(?:\s+(?:[A-ZÄÖÜ][\w'’.\-]+|und|and|&|von|van|de|der|den|da|di|le|la|el|al|,)){0,8}"
    r"\s*(?:[,|/–—-]\s*[\w .,&'’-]{0,50})?$")

# --- credits and captions ----------------------------------------------------------------------------

_LABEL = (r"(?:fotos?|bild(?:er)?|bildquelle|photos?|photograph|photography|image|images|picture|pictures|"
          r"credits?|image source|image credit|photo credit|photo credits|illustration|grafik|graphic|"
          r"infografik|screenshot|archivbild|archivfoto|symbolbild|symbolfoto|titelbild|aufmacherbild)")
_AGENCY = (r"(?:AP|AFP|dpa|DPA|Reuters|REUTERS|EPA|EPA-EFE|EFE|Getty Images|Getty|picture[ -]alliance|"
           r"imago(?: images)?|IMAGO|Keystone|KEYSTONE|Shutterstock|iStock(?:photo)?|ddp(?: images)?|Xinhua|"
           r"XINHUA|Sputnik|SPUTNIK|Kremlin|TASS|Anadolu(?: Agency)?|Bloomberg|NurPhoto|SOPA Images|"
           r"ZUMA(?: Wire| Press)?|Pool|POOL|KNA|epd|Unsplash|Wikimedia(?: Commons)?|Ritzau Scanpix|"
           r"ANP|Belga|PA(?: Wire| Images)?|Alamy|UPI|Kyodo|Yonhap|VNA|Sipa|SIPA|Abaca|Hans Lucas|"
           r"Pixabay|Pexels)")
_NAME = r"[A-ZÄÖÜ][\w.'’\-]*"
_WHOLE_CREDIT = re.compile(
    rf"^[(\[]?\s*(?:{_AGENCY}\s+)?(?:{_LABEL}\s*:|(?:image|media|video|photo) (?:source|credit)s?\s*,|"
    rf"(?:photos?|fotos?|pictures?|images?)\s+by\s|©|copyright\s)[^\n]{{0,100}}$", re.IGNORECASE)
# (a cheap test of the tail, the pattern): most lines fail the test and skip the regex
_CREDIT_TAILS: list[tuple[Callable[[str], bool], re.Pattern[str]]] = [
    # a bracketed credit: "[AP Photo/Gavriil Grigorov, Sputnik]", "(Foto: dpa)", "(AFP/Getty Images)"
    (lambda tail: tail.rstrip(".").endswith((")", "]")),
     re.compile(rf"[(\[]\s*(?:(?:{_AGENCY}\s+)?{_LABEL}\s*(?::|/|\bby\b)|[^()\[\]]{{0,60}}?(?:{_AGENCY}\s*/|"
               rf"/\s*{_AGENCY}\b|\bvia {_AGENCY}\b|\bGetty Images\b|\bpicture[ -]alliance\b|©))"
               rf"[^()\[\]]{{0,80}}[)\]]\.?$", re.IGNORECASE)),
    # a labelled credit after a sentence or separator: "... in Hanoi. Foto: Kay Nietfeld/dpa"
    (lambda tail: ":" in tail,
     re.compile(rf"(?:(?<=[.!?…\"”“»«)\]])\s*|\s[|/–—-]\s*|\s\s+){_LABEL}\s*:\s*[^:\n]{{1,80}}$",
                re.IGNORECASE)),
    # "Name/Agency", "Name/Agency via Agency", "AGENCY/Name", "... via Getty Images", "picture alliance / dpa"
    (lambda tail: "/" in tail,
     re.compile(rf"(?:^|\s){_NAME}(?:\s+{_NAME}){{0,3}}\s*/\s*(?:{_NAME}\s*/\s*)*{_AGENCY}"
                rf"(?:\s+via\s+{_AGENCY})?\.?$")),
    (lambda tail: "/" in tail, re.compile(rf"(?:^|\s){_AGENCY}\s*/\s*{_NAME}(?:\s+{_NAME}){{0,3}}\.?$")),
    (lambda tail: "via " in tail, re.compile(rf"(?:^|\s)(?:{_NAME}\s+){{0,4}}via\s+{_AGENCY}\.?$")),
    (lambda tail: "getty" in tail.lower() or "alliance" in tail.lower(),
     re.compile(r"(?:^|\s)Getty Images\.?$|(?:^|\s)picture[ -]alliance\b[^.!?\n]{0,80}$", re.IGNORECASE)),
    (lambda tail: "©" in tail, re.compile(r"(?:^|\s)©[^©\n]{1,80}$")),
]
_CAPTION_PREFIX = re.compile(
    r"^(?:im bild|pictured|above|oben|top|von links|from left|v\.\s?l\.(?:\s?n\.\s?r\.)?|"
    r"(?:image|media|video|photo) caption)\s*[:,]", re.IGNORECASE)
_FULL_DATE = re.compile(
    rf"(?:\b\d{{1,2}}\.\s*(?:{_MONTH})\.?\s+\d{{4}}|\b\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{2,4}}|"
    rf"\b(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?:{_MONTH})\.?,?\s+\d{{4}}|\b\d{{4}}-\d{{2}}-\d{{2}})\s*[.)\]]?$", re.IGNORECASE)
# finite auxiliaries and copulas: a sentence with one reports an event ("The treaty was signed on June 20,
# 2024."); photo captions describe a scene without them ("Putin and Lam in Hanoi on June 20, 2024.")
_FINITE = re.compile(
    r"\b(?:was|were|is|are|has|have|had|will|would|could|should|can|may|might|must|been|did|does|do|"
    r"wurde|wurden|war|waren|ist|sind|hat|haben|hatte|hatten|wird|werden|sei|seien|soll|sollen|kann|können|"
    r"muss|müssen|will|wollen|wäre|wären|würde|würden)\b", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"\b(?:sagte|sagt|sagten|erklärte|erklärt|betonte|schrieb|teilte|berichtete|berichtet|hieß|heißt|"
    r"laut|zufolge|said|says|told|wrote|according|announced|reported|added)\b", re.IGNORECASE)

# --- sentences and words -----------------------------------------------------------------------------

_ABBREVIATION_TEXT = (
    "dr prof st nr bzw ca vgl mr mrs ms jr sr inc ltd co gen sen rep gov lt col no vs etc usw z.b u.a "
    "d.h u.s u.k e.g i.e abs art bd hrsg jh jhd mio mrd tsd u.s.a str ggf evtl inkl ex gegr bspw sog")
_ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())
_BOUNDARY = re.compile(r"[.!?…]+[\"'”“’»«)\]]*\s+(?=[\"'„“‚‘«»(\[]?[A-ZÄÖÜ0-9])")
_WORD = re.compile(r"[^\W\d_]+")
_STOPWORD_TEXT = """
der die das den dem des ein eine einer eines einem einen und oder aber auch als am an auf aus bei bis
da dann dass daß doch durch er es für fur hat hatte haben hatten ich ihr ihm ihn ihre im in ist ja
kann man mit nach nicht noch nur ob sein seine seiner sich sie sind so über um uns unter vom von vor
war waren was wie wir wird wurde wurden zu zum zur sei seien seit wenn wo weil sehr mehr beim dies
diese dieser dieses diesem diesen jedoch sowie soll sollte kein keine keinen keiner gegen ohne
the a an and or but of to in on at by for with from as is are was were be been being it its this that
these those he she they them his her their we our you your not no yes has have had do does did will
would can could should may might must than then there here which who whom whose what when where why how
also about after before into over under more most some such only own same other any each few
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass
class _Para:
    start: int  # source offsets of the stripped line
    end: int
    text: str
    reason: str | None = None
    cut: int | None = None  # body kept up to here; the rest is a credit tail
    flat: str = ""  # the text as rules see it (see _squash)

    def __post_init__(self) -> None:
        self.flat = _squash(self.text)


def clean_text(raw: str, *, title: str | None = None, headings: Collection[str] = ()) -> Cleaned:
    """Split ``raw`` (one paragraph per line) into body text and removed non-body pieces.

    ``title``: the article's title when known (HTML metadata, a record field); a line equal to it is
    removed as "title". Without it, the first heading-like line before any body line becomes the title.
    ``headings``: lines the markup marked as headings (<h2> ...); a short line equal to one is a heading
    even when it ends like a sentence ("Wie geht es weiter?").
    """
    source = _LINE_BREAKS.sub("\n", raw)
    paras = _paragraphs(source)

    for p in paras:
        p.reason = _furniture(p.flat)
        if p.reason is None:
            p.reason, p.cut = _credit(p)
    _mark_titles_and_headings(paras, title, {_squash(h).casefold() for h in headings})

    found_title = title.strip() if title and title.strip() else None
    if found_title is None:
        found_title = next((p.flat for p in paras if p.reason == "title"), None)
    return _assemble(source, paras, found_title)


# --- paragraphs ----------------------------------------------------------------------------------------

def _paragraphs(source: str) -> list[_Para]:
    paras = []
    pos = 0
    for line in source.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        while start < end and (source[start].isspace() or source[start] in _DROP):
            start += 1
        while end > start and (source[end - 1].isspace() or source[end - 1] in _DROP):
            end -= 1
        if start < end:
            paras.append(_Para(start, end, source[start:end]))
    return paras


def _squash(text: str) -> str:
    """The text without invisible characters, white space collapsed: what rules look at."""
    return " ".join(_DROP_RE.sub("", text).split())


def _strip_closers(text: str) -> str:
    return text.rstrip(_CLOSERS + " \t\u00a0")


def _is_heading_like(text: str) -> bool:
    """Short and without sentence-final punctuation (closing quotes and brackets looked through)."""
    words = text.split()
    if len(text) > 160 or len(words) > 25:
        return False
    if re.match(r"^(?:[-•*–·▪●◦]\s|\d{1,2}[.)]\s)", text):  # a list item is content
        return False
    stripped = _strip_closers(text)
    return bool(stripped) and stripped[-1] not in _NOT_HEADING_END


def _sentence_count(text: str) -> int:
    count = 1
    for m in _BOUNDARY.finditer(text):
        before = text[max(0, m.start() - 40):m.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if not last or last.isdigit() or len(last) == 1 or last in _ABBREVIATIONS:
            continue  # "20. Juni", "J. Smith", "Dr. Lam"
        count += 1
    return count


# --- rules ---------------------------------------------------------------------------------------------

def _furniture(flat: str) -> str | None:
    low = flat.lower()
    key = low.strip(" .…:|»›>–—-•*·").strip()
    if not re.search(r"[^\W_]", flat):  # "***", "—", "•": separators, no letters or digits
        return "furniture"
    if key in _FURNITURE_LINES or low in _FURNITURE_LINES:
        return "furniture"
    words = re.findall(r"[\w+-]+", low)
    if words and len(words) <= 12 and all(w in _SOCIAL_WORDS for w in words):
        return "furniture"
    if len(flat) <= 200 and (_TEASER_PREFIX.match(flat) or _PAYWALL.match(flat)):
        return "furniture"
    if len(flat) <= 200 and _LABEL_PREFIX.match(flat) and not _is_body_end(flat):
        return "furniture"
    if _COUNTER.match(key) or _READING_TIME.match(key):
        return "furniture"
    if len(flat) <= 80 and _is_date_stamp(low):
        return "furniture"
    if len(flat) <= 100 and _BYLINE.match(flat) and not re.search(r"\w{3,}[.!?]$", flat):
        return "furniture"  # "Von Anna Schmidt", "By Jane Doe and John Roe" (not "By Friday.")
    if len(flat) <= 800 and _COOKIE.search(flat) and _CONSENT.search(flat) and _READER.search(flat):
        return "furniture"
    if len(flat) <= 400 and _NEWSLETTER.search(flat) and _SIGNUP.search(flat) and _READER.search(flat):
        return "furniture"
    if len(flat) <= 200 and _RIGHTS.search(flat) and not _is_body_end(flat):
        return "furniture"
    if len(flat) <= 200 and re.match(r"^(?:©|\(c\)|copyright)", low) and _RIGHTS.search(flat):
        return "furniture"
    return None


def _is_body_end(text: str) -> bool:
    stripped = _strip_closers(text)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _is_date_stamp(low: str) -> bool:
    """A line that is only a date and/or time ("Donnerstag, 20. Juni 2024, 14:35 Uhr", "Updated 3:15 PM")."""
    tokens = re.findall(r"[^\s,|·•/()]+", low)
    if not tokens:
        return False
    has_date = False
    for tok in tokens:
        bare = tok.strip(".:;-–—")
        if not bare:
            continue
        if bare in _DATE_WORDS:
            has_date = has_date or bare in _MONTH_NAMES
            continue
        if _DATE_TOKEN.fullmatch(tok) or _DATE_TOKEN.fullmatch(bare):
            has_date = has_date or bool(re.search(r"\d[.:/-]\d|\d{4}", bare))
            continue
        if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)", bare):
            continue
        return False
    return has_date


def _credit(p: _Para) -> tuple[str | None, int | None]:
    """("credit" | "caption", None) for a whole line; ("credit", cut) for a credit tail of a body line."""
    flat = p.flat
    if len(flat) <= 120 and _WHOLE_CREDIT.match(flat) and (len(flat) <= 40 or not _is_body_end(flat)):
        return "credit", None
    if _CAPTION_PREFIX.match(flat):
        return "caption", None
    # credits are short tails: look at the last 200 characters only (from a word boundary)
    zone = 0
    if len(p.text) > 200:
        zone = p.text.find(" ", len(p.text) - 200)
        zone = zone if zone >= 0 else 0
    tail = p.text[zone:]
    for quick, pattern in _CREDIT_TAILS:
        if not quick(tail):
            continue
        m = pattern.search(p.text, zone)
        if not m:
            continue
        rest = p.text[:m.start()].rstrip()
        if not rest.strip(" |–—-/,:"):
            return "credit", None
        if len(rest) <= 300 and _sentence_count(rest) <= 2:
            return "caption", None
        return "credit", m.start() + (len(m.group()) - len(m.group().lstrip()))
    if (len(flat) <= 300 and len(flat.split()) >= 8 and _FULL_DATE.search(flat, max(0, len(flat) - 60))
            and _sentence_count(flat) == 1
            and not any(q in flat for q in "\"„“”«»") and not _ATTRIBUTION.search(flat)
            and not _FINITE.search(flat)):
        return "caption", None
    return None, None


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in _STOPWORDS]


def _stem(word: str) -> str:
    return word[:6] if len(word) > 6 else word


class _WordIndex:
    """Stemmed words of each candidate paragraph, and which paragraphs hold each stem."""

    def __init__(self, paras: list[_Para]) -> None:
        self.paras = paras
        self._where: dict[str, list[int]] | None = None  # built on first use: most texts never need it

    @property
    def where(self) -> dict[str, list[int]]:
        if self._where is None:
            self._where = {}
            for i, q in enumerate(self.paras):
                for stem in {_stem(w) for w in _WORD.findall(q.text.lower())}:
                    self._where.setdefault(stem, []).append(i)
        return self._where

    def best_overlap(self, p: _Para, words: set[str]) -> int:
        """The most of ``words`` found in one paragraph at least 1.5 times as long as ``p``."""
        counts: dict[int, int] = {}
        for stem in words:
            for i in self.where.get(stem, ()):
                counts[i] = counts.get(i, 0) + 1
        return max((n for i, n in counts.items()
                    if self.paras[i] is not p and len(self.paras[i].text) >= 1.5 * len(p.text)), default=0)


def _is_pull_quote(p: _Para, index: _WordIndex) -> bool:
    """A short quoted line (or quote plus attribution) whose content words mostly occur in one longer
    paragraph: the page repeats a sentence of the body in large type."""
    flat = p.flat
    if len(flat) > 250:
        return False
    quoted = flat[0] in _OPEN_QUOTES
    quote_plus_attribution = _is_heading_like(flat) and _sentence_count(flat) > 1
    if not (quoted or quote_plus_attribution) or _ATTRIBUTION.search(flat):
        return False  # "„...“, sagte Weidner." is reported speech in the body, not a pull quote
    # a line that ends like a sentence needs stronger evidence than a fragment with an attribution tail
    sentence = not _is_heading_like(flat)
    need_words, need_share = (6, 0.8) if sentence else (4, 0.7)
    words = {_stem(w) for w in _content_words(flat)}
    if len(words) < need_words:
        return False
    return index.best_overlap(p, words) >= need_share * len(words)


def _mark_titles_and_headings(paras: list[_Para], title: str | None, headings: set[str]) -> None:
    candidates = [p for p in paras if p.reason is None]
    index = _WordIndex(candidates)
    known = _squash(title).casefold() if title else None
    seen_body = False
    leading: list[_Para] = []  # heading-like lines before the first body line
    for p in candidates:
        if known is not None and p.flat.casefold() == known:
            p.reason = "title"
            continue
        if _is_pull_quote(p, index):
            p.reason = "pull-quote"
        elif _is_heading_like(p.text) or (len(p.text) <= 200 and p.flat.casefold() in headings):
            p.reason = "heading"
            if not seen_body:
                leading.append(p)
        else:
            seen_body = True
    if known is None and leading:
        first = next((p for p in leading if len(p.text.split()) >= 4), leading[0])
        first.reason = "title"


# --- assembly ------------------------------------------------------------------------------------------

def _assemble(source: str, paras: list[_Para], title: str | None) -> Cleaned:
    pieces: list[str] = []
    runs: list[list[int]] = []  # [clean_start, source_start, length]
    removed: list[Removed] = []
    size = 0

    def keep(src: int, n: int) -> None:
        nonlocal size
        if n <= 0:
            return
        if runs and runs[-1][1] + runs[-1][2] == src:
            runs[-1][2] += n
        else:
            runs.append([size, src, n])
        pieces.append(source[src:src + n])
        size += n

    previous_end: int | None = None
    for p in paras:
        if p.reason is not None and p.cut is None:
            removed.append(Removed(p.text, p.reason, p.start, p.end))
            continue
        end = p.end
        if p.cut is not None:
            tail_start = p.start + p.cut
            removed.append(Removed(source[tail_start:p.end], p.reason or "credit", tail_start, p.end))
            end = tail_start
            while end > p.start and (source[end - 1].isspace() or source[end - 1] in _DROP):
                end -= 1
        if previous_end is not None:
            keep(source.index("\n", previous_end), 1)  # one newline between paragraphs
        pos = p.start
        for gap in _GAP.finditer(source, p.start, end):
            keep(pos, gap.start() - pos)
            # a run of white space becomes one character (a space where there is one); invisible
            # characters alone ("Ab\u00adsatz") join what they separate
            spaces = [k for k in range(gap.start(), gap.end()) if source[k].isspace()]
            if spaces:
                keep(next((k for k in spaces if source[k] == " "), spaces[0]), 1)
            pos = gap.end()
        keep(pos, end - pos)
        previous_end = p.end
    text = "".join(pieces)
    offset_map = tuple((a, b, n) for a, b, n in runs)
    return Cleaned(text=text, removed=tuple(removed), offset_map=offset_map, title=title, source=source)
