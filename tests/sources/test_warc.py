"""WARC and WARC.gz archives written here with warcio's WARCWriter, some of them broken by hand."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from counterpoint.model import Article
from counterpoint.settings import Settings
from counterpoint.sources.records import Failure
from counterpoint.sources.stream import iter_sources
from counterpoint.sources.warc import WarcStats, iter_warc

DATA = Path(__file__).resolve().parents[1] / "data"
S = Settings()
NEWS = (DATA / "news_article.html").read_bytes()
WIRE = (DATA / "wire_story.html").read_bytes()

# (uri, WARC-Type, HTTP status, Content-Type, body, WARC-Date)
CRAWL = [
    ("https://www.rundschau.example/stadt/tram.html", "response", "200 OK", "text/html; charset=utf-8", NEWS,
     "2024-03-15T08:30:00Z"),
    ("https://www.rundschau.example/stadt/tram.html", "request", None, None, b"", "2024-03-15T08:30:00Z"),
    ("https://img.example/photo.png", "response", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00",
     "2024-03-15T08:30:01Z"),
    ("https://www.rundschau.example/gone", "response", "404 Not Found", "text/html", b"<h1>Not found</h1>",
     "2024-03-15T08:30:02Z"),
    ("https://courier.example/news/fuel-spill", "response", "200 OK", "text/html", WIRE, "2023-11-02T17:05:09Z"),
]


def write_warc(records: list[tuple[str, str, str | None, str | None, bytes, str]], *, gzip: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    for uri, kind, status, ctype, body, date in records:
        if kind == "request":
            http = StatusAndHeaders("GET /stadt/tram.html HTTP/1.1", [("Host", "www.rundschau.example")],
                                    is_http_request=True)
        else:
            http = StatusAndHeaders(status, [("Content-Type", ctype or "")], protocol="HTTP/1.1")
        record = writer.create_warc_record(uri, kind, payload=io.BytesIO(body), length=len(body), http_headers=http,
                                           warc_headers_dict={"WARC-Date": date})
        writer.write_record(record)
    return buf.getvalue()


def offsets(data: bytes) -> list[int]:
    records = ArchiveIterator(io.BytesIO(data))
    found = []
    for _ in records:
        found.append(records.get_record_offset())
    return found


def read(path: Path, stats: WarcStats | None = None) -> tuple[list[Article], list[Failure]]:
    items = list(iter_warc(path, S, stats=stats))
    return [a for a in items if isinstance(a, Article)], [f for f in items if isinstance(f, dict)]


@pytest.mark.parametrize("compressed", [True, False])
def test_html_responses_become_articles(tmp_path: Path, compressed: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if compressed else "crawl.warc")
    path.write_bytes(write_warc(CRAWL, gzip=compressed))
    stats = WarcStats()
    articles, failures = read(path, stats)
    assert failures == []
    assert [a.id for a in articles] == ["rundschau.example-stadt-tram", "courier.example-news-fuel-spill"]
    assert [a.url for a in articles] == ["https://www.rundschau.example/stadt/tram.html",
                                         "https://courier.example/news/fuel-spill"]
    assert [a.retrieved for a in articles] == ["2024-03-15T08:30:00Z", "2023-11-02T17:05:09Z"]
    assert articles[0].title == "Stadtrat beschließt neue Straßenbahnlinie nach Osthafen"
    assert articles[0].published == "2024-03-14"
    assert articles[0].text.startswith("Nach jahrelangem Streit")
    assert articles[0].source == f"{path}@0"
    assert stats.records == 5 and stats.articles == 2 and stats.failures == 0
    assert stats.skipped == {"request": 1, "not HTML": 1, "HTTP 404": 1}


def test_bad_record_header_is_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    data = bytearray(write_warc(CRAWL, gzip=False))
    where = offsets(bytes(data))[2]  # the image response
    data[where:where + 5] = b"XXXX/"
    path = tmp_path / "broken.warc"
    path.write_bytes(bytes(data))
    articles, failures = read(path)
    assert [a.id for a in articles] == ["rundschau.example-stadt-tram", "courier.example-news-fuel-spill"]
    [failure] = failures
    assert failure["source"] == f"{path}@{where}"
    assert failure["reason"].startswith("malformed WARC record: bad record header 'XXXX/1.0'; resumed at byte")


def test_broken_gzip_member_is_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    data = write_warc(CRAWL, gzip=True)
    starts = offsets(data)
    cut = data[: starts[2] + 30] + data[starts[2] + 60:]  # the image record's member loses 30 bytes
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(cut)
    articles, failures = read(path)
    assert [a.id for a in articles] == ["rundschau.example-stadt-tram", "courier.example-news-fuel-spill"]
    assert [f["source"] for f in failures] == [f"{path}@{starts[2]}"]
    assert "resumed at byte" in failures[0]["reason"]


def test_broken_http_status_line(tmp_path: Path) -> None:
    data = write_warc(CRAWL[:1] + CRAWL[4:], gzip=False)
    second = offsets(data)[1]
    status = data.index(b"HTTP/1.1 200 OK", second)
    path = tmp_path / "http.warc"
    path.write_bytes(data[:status] + b"HTTQ/9 abc OK!!" + data[status + 15:])
    articles, failures = read(path)
    assert [a.id for a in articles] == ["rundschau.example-stadt-tram"]
    assert failures == [{"source": f"{path}@{second}",
                         "reason": "malformed WARC record: broken HTTP status line 'HTTQ/9 abc OK!!'; rest of the file "
                                   "skipped"}]


def test_truncated_file_keeps_what_came_before(tmp_path: Path) -> None:
    data = write_warc(CRAWL, gzip=True)
    last = offsets(data)[4]
    path = tmp_path / "truncated.warc.gz"
    path.write_bytes(data[: last + 200])
    articles, failures = read(path)
    assert [a.id for a in articles] == ["rundschau.example-stadt-tram"]
    [failure] = failures
    assert failure["source"] == f"{path}@{last}"
    assert failure["reason"].startswith("malformed WARC record: ")
    assert failure["reason"].endswith("; rest of the file skipped")


def test_wrong_content_length(tmp_path: Path) -> None:
    data = write_warc(CRAWL[:1] + CRAWL[4:], gzip=False)
    length = data.index(b"Content-Length: ") + len(b"Content-Length: ")
    end = data.index(b"\r\n", length)
    shorter = str(int(data[length:end]) - 40).encode()
    path = tmp_path / "length.warc"
    path.write_bytes(data[:length] + shorter + data[end:])
    articles, failures = read(path)
    assert [a.id for a in articles] == ["courier.example-news-fuel-spill"]
    assert [f["source"] for f in failures] == [f"{path}@0"]
    assert "wrong Content-Length" in failures[0]["reason"]


def test_whole_file_gzip_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "single.warc.gz"
    path.write_bytes(gzip.compress(write_warc(CRAWL, gzip=False)))
    articles, failures = read(path)
    assert failures == []
    assert [a.id for a in articles] == ["rundschau.example-stadt-tram", "courier.example-news-fuel-spill"]


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "page.warc"
    path.write_bytes(NEWS)
    assert list(iter_warc(path, S)) == [
        {"source": f"{path}@0",
         "reason": "malformed WARC record: bad record header '<!DOCTYPE html>'; rest of the file skipped"}]


def test_record_over_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    path.write_bytes(write_warc(CRAWL, gzip=True))
    limit = len(WIRE) + 100
    assert len(NEWS) > limit
    items = list(iter_warc(path, Settings(max_bytes=limit)))
    assert [i for i in items if isinstance(i, dict)] == [
        {"source": f"{path}@0", "reason": f"record larger than {limit} bytes (max_bytes)"}]
    assert [i.id for i in items if isinstance(i, Article)] == ["courier.example-news-fuel-spill"]


def test_warc_through_iter_sources_with_repeated_uri(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(write_warc(CRAWL + CRAWL[:1], gzip=True))
    missing = tmp_path / "missing.warc"
    items = list(iter_sources([str(path), str(missing)], S))
    assert [i.id if isinstance(i, Article) else i for i in items] == [
        "rundschau.example-stadt-tram", "courier.example-news-fuel-spill", "rundschau.example-stadt-tram-2",
        {"source": str(missing), "reason": "no such file"}]
