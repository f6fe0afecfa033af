"""Exports: one file per table in Parquet, JSON Lines and CSV, read back with pyarrow, json and csv."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from store_factory import placement, state

from counterpoint.errors import StoreError
from counterpoint.store import Store, export
from counterpoint.store.export import TABLES as TABLE_SPECS

TABLES = ["articles", "entities", "quotes", "claims", "story_membership", "stories"]


@pytest.fixture
def store(tmp_path: Path):
    """Five articles: three in story s1 (one a near-duplicate), one in s2, one not clustered."""
    with Store(tmp_path / "counterpoint.db") as s:
        s.write([placement("a1", outlet="Tagesschau"), placement("a2", outlet="BBC", language="en"),
                 placement("copy", outlet="Spiegel", duplicate_of="a1"),
                 placement("b1", story="s2", outlet="Spiegel", author=None),
                 placement("x1", story=None, outlet="Le Monde", language="fr")],
                [state("s1", size=2, last="2024-06-21T00:00:00Z"), state("s2", linked_to="s1")])
        yield s


def test_each_table_query_selects_its_columns_in_order(store: Store) -> None:
    conn = store._conn
    assert conn is not None
    for table in TABLE_SPECS:
        names = [d[0] for d in conn.execute(table.sql).description]
        assert names == [c.name for c in table.columns], table.name


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_export_writes_one_file_per_table(store: Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out" / fmt
    paths = export(store, fmt, out)  # type: ignore[arg-type]
    assert paths == [out / f"{name}.{fmt}" for name in TABLES]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temporary files left


def test_parquet_has_typed_columns_and_the_stored_values(store: Store, tmp_path: Path) -> None:
    export(store, "parquet", tmp_path, chunk=2)  # several record batches per table
    tables = {name: pq.read_table(tmp_path / f"{name}.parquet") for name in TABLES}
    assert {name: t.num_rows for name, t in tables.items()} == {
        "articles": 5, "entities": 5, "quotes": 5, "claims": 5, "story_membership": 4, "stories": 2}

    articles = tables["articles"]
    assert "vector" not in articles.column_names and "signature" not in articles.column_names
    assert articles.schema.field("clustered").type == pa.bool_()
    rows = {r["id"]: r for r in articles.to_pylist()}
    assert rows["x1"]["clustered"] is False and rows["x1"]["story"] is None and rows["x1"]["language"] == "fr"
    assert rows["copy"]["duplicate_of"] == "a1"
    assert rows["b1"]["author"] is None
    want = placement("a1").processed.article
    assert rows["a1"]["text"] == want.text and rows["a1"]["source_text"] == want.source_text
    assert rows["a1"]["source_map"] == [list(run) for run in want.offset_map]
    assert rows["a1"]["removed"] == [{"text": "Foto: dpa", "reason": "credit", "start": 0, "end": 9}]

    entity = tables["entities"].to_pylist()[0]
    assert entity == {"article": "a1", "start": 0, "end": 11, "text": "Olaf Scholz", "label": "PER",
                      "entity": "e1", "canonical": "Olaf Scholz", "metonymy": True, "kind": "name"}
    claims = tables["claims"]
    assert claims.schema.field("value").type == pa.float64() and claims.schema.field("sentence").type == pa.int64()
    claim = claims.to_pylist()[0]
    assert (claim["value"], claim["high"], claim["qualifier"], claim["counted"]) == (12.0, None, "at_least",
                                                                                   "Abkommen")
    assert tables["quotes"].to_pylist()[0]["cue_text"] == "sagte"

    stories = {r["id"]: r for r in tables["stories"].to_pylist()}
    assert stories["s1"]["outlets"] == ["BBC", "Tagesschau"] and stories["s1"]["languages"] == ["de", "en"]
    assert (stories["s1"]["articles"], stories["s1"]["duplicates"], stories["s1"]["size"]) == (3, 1, 2)
    assert stories["s2"]["linked_to"] == "s1"
    membership = tables["story_membership"].to_pylist()
    assert {"article": "copy", "story": "s1", "duplicate_of": "a1"} in membership


def test_csv_reads_back_with_dict_reader(store: Store, tmp_path: Path) -> None:
    export(store, "csv", tmp_path, chunk=2)
    with (tmp_path / "articles.csv").open(encoding="utf-8", newline="") as fh:
        articles = {r["id"]: r for r in csv.DictReader(fh)}
    assert len(articles) == 5
    assert articles["x1"]["clustered"] == "false" and articles["a1"]["clustered"] == "true"
    assert articles["b1"]["author"] == "" and articles["copy"]["duplicate_of"] == "a1"
    assert articles["a1"]["text"] == placement("a1").processed.article.text  # commas and quotes survive
    assert json.loads(articles["a1"]["removed"])[0]["reason"] == "credit"
    with (tmp_path / "entities.csv").open(encoding="utf-8", newline="") as fh:
        entities = list(csv.DictReader(fh))
    assert len(entities) == 5 and entities[0]["end"] == "11" and entities[0]["metonymy"] == "true"
    with (tmp_path / "stories.csv").open(encoding="utf-8", newline="") as fh:
        stories = {r["id"]: r for r in csv.DictReader(fh)}
    assert json.loads(stories["s1"]["outlets"]) == ["BBC", "Tagesschau"] and stories["s1"]["n_outlets"] == "2"


def test_jsonl_has_one_object_per_row(store: Store, tmp_path: Path) -> None:
    export(store, "jsonl", tmp_path)
    lines = (tmp_path / "quotes.jsonl").read_text(encoding="utf-8").splitlines()
    quotes = [json.loads(line) for line in lines]
    assert len(quotes) == 5 and quotes[0]["speaker_name"] == "Olaf Scholz" and quotes[0]["kind"] == "indirect"
    stories = [json.loads(line) for line in (tmp_path / "stories.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [s["id"] for s in stories] == ["s1", "s2"] and stories[0]["languages"] == ["de", "en"]


def test_export_from_a_reader_and_of_an_empty_store(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.db"):
        pass
    with Store(tmp_path / "empty.db", read_only=True) as reader:
        export(reader, "parquet", tmp_path / "out")
    assert pq.read_table(tmp_path / "out" / "articles.parquet").num_rows == 0


def test_unknown_format_and_unwritable_folder_are_store_errors(store: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unknown export format"):
        export(store, "xlsx", tmp_path)  # type: ignore[arg-type]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot write the export"):
        export(store, "csv", blocker / "out")
