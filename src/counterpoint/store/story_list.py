"""The story list: its row type and the SQL that pages through stories without reading articles.

A page is found first (story ids only, walking the index on ``last`` newest first, or driven by the
outlet or language index when that filter matches few stories), then the outlets and languages are
gathered for the stories of that page only.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

#: a filter value that matches fewer stories than this drives the query from its own index; a more common
#: value is checked story by story while walking newest first (it soon finds a page of matches)
SELECTIVE = 1000

_FILTERS = {"outlet": ("story_outlets", "outlet"), "language": ("story_languages", "language")}

_COLUMNS = """s.id, s.title, s.first, s.last, s.linked_to, s.size, s.articles, s.duplicates, s.n_outlets,
    (SELECT json_group_array(outlet) FROM (SELECT outlet FROM story_outlets WHERE story = s.id ORDER BY outlet))
        AS outlets,
    (SELECT json_group_array(language)
        FROM (SELECT language FROM story_languages WHERE story = s.id ORDER BY language)) AS languages"""

#: one story with its lists (``?``: the story id)
ONE = f"SELECT {_COLUMNS} FROM stories s WHERE s.id = ?"

#: every story with its lists, oldest first (exports)
ALL = f"SELECT {_COLUMNS} FROM stories s ORDER BY s.first, s.id"


@dataclass(frozen=True)
class StoryRow:
    """A story as the story list shows it."""

    id: str
    title: str  # of its earliest independent article, else the first 80 characters of that article's text
    first: str  # ISO 8601 times of its earliest and latest member
    last: str
    outlets: tuple[str, ...]  # sorted distinct outlets of its independent members (near-duplicates do not count)
    languages: tuple[str, ...]  # sorted distinct languages of all its members
    articles: int  # all members, near-duplicates included
    duplicates: int  # members that are near-duplicates of another stored article
    linked_to: str | None  # an earlier story on the same subject


def story_row(row: sqlite3.Row) -> StoryRow:
    """A StoryRow from a row selected with the story columns."""
    return StoryRow(
        id=row["id"],
        title=row["title"],
        first=row["first"],
        last=row["last"],
        outlets=tuple(json.loads(row["outlets"])),
        languages=tuple(json.loads(row["languages"])),
        articles=row["articles"],
        duplicates=row["duplicates"],
        linked_to=row["linked_to"],
    )


def few_stories(conn: sqlite3.Connection, name: str, value: str) -> bool:
    """Whether fewer than ``SELECTIVE`` stories match ``name`` (outlet or language) = ``value`` (a bounded
    count on the filter's index)."""
    table, column = _FILTERS[name]
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {column} = ? LIMIT ?)"
    return bool(conn.execute(sql, (value, SELECTIVE)).fetchone()[0] < SELECTIVE)


def page_query(*, since: str | None, until: str | None, outlet: str | None, language: str | None,
               min_outlets: int, few: frozenset[str] = frozenset()) -> tuple[str, list[Any]]:
    """SQL and parameters of the ids of the matching stories, newest first (LIMIT and OFFSET to add).

    ``few`` names the filters (outlet, language) whose value matches few stories: those drive the query
    from their index; the others are probed per story while walking the covering index on ``last``.
    """
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        where.append("s.last >= ?")
        params.append(since)
    if until is not None:  # a date stands for the whole day: compare as many characters as it has
        where.append("substr(s.first, 1, length(?)) <= ?")
        params += [until, until]
    if min_outlets > 1:
        where.append("s.n_outlets >= ?")
        params.append(min_outlets)
    for name, value in (("outlet", outlet), ("language", language)):
        if value is None:
            continue
        table, column = _FILTERS[name]
        if name in few:
            where.append(f"s.id IN (SELECT story FROM {table} WHERE {column} = ?)")
        else:
            where.append(f"EXISTS (SELECT 1 FROM {table} f WHERE f.story = s.id AND f.{column} = ?)")
        params.append(value)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return f"SELECT s.id FROM stories s{clause} ORDER BY s.last DESC, s.id DESC", params


def list_query(page_sql: str) -> str:
    """The story columns for one page of ids (the page's LIMIT and OFFSET are its last two parameters)."""
    return (f"WITH page AS MATERIALIZED ({page_sql} LIMIT ? OFFSET ?) "
            f"SELECT {_COLUMNS} FROM page JOIN stories s ON s.id = page.id ORDER BY s.last DESC, s.id DESC")
