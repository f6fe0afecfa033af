"""Claims that cannot all be true: numbers, and dates of the same event, across articles.

Two quantities conflict when they are comparable (same kind and unit, the same counted thing up to
synonyms; see ``analyze.claims.comparable``), both name the same predicate or one of a listed
group ("unterzeichnen", "bekanntgeben"), and their ranges do not overlap ("mindestens ein Dutzend" and
"zwölf" agree; "elf" conflicts with both; "about 10" and "11" do not).
Inside one shared statement (two sentences aligned as saying the same thing) the predicate need not be
named, and the counted thing may be unnamed when each sentence has just one number of that kind and
unit. Dates conflict only inside one shared statement, when each sentence carries exactly one date and
both are resolved to the day or year.
Claims of one article are never compared with each other, and a counted thing that one article gives
more than ``MAX_SAME`` numbers for (a results table, a list of parts) names no single fact to contradict:
its claims are not compared by what they count.

Places conflict only inside one shared statement, when each sentence names exactly one place as where
something happened ("in the capital Dorvik" / "In der Hafenstadt Halvsted": a place after "in", "at",
"near", with at most an article and one word between) and the two are not one place: different
countries, or two places neither of which the place list knows and neither article names the other's
(a town never contradicts its own country, "in Hanoi" / "in Vietnam").

A matched quotation (``compare.quotes``: the same statement in several articles) conflicts when two
articles name different speakers for it, and only when each names a person or organisation that the
entity recogniser found and linked ("Havelund said" here, "sagte Vasko" there); a speaker given as a
description or a pronoun never counts, so an extraction gap does not read as a contradiction.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from itertools import combinations

from ..analyze.claims import comparable, consistent, same_predicate
from ..model import Analysis, Claim, Conflict, Entity, Evidence, QuoteMatch, Statement
from .entities import country_of, same_entity

_DATE_KINDS = {"date", "year"}
MAX_SAME = 3  # numbers one article may give for one counted thing and still be compared across the story
_LOCATIVE = re.compile(r"(?:^|\W)(?:in|im|at|near|nahe|bei|beim)\s+(?:(?:der|dem|den|des|the)\s+)?(?:[\w-]+\s+)?$",
                       re.IGNORECASE)
_ATTRIBUTION_GAP = 80  # characters between a quotation and its speaker's name for both to be the evidence
_DETERMINERS = {"beide", "beiden", "beides", "both"}  # "die beiden Länder": a reference, not a count


def _describe(c: Claim) -> str:
    what = " ".join(x for x in (c.counted, f"({c.predicate})" if c.predicate else None) if x)
    return f"“{c.text}”" + (f" {what}" if what else "")


def _evidence(an: Analysis, c: Claim) -> Evidence:
    s = an.sentences[c.sentence] if c.sentence is not None and c.sentence < len(an.sentences) else None
    return Evidence(an.article.id, c.start, c.end, c.text, s.start if s else None, s.end if s else None)


def _name(an: Analysis) -> str:
    return an.article.outlet or an.article.id


def find_conflicts(analyses: Sequence[Analysis], statements: Sequence[Statement]) -> list[Conflict]:
    statement_of: dict[tuple[str, int | None], str] = {
        (m.article, m.sentence): st.id for st in statements if st.status == "shared" for m in st.mentions}
    conflicts: list[Conflict] = []
    for a, b in combinations(analyses, 2):
        dates_a = Counter(c.sentence for c in a.claims if c.kind in _DATE_KINDS)
        dates_b = Counter(c.sentence for c in b.claims if c.kind in _DATE_KINDS)
        kinds_a = Counter((c.sentence, c.kind, c.unit) for c in a.claims)
        kinds_b = Counter((c.sentence, c.kind, c.unit) for c in b.claims)
        # a counted thing one article gives more than MAX_SAME numbers for is not compared by what it counts
        countable_a = {id(c) for c in _countable(a.claims)}
        countable_b = _countable(b.claims)
        countable_b_ids = {id(c) for c in countable_b}
        # b's claims by shared statement: claims that are not countable are compared only inside one
        in_statement: dict[str, list[Claim]] = {}
        for cb in b.claims:
            sid = statement_of.get((b.article.id, cb.sentence))
            if sid is not None:
                in_statement.setdefault(sid, []).append(cb)
        for ca in a.claims:
            sid = statement_of.get((a.article.id, ca.sentence))
            candidates = list(in_statement.get(sid, [])) if sid is not None else []
            if id(ca) in countable_a:
                seen = {id(cb) for cb in candidates}
                candidates += [cb for cb in countable_b if id(cb) not in seen]
            candidates.sort(key=lambda cb: (cb.start, cb.end))
            for cb in candidates:
                same = sid is not None and statement_of.get((b.article.id, cb.sentence)) == sid
                if ca.kind in _DATE_KINDS or cb.kind in _DATE_KINDS:
                    if not (
                        same
                        and ca.kind == cb.kind
                        and ca.date
                        and cb.date
                        and len(ca.date) == len(cb.date)
                        and dates_a[ca.sentence] == 1
                        and dates_b[cb.sentence] == 1
                        and ca.date != cb.date
                    ):
                        continue
                    kind, explanation = (
                        "date",
                        (f"{_name(a)} dates it {ca.date} ({_describe(ca)}), {_name(b)} {cb.date} ({_describe(cb)})"),
                    )
                else:
                    if _DETERMINERS & {ca.text.lower(), cb.text.lower()}:
                        continue
                    # inside a shared statement a claim whose counted thing is unnamed pairs up only when each
                    # sentence has one claim of that kind and unit (no guessing which number goes with which)
                    loose = (same and ca.kind == cb.kind and ca.unit == cb.unit and not (ca.counted and cb.counted)
                             and kinds_a[(ca.sentence, ca.kind, ca.unit)] == 1
                             and kinds_b[(cb.sentence, cb.kind, cb.unit)] == 1)
                    # outside one, both must name the same predicate (or one of a listed group)
                    strict = (comparable(ca, cb) and (same or same_predicate(ca, cb))
                              and id(ca) in countable_a and id(cb) in countable_b_ids)
                    if not (strict or loose) or consistent(ca, cb):
                        continue
                    kind, explanation = (
                        "number",
                        (f"{_name(a)} says {_describe(ca)}, {_name(b)} says {_describe(cb)}: they cannot both be true"),
                    )
                conflicts.append(
                    Conflict(
                        f"c{len(conflicts) + 1}",
                        kind,  # type: ignore[arg-type]
                        _evidence(a, ca),
                        _evidence(b, cb),
                        explanation,
                    )
                )
    return conflicts


def _countable(claims: Sequence[Claim]) -> list[Claim]:
    """The article's numbers (not dates) whose counted thing it gives at most ``MAX_SAME`` numbers for."""
    things = Counter((c.kind, c.unit, c.counted) for c in claims)
    return [c for c in claims if c.kind not in _DATE_KINDS and things[(c.kind, c.unit, c.counted)] <= MAX_SAME]


def _named_speaker(an: Analysis, ev: Evidence) -> tuple[Evidence, str] | None:
    """The canonical name of the person or organisation the article says spoke the quotation at ``ev``,
    and the evidence: the quotation with its attribution when that stands next to it ("…", Havelund said)."""
    quote = next((q for q in an.quotes if q.start == ev.start and q.end == ev.end), None)
    if quote is None or quote.speaker_entity is None:
        return None
    name = next((e.canonical or e.text for e in an.entities
                 if e.entity == quote.speaker_entity and e.kind == "name" and e.label in ("PER", "ORG")), None)
    if name is None:
        return None
    start, end = ev.start, ev.end
    if quote.speaker_start is not None and quote.speaker_end is not None and \
            max(quote.speaker_start - end, start - quote.speaker_end) <= _ATTRIBUTION_GAP:
        start, end = min(start, quote.speaker_start), max(end, quote.speaker_end)
    return dataclasses.replace(ev, start=start, end=end, text=an.article.text[start:end]), name


def speaker_conflicts(analyses: Sequence[Analysis], matches: Sequence[QuoteMatch], first: int = 1) -> list[Conflict]:
    """Matched quotations that two articles attribute to different named speakers."""
    by_id = {an.article.id: an for an in analyses}
    out: list[Conflict] = []
    for match in matches:
        named = [found for ev in match.mentions if ev.article in by_id
                 and (found := _named_speaker(by_id[ev.article], ev)) is not None]
        for (ea, na), (eb, nb) in combinations(named, 2):
            if same_entity(na, nb):
                continue
            a, b = by_id[ea.article], by_id[eb.article]
            out.append(Conflict(
                f"c{first + len(out)}", "speaker", ea, eb,
                f"{_name(a)} attributes the statement to {na}, {_name(b)} to {nb}: matched quotation {match.id}",
            ))
    return out


def _event_place(an: Analysis, sentence: int) -> Entity | None:
    """The sentence's one named place, when it is given as where something happened ("in der Hafenstadt
    Halvsted"); None when the sentence names no place or several ("Nach seinem Besuch in Nordkorea reiste
    er nach Vietnam": which one is the event's?)."""
    if sentence >= len(an.sentences):
        return None
    s = an.sentences[sentence]
    text = an.article.text
    # a place in the possessive names whose something is ("Sarnland's Prime Minister"), not where
    places = [e for e in an.entities if e.label == "LOC" and e.kind == "name" and s.start <= e.start < s.end
              and not text.startswith(("'s", "’s"), e.end)]
    if len({e.text for e in places}) != 1 or places[0].metonymy:
        return None
    place = places[0]
    return place if _LOCATIVE.search(text, max(s.start, place.start - 40), place.start) else None


def _different_places(a: Analysis, pa: Entity, b: Analysis, pb: Entity) -> bool:
    """Different countries; or two places the place list does not know, when neither article names the
    other's place anywhere (one that names both may hold one inside the other: a capital and its country)."""
    if same_entity(pa.text, pb.text):
        return False
    ca, cb = country_of(pa.text), country_of(pb.text)
    if ca and cb:
        return ca != cb
    if ca or cb:
        return False
    return not any(same_entity(e.text, pa.text) for e in b.entities if e.label == "LOC") and \
        not any(same_entity(e.text, pb.text) for e in a.entities if e.label == "LOC")


def place_conflicts(analyses: Sequence[Analysis], statements: Sequence[Statement], first: int = 1) -> list[Conflict]:
    """Two sentences of one shared statement that put it in different places."""
    by_id = {an.article.id: an for an in analyses}
    out: list[Conflict] = []
    for st in statements:
        if st.status != "shared":
            continue
        for ma, mb in combinations(st.mentions, 2):
            if ma.article == mb.article or ma.article not in by_id or mb.article not in by_id:
                continue
            a, b = by_id[ma.article], by_id[mb.article]
            pa, pb = _event_place(a, ma.sentence), _event_place(b, mb.sentence)
            if pa is None or pb is None or not _different_places(a, pa, b, pb):
                continue
            ea = Evidence(a.article.id, pa.start, pa.end, pa.text, ma.start, ma.end)
            eb = Evidence(b.article.id, pb.start, pb.end, pb.text, mb.start, mb.end)
            out.append(Conflict(f"c{first + len(out)}", "place", ea, eb,
                                f"{_name(a)} places it in {pa.text}, {_name(b)} in {pb.text}"))
    return out
