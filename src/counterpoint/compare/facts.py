"""The fact table, each article's omissions, and the neutral digest, from the aligned statements.

A fact is a statement grouped across articles. Its status says how many of the N articles report it:
``all``, ``some`` (two or more, not all) or ``one``. An article *omits* a fact when most of the other
articles report it (at least two, and more than half of them) and it does not. The digest lists the
facts that all outlets share, each as the shortest sentence that reports it (extractive: text from the
articles, never generated), in the order they appear in the first article that reports them.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article, Fact, Statement


def fact_table(statements: Sequence[Statement], articles: Sequence[Article]) -> list[Fact]:
    n = len(articles)
    facts: list[Fact] = []
    for st in statements:
        k = len(st.articles)
        status = "all" if k == n and n > 1 else "some" if k > 1 else "one"
        facts.append(
            Fact(
                id=f"f{len(facts) + 1}",
                statement=st.id,
                status=status,  # type: ignore[arg-type]
                articles=st.articles,
                mentions=st.mentions,
            )
        )
    order = {a.id: i for i, a in enumerate(articles)}
    facts.sort(
        key=lambda f: ({"all": 0, "some": 1, "one": 2}[f.status], order[f.mentions[0].article], f.mentions[0].start)
    )
    return [Fact(f"f{i + 1}", f.statement, f.status, f.articles, f.mentions) for i, f in enumerate(facts)]


def omissions(facts: Sequence[Fact], articles: Sequence[Article]) -> dict[str, tuple[str, ...]]:
    """Per article, the ids of the facts most of the other articles report and it does not."""
    out: dict[str, tuple[str, ...]] = {}
    for a in articles:
        others = len(articles) - 1
        missing = [
            f.id for f in facts if a.id not in f.articles and len(f.articles) >= 2 and len(f.articles) > others / 2
        ]
        out[a.id] = tuple(missing)
    return out


def digest(facts: Sequence[Fact], *, limit: int = 10) -> list[Fact]:
    """The facts every article reports, as they appear in the first article that reports them."""
    shared = [f for f in facts if f.status == "all"]
    return shared[:limit]
