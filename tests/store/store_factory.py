"""Placements and story states built by hand for the store tests (no pipeline, no models)."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

import numpy as np

from counterpoint.model import (
    Analysis,
    Article,
    Claim,
    Entity,
    Placement,
    Processed,
    Quote,
    Removed,
    Sentence,
    StoryState,
)

DIM = 8
PERM = 16


def unit_vector(seed: int, dim: int = DIM) -> np.ndarray:
    """A float32 unit vector that depends only on ``seed``."""
    v = np.random.default_rng(seed).normal(size=dim).astype(np.float32)
    return v / np.linalg.norm(v)


def signature(seed: int, perm: int = PERM) -> np.ndarray:
    """uint64 MinHash-like values, including some above 2**63 (the sign bit must survive)."""
    values = np.random.default_rng(seed).integers(0, 2**63, size=perm, dtype=np.uint64)
    values[0] |= np.uint64(1 << 63)
    return values


def article(aid: str, *, outlet: str | None = "Tagesschau", language: str = "de", text: str | None = None,
            title: str | None = None, published: str | None = "2024-06-20T10:00:00Z", **fields: Any) -> Article:
    """An article whose text holds "Olaf Scholz sagte, 12 Abkommen seien unterzeichnet worden." with every
    optional field set, including an offset map and a removed caption (``fields`` replace any of them)."""
    body = text or f"Olaf Scholz sagte, 12 Abkommen seien unterzeichnet worden. Artikel {aid}."
    caption = "Foto: dpa\n"
    return dataclasses.replace(Article(
        id=aid,
        text=body,
        title=title if title is not None else f"Titel {aid}",
        outlet=outlet,
        url=f"https://www.example.org/{aid}?utm_source=x",
        language=language,
        published=published,
        author="Anna Autor",
        retrieved="2024-06-21T08:00:00Z",
        source=f"crawl/{aid}.html",
        source_text=caption + body,
        offset_map=((0, len(caption), len(body)),),
        removed=(Removed(text="Foto: dpa", reason="credit", start=0, end=9),),
    ), **fields)


def analysis(art: Article) -> Analysis:
    """Two sentences, one entity, one quote and one claim, all spans inside ``art.text`` (which must hold
    "Olaf Scholz sagte, 12 Abkommen ...")."""
    text = art.text
    o = text.index("Olaf Scholz sagte, 12 Abkommen")
    stop = text.index(".", o) + 1
    return Analysis(
        article=art,
        language=art.language,
        sentences=(Sentence(o, stop, text[o:stop], 0), Sentence(stop + 1, len(text), text[stop + 1:], 1)),
        entities=(Entity(o, o + 11, text[o:o + 11], "PER", entity="e1", canonical="Olaf Scholz", metonymy=True),),
        quotes=(Quote(o + 19, stop - 1, text[o + 19:stop - 1], "indirect", speaker_start=o, speaker_end=o + 11,
                      speaker_text="Olaf Scholz", speaker_entity="e1", speaker_name="Olaf Scholz", cue_start=o + 12,
                      cue_end=o + 17, cue_text="sagte"),),
        claims=(Claim(o + 19, o + 30, text[o + 19:o + 30], "count", value=12.0, low=12.0, high=None,
                      qualifier="at_least", counted="Abkommen", predicate="unterzeichnen", sentence=0),),
        components=("sentences.rules.v1", "entities.crf.v1"),
    )


def placement(aid: str, *, story: str | None = "s1", duplicate_of: str | None = None, time: str | None = None,
              content_hash: str | None = None, canonical_url: str | None = None, seed: int | None = None,
              **article_fields: object) -> Placement:
    """A placement of a hand-made article (``article_fields`` go to ``article``)."""
    art = article(aid, **article_fields)  # type: ignore[arg-type]
    n = seed if seed is not None else int(hashlib.sha1(aid.encode()).hexdigest()[:8], 16)
    processed = Processed(
        analysis=analysis(art),
        content_hash=content_hash or hashlib.sha1(art.text.encode()).hexdigest(),
        canonical_url=canonical_url if canonical_url is not None else f"https://example.org/{aid}",
        clustered=story is not None,
        time=time or art.published or "2024-06-20T10:00:00Z",
        vector=unit_vector(n) if story is not None else None,
        signature=signature(n),
    )
    return Placement(processed=processed, duplicate_of=duplicate_of, story=story)


def state(sid: str, *, first: str = "2024-06-20T10:00:00Z", last: str = "2024-06-20T10:00:00Z", size: int = 1,
          linked_to: str | None = None, seed: int = 0) -> StoryState:
    """A story state with a unit centroid."""
    return StoryState(id=sid, centroid=unit_vector(seed), size=size, first=first, last=last, linked_to=linked_to)


def changed(p: Placement, **processed_fields: Any) -> Placement:
    """``p`` with some fields of its ``Processed`` replaced."""
    return dataclasses.replace(p, processed=dataclasses.replace(p.processed, **processed_fields))
