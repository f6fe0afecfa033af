"""A self-contained HTML report: the digest, contradictions, matched quotes with their diffs, voices,
framing, then the articles side by side with every finding highlighted and linked both ways (click a
finding to see its passages in every article; click a highlighted passage to jump to its finding)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import pairwise
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..compare.voices import role_contrasts
from ..model import Article, Comparison

PALETTE = 12  # colours cycle through this many CSS classes


@dataclass(frozen=True)
class Piece:
    """A run of text with the same marks: the statement it belongs to and the findings covering it."""

    text: str
    start: int = 0
    statement: str | None = None  # statement id
    status: str | None = None  # shared | unique | None (not a statement: short or between sentences)
    colour: int = 0
    classes: tuple[str, ...] = ()  # "ent ent-PER", "quote", "claim", "conflict"
    title: str = ""  # what the marks mean, shown on hover
    findings: tuple[str, ...] = ()  # ids of conflicts and quote matches this text is evidence for


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    classes: str
    hint: str
    finding: str | None = None


def _finding_marks(comparison: Comparison, aid: str) -> list[Mark]:
    marks: list[Mark] = []
    for e in comparison.entities.get(aid, ()):
        hint = f"{e.label}: {e.canonical or e.text}" + (" (stands for a government)" if e.metonymy else "")
        marks.append(Mark(e.start, e.end, f"ent ent-{e.label}", hint))
    for q in comparison.quotes.get(aid, ()):
        who = q.speaker_name or q.speaker_text or "unknown speaker"
        marks.append(Mark(q.start, q.end, f"quote quote-{q.kind}", f"{q.kind} quote: {who}"))
    for c in comparison.claims.get(aid, ()):
        what = " ".join(x for x in (c.predicate, c.counted) if x)
        marks.append(Mark(c.start, c.end, "claim", f"{c.kind} {c.value if c.value is not None else ''} {what}".strip()))
    for conflict in comparison.conflicts:
        for ev in (conflict.a, conflict.b):
            if ev.article == aid:
                marks.append(Mark(ev.start, ev.end, "conflict", f"contradiction {conflict.id}", conflict.id))
    for match in comparison.quote_matches:
        for ev in match.mentions:
            if ev.article == aid:
                marks.append(Mark(ev.start, ev.end, "qmatch", f"matched quote {match.id}", match.id))
    for lp in comparison.framing.get("labels", ()):
        for side, other in ((lp["a"], lp["b"]), (lp["b"], lp["a"])):
            if side["article"] == aid:
                hint = f"label: “{side['text']}” where another article says “{other['text']}”"
                marks.append(Mark(side["start"], side["end"], "label", hint, lp["id"]))
    return marks


def _paragraphs(
    article: Article, statements: dict[tuple[int, int], tuple[str, str, int]], marks: list[Mark]
) -> list[list[Piece]]:
    """Cut the text at every boundary of a sentence, a finding or a paragraph into pieces."""
    text = article.text
    cuts = {0, len(text)}
    for start, end in statements:
        cuts.update((start, end))
    for mark in marks:
        cuts.update((max(0, mark.start), min(len(text), mark.end)))
    cuts.update(i for i, ch in enumerate(text) if ch == "\n")
    cuts.update(i + 1 for i, ch in enumerate(text) if ch == "\n")
    bounds = sorted(cuts)
    sentence_spans = sorted(statements)
    paragraphs: list[list[Piece]] = [[]]
    k = 0
    for a, b in pairwise(bounds):
        chunk = text[a:b]
        if chunk == "\n":
            paragraphs.append([])
            continue
        while k < len(sentence_spans) and sentence_spans[k][1] <= a:
            k += 1
        sid = status = None
        colour = 0
        if k < len(sentence_spans) and sentence_spans[k][0] <= a:
            sid, status, colour = statements[sentence_spans[k]]
        covering = [m for m in marks if m.start <= a and b <= m.end]
        paragraphs[-1].append(Piece(
            chunk, a, sid, status, colour,
            classes=tuple(dict.fromkeys(m.classes for m in covering)),
            title=" · ".join(dict.fromkeys(m.hint for m in covering)),
            findings=tuple(m.finding for m in covering if m.finding),
        ))
    return [p for p in paragraphs if any(x.text.strip() for x in p)]


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("counterpoint.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _quoted(comparison: Comparison, aid: str) -> list[tuple[str, int]]:
    """Who is quoted in the article, most often first."""
    counts = Counter(q.speaker_name or q.speaker_text for q in comparison.quotes.get(aid, ()))
    counts.pop(None, None)
    return [(str(name), n) for name, n in counts.most_common()]


def render_html(comparison: Comparison) -> str:
    """The report as one self-contained HTML page (its style and script inline)."""
    return _env().get_template("report.html.j2").render(**_context(comparison))


def render_html_body(comparison: Comparison) -> str:
    """The report's body alone, for a page that links ``report_asset("report.css")`` and ``"report.js"``."""
    return _env().get_template("report_body.html.j2").render(**_context(comparison))


def report_asset(name: str) -> str:
    """The report's stylesheet (``report.css``) or script (``report.js``), as the web app serves them."""
    if name not in {"report.css", "report.js"}:
        raise ValueError(f"no report asset {name!r}")
    return (files("counterpoint.report") / "templates" / name).read_text(encoding="utf-8")


def _context(comparison: Comparison) -> dict[str, Any]:
    arts = comparison.articles
    index = {a.id: i + 1 for i, a in enumerate(arts)}
    outlet = {a.id: a.outlet or a.id for a in arts}
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
            "paragraphs": _paragraphs(a, marks[a.id], _finding_marks(comparison, a.id)),
            "quoted": _quoted(comparison, a.id),
            "shared": counts["shared"],
            "unique": counts["unique"],
            "removed": a.removed,
            "omits": [f for f in comparison.facts if f.id in comparison.omissions.get(a.id, ())],
        })
    facts = {f.id: f for f in comparison.facts}
    max_words = max((v.words for vs in comparison.voices for v in vs.voices), default=1) or 1
    return dict(
        columns=columns,
        shared=shared,
        colour=colour,
        index=index,
        outlet=outlet,
        digest=[facts[fid] for fid in comparison.digest if fid in facts],
        conflicts=comparison.conflicts,
        quote_matches=comparison.quote_matches,
        voices=comparison.voices,
        role_contrasts=role_contrasts(comparison.voices),
        max_words=max_words,
        framing=comparison.framing,
        dropped=comparison.dropped,
        pipeline=comparison.pipeline,
        n_unique=len(comparison.unique),
    )
