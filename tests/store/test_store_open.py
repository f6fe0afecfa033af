"""Opening a database: readers and the one writer, files that are not ours, schema versions and migrations."""

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

from counterpoint.errors import StoreError
from counterpoint.store import Store, schema


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "counterpoint.db"
    with Store(path) as s:
        s.write([placement("a1")], [state("s1")])
    return path


def test_a_new_store_has_the_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "new.db") as s:
        assert s.schema_version == schema.latest() >= 1
        assert s.article_count() == 0
    conn = sqlite3.connect(tmp_path / "new.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    conn.close()


def test_reader_sees_data_and_cannot_write(db: Path) -> None:
    with Store(db, read_only=True) as reader:
        assert reader.article_count() == 1
        assert reader.read_only
        with pytest.raises(StoreError, match="read-only"):
            reader.write([placement("a2")], [state("s1")])
        assert reader.article_count() == 1


def test_reader_reads_while_the_writer_holds_the_database(db: Path) -> None:
    with Store(db) as writer, Store(db, read_only=True) as reader:
        writer.write([placement("a2")], [state("s1")])
        assert reader.known_ids(["a1", "a2"]) == {"a1", "a2"}


def test_a_store_can_be_used_from_another_thread(db: Path) -> None:
    results: list[int] = []
    with Store(db, read_only=True) as reader:
        worker = threading.Thread(target=lambda: results.append(reader.article_count()))
        worker.start()
        worker.join()
    assert results == [1]


def test_reader_of_a_missing_file_fails_without_creating_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "missing.db", read_only=True)
    assert not (tmp_path / "missing.db").exists()


def test_reader_of_an_empty_file_is_told_so(tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()
    with pytest.raises(StoreError, match="empty database"):
        Store(tmp_path / "empty.db", read_only=True)
    with Store(tmp_path / "empty.db") as s:  # a writer makes it a store
        assert s.schema_version == schema.latest()


def test_writer_in_a_missing_directory_fails(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no directory"):
        Store(tmp_path / "nope" / "c.db")


def test_second_writer_in_this_process_is_refused_until_the_first_closes(db: Path) -> None:
    first = Store(db)
    with pytest.raises(StoreError, match="locked by another writer") as err:
        Store(db)
    assert str(err.value) == f"{db}: database is locked by another writer"
    first.close()
    with Store(db) as second:
        assert second.article_count() == 1


def test_second_writer_in_another_process_gets_store_error_quickly(db: Path) -> None:
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
            started = time.monotonic()
            with pytest.raises(StoreError, match="locked by another writer"):
                Store(db)
            assert time.monotonic() - started < 1.0
            with Store(db, read_only=True) as reader:  # readers are never locked out
                assert reader.article_count() == 1
        finally:
            holder.kill()
    with Store(db) as s:  # the lock died with the process
        assert s.article_count() == 1


def test_foreign_write_lock_is_a_store_error_not_a_hang(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import counterpoint.store.store as module

    monkeypatch.setattr(module, "BUSY_TIMEOUT_MS", 100)
    other = sqlite3.connect(db, isolation_level=None)  # another program (the sqlite3 shell, say) writing
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store(db) as s:
            started = time.monotonic()
            with pytest.raises(StoreError, match="locked by another writer"):
                s.write([placement("a2")], [state("s1")])
            assert time.monotonic() - started < 1.0
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path, read_only: bool) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes, certainly not a database\n" * 50)
    with pytest.raises(StoreError, match="not a counterpoint database"):
        Store(path, read_only=read_only)
    assert path.read_text().startswith("just some notes")


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    for read_only in (False, True):
        with pytest.raises(StoreError, match="not a counterpoint database"):
            Store(path, read_only=read_only)


def test_a_newer_schema_is_refused(db: Path) -> None:
    newer = schema.latest() + 1
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {newer}")
    conn.close()
    for read_only in (False, True):
        with pytest.raises(StoreError) as err:
            Store(db, read_only=read_only)
        assert str(err.value) == (f"{db}: database is newer than this counterpoint "
                                  f"(schema {newer} > {schema.latest()})")


def version_1_database(path: Path) -> None:
    """A database as the first release wrote it: migration 1 only, by hand, with one article row."""
    conn = sqlite3.connect(path)
    conn.executescript(schema.MIGRATIONS[0])
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO articles (id, content_hash, time, clustered, text) "
                 "VALUES ('old', 'h-old', '2023-01-01', 0, 'Ein alter Artikel.')")
    conn.commit()
    conn.close()


SECOND = "ALTER TABLE articles ADD COLUMN note TEXT; CREATE TABLE comparisons (story TEXT PRIMARY KEY, doc TEXT);"


def test_an_older_database_is_upgraded_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v1.db"
    version_1_database(path)
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS[:1], SECOND])
    with pytest.raises(StoreError, match="schema 1, this counterpoint reads 2"):
        Store(path, read_only=True)  # readers never change the file
    with Store(path) as s:
        assert s.schema_version == 2
        assert s.article("old").text == "Ein alter Artikel."  # type: ignore[union-attr]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM comparisons").fetchone()[0] == 0
    conn.close()
    with Store(path, read_only=True) as reader:
        assert reader.schema_version == 2


def test_a_failing_migration_leaves_the_previous_version_intact(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v1.db"
    version_1_database(path)
    broken = "CREATE TABLE comparisons (story TEXT); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS[:1], broken])
    with pytest.raises(StoreError, match="cannot upgrade the database to schema 2"):
        Store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'comparisons'").fetchone()[0] == 0
    conn.close()
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    with Store(path) as s:  # still a good version-1 database, and the lock was released
        assert s.article_count() == 1
