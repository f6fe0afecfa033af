"""JSON and JSON Lines article records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counterpoint.errors import SourceError
from counterpoint.settings import Settings
from counterpoint.sources import load_source, load_sources

S = Settings()
BODY = "Der Stadtrat hat am Donnerstag den Bau der neuen Straßenbahnlinie beschlossen. Die Kosten sind hoch."


def test_jsonl_with_one_malformed_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "title": "Erste", "text": BODY, "outlet": "Blatt A", "lang": "de",
                    "published": "2024-06-20", "url": "https://example.org/a1"}),
        '{"id": "a2", "text": "kaputt',
        "",
        json.dumps({"body": "Loading\n" + BODY, "source": {"name": "Blatt B"}, "date": "2024-06-21"}),
        json.dumps({"title": "ohne Text"}),
        json.dumps(["not", "an", "object"]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, failures = load_sources([str(path)], S)
    assert [a.id for a in articles] == ["a1", "feed-4"]
    a1, b = articles
    assert (a1.title, a1.outlet, a1.language, a1.published, a1.url) == (
        "Erste", "Blatt A", "de", "2024-06-20", "https://example.org/a1")
    assert (b.outlet, b.published, b.text) == ("Blatt B", "2024-06-21", BODY)
    assert [r.reason for r in b.removed] == ["furniture"]
    assert [f["source"] for f in failures] == [f"{path}:2", f"{path}:5", f"{path}:6"]
    assert failures[0]["reason"].startswith("invalid JSON on line 2")
    assert "no text" in failures[1]["reason"]
    assert "not an object" in failures[2]["reason"]
    assert all("\n" not in f["reason"] for f in failures)
    # load_source keeps the good records too
    assert [a.id for a in load_source(str(path), S)] == ["a1", "feed-4"]


def test_json_list_single_object_and_container(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"content": BODY, "headline": "Titel", "site": "Blatt"}), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": BODY}, {"text": BODY, "id": 7}, {"text": "  "}]), encoding="utf-8")
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"articles": [{"text": BODY, "url": "https://www.example.com/x"}]}),
                       encoding="utf-8")
    articles, failures = load_sources([str(one), str(many), str(wrapped)], S)
    assert [a.id for a in articles] == ["one", "many-1", "7", "wrapped-1"]
    assert (articles[0].title, articles[0].outlet) == ("Titel", "Blatt")
    assert articles[3].outlet == "example.com"  # no outlet field: the URL's host
    assert failures == [{"source": f"{many}#3", "reason": "record has no text (expected a 'text', 'body' or "
                                                          "'content' string)"}]


def test_invalid_json_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"text": ', encoding="utf-8")
    with pytest.raises(SourceError, match="invalid JSON"):
        load_source(str(path), S)


def test_jsonl_where_every_line_fails(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{\n{\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"no usable records: .*:1: invalid JSON on line 1.*\(and 1 more\)"):
        load_source(str(path), S)
    articles, failures = load_sources([str(path)], S)
    assert articles == [] and len(failures) == 2
