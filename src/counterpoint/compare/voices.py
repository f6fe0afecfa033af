"""Who each outlet lets speak: speakers, how often, how many words, where, and in what role.

A speaker's role is read from the words around their mentions in the article (appositions such as
"Nigel Gould-Davies, Wissenschaftlicher Mitarbeiter …", "ein in Singapur ansässiger Analyst",
"der australische Botschafter"): the role word closest to a mention wins. The share of sentences
that carry no attribution (no quotation, no reported speech) is the outlet's own voice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ..model import Analysis, Evidence, Quote, Voice, Voices

ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "analyst": (
        "analyst",
        "wissenschaftler",
        "wissenschaftlicher mitarbeiter",
        "forscher",
        "experte",
        "expertin",
        "professor",
        "professorin",
        "stipendiat",
        "fellow",
        "researcher",
        "expert",
        "scholar",
        "politologe",
        "politologin",
        "ökonom",
        "economist",
        "institut",
        "institute",
    ),
    "diplomat": (
        "botschafter",
        "botschafterin",
        "botschaft",
        "diplomat",
        "diplomatin",
        "ambassador",
        "embassy",
        "gesandte",
    ),
    "official": (
        "präsident",
        "präsidentin",
        "minister",
        "ministerin",
        "kanzler",
        "kanzlerin",
        "staatschef",
        "regierungschef",
        "bürgermeister",
        "bürgermeisterin",
        "generalsekretär",
        "sicherheitsberater",
        "staatssekretär",
        "premier",
        "regierung",
        "president",
        "prime minister",
        "mayor",
        "official",
        "secretary",
        "governor",
        "chancellor",
        "government",
        "behörde",
        "polizei",
        "police",
    ),
    "journalist": (
        "journalist",
        "journalistin",
        "reporter",
        "reporterin",
        "zeitung",
        "korrespondent",
        "redakteur",
        "nachrichtenagentur",
        "medien",
        "newspaper",
        "editor",
        "correspondent",
        "news agency",
        "media",
    ),
    "citizen": (
        "anwohner",
        "anwohnerin",
        "bürger",
        "bürgerin",
        "augenzeuge",
        "augenzeugin",
        "passant",
        "einwohner",
        "resident",
        "witness",
        "citizen",
        "local",
        "bewohner",
    ),
    "organisation": (
        "sprecher",
        "sprecherin",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "verband",
        "organisation",
        "organization",
        "gewerkschaft",
        "union",
        "unternehmen",
        "company",
        "konzern",
        "partei",
        "party",
        "group",
    ),
}
_ROLE_RE = re.compile(
    r"(?<!\w)("
    + "|".join(sorted((re.escape(w) for ws in ROLE_WORDS.values() for w in ws), key=len, reverse=True))
    + r")",
    re.IGNORECASE,
)
_ROLE_OF = {w: role for role, ws in ROLE_WORDS.items() for w in ws}
_WORD = re.compile(r"\w+")


def speaker_name(q: Quote) -> str | None:
    return q.speaker_name or q.speaker_text


def speaker_role(analysis: Analysis, name: str, spans: Sequence[tuple[int, int]]) -> str | None:
    """The role word closest to a mention of the speaker, in a window around it."""
    text = analysis.article.text
    best: tuple[int, str] | None = None
    for start, end in spans:
        lo, hi = max(0, start - 60), min(len(text), end + 140)
        for m in _ROLE_RE.finditer(text, lo, hi):
            distance = m.start() - end if m.start() >= end else start - m.end()
            distance = max(distance, 0)
            if best is None or distance < best[0]:
                best = (distance, _ROLE_OF[m.group(1).lower()])
    return best[1] if best else None


def _paragraph_of(analysis: Analysis, offset: int) -> int:
    return analysis.article.text.count("\n", 0, offset)


def voices(analysis: Analysis) -> Voices:
    text = analysis.article.text
    last_paragraph = text.count("\n")
    by_speaker: dict[str, list[Quote]] = defaultdict(list)
    for q in analysis.quotes:
        name = speaker_name(q)
        if name:
            by_speaker[name].append(q)
    result = []
    for name, quotes in by_speaker.items():
        entity_ids = {q.speaker_entity for q in quotes if q.speaker_entity}
        spans = [(e.start, e.end) for e in analysis.entities if e.entity in entity_ids]
        spans += [
            (q.speaker_start, q.speaker_end)
            for q in quotes
            if q.speaker_start is not None and q.speaker_end is not None
        ]
        paragraphs = {_paragraph_of(analysis, q.start) for q in quotes}
        result.append(
            Voice(
                speaker=name,
                role=speaker_role(analysis, name, spans),
                quotes=len(quotes),
                words=sum(len(_WORD.findall(q.text)) for q in quotes),
                first_paragraph=0 in paragraphs,
                last_paragraph=last_paragraph in paragraphs,
                evidence=tuple(Evidence(analysis.article.id, q.start, q.end, q.text) for q in quotes),
            )
        )
    result.sort(key=lambda v: (-v.quotes, -v.words, v.speaker))
    attributed = sum(
        1
        for s in analysis.sentences
        if any(q.start < s.end and s.start < q.end for q in analysis.quotes)
        or any(q.cue_start is not None and s.start <= q.cue_start < s.end for q in analysis.quotes)
    )
    return Voices(analysis.article.id, tuple(result), attributed, len(analysis.sentences))


def role_contrasts(all_voices: Sequence[Voices], *, at_least: int = 2) -> list[tuple[str, dict[str, list[str]]]]:
    """Roles that one article gives at least ``at_least`` speakers and another none: (the role in the
    plural, article -> the speakers of that role), in the order of ``ROLE_WORDS``. "[1] quotes 4 analysts,
    [2] none" is read off it."""
    out = []
    for role in ROLE_WORDS:
        speakers = {vs.article: [v.speaker for v in vs.voices if v.role == role] for vs in all_voices}
        counts = [len(s) for s in speakers.values()]
        if max(counts, default=0) >= at_least and min(counts, default=0) == 0:
            out.append((role + "s", speakers))
    return out
