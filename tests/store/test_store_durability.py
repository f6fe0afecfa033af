"""A writer killed with SIGKILL loses nothing it reported as written and leaves nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from counterpoint.store import Store

CHILD = Path(__file__).with_name("store_writer_child.py")
BATCH = 200


def run_and_kill(db: Path, first: int, batches: int, into_write: float) -> list[int]:
    """Start a writer at batch ``first``, let it report ``batches`` writes, kill it ``into_write`` of the
    way through the next write (as long as the last one took); the batch numbers it reported."""
    reported: list[int] = []
    took = 0.0
    with subprocess.Popen([sys.executable, str(CHILD), str(db), str(first), str(BATCH)], stdout=subprocess.PIPE,
                          text=True, cwd=CHILD.parent) as child:
        assert child.stdout is not None
        deadline = time.monotonic() + 20
        while len(reported) < batches and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            number, seconds = line.split()
            reported.append(int(number))
            took = float(seconds)
        time.sleep(into_write * took)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        reported += [int(line.split()[0]) for line in child.stdout.read().splitlines()]  # printed before the kill
    assert child.returncode == -signal.SIGKILL
    assert len(reported) >= batches, "the writer did not get going"
    return reported


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_writer_keeps_every_reported_batch_complete(tmp_path: Path) -> None:
    db = tmp_path / "counterpoint.db"
    reported: list[int] = []
    for into_write in (0.3, 0.8):
        # a restarted writer resumes after the last batch it reported; rewriting a batch that was in
        # fact committed is a no-op
        reported += run_and_kill(db, (max(reported) + 1) if reported else 0, 3, into_write)

    with Store(db) as store:  # opens for writing: the dead writer's lock is gone, WAL recovered
        conn = store._conn
        assert conn is not None
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        per_batch = Counter(aid.split("-")[0] for (aid,) in conn.execute("SELECT id FROM articles"))
        for number in reported:
            assert per_batch[f"b{number}"] == BATCH, f"batch {number} was reported but is incomplete"
        assert set(per_batch.values()) == {BATCH}, "a batch was half-written"
        for table in ("entities", "quotes", "claims", "signatures", "vectors"):
            n, articles = conn.execute(f"SELECT count(*), count(DISTINCT article) FROM {table}").fetchone()
            assert n == articles == store.article_count(), f"{table} rows do not match the articles"
        for story in store.story_states():
            row = store.story(story.id)
            members = conn.execute("SELECT count(*) FROM articles WHERE story = ?", (story.id,)).fetchone()[0]
            assert row is not None and row.articles == members
            assert row.outlets == tuple(f"outlet{i}" for i in range(7))
