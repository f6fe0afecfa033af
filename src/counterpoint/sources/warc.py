"""Web archives: the HTML pages in a WARC or WARC.gz file, one article per record, streamed.

Each ``response`` record with HTTP status 200 and an HTML content type becomes an article (id ``url_id`` of
its WARC-Target-URI, ``retrieved`` = WARC-Date); the other records are skipped silently and counted in
``WarcStats``. A malformed record (bad WARC or HTTP headers, a wrong Content-Length, a broken gzip member) is
reported as a ``Failure`` named ``path@OFFSET`` and reading resumes at the next record boundary that can be
found (the next gzip member, or the next line starting "WARC/"); when there is none, the failure says the
rest of the file was skipped. Memory stays flat: one record (at most ``settings.max_bytes``) at a time.
"""

from __future__ import annotations

import ast
import gzip
import logging
import re
import zlib
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator

from ..errors import CounterpointError, SourceError
from ..model import Article
from ..settings import Settings
from .html import article_from_html, decode_html
from .records import Failure
from .web import url_id

__all__ = ["WarcStats", "iter_warc"]

log = logging.getLogger(__name__)

_Readable = IO[bytes] | gzip.GzipFile
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_MEMBER = b"\x1f\x8b\x08"  # magic + deflate: where a record of a record-by-record WARC.gz starts
_WARC_LINE = b"\nWARC/"  # where a record of an uncompressed WARC starts (after the newline)
_SCAN_BLOCK = 1 << 20
_READ_BLOCK = 1 << 16
_STATUS = re.compile(r"^\d{3}$")
_ESCAPED = re.compile(r"\\x[0-9a-f]{2}")  # warcio quotes some header lines as Python lists
_BAD_HEADER = re.compile(r"^(?:Unknown archive format|Invalid WARC record), first line: (.*)", re.DOTALL)


class _QuietArchiveIterator(ArchiveIterator):
    """warcio's iterator without its multi-line stderr warning on a wrong Content-Length.

    The mismatch is still counted in ``err_count``; ``iter_warc`` reports it as a one-line ``Failure``.
    """

    INC_RECORD = ""


@dataclass
class WarcStats:
    """What one or more WARC files held: records read, articles made, records skipped by reason."""

    records: int = 0
    articles: int = 0
    failures: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # "request", "not HTML", "HTTP 404", ...

    def add(self, other: WarcStats) -> None:
        """Add the counts of ``other`` to these."""
        self.records += other.records
        self.articles += other.articles
        self.failures += other.failures
        self.skipped.update(other.skipped)


class _Malformed(Exception):
    """The archive cannot be read on from here; ``reason`` is the one-line message for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def iter_warc(path: str | Path, settings: Settings, *, source: str | None = None,
              stats: WarcStats | None = None) -> Iterator[Article | Failure]:
    """The HTML pages archived in ``path`` as articles, and a ``Failure`` for each malformed record.

    ``source`` names the file in failures and in ``Article.source`` (``SOURCE@OFFSET``); it defaults to
    ``path``. ``stats``, when given, is updated as records are read. Raises ``SourceError`` only when the
    file cannot be opened.
    """
    name = source or str(path)
    local = WarcStats()
    try:
        with _open(Path(path)) as raw:
            gzipped = raw.read(2) == _GZIP_MAGIC
            if gzipped and _single_stream(raw):
                # one gzip stream for the whole file: read it decompressed (offsets are then decompressed)
                with gzip.GzipFile(fileobj=raw) as fh:
                    yield from _iter_all(fh, False, settings, name, local)
            else:
                yield from _iter_all(raw, gzipped, settings, name, local)
    finally:
        if stats is not None:
            stats.add(local)
        log.info("%s: %d records, %d articles, %d skipped, %d failures", name, local.records,
                 local.articles, sum(local.skipped.values()), local.failures)


def _open(path: Path) -> IO[bytes]:
    """``path`` opened for reading; every failure is a ``SourceError`` with a one-line message."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except IsADirectoryError:
        raise SourceError("is a directory, not a file") from None
    except PermissionError:
        raise SourceError("permission denied") from None
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from None


def _iter_all(fh: _Readable, gzipped: bool, settings: Settings, name: str,
              stats: WarcStats) -> Iterator[Article | Failure]:
    """Every record of ``fh`` from its start, resuming after each malformed record where possible."""
    start: int | None = 0
    while start is not None:
        fh.seek(start)
        start = yield from _iter_from(fh, gzipped, settings, name, stats)


def _single_stream(fh: _Readable) -> bool:
    """Whether a WARC.gz is one gzip stream rather than one gzip member per record (as it should be).

    Decompresses the first member only until a second record starts in it, or until it ends; leaves
    ``fh`` at its start.
    """
    fh.seek(0)
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    seen = b""
    try:
        while not inflate.eof and (pending := fh.read(_READ_BLOCK)):
            while pending and not inflate.eof:
                seen = seen[-len(_WARC_LINE):] + inflate.decompress(pending, _READ_BLOCK)
                pending = inflate.unconsumed_tail
                if _WARC_LINE in seen:
                    return True
    except zlib.error:
        return False  # a broken first member: the record-by-record reader reports it
    finally:
        fh.seek(0)
    return False


def _iter_from(fh: _Readable, gzipped: bool, settings: Settings, name: str,
               stats: WarcStats) -> Generator[Article | Failure, None, int | None]:
    """Read records from the current position of ``fh``; returns where to resume after a malformed record.

    Returns ``None`` at the end of the file, or when nothing after a malformed record can be read.
    """
    records = _QuietArchiveIterator(fh, verify_http=False)
    try:
        while True:
            try:
                record = next(records)
            except StopIteration:
                if _has_data_at(fh, records.offset):  # warcio ends quietly on a record cut off in its headers
                    exc = _Malformed("incomplete record at the end of the file (truncated?)")
                    return (yield from _resume(fh, gzipped, name, records.offset, exc, stats))
                return None
            except Exception as exc:  # warcio raises assorted errors on broken headers and gzip data
                return (yield from _resume(fh, gzipped, name, records.offset, exc, stats))
            offset = records.offset
            stats.records += 1
            try:
                item = _read_record(records, record, settings, name, offset, stats)
            except Exception as exc:
                return (yield from _resume(fh, gzipped, name, offset, exc, stats))
            if item is not None:
                yield item
    finally:
        records.close()


def _has_data_at(fh: _Readable, offset: int) -> bool:
    """Whether anything but blank lines is left in ``fh`` from ``offset`` on."""
    try:
        if fh.tell() != offset:  # only then: seeking back in a GzipFile decompresses it again
            fh.seek(max(offset, 0))
        return bool(fh.read(_READ_BLOCK).strip())
    except (OSError, EOFError, zlib.error):
        return True


def _read_record(records: ArchiveIterator, record: Any, settings: Settings, name: str, offset: int,
                 stats: WarcStats) -> Article | Failure | None:
    """One record as an article, a ``Failure`` (bad page), or ``None`` (skipped). Raises ``_Malformed``."""
    skip = _skip_reason(record)
    errors = records.err_count
    data = b""
    if skip is None:
        data = record.content_stream().read(settings.max_bytes + 1)
    records.get_record_offset()  # reads to the end of the record and checks what follows it
    _check_complete(record, records.err_count > errors)
    if skip is not None:
        stats.skipped[skip] += 1
        log.debug("%s@%d: skipped (%s)", name, offset, skip)
        return None
    where = f"{name}@{offset}"
    if len(data) > settings.max_bytes:
        stats.failures += 1
        return {"source": where, "reason": f"record larger than {settings.max_bytes} bytes (max_bytes)"}
    uri = record.rec_headers.get_header("WARC-Target-URI")
    try:
        article = _article(data, record, uri, where)
    except CounterpointError as exc:
        stats.failures += 1
        return {"source": where, "reason": exc.message}
    stats.articles += 1
    return article


def _skip_reason(record: Any) -> str | None:
    """Why ``record`` is not an article page ("request", "not HTML", "HTTP 404"), or ``None`` if it is one.

    Raises ``_Malformed`` for a response whose HTTP status line cannot be read.
    """
    if record.rec_type is None:
        raise _Malformed("record has no WARC-Type header (truncated or not a WARC record)")
    if record.rec_type != "response":
        return str(record.rec_type)
    headers = record.http_headers
    if headers is None:
        return "not HTTP"
    status = headers.get_statuscode()
    if not str(headers.protocol).upper().startswith("HTTP/") or not _STATUS.match(status):
        line = f"{headers.protocol} {headers.statusline}".strip()
        raise _Malformed(f"broken HTTP status line {_printable(line)!r}")
    if status != "200":
        return f"HTTP {status}"
    media_type = (headers.get_header("Content-Type") or "").partition(";")[0].strip().lower()
    if media_type not in _HTML_TYPES:
        return "not HTML"
    return None


def _check_complete(record: Any, bad_end: bool) -> None:
    """Raise ``_Malformed`` when the record ended early or ran on (its Content-Length is wrong)."""
    stream = record.raw_stream
    while stream is not None and not hasattr(stream, "limit"):
        stream = getattr(stream, "stream", None)
    missing = getattr(stream, "limit", 0)
    if missing:
        raise _Malformed(f"record truncated: {missing} of {record.length} bytes missing")
    if bad_end:
        raise _Malformed("record not followed by a blank line (wrong Content-Length?)")


def _article(data: bytes, record: Any, uri: str | None, where: str) -> Article:
    """The article in one HTML response record; ``retrieved`` is its WARC-Date."""
    if not uri:
        raise SourceError("response record has no WARC-Target-URI")
    content_type = record.http_headers.get_header("Content-Type") or ""
    m = re.search(r"charset\s*=\s*\"?([^\";\s]+)", content_type, re.IGNORECASE)
    html = decode_html(data, m.group(1) if m else None)
    article = article_from_html(html, id=url_id(uri), source=where, url=uri)
    # the URL the page was archived from, also where the page names another (canonical) URL
    return replace(article, url=uri, retrieved=_iso_date(record.rec_headers.get_header("WARC-Date")))


def _iso_date(value: str | None) -> str | None:
    """A WARC-Date as given when it is ISO 8601 (it should be), else ``None``."""
    if not value:
        return None
    value = value.strip()
    try:
        datetime.fromisoformat(value)
    except ValueError:
        log.debug("WARC-Date %r is not ISO 8601; retrieved left empty", value)
        return None
    return value


def _resume(fh: _Readable, gzipped: bool, name: str, offset: int, exc: Exception,
            stats: WarcStats) -> Generator[Failure, None, int | None]:
    """Yield the failure for the record at ``offset``; return where the next record starts (or ``None``)."""
    stats.failures += 1
    offset = max(offset, 0)
    reason = f"malformed WARC record: {_malformed_reason(exc)}"
    nxt = _next_boundary(fh, offset + 1, _GZIP_MEMBER if gzipped else _WARC_LINE)
    if nxt is None:
        yield {"source": f"{name}@{offset}", "reason": f"{reason}; rest of the file skipped"}
        return None
    if not gzipped:
        nxt += 1  # past the newline
    log.debug("%s@%d: malformed record, resuming at byte %d", name, offset, nxt)
    yield {"source": f"{name}@{offset}", "reason": f"{reason}; resumed at byte {nxt}"}
    return nxt


def _next_boundary(fh: _Readable, start: int, marker: bytes) -> int | None:
    """The offset of the next ``marker`` at or after ``start``, scanning in blocks; ``None`` if none.

    Also ``None`` when the file cannot be read on (a broken gzip stream read through ``GzipFile``).
    """
    pos = start
    tail = b""
    try:
        fh.seek(start)
        while block := fh.read(_SCAN_BLOCK):
            buf = tail + block
            found = buf.find(marker)
            if found >= 0:
                return pos - len(tail) + found
            tail = buf[-(len(marker) - 1):]
            pos += len(block)
    except (OSError, EOFError, zlib.error):
        return None
    return None


def _malformed_reason(exc: Exception) -> str:
    """A one-line, printable reason for what broke the archive reader."""
    if isinstance(exc, _Malformed):
        return exc.reason
    if isinstance(exc, CounterpointError):
        return exc.message
    text = str(exc)
    header = _BAD_HEADER.match(text)
    if header:
        line = _header_line(header.group(1).strip())
        if _ESCAPED.search(line) or not line.isprintable():
            return "bad record header (binary data: a broken gzip member?)"
        return f"bad record header {_printable(line, 40)!r}"
    if "non-chunked gzip" in text:
        return "the gzip file is not compressed record by record (run `warcio recompress`)"
    if isinstance(exc, zlib.error | EOFError):
        return f"broken gzip data ({_printable(text) or type(exc).__name__})"
    first = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
    return _printable(first)


def _header_line(text: str) -> str:
    """The header line warcio quotes in its message (sometimes as a Python list of its words)."""
    if text.startswith("[") and text.endswith("]"):
        try:
            words = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
        if isinstance(words, list) and all(isinstance(w, str) for w in words):
            return " ".join(words)
    return text


def _printable(text: str, limit: int = 80) -> str:
    """``text`` with control and other unprintable characters replaced, cut to ``limit`` characters."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"
