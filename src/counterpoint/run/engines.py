"""Where the per-article work runs: in this process, in a pool of processes, or on Ray.

Every engine maps ``Processor`` over batches of articles and yields the results batch by batch, in
input order, so the single writer downstream sees the same sequence whatever the engine.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.pool import AsyncResult
from typing import Any, Protocol

from ..errors import SettingsError
from ..model import Article, Processed
from ..settings import Settings
from ..sources.records import Failure
from .process import Processor

Results = list[Processed | Failure]


class Engine(Protocol):
    name: str

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[Results]: ...

    def close(self) -> None: ...


def cores(settings: Settings) -> int:
    return settings.workers if settings.workers > 0 else (os.cpu_count() or 1)


class InProcess:
    """Everything in this process (one worker, or where processes cannot be started)."""

    name = "local"

    def __init__(self, settings: Settings) -> None:
        self.processor = Processor(settings, threads=cores(settings))

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[Results]:
        for batch in batches:
            yield self.processor(batch)

    def close(self) -> None:
        pass


_worker: Processor | None = None


def _init_worker(settings: Settings) -> None:
    global _worker
    _worker = Processor(settings, threads=1)


def _run_worker(batch: Sequence[Article]) -> Results:
    assert _worker is not None
    return _worker(batch)


class Pool:
    """A pool of worker processes, one per core, each with its own models; results stay in order."""

    name = "local"

    def __init__(self, settings: Settings, workers: int) -> None:
        ctx = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads
        self.pool = ctx.Pool(workers, initializer=_init_worker, initargs=(settings,))
        self.workers = workers

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[Results]:
        """At most two batches per worker in flight: the input is read only as fast as it is processed."""
        pending: deque[AsyncResult[Results]] = deque()
        for batch in batches:
            pending.append(self.pool.apply_async(_run_worker, (batch,)))
            if len(pending) >= 2 * self.workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


def _ray_batch(batch: dict[str, Any], settings: Settings) -> dict[str, Any]:
    processor = Processor(settings, threads=1)  # models are cached per Ray worker process
    articles = [pickle.loads(b) for b in batch["article"]]
    return {"result": [pickle.dumps(r) for r in processor(articles)]}


class Ray:
    """Ray Data: each batch of articles is a block processed by ``_ray_batch`` on the cluster; the
    order of results is preserved. A local Ray starts when ``Settings.ray_address`` is empty."""

    name = "ray"

    def __init__(self, settings: Settings) -> None:
        # Ray's core library and usearch's each bring C++ standard-library code; whichever loads second
        # aborts Ray's start-up (std::regex_error). Refuse with a message instead of letting the process die.
        if "usearch.index" in sys.modules and "ray._raylet" not in sys.modules:
            raise SettingsError("Ray must be imported before the story index (usearch) in one process: run "
                                "`counterpoint ingest --engine ray` in its own process, or `import ray` first")
        try:
            import ray
        except ImportError:
            raise SettingsError("--engine ray needs Ray: pip install 'counterpoint[ray]'") from None
        self.ray = ray
        self.settings = settings
        self.started = not ray.is_initialized()
        if self.started:
            ray.init(address=settings.ray_address or None, num_cpus=None if settings.ray_address else cores(settings),
                     include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[Results]:
        group: list[Sequence[Article]] = []
        for batch in batches:
            group.append(batch)
            if len(group) >= 4 * cores(self.settings):
                yield from self._run(group)
                group = []
        if group:
            yield from self._run(group)

    def _run(self, group: list[Sequence[Article]]) -> Iterator[Results]:
        """One dataset per group of batches keeps memory flat for an endless stream."""
        rows = [{"article": pickle.dumps(a)} for batch in group for a in batch]
        fn: Any = _ray_batch  # Ray's stubs do not accept a function with keyword arguments
        ds = self.ray.data.from_items(rows).map_batches(
            fn, fn_kwargs={"settings": self.settings}, batch_size=self.settings.batch_size,
            batch_format="numpy")
        results = [pickle.loads(r["result"]) for r in ds.iter_rows()]
        start = 0
        for batch in group:
            yield results[start : start + len(batch)]
            start += len(batch)

    def close(self) -> None:
        if self.started:
            self.ray.shutdown()


def make_engine(name: str, settings: Settings) -> Engine:
    if name == "ray":
        return Ray(settings)
    if name != "local":
        raise SettingsError(f"engine must be local or ray, not {name!r}")
    workers = cores(settings)
    return Pool(settings, workers) if workers > 1 else InProcess(settings)
