"""The HTML report of the seeds in a real headless browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from counterpoint import compare, load_settings
from counterpoint.report import render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def page_of_seeds(seeds, tmp_path_factory):
    playwright = pytest.importorskip("playwright.sync_api")
    result = compare(seeds, load_settings(env={}))
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(result), encoding="utf-8")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("request", lambda req: errors.append("fetched " + req.url) if not req.url.startswith("file:") else None)
        page.goto(path.as_uri())
        yield result, page, errors
        browser.close()


def test_click_a_contradiction_highlights_both_spans(page_of_seeds):
    result, page, errors = page_of_seeds
    conflict = next(c for c in result.conflicts if {"elf", "zwölf"} & {c.a.text.lower(), c.b.text.lower()})
    page.click(f"#finding-{conflict.id}")
    highlighted = page.eval_on_selector_all(".hl", "els => els.map(e => e.textContent)")
    joined = " ".join(highlighted)
    assert conflict.a.text in joined and conflict.b.text in joined
    # both spans sit in different article columns
    columns = page.eval_on_selector_all(".hl", "els => els.map(e => e.closest('.col').id)")
    assert len(set(columns)) == 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-seeds-conflict.png"), full_page=False)
    assert not errors


def test_click_a_highlighted_passage_jumps_to_its_finding(page_of_seeds):
    result, page, errors = page_of_seeds
    conflict = result.conflicts[-1]
    page.click(f'[data-findings~="{conflict.id}"] >> nth=0')
    assert "selected" in (page.get_attribute(f"#finding-{conflict.id}", "class") or "")
    page.screenshot(path=str(ARTIFACTS / "report-seeds-quote.png"), full_page=True)
    assert not errors
