"""Outlets and entities across the whole database, for the web app's outlet and entity pages.

An entity is a name as the articles resolved it (``Entity.canonical``, the fullest name within one
article). Names are grouped across articles the way a comparison matches them: by ``entity_key`` (case,
accents, honorifics and leading roles folded: "Präsident Putin" ~ "Putin") and a lone surname joins the
most frequent full name it ends ("Putin" ~ "Wladimir Putin"), see ``group_names``. A speaker is a quote's
``speaker_name``, grouped the same way.

The outlet profile's vocabulary and tone read a sample (the outlet's latest articles) rather than all of
them, so a page costs the same on a large database.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..analyze.entities import fold
from ..analyze.tone import tone
from ..compare.entities import entity_key
from ..compare.framing import distinctive_words, words
from ..compare.tone import lean_label
from . import story_list
from .store import Store
from .story_list import StoryRow

ACTOR_LABELS = ("PER", "ORG")  # and places standing for their government (metonymy)
NAME = "coalesce(e.canonical, e.text)"  # the expression of the ``entities_name`` index


# -- grouping names -------------------------------------------------------------------------------------


def _bare(word: str) -> str:
    """A German genitive -s off a single name ("Putins"), as ``compare.entities`` reads it."""
    return word[:-1] if len(word) > 4 and word.endswith("s") else word


def group_names(weights: Iterable[tuple[str, int]]) -> dict[str, list[str]]:
    """Group surface names that stand for one entity: display name -> its names, heaviest first.

    ``weights`` gives each name's weight (articles mentioning it); a name may appear more than once. Names
    with the same ``entity_key`` form one group; a group of a single word then joins the heaviest group
    whose key ends with that word (or its genitive). The display name is the first name (``_rank``) of the
    group that the others joined. Names with an empty key are left out.
    """
    by_key: dict[str, Counter[str]] = defaultdict(Counter)
    for name, weight in weights:
        key = entity_key(name)
        if key:
            by_key[key][name] += weight
    total = {key: sum(names.values()) for key, names in by_key.items()}
    by_last: dict[str, list[str]] = defaultdict(list)
    for key in by_key:
        parts = key.split()
        if len(parts) > 1:
            by_last[parts[-1]].append(key)
            if _bare(parts[-1]) != parts[-1]:
                by_last[_bare(parts[-1])].append(key)
    into: dict[str, str] = {}
    for key in by_key:
        if " " in key:
            continue
        candidates = {*by_last.get(key, ()), *by_last.get(_bare(key), ())}
        if candidates:
            into[key] = max(candidates, key=lambda k: (total[k], k))
    merged: dict[str, Counter[str]] = defaultdict(Counter)
    for key, names in by_key.items():
        merged[into.get(key, key)].update(names)
    groups: dict[str, list[str]] = {}
    for key, names in merged.items():
        display = min(by_key[key], key=lambda n: _rank(n, by_key[key][n]))
        groups[display] = [display, *sorted((n for n in names if n != display), key=lambda n: _rank(n, names[n]))]
    return groups


def _rank(name: str, weight: int) -> tuple[int, int, int, str]:
    """Order of a group's names: heaviest, then longest, then the one with accents ("Tô Lâm", not "To Lam")."""
    return -weight, -len(name), -sum(not ch.isascii() for ch in name), name


def _json(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _quote_words(text: str) -> int:
    return len(words(text))


def _story_rows(conn: sqlite3.Connection, ids: Iterable[str]) -> list[StoryRow]:
    rows = (conn.execute(story_list.ONE, (i,)).fetchone() for i in ids)
    return [story_list.story_row(r) for r in rows if r is not None]


# -- outlets --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeakerCount:
    name: str
    quotes: int
    words: int


@dataclass(frozen=True)
class ActorTone:
    """An outlet's tone toward one actor: its mentions by tone, the overall label, and per month."""

    actor: str
    positive: int
    neutral: int
    negative: int
    label: str
    by_month: list[tuple[str, int, int, int]] = field(default_factory=list)  # (YYYY-MM, pos, neu, neg)


@dataclass(frozen=True)
class OutletProfile:
    name: str
    articles: int  # independent articles
    duplicates: int  # near-duplicate copies it published
    stories: int  # stories it has an independent article in
    languages: dict[str, int]
    first: str | None
    last: str | None
    per_month: list[tuple[str, int]]  # (YYYY-MM, articles)
    top_speakers: list[SpeakerCount]
    recent_stories: list[StoryRow]
    distinctive: list[tuple[str, float]]  # (word, z) against the other outlets' latest articles
    tone: list[ActorTone]


def outlet_names(store: Store) -> list[tuple[str, int]]:
    """Every outlet with its number of independent articles, most first."""
    sql = ("SELECT outlet, count(*) AS n FROM articles WHERE outlet IS NOT NULL AND duplicate_of IS NULL "
           "GROUP BY outlet ORDER BY n DESC, outlet")
    return [(str(r[0]), int(r[1])) for r in store.read(lambda conn: conn.execute(sql).fetchall())]


def outlet_profile(store: Store, outlet: str, *, sample: int = 400, speakers: int = 12,
                   actors: int = 6, mentions_per_actor: int = 80) -> OutletProfile | None:
    """What ``outlet`` covers, whom it quotes, its distinctive words and its tone toward the actors it
    mentions most; None when no stored article is from ``outlet``. ``sample``: how many of its latest
    articles (and of the other outlets') the vocabulary and tone read."""

    def query(conn: sqlite3.Connection) -> OutletProfile | None:
        head = conn.execute(
            "SELECT count(*) AS n, sum(duplicate_of IS NULL) AS own, min(time) AS first, max(time) AS last "
            "FROM articles WHERE outlet = ?", (outlet,)).fetchone()
        if not head["n"]:
            return None
        languages = {str(r[0] or "unknown"): int(r[1]) for r in conn.execute(
            "SELECT language, count(*) FROM articles WHERE outlet = ? GROUP BY language ORDER BY 2 DESC",
            (outlet,))}
        per_month = [(str(r[0]), int(r[1])) for r in conn.execute(
            "SELECT substr(time, 1, 7), count(*) FROM articles WHERE outlet = ? GROUP BY 1 ORDER BY 1",
            (outlet,))]
        n_stories = conn.execute("SELECT count(*) FROM story_outlets WHERE outlet = ?", (outlet,)).fetchone()[0]
        page_sql, params = story_list.page_query(since=None, until=None, outlet=outlet, language=None,
                                                 min_outlets=1, few=frozenset({"outlet"}))
        recent = [story_list.story_row(r) for r in
                  conn.execute(story_list.list_query(page_sql), (*params, 10, 0)).fetchall()]
        own = conn.execute("SELECT seq, text, sentences, language, substr(time, 1, 7) AS month FROM articles "
                           "WHERE outlet = ? AND duplicate_of IS NULL ORDER BY time DESC, seq DESC LIMIT ?",
                           (outlet, sample)).fetchall()
        rest = [r[0] for r in conn.execute(
            "SELECT text FROM articles WHERE outlet IS NOT ? AND duplicate_of IS NULL ORDER BY seq DESC LIMIT ?",
            (outlet, sample))]
        return OutletProfile(
            name=outlet, articles=int(head["own"] or 0), duplicates=int(head["n"] - (head["own"] or 0)),
            stories=int(n_stories), languages=languages, first=head["first"], last=head["last"],
            per_month=per_month, top_speakers=_top_speakers(conn, outlet, speakers), recent_stories=recent,
            distinctive=_distinctive([r["text"] for r in own], rest),
            tone=_outlet_tone(conn, own, actors, mentions_per_actor))

    return store.read(query)


def _top_speakers(conn: sqlite3.Connection, outlet: str, top: int) -> list[SpeakerCount]:
    rows = conn.execute("SELECT q.speaker_name AS name, q.text FROM quotes q JOIN articles a ON a.seq = q.article "
                        "WHERE a.outlet = ? AND a.duplicate_of IS NULL AND q.speaker_name IS NOT NULL",
                        (outlet,)).fetchall()
    counts: Counter[str] = Counter()
    said: Counter[str] = Counter()
    for r in rows:
        counts[r["name"]] += 1
        said[r["name"]] += _quote_words(r["text"])
    out = []
    for display, names in group_names(counts.items()).items():
        out.append(SpeakerCount(display, sum(counts[n] for n in names), sum(said[n] for n in names)))
    out.sort(key=lambda s: (-s.words, -s.quotes, s.name))
    return out[:top]


def _distinctive(own: list[str], rest: list[str], *, top: int = 30, min_z: float = 1.96) -> list[tuple[str, float]]:
    if not own or not rest:
        return []
    found = distinctive_words(["\n".join(own), "\n".join(rest)], top=top, min_z=min_z)[0]
    return [(d.word, round(d.z, 2)) for d in found]


def _outlet_tone(conn: sqlite3.Connection, own: list[sqlite3.Row], actors: int, per_actor: int) -> list[ActorTone]:
    """Tone of the sampled articles toward the actors that most of them mention."""
    if not own:
        return []
    articles = {r["seq"]: r for r in own}
    mentions = conn.execute(
        f"SELECT e.article, e.start, e.\"end\", {NAME} AS name FROM entities e "
        "WHERE e.article IN (SELECT value FROM json_each(?)) AND (e.label IN ('PER', 'ORG') OR e.metonymy) "
        "ORDER BY e.article DESC, e.start", (json.dumps(list(articles)),)).fetchall()
    reach: Counter[str] = Counter()  # articles that mention each name
    for name, _seq in {(m["name"], m["article"]) for m in mentions}:
        reach[name] += 1
    groups = group_names(reach.items())
    ranked = sorted(groups, key=lambda d: (-sum(reach[n] for n in groups[d]), d))[:actors]
    group_of = {n: d for d in ranked for n in groups[d]}
    votes: dict[str, Counter[tuple[str, str]]] = {d: Counter() for d in ranked}  # (month, label) -> mentions
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for m in mentions:
        actor = group_of.get(m["name"])
        if actor is None or sum(votes[actor].values()) >= per_actor:
            continue
        article = articles[m["article"]]
        if m["article"] not in spans:
            spans[m["article"]] = [(s, e, p) for s, e, p in json.loads(article["sentences"])]
        sentence = next(((s, e) for s, e, _p in spans[m["article"]] if s <= m["start"] < e), None)
        if sentence is None:
            continue
        s, e = sentence
        label, _confidence = tone(article["text"][s:e], m["start"] - s, min(m["end"], e) - s, article["language"])
        votes[actor][(article["month"], label)] += 1
    out = []
    for actor in ranked:
        by_label: Counter[str] = Counter()
        months: dict[str, Counter[str]] = defaultdict(Counter)
        for (month, label), n in votes[actor].items():
            by_label[label] += n
            months[month][label] += n
        total = sum(by_label.values())
        if not total:
            continue
        out.append(ActorTone(actor, by_label["positive"], by_label["neutral"], by_label["negative"],
                             lean_label(by_label["positive"], by_label["negative"], total),
                             [(m, c["positive"], c["neutral"], c["negative"]) for m, c in sorted(months.items())]))
    return out


# -- entities -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityCount:
    name: str
    label: str
    articles: int
    outlets: int
    quotes: int  # quotes attributed to it


@dataclass(frozen=True)
class OutletVoice:
    outlet: str
    mentions: int
    quotes: int
    words: int  # words of its quotes that the outlet printed


@dataclass(frozen=True)
class QuoteRow:
    article: str
    outlet: str | None
    story: str | None
    time: str
    text: str
    kind: str
    cue: str | None


@dataclass(frozen=True)
class EntityProfile:
    name: str
    label: str
    aliases: list[str]  # the other names grouped with it
    mentions: int
    articles: int
    by_outlet: list[OutletVoice]
    quotes: list[QuoteRow]  # latest first
    stories: list[StoryRow]  # latest first


def top_entities(store: Store, *, q: str | None = None, label: str | None = None,
                 limit: int = 100) -> list[EntityCount]:
    """The entities most articles mention (pronouns do not count), optionally those whose name holds ``q``
    (case and accents folded) or of one ``label`` (PER, ORG, LOC, OTH)."""

    def query(conn: sqlite3.Connection) -> tuple[list[sqlite3.Row], list[sqlite3.Row]]:
        named = conn.execute(
            f"SELECT {NAME} AS name, e.label, a.outlet, count(DISTINCT e.article) AS n FROM entities e "
            "JOIN articles a ON a.seq = e.article WHERE e.kind != 'pronoun' GROUP BY 1, 2, 3").fetchall()
        said = conn.execute("SELECT speaker_name, count(*) FROM quotes WHERE speaker_name IS NOT NULL "
                            "GROUP BY speaker_name").fetchall()
        return named, said

    named, said = store.read(query)
    weight: Counter[str] = Counter()  # articles naming it
    for r in named:
        weight[r["name"]] += r["n"]
    groups = group_names(weight.items())
    group_of = {n: d for d, names in groups.items() for n in names}
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    outlets: dict[str, set[str]] = defaultdict(set)
    articles: Counter[str] = Counter()
    for r in named:
        display = group_of.get(r["name"])
        if display is None:
            continue
        labels[display][r["label"]] += r["n"]
        articles[display] += r["n"]  # an article names an entity one way (its fullest name), so sums hold
        if r["outlet"]:
            outlets[display].add(r["outlet"])
    quotes: Counter[str] = Counter()
    for name, n in said:
        key = group_of.get(name)
        if key is not None:
            quotes[key] += n
    wanted = fold(q.strip()) if q and q.strip() else None
    out = []
    for display, names in groups.items():
        top_label = labels[display].most_common(1)[0][0]
        if label and top_label != label:
            continue
        if wanted and not any(wanted in fold(n) for n in names):
            continue
        out.append(EntityCount(display, top_label, articles[display], len(outlets[display]), quotes[display]))
    out.sort(key=lambda e: (-e.articles, -e.quotes, e.name))
    return out[:limit]


def entity_profile(store: Store, name: str, *, limit: int = 50) -> EntityProfile | None:
    """One entity (by a name of it, as ``top_entities`` lists it) across outlets: mentions, who quotes it
    and its words; None when no stored article names it."""
    key = entity_key(name)
    if not key:
        return None
    last = key.split()[-1]

    def query(conn: sqlite3.Connection) -> EntityProfile | None:
        # every name that could group with this one holds its last word (folded): group those only
        candidates = conn.execute(
            f"SELECT {NAME} AS name, count(DISTINCT e.article) AS n FROM entities e "
            "WHERE e.kind != 'pronoun' GROUP BY 1").fetchall()
        weights = [(r["name"], r["n"]) for r in candidates if last in fold(r["name"])]
        group = next((names for names in group_names(weights).values() if name in names
                      or any(entity_key(n) == key for n in names)), None)
        if group is None:
            return None
        members = _json(group)
        per_outlet = conn.execute(
            f"SELECT a.outlet, count(*) AS mentions, count(DISTINCT e.article) AS articles, e.label "
            f"FROM entities e JOIN articles a ON a.seq = e.article WHERE {NAME} IN (SELECT value FROM json_each(?)) "
            "GROUP BY a.outlet, e.label", (members,)).fetchall()
        if not per_outlet:
            return None
        quotes = conn.execute(
            "SELECT a.id, a.outlet, a.story, a.time, q.text, q.kind, q.cue_text FROM quotes q "
            "JOIN articles a ON a.seq = q.article WHERE q.speaker_name IN (SELECT value FROM json_each(?)) "
            "ORDER BY a.time DESC, a.seq DESC, q.n", (members,)).fetchall()
        stories = [r[0] for r in conn.execute(
            f"SELECT a.story FROM entities e JOIN articles a ON a.seq = e.article "
            f"WHERE {NAME} IN (SELECT value FROM json_each(?)) AND a.story IS NOT NULL "
            "GROUP BY a.story ORDER BY max(a.time) DESC LIMIT 20", (members,))]
        n_articles = conn.execute(
            f"SELECT count(DISTINCT e.article) FROM entities e WHERE {NAME} IN (SELECT value FROM json_each(?))",
            (members,)).fetchone()[0]
        return _entity(group, per_outlet, quotes, _story_rows(conn, stories), int(n_articles), limit)

    return store.read(query)


def _entity(group: list[str], per_outlet: list[sqlite3.Row], quotes: list[sqlite3.Row], stories: list[StoryRow],
            n_articles: int, limit: int) -> EntityProfile:
    labels: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for r in per_outlet:
        labels[r["label"]] += r["mentions"]
        mentions[r["outlet"] or "unknown outlet"] += r["mentions"]
    quoted: Counter[str] = Counter()
    said: Counter[str] = Counter()
    for r in quotes:
        outlet = r["outlet"] or "unknown outlet"
        quoted[outlet] += 1
        said[outlet] += _quote_words(r["text"])
    by_outlet = [OutletVoice(o, mentions[o], quoted[o], said[o]) for o in {*mentions, *quoted}]
    by_outlet.sort(key=lambda v: (-v.mentions, -v.quotes, v.outlet))
    rows = [QuoteRow(article=r["id"], outlet=r["outlet"], story=r["story"], time=r["time"], text=r["text"],
                     kind=r["kind"], cue=r["cue_text"]) for r in quotes[:limit]]
    return EntityProfile(name=group[0], label=labels.most_common(1)[0][0], aliases=group[1:11],
                         mentions=sum(mentions.values()), articles=n_articles, by_outlet=by_outlet, quotes=rows,
                         stories=stories)
