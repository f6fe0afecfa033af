"""load_source / load_sources: dispatch, ids, outlets, and failures as data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from counterpoint.errors import SourceError
from counterpoint.settings import Settings
from counterpoint.sources import load_source, load_sources
from counterpoint.sources.web import url_id

DATA = Path(__file__).resolve().parents[1] / "data"
S = Settings()
BODY = "Der Stadtrat hat am Donnerstag den Bau der neuen Straßenbahnlinie beschlossen. Die Kosten sind hoch."


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    html = tmp_path / "page.dat"
    shutil.copy(DATA / "news_article.html", html)
    text = tmp_path / "notes"
    text.write_text(f"Meldung des Tages\n{BODY}\n", encoding="utf-8")
    jsonl = tmp_path / "dump.out"
    jsonl.write_text(json.dumps({"text": BODY}) + "\n" + json.dumps({"text": BODY}) + "\n", encoding="utf-8")
    one = tmp_path / "record.data"
    one.write_text(json.dumps({"text": BODY, "title": "T"}), encoding="utf-8")
    articles, failures = load_sources([str(html), str(text), str(jsonl), str(one)], S)
    assert failures == []
    assert [a.id for a in articles] == ["page", "notes", "dump-1", "dump-2", "record"]
    assert articles[0].outlet == "Rheinpfalz Rundschau"
    assert articles[1].title == "Meldung des Tages" and articles[1].outlet is None


def test_binary_with_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    with pytest.raises(SourceError, match="binary file, not text"):
        load_source(str(path), S)


def test_batch_reports_failures_and_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02")
    specs = [str(good), str(tmp_path / "missing.txt"), str(empty), str(binary), str(tmp_path),
             str(DATA / "no_body.html"), str(good)]
    articles, failures = load_sources(specs, S)
    assert [a.id for a in articles] == ["good", "good-2"]
    assert [a.source for a in articles] == [str(good), str(good)]
    assert failures == [
        {"source": str(tmp_path / "missing.txt"), "reason": "no such file"},
        {"source": str(empty), "reason": "empty article: no text"},
        {"source": str(binary), "reason": "binary file, not text"},
        {"source": str(tmp_path), "reason": "is a directory, not a file"},
        {"source": str(DATA / "no_body.html"), "reason": failures[4]["reason"]},
    ]
    assert failures[4]["reason"].startswith("no article body found in HTML")


def test_ids_are_stable_and_unique(tmp_path: Path) -> None:
    a = tmp_path / "a" / "story.txt"
    b = tmp_path / "b" / "story.txt"
    c = tmp_path / "story-2.txt"
    for p in (a, b):
        p.parent.mkdir()
        p.write_text(BODY, encoding="utf-8")
    c.write_text(BODY, encoding="utf-8")
    first, _ = load_sources([str(c), str(a), str(b)], S)
    again, _ = load_sources([str(c), str(a), str(b)], S)
    assert [x.id for x in first] == [x.id for x in again] == ["story-2", "story", "story-3"]


def test_file_url_and_home_relative(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text(BODY, encoding="utf-8")
    [article] = load_source(path.as_uri(), S)
    assert article.text == BODY and article.source == path.as_uri()


@pytest.mark.parametrize(("url", "ident"), [
    ("https://www.dw.com/de/putin-in-vietnam/a-69420117", "dw.com-de-putin-in-vietnam-a-69420117"),
    ("https://www.wsws.org/de/articles/2024/06/25/viet-j25.html", "wsws.org-de-articles-2024-06-25-viet-j25"),
    ("http://example.org/", "example.org"),
    ("http://example.org/?p=123", "example.org-p-123"),
])
def test_url_ids(url: str, ident: str) -> None:
    assert url_id(url) == ident
    assert len(url_id("https://example.org/" + "very-long-slug-" * 20)) <= 80
