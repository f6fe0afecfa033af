"""What the web app asks of the store beyond the story list: text search over stories, a story's timeline,
and the key under which a story's comparison is cached.

``search_stories`` is ``Store.stories`` (the same SQL from ``story_list``, the same filters and order)
plus a search box: the words typed match the title and text of a story's members through the FTS5
index ``articles_fts`` (case and diacritics folded: "Lâm" finds "Lam"). The box takes any text: every
word becomes a quoted FTS5 string, so quotes, ``AND``, ``*``, ``-``, ``:`` or parentheses are searched
for as words and never read as FTS5 syntax.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..errors import StoreError
from . import story_list
from .store import Store
from .story_list import StoryRow

T = TypeVar("T")

MAX_WORDS = 32  # words of a search beyond these are ignored (each one is a term to intersect)
MAX_QUERY = 1000  # characters of a search beyond these are ignored
MIN_PREFIX = 3  # the last word matches as a prefix ("scho" finds "Scholz") when it has this many characters

_BASE = "SELECT s.id FROM stories s"
_ORDER = " ORDER BY s.last DESC, s.id DESC"
_MATCHING = ("s.id IN (SELECT a.story FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
             "WHERE articles_fts MATCH ?)")
_LAST_WORD = re.compile(r"[^\W_]+$")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list: its items, how many there are in all, and which page this is."""

    items: list[T]
    total: int
    page: int  # from 1
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the whole list fills (at least 1, an empty list is one empty page)."""
        return max(1, math.ceil(self.total / self.per_page))


@dataclass(frozen=True)
class TimelineEntry:
    """One member of a story: who published what when (``duplicate_of``: the article it copies, or None)."""

    article: str
    outlet: str | None
    title: str | None
    url: str | None
    language: str | None
    time: str
    duplicate_of: str | None


@dataclass(frozen=True)
class Snippet:
    """Where a story matched a search: a short passage of one member's title or text and the matched words
    in it (character spans into ``text``)."""

    text: str
    marks: list[tuple[int, int]]


_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters around the matched words, removed again
# one pass over the matches for a whole page of stories (the snippet is made for those stories' rows only)
_SNIPPETS = (f"SELECT a.story, snippet(articles_fts, -1, '{_OPEN}', '{_CLOSE}', '…', 16) FROM articles_fts "
             "JOIN articles a ON a.seq = articles_fts.rowid "
             "WHERE articles_fts MATCH ? AND a.story IN (SELECT value FROM json_each(?)) ORDER BY a.seq")


def fts_query(text: str) -> str | None:
    """An FTS5 query that finds articles holding every word of ``text`` (the last one as a prefix, when it
    is long enough and the text does not end with a space), or None when ``text`` is blank.

    A word is what lies between spaces; each becomes an FTS5 string (``"it""s"``), which FTS5 splits
    into tokens itself and matches as a phrase, so punctuation never reaches its parser as syntax. A
    word with no letters or digits (an emoji, ``-``) is an empty string: FTS5 ignores it beside other
    words, and a search of such words only finds nothing.
    """
    text = text[:MAX_QUERY].replace("\x00", " ").encode("utf-8", "ignore").decode("utf-8")  # no lone surrogates
    words = text.split()[:MAX_WORDS]
    if not words:
        return None
    terms = ['"' + word.replace('"', '""') + '"' for word in words]
    last = _LAST_WORD.search(words[-1])
    if last is not None and len(last.group()) >= MIN_PREFIX and not text[-1].isspace():
        terms[-1] += "*"
    return " ".join(terms)


def _page_query(conn: sqlite3.Connection, *, q: str | None, since: str | None, until: str | None,
                outlet: str | None, language: str | None, min_outlets: int) -> tuple[str, list[Any]]:
    """``story_list.page_query`` with the text search as one more condition."""
    few = frozenset(name for name, value in (("outlet", outlet), ("language", language))
                    if value is not None and story_list.few_stories(conn, name, value))
    sql, params = story_list.page_query(since=since, until=until, outlet=outlet, language=language,
                                        min_outlets=min_outlets, few=few)
    match = None if q is None else fts_query(q)
    if match is None:
        return sql, params
    if not (sql.startswith(_BASE) and sql.endswith(_ORDER)):
        raise StoreError(f"story_list.page_query changed its shape; search cannot extend: {sql}")
    where = sql[len(_BASE):-len(_ORDER)]  # "" or " WHERE <conditions joined by AND>"
    return f"{_BASE}{where}{' AND ' if where else ' WHERE '}{_MATCHING}{_ORDER}", [*params, match]


def search_stories(store: Store, *, q: str | None = None, since: str | None = None, until: str | None = None,
                   outlet: str | None = None, language: str | None = None, min_outlets: int = 1,
                   page: int = 1, per_page: int = 25) -> Page[StoryRow]:
    """One page of the stories ``Store.stories`` lists (newest first, the same filters), keeping those with
    a member whose title or text holds every word of ``q`` (any text; blank or None: no text filter)."""
    if page < 1 or per_page < 1:
        raise StoreError("page and per_page must be 1 or more", source=str(store.path))

    def query(conn: sqlite3.Connection) -> Page[StoryRow]:
        sql, params = _page_query(conn, q=q, since=since, until=until, outlet=outlet, language=language,
                                  min_outlets=min_outlets)
        total = int(conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])
        rows = conn.execute(story_list.list_query(sql), (*params, per_page, (page - 1) * per_page)).fetchall()
        return Page([story_list.story_row(r) for r in rows], total, page, per_page)

    return store.read(query)


def story_snippets(store: Store, story_ids: list[str], q: str | None) -> dict[str, Snippet]:
    """For each story that matches ``q`` (as ``search_stories`` reads it), a passage with the matched words."""
    match = None if q is None else fts_query(q)
    if match is None or not story_ids:
        return {}

    def query(conn: sqlite3.Connection) -> dict[str, Snippet]:
        found: dict[str, Snippet] = {}
        for story_id, raw in conn.execute(_SNIPPETS, (match, json.dumps(story_ids))):
            if raw and story_id not in found:  # the story's earliest stored member that matches
                found[story_id] = _marked(raw)
        return found

    return store.read(query)


def _marked(raw: str) -> Snippet:
    text: list[str] = []
    marks: list[tuple[int, int]] = []
    length = 0
    for n, part in enumerate(re.split(f"[{_OPEN}{_CLOSE}]", raw)):
        if n % 2 and part:
            marks.append((length, length + len(part)))
        text.append(part)
        length += len(part)
    return Snippet("".join(text), marks)


def story_timeline(store: Store, story_id: str) -> list[TimelineEntry]:
    """The story's members in time order (near-duplicates included); empty for an unknown story."""
    sql = ("SELECT id, outlet, title, url, language, time, duplicate_of FROM articles WHERE story = ? "
           "ORDER BY time, seq")
    rows = store.read(lambda conn: conn.execute(sql, (story_id,)).fetchall())
    return [TimelineEntry(article=r["id"], outlet=r["outlet"], title=r["title"], url=r["url"],
                          language=r["language"], time=r["time"], duplicate_of=r["duplicate_of"]) for r in rows]


def story_key(store: Store, story_id: str) -> str | None:
    """A key of the story's membership, ``<articles>-<sha1 of their sorted ids>``: it changes when the story
    gains an article (stored articles never change), so a comparison cached under it is current. None for
    an unknown story."""

    def query(conn: sqlite3.Connection) -> list[str] | None:
        if conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
            return None
        return sorted(str(r[0]) for r in conn.execute("SELECT id FROM articles WHERE story = ?", (story_id,)))

    ids = store.read(query)
    if ids is None:
        return None
    digest = hashlib.sha1(json.dumps(ids, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"{len(ids)}-{digest}"
