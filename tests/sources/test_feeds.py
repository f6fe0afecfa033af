"""Feeds, feed URLs and URL lists against a real HTTP server on 127.0.0.1 (a thread), not mocks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from counterpoint.model import Article
from counterpoint.settings import Settings
from counterpoint.sources import iter_sources
from counterpoint.sources.feeds import is_feed, parse_feed

DATA = Path(__file__).resolve().parents[1] / "data"
S = Settings(http_timeout=0.5)
BODY = " ".join(["Der Stadtrat hat am Donnerstag den Bau der neuen Straßenbahnlinie beschlossen."] * 3)
BARE_PAGE = f"<html><body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>"  # no title, no date

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lokales</title><link>/</link>
<item><title>Stadtrat beschließt Straßenbahn</title><link>/news</link>
  <pubDate>Thu, 14 Mar 2024 18:00:00 +0100</pubDate></item>
<item><title>Verschwundene Meldung</title><link>/missing</link></item>
<item><title>Bahnlinie: Rat entscheidet</title><link>/bare</link>
  <pubDate>Fri, 15 Mar 2024 07:30:00 +0100</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<!-- mirror -->
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><title>Fuel spill fine</title><link href="/wire"/><updated>2023-11-02T17:00:00Z</updated></entry>
<entry><title>No link here</title><updated>2023-11-03T09:00:00Z</updated></entry>
</feed>"""


class Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1
        pages = {
            "/feed.xml": (RSS.encode(), "application/rss+xml"),
            "/atom": (ATOM.encode(), "text/xml; charset=utf-8"),  # only the first bytes say it is a feed
            "/news": ((DATA / "news_article.html").read_bytes(), "text/html; charset=utf-8"),
            "/wire": ((DATA / "wire_story.html").read_bytes(), "text/html; charset=utf-8"),
            "/bare": (BARE_PAGE.encode(), "text/html; charset=utf-8"),
            "/plain": (f"Straßenbahn beschlossen\n{BODY}\n".encode(), "text/plain; charset=utf-8"),
        }
        try:
            if self.path == "/slow-feed":
                time.sleep(2)
                self._send(200, RSS.encode(), "application/rss+xml")
            elif self.path in pages:
                self._send(200, *pages[self.path])
            else:
                self._send(404, b"<h1>Not Found</h1>", "text/html")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: dict[str, int] = {}

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@pytest.fixture(scope="module")
def local() -> Iterator[LocalServer]:
    srv = LocalServer()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


@pytest.fixture
def server(local: LocalServer) -> str:
    return local.url


def split(items: list[Article | dict[str, str]]) -> tuple[list[Article], list[dict[str, str]]]:
    return [a for a in items if isinstance(a, Article)], [f for f in items if isinstance(f, dict)]


def test_feed_url_entries_become_articles_and_a_dead_link_a_failure(server: str) -> None:
    items = list(iter_sources([f"{server}/feed.xml"], S))
    articles, failures = split(items)
    assert [a.id if isinstance(a, Article) else a["source"] for a in items] == [
        "127.0.0.1-news", f"{server}/missing", "127.0.0.1-bare"]
    assert failures == [{"source": f"{server}/missing", "reason": "HTTP 404 Not Found"}]
    news, bare = articles
    assert news.url == "https://www.rheinpfalz-rundschau.example/lokales/stadtrat-strassenbahn-osthafen-100.html"
    assert news.title == "Stadtrat beschließt neue Straßenbahnlinie nach Osthafen"  # the page's own title wins
    assert news.published == "2024-03-14"  # and its own date
    assert bare.title == "Bahnlinie: Rat entscheidet"  # the page has none: the entry's
    assert bare.published == "2024-03-15T06:30:00+00:00"
    assert bare.text.startswith("Der Stadtrat hat am Donnerstag")


def test_atom_feed_sniffed_from_its_first_bytes(server: str) -> None:
    items = list(iter_sources([f"{server}/atom"], S))
    assert [a.id if isinstance(a, Article) else a for a in items] == [
        "127.0.0.1-wire", {"source": f"{server}/atom#2", "reason": "feed entry has no link"}]


def test_feed_that_times_out_is_one_failure(server: str) -> None:
    started = time.monotonic()
    items = list(iter_sources([f"{server}/slow-feed", f"{server}/plain"], S))
    assert time.monotonic() - started < 1.8
    assert items[0] == {"source": f"{server}/slow-feed", "reason": "timed out after 0.5 s"}
    assert isinstance(items[1], Article) and items[1].id == "127.0.0.1-plain"
    assert len(items) == 2


def test_article_url_is_fetched_once(local: LocalServer) -> None:
    before = local.hits.get("/wire", 0)
    [article] = list(iter_sources([f"{local.url}/wire"], S))
    assert isinstance(article, Article)
    assert article.title == "Harbour authority fines shipping firm over fuel spill"
    assert local.hits["/wire"] == before + 1


def test_url_list_file(server: str, tmp_path: Path) -> None:
    listing = tmp_path / "reading.urls"
    listing.write_text(f"# monday\n{server}/plain\n\nnot a url\n{server}/feed.xml\n", encoding="utf-8")
    items = list(iter_sources([str(listing)], S))
    assert [a.id if isinstance(a, Article) else a["source"] for a in items] == [
        "127.0.0.1-plain", f"{listing}:4", "127.0.0.1-news", f"{server}/missing", "127.0.0.1-bare"]
    assert items[1] == {"source": f"{listing}:4", "reason": "not an http(s) URL"}


def test_txt_file_of_urls_is_a_url_list(server: str, tmp_path: Path) -> None:
    listing = tmp_path / "links.txt"
    listing.write_text(f"{server}/wire\n{server}/wire\n", encoding="utf-8")
    items = list(iter_sources([str(listing)], S))
    assert [a.id for a in items if isinstance(a, Article)] == ["127.0.0.1-wire", "127.0.0.1-wire-2"]
    prose = tmp_path / "note.txt"
    prose.write_text(f"Siehe {server}/wire\n{BODY}\n", encoding="utf-8")
    [note] = list(iter_sources([str(prose)], S))
    assert isinstance(note, Article) and note.id == "note"


def test_local_feed_file(server: str, tmp_path: Path) -> None:
    feed = tmp_path / "saved.rss"
    feed.write_text(RSS.replace("<link>/", f"<link>{server}/"), encoding="utf-8")
    articles, failures = split(list(iter_sources([str(feed)], S)))
    assert [a.id for a in articles] == ["127.0.0.1-news", "127.0.0.1-bare"]
    assert failures == [{"source": f"{server}/missing", "reason": "HTTP 404 Not Found"}]


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "data.xml"
    path.write_text("<?xml version='1.0'?><catalog><book/></catalog>", encoding="utf-8")
    [failure] = list(iter_sources([str(path)], S))
    assert failure == {"source": str(path), "reason": "not an RSS or Atom feed"}


def test_feed_detection_and_parsing() -> None:
    assert is_feed(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- x -->\n<rdf:RDF xmlns:rdf='r'>")
    assert is_feed(b"<html><body>", "application/atom+xml")
    assert not is_feed(b"<!DOCTYPE html><html><head><title>rss</title>", "text/html")
    [entry, _] = parse_feed(ATOM.encode(), base_url="https://wire.example/feeds/all")
    assert entry.link == "https://wire.example/wire"
    assert entry.title == "Fuel spill fine"
    assert entry.published == "2023-11-02T17:00:00+00:00"
