"""HTML pages: body text and metadata through trafilatura, the publication date through htmldate.

trafilatura keeps one paragraph (or heading, or list item) per line; ``clean_text`` then drops what is
not body. htmldate runs with ``extensive_search=False``: its default guesses a date from any number on
the page (a copyright year, a URL), and a wrong date is worse than none.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from urllib.parse import urlsplit

import htmldate
import trafilatura
from trafilatura.settings import Document

from ..errors import ExtractError
from ..model import Article
from ..settings import Settings
from .text import article_from_text, read_bytes

__all__ = ["article_from_html", "decode_html", "host_of", "load_html_file"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?""",
                        re.IGNORECASE)


def host_of(url: str | None) -> str | None:
    """The host of a URL without "www." (the fallback outlet name)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    host = host.removeprefix("www.")
    return host or None


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode a page: the HTTP charset, else a <meta charset>, else UTF-8, else Windows-1252."""
    candidates = [charset]
    m = _META_CHARSET.search(data[:4096])
    if m:
        candidates.append(m.group(1).decode("ascii", "replace"))
    for name in [*candidates, "utf-8"]:
        if not name:
            continue
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def article_from_html(html: str, *, id: str, source: str | None = None, url: str | None = None) -> Article:
    """Extract the article in ``html``; ``url`` is where the page was fetched from (if it was).

    Raises ``ExtractError`` when the page has no article body.
    """
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, favor_recall=True, deduplicate=False)
    except Exception as exc:  # trafilatura raises assorted lxml/parser errors on broken markup
        raise ExtractError(f"cannot parse HTML: {type(exc).__name__}: {exc}".splitlines()[0]) from None
    if not isinstance(doc, Document) or not doc.text or not doc.text.strip():
        raise ExtractError("no article body found in HTML")
    text = doc.text
    page_url = doc.url or url
    try:
        published = htmldate.find_date(html, extensive_search=False, original_date=True, url=url)
    except Exception:  # htmldate is best effort; a page without a usable date has published=None
        published = None
    lang = _HTML_LANG.search(html[:5000])
    try:
        return article_from_text(
            text,
            id=id,
            source=source,
            title=_clean_meta(doc.title),
            outlet=_clean_meta(doc.sitename) or host_of(page_url),
            url=page_url,
            language=lang.group(1).lower() if lang else None,
            published=published,
            author=_clean_meta(doc.author),
            headings=_headings(doc),
        )
    except ExtractError as exc:
        detail = str(exc.args[0]).removeprefix("no article body: ")
        raise ExtractError(f"no article body found in HTML: {detail}") from None


def _headings(doc: Document) -> list[str]:
    """The texts trafilatura marked as headings (<head> elements of its body tree)."""
    body = getattr(doc, "body", None)
    if body is None:
        return []
    return [" ".join("".join(el.itertext()).split()) for el in body.iter("head")]


def _clean_meta(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split())
    return value or None


def load_html_file(path: str | Path, settings: Settings, *, id: str | None = None,
                   source: str | None = None) -> Article:
    path = Path(path)
    html = decode_html(read_bytes(path, settings))
    return article_from_html(html, id=id or path.stem, source=source or str(path))
