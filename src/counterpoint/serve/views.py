"""What the web app shows, as plain values: one function per page, used by the HTML pages and the JSON
API alike (``pages.py`` renders them with templates, ``api.py`` returns them as JSON).

``Browser`` holds what the functions share: the settings, one read-only ``Store`` per thread (SQLite
connections are cheap and a thread never waits on another's query), and the cache of computed story
comparisons (``store.cache``), keyed by the story's membership so that a story that gains an article is
compared again.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from .. import __version__
from ..errors import CompareError, CounterpointError, SettingsError
from ..model import Article
from ..report import render_html_body
from ..settings import Settings
from ..sources.records import Failure
from ..sources.text import article_from_text
from ..sources.web import load_url
from ..store import Store
from ..store.cache import ComparisonCache
from ..store.profiles import (
    EntityCount,
    EntityProfile,
    OutletProfile,
    entity_profile,
    outlet_names,
    outlet_profile,
    top_entities,
)
from ..store.search import (
    Page,
    Snippet,
    TimelineEntry,
    search_stories,
    story_key,
    story_snippets,
    story_timeline,
)
from ..store.story_list import StoryRow

T = TypeVar("T")
MEMO_ITEMS = 512  # outlet and entity answers kept in memory


class NotFound(CounterpointError):
    """A story, outlet or entity that is not in the database (HTTP 404)."""

    exit_code = 2


@dataclass(frozen=True)
class StoryFilters:
    """The story list's search box and filters, as the list page and ``GET /api/stories`` take them."""

    q: str | None = None
    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    lang: str | None = None
    min_outlets: int = 1
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class StoryView:
    """One story: its row, when each outlet published, the outlets followed that did not cover it, and the
    comparison of its independent reports (``document`` as JSON, ``html`` the report's body)."""

    story: StoryRow
    timeline: list[TimelineEntry]
    blindspot: list[str]
    document: dict[str, Any] | None
    html: str
    note: str = ""  # why there is no comparison (a story with one independent report)
    reports: tuple[Article, ...] = ()  # when there is no comparison: the independent reports, to read


@dataclass(frozen=True)
class CompareResult:
    document: dict[str, Any]
    html: str


class Browser:
    """The read side of one database, shared by every request."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._stores: list[Store] = []
        self._guard = threading.Lock()
        self._computing: dict[str, threading.Lock] = {}
        self._answers: OrderedDict[tuple[str, ...], tuple[int | None, Any]] = OrderedDict()
        with self.store() as store:  # fail now, with a clear message, when the database cannot be read
            self.path = store.path
        self.cache = ComparisonCache(settings.db, read_only=settings.read_only)

    @contextmanager
    def store(self) -> Iterator[Store]:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.settings.db, read_only=True)
            self._local.store = store
            with self._guard:
                self._stores.append(store)
        yield store

    def close(self) -> None:
        with self._guard:
            for store in self._stores:
                store.close()
            self._stores.clear()
        self.cache.close()

    # -- stories -----------------------------------------------------------------------------------

    def stories(self, filters: StoryFilters) -> Page[StoryRow]:
        if filters.page < 1 or not 1 <= filters.per_page <= 200:
            raise SettingsError("page must be 1 or more and per_page between 1 and 200")
        with self.store() as store:
            return search_stories(store, q=filters.q or None, since=filters.since or None,
                                  until=filters.until or None, outlet=filters.outlet or None,
                                  language=filters.lang or None, min_outlets=filters.min_outlets,
                                  page=filters.page, per_page=filters.per_page)

    def snippets(self, page: Page[StoryRow], q: str | None) -> dict[str, Snippet]:
        """Where each story of ``page`` matched the search ``q`` (none without one)."""
        if not q:
            return {}
        with self.store() as store:
            return story_snippets(store, [s.id for s in page.items], q)

    def story(self, story_id: str, follow: Sequence[str] = ()) -> StoryView:
        with self.store() as store:
            row = store.story(story_id)
            if row is None:
                raise NotFound(f"no story {story_id!r}")
            timeline = story_timeline(store, story_id)
            key = story_key(store, story_id)
        covered = {t.outlet for t in timeline if t.outlet}
        blindspot = sorted(o for o in follow if o and o not in covered)
        cache_key = f"{key}|{self.settings.embedder}|{__version__}"
        cached = self.cache.get(story_id, cache_key)
        if cached is None:
            try:
                cached = self._computed(story_id, cache_key)
            except CompareError as err:
                with self.store() as store:
                    alone = tuple(a for a, original in store.story_articles(story_id) if original is None)
                return StoryView(row, timeline, blindspot, None, "", note=err.message, reports=alone)
        document, html = cached
        return StoryView(row, timeline, blindspot, document, html)

    def _computed(self, story_id: str, cache_key: str) -> tuple[dict[str, Any], str]:
        """The story's comparison, computed once at a time: a second request for the story waits for the
        first and then finds it cached."""
        with self._guard:
            lock = self._computing.setdefault(story_id, threading.Lock())
        try:
            with lock:
                cached = self.cache.get(story_id, cache_key)
                if cached is None:
                    cached = self._compare_story(story_id)
                    self.cache.put(story_id, cache_key, *cached)
                return cached
        finally:
            with self._guard:  # a later request finds the cache (or computes anew with a new lock)
                self._computing.pop(story_id, None)

    def _compare_story(self, story_id: str) -> tuple[dict[str, Any], str]:
        from ..api import compare

        with self.store() as store:
            members = store.story_articles(story_id)
        articles = [a for a, original in members if original is None]
        copies: list[dict[str, str]] = [
            {"source": a.url or a.id, "reason": f"near-duplicate of {original} (counted once)"}
            for a, original in members if original is not None]
        if len(articles) < 2:
            raise CompareError(f"this story has {len(articles)} independent report"
                               f"{'' if len(articles) == 1 else 's'} so far: nothing to compare yet")
        result = compare(articles, self.settings)
        result = dataclasses.replace(result, dropped=(*result.dropped, *copies))
        return result.to_dict(), render_html_body(result)

    # -- outlets and entities ----------------------------------------------------------------------
    # These read the whole database (or a large sample of it), so each answer is kept until an article is
    # stored: articles are only ever added, so the highest ``seq`` tells whether anything changed.

    def outlets(self) -> list[tuple[str, int]]:
        return self._memo(("outlets",), outlet_names)

    def outlet(self, name: str) -> OutletProfile:
        profile = self._memo(("outlet", name), lambda store: outlet_profile(store, name))
        if profile is None:
            raise NotFound(f"no outlet {name!r}")
        return profile

    def entities(self, q: str | None = None, label: str | None = None) -> list[EntityCount]:
        return self._memo(("entities", q or "", label or ""),
                          lambda store: top_entities(store, q=q or None, label=label or None))

    def entity(self, name: str) -> EntityProfile:
        profile = self._memo(("entity", name), lambda store: entity_profile(store, name))
        if profile is None:
            raise NotFound(f"no entity {name!r}")
        return profile

    def _memo(self, key: tuple[str, ...], compute: Callable[[Store], T]) -> T:
        """``compute(store)``, remembered (``MEMO_ITEMS`` answers at most) until an article is stored."""
        with self.store() as store:
            version = store.read(lambda conn: conn.execute("SELECT max(seq) FROM articles").fetchone()[0])
            with self._guard:
                hit = self._answers.get(key)
                if hit is not None and hit[0] == version:
                    self._answers.move_to_end(key)
                    return cast(T, hit[1])
            value = compute(store)
        with self._guard:
            self._answers[key] = (version, value)
            while len(self._answers) > MEMO_ITEMS:
                self._answers.popitem(last=False)
        return value


def compare_now(inputs: Sequence[str], settings: Settings) -> CompareResult:
    """Compare pasted texts and URLs without storing anything. A URL is one line starting with http(s)://
    and is fetched within the settings' limits (and, unless allowed, never from a private address);
    anything else is the text of an article. Never reads a file of the server."""
    from ..api import compare

    texts = [t.strip() for t in inputs if t and t.strip()]
    if len(texts) > settings.max_compare_inputs:
        raise SettingsError(f"at most {settings.max_compare_inputs} articles in one comparison, got {len(texts)}")
    articles: list[Article] = []
    dropped: list[Failure] = []
    for n, text in enumerate(texts, 1):
        try:
            if _is_url(text):
                loaded, failures = load_url(text, settings, id=f"url-{n}")
                articles.extend(loaded)
                dropped.extend(failures)
            else:
                articles.append(article_from_text(text, id=f"text-{n}", source=f"text {n}"))
        except CounterpointError as err:
            dropped.append({"source": text if _is_url(text) else f"text {n}", "reason": err.message})
    if len(articles) < 2:
        reasons = "; ".join(f"{d['source']}: {d['reason']}" for d in dropped)
        raise CompareError(f"need at least two usable articles, got {len(articles)}"
                           + (f" ({reasons})" if reasons else ""))
    result = compare(articles, settings)
    result = dataclasses.replace(result, dropped=(*result.dropped, *dropped))
    return CompareResult(result.to_dict(), render_html_body(result))


def _is_url(text: str) -> bool:
    return "\n" not in text and text.lower().startswith(("http://", "https://"))
