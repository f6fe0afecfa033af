"""Turn input specs (paths and URLs) into articles: the entry point of ``counterpoint.sources``.

Dispatch: http(s) URLs are fetched (``web.py``); files go by extension (.txt/.text, .html/.htm/.xhtml,
.json, .jsonl/.ndjson/.jsonlines) and anything else is sniffed. ``load_sources`` is the batch API: a
failure (a whole input, or one record of a JSON(L) file) is reported as ``{"source", "reason"}`` and the
other inputs go on. Article ids are unique within one call: a repeated id gets "-2", "-3", ...
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import CounterpointError, SourceError
from ..model import Article
from ..settings import Settings, load_settings
from .html import article_from_html, decode_html
from .records import Failure, parse_json, parse_jsonl
from .text import article_from_text, decode_text, read_bytes
from .web import load_url

__all__ = ["load_source", "load_sources"]

log = logging.getLogger(__name__)

_TEXT_EXT = {".txt", ".text"}
_HTML_EXT = {".html", ".htm", ".xhtml"}
_JSON_EXT = {".json"}
_JSONL_EXT = {".jsonl", ".ndjson", ".jsonlines"}
_HTML_SNIFF = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|meta)\b",
                         re.IGNORECASE | re.DOTALL)


def is_url(spec: str) -> bool:
    return urlsplit(spec).scheme.lower() in {"http", "https"}


def _sniff(text: str) -> str:
    head = text[:2048]
    if _HTML_SNIFF.match(head):
        return "html"
    stripped = head.lstrip()
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines[:50]):
            return "jsonl"
        return "json"
    return "text"


def load_file(spec: str, settings: Settings) -> tuple[list[Article], list[Failure]]:
    is_file_url = spec.lower().startswith("file://")
    path = Path(unquote(urlsplit(spec).path)) if is_file_url else Path(spec).expanduser()
    ext = path.suffix.lower()
    data = read_bytes(path, settings)
    if ext in _HTML_EXT:
        return [article_from_html(decode_html(data), id=path.stem, source=spec)], []
    text = decode_text(data)
    kind = ("text" if ext in _TEXT_EXT else "json" if ext in _JSON_EXT else "jsonl" if ext in _JSONL_EXT
            else _sniff(text))
    if kind == "html":
        return [article_from_html(text, id=path.stem, source=spec)], []
    if kind == "json":
        return parse_json(text, source=spec, stem=path.stem)
    if kind == "jsonl":
        return parse_jsonl(text, source=spec, stem=path.stem)
    return [article_from_text(text, id=path.stem, source=spec)], []


def _load(spec: str, settings: Settings) -> tuple[list[Article], list[Failure]]:
    try:
        if is_url(spec):
            return load_url(spec, settings)
        return load_file(spec, settings)
    except CounterpointError as exc:
        if exc.source is None:
            exc.source = spec
        raise


def _reason(exc: CounterpointError) -> str:
    return str(exc.args[0]) if exc.args else type(exc).__name__


def unique_id(article: Article, taken: set[str]) -> Article:
    """``article`` with an id not in ``taken`` ("id-2", "id-3", ...), which it then adds to ``taken``."""
    ident = article.id
    n = 2
    while ident in taken:
        ident = f"{article.id}-{n}"
        n += 1
    taken.add(ident)
    return article if ident == article.id else dataclasses.replace(article, id=ident)


def load_source(spec: str, settings: Settings | None = None) -> list[Article]:
    """The articles in one file or URL (a JSON(L) file may hold many).

    Raises the ``CounterpointError`` that stops the input (``str(err)`` names the input). Records of a
    JSON(L) file that cannot be used are logged and skipped while at least one record loads; use
    ``load_sources`` to get them reported.
    """
    settings = settings or load_settings()
    articles, failures = _load(spec, settings)
    for failure in failures:
        log.warning("skipped %s: %s", failure["source"], failure["reason"])
    if not articles and failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise SourceError(f"no usable records: {failures[0]['source']}: {failures[0]['reason']}{more}",
                          source=spec)
    taken: set[str] = set()
    return [unique_id(a, taken) for a in articles]


def load_sources(
    specs: Iterable[str], settings: Settings | None = None
) -> tuple[list[Article], list[Failure]]:
    """Load every spec; returns (articles, failures), failures as ``{"source": ..., "reason": ...}``.

    ``source`` is the spec as given (``path:LINE`` or ``path#N`` for one record); ``reason`` is a one-line
    message. Nothing raises for a bad input.
    """
    settings = settings or load_settings()
    articles: list[Article] = []
    failures: list[Failure] = []
    taken: set[str] = set()
    for spec in specs:
        spec = str(spec)
        try:
            loaded, failed = _load(spec, settings)
        except CounterpointError as exc:
            failures.append({"source": spec, "reason": _reason(exc)})
            continue
        except Exception as exc:  # a bug or a library failure must not sink the whole batch
            log.exception("unexpected error loading %s", spec)
            failures.append({"source": spec, "reason": f"unexpected error: {type(exc).__name__}: {exc}"
                             .splitlines()[0]})
            continue
        failures.extend(failed)
        articles.extend(unique_id(a, taken) for a in loaded)
    return articles, failures
