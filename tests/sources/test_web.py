"""Fetching URLs against a real HTTP server on 127.0.0.1 (a thread), not mocks."""

from __future__ import annotations

import json
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from counterpoint.errors import FetchError
from counterpoint.settings import Settings
from counterpoint.sources import load_source, load_sources

DATA = Path(__file__).resolve().parents[1] / "data"
S = Settings()
HUGE = 50 * 1024 * 1024
CHUNK = b"x" * 65536
BODY = "The council approved the new tram line on Thursday. The cost is put at 212 million euros."


class Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        try:
            if path == "/article":
                self._send(200, (DATA / "news_article.html").read_bytes(), "text/html; charset=utf-8")
            elif path == "/plain":
                self._send(200, f"Tram line approved\n{BODY}\n".encode(), "text/plain; charset=utf-8")
            elif path == "/latin1":
                self._send(200, "Grüße aus Köln. Der Rat hat getagt.".encode("latin-1"),
                           "text/plain; charset=iso-8859-1")
            elif path == "/feed":
                lines = [json.dumps({"id": "r1", "text": BODY}), "{broken",
                         json.dumps({"id": "r2", "text": BODY})]
                self._send(200, "\n".join(lines).encode(), "application/x-ndjson")
            elif path == "/data.json":
                self._send(200, json.dumps([{"text": BODY, "outlet": "Ledger"}]).encode(), "application/json")
            elif path == "/image":
                self._send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png")
            elif path == "/missing":
                self._send(404, b"<h1>Not Found</h1>", "text/html")
            elif path == "/error":
                self._send(503, b"busy", "text/plain")
            elif path == "/redirect":
                self._send(302, b"", "text/plain", {"Location": "/article"})
            elif path.startswith("/hop"):
                n = int(path.removeprefix("/hop") or 0)
                self._send(302, b"", "text/plain", {"Location": f"/hop{n + 1}"})
            elif path == "/slow":
                time.sleep(3)
                self._send(200, BODY.encode(), "text/plain")
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b"a ")
                    self.wfile.flush()
                    time.sleep(0.1)
            elif path in ("/huge", "/huge-chunked"):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                if path == "/huge":
                    self.send_header("Content-Length", str(HUGE))
                self.end_headers()
                sent = 0
                try:
                    while sent < HUGE:
                        self.wfile.write(CHUNK)
                        sent += len(CHUNK)
                finally:
                    self.server.sent[path] = sent
            else:
                self._send(404, b"", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up, as it should for /huge
        finally:
            self.server.done[path].set()


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.sent: dict[str, int] = {}
        self.done: dict[str, threading.Event] = _Events()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class _Events(dict):
    def __missing__(self, key: str) -> threading.Event:
        self[key] = event = threading.Event()
        return event


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def test_html_article(server: LocalServer) -> None:
    [a] = load_source(f"{server.url}/article", S)
    assert a.title == "Stadtrat beschließt neue Straßenbahnlinie nach Osthafen"
    assert a.outlet == "Rheinpfalz Rundschau"
    assert a.source == f"{server.url}/article"
    assert a.id == "127.0.0.1-article"
    assert a.text.startswith("Nach jahrelangem Streit")
    assert "Cookies" not in a.text


def test_redirect_is_followed(server: LocalServer) -> None:
    [a] = load_source(f"{server.url}/redirect", S)
    assert a.source == f"{server.url}/redirect"
    assert a.title == "Stadtrat beschließt neue Straßenbahnlinie nach Osthafen"


def test_too_many_redirects(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
        load_source(f"{server.url}/hop0", S)


def test_plain_text_json_and_jsonl(server: LocalServer) -> None:
    urls = [f"{server.url}/plain", f"{server.url}/data.json", f"{server.url}/feed", f"{server.url}/latin1"]
    articles, failures = load_sources(urls, S)
    assert [a.id for a in articles] == [
        "127.0.0.1-plain", "127.0.0.1-data-json-1", "r1", "r2", "127.0.0.1-latin1"]
    plain = articles[0]
    assert (plain.title, plain.text, plain.outlet) == ("Tram line approved", BODY, "127.0.0.1")
    assert articles[1].outlet == "Ledger"
    assert articles[4].text == "Grüße aus Köln. Der Rat hat getagt."
    assert failures == [{"source": f"{server.url}/feed:2", "reason": failures[0]["reason"]}]
    assert failures[0]["reason"].startswith("invalid JSON on line 2")


@pytest.mark.parametrize(("path", "message"), [
    ("/missing", "HTTP 404 Not Found"),
    ("/error", "HTTP 503 Service Unavailable"),
    ("/image", "unsupported content type 'image/png'"),
])
def test_http_errors(server: LocalServer, path: str, message: str) -> None:
    articles, failures = load_sources([f"{server.url}{path}"], S)
    assert articles == []
    assert failures == [{"source": f"{server.url}{path}", "reason": message}]


def test_timeout(server: LocalServer) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0.5 s$") as info:
        load_source(f"{server.url}/slow", S.replace(http_timeout=0.5))
    assert time.monotonic() - started < 2.5
    assert str(info.value) == f"{server.url}/slow: timed out after 0.5 s"


def test_trickling_server_hits_the_total_deadline(server: LocalServer) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 2 s \(whole download\)"):
        load_source(f"{server.url}/drip", S.replace(http_timeout=0.5))
    assert time.monotonic() - started < 5


def test_unreachable_host() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match=r": cannot connect: ") as info:
        load_source(f"http://127.0.0.1:{port}/article", S.replace(http_timeout=2))
    assert "\n" not in str(info.value)


def test_huge_body_with_content_length_is_refused_at_once(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"response larger than 10000000 bytes"):
        load_source(f"{server.url}/huge", S)
    assert server.done["/huge"].wait(10)
    assert server.sent["/huge"] < HUGE // 2


def test_huge_streamed_body_aborts_early_with_small_memory(server: LocalServer) -> None:
    settings = S.replace(max_bytes=1_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=r": response larger than 1000000 bytes$"):
            load_source(f"{server.url}/huge-chunked", settings)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000
    assert server.done["/huge-chunked"].wait(10)
    assert server.sent["/huge-chunked"] < HUGE // 2


def test_non_http_scheme_is_a_path() -> None:
    articles, failures = load_sources(["ftp://example.org/a.txt"], S)
    assert articles == [] and failures[0]["reason"] == "no such file"
