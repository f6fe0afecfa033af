"""Fetch an http(s) URL with httpx and turn the response into articles.

The body is streamed and the download stops as soon as it passes ``settings.max_bytes`` (also when the
server announces a larger Content-Length). ``settings.http_timeout`` bounds connecting and each read, and
the whole download may take at most ``_TOTAL_TIMEOUTS`` times as long, so a server that trickles bytes
cannot hold a worker. Every failure is a ``FetchError`` with a one-line message.

With ``settings.allow_private_urls`` false (the web app) only public addresses are fetched (see
``sources.guard``): every connection goes through ``GuardedBackend``, which resolves, checks and connects
to the checked addresses in one step; redirects are followed here one hop at a time (http and https
only), and each response's peer address is checked again. Proxies from the environment are not used then.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

from ..errors import FetchError, SourceError
from ..model import Article
from ..settings import Settings
from .guard import GuardedBackend, check_address, peer_address
from .html import article_from_html, decode_html, host_of
from .records import Failure, parse_json, parse_jsonl
from .text import article_from_text, decode_text

__all__ = ["Fetched", "fetch", "load_url", "url_id"]

MAX_REDIRECTS = 5
_TOTAL_TIMEOUTS = 4
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_JSONL_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines",
                "application/jsonlines", "application/json-seq")


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked for
    final_url: str  # after redirects
    content_type: str  # media type, lower case, no parameters ("" when the server sent none)
    charset: str | None
    data: bytes


def url_id(url: str) -> str:
    """A short, readable, stable id: "host-path-slug" (e.g. "dw.com-de-putin-in-vietnam-a-69420117")."""
    parts = urlsplit(url)
    host = host_of(url) or "url"
    path = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", parts.path, flags=re.IGNORECASE)
    if parts.query and len(path.strip("/")) < 3:
        path += "-" + parts.query
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    ident = f"{host}-{slug}" if slug else host
    if len(ident) > 80:
        ident = ident[:80].rsplit("-", 1)[0]
    return ident


def _error_text(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", text.splitlines()[0])
    return text


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its httpcore pool built on ``GuardedBackend`` (httpx takes no backend itself)."""

    def __init__(self) -> None:
        ssl_context = httpx.create_ssl_context()
        super().__init__(verify=ssl_context)
        self._pool.close()
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=GuardedBackend())


def _check_peer(response: httpx.Response) -> None:
    """Refuse a response unless it came over a connection to a public address (fails closed)."""
    peer = peer_address(response.extensions.get("network_stream"))
    if peer is None:
        raise FetchError("refused: cannot tell which address the response came from")
    check_address(peer, response.url.host)


@contextmanager
def _open_guarded(client: httpx.Client, url: str) -> Iterator[httpx.Response]:
    """GET ``url``, following at most ``MAX_REDIRECTS`` redirects to http(s) URLs one hop at a time."""
    target: str | httpx.URL = url
    for _ in range(MAX_REDIRECTS + 1):
        response = client.send(client.build_request("GET", target), stream=True)
        try:
            _check_peer(response)
            if not response.has_redirect_location:
                yield response
                return
            target = response.url.join(response.headers["location"])
        finally:
            response.close()
        if target.scheme not in {"http", "https"}:
            raise FetchError(f"redirect to unsupported URL scheme {target.scheme!r}: only http and https")
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")


def fetch(url: str, settings: Settings) -> Fetched:
    """GET ``url`` (redirects followed, at most 5) within the size and time limits of ``settings``.

    Unless ``settings.allow_private_urls``, every address connected to (each redirect hop included) must be
    public, else ``FetchError("refused: ...")``.
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme not in {"http", "https"}:
        raise FetchError(f"unsupported URL scheme {scheme!r}: only http and https")
    limit = settings.max_bytes
    timeout = settings.http_timeout
    guarded = not settings.allow_private_urls
    try:
        with httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=not guarded,
            max_redirects=MAX_REDIRECTS,
            transport=_GuardedTransport() if guarded else None,
            headers={"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,"
                     "text/plain;q=0.9,application/json;q=0.9,*/*;q=0.5"},
        ) as client, (_open_guarded(client, url) if guarded else client.stream("GET", url)) as response:
            if response.status_code >= 400:
                reason = response.reason_phrase or ""
                raise FetchError(f"HTTP {response.status_code} {reason}".rstrip())
            announced = response.headers.get("content-length", "")
            if announced.isdigit() and int(announced) > limit:
                raise FetchError(f"response larger than {limit} bytes (Content-Length {announced})")
            deadline = time.monotonic() + _TOTAL_TIMEOUTS * timeout
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"response larger than {limit} bytes")
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {_TOTAL_TIMEOUTS * timeout:g} s (whole download)")
                chunks.append(chunk)
            media_type, _, params = response.headers.get("content-type", "").partition(";")
            charset = None
            m = re.search(r"charset\s*=\s*\"?([^\";\s]+)", params, re.IGNORECASE)
            if m:
                charset = m.group(1)
            return Fetched(url=url, final_url=str(response.url), content_type=media_type.strip().lower(),
                           charset=charset or response.charset_encoding, data=b"".join(chunks))
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})") from None
    except httpx.ConnectError as exc:
        raise FetchError(f"cannot connect: {_error_text(exc)}") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchError(f"invalid URL: {_error_text(exc)}") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"fetch failed: {type(exc).__name__}: {_error_text(exc)}") from None


def _kind(fetched: Fetched) -> str:
    ctype = fetched.content_type
    if ctype in _HTML_TYPES:
        return "html"
    if ctype in _JSONL_TYPES or fetched.final_url.lower().endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if ctype == "application/json" or ctype.endswith("+json"):
        return "json"
    if ctype == "text/plain":
        return "text"
    head = fetched.data[:1024].lstrip()
    if head[:1] in (b"{", b"["):
        return "json"
    if head[:1] == b"<" and re.search(rb"<(?:!doctype html|html|head|body|p|div|article)\b", head, re.I):
        return "html"
    if not ctype or ctype.startswith("text/"):
        return "text"
    raise FetchError(f"unsupported content type {ctype!r}")


def _decode(fetched: Fetched) -> str:
    charset = (fetched.charset or "utf-8").lower()
    if charset.replace("_", "-") in {"utf-8", "utf8", "us-ascii", "ascii"} or b"\x00" in fetched.data:
        return decode_text(fetched.data)
    try:
        return fetched.data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise SourceError(f"response is not valid {fetched.charset} text") from None


def load_url(url: str, settings: Settings, *, id: str | None = None) -> tuple[list[Article], list[Failure]]:
    """Fetch ``url`` and read it by content type: HTML page, plain text, JSON or JSONL records."""
    return read_fetched(fetch(url, settings), id=id)


def read_fetched(fetched: Fetched, *, id: str | None = None) -> tuple[list[Article], list[Failure]]:
    """A fetched response read by its content type: HTML page, plain text, JSON or JSONL records."""
    url = fetched.url
    ident = id or url_id(url)
    kind = _kind(fetched)
    if kind == "html":
        html = decode_html(fetched.data, fetched.charset)
        return [article_from_html(html, id=ident, source=url, url=fetched.final_url)], []
    text = _decode(fetched)
    if kind == "text":
        article = article_from_text(text, id=ident, source=url, url=fetched.final_url,
                                    outlet=host_of(fetched.final_url))
        return [article], []
    parse = parse_jsonl if kind == "jsonl" else parse_json
    return parse(text, source=url, stem=ident)
