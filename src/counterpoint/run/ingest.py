"""Ingest: sources -> per-article work (any engine) -> near-duplicates and stories -> the store.

One writer. Each batch is placed (duplicate of an earlier article, or member of a story) and written in
one transaction together with the story states it changed; only then is it counted as stored. Killed at
any moment, a re-run rebuilds the indexes from the store and continues: what was stored stays stored
once, the rest is processed again.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice

from ..model import Article, Placement, Processed
from ..settings import Settings
from ..sources.records import Failure
from ..sources.stream import iter_sources
from ..store import Store
from ..stories.cluster import StoryClusterer, utc_time
from ..stories.dedup import DuplicateIndex
from ..stories.fingerprint import canonical_url, content_hash
from .engines import make_engine


@dataclass
class IngestReport:
    """Counts of one ingest run; ``failures`` are ``{"source", "reason"}``, one per bad item."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0  # stored, as copies of an earlier article
    known: int = 0  # already in the store (same canonical URL or content): skipped
    unclustered: int = 0  # stored, language not clustered
    stories: set[str] = field(default_factory=set)  # stories that gained an article
    failures: list[Failure] = field(default_factory=list)

    @property
    def skipped(self) -> Counter[str]:
        reasons: Counter[str] = Counter({"already stored": self.known} if self.known else {})
        reasons.update(f["reason"].split(":")[0] for f in self.failures)
        return reasons


Progress = Callable[[IngestReport], None]


class _Writer:
    """The single writer: places processed articles and writes them with the story states they change."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.duplicates = DuplicateIndex.from_signatures(store.signatures(), settings)
        self.clusterer = StoryClusterer.from_states(store.story_states(), settings)
        self.story_of: dict[str, str | None] = {}  # placements of this run

    def place(self, item: Processed) -> Placement:
        aid = item.article.id
        original = self.duplicates.add(aid, item.signature) if item.signature is not None else None
        if original is not None:
            story = self.story_of[original] if original in self.story_of else self.store.story_of(original)
        elif item.clustered and item.vector is not None:
            story = self.clusterer.add(aid, item.vector, item.time)
        else:
            story = None
        self.story_of[aid] = story
        return Placement(processed=item, duplicate_of=original, story=story)

    def write(self, placements: Sequence[Placement]) -> None:
        self.store.write(placements, self.clusterer.changed())


class _Fresh:
    """Articles not stored yet, each with an id that is free in the store (same id, other text: "-<hash>")."""

    def __init__(self, store: Store, report: IngestReport, now: str) -> None:
        self.store, self.report, self.now = store, report, now
        self.seen: set[str] = set()  # content hashes and canonical URLs of this run
        self.ids: set[str] = set()

    def __call__(self, items: Iterable[Article | Failure]) -> Iterator[Article]:
        for item in items:
            if isinstance(item, dict):
                self.report.failures.append(item)
                continue
            self.report.read += 1
            digest = content_hash(item.text)
            url = canonical_url(item.url)
            if digest in self.seen or (url and url in self.seen) or self.store.known(url, digest):
                self.report.known += 1
                continue
            self.seen.update(k for k in (digest, url) if k)
            if item.id in self.ids or self.store.known_ids([item.id]):
                item = dataclasses.replace(item, id=f"{item.id}-{digest[:8]}")
            self.ids.add(item.id)
            if not utc_time(item.published) and not utc_time(item.retrieved):
                item = dataclasses.replace(item, retrieved=self.now)  # every stored article has a time
            yield item


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def ingest(specs: Sequence[str], settings: Settings, *, engine: str = "local",
           progress: Progress | None = None) -> IngestReport:
    """Read every source, analyse each new article, place it and store it; returns the counts."""
    report = IngestReport()
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with Store(settings.db) as store:
        writer = _Writer(store, settings)
        fresh = _Fresh(store, report, now)
        runner = make_engine(engine, settings)
        try:
            for results in runner.map(_batches(fresh(iter_sources(specs, settings)), settings.batch_size)):
                placements = []
                for result in results:
                    if isinstance(result, dict):
                        report.failures.append(result)
                    else:
                        placements.append(writer.place(result))
                writer.write(placements)
                _count(report, placements)
                if progress:
                    progress(report)
        finally:
            runner.close()
    return report


def _count(report: IngestReport, placements: Sequence[Placement]) -> None:
    for p in placements:
        report.stored += 1
        report.duplicates += p.duplicate_of is not None
        report.unclustered += not p.processed.clustered
        if p.story:
            report.stories.add(p.story)
