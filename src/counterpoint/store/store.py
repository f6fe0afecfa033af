"""The embedded store: one SQLite file that ingest writes and the story commands and web app read.

One writer at a time (``Store(path)`` takes ``<path>.lock``); any number of readers
(``Store(path, read_only=True)``), which WAL mode lets read while the writer writes. Every SQLite error
comes out as a one-line ``StoreError``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import numpy as np

from ..errors import StoreError
from ..model import Analysis, Article, Placement, StoryState
from . import schema, story_list
from .lock import WriterLock
from .rows import (
    ARTICLE_COLUMNS,
    CHILDREN,
    SIGNATURE_DTYPE,
    VECTOR_DTYPE,
    analysis_from_rows,
    article_from_row,
    article_values,
    child_rows,
    columns,
    from_blob,
    quoted,
    story_title,
    to_blob,
)
from .story_list import StoryRow

BUSY_TIMEOUT_MS = 2000  # how long a statement waits for a lock held by another connection
CHUNK = 5000  # rows fetched at a time by the iterators
SQLITE_HEADER = b"SQLite format 3\x00"

T = TypeVar("T")


_UPSERT_STORY = """INSERT INTO stories (id, centroid, size, first, last, linked_to) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET centroid = excluded.centroid, size = excluded.size, first = excluded.first,
        last = excluded.last, linked_to = excluded.linked_to"""

_INSERT_ARTICLE = (f"INSERT INTO articles ({quoted(ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})"
                   " ON CONFLICT DO NOTHING")

_COUNT_MEMBER = """UPDATE stories SET articles = articles + 1, duplicates = duplicates + :duplicate,
    n_outlets = n_outlets + :new_outlet,
    title = CASE WHEN title_key IS NULL OR title_key > :key THEN :title ELSE title END,
    title_key = CASE WHEN title_key IS NULL OR title_key > :key THEN :key ELSE title_key END
    WHERE id = :story"""


def _insert_child(table: str, cls: type) -> str:
    names = ["article", "n", *columns(cls)]
    return f"INSERT INTO {table} ({quoted(names)}) VALUES ({', '.join('?' * len(names))})"


def _store_error(exc: sqlite3.Error, source: str) -> StoreError:
    """A one-line StoreError for an SQLite error."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        message = "database is locked by another writer"
    elif "readonly" in lowered or "read-only" in lowered:
        message = "database is open read-only"
    elif "not a database" in lowered:
        message = "not a counterpoint database (not an SQLite file)"
    elif "malformed" in lowered:
        message = f"database is damaged ({text})"
    else:
        message = f"database error: {text}"
    return StoreError(message, source=source)


class Store:
    """One counterpoint database file. Open it for writing (one process at a time) or read-only.

    >>> with Store("counterpoint.db") as store:  # doctest: +SKIP
    ...     store.write(placements, stories)

    Durability: the database runs in WAL mode with ``synchronous=NORMAL``. Once ``write`` returns, its
    transaction survives the process being killed (SIGKILL, a crash of Python); a power failure or OS
    crash may lose the last few transactions, never leave a half-written one or a damaged file.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._source = str(self.path)
        self._mutex = threading.RLock()
        self._writer = None if read_only else WriterLock(self.path)
        self._conn: sqlite3.Connection | None = None
        try:
            self._conn = self._connect()
            self.schema_version = self._prepare(self._conn)
        except BaseException:
            self.close()
            raise

    # -- opening and closing -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """Check the file, take the writer lock when writing, and connect."""
        if self.read_only and not self.path.is_file():
            raise StoreError("no such database", source=self._source)
        if not self.read_only and not self.path.parent.is_dir():
            raise StoreError(f"cannot create the database: no directory {self.path.parent}", source=self._source)
        self._check_header()
        if self._writer is not None:
            self._writer.acquire()
        target = f"{self.path.resolve().as_uri()}?mode={'ro' if self.read_only else 'rwc'}"
        try:
            conn = sqlite3.connect(target, uri=True, isolation_level=None, check_same_thread=False,
                                   timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise _store_error(exc, self._source) from exc
        conn.row_factory = sqlite3.Row
        return conn

    def _check_header(self) -> None:
        """Refuse a file that exists, is not empty and is not SQLite, before SQLite touches it."""
        try:
            with self.path.open("rb") as fh:
                head = fh.read(len(SQLITE_HEADER))
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError(f"cannot read the database: {exc.strerror}", source=self._source) from exc
        if head and head != SQLITE_HEADER:
            raise StoreError("not a counterpoint database (not an SQLite file)", source=self._source)

    def _prepare(self, conn: sqlite3.Connection) -> int:
        """Set the connection up and bring the schema to the latest version (writer) or check it (reader)."""
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            found = schema.version(conn, self._source)
            if self.read_only:
                if found == 0:
                    raise StoreError("empty database: nothing has been stored in it yet", source=self._source)
                if found < schema.latest():
                    raise StoreError(f"database has schema {found}, this counterpoint reads {schema.latest()}: "
                                     "open it once for writing (ingest) to upgrade it", source=self._source)
                return found
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: the unique indexes stay in memory longer
            return schema.migrate(conn, found, self._source)
        except sqlite3.Error as exc:
            raise _store_error(exc, self._source) from exc

    def close(self) -> None:
        """Close the connection and give the writer lock back. Safe to call twice."""
        with self._mutex:
            if self._conn is not None:
                try:
                    if not self.read_only:
                        self._conn.execute("PRAGMA optimize")
                except sqlite3.Error:
                    pass  # only statistics: closing matters more
                self._conn.close()
                self._conn = None
            if self._writer is not None:
                self._writer.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._source!r}, read_only={self.read_only})"

    # -- plumbing ------------------------------------------------------------------------------------

    @contextmanager
    def _op(self) -> Iterator[sqlite3.Connection]:
        """The connection, for one operation: serialised across threads, SQLite errors as StoreError."""
        with self._mutex:
            if self._conn is None:
                raise StoreError("the store is closed", source=self._source)
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise _store_error(exc, self._source) from exc

    @contextmanager
    def _transaction(self, conn: sqlite3.Connection) -> Iterator[None]:
        """A write transaction: committed when the block ends, rolled back when it raises."""
        if self.read_only:
            raise StoreError("database is open read-only", source=self._source)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Within the block, every read sees the database as it was at the first read (one read
        transaction), so several queries (an export of all tables) agree with each other."""
        with self._op() as conn:
            conn.execute("BEGIN")
            try:
                yield
            finally:
                conn.execute("COMMIT")

    def read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        """``query(connection)``, for the query modules (``search``) that compose ``story_list``'s SQL: in one
        read transaction (its statements agree with each other), serialised with this store's other
        operations, SQLite errors as StoreError. ``query`` must only read."""
        with self._op() as conn:
            began = not conn.in_transaction  # inside ``snapshot`` the transaction is open already
            if began:
                conn.execute("BEGIN")
            try:
                return query(conn)
            finally:
                if began:
                    conn.execute("COMMIT")

    def _select_chunks(self, sql: str, params: Sequence[Any] = (),
                       size: int = CHUNK) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of one query as plain tuples, ``size`` at a time (for exports; use inside ``snapshot``)."""
        with self._op() as conn:
            cursor = conn.cursor()
            cursor.row_factory = None
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(size):
                yield rows

    # -- writing -------------------------------------------------------------------------------------

    def write(self, placements: Sequence[Placement], stories: Sequence[StoryState]) -> None:
        """Store placed articles (with their entities, quotes, claims, vector and signature) and upsert
        story states, in one transaction. An article whose id, content hash or canonical URL is stored
        already is skipped (writing the same batch twice changes nothing). Durable once it returns."""
        with self._op() as conn, self._transaction(conn):
            self._check_stories(conn, placements, stories)
            conn.executemany(_UPSERT_STORY, [
                (s.id, to_blob(s.centroid, VECTOR_DTYPE), s.size, s.first, s.last, s.linked_to) for s in stories])
            inserted = [(seq, p) for p in placements if (seq := self._insert_article(conn, p)) is not None]
            for table, cls in CHILDREN.items():
                conn.executemany(_insert_child(table, cls), [
                    row for seq, p in inserted for row in child_rows(seq, getattr(p.processed.analysis, table))])
            conn.executemany("INSERT INTO vectors (article, vector) VALUES (?, ?)", [
                (seq, to_blob(p.processed.vector, VECTOR_DTYPE))
                for seq, p in inserted if p.processed.vector is not None])
            conn.executemany("INSERT INTO signatures (article, signature) VALUES (?, ?)", [
                (seq, to_blob(p.processed.signature, SIGNATURE_DTYPE))
                for seq, p in inserted if p.processed.signature is not None and p.duplicate_of is None])
            for _seq, p in inserted:
                if p.story is not None:
                    self._count_member(conn, p)
            grown = sorted({p.story for _seq, p in inserted if p.story is not None})
            if grown:  # their cached comparisons no longer cover every member
                conn.execute("DELETE FROM comparisons WHERE story IN (SELECT value FROM json_each(?))",
                             (json.dumps(grown),))

    def _check_stories(self, conn: sqlite3.Connection, placements: Sequence[Placement],
                       stories: Sequence[StoryState]) -> None:
        """Every story an article names is given or stored already."""
        named = {p.story for p in placements if p.story is not None} - {s.id for s in stories}
        if not named:
            return
        stored = {r[0] for r in conn.execute("SELECT id FROM stories WHERE id IN (SELECT value FROM json_each(?))",
                                             (json.dumps(sorted(named)),))}
        missing = sorted(named - stored)
        if missing:
            raise StoreError(f"articles name story {missing[0]}, which is neither stored nor written with them",
                             source=self._source)

    @staticmethod
    def _insert_article(conn: sqlite3.Connection, placement: Placement) -> int | None:
        """Insert the article row; its ``seq``, or None when the article is stored already."""
        cursor = conn.execute(_INSERT_ARTICLE, article_values(placement))
        return cursor.lastrowid if cursor.rowcount == 1 else None

    @staticmethod
    def _count_member(conn: sqlite3.Connection, placement: Placement) -> None:
        """Update the aggregates of the article's story: counts, title, outlets, languages."""
        processed = placement.processed
        art = processed.article
        story = placement.story
        independent = placement.duplicate_of is None
        language = art.language or processed.analysis.language
        if language:
            conn.execute("INSERT INTO story_languages (story, language) VALUES (?, ?) ON CONFLICT DO NOTHING",
                         (story, language))
        new_outlet = 0
        if independent and art.outlet:
            new_outlet = conn.execute("INSERT INTO story_outlets (story, outlet) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                      (story, art.outlet)).rowcount
        conn.execute(_COUNT_MEMBER, {
            "story": story, "duplicate": int(not independent), "new_outlet": new_outlet,
            "title": story_title(art), "key": ("0" if independent else "1") + processed.time})

    # -- state for the in-memory indexes -------------------------------------------------------------

    def known(self, canonical_url: str | None, content_hash: str) -> str | None:
        """The id of a stored article with this canonical URL or this content hash, else None."""
        with self._op() as conn:
            row = conn.execute("SELECT id FROM articles WHERE content_hash = ? UNION ALL "
                               "SELECT id FROM articles WHERE canonical_url = ? LIMIT 1",
                               (content_hash, canonical_url)).fetchone()
        return None if row is None else str(row[0])

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """The ids among ``ids`` that are stored."""
        with self._op() as conn:
            rows = conn.execute("SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                                (json.dumps(list(ids)),))
            return {str(r[0]) for r in rows}

    def story_states(self, *, since: str | None = None) -> list[StoryState]:
        """Every story's clustering state (only those active at or after ``since``, when given)."""
        sql = "SELECT id, centroid, size, first, last, linked_to FROM stories"
        params: tuple[str, ...] = ()
        if since is not None:
            sql, params = sql + " WHERE last >= ?", (since,)
        with self._op() as conn:
            return [StoryState(id=r["id"], centroid=from_blob(r["centroid"], VECTOR_DTYPE), size=r["size"],
                               first=r["first"], last=r["last"], linked_to=r["linked_to"])
                    for r in conn.execute(sql + " ORDER BY last, id", params)]

    def signatures(self) -> Iterator[tuple[str, np.ndarray]]:
        """(article id, MinHash signature) of every independent article, in insertion order. Reads in
        chunks and holds no statement open between them, so writing while iterating is safe."""
        after = 0
        while True:
            with self._op() as conn:
                cursor = conn.cursor()
                cursor.row_factory = None  # plain tuples: a million of them
                rows = cursor.execute("SELECT g.article, a.id, g.signature FROM signatures g "
                                      "JOIN articles a ON a.seq = g.article WHERE g.article > ? "
                                      "ORDER BY g.article LIMIT ?", (after, CHUNK)).fetchall()
            if not rows:
                return
            for _seq, aid, blob in rows:
                yield aid, from_blob(blob, SIGNATURE_DTYPE)
            after = rows[-1][0]

    def story_of(self, article_id: str) -> str | None:
        """The story of a stored article (None when it is not stored or not clustered)."""
        with self._op() as conn:
            row = conn.execute("SELECT story FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else row[0]

    def article_count(self) -> int:
        """How many articles are stored (near-duplicates included)."""
        with self._op() as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    # -- queries -------------------------------------------------------------------------------------

    def stories(self, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
                language: str | None = None, min_outlets: int = 1, limit: int = 50,
                offset: int = 0) -> list[StoryRow]:
        """Stories, newest first (by the time of their latest article).

        ``since``/``until`` keep stories whose time span overlaps that range (a date stands for the whole
        day: ``until="2024-06-20"`` keeps a story that began at 18:00 that day); ``outlet`` keeps stories with
        an independent article from that outlet, ``language`` those with an article in that language, and
        ``min_outlets`` those with at least that many distinct outlets among independent articles.
        """
        if limit < 0 or offset < 0:
            raise StoreError("limit and offset must not be negative", source=self._source)
        with self._op() as conn:
            few = frozenset(name for name, value in (("outlet", outlet), ("language", language))
                            if value is not None and story_list.few_stories(conn, name, value))
            sql, params = story_list.page_query(since=since, until=until, outlet=outlet, language=language,
                                                min_outlets=min_outlets, few=few)
            rows = conn.execute(story_list.list_query(sql), (*params, limit, offset)).fetchall()
        return [story_list.story_row(r) for r in rows]

    def story(self, story_id: str) -> StoryRow | None:
        """One story as ``stories`` lists it, or None."""
        with self._op() as conn:
            row = conn.execute(story_list.ONE, (story_id,)).fetchone()
        return None if row is None else story_list.story_row(row)

    def story_articles(self, story_id: str) -> list[tuple[Article, str | None]]:
        """The story's articles in time order, each with the id of the article it duplicates (or None)."""
        with self._op() as conn:
            rows = conn.execute("SELECT * FROM articles WHERE story = ? ORDER BY time, seq", (story_id,)).fetchall()
        return [(article_from_row(r), r["duplicate_of"]) for r in rows]

    def article(self, article_id: str) -> Article | None:
        """One stored article with all its fields, or None."""
        with self._op() as conn:
            row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else article_from_row(row)

    def analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of one article (sentences, entities, quotes, claims; no embeddings), or None."""
        with self._op() as conn:
            row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return None
            children = {table: conn.execute(f"SELECT * FROM {table} WHERE article = ? ORDER BY n",
                                            (row["seq"],)).fetchall() for table in CHILDREN}
        return analysis_from_rows(row, children)

