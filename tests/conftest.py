from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest

with contextlib.suppress(ImportError):  # Ray's core library must load before usearch's (run/engines.py)
    import ray  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COUNTERPOINT_SHARED", ROOT.parent / "shared"))
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (seeds and evaluation data) is not beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def seeds(shared: Path) -> list[str]:
    return [str(shared / "seeds" / "000_eb1b102821afac78.txt"), str(shared / "seeds" / "003_e346abbffeafbc41.txt")]


@pytest.fixture(autouse=True, scope="session")
def _model_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # keep the parsed-model cache out of the user's home during tests, shared across the session
    os.environ.setdefault("COUNTERPOINT_CACHE", str(tmp_path_factory.mktemp("model-cache")))


@pytest.fixture
def schema1_db(tmp_path: Path) -> Path:
    """A database as counterpoint's first schema left it: story "old" with one article "old1" ("Alte
    Meldung", about the Werft), no search index."""
    from counterpoint.store import schema

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(f"{schema.MIGRATIONS[0]}\nPRAGMA user_version = 1;\n"
                       f"PRAGMA application_id = {schema.APPLICATION_ID};\nPRAGMA journal_mode = WAL;")
    conn.execute("INSERT INTO stories (id, centroid, size, first, last, title, articles) "
                 "VALUES ('old', x'', 1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'Alte Meldung', 1)")
    conn.execute("INSERT INTO articles (id, content_hash, time, clustered, story, title, text) VALUES "
                 "('old1', 'h1', '2024-01-01T00:00:00Z', 1, 'old', 'Alte Meldung', 'Ein Text über die Werft.')")
    conn.close()
    return db
