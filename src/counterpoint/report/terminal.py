"""A readable summary of a comparison in the terminal (rich): the same findings as the HTML report, short."""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..compare.voices import role_contrasts
from ..model import Comparison


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_terminal(comparison: Comparison, console: Console, *, show_unique: int = 3) -> None:
    arts = comparison.articles
    label = {a.id: f"[{i + 1}]" for i, a in enumerate(arts)}
    name = {a.id: a.outlet or a.id for a in arts}
    per_article: dict[str, Counter[str]] = {a.id: Counter() for a in arts}
    for st in comparison.statements:
        for aid in st.articles:
            per_article[aid][st.status] += 1

    table = Table(title=f"{len(arts)} articles compared", title_justify="left", expand=True)
    for col in ("", "outlet", "lang", "title", "shared", "unique", "removed"):
        table.add_column(col, overflow="fold")
    for a in arts:
        removed = Counter(r.reason for r in a.removed)
        table.add_row(
            label[a.id],
            escape(name[a.id]),
            a.language or "?",
            escape(_short(a.title or "", 60)),
            str(per_article[a.id]["shared"]),
            str(per_article[a.id]["unique"]),
            escape(", ".join(f"{n} {r}" for r, n in sorted(removed.items())) or "-"),
        )
    console.print(table)

    facts = {f.id: f for f in comparison.facts}
    console.print(f"\n[bold]What all outlets report ({len(comparison.digest)})[/bold]")
    for fid in comparison.digest:
        console.print(Text("  · " + _short(facts[fid].wording)))

    console.print(f"\n[bold]Contradictions ({len(comparison.conflicts)})[/bold]")
    for c in comparison.conflicts:
        console.print(Text.assemble((f"  {c.id} {c.type}: ", "bold red"), _short(c.explanation, 200)))

    console.print(f"\n[bold]The same statement quoted differently ({len(comparison.quote_matches)})[/bold]")
    for q in comparison.quote_matches:
        changes = [f"{op.a or '∅'} → {op.b or '∅'}" for op in q.diff if op.op != "equal"]
        who = q.speaker or "unknown speaker"
        console.print(
            Text.assemble(
                (f"  {q.id} {who}: ", "bold"),
                ", ".join(f"{label[e.article]} {k}" for e, k in zip(q.mentions, q.kinds, strict=True)),
                "; wording: " + _short("; ".join(changes), 140) if changes else "",
            )
        )

    shared = comparison.shared
    console.print(f"\n[bold]Shared statements ({len(shared)})[/bold], strongest first")
    for st in sorted(shared, key=lambda s: -(s.score or 0)):
        lines = [Text.assemble((f"{label[m.article]} ", "bold cyan"), _short(m.text)) for m in st.mentions]
        console.print(
            Panel(
                Group(*lines),
                title=f"{st.id} · {', '.join(label[a] for a in st.articles)}",
                subtitle=f"z {st.score:.1f}" if st.score is not None else None,
                title_align="left",
                subtitle_align="right",
            )
        )

    console.print("\n[bold]Who is quoted[/bold]")
    for vs in comparison.voices:
        speakers = (
            ", ".join(f"{v.speaker}{f' ({v.role})' if v.role else ''} ×{v.quotes}" for v in vs.voices) or "nobody"
        )
        console.print(
            f"{label[vs.article]} {escape(name[vs.article])}: {escape(speakers)}; "
            f"{vs.unattributed_share:.0%} of sentences unattributed",
            highlight=False,
        )
    for role, by_article in role_contrasts(comparison.voices):
        parts = [f"{label[aid]} {len(names)} ({', '.join(names)})" if names else f"{label[aid]} none"
                 for aid, names in by_article.items()]
        console.print(f"{role.capitalize()} quoted: {escape('; '.join(parts))}", highlight=False)

    framing = comparison.framing
    if framing:
        console.print("\n[bold]Framing[/bold]")
        for a in arts:
            words = ", ".join(d["word"] for d in framing.get("distinctive", {}).get(a.id, [])[:8])
            markers = framing.get("markers", {}).get(a.id, {}).get("per_1000_words", {})
            dens = " · ".join(f"{k} {v}" for k, v in markers.items())
            console.print(
                f"{label[a.id]} distinctive: {escape(words) or '-'}; per 1,000 words: {dens}", highlight=False
            )
        for a in arts:
            tones = framing.get("tone", {}).get(a.id, [])
            if tones:
                line = ", ".join(f"{t['actor']} {t['label']}" for t in tones)
                console.print(f"{label[a.id]} tone toward: {escape(line)}", highlight=False)
        for lp in framing.get("labels", []):
            about = f"{escape(lp['referent'])}: " if lp.get("referent") else ""
            console.print(
                f"  {about}{label[lp['a']['article']]} “{escape(lp['a']['text'])}” / "
                f"{label[lp['b']['article']]} “{escape(lp['b']['text'])}”",
                highlight=False,
            )

    console.print("\n[bold]Only in one article[/bold]")
    for a in arts:
        uniques = [st for st in comparison.unique if st.articles == (a.id,)]
        omitted = comparison.omissions.get(a.id, ())
        extra = f"; omits {len(omitted)} facts most others report" if omitted else ""
        console.print(f"{label[a.id]} {escape(name[a.id])}: {len(uniques)} statements{extra}", highlight=False)
        for st in uniques[:show_unique]:
            console.print(Text("   · " + _short(st.mentions[0].text, 140)))
        if len(uniques) > show_unique:
            console.print(f"   … and {len(uniques) - show_unique} more (see --out report.html)")
    for d in comparison.dropped:
        console.print(f"[yellow]skipped[/yellow] {escape(d['source'])}: {escape(d['reason'])}")
