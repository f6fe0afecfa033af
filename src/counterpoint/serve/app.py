"""The web app: ``create_app(settings)`` builds a FastAPI application over one database.

Safe by default, because article text, titles and URLs are untrusted and the app may face a newsroom:

- everything is escaped by the templates (Jinja2 autoescape); no inline script or style anywhere, and a
  Content-Security-Policy that allows scripts and styles from this app only, so even markup that slipped
  through could not run;
- ``settings.token``, when set, guards every request (``Authorization: Bearer <token>``, or ``?token=``
  once, which sets an HttpOnly cookie); compare it in constant time;
- request bodies are bounded (``settings.max_request_bytes``, 413 beyond), compare-now takes at most
  ``settings.max_compare_inputs`` articles, URLs are fetched with ``settings.allow_private_urls`` as the
  server was started with (``counterpoint serve`` refuses private addresses unless told otherwise);
- forms that post carry a CSRF token (a random cookie, SameSite=Strict, echoed in the form);
- every error is a page (or, under ``/api``, a JSON object) with a one-line message, never a traceback.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import (
    AnalyzeError,
    CompareError,
    CounterpointError,
    ExtractError,
    SettingsError,
    SourceError,
    StoreError,
)
from ..report import report_asset
from ..settings import Settings
from ..store import Store
from .render import render_page, static_text
from .views import Browser, NotFound

log = logging.getLogger(__name__)

TOKEN_COOKIE = "cp_token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def status_of(err: CounterpointError) -> int:
    """The HTTP status of an error of counterpoint's exception tree."""
    if isinstance(err, NotFound):
        return 404
    if isinstance(err, SettingsError):
        return 400
    if isinstance(err, (SourceError, ExtractError, AnalyzeError, CompareError)):
        return 422
    if isinstance(err, StoreError):
        return 503
    return 500


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes: by Content-Length at once, and while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await _too_large(self.limit)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(self.limit)(scope, receive, send)


class _TooLarge(Exception):
    pass


def _too_large(limit: int) -> Response:
    return PlainTextResponse(f"request body larger than {limit} bytes", status_code=413)


def create_app(settings: Settings) -> FastAPI:
    """The app over ``settings.db`` (which must exist): pages, ``/api``, and ``/static``."""
    from . import api, pages

    if not settings.read_only and Path(settings.db).is_file():
        try:  # a database of an older counterpoint is brought up to date (what ingest would do) ...
            Store(settings.db).close()
        except StoreError as err:  # ... unless an ingest is writing it right now (which upgrades it itself)
            log.info("database not upgraded now: %s", err)
    browser = Browser(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        browser.close()

    app = FastAPI(title="counterpoint", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  openapi_url="/api/openapi.json",
                  description="Stories found in a counterpoint database and the comparison of their coverage.")
    app.state.browser = browser
    app.state.settings = settings
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if settings.token:
            given = request.headers.get("authorization", "").removeprefix("Bearer ").strip() \
                or request.cookies.get(TOKEN_COOKIE, "") or request.query_params.get("token", "")
            if not hmac.compare_digest(given.encode(), settings.token.encode()):
                return _error(request, 401, "this counterpoint needs a token (Authorization: Bearer, or ?token=)")
            if request.query_params.get("token") and request.method == "GET":
                target = request.url.remove_query_params("token")
                response: Response = RedirectResponse(str(target.path) + (f"?{target.query}" if target.query else ""),
                                                      status_code=303)
                response.set_cookie(TOKEN_COOKIE, settings.token, httponly=True, samesite="strict")
                return _secure(response)
        return _secure(await call_next(request))

    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)  # the outermost: before anything reads

    @app.exception_handler(CounterpointError)
    async def counterpoint_error(request: Request, err: CounterpointError) -> Response:
        return _error(request, status_of(err), str(err))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        message = err.detail if isinstance(err.detail, str) else "request refused"
        return _error(request, err.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> Response:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in {"query", "body", "path"})
        return _error(request, 400, f"bad value for {where or 'the request'}: {first.get('msg', 'invalid')}")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, err: Exception) -> Response:
        log.exception("unexpected error serving %s", request.url.path)
        return _error(request, 500, f"internal error ({type(err).__name__}); the server log has the details")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        suffix = name[name.rfind("."):] if "." in name else ""
        text = report_asset(name) if name in {"report.css", "report.js"} else static_text(name)
        if text is None or suffix not in _STATIC_TYPES:
            raise NotFound(f"no static file {name!r}")
        return Response(text, media_type=_STATIC_TYPES[suffix], headers={"Cache-Control": "max-age=3600"})

    return app


def _secure(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api"):
        response: Response = JSONResponse({"error": message, "status": status}, status_code=status)
    else:
        response = render_page(request, "error.html.j2", {"status": status, "message": message}, status=status)
    return _secure(response)


def check_csrf(request: Request, form: dict[str, Any]) -> None:
    """Raise SettingsError unless the form echoes the CSRF cookie (double submit; the cookie is SameSite)."""
    cookie = request.cookies.get("cp_csrf", "")
    given = str(form.get("csrf", ""))
    if not cookie or not hmac.compare_digest(cookie.encode(), given.encode()):
        raise SettingsError("the form expired or came from another site (CSRF token missing or wrong): reload it")
