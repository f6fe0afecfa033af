"""The same statement quoted by several outlets, in other words or another language.

Two quotations match when the sentences that carry them were aligned as one shared statement (so a
direct quotation in one outlet and reported speech in another still match). Each match names the
speaker every outlet gives and carries a word-level diff of the wording.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..model import Analysis, Evidence, Quote, QuoteMatch, Statement, WordOp
from .voices import speaker_name
from .wording import word_diff

MIN_WORDS = 4  # shorter quotations are labels or scare quotes ("freundschaftliche Beziehungen"), not statements


def _sentence_statement(statements: Sequence[Statement]) -> dict[tuple[str, int], Statement]:
    return {(m.article, m.sentence): st for st in statements for m in st.mentions}


def quote_matches(analyses: Sequence[Analysis], statements: Sequence[Statement]) -> list[QuoteMatch]:
    of_sentence = _sentence_statement(statements)
    groups: dict[str, dict[str, list[tuple[int, Quote]]]] = defaultdict(lambda: defaultdict(list))
    scores: dict[str, float] = {}
    for an in analyses:
        aid = an.article.id
        for q in an.quotes:
            if len(q.text.split()) < MIN_WORDS:
                continue
            for k, s in enumerate(an.sentences):
                if s.end <= q.start or s.start >= q.end:
                    continue
                st = of_sentence.get((aid, k))
                if st is None or st.status != "shared":
                    continue
                overlap = min(s.end, q.end) - max(s.start, q.start)
                groups[st.id][aid].append((overlap, q))
                scores[st.id] = st.score or 0.0
    matches: list[QuoteMatch] = []
    order = [an.article.id for an in analyses]
    for sid, per_article in groups.items():
        if len(per_article) < 2:
            continue
        chosen = [(aid, max(per_article[aid], key=lambda t: t[0])[1]) for aid in order if aid in per_article]
        a_text, b_text = chosen[0][1].text, chosen[1][1].text
        names = tuple(speaker_name(q) for _, q in chosen)
        known = [n for n in names if n]
        matches.append(
            QuoteMatch(
                id=f"q{len(matches) + 1}",
                speaker=known[0] if known else None,
                mentions=tuple(Evidence(aid, q.start, q.end, q.text) for aid, q in chosen),
                kinds=tuple(q.kind for _, q in chosen),
                speakers=names,
                diff=tuple(WordOp(op.op, op.a, op.b) for op in word_diff(a_text, b_text)),
                score=scores[sid],
            )
        )
    return matches
