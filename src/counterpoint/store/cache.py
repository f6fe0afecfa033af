"""The cache of story comparisons that the web app computes: the ``comparisons`` table, with a bounded
in-memory LRU in front of it and in its place when the file cannot be written.

The web app runs while an ingest process writes the same database, so the cache never takes the store's
writer lock (``lock.py``): it has its own SQLite connection and writes one row in a short ``BEGIN
IMMEDIATE`` that waits at most ``BUSY_TIMEOUT_MS`` for the ingest's transaction. When the database is busy,
read-only, missing or older than schema 2 (no ``comparisons`` table) the entry stays in memory only: a
comparison is worth caching, never worth failing or waiting for. An entry is found only under the key it
was put with (``search.story_key``: the story's membership), so a story that gains an article is
compared again; ``Store.write`` also deletes its row.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import Any

from ..errors import StoreError
from . import schema

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 200  # how long a read or write waits for another connection's lock before giving up
SCHEMA = 2  # the first schema with the comparisons table

_PUT = """INSERT INTO comparisons (story, key, created, document, html) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (story) DO UPDATE SET key = excluded.key, created = excluded.created,
        document = excluded.document, html = excluded.html"""


class ComparisonCache:
    """Cached comparisons of stories, by story and key. Safe to share between threads.

    >>> with ComparisonCache("counterpoint.db", read_only=True) as cache:  # doctest: +SKIP
    ...     cache.put("s1", key, document, html)  # kept in memory only: read_only never writes the file
    ...     cache.get("s1", key)
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, memory_items: int = 256) -> None:
        if memory_items < 0:
            raise ValueError("memory_items must not be negative")
        self.path = Path(path)
        self.read_only = read_only
        self.memory_items = memory_items
        self._mutex = threading.Lock()
        self._memory: OrderedDict[str, tuple[str, str, str]] = OrderedDict()  # story -> (key, document, html)
        self._conn = self._connect()

    def _connect(self) -> sqlite3.Connection | None:
        """A connection to a database with the comparisons table, else None (memory only)."""
        if not self.path.is_file():  # never create a database: that is the store's job
            log.debug("comparison cache in memory only: no database %s", self.path)
            return None
        target = f"{self.path.resolve().as_uri()}?mode={'ro' if self.read_only else 'rw'}"
        conn = None
        try:
            conn = sqlite3.connect(target, uri=True, isolation_level=None, check_same_thread=False,
                                   timeout=BUSY_TIMEOUT_MS / 1000)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            found = schema.version(conn, str(self.path))
            if found < SCHEMA:
                raise StoreError(f"schema {found} has no comparisons table", source=str(self.path))
            return conn
        except (sqlite3.Error, StoreError) as exc:
            log.debug("comparison cache in memory only: %s", exc)
            if conn is not None:
                conn.close()
            return None

    def get(self, story: str, key: str) -> tuple[dict[str, Any], str] | None:
        """(document, html) of the story's comparison cached under ``key``, else None. The document is a
        new dict on every call (callers may change it)."""
        with self._mutex:
            entry = self._memory.get(story)
            if entry is not None and entry[0] == key:
                self._memory.move_to_end(story)
            else:
                entry = self._select(story, key)
                if entry is None:
                    return None
                self._remember(story, entry)
        try:
            return json.loads(entry[1]), entry[2]
        except ValueError:  # a row damaged outside counterpoint: compute it again
            log.debug("cached comparison of %s is not JSON", story)
            return None

    def put(self, story: str, key: str, document: dict[str, Any], html: str) -> None:
        """Cache the story's comparison under ``key`` (replacing any earlier one of the story): in the
        database when it can be written within ``BUSY_TIMEOUT_MS``, and in memory."""
        entry = (key, json.dumps(document, ensure_ascii=False), html)
        with self._mutex:
            self._remember(story, entry)
            if self._conn is None or self.read_only:
                return
            created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.execute(_PUT, (story, key, created, entry[1], html))
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:  # busy (an ingest is writing), read-only file, full disk: memory will do
                log.debug("comparison of %s cached in memory only: %s", story, exc)
                if self._conn.in_transaction:
                    with suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")

    def _select(self, story: str, key: str) -> tuple[str, str, str] | None:
        """The database row of the story under ``key`` as a memory entry, else None."""
        if self._conn is None:
            return None
        try:
            row = self._conn.execute("SELECT document, html FROM comparisons WHERE story = ? AND key = ?",
                                     (story, key)).fetchone()
        except sqlite3.Error as exc:
            log.debug("cannot read the cached comparison of %s: %s", story, exc)
            return None
        return None if row is None else (key, row[0], row[1])

    def _remember(self, story: str, entry: tuple[str, str, str]) -> None:
        """Keep the entry in memory, forgetting the least recently used beyond ``memory_items``."""
        self._memory[story] = entry
        self._memory.move_to_end(story)
        while len(self._memory) > self.memory_items:
            self._memory.popitem(last=False)

    def close(self) -> None:
        """Close the database connection (the cache keeps working in memory). Safe to call twice."""
        with self._mutex:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> ComparisonCache:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ComparisonCache({str(self.path)!r}, read_only={self.read_only})"
