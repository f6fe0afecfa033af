"""Templates and static files of the web app (``serve/templates``, ``serve/static``), and the small
helpers the templates use to draw charts as SVG (no chart library, nothing fetched from outside)."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache
from importlib.resources import files
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

CSRF_COOKIE = "cp_csrf"


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("counterpoint.serve", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["path"] = lambda value: quote(str(value), safe="")  # one path segment, e.g. an outlet name
    env.globals["bars"] = bars
    env.globals["timeline"] = timeline
    env.globals["tone_months"] = tone_months
    env.filters["marked"] = marked
    return env


@lru_cache(maxsize=8)
def static_text(name: str) -> str | None:
    """A file of ``serve/static`` by its plain name, or None (no paths: ``name`` is never a path)."""
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    item = files("counterpoint.serve") / "static" / name
    return item.read_text(encoding="utf-8") if item.is_file() else None


def render_page(request: Request, template: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    """A page of the app; every page gets the CSRF token of its visitor (set as a cookie when new)."""
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    settings = getattr(request.app.state, "settings", None)
    html = _env().get_template(template).render(csrf=csrf, read_only=bool(settings and settings.read_only),
                                                request_path=request.url.path, **context)
    response = HTMLResponse(html, status_code=status)
    if CSRF_COOKIE not in request.cookies:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
    return response


def marked(snippet: Any) -> Markup:
    """A search snippet as HTML: its text escaped, the matched words in <mark>."""
    out, at = [], 0
    for start, end in snippet.marks:
        out += [escape(snippet.text[at:start]), Markup("<mark>"), escape(snippet.text[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(snippet.text[at:]))
    return Markup("").join(out)


def bars(values: list[tuple[str, float]], *, width: int = 520, height: int = 140) -> dict[str, Any]:
    """Geometry of a vertical bar chart of ``(label, value)``: the template draws it as SVG."""
    top = max((v for _, v in values), default=0) or 1
    n = max(len(values), 1)
    step = width / n
    return {
        "width": width, "height": height, "top": top,
        "bars": [{"x": round(i * step + 1, 1), "w": round(max(step - 2, 1), 1),
                  "h": round(v / top * (height - 20), 1), "y": round(height - 16 - v / top * (height - 20), 1),
                  "label": label, "value": v} for i, (label, v) in enumerate(values)],
    }


def tone_months(months: list[tuple[str, int, int, int]], *, width: int = 200,
                height: int = 24) -> dict[str, Any]:
    """Geometry of a small chart of tone over time: per month a column split into the shares of positive,
    neutral and negative mentions (bottom up), as wide as the months allow."""
    n = max(len(months), 1)
    step = width / n
    columns = []
    for i, (month, pos, neu, neg) in enumerate(months):
        total = (pos + neu + neg) or 1
        y = float(height)
        parts = []
        for kind, count in (("pos", pos), ("neu", neu), ("neg", neg)):
            h = count / total * height
            y -= h
            parts.append({"kind": kind, "y": round(y, 1), "h": round(h, 1)})
        columns.append({"x": round(i * step, 1), "w": round(max(step - 1, 1), 1), "parts": parts,
                        "title": f"{month}: {pos} positive, {neu} neutral, {neg} negative"})
    return {"width": width, "height": height, "columns": columns}


def timeline(entries: list[Any], *, width: int = 720, row: int = 22, label: int = 200) -> dict[str, Any]:
    """Geometry of a coverage timeline: one row per outlet, a dot per article at its time (copies hollow)."""

    def seconds(value: str) -> float:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return 0.0

    times = [seconds(e.time) for e in entries]
    lo, hi = (min(times), max(times)) if times else (0.0, 0.0)
    span = hi - lo or 1.0
    outlets: list[str] = []
    for e in entries:
        name = e.outlet or "unknown outlet"
        if name not in outlets:
            outlets.append(name)
    plot = width - label - 20
    dots = [{"x": round(label + 10 + (t - lo) / span * plot if hi > lo else label + 10 + plot / 2, 1),
             "y": outlets.index(e.outlet or "unknown outlet") * row + row // 2 + 4,
             "copy": e.duplicate_of is not None,
             "title": f"{e.outlet or 'unknown outlet'} · {e.time} · {e.title or e.article}"}
            for e, t in zip(entries, times, strict=True)]
    return {"width": width, "height": len(outlets) * row + 24, "label": label, "row": row,
            "rows": [{"name": o, "y": i * row + row // 2 + 8} for i, o in enumerate(outlets)], "dots": dots,
            "first": entries[0].time[:16].replace("T", " ") if entries else "",
            "last": entries[-1].time[:16].replace("T", " ") if entries else ""}
