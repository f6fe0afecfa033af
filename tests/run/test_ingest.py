"""Ingest end to end: sources -> analysis -> near-duplicates and stories -> the SQLite store, then the CLI
commands that read the store (stories, story, export). Real files, a real database, real models."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from counterpoint.cli import main
from counterpoint.run.ingest import ingest
from counterpoint.settings import Settings

STORIES = sorted((Path(__file__).resolve().parents[1] / "data" / "stories").glob("*.jsonl"))

FINNISH = (
    "Helsingin kaupunginvaltuusto hyväksyi keskiviikkona uuden raitiotien rakentamisen Itä-Helsinkiin.\n"
    "Hankkeen kustannusarvio on noin 400 miljoonaa euroa, ja rakennustöiden on määrä alkaa ensi vuonna.\n"
    "Valtuutetut keskustelivat asiasta yli viisi tuntia ennen äänestystä.\n"
)


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _copy_of(record: dict) -> dict:
    """Agency copy as another outlet reprints it: same text with a small edit, another id, URL and outlet."""
    text = record["text"].replace("\n", "\n\n", 1) + "\n(Mit Material von Agenturen.)"
    return {**record, "id": "reprint", "outlet": "Reprint Daily", "url": "https://reprint.example/a", "text": text}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, seeds: list[str]) -> Path:
    """The four annotated stories, the two seeds, a Finnish article, a reprint of one article, and one
    unreadable file."""
    root = tmp_path_factory.mktemp("corpus")
    for path in STORIES:
        shutil.copy(path, root / path.name)
    for seed in seeds:
        shutil.copy(seed, root / Path(seed).name)
    (root / "helsinki.txt").write_text(FINNISH, encoding="utf-8")
    (root / "reprint.jsonl").write_text(json.dumps(_copy_of(_records(STORIES[0])[0])) + "\n", encoding="utf-8")
    (root / "broken.html").write_bytes(b"\x00\x01\x02 not a page \xff\xfe" * 20)
    return root


def _expected_count() -> int:
    return sum(len(_records(p)) for p in STORIES) + 2 + 1 + 1  # stories, seeds, Finnish, reprint


def _settings(db: Path, **changes: object) -> Settings:
    return Settings().replace(**{"db": str(db), "workers": 1, "batch_size": 8, **changes})


def _rows(db: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT id, content_hash, story, duplicate_of, clustered, language, time FROM articles"
                            " ORDER BY id").fetchall()
    finally:
        conn.close()


def _partition(db: Path) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for row in _rows(db):
        if row["story"]:
            groups.setdefault(row["story"], set()).add(row["id"])
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def stored(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("db") / "news.db"
    report = ingest([str(corpus)], _settings(db))
    assert report.stored == _expected_count()
    assert report.duplicates == 1 and report.unclustered == 1 and report.known == 0
    assert [f["source"] for f in report.failures] == [str(corpus / "broken.html")]
    return db


def test_every_article_is_stored_once_with_a_time(stored: Path) -> None:
    rows = _rows(stored)
    assert len(rows) == _expected_count()
    assert len({r["content_hash"] for r in rows}) == len(rows)
    assert all(r["time"].endswith("Z") and len(r["time"]) == 20 for r in rows)  # one UTC form


def test_the_reprint_is_a_copy_in_its_originals_story(stored: Path) -> None:
    by_id = {r["id"]: r for r in _rows(stored)}
    original = _records(STORIES[0])[0]["id"]
    assert by_id["reprint"]["duplicate_of"] == original
    assert by_id["reprint"]["story"] == by_id[original]["story"] is not None
    assert sum(r["duplicate_of"] is not None for r in by_id.values()) == 1


def test_a_language_outside_the_story_languages_is_stored_but_not_clustered(stored: Path) -> None:
    finnish = [r for r in _rows(stored) if r["language"] == "fi"]
    assert len(finnish) == 1 and finnish[0]["story"] is None and not finnish[0]["clustered"]


def test_stories_group_reports_of_one_event_and_only_those(stored: Path) -> None:
    by_id = {r["id"]: r["story"] for r in _rows(stored)}
    seeds = [by_id[i] for i in by_id if i.startswith(("000_", "003_"))]
    assert len(seeds) == 2 and seeds[0] == seeds[1]
    events = {p.stem: {by_id[r["id"]] for r in _records(p)} for p in STORIES}
    for name, ids in events.items():  # no story mixes two events
        others = set().union(*(v for k, v in events.items() if k != name), seeds)
        assert not ids & others, name
    # most reports of an event land in one story (the eval clusters command measures this properly)
    largest = [max(sum(by_id[r["id"]] == s for r in _records(p)) for s in events[p.stem]) for p in STORIES]
    assert sum(largest) >= 0.75 * sum(len(_records(p)) for p in STORIES)


def test_a_second_run_stores_nothing_new(stored: Path, corpus: Path) -> None:
    before = _rows(stored)
    report = ingest([str(corpus)], _settings(stored))
    assert report.stored == 0 and report.known == _expected_count()
    assert [tuple(r) for r in _rows(stored)] == [tuple(r) for r in before]


def test_the_same_text_under_another_url_is_known(stored: Path, tmp_path: Path) -> None:
    record = {**_records(STORIES[1])[0], "url": "https://elsewhere.example/x", "id": "other-id"}
    (tmp_path / "again.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = ingest([str(tmp_path / "again.jsonl")], _settings(stored))
    assert (report.stored, report.known) == (0, 1)


@pytest.mark.slow
def test_process_pool_and_ray_give_the_in_process_result(corpus: Path, stored: Path, tmp_path: Path) -> None:
    pytest.importorskip("ray")
    pool_db, ray_db = tmp_path / "pool.db", tmp_path / "ray.db"
    ingest([str(corpus)], _settings(pool_db, workers=2))
    ingest([str(corpus)], _settings(ray_db, workers=2), engine="ray")
    expected = [(r["id"], r["duplicate_of"], r["clustered"], r["language"]) for r in _rows(stored)]
    for db in (pool_db, ray_db):
        assert [(r["id"], r["duplicate_of"], r["clustered"], r["language"]) for r in _rows(db)] == expected
        assert _partition(db) == _partition(stored)


def test_killed_mid_ingest_a_rerun_completes_without_loss_or_repeats(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    env = {**os.environ, "COUNTERPOINT_BATCH_SIZE": "2", "COUNTERPOINT_WORKERS": "1"}
    command = [sys.executable, "-m", "counterpoint", "ingest", str(corpus), "--db", str(db)]
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if db.exists() and _count_quietly(db) >= 4:
            break
        time.sleep(0.05)
    assert child.poll() is None, "ingest finished before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    partial = {r["content_hash"] for r in _rows(db)}
    assert 4 <= len(partial) < _expected_count()
    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    rows = _rows(db)
    assert len(rows) == _expected_count() and len({r["content_hash"] for r in rows}) == len(rows)
    assert partial <= {r["content_hash"] for r in rows}
    assert {r["id"] for p in STORIES for r in _records(p)} <= {r["id"] for r in rows}


def _count_quietly(db: Path) -> int:
    try:
        return len(_rows(db))
    except sqlite3.Error:  # not created yet, or the schema is being written
        return 0


def test_cli_lists_stories_compares_one_and_exports(stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    assert main(["stories", "--db", str(stored), "--min-outlets", "2", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed and all(len(s["outlets"]) >= 2 for s in listed)
    with_copy = next(s for s in listed if s["duplicates"] == 1)
    assert with_copy["articles"] == len(set(with_copy["outlets"])) + 1  # the reprint is not an outlet of its own

    report = tmp_path / "story.json"
    assert main(["story", with_copy["id"], "--db", str(stored), "--out", str(report)]) == 0
    result = json.loads(report.read_text(encoding="utf-8"))
    assert "reprint" not in {a["id"] for a in result["articles"]}
    assert any("near-duplicate" in d["reason"] for d in result["dropped"])

    out = tmp_path / "tables"
    assert main(["export", "--db", str(stored), "--format", "jsonl", "--out", str(out)]) == 0
    articles = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(articles) == _expected_count()


def test_cli_errors_are_one_line(stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stories", "--db", str(tmp_path / "missing.db")]) == 2
    assert main(["story", "no-such-story", "--db", str(stored)]) == 2
    assert main(["ingest", str(tmp_path / "nothing-here"), "--db", str(tmp_path / "x.db")]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "no such database" in err and "no story" in err


def test_an_unexpected_error_in_one_article_fails_only_that_article() -> None:
    from counterpoint.model import Article
    from counterpoint.run.process import Processor

    processor = Processor(Settings(), threads=1)
    real, _ = processor._parts()

    class Flaky:  # the real pipeline, except that it breaks on one article
        def __call__(self, article: Article):  # type: ignore[no-untyped-def]
            if article.id == "bad":
                raise IndexError("list index out of range")
            return real(article)

    processor._pipeline = Flaky()  # type: ignore[assignment]
    good = Article(id="good", text="Der Rat der Stadt hat am Montag den Haushalt beschlossen.\n", source="good.txt")
    bad = Article(id="bad", text="Ein anderer Text über etwas ganz anderes.\n", source="bad.txt")
    results = processor([bad, good])
    assert results[0] == {"source": "bad.txt", "reason": "unexpected error: IndexError: list index out of range"}
    assert not isinstance(results[1], dict) and results[1].article.id == "good"


def test_ray_after_the_story_index_is_refused_in_one_line(tmp_path: Path) -> None:
    """In a fresh process that loaded usearch before Ray, the Ray engine says so instead of aborting."""
    pytest.importorskip("ray")
    code = ("import sys; sys.modules.pop('ray', None)\n"
            "from usearch.index import Index\n"
            "from counterpoint.errors import SettingsError\n"
            "from counterpoint.run.engines import make_engine\n"
            "from counterpoint.settings import Settings\n"
            "try:\n    make_engine('ray', Settings())\nexcept SettingsError as err:\n    print('refused:', err)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("refused: Ray must be imported before"), done.stderr[-500:]
