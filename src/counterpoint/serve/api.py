"""The JSON API (``/api``): the same view functions as the pages, as JSON; described at /api/openapi.json."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request

from .views import Browser, StoryFilters, compare_now

router = APIRouter(prefix="/api", tags=["api"])


def _browser(request: Request) -> Browser:
    return request.app.state.browser


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) and not isinstance(value, type) else value


def story_filters(q: Annotated[str | None, Query(description="words of the title or text (any text)")] = None,
                  since: Annotated[str | None, Query(description="latest article on or after (ISO date)")] = None,
                  until: Annotated[str | None, Query(description="earliest article on or before (ISO date)")] = None,
                  outlet: str | None = None, lang: str | None = None,
                  min_outlets: Annotated[int, Query(ge=1)] = 1, page: Annotated[int, Query(ge=1)] = 1,
                  per_page: Annotated[int, Query(ge=1, le=200)] = 25) -> StoryFilters:
    """The story list's filters from the query string (the list page reads the same)."""
    return StoryFilters(q=q, since=since, until=until, outlet=outlet, lang=lang, min_outlets=min_outlets,
                        page=page, per_page=per_page)


@router.get("/stories", summary="Stories, newest first, with text search and filters")
def stories(request: Request, filters: Annotated[StoryFilters, Depends(story_filters)]) -> dict[str, Any]:
    browser = _browser(request)
    page = browser.stories(filters)
    snippets = browser.snippets(page, filters.q)
    return {"items": [{**_plain(s), "snippet": _plain(snippets.get(s.id))} for s in page.items],
            "total": page.total, "page": page.page, "per_page": page.per_page, "pages": page.pages}


@router.get("/stories/{story_id}", summary="One story: timeline, blindspot and the comparison of its reports")
def story(request: Request, story_id: str, follow: Annotated[list[str], Query()] = []) -> dict[str, Any]:  # noqa: B006
    view = _browser(request).story(story_id, follow)
    return {"story": _plain(view.story), "timeline": [_plain(t) for t in view.timeline],
            "blindspot": view.blindspot, "comparison": view.document, "note": view.note}


@router.get("/outlets", summary="Outlets with their number of independent articles")
def outlets(request: Request) -> list[dict[str, Any]]:
    return [{"outlet": name, "articles": n} for name, n in _browser(request).outlets()]


@router.get("/outlets/{name}", summary="What an outlet covers, whom it quotes, its vocabulary and tone")
def outlet(request: Request, name: str) -> dict[str, Any]:
    return _plain(_browser(request).outlet(name))


@router.get("/entities", summary="People and organisations, most mentioned first")
def entities(request: Request, q: str | None = None, label: str | None = None) -> list[dict[str, Any]]:
    return [_plain(e) for e in _browser(request).entities(q, label)]


@router.get("/entities/{name}", summary="A person or organisation across stories and outlets")
def entity(request: Request, name: str) -> dict[str, Any]:
    return _plain(_browser(request).entity(name))


@router.post("/compare", summary="Compare pasted texts or URLs now, without storing anything")
def compare(request: Request, inputs: Annotated[list[str], Body(embed=True, max_length=100)]) -> dict[str, Any]:
    return compare_now(inputs, request.app.state.settings).document
