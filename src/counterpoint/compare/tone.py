"""Tone toward the story's main actors, per outlet.

The main actors are the people and organisations (and places standing for governments) that most
articles mention, matched across articles by name (``compare.entities.same_entity``). For each outlet,
every sentence that mentions an actor is scored for its tone toward that mention
(``analyze.tone.tone``, trained on GerNTSA); an outlet's tone toward the actor is positive or negative
when the balance of its mentions leans that way by at least ``lean``, else neutral.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..analyze.tone import tone
from ..model import Analysis, Entity
from .entities import same_entity


def _clusters(an: Analysis) -> dict[str, list[Entity]]:
    out: dict[str, list[Entity]] = {}
    for e in an.entities:
        if e.label in ("PER", "ORG") or e.metonymy:
            out.setdefault(e.entity or e.text, []).append(e)
    return out


MAX_CANDIDATES = 50  # entities per article considered for the story's main actors


def main_actors(analyses: Sequence[Analysis], *, top: int = 5) -> list[str]:
    """Canonical names of the actors most articles mention, most mentioned first."""
    groups: list[tuple[str, set[str], int]] = []  # (name, articles, mentions)
    for an in analyses:
        # an actor outside an article's most mentioned few dozen is not one of the story's main actors
        candidates = sorted(_clusters(an).values(), key=len, reverse=True)[:MAX_CANDIDATES]
        for mentions in candidates:
            name = mentions[0].canonical or mentions[0].text
            for k, (gname, arts, n) in enumerate(groups):
                if same_entity(gname, name):
                    groups[k] = (gname if len(gname) >= len(name) else name, arts | {an.article.id}, n + len(mentions))
                    break
            else:
                groups.append((name, {an.article.id}, len(mentions)))
    need = 2 if len(analyses) > 1 else 1
    ranked = sorted((g for g in groups if len(g[1]) >= need), key=lambda g: (-len(g[1]), -g[2], g[0]))
    return [g[0] for g in ranked[:top]]


LEAN = 0.2  # how far the balance of an actor's mentions must lean for a positive or negative tone


def lean_label(positive: int, negative: int, mentions: int, *, lean: float = LEAN) -> str:
    """positive, negative or neutral: where the balance (positive - negative) / mentions leans by ``lean``."""
    balance = (positive - negative) / mentions if mentions else 0.0
    return "positive" if balance >= lean else "negative" if balance <= -lean else "neutral"


def actor_tone(analyses: Sequence[Analysis], *, lean: float = LEAN) -> dict[str, list[dict[str, Any]]]:
    actors = main_actors(analyses)
    out: dict[str, list[dict[str, Any]]] = {}
    for an in analyses:
        rows = []
        clusters = _clusters(an)
        for actor in actors:
            mentions = [e for ms in clusters.values() for e in ms if same_entity(actor, ms[0].canonical or ms[0].text)]
            if not mentions:
                continue
            votes: Counter[str] = Counter()
            for e in mentions:
                sent = next((s for s in an.sentences if s.start <= e.start < s.end), None)
                if sent is None:
                    continue
                label, _confidence = tone(
                    sent.text, e.start - sent.start, min(e.end, sent.end) - sent.start, an.language
                )
                votes[label] += 1
            n = sum(votes.values())
            if not n:
                continue
            label = lean_label(votes["positive"], votes["negative"], n, lean=lean)
            rows.append(
                {
                    "actor": actor,
                    "label": label,
                    "mentions": n,
                    "positive": votes["positive"],
                    "neutral": votes["neutral"],
                    "negative": votes["negative"],
                }
            )
        out[an.article.id] = rows
    return out
