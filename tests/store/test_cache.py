"""The comparison cache: in the database beside the store, in memory when the database is busy, read-only or
too old, never taking the writer lock; and Store.write invalidating the comparison of a story that grew."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from store_factory import placement, state

from counterpoint.store import Store, schema
from counterpoint.store.cache import ComparisonCache
from counterpoint.store.search import story_key

DOC = {"stories": ["s1"], "claims": [{"text": "12 Abkommen", "value": 12.0}], "note": "Grüße"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "counterpoint.db"
    with Store(path) as s:
        s.write([placement("a1", story="s1"), placement("a2", story="s1"), placement("b1", story="s2")],
                [state("s1"), state("s2")])
    return path


def rows(db: Path) -> dict[str, str]:
    """story -> key of the comparisons in the file."""
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT story, key FROM comparisons").fetchall())
    finally:
        conn.close()


def test_put_then_get_through_the_database(db: Path) -> None:
    with ComparisonCache(db) as cache:
        assert cache.get("s1", "k1") is None
        cache.put("s1", "k1", DOC, "<p>html</p>")
        assert cache.get("s1", "k1") == (DOC, "<p>html</p>")
        assert cache.get("s1", "k0") is None  # another membership
        assert cache.get("s2", "k1") is None
    assert rows(db) == {"s1": "k1"}
    with ComparisonCache(db) as fresh:  # nothing in memory: read from the file
        document, html = fresh.get("s1", "k1")  # type: ignore[misc]
        assert (document, html) == (DOC, "<p>html</p>")
        document["changed"] = True  # the caller's own copy
        assert fresh.get("s1", "k1") == (DOC, "<p>html</p>")
        fresh.put("s1", "k2", {"newer": 1}, "")  # one row per story: the newer key replaces it
        assert fresh.get("s1", "k1") is None and fresh.get("s1", "k2") == ({"newer": 1}, "")
    assert rows(db) == {"s1": "k2"}


def test_write_of_a_new_member_invalidates_that_story_only(db: Path) -> None:
    with Store(db) as store, ComparisonCache(db) as cache:
        k1, k2 = story_key(store, "s1"), story_key(store, "s2")
        assert k1 is not None and k2 is not None
        cache.put("s1", k1, DOC, "one")
        cache.put("s2", k2, DOC, "two")
        store.write([placement("a1", story="s1")], [state("s1")])  # stored already: nothing gained
        assert rows(db) == {"s1": k1, "s2": k2}
        store.write([placement("a3", story="s1")], [state("s1", size=3)])
        assert rows(db) == {"s2": k2}
        new_key = story_key(store, "s1")
        assert new_key != k1 and cache.get("s1", new_key) is None  # type: ignore[arg-type]
        assert cache.get("s2", k2) == (DOC, "two")
    with ComparisonCache(db) as fresh:
        assert fresh.get("s1", k1) is None and fresh.get("s2", k2) == (DOC, "two")


def test_cache_writes_while_a_writer_store_holds_the_lock(db: Path) -> None:
    with Store(db) as writer, ComparisonCache(db) as cache:  # the writer lock is taken: the cache does not need it
        cache.put("s1", "k1", DOC, "html")
        writer.write([placement("b2", story="s2")], [state("s2")])
        assert rows(db) == {"s1": "k1"}


def test_cache_writes_while_another_process_holds_the_writer_lock(db: Path) -> None:
    code = textwrap.dedent(f"""
        import time
        from counterpoint.store import Store
        s = Store({str(db)!r})
        print("open", flush=True)
        time.sleep(30)
    """)
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
            with ComparisonCache(db) as cache:
                cache.put("s1", "k1", DOC, "html")
                assert cache.get("s1", "k1") == (DOC, "html")
            assert rows(db) == {"s1": "k1"}
        finally:
            holder.kill()


def test_open_write_transaction_falls_back_to_memory_quickly(db: Path) -> None:
    with ComparisonCache(db) as cache:
        cache.put("s2", "k2", DOC, "before")
        other = sqlite3.connect(db, isolation_level=None)  # an ingest in the middle of a write
        other.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            cache.put("s1", "k1", DOC, "html")  # busy: kept in memory, no exception
            assert time.monotonic() - started < 2.0
            assert cache.get("s1", "k1") == (DOC, "html")
            assert cache.get("s2", "k2") == (DOC, "before")  # reads are not blocked by the writer
            with ComparisonCache(db) as fresh:
                assert fresh.get("s2", "k2") == (DOC, "before")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert rows(db) == {"s2": "k2"}
        cache.put("s1", "k1", DOC, "html")  # free again: written
    assert rows(db) == {"s1": "k1", "s2": "k2"}


def test_read_only_cache_reads_rows_and_never_writes(db: Path) -> None:
    with ComparisonCache(db) as writer:
        writer.put("s2", "k2", DOC, "stored")
    before = db.stat().st_mtime_ns, db.stat().st_size
    with ComparisonCache(db, read_only=True) as cache:
        assert cache.get("s2", "k2") == (DOC, "stored")
        cache.put("s1", "k1", DOC, "memory")
        assert cache.get("s1", "k1") == (DOC, "memory")
    assert rows(db) == {"s2": "k2"}
    assert (db.stat().st_mtime_ns, db.stat().st_size) == before


def test_schema_1_or_missing_database_is_memory_only(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    conn.executescript(f"{schema.MIGRATIONS[0]}\nPRAGMA user_version = 1;\n"
                       f"PRAGMA application_id = {schema.APPLICATION_ID};")
    conn.close()
    for path in (old, tmp_path / "missing.db", tmp_path / "notes.txt"):
        if path.suffix == ".txt":
            path.write_text("not a database")
        with ComparisonCache(path) as cache:
            cache.put("s1", "k1", DOC, "html")
            assert cache.get("s1", "k1") == (DOC, "html")
    assert not (tmp_path / "missing.db").exists()
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'comparisons'").fetchone()[0] == 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_memory_keeps_the_most_recently_used_entries(tmp_path: Path) -> None:
    with ComparisonCache(tmp_path / "missing.db", memory_items=2) as cache:
        cache.put("s1", "k", DOC, "1")
        cache.put("s2", "k", DOC, "2")
        assert cache.get("s1", "k") is not None  # s1 is now the most recent
        cache.put("s3", "k", DOC, "3")
        assert cache.get("s2", "k") is None
        assert cache.get("s1", "k") == (DOC, "1") and cache.get("s3", "k") == (DOC, "3")
    with pytest.raises(ValueError, match="negative"):
        ComparisonCache(tmp_path / "missing.db", memory_items=-1)


def test_closed_cache_keeps_working_in_memory(db: Path) -> None:
    cache = ComparisonCache(db)
    cache.close()
    cache.close()
    cache.put("s1", "k1", DOC, "html")
    assert cache.get("s1", "k1") == (DOC, "html")
    assert rows(db) == {}


def test_threads_share_one_cache(db: Path) -> None:
    errors: list[BaseException] = []
    with ComparisonCache(db, memory_items=8) as cache:

        def work(n: int) -> None:
            try:
                for i in range(30):
                    story = f"s{(n + i) % 12}"
                    cache.put(story, f"k{i % 3}", {"n": n, "i": i}, "html")
                    got = cache.get(story, f"k{i % 3}")
                    assert got is None or got[1] == "html"  # another thread may have replaced it since
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert len(rows(db)) == 12
