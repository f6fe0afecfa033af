"""iter_sources: folders, JSON Lines (plain and gzipped), sniffed files, failures in order, stable ids."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import tracemalloc
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from counterpoint.model import Article
from counterpoint.settings import Settings
from counterpoint.sources import iter_sources
from counterpoint.sources.records import Failure

DATA = Path(__file__).resolve().parents[1] / "data"
S = Settings()
BODY = "Der Stadtrat hat am Donnerstag den Bau der neuen Straßenbahnlinie beschlossen. Die Kosten sind hoch."


def ids(items: list[Article | Failure]) -> list[str]:
    """Article ids, and "!source" for each failure, in the order they came."""
    return [item.id if isinstance(item, Article) else f"!{item['source']}" for item in items]


def one_page_warc(uri: str) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    body = (DATA / "wire_story.html").read_bytes()
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), length=len(body),
                                                  http_headers=http))
    return buf.getvalue()


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def make_folder(root: Path) -> Path:
    folder = root / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / ".cache").mkdir()
    shutil.copy(DATA / "news_article.html", folder / "a.html")
    (folder / "b.txt").write_text(f"Straßenbahn beschlossen\n{BODY}\n", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # binary under a text name
    (folder / "d.json").write_text(json.dumps([{"text": BODY}, {"text": BODY, "title": "Zwei"}]), encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not an article file: left out
    (folder / ".draft.txt").write_text(BODY, encoding="utf-8")  # hidden: left out
    (folder / ".cache" / "old.txt").write_text(BODY, encoding="utf-8")  # hidden folder: left out
    (folder / "sub" / "e.jsonl").write_text(jsonl({"text": BODY}, "{oops"), encoding="utf-8")
    (folder / "sub" / "f.warc.gz").write_bytes(one_page_warc("https://courier.example/news/fuel-spill"))
    (folder / "z.txt").write_text(BODY, encoding="utf-8")
    return folder


def test_folder_mixed_files_in_sorted_order(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    items = list(iter_sources([str(folder)], S))
    assert ids(items) == ["a", "b", f"!{folder / 'c.txt'}", "d-1", "d-2", "e-1", f"!{folder / 'sub' / 'e.jsonl'}:2",
                          "courier.example-news-fuel-spill", "z"]
    failures = [i for i in items if isinstance(i, dict)]
    assert failures[0]["reason"] == "binary file, not text"
    assert failures[1]["reason"].startswith("invalid JSON: ")
    first = items[0]
    assert isinstance(first, Article) and first.source == str(folder / "a.html")
    assert first.title == "Stadtrat beschließt neue Straßenbahnlinie nach Osthafen"


def test_jsonl_bad_lines_are_failures_and_the_rest_loads(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text(jsonl({"text": BODY, "url": "https://dw.example/a"}, "", "{broken", [1, 2], {"title": "no text"},
                          {"id": "own", "text": BODY}), encoding="utf-8")
    items = list(iter_sources([str(path)], S))
    assert items[1:4] == [
        {"source": f"{path}:3", "reason": "invalid JSON: Expecting property name enclosed in double quotes (column 2)"},
        {"source": f"{path}:4", "reason": "record is a JSON list, not an object"},
        {"source": f"{path}:5", "reason": "record has no text (expected a 'text', 'body' or 'content' string)"},
    ]
    assert ids(items) == ["wire-1", f"!{path}:3", f"!{path}:4", f"!{path}:5", "own"]
    first = items[0]
    assert isinstance(first, Article) and first.outlet == "dw.example" and first.source == str(path)


def test_gzipped_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "wire.ndjson.gz"
    path.write_bytes(gzip.compress(("\ufeff" + jsonl({"text": BODY}, {"text": BODY, "title": "T"})).encode()))
    items = list(iter_sources([str(path)], S))
    assert ids(items) == ["wire-1", "wire-2"]


def test_truncated_gzipped_jsonl_keeps_the_lines_before(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    data = gzip.compress(jsonl(*({"text": f"{BODY} Meldung {i}."} for i in range(200))).encode())
    path.write_bytes(data[:-30])
    items = list(iter_sources([str(path)], S))
    *articles, failure = items
    assert len(articles) > 100 and all(isinstance(a, Article) for a in articles)
    assert isinstance(failure, dict) and failure["source"].startswith(f"{path}:")
    assert failure["reason"].endswith("rest of the file skipped")


def test_jsonl_is_streamed_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    text = " ".join([BODY] * 50)  # about 5 KB a record
    path.write_text(jsonl(*({"text": f"{text} Nummer {i}."} for i in range(120))), encoding="utf-8")
    size = path.stat().st_size
    settings = Settings(max_bytes=size // 20)  # the whole file is over the limit; each line is not
    next(iter_sources([str(path)], settings))  # warm up: lazy imports and caches are not the file
    tracemalloc.start()
    try:
        count = sum(isinstance(item, Article) for item in iter_sources([str(path)], settings))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 120
    assert peak < size / 3, (peak, size)  # about one record at a time, not the file


def test_jsonl_line_over_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(jsonl({"text": BODY * 50}, {"text": BODY}), encoding="utf-8")
    items = list(iter_sources([str(path)], Settings(max_bytes=1000)))
    assert items[0] == {"source": f"{path}:1", "reason": "line longer than 1000 bytes (max_bytes)"}
    assert ids(items)[1:] == ["long-2"]


def test_missing_and_empty_inputs_are_failures(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    items = list(iter_sources([str(tmp_path / "nope.html"), str(empty), str(blank), str(good)], S))
    missing, folder, records, article = items
    assert missing == {"source": str(tmp_path / "nope.html"), "reason": "no such file"}
    assert isinstance(folder, dict) and folder["source"] == str(empty)
    assert folder["reason"].startswith("no article files in folder (looked for .html, ")
    assert records == {"source": str(blank), "reason": "no records: the file has no non-blank lines"}
    assert isinstance(article, Article) and article.id == "good"


def test_unknown_extensions_are_sniffed(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.dat"
    crawl.write_bytes(one_page_warc("https://courier.example/news/fuel-spill"))
    dump = tmp_path / "dump.gz"
    dump.write_bytes(gzip.compress(jsonl({"text": BODY}).encode()))
    page = tmp_path / "page.out"
    shutil.copy(DATA / "news_article.html", page)
    items = list(iter_sources([str(crawl), str(dump), str(page)], S))
    assert ids(items) == ["courier.example-news-fuel-spill", "dump-1", "page"]


def test_ids_are_stable_across_runs_and_unique_within_one(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    extra = tmp_path / "b.txt"  # same stem as inbox/b.txt
    extra.write_text(BODY, encoding="utf-8")
    specs = [str(folder), str(extra), str(folder / "sub" / "f.warc.gz")]
    first = [i.id for i in iter_sources(specs, S) if isinstance(i, Article)]
    again = [i.id for i in iter_sources(specs, S) if isinstance(i, Article)]
    assert first == again
    assert len(set(first)) == len(first)
    assert first[-2:] == ["b-2", "courier.example-news-fuel-spill-2"]


def test_file_url_spec(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text(BODY, encoding="utf-8")
    [article] = list(iter_sources([path.as_uri()], S))
    assert isinstance(article, Article) and article.id == "x"
