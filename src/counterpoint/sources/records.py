"""Article records in JSON (one object, a list, or {"articles": [...]}) and JSON Lines.

Field names, first match wins: text | body | content (required); title | headline; outlet | source | site |
sitename | publisher; url | link; language | lang; published | date | published_at | datePublished;
author | authors | byline; id. A record that cannot be used is reported on its own and the others load.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from ..errors import CounterpointError, SourceError
from ..model import Article
from .html import host_of
from .text import article_from_text

__all__ = ["Failure", "article_from_record", "parse_json", "parse_jsonl", "to_failure"]

log = logging.getLogger(__name__)

Failure = dict[str, str]  # {"source": ..., "reason": ...}

_TEXT = ("text", "body", "content")
_TITLE = ("title", "headline")
_OUTLET = ("outlet", "source", "site", "sitename", "site_name", "publisher")
_URL = ("url", "link")
_LANGUAGE = ("language", "lang")
_PUBLISHED = ("published", "date", "published_at", "datePublished", "pubdate")
_AUTHOR = ("author", "authors", "byline")
_CONTAINERS = ("articles", "items", "records", "data", "results")


def _field(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, dict):  # {"source": {"name": "..."}} as in news APIs
            value = value.get("name") or value.get("title")
        if isinstance(value, list):  # ["A. Author", "B. Author"]
            value = ", ".join(str(v) for v in value if isinstance(v, (str, int, float)))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split()) if name not in _TEXT else value
    return None


def article_from_record(record: Any, *, id: str, source: str | None = None) -> Article:
    """One record as an ``Article``; its own ``id`` field wins over ``id``."""
    if not isinstance(record, dict):
        raise SourceError(f"record is a JSON {type(record).__name__}, not an object")
    text = _field(record, _TEXT)
    if text is None:
        raise SourceError("record has no text (expected a 'text', 'body' or 'content' string)")
    url = _field(record, _URL)
    return article_from_text(
        text,
        id=_field(record, ("id",)) or id,
        source=source,
        title=_field(record, _TITLE),
        outlet=_field(record, _OUTLET) or host_of(url),
        url=url,
        language=_field(record, _LANGUAGE),
        published=_field(record, _PUBLISHED),
        author=_field(record, _AUTHOR),
    )


def _reason(exc: CounterpointError) -> str:
    return str(exc.args[0]) if exc.args else str(exc)


def parse_json(data: str, *, source: str, stem: str) -> tuple[list[Article], list[Failure]]:
    """Records in one JSON document. Ids default to ``stem`` (one record) or ``stem-N`` (N from 1)."""
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise SourceError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if isinstance(doc, dict) and not any(k in doc for k in _TEXT):
        doc = next((doc[k] for k in _CONTAINERS if isinstance(doc.get(k), list)), doc)
    if isinstance(doc, dict):
        return [article_from_record(doc, id=stem, source=source)], []
    if not isinstance(doc, list):
        raise SourceError(f"JSON holds a {type(doc).__name__}, not an article object or a list of them")
    articles: list[Article] = []
    failures: list[Failure] = []
    for i, record in enumerate(doc, start=1):
        try:
            articles.append(article_from_record(record, id=f"{stem}-{i}", source=source))
        except CounterpointError as exc:
            failures.append({"source": f"{source}#{i}", "reason": _reason(exc)})
    if not doc:
        raise SourceError("JSON list holds no records")
    return articles, failures


def parse_jsonl(data: str, *, source: str, stem: str) -> tuple[list[Article], list[Failure]]:
    """One record per line; blank lines are skipped. A failure names ``source:LINE``."""
    articles: list[Article] = []
    failures: list[Failure] = []
    seen = 0
    for lineno, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        seen += 1
        where = f"{source}:{lineno}"
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SourceError(f"invalid JSON on line {lineno}: {exc.msg} (column {exc.colno})") from None
            articles.append(article_from_record(record, id=f"{stem}-{lineno}", source=source))
        except CounterpointError as exc:
            failures.append({"source": where, "reason": _reason(exc)})
    if not seen:
        raise SourceError("no records: the file has no non-blank lines")
    return articles, failures


def to_failure(exc: Exception, source: str) -> Failure:
    """``exc`` as a ``{"source", "reason"}`` failure with a one-line reason (unexpected errors are logged)."""
    if isinstance(exc, CounterpointError):
        return {"source": exc.source or source, "reason": exc.message}
    log.exception("unexpected error reading %s", source)
    return {"source": source, "reason": f"unexpected error: {type(exc).__name__}: {exc}".splitlines()[0]}
