from __future__ import annotations

import contextlib
import os
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
