"""A self-contained HTML report: shared statements on top, the articles side by side below, every
shared sentence highlighted in the colour of its statement and linked to its counterparts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import Article, Comparison

PALETTE = 12  # colours cycle through this many CSS classes


@dataclass(frozen=True)
class Piece:
    text: str
    start: int = 0
    statement: str | None = None  # statement id
    status: str | None = None  # shared | unique | None (not a statement: short or between sentences)
    colour: int = 0


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("counterpoint.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _paragraphs(article: Article, marks: dict[tuple[int, int], tuple[str, str, int]]) -> list[list[Piece]]:
    """Split the article text into paragraphs of pieces, marking each statement sentence."""
    spans = sorted((start, end, *mark) for (start, end), mark in marks.items())
    pieces: list[Piece] = []
    pos = 0
    for start, end, sid, status, colour in spans:
        if start > pos:
            pieces.append(Piece(article.text[pos:start]))
        pieces.append(Piece(article.text[start:end], start, sid, status, colour))
        pos = end
    if pos < len(article.text):
        pieces.append(Piece(article.text[pos:]))
    paragraphs: list[list[Piece]] = [[]]
    for piece in pieces:
        if piece.statement is not None:  # sentences never cross a paragraph break
            paragraphs[-1].append(piece)
            continue
        for k, chunk in enumerate(piece.text.split("\n")):
            if k:
                paragraphs.append([])
            if chunk:
                paragraphs[-1].append(Piece(chunk))
    return [p for p in paragraphs if any(x.text.strip() for x in p)]


def render_html(comparison: Comparison) -> str:
    arts = comparison.articles
    index = {a.id: i + 1 for i, a in enumerate(arts)}
    marks: dict[str, dict[tuple[int, int], tuple[str, str, int]]] = {a.id: {} for a in arts}
    shared = sorted(comparison.shared, key=lambda s: (-len(s.articles), -(s.score or 0)))
    colour = {st.id: k % PALETTE for k, st in enumerate(shared)}
    for st in comparison.statements:
        for m in st.mentions:
            marks[m.article][(m.start, m.end)] = (st.id, st.status, colour.get(st.id, 0))
    columns: list[dict[str, Any]] = []
    for a in arts:
        counts = Counter(st.status for st in comparison.statements if a.id in st.articles)
        columns.append({
            "article": a,
            "n": index[a.id],
            "paragraphs": _paragraphs(a, marks[a.id]),
            "shared": counts["shared"],
            "unique": counts["unique"],
            "removed": a.removed,
        })
    return _env().get_template("report.html.j2").render(
        columns=columns,
        shared=shared,
        colour=colour,
        index=index,
        dropped=comparison.dropped,
        pipeline=comparison.pipeline,
        n_unique=len(comparison.unique),
    )
