"""Across articles: pure functions from the analyses of one story to a ``Comparison``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from ..analyze.embed import make_embedder
from ..errors import CompareError
from ..model import Analysis, Comparison, Conflict
from ..settings import Settings
from .align import align
from .conflicts import find_conflicts, place_conflicts, speaker_conflicts
from .facts import digest, fact_table, omissions
from .framing import distinctive_words, marker_density, stance_markers
from .labels import label_pairs
from .quotes import quote_matches
from .tone import actor_tone
from .voices import voices

__all__ = ["compare_analyses"]


def _framing(analyses: Sequence[Analysis], statements: Sequence[Any], settings: Settings) -> dict[str, Any]:
    ids = [a.article.id for a in analyses]
    texts = [a.article.text for a in analyses]
    return {
        "distinctive": {
            aid: [{"word": d.word, "z": round(d.z, 2), "count": d.count} for d in found]
            for aid, found in zip(ids, distinctive_words(texts), strict=True)
        },
        "markers": {
            aid: {"per_1000_words": marker_density(text), "hits": [asdict(h) for h in stance_markers(text)]}
            for aid, text in zip(ids, texts, strict=True)
        },
        "labels": [
            {
                "id": lp.id,
                "referent": lp.referent,
                "statement": lp.statement,
                "a": dict(zip(("article", "start", "end", "text"), lp.a, strict=True)),
                "b": dict(zip(("article", "start", "end", "text"), lp.b, strict=True)),
            }
            for lp in label_pairs(analyses, statements, make_embedder(settings))
        ],
        "tone": actor_tone(analyses),
    }


def _conflicted_facts(conflicts: Sequence[Conflict], facts: Sequence[Any]) -> set[str]:
    spans = {(c.a.article, c.a.start) for c in conflicts} | {(c.b.article, c.b.start) for c in conflicts}
    return {
        f.id
        for f in facts
        if any(m.start <= start < m.end for m in f.mentions for (aid, start) in spans if aid == m.article)
    }


def compare_analyses(
    analyses: Sequence[Analysis], settings: Settings, dropped: Sequence[dict[str, str]] = ()
) -> Comparison:
    if len(analyses) < 2:
        raise CompareError(f"need at least two usable articles to compare, got {len(analyses)}")
    ids = [a.article.id for a in analyses]
    if len(set(ids)) != len(ids):
        raise CompareError(f"article ids must be unique, got {ids}")
    statements, links = align(
        analyses,
        z_min=settings.align_z,
        z_extra=settings.align_z_extra,
        min_chars=settings.min_sentence_chars,
        lexical_weight=settings.align_lexical,
    )
    articles = [a.article for a in analyses]
    facts = fact_table(statements, articles)
    matches = quote_matches(analyses, statements)
    conflicts = find_conflicts(analyses, statements)
    conflicts += place_conflicts(analyses, statements, len(conflicts) + 1)
    conflicts += speaker_conflicts(analyses, matches, len(conflicts) + 1)
    disputed = _conflicted_facts(conflicts, facts)
    return Comparison(
        articles=tuple(articles),
        statements=tuple(statements),
        links=tuple(links),
        entities={a.article.id: a.entities for a in analyses},
        quotes={a.article.id: a.quotes for a in analyses},
        claims={a.article.id: a.claims for a in analyses},
        facts=tuple(facts),
        omissions=omissions(facts, articles),
        digest=tuple(f.id for f in digest([f for f in facts if f.id not in disputed])),
        conflicts=tuple(conflicts),
        quote_matches=tuple(matches),
        voices=tuple(voices(a) for a in analyses),
        framing=_framing(analyses, statements, settings),
        dropped=tuple(dropped),
        pipeline={
            "components": list(analyses[0].components),
            "embedder": settings.embedder,
            "align_z": settings.align_z,
            "align_z_extra": settings.align_z_extra,
            "align_lexical": settings.align_lexical,
            "min_sentence_chars": settings.min_sentence_chars,
        },
    )
