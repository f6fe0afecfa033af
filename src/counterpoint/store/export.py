"""Export the store as tables: one file per table in Parquet, JSON Lines or CSV, streamed in chunks.

Tables: ``articles`` (every Article field and where ingest put it; no vectors), ``entities``, ``quotes``,
``claims`` (one row per finding, keyed by ``article``), ``story_membership`` (article, story,
duplicate_of) and ``stories``. Nested values (an article's source map and removed passages, a story's
outlets and languages) are nested in Parquet and JSON Lines and JSON text in CSV.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import StoreError
from . import story_list
from .store import Store

__all__ = ["FORMATS", "TABLES", "Column", "Format", "Table", "export"]

Format = Literal["parquet", "jsonl", "csv"]
FORMATS: tuple[str, ...] = ("parquet", "jsonl", "csv")


@dataclass(frozen=True)
class Column:
    """One column of an exported table and its Parquet type."""

    name: str
    type: pa.DataType
    nested: bool = False  # stored as JSON text; nested in Parquet and JSON Lines


@dataclass(frozen=True)
class Table:
    """An exported table: the query that reads it (its columns in ``columns`` order) and its columns."""

    name: str
    sql: str
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type) for c in self.columns])


def _cols(spec: str, kind: pa.DataType) -> tuple[Column, ...]:
    return tuple(Column(name, kind) for name in spec.split())


_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()
_REMOVED = pa.list_(pa.struct([("text", _S), ("reason", _S), ("start", _I), ("end", _I)]))


def _child_sql(table: str, spec: tuple[Column, ...]) -> str:
    names = ", ".join(f'c."{c.name}"' for c in spec[1:])
    return (f"SELECT a.id AS article, {names} FROM {table} c JOIN articles a ON a.seq = c.article "
            "ORDER BY c.article, c.n")


_ENTITY = (Column("article", _S), *_cols("start end", _I), *_cols("text label entity canonical", _S),
           Column("metonymy", _B), Column("kind", _S))
_QUOTE = (Column("article", _S), *_cols("start end", _I), *_cols("text kind", _S),
          *_cols("speaker_start speaker_end", _I), *_cols("speaker_text speaker_entity speaker_name", _S),
          *_cols("cue_start cue_end", _I), Column("cue_text", _S))
_CLAIM = (Column("article", _S), *_cols("start end", _I), *_cols("text kind", _S), *_cols("value low high", _F),
          *_cols("qualifier unit counted predicate date", _S), Column("sentence", _I))
_ARTICLE = (*_cols("id outlet title url canonical_url language published author retrieved source", _S),
            *_cols("time content_hash", _S),
            Column("clustered", _B), *_cols("story duplicate_of text source_text", _S),
            Column("source_map", pa.list_(pa.list_(_I)), nested=True), Column("removed", _REMOVED, nested=True))
_STORY = (*_cols("id title first last linked_to", _S), *_cols("size articles duplicates n_outlets", _I),
          Column("outlets", pa.list_(_S), nested=True), Column("languages", pa.list_(_S), nested=True))

TABLES: tuple[Table, ...] = (
    Table("articles", f"SELECT {', '.join(c.name for c in _ARTICLE)} FROM articles ORDER BY seq", _ARTICLE),
    Table("entities", _child_sql("entities", _ENTITY), _ENTITY),
    Table("quotes", _child_sql("quotes", _QUOTE), _QUOTE),
    Table("claims", _child_sql("claims", _CLAIM), _CLAIM),
    Table("story_membership", "SELECT id AS article, story, duplicate_of FROM articles WHERE story IS NOT NULL "
          "ORDER BY seq", _cols("article story duplicate_of", _S)),
    Table("stories", story_list.ALL, _STORY),
)


def export(store: Store, fmt: Format, out_dir: Path, *, chunk: int = 5000) -> list[Path]:
    """Write every table to ``out_dir/<table>.<fmt>`` from one consistent snapshot; the paths written.

    Memory stays bounded by ``chunk`` rows whatever the size of the store. Each file is written under a
    temporary name and renamed when complete.
    """
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    writer = _WRITERS[fmt]
    paths = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with store.snapshot():
            for table in TABLES:
                path = out_dir / f"{table.name}.{fmt}"
                with _replacing(path) as part:
                    writer(table, store._select_chunks(table.sql, size=chunk), part)
                paths.append(path)
    except OSError as exc:
        raise StoreError(f"cannot write the export: {exc.strerror or exc}", source=str(out_dir)) from exc
    return paths


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it when the block ends without error."""
    part = path.with_name(path.name + ".part")
    try:
        yield part
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def _columns(table: Table, rows: list[tuple[Any, ...]], *, text: bool) -> list[list[Any]]:
    """A chunk of rows as columns: booleans as bool and nested values parsed, or (``text``, for CSV)
    booleans as true/false and nested values left as JSON text."""
    columns = [list(values) for values in zip(*rows, strict=True)] if rows else [[] for _ in table.columns]
    for i, column in enumerate(table.columns):
        if column.type == _B:
            columns[i] = [_boolean(v, text) for v in columns[i]]
        elif column.nested and not text:
            columns[i] = [json.loads(v) for v in columns[i]]
    return columns


def _boolean(value: Any, text: bool) -> Any:
    if value is None:
        return None
    return ("true" if value else "false") if text else bool(value)


def _parquet(table: Table, chunks: Iterator[list[Any]], path: Path) -> None:
    with pq.ParquetWriter(path, table.schema, compression="zstd") as out:
        for rows in chunks:
            arrays = [pa.array(values, type=c.type) for values, c in
                      zip(_columns(table, rows, text=False), table.columns, strict=True)]
            out.write_batch(pa.RecordBatch.from_arrays(arrays, schema=table.schema))


def _jsonl(table: Table, chunks: Iterator[list[Any]], path: Path) -> None:
    names = [c.name for c in table.columns]
    with path.open("w", encoding="utf-8") as out:
        for rows in chunks:
            out.writelines(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n"
                           for row in zip(*_columns(table, rows, text=False), strict=True))


def _csv(table: Table, chunks: Iterator[list[Any]], path: Path) -> None:
    """A header row, then one row per record; None is an empty cell."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([c.name for c in table.columns])
        for rows in chunks:
            writer.writerows(zip(*_columns(table, rows, text=True), strict=True))


_WRITERS: dict[str, Callable[[Table, Iterator[list[Any]], Path], None]] = {
    "parquet": _parquet, "jsonl": _jsonl, "csv": _csv}
