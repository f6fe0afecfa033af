"""Plain-text articles: read a file safely (size cap, binary check) and build a cleaned ``Article``.

``article_from_text`` is the one place where raw text becomes an ``Article``; the HTML, record and URL
readers call it too, so every article is cleaned the same way.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ..errors import ExtractError, SourceError
from ..model import Article
from ..settings import Settings
from .clean import clean_text

__all__ = ["article_from_text", "decode_text", "load_text_file", "read_bytes"]


def read_bytes(path: str | Path, settings: Settings) -> bytes:
    """The bytes of a file, at most ``settings.max_bytes`` of them; every failure is a ``SourceError``."""
    path = Path(path)
    try:
        if path.is_dir():
            raise SourceError("is a directory, not a file")
        with path.open("rb") as fh:
            data = fh.read(settings.max_bytes + 1)
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except IsADirectoryError:
        raise SourceError("is a directory, not a file") from None
    except PermissionError:
        raise SourceError("permission denied") from None
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > settings.max_bytes:
        raise SourceError(f"file larger than {settings.max_bytes} bytes (max_bytes)")
    return data


def decode_text(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped); NUL bytes or bytes that are not UTF-8 mean binary data."""
    if b"\x00" in data:
        raise SourceError("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"binary file, not text (not valid UTF-8 at byte {exc.start})") from None


def article_from_text(
    raw: str,
    *,
    id: str,
    source: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    language: str | None = None,
    published: str | None = None,
    author: str | None = None,
    headings: Collection[str] = (),
) -> Article:
    """Clean ``raw`` (one paragraph per line) and wrap it with its metadata.

    Raises ``ExtractError`` when there is no text, or nothing is left once non-body text is removed.
    """
    if not raw.strip():
        raise ExtractError("empty article: no text")
    cleaned = clean_text(raw, title=title, headings=headings)
    if not cleaned.text.strip():
        kinds = ", ".join(sorted({r.reason for r in cleaned.removed}))
        raise ExtractError(f"no article body: only non-body text ({kinds})")
    identical = cleaned.text == cleaned.source
    return Article(
        id=id,
        text=cleaned.text,
        title=cleaned.title,
        outlet=outlet,
        url=url,
        language=language,
        published=published,
        author=author,
        source=source,
        source_text=None if identical else cleaned.source,
        offset_map=() if identical else cleaned.offset_map,
        removed=cleaned.removed,
    )


def load_text_file(path: str | Path, settings: Settings, *, id: str | None = None,
                   source: str | None = None) -> Article:
    """A ``.txt`` article: one paragraph per line; the title is its first heading-like line."""
    path = Path(path)
    raw = decode_text(read_bytes(path, settings))
    return article_from_text(raw, id=id or path.stem, source=source or str(path))
