"""Across articles: pure functions from the analyses of one story to a ``Comparison``."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import CompareError
from ..model import Analysis, Comparison
from ..settings import Settings
from .align import align

__all__ = ["compare_analyses"]


def compare_analyses(
    analyses: Sequence[Analysis], settings: Settings, dropped: Sequence[dict[str, str]] = ()
) -> Comparison:
    if len(analyses) < 2:
        raise CompareError(f"need at least two usable articles to compare, got {len(analyses)}")
    ids = [a.article.id for a in analyses]
    if len(set(ids)) != len(ids):
        raise CompareError(f"article ids must be unique, got {ids}")
    statements, links = align(
        analyses, z_min=settings.align_z, z_extra=settings.align_z_extra, min_chars=settings.min_sentence_chars,
        lexical_weight=settings.align_lexical,
    )
    return Comparison(
        articles=tuple(a.article for a in analyses),
        statements=tuple(statements),
        links=tuple(links),
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
