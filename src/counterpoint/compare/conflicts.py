"""Claims that cannot all be true: numbers, and dates of the same event, across articles.

Two quantities conflict when they are comparable (same kind and unit, the same counted thing up to
synonyms; see ``analyze.claims.comparable``), both name the same predicate or one of a listed
group ("unterzeichnen", "bekanntgeben"), and their ranges do not overlap ("mindestens ein Dutzend" and
"zwölf" agree; "elf" conflicts with both; "about 10" and "11" do not).
Inside one shared statement (two sentences aligned as saying the same thing) the predicate need not be
named, and the counted thing may be unnamed when each sentence has just one number of that kind and
unit. Dates conflict only inside one shared statement, when each sentence carries exactly one date and
both are resolved to the day or year.
Claims of one article are never compared with each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations

from ..analyze.claims import comparable, consistent, same_predicate
from ..model import Analysis, Claim, Conflict, Evidence, Statement

_DATE_KINDS = {"date", "year"}
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
    statement_of = {(m.article, m.sentence): st.id for st in statements if st.status == "shared" for m in st.mentions}
    conflicts: list[Conflict] = []
    for a, b in combinations(analyses, 2):
        dates_a = Counter(c.sentence for c in a.claims if c.kind in _DATE_KINDS)
        dates_b = Counter(c.sentence for c in b.claims if c.kind in _DATE_KINDS)
        kinds_a = Counter((c.sentence, c.kind, c.unit) for c in a.claims)
        kinds_b = Counter((c.sentence, c.kind, c.unit) for c in b.claims)
        for ca in a.claims:
            for cb in b.claims:
                same = (
                    ca.sentence is not None
                    and cb.sentence is not None
                    and statement_of.get((a.article.id, ca.sentence)) is not None
                    and statement_of.get((a.article.id, ca.sentence)) == statement_of.get((b.article.id, cb.sentence))
                )
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
                    strict = comparable(ca, cb) and (same or same_predicate(ca, cb))
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
