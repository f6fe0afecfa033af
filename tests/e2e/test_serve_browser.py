"""The web app, served for real on 127.0.0.1 (uvicorn in a thread), in a real headless browser (Debian's
chromium driven by Playwright): list -> story -> click a contradiction; search; compare now; and hostile
article text that must never run as script on any page that shows it."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from counterpoint.run.ingest import ingest
from counterpoint.settings import Settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")

HOSTILE_TITLE = "Hafen <script>window.__pwned='title'</script><img src=x onerror=\"window.__pwned='img'\">"
HOSTILE_TEXT = (
    "Die Hafenwerft Fehrsund streicht 450 Stellen <script>window.__pwned='body'</script>, teilte die "
    "Geschäftsführung am Donnerstag mit.\n"
    "Der Betriebsrat spricht von einem schwarzen Tag <a href=\"javascript:window.__pwned='link'\">hier</a> "
    "</textarea><svg onload=\"window.__pwned='svg'\"></svg> und kündigte Widerstand an.\n"
    "\"Wir werden um jeden Arbeitsplatz kämpfen\", sagte Betriebsratschef Jens <b onmouseover=\"window.__pwned='b'\">"
    "Marten</b>.\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeds: list[str]) -> Iterator[str]:
    uvicorn = pytest.importorskip("uvicorn")
    from counterpoint.serve import create_app

    corpus = tmp_path_factory.mktemp("corpus")
    for path in STORIES.glob("*.jsonl"):
        shutil.copy(path, corpus / path.name)
    for seed in seeds:
        shutil.copy(seed, corpus / Path(seed).name)
    hostile = {"id": "hostile", "outlet": "Evil <i onclick=alert(1)>Post</i>", "language": "de",
               "published": "2025-09-18", "url": "javascript:window.__pwned='url'", "title": HOSTILE_TITLE,
               "text": HOSTILE_TEXT}
    (corpus / "hostile.jsonl").write_text(json.dumps(hostile) + "\n", encoding="utf-8")
    db = tmp_path_factory.mktemp("db") / "news.db"
    settings = Settings().replace(db=str(db), workers=1)
    ingest([str(corpus)], settings)
    port = _free_port()
    config = uvicorn.Config(create_app(settings.replace(allow_private_urls=False)), host="127.0.0.1", port=port,
                            log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert instance.started
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield instance
        instance.close()


@pytest.fixture()
def page(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.problems = []  # scripts that failed, dialogs, and any request that left 127.0.0.1
    page.on("pageerror", lambda exc: page.problems.append(f"error: {exc}"))
    page.on("dialog", lambda dialog: (page.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("request", lambda req: None if req.url.startswith(server) else page.problems.append(f"fetched {req.url}"))
    yield page
    context.close()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def test_list_story_and_a_contradiction_highlighted_in_both_articles(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/stories")
    _shot(page, "serve-stories.png")
    page.click("a.story-link:has-text('Velmoran president')")
    page.wait_for_selector("#conflicts")
    _shot(page, "serve-story.png")  # the top of the story page (the README shows it)
    conflict = page.locator("#conflicts tr.finding").first
    conflict.click()
    highlighted = page.eval_on_selector_all(".hl", "els => els.map(e => e.closest('.col').id)")
    assert len(set(highlighted)) == 2, highlighted
    _shot(page, "serve-story-conflict.png")
    page.screenshot(path=str(ARTIFACTS / "serve-story-full.png"), full_page=True)
    assert not page.problems


def test_search_finds_a_story_by_a_word_of_its_text(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/stories")
    page.fill("nav.top input[type=search]", "Velmora")
    page.press("nav.top input[type=search]", "Enter")
    page.wait_for_url("**/stories?q=Velmora*")
    titles = page.eval_on_selector_all("a.story-link", "els => els.map(e => e.textContent)")
    assert titles and any("Velmora" in t or "Vasko" in t for t in titles), titles
    _shot(page, "serve-search.png")
    assert not page.problems


def test_compare_now_with_the_seeds(page, server, seeds) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/compare")
    boxes = page.locator("textarea[name=input]")
    for i, seed in enumerate(seeds):
        boxes.nth(i).fill(Path(seed).read_text(encoding="utf-8"))
    page.click("#compare-submit")
    page.wait_for_selector("#conflicts")
    assert "11" in page.inner_text("#conflicts") or "elf" in page.inner_text("#conflicts")
    _shot(page, "serve-compare-now.png")
    assert not page.problems


def test_hostile_article_text_never_runs(page, server) -> None:  # type: ignore[no-untyped-def]
    pages = ["/stories", "/stories?q=Hafen", "/outlets", "/entities"]
    story = page.request.get(server + "/api/stories?q=Betriebsrat").json()["items"]
    pages += [f"/stories/{s['id']}" for s in story]
    outlet = "Evil <i onclick=alert(1)>Post</i>"
    pages.append("/outlets/" + page.evaluate("o => encodeURIComponent(o)", outlet))
    for path in pages:
        page.goto(server + path)
        page.mouse.move(10, 10)
        for el in page.locator("main b, main i").all()[:40]:  # hover what an event handler might hang on
            if el.is_visible():
                el.hover(timeout=2000)
        assert page.evaluate("() => window.__pwned === undefined"), (path, page.evaluate("() => window.__pwned"))
        assert page.locator("main script, main img[src=x], main svg[onload], main [onclick], main [onmouseover], "
                            "main a[href^=javascript]").count() == 0, path
    page.goto(server + "/stories?q=Hafenwerft+Fehrsund+Betriebsrat")
    page.click("a.story-link >> nth=0")
    assert "<script>window.__pwned='body'</script>" in page.inner_text("body")  # shown as text, inert
    _shot(page, "serve-hostile.png")
    assert not page.problems
