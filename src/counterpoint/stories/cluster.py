"""Online, incremental story clustering: each new article joins the most similar open story or starts one.

``StoryClusterer.add(article_id, vector, time)`` places one article (its document vector from
``stories.vector``; near-duplicates are not added, ingest puts them into their original's story):

1. candidates: the stories whose centroids are nearest to the vector, from an approximate
   nearest-neighbour index (usearch, cosine) over the centroids, re-scored exactly;
2. the article joins the most similar candidate whose centroid cosine is at least
   ``Settings.story_threshold`` and whose time span, widened by ``Settings.story_window_days`` on both
   sides, contains the article's time;
3. otherwise it starts a new story (id ``"s"`` + 12 hex digits of the SHA-1 of the article id); when a
   story above the threshold exists outside the window, the new story is ``linked_to`` the most similar
   such story (a follow-up a month later is a new story linked to the old one).

A story's centroid is kept as a unit vector and moves as the normalised running mean,
``centroid <- normalise(size * centroid + vector)``: this needs only what ``StoryState`` persists, so a
clusterer rebuilt with ``from_states`` places the next articles as the running one would.

Scale: an ``add`` is one ANN query and one update of one story, never a loop over stories. A moved
centroid is re-indexed (removed and added under the same key) once it has drifted from its indexed
copy (cosine below ``REINDEX_COSINE``); candidates are always re-scored with the exact centroid. When
every candidate is similar enough but outside the time window (a subject that recurs often), the
search widens, up to ``MAX_CANDIDATES`` stories.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from usearch.index import Index

from ..model import StoryState
from ..settings import Settings

CANDIDATES = 16  # stories asked from the ANN index per article
MAX_CANDIDATES = 1024  # widest search when all candidates are similar but outside the time window
REINDEX_COSINE = 0.99  # a centroid is re-indexed once its cosine to the indexed copy falls below this
# the ANN index keeps half-precision copies and adds with a narrower beam than usearch's default (128):
# on 8,700 real document vectors the nearest story above 0.6 was among the 16 candidates every time,
# at half the cost per add
INDEX_DTYPE = "f16"
EXPANSION_ADD = 64
_DAY = 86_400.0


def parse_time(value: str) -> float:
    """Seconds since the epoch of an ISO 8601 date or datetime (a time without zone counts as UTC)."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except (AttributeError, ValueError):
        raise ValueError(f"not an ISO 8601 date or time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def utc_time(value: str | None) -> str | None:
    """``value`` (ISO 8601 date or datetime) as one sortable UTC form, "2024-06-20T08:30:00Z"; None when
    it is empty or not ISO 8601. Stored times all take this form, so they compare as strings."""
    if not value:
        return None
    try:
        seconds = parse_time(value)
    except ValueError:
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def story_id(article_id: str, attempt: int = 0) -> str:
    """The id of the story that ``article_id`` starts: short, stable, and new on a later ``attempt``."""
    seed = article_id if attempt == 0 else f"{article_id}#{attempt}"
    return "s" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]


@dataclass(slots=True)
class _Story:
    """What the clusterer keeps of one story besides its centroid (a row of the centroid matrix)."""

    id: str
    key: int  # row in the centroid matrix and key in the ANN index
    size: int
    first: float  # epoch seconds
    last: float
    first_iso: str
    last_iso: str
    linked_to: str | None

    def covers(self, time: float, window: float) -> bool:
        """Whether ``time`` lies in the story's span widened by ``window`` seconds on both sides."""
        return self.first - window <= time <= self.last + window


class StoryClusterer:
    """Places articles into stories, one at a time, and reports the stories it changed."""

    def __init__(self, threshold: float, window_days: float) -> None:
        self.threshold = threshold
        self.window = window_days * _DAY
        self._stories: dict[str, _Story] = {}
        self._by_key: list[_Story] = []
        self._centroids = np.zeros((0, 0), dtype=np.float32)
        self._index: Index | None = None
        self._changed: dict[str, None] = {}  # insertion-ordered set of story ids

    @classmethod
    def from_settings(cls, settings: Settings) -> StoryClusterer:
        """An empty clusterer at ``settings.story_threshold`` and ``settings.story_window_days``."""
        return cls(settings.story_threshold, settings.story_window_days)

    @classmethod
    def from_states(cls, states: Iterable[StoryState], settings: Settings) -> StoryClusterer:
        """The clusterer over persisted stories (at start-up); nothing counts as changed afterwards."""
        clusterer = cls.from_settings(settings)
        for state in states:
            clusterer._restore(state)
        return clusterer

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, story: object) -> bool:
        return story in self._stories

    def add(self, article_id: str, vector: np.ndarray, time_iso: str) -> str:
        """Place one article; answer the id of its story (an existing one, or a new one it starts)."""
        unit = self._unit(vector)
        time = parse_time(time_iso)
        member, linked = self._choose(unit, time)
        if member is not None:
            self._join(member, unit, time, time_iso)
            return member.id
        return self._start(article_id, unit, time, time_iso, linked).id

    def changed(self) -> list[StoryState]:
        """The states of the stories created or modified since the last call (in order of first change)."""
        states = [self.state(story) for story in self._changed]
        self._changed.clear()
        return states

    states_changed = changed

    def state(self, story: str) -> StoryState:
        """The current state of one story."""
        s = self._stories[story]
        return StoryState(s.id, self._centroids[s.key].copy(), s.size, s.first_iso, s.last_iso, s.linked_to)

    def states(self) -> Iterator[StoryState]:
        """The states of all stories, in order of creation."""
        return (self.state(s.id) for s in self._by_key)

    # choosing a story

    def _choose(self, unit: np.ndarray, time: float) -> tuple[_Story | None, _Story | None]:
        """The story to join (most similar in the window), else the most similar one outside it."""
        count = CANDIDATES
        while True:
            similar = self._similar(unit, count)
            inside = [story for story in similar if story.covers(time, self.window)]
            if inside:
                return inside[0], None
            # fewer similar stories than asked for: there are no more to find
            if len(similar) < count or count >= min(len(self._stories), MAX_CANDIDATES):
                return None, (similar[0] if similar else None)
            count *= 4

    def _similar(self, unit: np.ndarray, count: int) -> list[_Story]:
        """Up to ``count`` nearest stories with an exact cosine at or above the threshold, best first."""
        if self._index is None or not self._stories:
            return []
        keys = np.asarray(self._index.search(unit, min(count, len(self._stories))).keys, dtype=np.int64)
        if keys.size == 0:
            return []
        cosines = self._centroids[keys] @ unit
        order = np.argsort(-cosines, kind="stable")
        # the ANN ranks by the indexed copies of the centroids; the exact cosine decides
        return [self._by_key[int(keys[i])] for i in order if cosines[i] >= self.threshold]

    # changing stories

    def _join(self, story: _Story, unit: np.ndarray, time: float, time_iso: str) -> None:
        mean = story.size * self._centroids[story.key].astype(np.float64) + unit
        self._centroids[story.key] = self._unit(mean)
        story.size += 1
        if time < story.first:
            story.first, story.first_iso = time, time_iso
        if time > story.last:
            story.last, story.last_iso = time, time_iso
        self._reindex_if_moved(story)
        self._changed[story.id] = None

    def _start(self, article_id: str, unit: np.ndarray, time: float, time_iso: str,
               linked: _Story | None) -> _Story:
        attempt = 0
        while story_id(article_id, attempt) in self._stories:
            attempt += 1
        story = _Story(story_id(article_id, attempt), len(self._by_key), 1, time, time, time_iso, time_iso,
                       linked.id if linked else None)
        self._append(story, unit)
        self._changed[story.id] = None
        return story

    def _restore(self, state: StoryState) -> None:
        if state.id in self._stories:
            raise ValueError(f"story {state.id} is given twice")
        story = _Story(state.id, len(self._by_key), state.size, parse_time(state.first), parse_time(state.last),
                       state.first, state.last, state.linked_to)
        self._append(story, self._unit(state.centroid))

    def _append(self, story: _Story, unit: np.ndarray) -> None:
        index = self._ensure_index(unit.shape[0])
        if story.key == len(self._centroids):
            grown = np.zeros((max(64, 2 * story.key), unit.shape[0]), dtype=np.float32)
            grown[: story.key] = self._centroids
            self._centroids = grown
        self._centroids[story.key] = unit
        self._stories[story.id] = story
        self._by_key.append(story)
        index.add(story.key, unit)

    def _reindex_if_moved(self, story: _Story) -> None:
        assert self._index is not None
        indexed = np.asarray(self._index.get(story.key), dtype=np.float32).reshape(-1)
        current = self._centroids[story.key]
        if float(indexed @ current) < REINDEX_COSINE * float(np.linalg.norm(indexed)):
            self._index.remove(story.key)
            self._index.add(story.key, current)

    def _ensure_index(self, dim: int) -> Index:
        if self._index is None:
            self._index = Index(ndim=dim, metric="cos", dtype=INDEX_DTYPE, expansion_add=EXPANSION_ADD)
            self._centroids = np.zeros((0, dim), dtype=np.float32)
        elif self._index.ndim != dim:
            raise ValueError(f"a document vector has {dim} dimensions, the stories have {self._index.ndim}")
        return self._index

    def _unit(self, vector: np.ndarray) -> np.ndarray:
        values = np.asarray(vector, dtype=np.float64).reshape(-1)
        if self._index is not None and values.shape[0] != self._index.ndim:
            raise ValueError(f"a document vector has {values.shape[0]} dimensions, "
                             f"the stories have {self._index.ndim}")
        norm = float(np.linalg.norm(values))
        return (values / norm if norm > 0 else values).astype(np.float32)
