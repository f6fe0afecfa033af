"""RSS and Atom feeds (feedparser): every entry's page, loaded as an article.

A URL is fetched once and read by what came back: a feed (``<rss``, ``<feed``, ``<rdf:RDF`` or a feed
content type) yields the articles its entries link to, anything else is read as ``web.load_url`` reads it
(an HTML page is one article). An entry's published date and title fill in what its page lacks. An entry
whose page cannot be loaded is a ``Failure`` (named by its link) and the other entries go on.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from time import struct_time
from typing import Any

import feedparser

from ..errors import SourceError
from ..model import Article
from ..settings import Settings
from .records import Failure, to_failure
from .text import read_bytes
from .web import fetch, load_url, read_fetched

__all__ = ["FeedEntry", "is_feed", "iter_entries", "iter_feed_file", "iter_url", "parse_feed"]

log = logging.getLogger(__name__)

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_FEED_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*<(?:rss|feed|rdf:RDF)\b",
    re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: where its article is, and what the feed says about it."""

    link: str | None
    title: str | None = None
    published: str | None = None  # ISO 8601 datetime (UTC)


def is_feed(data: bytes, content_type: str = "") -> bool:
    """Whether ``data`` is RSS or Atom: by its first element, or by a feed content type."""
    return bool(_FEED_START.match(data[:4096])) or content_type.lower() in _FEED_TYPES


def parse_feed(data: bytes, *, base_url: str | None = None) -> list[FeedEntry]:
    """The entries of an RSS or Atom document; relative links are resolved against ``base_url``.

    Raises ``SourceError`` when ``data`` is not a feed. A feed with XML errors still gives the entries
    feedparser could read.
    """
    headers = {"content-location": base_url} if base_url else {}
    # a BytesIO, never bytes or str: feedparser would open a string that looks like a path or URL
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f": {str(problem).splitlines()[0]}" if problem else ""
        raise SourceError(f"not an RSS or Atom feed{detail}")
    if parsed.get("bozo"):
        log.debug("feed %s has XML errors (%s); read what could be parsed", base_url, parsed.get("bozo_exception"))
    return [_entry(e) for e in parsed.entries]


def _entry(entry: Any) -> FeedEntry:
    link = entry.get("link")
    title = " ".join(str(entry.get("title") or "").split()) or None
    date = entry.get("published_parsed") or entry.get("updated_parsed")
    return FeedEntry(link=str(link).strip() if link else None, title=title, published=_iso(date))


def _iso(date: struct_time | None) -> str | None:
    """feedparser's UTC ``struct_time`` as ISO 8601."""
    if not date:
        return None
    try:
        return datetime(*date[:6], tzinfo=UTC).isoformat()
    except (TypeError, ValueError):
        return None


def iter_entries(entries: list[FeedEntry], settings: Settings, *, source: str) -> Iterator[Article | Failure]:
    """Load the page of each entry; a failure for an entry names its link (``source#N`` without one)."""
    for n, entry in enumerate(entries, start=1):
        if not entry.link:
            yield {"source": f"{source}#{n}", "reason": "feed entry has no link"}
            continue
        try:
            articles, failures = load_url(entry.link, settings)
        except Exception as exc:  # one entry must not stop the feed
            yield to_failure(exc, entry.link)
            continue
        yield from (_fill(a, entry) for a in articles)
        yield from failures


def _fill(article: Article, entry: FeedEntry) -> Article:
    """The entry's title and published date where the page has none."""
    if (article.published or not entry.published) and (article.title or not entry.title):
        return article
    return dataclasses.replace(article, published=article.published or entry.published,
                               title=article.title or entry.title)


def iter_feed_file(path: str | Path, settings: Settings, *, source: str | None = None) -> Iterator[Article | Failure]:
    """The articles an RSS or Atom file on disk links to. Raises ``SourceError`` if it is not a feed."""
    source = source or str(path)
    entries = parse_feed(read_bytes(path, settings))
    yield from iter_entries(entries, settings, source=source)


def iter_url(url: str, settings: Settings) -> Iterator[Article | Failure]:
    """Fetch ``url`` once: a feed gives the articles of its entries, a page (or records) gives itself.

    Raises ``FetchError`` when ``url`` itself cannot be fetched, ``SourceError``/``ExtractError`` when what
    came back cannot be read.
    """
    fetched = fetch(url, settings)
    if is_feed(fetched.data, fetched.content_type):
        entries = parse_feed(fetched.data, base_url=fetched.final_url)
        log.debug("%s: feed with %d entries", url, len(entries))
        yield from iter_entries(entries, settings, source=url)
        return
    articles, failures = read_fetched(fetched)
    yield from articles
    yield from failures
