"""Model values <-> table rows: the one place that knows how each field is stored.

Nested Article fields (offset map, removed passages, sentence offsets, component names) are JSON text;
vectors and signatures are little-endian float32 / uint64 blobs; booleans are 0/1.
"""

from __future__ import annotations

import dataclasses
import json
import operator
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import numpy as np

from ..model import Analysis, Article, Claim, Entity, Placement, Quote, Removed, Sentence

VECTOR_DTYPE = np.dtype("<f4")
SIGNATURE_DTYPE = np.dtype("<u8")

T = TypeVar("T")

#: child table -> the dataclass whose fields are its columns (after ``article`` and ``n``)
CHILDREN: dict[str, type] = {"entities": Entity, "quotes": Quote, "claims": Claim}


def columns(cls: type) -> list[str]:
    """The field names of a dataclass, in order: the columns of its table."""
    return [f.name for f in dataclasses.fields(cls)]


def quoted(names: Iterable[str]) -> str:
    """A column list for SQL, each name quoted (``end`` is a keyword)."""
    return ", ".join(f'"{name}"' for name in names)


def to_blob(values: np.ndarray, dtype: np.dtype[Any]) -> bytes:
    """A 1-D array as bytes of ``dtype``."""
    return np.ascontiguousarray(values, dtype=dtype).reshape(-1).tobytes()


def from_blob(blob: bytes, dtype: np.dtype[Any]) -> np.ndarray:
    """The array stored by ``to_blob`` (a writable copy in native byte order)."""
    return np.frombuffer(blob, dtype=dtype).astype(dtype.newbyteorder("="))


def story_title(article: Article) -> str:
    """What a story list shows for an article: its title, else the first 80 characters of its text."""
    return article.title or " ".join(article.text[:400].split())[:80]


_REMOVED_FIELDS = columns(Removed)
_removed_values = operator.attrgetter(*_REMOVED_FIELDS)

ARTICLE_COLUMNS = [
    "id", "content_hash", "canonical_url", "story", "duplicate_of", "time", "clustered", "outlet", "title", "url",
    "language", "published", "author", "retrieved", "source", "text", "source_text", "source_map", "removed",
    "sentences", "components",
]


def article_values(placement: Placement) -> tuple[Any, ...]:
    """The ``articles`` row of a placement, in ``ARTICLE_COLUMNS`` order."""
    processed = placement.processed
    art = processed.article
    analysis = processed.analysis
    row = {
        "id": art.id,
        "content_hash": processed.content_hash,
        "canonical_url": processed.canonical_url,
        "story": placement.story,
        "duplicate_of": placement.duplicate_of,
        "time": processed.time,
        "clustered": int(processed.clustered),
        "outlet": art.outlet,
        "title": art.title,
        "url": art.url,
        "language": art.language or analysis.language,
        "published": art.published,
        "author": art.author,
        "retrieved": art.retrieved,
        "source": art.source,
        "text": art.text,
        "source_text": art.source_text,
        "source_map": json.dumps([list(run) for run in art.offset_map]),
        "removed": json.dumps([dict(zip(_REMOVED_FIELDS, _removed_values(r), strict=True)) for r in art.removed],
                              ensure_ascii=False),
        "sentences": json.dumps([[s.start, s.end, s.paragraph] for s in analysis.sentences]),
        "components": json.dumps(list(analysis.components)),
    }
    return tuple(row[name] for name in ARTICLE_COLUMNS)


def article_from_row(row: sqlite3.Row) -> Article:
    """The Article stored in an ``articles`` row, with its offset map and removed passages."""
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        outlet=row["outlet"],
        url=row["url"],
        language=row["language"],
        published=row["published"],
        author=row["author"],
        retrieved=row["retrieved"],
        source=row["source"],
        source_text=row["source_text"],
        offset_map=tuple((int(a), int(b), int(c)) for a, b, c in json.loads(row["source_map"])),
        removed=tuple(Removed(**r) for r in json.loads(row["removed"])),
    )


def sentences_from_row(row: sqlite3.Row) -> tuple[Sentence, ...]:
    """The sentences of an ``articles`` row (stored as offsets; the text comes from the article)."""
    text = row["text"]
    return tuple(Sentence(start=s, end=e, text=text[s:e], paragraph=p) for s, e, p in json.loads(row["sentences"]))


def child_rows(seq: int, items: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows of a child table for one article: ``(seq, n, *fields)`` per item (all of one class)."""
    if not items:
        return []
    values = _getter(type(items[0]))
    return [(seq, n, *values(item)) for n, item in enumerate(items)]


def _getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """The field values of a dataclass instance as a tuple (``dataclasses.astuple`` deep-copies: slow)."""
    if cls not in _GETTERS:
        _GETTERS[cls] = operator.attrgetter(*columns(cls))  # more than one field: returns a tuple
    return _GETTERS[cls]


_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def child_from_row(cls: type[T], row: sqlite3.Row) -> T:
    """The Entity, Quote or Claim stored in a child row (booleans turned back from 0/1)."""
    values = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        value = row[field.name]
        values[field.name] = bool(value) if field.type == "bool" else value
    return cls(**values)


def analysis_from_rows(row: sqlite3.Row, children: dict[str, list[sqlite3.Row]]) -> Analysis:
    """The Analysis of a stored article (without sentence embeddings, which the store does not keep)."""
    return Analysis(
        article=article_from_row(row),
        language=row["language"],
        sentences=sentences_from_row(row),
        entities=tuple(child_from_row(Entity, r) for r in children["entities"]),
        quotes=tuple(child_from_row(Quote, r) for r in children["quotes"]),
        claims=tuple(child_from_row(Claim, r) for r in children["claims"]),
        components=tuple(json.loads(row["components"])),
    )
