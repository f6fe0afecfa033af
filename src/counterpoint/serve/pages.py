"""The HTML pages: each calls the view function the JSON API calls and renders it with a template."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from ..errors import CounterpointError
from .api import story_filters
from .app import check_csrf, status_of
from .render import render_page
from .views import Browser, StoryFilters, compare_now

router = APIRouter(include_in_schema=False)
FOLLOW_COOKIE = "cp_follow"


def _browser(request: Request) -> Browser:
    return request.app.state.browser


def _followed(request: Request) -> list[str]:
    raw = request.cookies.get(FOLLOW_COOKIE, "")
    return [o for o in (part.strip() for part in raw.split("|")) if o][:200]


@router.get("/")
def home() -> Response:
    return RedirectResponse("/stories", status_code=303)


@router.get("/stories")
def stories(request: Request, filters: Annotated[StoryFilters, Depends(story_filters)]) -> Response:
    browser = _browser(request)
    page = browser.stories(filters)
    return render_page(request, "stories.html.j2", {"page": page, "filters": filters,
                                                    "snippets": browser.snippets(page, filters.q),
                                                    "outlets": browser.outlets()[:300]})


@router.get("/stories/{story_id}")
def story(request: Request, story_id: str) -> Response:
    view = _browser(request).story(story_id, _followed(request))
    return render_page(request, "story.html.j2", {"view": view, "followed": _followed(request)})


@router.get("/outlets")
def outlets(request: Request) -> Response:
    return render_page(request, "outlets.html.j2", {"outlets": _browser(request).outlets(),
                                                    "followed": set(_followed(request))})


@router.post("/outlets/follow")
async def follow(request: Request) -> Response:
    """Remember which outlets the visitor follows (a cookie; nothing is stored on the server)."""
    form = await request.form()
    check_csrf(request, dict(form))
    chosen = [str(v) for v in form.getlist("outlet")][:200]
    response = RedirectResponse("/outlets", status_code=303)
    response.set_cookie(FOLLOW_COOKIE, "|".join(o.replace("|", " ") for o in chosen), httponly=True,
                        samesite="strict", max_age=365 * 86400)
    return response


@router.get("/outlets/{name}")
def outlet(request: Request, name: str) -> Response:
    return render_page(request, "outlet.html.j2", {"profile": _browser(request).outlet(name)})


@router.get("/entities")
def entities(request: Request, q: str | None = None, label: str | None = None) -> Response:
    return render_page(request, "entities.html.j2", {"entities": _browser(request).entities(q, label), "q": q or "",
                                                     "label": label or ""})


@router.get("/entities/{name}")
def entity(request: Request, name: str) -> Response:
    return render_page(request, "entity.html.j2", {"profile": _browser(request).entity(name)})


@router.get("/compare")
def compare_form(request: Request) -> Response:
    return render_page(request, "compare.html.j2", {"inputs": ["", "", ""], "result": None})


@router.post("/compare")
async def compare(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, dict(form))
    inputs = [str(v) for v in form.getlist("input")]
    try:  # minutes of CPU at worst: in a worker thread, so other requests are served meanwhile
        result = await run_in_threadpool(compare_now, inputs, request.app.state.settings)
    except CounterpointError as err:  # too few usable articles, too many: the form again, with what was typed
        return render_page(request, "compare.html.j2", {"inputs": inputs, "result": None, "error": err.message},
                           status=status_of(err))
    return render_page(request, "compare.html.j2", {"inputs": inputs, "result": result})
