"""A readable summary of a comparison in the terminal (rich)."""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..model import Comparison


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_terminal(comparison: Comparison, console: Console, *, show_unique: int = 5) -> None:
    arts = comparison.articles
    label = {a.id: f"[{i + 1}]" for i, a in enumerate(arts)}
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
            escape(a.outlet or a.id),
            a.language or "?",
            escape(_short(a.title or "", 60)),
            str(per_article[a.id]["shared"]),
            str(per_article[a.id]["unique"]),
            escape(", ".join(f"{n} {r}" for r, n in sorted(removed.items())) or "-"),
        )
    console.print(table)

    shared = comparison.shared
    console.print(f"\n[bold]Shared statements ({len(shared)})[/bold], strongest first")
    for st in sorted(shared, key=lambda s: -(s.score or 0)):
        lines = [
            Text.assemble((f"{label[m.article]} ", "bold cyan"), _short(m.text)) for m in st.mentions
        ]
        console.print(Panel(Group(*lines), title=f"{st.id} · {', '.join(label[a] for a in st.articles)}",
                            subtitle=f"z {st.score:.1f}" if st.score is not None else None,
                            title_align="left", subtitle_align="right"))

    console.print("\n[bold]Only in one article[/bold]")
    for a in arts:
        uniques = [st for st in comparison.unique if st.articles == (a.id,)]
        console.print(f"{label[a.id]} {escape(a.outlet or a.id)}: {len(uniques)} statements")
        for st in uniques[:show_unique]:
            console.print(Text("   · " + _short(st.mentions[0].text, 140)))
        if len(uniques) > show_unique:
            console.print(f"   … and {len(uniques) - show_unique} more (see --out report.html)")
    for d in comparison.dropped:
        console.print(f"[yellow]skipped[/yellow] {escape(d['source'])}: {escape(d['reason'])}")
