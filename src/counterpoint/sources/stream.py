"""Streaming input for ingest: every spec (folder, file, archive, feed, URL list, URL) as articles, one at a time.

``iter_sources`` yields each ``Article`` as soon as it is read, and a ``Failure`` (``{"source", "reason"}``)
for each input or item that cannot be used, in input order; nothing raises for bad input. JSONL and WARC
files are read record by record, so memory stays flat however large they are (one record is at most
``settings.max_bytes``). What a spec is:

- a folder: every article file under it (see ``FOLDER_SUFFIXES``), recursively, in sorted order, hidden
  files and folders left out;
- ``.jsonl``/``.ndjson``/``.jsonlines`` (also gzipped): one article per line, a failure names ``path:LINE``;
- ``.warc``/``.warc.gz``: the HTML pages in the archive (``warc.py``);
- ``.rss``/``.atom``/``.xml`` or a feed URL: the pages its entries link to (``feeds.py``);
- ``.urls``, or a ``.txt`` file whose lines (blank and ``#`` lines aside) are all http(s) URLs: each URL;
- any other file or an http(s) URL: as ``load.py`` reads it (a URL that turns out to be a feed is a feed).

Ids are stable across runs (file stem, ``stem-LINE`` for JSONL records without an id, ``url_id`` for URLs
and archived pages) and unique within one call (a repeat gets "-2", "-3", ...).
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from ..errors import CounterpointError, SourceError
from ..model import Article
from ..settings import Settings
from .feeds import is_feed, iter_feed_file, iter_url
from .load import is_url, load_file, unique_id
from .records import Failure, article_from_record, to_failure
from .text import article_from_text, decode_text, read_bytes
from .warc import iter_warc

__all__ = ["FOLDER_SUFFIXES", "iter_sources"]

log = logging.getLogger(__name__)

_JSONL = (".jsonl", ".ndjson", ".jsonlines")
_JSONL_SUFFIXES = _JSONL + tuple(s + ".gz" for s in _JSONL)
_WARC_SUFFIXES = (".warc", ".warc.gz")
_FEED_SUFFIXES = (".rss", ".atom", ".xml")
_TEXT_SUFFIXES = (".txt", ".text")
FOLDER_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".text", ".json", *_JSONL_SUFFIXES, *_WARC_SUFFIXES,
                   ".rss", ".atom")
_GZIP_MAGIC = b"\x1f\x8b"
_SNIFF_BYTES = 4096


def iter_sources(specs: Sequence[str], settings: Settings) -> Iterator[Article | Failure]:
    """Every article of every spec, in input order, and a ``Failure`` for each input or item that fails.

    Never raises for bad input (a spec that does not exist is a ``Failure``); article ids are unique
    within the call.
    """
    taken: set[str] = set()
    for spec in specs:
        spec = str(spec)
        for item in _guarded(spec, _iter_spec(spec, settings)):
            yield item if isinstance(item, dict) else unique_id(item, taken)


def _guarded(source: str, items: Iterable[Article | Failure]) -> Iterator[Article | Failure]:
    """``items``, with an error that stops them turned into a final ``Failure`` for ``source``."""
    count = 0
    try:
        for item in items:
            count += 1
            yield item
    except Exception as exc:  # one input must not sink the batch; to_failure logs what is unexpected
        failure = to_failure(exc, source)
        if count:
            failure["reason"] += f"; rest of {source} skipped"
        yield failure


def _iter_spec(spec: str, settings: Settings) -> Iterator[Article | Failure]:
    """One spec: a URL, a folder or a file."""
    if is_url(spec):
        yield from iter_url(spec, settings)
        return
    path = _path_of(spec)
    if path.is_dir():
        yield from _iter_folder(path, spec, settings)
    elif not path.exists():
        raise SourceError("no such file")
    else:
        yield from _iter_file(path, spec, settings)


def _path_of(spec: str) -> Path:
    """The path a spec names (``file://`` URLs and ``~`` understood)."""
    if spec.lower().startswith("file://"):
        return Path(unquote(urlsplit(spec).path))
    return Path(spec).expanduser()


def _iter_folder(folder: Path, spec: str, settings: Settings) -> Iterator[Article | Failure]:
    """Every article file under ``folder``, in sorted order; unreadable subfolders are failures."""
    found: list[tuple[Path, Failure | None]] = []

    def unreadable(err: OSError) -> None:
        where = Path(err.filename) if err.filename else folder
        found.append((where, {"source": str(where), "reason": f"cannot read folder: {err.strerror or err}"}))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend((Path(root, f), None) for f in files
                     if not f.startswith(".") and f.lower().endswith(FOLDER_SUFFIXES))
    if not found:
        raise SourceError(f"no article files in folder (looked for {', '.join(FOLDER_SUFFIXES)})")
    for path, failure in sorted(found, key=lambda pair: pair[0]):
        if failure is not None:
            yield failure
        else:
            yield from _guarded(str(path), _iter_file(path, str(path), settings))


def _iter_file(path: Path, source: str, settings: Settings) -> Iterator[Article | Failure]:
    """One file, read by its kind (by name, else by its first bytes)."""
    kind = _kind_by_name(path) or _sniff_kind(path)
    if kind == "warc":
        yield from iter_warc(path, settings, source=source)
    elif kind == "jsonl":
        yield from _iter_jsonl(path, source, settings)
    elif kind == "feed":
        yield from iter_feed_file(path, settings, source=source)
    elif kind == "urls":
        yield from _iter_url_list(_url_lines(_read_text(path, settings)), source, settings, strict=True)
    elif kind == "text":
        yield from _iter_text(path, source, settings)
    else:
        articles, failures = load_file(source, settings)
        yield from articles
        yield from failures


def _kind_by_name(path: Path) -> str | None:
    name = path.name.lower()
    for kind, suffixes in (("warc", _WARC_SUFFIXES), ("jsonl", _JSONL_SUFFIXES), ("feed", _FEED_SUFFIXES),
                           ("urls", (".urls",)), ("text", _TEXT_SUFFIXES)):
        if name.endswith(suffixes):
            return kind
    if name.endswith((".html", ".htm", ".xhtml", ".json")):
        return "file"
    return None


def _sniff_kind(path: Path) -> str:
    """The kind of a file with an unknown name: "warc", "jsonl" (gzipped), "feed" or "file"."""
    with _open(path) as fh:
        head = fh.read(_SNIFF_BYTES)
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, _SNIFF_BYTES)
        except zlib.error:
            return "file"
        if head.startswith(b"WARC/"):
            return "warc"
        return "jsonl" if head.lstrip().startswith(b"{") else "file"
    if head.startswith(b"WARC/"):
        return "warc"
    return "feed" if is_feed(head) else "file"


def _open(path: Path) -> IO[bytes]:
    """``path`` opened for reading; every failure is a ``SourceError`` with a one-line message."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except PermissionError:
        raise SourceError("permission denied") from None
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from None


def _read_text(path: Path, settings: Settings) -> str:
    return decode_text(read_bytes(path, settings))


def _iter_text(path: Path, source: str, settings: Settings) -> Iterator[Article | Failure]:
    """A ``.txt`` file: a list of URLs when every line is one, else one article."""
    text = _read_text(path, settings)
    urls = _url_lines(text)
    if urls and all(is_url(url) for _, url in urls):
        yield from _iter_url_list(urls, source, settings, strict=False)
    else:
        yield article_from_text(text, id=path.stem, source=source)


def _url_lines(text: str) -> list[tuple[int, str]]:
    """``(LINE, text)`` of each line that is not blank and not a ``#`` comment."""
    lines = ((n, line.strip()) for n, line in enumerate(text.splitlines(), start=1))
    return [(n, line) for n, line in lines if line and not line.startswith("#")]


def _iter_url_list(urls: list[tuple[int, str]], source: str, settings: Settings, *,
                   strict: bool) -> Iterator[Article | Failure]:
    """Each URL of a list loaded like a spec (article or feed); a line that is not a URL is a failure."""
    if strict and not urls:
        raise SourceError("no URLs in the list")
    for lineno, url in urls:
        if not is_url(url):
            yield {"source": f"{source}:{lineno}", "reason": "not an http(s) URL"}
            continue
        yield from _guarded(url, iter_url(url, settings))


def _iter_jsonl(path: Path, source: str, settings: Settings) -> Iterator[Article | Failure]:
    """One article per line of a JSON Lines file (gzipped or not), read line by line."""
    stem = _stem(path)
    lineno = 0
    records = 0
    with _open(path) as raw:
        gzipped = raw.read(2) == _GZIP_MAGIC
        raw.seek(0)
        with gzip.GzipFile(fileobj=raw) if gzipped else raw as fh:
            try:
                for lineno, line in _lines(fh, settings.max_bytes):
                    if line is not None and not line.strip():
                        continue
                    records += 1
                    if line is not None and b"\x00" in line:
                        yield {"source": f"{source}:{lineno}", "reason": "binary data, not JSON Lines; rest of "
                               "the file skipped"}
                        return
                    yield _jsonl_record(line, lineno, stem, source, settings)
            except (OSError, EOFError, zlib.error) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                yield {"source": f"{source}:{lineno + 1}", "reason": f"cannot read on: {reason}; rest of the file "
                       "skipped"}
                return
    if not records:
        raise SourceError("no records: the file has no non-blank lines")


def _stem(path: Path) -> str:
    """The file name without ``.gz`` and its last suffix ("wire.jsonl.gz" -> "wire")."""
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return Path(name).stem


def _lines(fh: IO[bytes] | gzip.GzipFile, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(LINE, bytes)`` for each line; ``None`` for a line longer than ``limit`` (which is skipped over)."""
    lineno = 0
    while line := fh.readline(limit + 1):
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := fh.readline(limit + 1)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
        else:
            yield lineno, line


def _jsonl_record(line: bytes | None, lineno: int, stem: str, source: str,
                  settings: Settings) -> Article | Failure:
    """One line of a JSONL file as an article, or the failure that names ``source:LINE``."""
    where = f"{source}:{lineno}"
    if line is None:
        return {"source": where, "reason": f"line longer than {settings.max_bytes} bytes (max_bytes)"}
    try:
        text = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return {"source": where, "reason": f"not valid UTF-8 (byte {exc.start} of the line)"}
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        # the line is in the source ("path:LINE"); the reason stays the same for every line, to count them
        return {"source": where, "reason": f"invalid JSON: {exc.msg} (column {exc.colno})"}
    try:
        return article_from_record(record, id=f"{stem}-{lineno}", source=source)
    except CounterpointError as exc:
        return {"source": where, "reason": exc.message}
