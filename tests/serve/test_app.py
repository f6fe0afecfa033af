"""The web app in-process (FastAPI's TestClient over the real app and a real database built by ingest)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from counterpoint.run.ingest import ingest
from counterpoint.serve import create_app
from counterpoint.settings import Settings

STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus")
    for path in STORIES.glob("*.jsonl"):
        shutil.copy(path, corpus / path.name)
    db = tmp_path_factory.mktemp("db") / "news.db"
    ingest([str(corpus)], Settings().replace(db=str(db), workers=1))
    return db


def _settings(db: Path, **changes: object) -> Settings:
    return Settings().replace(**{"db": str(db), "allow_private_urls": False, **changes})


@pytest.fixture(scope="module")
def client(database: Path) -> TestClient:
    with TestClient(create_app(_settings(database)), raise_server_exceptions=False) as c:
        yield c


def _story_with(client: TestClient, word: str) -> dict:
    found = client.get("/api/stories", params={"q": word}).json()
    assert found["total"] >= 1, found
    return found["items"][0]


def _csrf(client: TestClient, path: str) -> str:
    html = client.get(path).text
    return html.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_story_list_newest_first_with_search_and_filters(client: TestClient) -> None:
    page = client.get("/stories")
    assert page.status_code == 200 and "Regionalzug bei Wittenbrück" in page.text
    items = client.get("/api/stories").json()["items"]
    assert [s["last"] for s in items] == sorted((s["last"] for s in items), reverse=True)
    found = _story_with(client, "Fehrsund")
    assert found["title"] == "Hafenwerft streicht 450 Stellen"
    snippet = found["snippet"]
    assert [snippet["text"][a:b] for a, b in snippet["marks"]] == ["Fehrsund"]
    assert "<mark>Fehrsund</mark>" in client.get("/stories", params={"q": "Fehrsund"}).text
    only_en = client.get("/api/stories", params={"lang": "en"}).json()["items"]
    assert only_en and all("en" in s["languages"] for s in only_en)
    assert client.get("/api/stories", params={"q": "zzzzunfindable"}).json()["total"] == 0
    paged = client.get("/api/stories", params={"per_page": 2, "page": 2}).json()
    assert paged["page"] == 2 and len(paged["items"]) <= 2 and paged["pages"] >= 2


@pytest.mark.parametrize("q", ['"', "AND (", "*", "NEAR(a b", "-x", "col:val", "🙂", "' OR 1=1 --"])
def test_any_search_text_is_answered(client: TestClient, q: str) -> None:
    assert client.get("/stories", params={"q": q}).status_code == 200
    assert client.get("/api/stories", params={"q": q}).status_code == 200


def test_story_page_has_the_report_the_timeline_and_a_cached_comparison(client: TestClient, database: Path) -> None:
    story = _story_with(client, "Wittenbrück")
    first = client.get(f"/stories/{story['id']}")
    assert first.status_code == 200
    assert 'class="timeline"' in first.text and 'id="conflicts"' in first.text
    assert "<script>" not in first.text and "style=" not in first.text  # the CSP allows no inline code
    assert "script-src 'self'" in first.headers["content-security-policy"]
    api = client.get(f"/api/stories/{story['id']}").json()
    assert api["comparison"]["articles"] and len(api["timeline"]) == story["articles"]
    with sqlite3.connect(database) as conn:
        cached = conn.execute("SELECT story FROM comparisons").fetchall()
    assert (story["id"],) in cached


def test_blindspot_names_followed_outlets_that_missed_the_story(client: TestClient) -> None:
    story = _story_with(client, "Wittenbrück")
    covered = story["outlets"][0]
    api = client.get(f"/api/stories/{story['id']}", params={"follow": [covered, "Nobody Times"]}).json()
    assert api["blindspot"] == ["Nobody Times"]
    csrf = _csrf(client, "/outlets")
    saved = client.post("/outlets/follow", data={"csrf": csrf, "outlet": [covered, "Nobody Times"]},
                        follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(f"/stories/{story['id']}")
    assert "Nobody Times" in page.text.split('id="blindspot"', 1)[1].split("</p>", 1)[0]


def test_outlet_and_entity_pages(client: TestClient) -> None:
    outlets = client.get("/api/outlets").json()
    name = outlets[0]["outlet"]
    assert client.get(f"/outlets/{name}").status_code == 200
    profile = client.get(f"/api/outlets/{name}").json()
    assert profile["name"] == name and profile["articles"] >= 1
    entities = client.get("/api/entities").json()
    assert entities
    assert client.get(f"/entities/{entities[0]['name']}").status_code == 200


def test_errors_are_pages_or_json_without_traceback(client: TestClient) -> None:
    page = client.get("/stories/no-such-story")
    assert page.status_code == 404 and 'id="error-message"' in page.text and "Traceback" not in page.text
    api = client.get("/api/stories/no-such-story")
    assert api.status_code == 404 and api.json()["error"] == "no story 'no-such-story'"
    bad = client.get("/api/stories", params={"page": "x"})
    assert bad.status_code == 400 and "page" in bad.json()["error"]
    assert client.get("/static/../../etc/passwd").status_code == 404
    assert client.get("/static/nothing.css").status_code == 404


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/compare", "/api/outlets/{name}"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 404  # the Swagger page would load scripts from a CDN


def test_compare_now_with_pasted_texts(client: TestClient, seeds: list[str]) -> None:
    texts = [Path(s).read_text(encoding="utf-8") for s in seeds]
    csrf = _csrf(client, "/compare")
    page = client.post("/compare", data={"csrf": csrf, "input": texts})
    assert page.status_code == 200 and 'id="conflicts"' in page.text
    api = client.post("/api/compare", json={"inputs": texts})
    assert api.status_code == 200 and len(api.json()["articles"]) == 2


def test_compare_now_refuses_a_private_url_and_a_server_path(client: TestClient, seeds: list[str]) -> None:
    text = Path(seeds[0]).read_text(encoding="utf-8")
    refused = client.post("/api/compare", json={"inputs": [text, "http://127.0.0.1:9/", "/etc/passwd"]})
    assert refused.status_code == 422
    message = refused.json()["error"]
    assert "127.0.0.1" in message and "/etc/passwd" not in message.replace("text 3", "")
    page = client.post("/compare", data={"csrf": _csrf(client, "/compare"), "input": [text, "http://127.0.0.1:9/"]})
    assert page.status_code == 422 and 'id="compare-error"' in page.text and "127.0.0.1" in page.text
    assert text.splitlines()[0] in page.text  # what was pasted is still in the form


def test_forms_need_the_csrf_token(client: TestClient) -> None:
    page = client.post("/compare", data={"input": ["a", "b"]})
    assert page.status_code == 400 and "CSRF" in page.text
    assert client.post("/outlets/follow", data={"outlet": "x", "csrf": "forged"}).status_code == 400


def test_limits_on_request_size_and_number_of_articles(client: TestClient) -> None:
    assert client.post("/api/compare", content=b"x" * 2_100_000,
                       headers={"content-type": "application/json"}).status_code == 413
    too_many = client.post("/api/compare", json={"inputs": [f"Text {i}." for i in range(11)]})
    assert too_many.status_code == 400 and "at most 10" in too_many.json()["error"]


def test_token_protects_every_page(database: Path) -> None:
    with TestClient(create_app(_settings(database, token="s3cret")), raise_server_exceptions=False) as c:
        assert c.get("/stories").status_code == 401
        assert c.get("/api/stories").status_code == 401
        assert c.get("/static/app.css").status_code == 401
        assert c.get("/api/stories", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        entered = c.get("/stories?token=s3cret", follow_redirects=False)
        assert entered.status_code == 303 and "token" not in entered.headers["location"]
        assert c.get("/stories").status_code == 200  # the cookie carries it now


def test_read_only_never_writes_the_database(database: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(database) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
        dst.execute("DELETE FROM comparisons")
    before = copy.read_bytes()
    with TestClient(create_app(_settings(copy, read_only=True)), raise_server_exceptions=False) as c:
        story = c.get("/api/stories").json()["items"][0]
        assert c.get(f"/stories/{story['id']}").status_code == 200
        assert c.get(f"/stories/{story['id']}").status_code == 200  # from the in-memory cache
    assert copy.read_bytes() == before


def test_cached_answers_are_recomputed_when_an_article_is_stored(database: Path, tmp_path: Path) -> None:
    db = tmp_path / "grow.db"
    with sqlite3.connect(database) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    with TestClient(create_app(_settings(db)), raise_server_exceptions=False) as c:
        story = _story_with(c, "Fehrsund")
        before = c.get(f"/api/stories/{story['id']}").json()["comparison"]
        assert c.get("/api/outlets/Late Gazette").status_code == 404
        record = json.loads((STORIES / "fehrsund-werft.jsonl").read_text(encoding="utf-8").splitlines()[0])
        record.update(id="late-report", outlet="Late Gazette", url="https://late.example/werft",
                      published=story["last"], text=record["text"].replace("\n", " Das bestätigte ein Sprecher.\n", 1)
                      + "\nDer Betriebsrat kündigte Widerstand an und forderte Gespräche mit der Landesregierung.")
        (tmp_path / "late.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
        ingest([str(tmp_path / "late.jsonl")], Settings().replace(db=str(db), workers=1))
        after = c.get(f"/api/stories/{story['id']}").json()
        assert c.get("/api/outlets/Late Gazette").status_code == 200  # remembered answers expire
    ids = [a["id"] for a in after["comparison"]["articles"]] + [d["source"] for d in after["comparison"]["dropped"]]
    assert len(after["timeline"]) == len(before["articles"]) + 1 + len(before["dropped"])
    assert any("late" in str(i) for i in ids)


def test_a_database_of_an_older_counterpoint_is_upgraded_unless_read_only(schema1_db: Path) -> None:
    from counterpoint.errors import StoreError

    db = schema1_db
    with pytest.raises(StoreError, match="schema 1"):
        create_app(_settings(db, read_only=True))  # read-only never writes, not even an upgrade
    with TestClient(create_app(_settings(db)), raise_server_exceptions=False) as c:
        assert [s["id"] for s in c.get("/api/stories", params={"q": "Werft"}).json()["items"]] == ["old"]
